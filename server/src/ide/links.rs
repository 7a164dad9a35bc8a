//! Document links: the `url` fields.

use crate::model::{FileId, Workspace};
use crate::syntax::{Field, TextRange, Value, walk_clauses, walk_provisions};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The string, without its quotes.
    pub range: TextRange,
    pub target: String,
}

fn collect(fields: &[Field], out: &mut Vec<Link>) {
    for f in fields.iter().filter(|f| f.name.text == "url") {
        for v in &f.values {
            if let Value::String(s) = v
                && (s.value.starts_with("https://") || s.value.starts_with("http://"))
                && !s.block
            {
                out.push(Link {
                    range: s.range.start + 1..s.range.end - 1,
                    target: s.value.to_string(),
                });
            }
        }
    }
}

pub fn document_links(ws: &Workspace, file: FileId) -> Vec<Link> {
    let ast = &ws.file(file).parse.ast;
    let mut out = Vec::new();
    for d in &ast.documents {
        collect(&d.fields, &mut out);
        walk_clauses(&d.clauses, &mut |c| collect(&c.fields, &mut out));
        walk_provisions(&d.clauses, &d.provisions, &mut |p| {
            collect(&p.fields, &mut out)
        });
    }
    for m in &ast.maps {
        collect(&m.fields, &mut out);
    }
    out
}
