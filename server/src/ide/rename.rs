//! Rename a document or provision id across the workspace.

use super::{FileRange, Symbol, TextEdit, occurrences, symbol_at};
use crate::model::index::is_bare;
use crate::model::schema::is_document_id;
use crate::model::{FileId, Workspace};
use crate::syntax::strings::encode_quoted;

/// Why a rename cannot be done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameError(pub String);

/// The range to rename at `offset`: the id under the cursor, when it is
/// declared in the workspace (built-in catalogs cannot be renamed).
pub fn prepare_rename(
    ws: &Workspace,
    file: FileId,
    offset: usize,
) -> Result<(FileRange, Symbol), RenameError> {
    let o =
        symbol_at(ws, file, offset).ok_or_else(|| RenameError("nothing to rename here".into()))?;
    let decl = super::definition::declaration(ws, &o.symbol).ok_or_else(|| {
        RenameError("this id is not declared anywhere, so there is nothing to rename".into())
    })?;
    if ws.file(decl.file).is_builtin() {
        return Err(RenameError(
            "this id belongs to a built-in catalog; declare the document in the workspace to rename it".into(),
        ));
    }
    Ok((
        FileRange {
            file,
            range: o.range,
        },
        o.symbol,
    ))
}

/// The edits renaming what is under `offset` to `new_name`, in every file.
pub fn rename(
    ws: &Workspace,
    file: FileId,
    offset: usize,
    new_name: &str,
) -> Result<Vec<TextEdit>, RenameError> {
    let (_, symbol) = prepare_rename(ws, file, offset)?;
    let new_text = match &symbol {
        Symbol::Document(_) => {
            if !is_document_id(new_name) {
                return Err(RenameError(format!(
                    "`{new_name}` is not a valid document id: use lowercase letters, digits, `.`, `_` and `-`"
                )));
            }
            new_name.to_string()
        }
        Symbol::Provision { .. } => {
            let unquoted = new_name
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or(new_name);
            if unquoted.trim().is_empty() {
                return Err(RenameError("an id cannot be empty".into()));
            }
            if is_bare(unquoted) {
                unquoted.to_string()
            } else {
                encode_quoted(unquoted)
            }
        }
    };
    let mut edits = Vec::new();
    for id in ws.file_ids() {
        let f = ws.file(id);
        if f.is_builtin() {
            continue;
        }
        for o in occurrences(&f.parse.ast) {
            if o.symbol == symbol {
                edits.push(TextEdit {
                    file: id,
                    range: o.range,
                    new_text: new_text.clone(),
                });
            }
        }
    }
    Ok(edits)
}
