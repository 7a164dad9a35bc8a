//! Byte offset ↔ line/column conversion for one file. Lines end at `\n`,
//! `\r\n` or a lone `\r` (`syntax::lines`), as the LSP counts them.

/// Line starts of a text, for converting byte offsets to positions.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// In lines longer than [`MARK_EVERY`] bytes, a mark every
    /// `MARK_EVERY` bytes or so: (byte offset, characters from its line's
    /// start). A column is then counted from the nearest mark, not from the
    /// line's start, so that columns on a long line cost the same wherever
    /// they are (4,096 diagnostics on one line would otherwise each count
    /// the line up to their column).
    marks: Vec<(usize, usize)>,
}

const MARK_EVERY: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let starts = crate::syntax::lines::starts(text);
        let mut marks = Vec::new();
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let (mut at, mut chars) = (start, 0);
            while end - at > MARK_EVERY {
                let mut next = at + MARK_EVERY;
                while !text.is_char_boundary(next) {
                    next += 1;
                }
                chars += text[at..next].chars().count();
                marks.push((next, chars));
                at = next;
            }
        }
        LineIndex { starts, marks }
    }

    /// The 0-based line holding `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)]
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and 1-based column counted in characters.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = clamp_to_char_boundary(text, offset);
        let line = self.line(offset);
        let start = self.starts[line];
        let (from, before) = match self.marks.partition_point(|m| m.0 <= offset) {
            0 => (start, 0),
            i if self.marks[i - 1].0 <= start => (start, 0),
            i => self.marks[i - 1],
        };
        let col = before + text[from..offset].chars().count();
        (line + 1, col + 1)
    }
}

pub use crate::syntax::lines::clamp_to_char_boundary;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        let text = "ab\n’x’ y\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        let y = text.find('y').unwrap();
        assert_eq!(idx.line_col(text, y), (2, 5));
        assert_eq!(idx.line_col(text, text.len()), (3, 1));
        // Inside a multi-byte char: clamps to its start.
        assert_eq!(idx.line_col(text, 4), (2, 1));
    }

    #[test]
    fn lines_end_at_lf_crlf_and_a_lone_cr() {
        let text = "a\rb\r\nc\nd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        let at = |c: char| idx.line_col(text, text.find(c).unwrap());
        assert_eq!(
            [at('a'), at('b'), at('c'), at('d')],
            [(1, 1), (2, 1), (3, 1), (4, 1)]
        );
        // The LF of a CRLF is still the end of its line.
        assert_eq!(idx.line_col(text, 4), (2, 3));
    }

    #[test]
    fn columns_on_long_lines_count_from_marks() {
        // Long lines of mixed widths, between short ones: every column is
        // the count of characters from its line's start.
        let long = "a’🔒b".repeat(3000);
        let text = format!("x\n{long}\ny\n{long}");
        let idx = LineIndex::new(&text);
        assert!(idx.marks.len() >= 2 * (long.len() / MARK_EVERY));
        let second = text.rfind('\n').unwrap() + 1;
        for (line, start) in [(2, 2), (4, second)] {
            for offset in (start..start + long.len()).step_by(997) {
                let offset = clamp_to_char_boundary(&text, offset);
                let want = text[start..offset].chars().count() + 1;
                assert_eq!(idx.line_col(&text, offset), (line, want), "{offset}");
            }
        }
        assert_eq!(idx.line_col(&text, second - 2), (3, 1));
    }
}
