//! The lexical rules of the format, in one place: what a bare word is and
//! where a top-level block begins. The tree-sitter grammar
//! (`grammar/grammar.js`, `WORD`) states the same word rule; every Rust
//! path (the parser, its help texts, the model's `is_bare`, completion)
//! asks this module.

/// Can a bare word (an id, a field name, a bare value) start with `b`?
pub fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Can a bare word continue with `b`? (`[A-Za-z0-9._-]`)
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

/// [`is_word_byte`] for a character (false for anything beyond ASCII).
pub fn is_word_char(c: char) -> bool {
    c.is_ascii() && is_word_byte(c as u8)
}

/// The length of the bare word at the start of `bytes` (0 when none
/// starts there).
pub fn word_len(bytes: &[u8]) -> usize {
    match bytes.first() {
        Some(&b) if is_word_start(b) => bytes
            .iter()
            .position(|&b| !is_word_byte(b))
            .unwrap_or(bytes.len()),
        _ => 0,
    }
}

/// Can `id` be written without quotes (is it one bare word)?
pub fn is_bare(id: &str) -> bool {
    !id.is_empty() && word_len(id.as_bytes()) == id.len()
}

/// The keywords that begin a top-level block.
pub const TOP_LEVEL_KEYWORDS: [&str; 2] = ["document", "map"];

/// Does the line starting at `line` (the text after a line break, or the
/// whole text) begin a top-level block? It does when it starts, in its
/// first column, with `document` or `map` followed by whitespace, a `#` or
/// the end of the text. Such a line always begins a new block: it ends an
/// unclosed block or `"""` string before it (docs/format.md, "Top-level
/// lines and recovery").
pub fn starts_block(line: &[u8]) -> bool {
    TOP_LEVEL_KEYWORDS.iter().any(|k| {
        line.starts_with(k.as_bytes())
            && line
                .get(k.len())
                .is_none_or(|&b| b.is_ascii_whitespace() || b == b'#')
    })
}

/// The byte offsets of the lines that begin a top-level block (see
/// [`starts_block`]), in order.
pub fn block_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    std::iter::once(0)
        .chain(super::lines::breaks(text))
        .filter(move |&i| starts_block(&bytes[i..]))
}

/// The text cut into top-level pieces at [`block_starts`]: consecutive
/// ranges that cover the whole text (the first one starts at 0 and may hold
/// only comments and whitespace). An empty text gives one empty range.
pub fn pieces(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut cuts: Vec<usize> = block_starts(text).filter(|&i| i > 0).collect();
    cuts.push(text.len());
    let mut start = 0;
    cuts.into_iter()
        .map(|end| {
            let piece = start..end;
            start = end;
            piece
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_words() {
        for bare in ["a", "5.1-1", "_x", "uk-cop-2018", "1-"] {
            assert!(is_bare(bare), "{bare}");
        }
        for quoted in ["", "-a", ".1", "a b", "a:b", "é", "a\"", "a\n"] {
            assert!(!is_bare(quoted), "{quoted}");
        }
        assert_eq!(word_len(b"5.1-1->b"), 6);
        assert_eq!(word_len(b"-x"), 0);
        assert!(is_word_char('-') && !is_word_char('é') && !is_word_char(':'));
    }

    #[test]
    fn lines_that_begin_a_block() {
        let text = "map a -> b {\n  note \"x\"\nmap c -> d\ndocument x {\n mapping\n map y\nmaps\nmap\ndocument#c\n\"\"\"\nmap";
        let starts: Vec<&str> = block_starts(text)
            .map(|i| text[i..].lines().next().unwrap())
            .collect();
        assert_eq!(
            starts,
            [
                "map a -> b {",
                "map c -> d",
                "document x {",
                "map",
                "document#c",
                "map"
            ]
        );
        let pieces = pieces(text);
        assert_eq!(pieces.len(), 6);
        assert_eq!(pieces[0].start, 0);
        assert_eq!(pieces.last().unwrap().end, text.len());
        assert!(pieces.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!(super::pieces(""), vec![0..0]);
        assert_eq!(super::pieces("# x\nmap"), vec![0..4, 4..7]);
    }
}
