//! Code lens on each catalogued provision: how many sources, from how many
//! organisations, map to it.

use crate::model::index::EndpointKey;
use crate::model::{FileId, Workspace};
use crate::syntax::{TextRange, walk_provisions};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeLens {
    pub range: TextRange,
    pub title: String,
    pub mappings: usize,
    pub organisations: usize,
}

pub fn code_lenses(ws: &Workspace, file: FileId) -> Vec<CodeLens> {
    let mut out = Vec::new();
    for doc in &ws.file(file).parse.ast.documents {
        walk_provisions(&doc.clauses, &doc.provisions, &mut |p| {
            let key = EndpointKey {
                document: doc.id.text.to_string(),
                id: Some(p.id.text.to_string()),
            };
            let (mappings, organisations) = ws.mapped_to(&key);
            let s = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            out.push(CodeLens {
                range: p.id.range.clone(),
                title: format!(
                    "mapped by {} from {}",
                    s(mappings, "source", "sources"),
                    s(organisations, "organisation", "organisations")
                ),
                mappings,
                organisations,
            });
        });
    }
    out.sort_by_key(|l| l.range.start);
    out
}
