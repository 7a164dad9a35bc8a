//! Positions: byte offsets ↔ LSP positions, in the negotiated encoding.

use tower_lsp_server::ls_types::{Position, Range};

use crate::model::line_index::clamp_to_char_boundary;
use crate::model::{LineIndex, SourceFile};
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
        position(&file.text, &file.lines, r.start, enc),
        position(&file.text, &file.lines, r.end, enc),
    )
}

pub fn text_range(file: &SourceFile, r: Range, enc: Encoding) -> TextRange {
    let start = offset(&file.text, &file.lines, r.start, enc);
    let end = offset(&file.text, &file.lines, r.end, enc);
    start.min(end)..end.max(start)
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
