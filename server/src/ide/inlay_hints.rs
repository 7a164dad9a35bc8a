//! Inlay hints: after a reference to a catalogued provision, its title
//! (or its clause's title, or the start of its text).

use crate::model::{FileId, Workspace};
use crate::syntax::TextRange;

use super::{OccurrenceKind, Symbol, occurrences};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint is shown (just after the reference).
    pub offset: usize,
    pub label: String,
    /// Markdown tooltip: the full text.
    pub tooltip: Option<String>,
}

const MAX_LABEL: usize = 48;

fn shorten(s: &str) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= MAX_LABEL {
        flat
    } else {
        let cut: String = flat.chars().take(MAX_LABEL - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The hints for references within `range`.
pub fn inlay_hints(ws: &Workspace, file: FileId, range: TextRange) -> Vec<InlayHint> {
    let mut out = Vec::new();
    for o in occurrences(&ws.file(file).parse.ast) {
        if o.kind != OccurrenceKind::Reference
            || o.range.end < range.start
            || o.range.start > range.end
        {
            continue;
        }
        let Symbol::Provision { document, id } = &o.symbol else {
            continue;
        };
        let Some(doc) = ws.index.document(document) else {
            continue;
        };
        let label = if let Some(p) = doc.provision(id) {
            p.title
                .clone()
                .or_else(|| {
                    p.clause
                        .as_deref()
                        .and_then(|c| doc.clause(c))
                        .and_then(|c| c.title.clone())
                })
                .or_else(|| p.text.clone())
                .map(|t| (t, p.text.clone()))
        } else {
            doc.clause(id)
                .and_then(|c| c.title.clone())
                .map(|t| (t, None))
        };
        if let Some((label, text)) = label {
            out.push(InlayHint {
                offset: o.range.end,
                label: shorten(&label),
                tooltip: text,
            });
        }
    }
    out
}
