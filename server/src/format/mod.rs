//! The formatter: one canonical layout for `.xwalk` files.
//!
//! A pure function from source text to formatted text. It works on the
//! tree-sitter tree (which keeps comments; the AST does not), changes only
//! layout, and keeps every value and every comment. A file with syntax
//! errors is refused: its tree cannot be trusted to hold what the author
//! meant, so it is never rewritten. The layout is specified in
//! docs/format.md ("Canonical layout").
//!
//! The CLI (`xwalk fmt`) and the language server (document and range
//! formatting) call the same functions:
//!
//! * [`format_source`] formats a whole file;
//! * [`format_parse`] does the same from an existing [`Parse`] (the language
//!   server keeps one per open document);
//! * [`format_range`] formats only the entries that a byte range touches
//!   and returns one replacement; see its documentation.

mod printer;

use std::fmt;

use crate::syntax::{self, Parse, SyntaxError, TextRange};
use tree_sitter::Tree;

/// Spaces per nesting level.
pub const INDENT_WIDTH: usize = 2;

/// Lists (map targets, field values) longer than this, counted in
/// characters from the start of the line, are written one item per line.
pub const MAX_WIDTH: usize = 100;

/// Why a file was not formatted: it has syntax errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    /// Every syntax error of the file, in source order (never empty).
    pub errors: Vec<SyntaxError>,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; files with syntax errors are not formatted",
            crate::plural::plural(self.errors.len(), "syntax error", "syntax errors")
        )
    }
}

impl std::error::Error for FormatError {}

/// Formats a whole file. Returns the canonical text, or the syntax errors
/// that prevent formatting.
pub fn format_source(text: &str) -> Result<String, FormatError> {
    let parse = syntax::parse(text);
    format_parse(text, &parse, &parse.tree_or_parse(text))
}

/// Formats a whole file from its parse and tree (both must be of `text`).
pub fn format_parse(text: &str, parse: &Parse, tree: &Tree) -> Result<String, FormatError> {
    refuse_errors(parse, tree)?;
    Ok(printer::print(text, tree).text)
}

/// One replacement: put `text` in place of the bytes `range` of the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeEdit {
    pub range: TextRange,
    pub text: String,
}

impl RangeEdit {
    /// The source with the edit applied.
    pub fn apply(&self, source: &str) -> String {
        let mut out = String::with_capacity(source.len() + self.text.len());
        out.push_str(&source[..self.range.start]);
        out.push_str(&self.text);
        out.push_str(&source[self.range.end..]);
        out
    }
}

/// Formats the entries that `range` (bytes of `text`) touches.
///
/// An *entry* is a top-level `document` or `map`, a field, a clause, a
/// provision, or a comment on its own line. The touched entries are found
/// at the deepest level that holds the whole range: a range inside one
/// provision formats that provision only, a range across two clauses
/// formats both clauses. The entries are replaced, from the start of the
/// line of the first to the end of the last (with its trailing comment), by
/// exactly the text [`format_source`] gives them, so formatting a range and
/// then the whole file gives the same result as formatting the whole file.
/// Blank lines and comments outside the entries are left alone.
///
/// Returns `Ok(None)` when the range touches no entry or the entries are
/// already formatted. Like [`format_source`], a file with any syntax error
/// is refused.
pub fn format_range(text: &str, range: TextRange) -> Result<Option<RangeEdit>, FormatError> {
    let parse = syntax::parse(text);
    format_range_parse(text, &parse, &parse.tree_or_parse(text), range)
}

/// [`format_range`] from an existing parse and tree of `text`.
pub fn format_range_parse(
    text: &str,
    parse: &Parse,
    tree: &Tree,
    range: TextRange,
) -> Result<Option<RangeEdit>, FormatError> {
    refuse_errors(parse, tree)?;
    let printed = printer::print(text, tree);
    let Some((src, out)) = printed.covering(&range) else {
        return Ok(None);
    };
    // Take in the indentation before the first entry and the spaces after
    // the last when they are alone on their lines (in the source and so in
    // the output, where every entry has lines of its own).
    let (mut src, mut out) = (src, out);
    if let Some(start) = line_start(text, src.start) {
        src.start = start;
        out.start = line_start(&printed.text, out.start).unwrap_or(out.start);
    }
    if let Some(end) = line_end(text, src.end) {
        src.end = end;
        out.end = line_end(&printed.text, out.end).unwrap_or(out.end);
    }
    let replacement = &printed.text[out];
    if &text[src.clone()] == replacement {
        return Ok(None);
    }
    Ok(Some(RangeEdit {
        range: src,
        text: replacement.to_string(),
    }))
}

fn refuse_errors(parse: &Parse, tree: &Tree) -> Result<(), FormatError> {
    if !parse.errors.is_empty() {
        return Err(FormatError {
            errors: parse.errors.clone(),
        });
    }
    if tree.root_node().has_error() {
        // Lowering reports every ERROR and MISSING node; this is a guard in
        // case a future grammar adds a kind it does not know.
        return Err(FormatError {
            errors: vec![SyntaxError {
                range: 0..0,
                message: "the file does not parse".into(),
                help: None,
            }],
        });
    }
    Ok(())
}

/// The start of the line holding `pos`, when only spaces and tabs stand
/// before `pos` on it.
fn line_start(text: &str, pos: usize) -> Option<usize> {
    let before = text[..pos].trim_end_matches([' ', '\t']);
    (before.is_empty() || before.ends_with(['\n', '\r'])).then_some(before.len())
}

/// The end of the line holding `pos` (before its line end, but after the
/// `\r` of a `\r\n`: the output's line ends are `\n`), when only spaces and
/// tabs follow `pos` on it.
fn line_end(text: &str, pos: usize) -> Option<usize> {
    let rest = text[pos..].trim_start_matches([' ', '\t']);
    let rest = rest
        .strip_prefix('\r')
        .filter(|r| r.starts_with('\n'))
        .unwrap_or(rest);
    (rest.is_empty() || rest.starts_with(['\n', '\r'])).then_some(text.len() - rest.len())
}

#[cfg(test)]
mod tests;
