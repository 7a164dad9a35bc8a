//! Every conversion between the `ide`/`check` results and LSP types:
//! byte offsets ↔ positions in the negotiated encoding, files ↔ URIs,
//! diagnostics, edits, kinds, selection chains and semantic tokens. Pure
//! functions: nothing here locks, logs or writes a file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types::*;

use crate::check::{self, Severity};
use crate::ide;
use crate::model::line_index::clamp_to_char_boundary;
use crate::model::{FileId, LineIndex, SourceFile, Workspace};
use crate::syntax::TextRange;

/// How `Position::character` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

/// The position of a byte offset (clamped to the text).
pub fn position(text: &str, lines: &LineIndex, offset: usize, enc: Encoding) -> Position {
    let offset = clamp_to_char_boundary(text, offset);
    let line = lines.line(offset);
    let start = lines.line_start(line);
    let character = match enc {
        Encoding::Utf8 => offset - start,
        Encoding::Utf16 => text[start..offset].chars().map(char::len_utf16).sum(),
    };
    Position::new(line as u32, character as u32)
}

/// The byte offset of a position. A line past the end means the end of the
/// text; a character past the end of its line means the end of the line;
/// a position inside a character means its start.
pub fn offset(text: &str, lines: &LineIndex, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= lines.line_count() {
        return text.len();
    }
    let start = lines.line_start(line);
    let end = if line + 1 < lines.line_count() {
        lines.line_start(line + 1) - 1
    } else {
        text.len()
    };
    let line_text = &text[start..end];
    let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
    let want = pos.character as usize;
    match enc {
        Encoding::Utf8 => start + clamp_to_char_boundary(line_text, want),
        Encoding::Utf16 => {
            let mut units = 0;
            for (i, c) in line_text.char_indices() {
                if units >= want {
                    return start + i;
                }
                units += c.len_utf16();
                if units > want {
                    return start + i;
                }
            }
            start + line_text.len()
        }
    }
}

pub fn range(file: &SourceFile, r: &TextRange, enc: Encoding) -> Range {
    Range::new(
        position(&file.text, file.line_index(), r.start, enc),
        position(&file.text, file.line_index(), r.end, enc),
    )
}

pub fn text_range(file: &SourceFile, r: Range, enc: Encoding) -> TextRange {
    let start = offset(&file.text, file.line_index(), r.start, enc);
    let end = offset(&file.text, file.line_index(), r.end, enc);
    start.min(end)..end.max(start)
}

/// The file path of a `file:` URI.
pub fn uri_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

/// The folder holding the read-only copies of the built-in catalogs (this
/// version's), under the cache folder.
pub fn catalog_dir(cache_dir: &Path) -> PathBuf {
    cache_dir.join(format!("builtin-catalogs-{}", env!("CARGO_PKG_VERSION")))
}

/// The URI of a file: its path, or for a built-in catalog, its copy in the
/// cache folder (written when the workspace loaded, see
/// `lifecycle::write_catalogs`).
pub fn file_uri(f: &SourceFile, cache_dir: &Path) -> Option<Uri> {
    if !f.is_builtin() {
        return Uri::from_file_path(&f.path);
    }
    let name = f.name.strip_prefix("builtin:")?;
    Uri::from_file_path(catalog_dir(cache_dir).join(name))
}

/// Diagnostics sent per file at most: a generated or pasted file with a
/// million problems must not flood the editor.
pub const MAX_PER_FILE: usize = 1000;

/// One diagnostic; `location` gives the related locations' URIs.
pub fn diagnostic(
    ws: &Workspace,
    d: &check::Diagnostic,
    enc: Encoding,
    location: &dyn Fn(&ide::FileRange) -> Option<Location>,
) -> Diagnostic {
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info | Severity::Off => DiagnosticSeverity::INFORMATION,
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            Some(DiagnosticRelatedInformation {
                location: location(&ide::FileRange {
                    file: r.file,
                    range: r.range.clone(),
                })?,
                message: r.message.clone(),
            })
        })
        .collect();
    Diagnostic {
        range: range(ws.file(d.file), &d.range, enc),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        code_description: None,
        source: Some("xwalk".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// One file's diagnostics, at most [`MAX_PER_FILE`] (then one note saying
/// how many more).
pub fn diagnostics(
    ws: &Workspace,
    file: FileId,
    ds: &[check::Diagnostic],
    enc: Encoding,
    location: &dyn Fn(&ide::FileRange) -> Option<Location>,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = ds
        .iter()
        .take(MAX_PER_FILE)
        .map(|d| diagnostic(ws, d, enc, location))
        .collect();
    if ds.len() > MAX_PER_FILE {
        out.push(Diagnostic {
            range: range(ws.file(file), &(0..0), enc),
            severity: Some(DiagnosticSeverity::INFORMATION),
            source: Some("xwalk".into()),
            message: format!(
                "{} more diagnostics in this file are not shown; run `xwalk check` for all of them",
                ds.len() - MAX_PER_FILE
            ),
            ..Diagnostic::default()
        });
    }
    out
}

/// The one `WorkspaceEdit` builder: edits grouped by URI, in the order
/// given. An edit to a file without a URI fails the whole edit (`None`):
/// half a rename is worse than none.
pub fn workspace_edit(
    edits: &[ide::TextEdit],
    uri: impl Fn(FileId) -> Option<Uri>,
    range: impl Fn(FileId, &TextRange) -> Range,
) -> Option<WorkspaceEdit> {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for e in edits {
        changes.entry(uri(e.file)?).or_default().push(TextEdit {
            range: range(e.file, &e.range),
            new_text: e.new_text.clone(),
        });
    }
    Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

pub fn completion_kind(k: ide::completion::CompletionKind) -> CompletionItemKind {
    use ide::completion::CompletionKind as K;
    match k {
        K::Document => CompletionItemKind::MODULE,
        K::Provision => CompletionItemKind::REFERENCE,
        K::Clause => CompletionItemKind::FOLDER,
        K::Field => CompletionItemKind::FIELD,
        K::Value => CompletionItemKind::ENUM_MEMBER,
        K::Keyword => CompletionItemKind::KEYWORD,
    }
}

pub fn symbol_kind(k: ide::symbols::SymbolKind) -> SymbolKind {
    match k {
        ide::symbols::SymbolKind::Document => SymbolKind::MODULE,
        ide::symbols::SymbolKind::Clause => SymbolKind::NAMESPACE,
        ide::symbols::SymbolKind::Provision => SymbolKind::CONSTANT,
        ide::symbols::SymbolKind::Mapping => SymbolKind::EVENT,
    }
}

/// A selection chain, innermost first, as nested `SelectionRange`s (the
/// `ide` function caps its length, so the nesting stays shallow).
pub fn selection_chain(ranges: Vec<Range>, at: Position) -> SelectionRange {
    let mut parent: Option<Box<SelectionRange>> = None;
    for range in ranges.into_iter().rev() {
        parent = Some(Box::new(SelectionRange { range, parent }));
    }
    parent.map(|b| *b).unwrap_or(SelectionRange {
        range: Range::new(at, at),
        parent: None,
    })
}

/// Positions of offsets asked about in increasing order, each counted from
/// the one before when both lie on one line: the positions of every token
/// of a line cost that line once, not once per token.
struct Positions<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    enc: Encoding,
    offset: usize,
    line: usize,
    character: usize,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str, lines: &'a LineIndex, enc: Encoding) -> Self {
        Positions {
            text,
            lines,
            enc,
            offset: 0,
            line: 0,
            character: 0,
        }
    }

    fn at(&mut self, offset: usize) -> Position {
        let offset = clamp_to_char_boundary(self.text, offset);
        let line = self.lines.line(offset);
        if line != self.line || offset < self.offset {
            self.line = line;
            self.offset = self.lines.line_start(line);
            self.character = 0;
        }
        let between = &self.text[self.offset..offset];
        self.character += match self.enc {
            Encoding::Utf8 => between.len(),
            Encoding::Utf16 => between.chars().map(char::len_utf16).sum(),
        };
        self.offset = offset;
        Position::new(line as u32, self.character as u32)
    }
}

/// Semantic tokens in LSP's relative encoding; a token over several lines
/// is split into one per line (not every client supports multi-line ones).
pub fn semantic_tokens(
    f: &SourceFile,
    tokens: &[ide::semantic_tokens::Token],
    enc: Encoding,
) -> Vec<SemanticToken> {
    let mut data = Vec::new();
    let mut positions = Positions::new(&f.text, f.line_index(), enc);
    let (mut prev_line, mut prev_start) = (0u32, 0u32);
    let bytes = f.text.as_bytes();
    for token in tokens {
        let mut start = token.range.start;
        let end = token.range.end.min(bytes.len());
        while start < end {
            let line_end =
                memchr::memchr2(b'\n', b'\r', &bytes[start..end]).map_or(end, |i| start + i);
            if line_end > start {
                let s = positions.at(start);
                let e = positions.at(line_end);
                let delta_line = s.line - prev_line;
                let delta_start = if delta_line == 0 {
                    s.character - prev_start
                } else {
                    s.character
                };
                data.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length: e.character - s.character,
                    token_type: token.kind.index(),
                    token_modifiers_bitset: 0,
                });
                prev_line = s.line;
                prev_start = s.character;
            }
            start = crate::syntax::lines::skip_break(bytes, line_end).max(line_end + 1);
        }
    }
    data
}

/// The edit turning `old` into `new`: one replacement of the differing
/// middle (in units of u32, five per token, as LSP counts).
pub fn token_edits(old: &[SemanticToken], new: &[SemanticToken]) -> Vec<SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let old_mid = &old[prefix..old.len() - suffix];
    let new_mid = &new[prefix..new.len() - suffix];
    if old_mid.is_empty() && new_mid.is_empty() {
        return Vec::new();
    }
    vec![SemanticTokensEdit {
        start: (prefix * 5) as u32,
        delete_count: (old_mid.len() * 5) as u32,
        data: Some(new_mid.to_vec()),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_utf8_round_trip() {
        let text = "ab\n’x🔒y\nend";
        let lines = LineIndex::new(text);
        let y = text.find('y').unwrap();
        assert_eq!(
            position(text, &lines, y, Encoding::Utf16),
            Position::new(1, 4)
        );
        assert_eq!(
            position(text, &lines, y, Encoding::Utf8),
            Position::new(1, 8)
        );
        assert_eq!(
            offset(text, &lines, Position::new(1, 4), Encoding::Utf16),
            y
        );
        assert_eq!(offset(text, &lines, Position::new(1, 8), Encoding::Utf8), y);
        // Inside the surrogate pair: the start of the emoji.
        let lock = text.find('🔒').unwrap();
        assert_eq!(
            offset(text, &lines, Position::new(1, 3), Encoding::Utf16),
            lock
        );
        // Past the end of a line, and past the end of the file.
        assert_eq!(
            offset(text, &lines, Position::new(0, 99), Encoding::Utf16),
            2
        );
        assert_eq!(
            offset(text, &lines, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
        assert_eq!(
            offset(text, &lines, Position::new(1, 2), Encoding::Utf8),
            text.find('’').unwrap()
        );
    }
}
