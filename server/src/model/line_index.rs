//! Byte offset ↔ line/column conversion for one file. Lines end at `\n`,
//! `\r\n` or a lone `\r` (`syntax::lines`), as the LSP counts them.

/// Line starts of a text, for converting byte offsets to positions.
#[derive(Clone, Debug, PartialEq, Eq)]
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
        LineIndex::with_starts(text, crate::syntax::lines::starts(text))
    }

    /// The index of `new`, an edit of `old` whose index is `self`: the
    /// same as [`LineIndex::new`], with the line starts of the common start
    /// and end of the two texts taken over (moved by the change in length
    /// after the edit), and only the edited stretch read for line ends.
    /// `ends` is what the texts have in common at either end
    /// ([`CommonEnds::of`]).
    pub fn edited(&self, old: &str, new: &str, ends: CommonEnds) -> LineIndex {
        // A line start depends on the byte before it and, for `\r`, the
        // byte at it: those before the common start's end are unchanged.
        let kept = self.starts.partition_point(|&s| s < ends.prefix).max(1);
        let from = self.starts[kept - 1];
        let last_new = new.len() - ends.suffix;
        let mut starts = Vec::with_capacity(self.starts.len() + 16);
        starts.extend_from_slice(&self.starts[..kept]);
        starts.extend(
            crate::syntax::lines::breaks(&new[from..])
                .map(|s| from + s)
                .take_while(|&s| s <= last_new),
        );
        let moved = self
            .starts
            .partition_point(|&s| s <= old.len() - ends.suffix);
        let by = new.len() as isize - old.len() as isize;
        starts.extend(
            self.starts[moved..]
                .iter()
                .map(|&s| s.wrapping_add_signed(by)),
        );
        LineIndex::with_starts(new, starts)
    }

    fn with_starts(text: &str, starts: Vec<usize>) -> LineIndex {
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

use crate::syntax::ends::CommonEnds;
pub use crate::syntax::lines::clamp_to_char_boundary;

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    proptest! {
        /// The index of an edited text, taken over from the old one, is
        /// the index of the new text: whatever the line ends around the
        /// edit (a `\r` whose `\n` is inserted or removed, line ends at
        /// either end).
        #[test]
        fn an_edited_index_is_a_fresh_index(
            old in "[a\r\n’]{0,40}",
            at in 0usize..50,
            cut in 0usize..6,
            insert in "[b\r\n]{0,4}",
        ) {
            let start = clamp_to_char_boundary(&old, at.min(old.len()));
            let end = clamp_to_char_boundary(&old, (start + cut).min(old.len()));
            let new = format!("{}{insert}{}", &old[..start], &old[end..]);
            let edited = LineIndex::new(&old).edited(&old, &new, CommonEnds::of(&old, &new));
            prop_assert_eq!(edited, LineIndex::new(&new));
        }
    }

    #[test]
    fn an_edited_index_keeps_long_lines_marks() {
        let old = format!("a\n{}\nb", "x".repeat(3 * MARK_EVERY));
        let new = old.replacen('a', "ab\r", 1);
        assert_eq!(
            LineIndex::new(&old).edited(&old, &new, CommonEnds::of(&old, &new)),
            LineIndex::new(&new)
        );
    }

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
