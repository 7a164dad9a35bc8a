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
                && !s.block()
            {
                out.push(Link {
                    range: s.range().start + 1..s.range().end - 1,
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

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::fixture::Fixture;

    #[test]
    fn url_fields_at_every_level() {
        let fx = Fixture::parse(
            r#"
            document guide {
              title "Guide"
              url "https://example.com/guide"
              clause 1 {
                url "http://example.com/1"
                provision 1.1 { url "https://example.com/1.1#x" }
              }
            }
            map guide:1.1 -> uk-cop-2018:1 {
              url "https://example.com/map"
              note "https://example.com/not-a-url-field"
            }
            "#,
        );
        let file = fx.main();
        let actual: String = document_links(&fx.ws, file)
            .iter()
            .map(|l| format!("{} -> {}\n", fx.show(file, &l.range), l.target))
            .collect();
        expect![[r#"
            main.xwalk:3:8 `https://example.com/guide` -> https://example.com/guide
            main.xwalk:5:10 `http://example.com/1` -> http://example.com/1
            main.xwalk:6:26 `https://example.com/1.1#x` -> https://example.com/1.1#x
            main.xwalk:10:8 `https://example.com/map` -> https://example.com/map
        "#]]
        .assert_eq(&actual);
    }

    #[test]
    fn not_links() {
        let fx = Fixture::parse(
            r#"
            document guide {
              title "Guide"
              url "ftp://example.com/guide"
              url "example.com"
              url """
                https://example.com/block
                """
              url "https://example.com/broken
            }
            "#,
        );
        assert_eq!(document_links(&fx.ws, fx.main()), vec![]);
    }
}
