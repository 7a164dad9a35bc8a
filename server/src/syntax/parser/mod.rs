//! The one Rust parser of `.xwalk` text: the AST and the syntax errors of
//! any text, read by hand, top-level piece by top-level piece.
//!
//! A line that begins a top-level block (`lexical::starts_block`) always
//! begins one: it ends an unclosed block or `"""` string before it. So the
//! text is cut at those lines ([`lexical::pieces`]) and each piece is read
//! on its own ([`read`]): an error stays inside its piece, and every other
//! piece reads as it would alone. The same property lets the edit path
//! ([`splice`]) read again only the pieces an edit touched.
//!
//! The grammar is `grammar/grammar.js` (docs/format.md); tree-sitter reads
//! it for the editors. `tests/fast_parse.rs` holds the two equal: the same
//! AST on every error-free text, and an error in the same pieces on any.

mod messages;
mod read;
pub mod splice;
#[cfg(test)]
mod tests;

use super::{MAX_TEXT_LEN, SourceFile, SyntaxError, TextRange, lexical, lines};

/// The AST and the syntax errors of `text`. A text longer than
/// [`MAX_TEXT_LEN`] is not read: its AST is empty, with one error.
pub fn read(text: &str) -> (SourceFile, Vec<SyntaxError>) {
    read_up_to(text, MAX_TEXT_LEN)
}

fn read_up_to(text: &str, limit: usize) -> (SourceFile, Vec<SyntaxError>) {
    if text.len() > limit {
        return (
            SourceFile::default(),
            vec![messages::too_long(text.len(), limit)],
        );
    }
    read_range(text, 0..text.len())
}

/// The AST of `text` when it has no syntax error; `None` otherwise.
pub fn read_clean(text: &str) -> Option<SourceFile> {
    let (ast, errors) = read(text);
    errors.is_empty().then_some(ast)
}

/// The AST and the syntax errors of the pieces of `text` within `range`
/// (which starts at 0 or at a line that begins a top-level block, and ends
/// at one or at the end of the text), with the file's ranges and lines.
pub(super) fn read_range(text: &str, range: TextRange) -> (SourceFile, Vec<SyntaxError>) {
    let bytes = text.as_bytes();
    let starts: Vec<usize> = lines::breaks(&text[range.start..range.end])
        .map(|i| range.start + i)
        .filter(|&i| i < range.end && lexical::starts_block(&bytes[i..]))
        .chain([range.end])
        .collect();
    let mut reader = read::Reader::new(text);
    // A piece holds a block or two, mostly maps: the list of maps is sized
    // once (growing it by doubling copied it each time).
    let mut ast = SourceFile {
        documents: Vec::new(),
        maps: Vec::with_capacity(starts.len()),
    };
    let mut start = range.start;
    for end in starts {
        reader.piece(start..end, &mut ast);
        start = end;
    }
    ast.documents.shrink_to_fit();
    ast.maps.shrink_to_fit();
    (ast, reader.errors)
}
