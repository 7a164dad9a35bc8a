//! Document symbols (documents › clauses › provisions; mappings) and
//! workspace symbols (fuzzy over every document and provision).

use super::fuzzy::Fuzzy;
use crate::model::index::EndpointKey;
use crate::model::{FileId, Workspace};
use crate::syntax::{Clause, Provision, TextRange};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Document,
    Clause,
    Provision,
    Mapping,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole construct.
    pub range: TextRange,
    /// The id.
    pub selection: TextRange,
    pub children: Vec<DocumentSymbol>,
}

fn provision_symbol(p: &Provision) -> DocumentSymbol {
    DocumentSymbol {
        name: p.id.text.to_string(),
        detail: p.title.as_ref().map(|t| t.value.to_string()),
        kind: SymbolKind::Provision,
        range: p.range.clone(),
        selection: p.id.range(),
        children: Vec::new(),
    }
}

fn clause_symbol(c: &Clause) -> DocumentSymbol {
    let mut children: Vec<DocumentSymbol> = c.provisions.iter().map(provision_symbol).collect();
    children.extend(c.clauses.iter().map(clause_symbol));
    children.sort_by_key(|s| s.range.start);
    DocumentSymbol {
        name: c.id.text.to_string(),
        detail: c.title.as_ref().map(|t| t.value.to_string()),
        kind: SymbolKind::Clause,
        range: c.range.clone(),
        selection: c.id.range(),
        children,
    }
}

pub fn document_symbols(ws: &Workspace, file: FileId) -> Vec<DocumentSymbol> {
    let ast = &ws.file(file).parse.ast;
    let mut out: Vec<DocumentSymbol> = ast
        .documents
        .iter()
        .map(|d| {
            let mut children: Vec<DocumentSymbol> =
                d.provisions.iter().map(provision_symbol).collect();
            children.extend(d.clauses.iter().map(clause_symbol));
            children.sort_by_key(|s| s.range.start);
            DocumentSymbol {
                name: d.id.text.to_string(),
                detail: crate::model::index::field_text(&d.fields, "title").map(str::to_string),
                kind: SymbolKind::Document,
                range: d.range.clone(),
                selection: d.id.range(),
                children,
            }
        })
        .collect();
    out.extend(ast.maps.iter().map(|m| {
        let targets: Vec<String> = m
            .targets
            .iter()
            .map(|t| EndpointKey::of(t).to_string())
            .collect();
        DocumentSymbol {
            name: EndpointKey::of(&m.source).to_string(),
            detail: Some(format!("-> {}", targets.join(", "))),
            kind: SymbolKind::Mapping,
            range: m.range(),
            selection: m.source.range(),
            children: Vec::new(),
        }
    }));
    out.sort_by_key(|s| s.range.start);
    out
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    /// The document a provision belongs to.
    pub container: Option<String>,
    pub file: FileId,
    pub range: TextRange,
}

/// Documents and provisions matching `query` (fuzzy on the id, by word on
/// the title), best first, at most `limit`.
pub fn workspace_symbols(ws: &Workspace, query: &str, limit: usize) -> Vec<WorkspaceSymbol> {
    let mut fuzzy = Fuzzy::new(query);
    let mut scored: Vec<(u32, WorkspaceSymbol)> = Vec::new();
    let mut docs: Vec<_> = ws.index.documents.values().collect();
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    for doc in docs {
        let mut consider = |name: &str,
                            title: Option<&str>,
                            kind,
                            container: Option<String>,
                            file,
                            range: TextRange| {
            let score = if fuzzy.is_empty() {
                Some(0)
            } else {
                fuzzy
                    .score(name)
                    .map(|s| s + 1000)
                    .or_else(|| title.filter(|t| fuzzy.words_match(t)).map(|_| 500))
            };
            if let Some(score) = score {
                let name = match title {
                    Some(t) => format!("{name} {t}"),
                    None => name.to_string(),
                };
                scored.push((
                    score,
                    WorkspaceSymbol {
                        name,
                        kind,
                        container,
                        file,
                        range,
                    },
                ));
            }
        };
        consider(
            &doc.id,
            doc.title.as_deref(),
            SymbolKind::Document,
            None,
            doc.decl.file,
            doc.id_range.clone(),
        );
        for p in &doc.provisions {
            consider(
                &p.id,
                p.title.as_deref(),
                SymbolKind::Provision,
                Some(doc.id.clone()),
                p.file,
                p.id_range.clone(),
            );
        }
        for c in &doc.clauses {
            consider(
                &c.id,
                c.title.as_deref(),
                SymbolKind::Clause,
                Some(doc.id.clone()),
                c.file,
                c.id_range.clone(),
            );
        }
    }
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    scored.into_iter().take(limit).map(|(_, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture::Fixture;

    fn render(
        fx: &Fixture,
        file: FileId,
        symbols: &[DocumentSymbol],
        depth: usize,
        out: &mut String,
    ) {
        for s in symbols {
            let (range_start, range_end) = (fx.at(file, s.range.start), fx.at(file, s.range.end));
            out.push_str(&format!(
                "{}{:?} {} {}{} [{range_start}..{}]\n",
                "  ".repeat(depth),
                s.kind,
                s.name,
                fx.show(file, &s.selection),
                s.detail
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default(),
                range_end
                    .rsplit_once(".xwalk:")
                    .map_or(range_end.as_str(), |(_, p)| p),
            ));
            render(fx, file, &s.children, depth + 1, out);
        }
    }

    fn check_outline(fixture: &str, expect: Expect) {
        let fx = Fixture::parse(fixture);
        let mut out = String::new();
        render(
            &fx,
            fx.main(),
            &document_symbols(&fx.ws, fx.main()),
            0,
            &mut out,
        );
        expect.assert_eq(&out);
    }

    fn check_search(fixture: &str, query: &str, limit: usize, expect: Expect) {
        let fx = Fixture::parse(fixture);
        let actual: String = workspace_symbols(&fx.ws, query, limit)
            .iter()
            .map(|s| {
                format!(
                    "{:?} {} in {} at {}\n",
                    s.kind,
                    s.name,
                    s.container.as_deref().unwrap_or("-"),
                    fx.at(s.file, s.range.start)
                )
            })
            .collect();
        expect.assert_eq(&actual);
    }

    #[test]
    fn outline_nests_clauses_and_provisions_in_source_order() {
        check_outline(
            r#"
            map guide:1 -> uk-cop-2018:1, uk-cop-2018:2 {}
            document guide {
              title "Guide"
              provision 0 "Scope" {}
              clause 1 "Passwords" {
                clause 1.1 {
                  provision 1.1-1 {}
                }
                provision 1-1 "Unique" {}
              }
            }
            "#,
            expect![[r#"
                Mapping guide:1 main.xwalk:1:5 `guide:1` (-> uk-cop-2018:1, uk-cop-2018:2) [main.xwalk:1:1..1:47]
                Document guide main.xwalk:2:10 `guide` (Guide) [main.xwalk:2:1..11:2]
                  Provision 0 main.xwalk:4:13 `0` (Scope) [main.xwalk:4:3..4:25]
                  Clause 1 main.xwalk:5:10 `1` (Passwords) [main.xwalk:5:3..10:4]
                    Clause 1.1 main.xwalk:6:12 `1.1` [main.xwalk:6:5..8:6]
                      Provision 1.1-1 main.xwalk:7:17 `1.1-1` [main.xwalk:7:7..7:25]
                    Provision 1-1 main.xwalk:9:15 `1-1` (Unique) [main.xwalk:9:5..9:30]
            "#]],
        );
    }

    #[test]
    fn outline_of_a_broken_file_keeps_what_parsed() {
        check_outline(
            "document guide {\n  title \"Guide\"\n  provision 1 {\n",
            expect![[r#"
                Document guide main.xwalk:1:10 `guide` (Guide) [main.xwalk:1:1..3:16]
                  Provision 1 main.xwalk:3:13 `1` [main.xwalk:3:3..3:16]
            "#]],
        );
    }

    #[test]
    fn workspace_search_fuzzy_on_ids_by_word_on_titles() {
        let fixture = r#"
            //- a.xwalk
            document vendor-guide {
              title "Vendor guide"
              provision 1 "Unique passwords" {}
            }
        "#;
        check_search(
            fixture,
            "vendgui",
            3,
            expect![[r#"
                Document vendor-guide Vendor guide in - at a.xwalk:1:10
            "#]],
        );
        // Not an id: every query word starts a word of the title.
        check_search(
            fixture,
            "unique pass",
            3,
            expect![[r#"
                Provision 1 Unique passwords in vendor-guide at a.xwalk:3:13
            "#]],
        );
        check_search(fixture, "zzzzqqq", 3, expect![""]);
    }

    #[test]
    fn workspace_search_with_an_empty_query_is_limited() {
        let fx = Fixture::parse("document a {\n  title \"A\"\n}\n");
        assert_eq!(workspace_symbols(&fx.ws, "", 5).len(), 5);
        assert!(workspace_symbols(&fx.ws, "", 100_000).len() > 100);
    }
}
