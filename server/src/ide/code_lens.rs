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

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture::Fixture;

    fn check(fixture: &str, expect: Expect) {
        let fx = Fixture::parse(fixture);
        let file = fx.main();
        let actual: String = code_lenses(&fx.ws, file)
            .iter()
            .map(|l| format!("{} {}\n", fx.show(file, &l.range), l.title))
            .collect();
        expect.assert_eq(&actual);
    }

    #[test]
    fn counts_sources_and_organisations_across_files() {
        check(
            r#"
            //- a.xwalk
            document guide {
              title "Guide"
              clause 1 {
                provision 1.1 {}
                provision "1.2 b" {}
              }
              provision 2 {}
            }
            //- b.xwalk
            document acme { title "A" publisher "Acme" }
            document acme-2 { title "A2" publisher "Acme" }
            document other { title "O" }
            map acme:x -> guide:1.1 {}
            map acme-2:y -> guide:1.1, guide:"1.2 b" {}
            map other:z -> guide:1.1 {}
            map other:z -> guide:1 {}
            "#,
            expect![[r#"
                a.xwalk:4:15 `1.1` mapped by 3 sources from 2 organisations
                a.xwalk:5:15 `"1.2 b"` mapped by 1 source from 1 organisation
                a.xwalk:7:13 `2` mapped by 0 sources from 0 organisations
            "#]],
        );
    }

    #[test]
    fn none_without_provisions() {
        check(
            "document guide {\n  title \"Guide\"\n  clause 1 {}\n}\nmap guide:1 -> uk-cop-2018:1 {}\n",
            expect![""],
        );
    }
}
