//! Find references: every place in the workspace that names the document
//! or provision under the cursor.

use super::{FileRange, OccurrenceKind, Symbol, occurrences, symbol_at};
use crate::model::{FileId, Workspace};

/// Every occurrence of `symbol` in the workspace's own files, in file
/// order; declarations only when asked for (built-in ones included then).
pub fn find_all(ws: &Workspace, symbol: &Symbol, include_declaration: bool) -> Vec<FileRange> {
    let mut out = Vec::new();
    for id in ws.file_ids() {
        let file = ws.file(id);
        if file.is_builtin() && !include_declaration {
            continue;
        }
        for o in occurrences(&file.parse.ast) {
            if &o.symbol != symbol {
                continue;
            }
            let wanted = match o.kind {
                OccurrenceKind::Reference => !file.is_builtin(),
                OccurrenceKind::Declaration => include_declaration,
            };
            if wanted {
                out.push(FileRange {
                    file: id,
                    range: o.range,
                });
            }
        }
    }
    out
}

pub fn find_references(
    ws: &Workspace,
    file: FileId,
    offset: usize,
    include_declaration: bool,
) -> Vec<FileRange> {
    match symbol_at(ws, file, offset) {
        Some(o) => find_all(ws, &o.symbol, include_declaration),
        None => Vec::new(),
    }
}
