//! Line ends, defined once for the whole tool: `\n`, `\r\n` and a lone
//! `\r`, as the Language Server Protocol counts them. Positions, the line
//! index, recovery, the formatter, fix-all, the grammar (comments and
//! strings end at either byte) and the renderer all read lines through
//! this module, so that a file saved with old Mac line ends (`\r` alone)
//! reads as the lines an editor shows.

/// Whether `b` is a byte of a line end (`\n` or `\r`).
pub fn is_break_byte(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// The offset just past the line end starting at `at` (`\r\n` is one line
/// end); `at` itself when no line end starts there.
pub fn skip_break(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at) {
        Some(b'\r') if bytes.get(at + 1) == Some(&b'\n') => at + 2,
        Some(b'\r' | b'\n') => at + 1,
        _ => at,
    }
}

/// The offset of the first line end at or after `from` (the end of the
/// line holding `from`), or the length of the text.
pub fn end_of_line(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    memchr::memchr2(b'\n', b'\r', &bytes[from..]).map_or(bytes.len(), |i| from + i)
}

/// The offset where the line holding `at` starts. An offset between the
/// `\r` and the `\n` of a `\r\n` belongs to the line that pair ends.
pub fn start_of_line(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = at.min(bytes.len());
    while let Some(i) = memchr::memrchr2(b'\n', b'\r', &bytes[..end]) {
        if bytes[i] == b'\r' && i + 1 == at && bytes.get(at) == Some(&b'\n') {
            // `at` is the `\n` of this `\r\n`: still that line's end.
            end = i;
            continue;
        }
        return i + 1;
    }
    0
}

/// The offsets where every line but the first starts, in order.
pub fn breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes).filter_map(move |i| {
        // The `\r` of a `\r\n` is not a line end of its own.
        (bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n')).then_some(i + 1)
    })
}

/// The 0-based line of offsets asked about in any order, counted from the
/// last one asked: asking about offsets that lie close together costs the
/// distance between them, not their distance from the start of the text.
pub struct Counter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
}

impl<'a> Counter<'a> {
    pub fn new(text: &'a str) -> Counter<'a> {
        Counter {
            bytes: text.as_bytes(),
            at: 0,
            line: 0,
        }
    }

    /// The 0-based line holding `offset` (clamped to the text).
    pub fn line(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.bytes.len());
        let (lo, hi) = (self.at.min(offset), self.at.max(offset));
        // Line starts p in (lo, hi]: p = i + 1 for a line end at i in [lo, hi).
        let n = memchr::memchr2_iter(b'\n', b'\r', &self.bytes[lo..hi])
            .filter(|&i| self.bytes[lo + i] == b'\n' || self.bytes.get(lo + i + 1) != Some(&b'\n'))
            .count();
        self.line = if offset >= self.at {
            self.line + n
        } else {
            self.line - n
        };
        self.at = offset;
        self.line
    }
}

/// The largest char boundary at or before `offset`, within the text.
pub fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The number of line ends in `text`.
pub fn count(text: &str) -> usize {
    breaks(text).count()
}

/// The offset where each line starts: 0 first, then one per line end.
pub fn starts(text: &str) -> Vec<usize> {
    let mut out = vec![0];
    out.extend(breaks(text));
    out
}

/// The lines of `text`, each with its line end (the last may have none).
/// Unlike `str::lines`, a lone `\r` ends a line.
pub fn split_inclusive(text: &str) -> impl Iterator<Item = &str> + '_ {
    let mut at = 0;
    let mut ends = breaks(text).chain(std::iter::once(text.len()));
    std::iter::from_fn(move || {
        let end = ends.next()?;
        let line = &text[at..end];
        at = end;
        (!line.is_empty()).then_some(line)
    })
}

/// The lines of `text` without their line ends, as `str::lines` reads them
/// but with a lone `\r` ending a line too.
pub fn lines(text: &str) -> impl Iterator<Item = &str> + '_ {
    split_inclusive(text).map(strip_break)
}

/// `line` without its line end.
pub fn strip_break(line: &str) -> &str {
    line.strip_suffix('\n')
        .or_else(|| line.strip_suffix('\r'))
        .map_or(line, |l| l.strip_suffix('\r').unwrap_or(l))
}

/// The first line of `text`, without its line end.
pub fn first(text: &str) -> &str {
    &text[..end_of_line(text, 0)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_three_line_ends() {
        let text = "a\nb\r\nc\rd";
        assert_eq!(starts(text), vec![0, 2, 5, 7]);
        assert_eq!(lines(text).collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        assert_eq!(
            split_inclusive(text).collect::<Vec<_>>(),
            ["a\n", "b\r\n", "c\r", "d"]
        );
        assert_eq!(count("\r\r\n\n\r"), 4);
        assert_eq!(first("ab\rc"), "ab");
        assert_eq!(end_of_line(text, 2), 3);
        assert_eq!(skip_break(text.as_bytes(), 3), 5);
        assert_eq!(skip_break(text.as_bytes(), 6), 7);
        assert_eq!(skip_break(text.as_bytes(), 0), 0);
    }

    #[test]
    fn the_lf_of_a_crlf_belongs_to_the_line_it_ends() {
        let text = "ab\r\ncd";
        assert_eq!(start_of_line(text, 3), 0);
        assert_eq!(start_of_line(text, 2), 0);
        assert_eq!(start_of_line(text, 4), 4);
        assert_eq!(start_of_line("\r\r\n", 2), 1);
    }

    #[test]
    fn the_counter_agrees_with_starts() {
        let text = "a\r\nb\rc\n\nd\r\n";
        let starts = starts(text);
        let mut counter = Counter::new(text);
        for offset in [9, 0, 4, 3, 12, 2, 5, 11, 7, 1] {
            let want = starts.partition_point(|&s| s <= offset) - 1;
            assert_eq!(counter.line(offset), want, "{offset}");
        }
    }

    proptest! {
        /// Every way of reading lines agrees with `starts`, and with
        /// `str::lines` on texts without a lone `\r`.
        #[test]
        fn readings_agree(text in "[a\r\n]{0,40}") {
            let starts = starts(&text);
            let joined: String = split_inclusive(&text).collect();
            prop_assert_eq!(&joined, &text);
            for (i, &s) in starts.iter().enumerate() {
                let end = starts.get(i + 1).copied().unwrap_or(text.len());
                for at in s..end {
                    // Offsets inside a line end belong to its line.
                    prop_assert_eq!(start_of_line(&text, at), s, "{:?} at {}", text, at);
                }
                if end > s || i + 1 == starts.len() {
                    prop_assert_eq!(end_of_line(&text, s), s + strip_break(&text[s..end]).len());
                }
            }
            if !text.replace("\r\n", "").contains('\r') {
                prop_assert_eq!(lines(&text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>());
            }
        }
    }
}
