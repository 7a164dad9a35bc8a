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
        range: r.id.range.clone(),
        kind: OccurrenceKind::Reference,
    });
}

fn push_document_ref(out: &mut Vec<Occurrence>, name: &Name) {
    out.push(Occurrence {
        symbol: Symbol::Document(name.text.to_string()),
        range: name.range.clone(),
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
        range: doc.id.range.clone(),
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
            range: id.range.clone(),
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
    let first = ast.maps.partition_point(|m| m.range.end < offset);
    for map in ast.maps[first..]
        .iter()
        .take_while(|m| m.range.start <= offset)
    {
        map_occurrences(map, &mut out);
    }
    out.sort_by_key(|o| (o.range.start, o.range.end));
    out.into_iter().find(|o| around(&o.range))
}
