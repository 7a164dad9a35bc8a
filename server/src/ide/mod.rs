//! IDE features: pure functions over the model, in byte offsets, with no
//! LSP types (the `lsp` module converts). One file per feature.

pub mod code_actions;
pub mod code_lens;
pub mod completion;
pub mod definition;
pub mod folding;
mod fuzzy;
pub mod hover;
pub mod inlay_hints;
pub mod links;
mod locate;
pub mod references;
pub mod rename;
pub mod selection;
pub mod semantic_tokens;
pub mod suggested;
pub mod symbols;

pub use locate::{Occurrence, OccurrenceKind, Symbol, occurrences, symbol_at};

use crate::model::FileId;
use crate::syntax::TextRange;

/// A range in one file of the workspace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FileRange {
    pub file: FileId,
    pub range: TextRange,
}

/// A text replacement in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub file: FileId,
    pub range: TextRange,
    pub new_text: String,
}
