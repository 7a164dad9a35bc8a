//! What is at an offset: the documents and provisions a file declares and
//! references, as occurrences with ranges.

use crate::model::{FileId, Workspace};
use crate::syntax::{
    Document, Endpoint, Map, Name, Reference, SourceFile, TextRange, Value, walk_clauses,
    walk_provisions,
};

/// Something that can be declared and referenced.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Symbol {
    Document(String),
    /// A provision or clause of a document.
    Provision {
        document: String,
        id: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OccurrenceKind {
    Declaration,
    Reference,
}

/// One place a symbol appears; `range` covers the id only (quotes
/// included for a quoted id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub symbol: Symbol,
    pub range: TextRange,
    pub kind: OccurrenceKind,
}

fn push_reference(out: &mut Vec<Occurrence>, r: &Reference) {
    push_document_ref(out, &r.document);
    out.push(Occurrence {
        symbol: Symbol::Provision {
            document: r.document.text.to_string(),
            id: r.id.text.to_string(),
        },
        range: r.id.range(),
        kind: OccurrenceKind::Reference,
    });
}

fn push_document_ref(out: &mut Vec<Occurrence>, name: &Name) {
    out.push(Occurrence {
        symbol: Symbol::Document(name.text.to_string()),
        range: name.range(),
        kind: OccurrenceKind::Reference,
    });
}

/// Every declaration and reference in a file, in source order.
pub fn occurrences(ast: &SourceFile) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for doc in &ast.documents {
        document_occurrences(doc, &mut out);
    }
    for map in &ast.maps {
        map_occurrences(map, &mut out);
    }
    out.sort_by_key(|o| (o.range.start, o.range.end));
    out
}

/// The declarations and references of a `document` block.
fn document_occurrences(doc: &Document, out: &mut Vec<Occurrence>) {
    out.push(Occurrence {
        symbol: Symbol::Document(doc.id.text.to_string()),
        range: doc.id.range(),
        kind: OccurrenceKind::Declaration,
    });
    for field in &doc.fields {
        for value in &field.values {
            match value {
                Value::Word(w) if matches!(field.name.text.as_str(), "supersedes" | "cites") => {
                    push_document_ref(out, w)
                }
                Value::Reference(r) => push_reference(out, r),
                _ => {}
            }
        }
    }
    let declare = |out: &mut Vec<Occurrence>, id: &Name| {
        out.push(Occurrence {
            symbol: Symbol::Provision {
                document: doc.id.text.to_string(),
                id: id.text.to_string(),
            },
            range: id.range(),
            kind: OccurrenceKind::Declaration,
        })
    };
    walk_clauses(&doc.clauses, &mut |c| {
        declare(out, &c.id);
        for f in &c.fields {
            for v in &f.values {
                if let Value::Reference(r) = v {
                    push_reference(out, r);
                }
            }
        }
    });
    walk_provisions(&doc.clauses, &doc.provisions, &mut |p| {
        declare(out, &p.id);
        for f in &p.fields {
            for v in &f.values {
                if let Value::Reference(r) = v {
                    push_reference(out, r);
                }
            }
        }
    });
}

/// The references of a `map` block's source and targets.
fn map_occurrences(map: &Map, out: &mut Vec<Occurrence>) {
    for endpoint in std::iter::once(&map.source).chain(&map.targets) {
        match endpoint {
            Endpoint::Document(name) => push_document_ref(out, name),
            Endpoint::Reference(r) => push_reference(out, r),
        }
    }
}

/// The occurrence under `offset` (touching its start or end counts).
///
/// Only the blocks around `offset` are looked at: a hover or a definition
/// in a file of thousands of maps costs no more than in a small one.
pub fn symbol_at(ws: &Workspace, file: FileId, offset: usize) -> Option<Occurrence> {
    let ast = &ws.file(file).parse.ast;
    let around = |r: &TextRange| r.start <= offset && offset <= r.end;
    let mut out = Vec::new();
    for doc in ast.documents.iter().filter(|d| around(&d.range)) {
        document_occurrences(doc, &mut out);
    }
    // Maps are in source order and do not overlap.
    let first = ast.maps.partition_point(|m| m.block_range().end < offset);
    for map in ast.maps[first..]
        .iter()
        .take_while(|m| m.block_range().start <= offset)
    {
        map_occurrences(map, &mut out);
    }
    out.sort_by_key(|o| (o.range.start, o.range.end));
    out.into_iter().find(|o| around(&o.range))
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture::Fixture;

    fn check_occurrences(fixture: &str, expect: Expect) {
        let fx = Fixture::parse(fixture);
        let file = fx.main();
        let actual: String = occurrences(&fx.ws.file(file).parse.ast)
            .iter()
            .map(|o| format!("{:?} {:?} {}\n", o.kind, o.symbol, fx.show(file, &o.range)))
            .collect();
        expect.assert_eq(&actual);
    }

    fn check_symbol_at(fixture: &str, expect: Expect) {
        let fx = Fixture::parse(fixture);
        let (file, offset) = fx.position();
        let actual = match symbol_at(&fx.ws, file, offset) {
            Some(o) => format!("{:?} {:?} {}", o.kind, o.symbol, fx.show(file, &o.range)),
            None => "nothing".to_string(),
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn every_declaration_and_reference_in_source_order() {
        check_occurrences(
            r#"
            document guide {
              title "Guide"
              supersedes old-guide
              cites uk-cop-2018, etsi-en-303-645
              clause 1 "Passwords" {
                provision "1 a" { replaces old-guide:1 }
              }
            }
            map guide:"1 a" -> uk-cop-2018:1, etsi-en-303-645 {}
            "#,
            expect![[r#"
                Declaration Document("guide") main.xwalk:1:10 `guide`
                Reference Document("old-guide") main.xwalk:3:14 `old-guide`
                Reference Document("uk-cop-2018") main.xwalk:4:9 `uk-cop-2018`
                Reference Document("etsi-en-303-645") main.xwalk:4:22 `etsi-en-303-645`
                Declaration Provision { document: "guide", id: "1" } main.xwalk:5:10 `1`
                Declaration Provision { document: "guide", id: "1 a" } main.xwalk:6:15 `"1 a"`
                Reference Document("old-guide") main.xwalk:6:32 `old-guide`
                Reference Provision { document: "old-guide", id: "1" } main.xwalk:6:42 `1`
                Reference Document("guide") main.xwalk:9:5 `guide`
                Reference Provision { document: "guide", id: "1 a" } main.xwalk:9:11 `"1 a"`
                Reference Document("uk-cop-2018") main.xwalk:9:20 `uk-cop-2018`
                Reference Provision { document: "uk-cop-2018", id: "1" } main.xwalk:9:32 `1`
                Reference Document("etsi-en-303-645") main.xwalk:9:35 `etsi-en-303-645`
            "#]],
        );
    }

    #[test]
    fn symbol_at_the_start_and_the_end_of_an_id() {
        check_symbol_at(
            "map $0vendor:1 -> uk-cop-2018:1 {}\n",
            expect![[r#"Reference Document("vendor") main.xwalk:1:5 `vendor`"#]],
        );
        check_symbol_at(
            "map vendor:1 -> uk-cop-2018$0:1 {}\n",
            expect![[r#"Reference Document("uk-cop-2018") main.xwalk:1:17 `uk-cop-2018`"#]],
        );
        // Right after the colon: the id, not the document before it.
        check_symbol_at(
            "map vendor:1 -> uk-cop-2018:$01 {}\n",
            expect![[
                r#"Reference Provision { document: "uk-cop-2018", id: "1" } main.xwalk:1:29 `1`"#
            ]],
        );
        check_symbol_at(
            "map vendor:1 -> uk-cop-2018:1$0 {}\n",
            expect![[
                r#"Reference Provision { document: "uk-cop-2018", id: "1" } main.xwalk:1:29 `1`"#
            ]],
        );
    }

    #[test]
    fn nothing_on_keywords_fields_comments_and_strings() {
        for fixture in [
            "ma$0p vendor:1 -> uk-cop-2018:1 {}\n",
            "map vendor:1 -> uk-cop-2018:1 {\n  rel$0ation equal-to\n}\n",
            "# uk-cop-$02018:1\n",
            "document d {\n  title \"uk-cop-$02018\"\n}\n",
            "",
        ] {
            let fixture = if fixture.is_empty() { "$0" } else { fixture };
            check_symbol_at(fixture, expect!["nothing"]);
        }
    }

    #[test]
    fn symbol_at_in_a_broken_file() {
        check_symbol_at("map vendor:1 -> uk-cop-2018:$0\nmap x", expect!["nothing"]);
        check_symbol_at(
            "document d {\n  provision 1 {\n    replaces old:$02\n",
            expect![[r#"Reference Provision { document: "old", id: "2" } main.xwalk:3:18 `2`"#]],
        );
    }
}
