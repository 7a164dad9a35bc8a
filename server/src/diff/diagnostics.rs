//! Diagnostics introduced and fixed: `check::check` on both sides, the
//! diagnostics of the compared files matched by code, message and the text
//! they point at (not by position: a moved block changes no diagnostic).

use rustc_hash::{FxHashMap, FxHashSet};
use smallvec::SmallVec;

use super::{DiagnosticEntry, Diagnostics, Side};
use crate::check::{self, Diagnostic};
use crate::codes::Code;

/// Code, message and the texts pointed at. A diagnostic with related
/// places (a duplicate and what it duplicates, two conflicting relations)
/// says which came first, which a move can swap: it is keyed by its code
/// and the texts of all its places, in any order, not by its message.
type Key<'a> = (Code, &'a str, SmallVec<[&'a str; 2]>);

fn of_side(side: Side) -> Vec<Diagnostic> {
    let files: FxHashSet<_> = side.files.iter().copied().collect();
    check::check(side.workspace)
        .into_iter()
        .filter(|d| files.contains(&d.file))
        .collect()
}

fn key<'a>(side: Side<'a>, d: &'a Diagnostic) -> Key<'a> {
    let text = |file, range: &crate::syntax::TextRange| {
        side.workspace
            .file(file)
            .text
            .get(range.clone())
            .unwrap_or("")
    };
    let mut texts: SmallVec<[&str; 2]> = SmallVec::new();
    texts.push(text(d.file, &d.range));
    texts.extend(d.related.iter().map(|r| text(r.file, &r.range)));
    if d.related.is_empty() {
        (d.code, d.message.as_str(), texts)
    } else {
        texts.sort_unstable();
        (d.code, "", texts)
    }
}

fn entry(side: Side, d: &Diagnostic) -> DiagnosticEntry {
    let f = side.workspace.file(d.file);
    let (line, column) = f.line_index().line_col(&f.text, d.range.start);
    DiagnosticEntry {
        code: d.code.as_str().to_string(),
        severity: d.severity.as_str().to_string(),
        message: d.message.clone(),
        file: f.name.clone(),
        line,
        column,
    }
}

/// The diagnostics of `one` that `other` does not have as many of.
fn unmatched(
    one: Side,
    of_one: &[Diagnostic],
    other: Side,
    of_other: &[Diagnostic],
) -> Vec<DiagnosticEntry> {
    let mut available: FxHashMap<Key, usize> = FxHashMap::default();
    for d in of_other {
        *available.entry(key(other, d)).or_default() += 1;
    }
    of_one
        .iter()
        .filter(|d| match available.get_mut(&key(one, d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .map(|d| entry(one, d))
        .collect()
}

pub(super) fn compare(base: Side, head: Side) -> Diagnostics {
    let (old, new) = rayon::join(|| of_side(base), || of_side(head));
    Diagnostics {
        introduced: unmatched(head, &new, base, &old),
        fixed: unmatched(base, &old, head, &new),
    }
}
