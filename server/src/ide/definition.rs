//! Go to definition: a reference → the declaration of its document,
//! provision or clause.

use super::{FileRange, Symbol, symbol_at};
use crate::model::{FileId, Workspace};

/// Where the symbol is declared (built-in catalogs included).
pub fn declaration(ws: &Workspace, symbol: &Symbol) -> Option<FileRange> {
    match symbol {
        Symbol::Document(id) => {
            let doc = ws.index.document(id)?;
            Some(FileRange {
                file: doc.decl.file,
                range: doc.id_range.clone(),
            })
        }
        Symbol::Provision { document, id } => {
            let doc = ws.index.document(document)?;
            if let Some(p) = doc.provision(id) {
                return Some(FileRange {
                    file: p.file,
                    range: p.id_range.clone(),
                });
            }
            let c = doc.clause(id)?;
            Some(FileRange {
                file: c.file,
                range: c.id_range.clone(),
            })
        }
    }
}

/// The declaration of what is under `offset`.
pub fn goto_definition(ws: &Workspace, file: FileId, offset: usize) -> Option<FileRange> {
    let occurrence = symbol_at(ws, file, offset)?;
    declaration(ws, &occurrence.symbol)
}
