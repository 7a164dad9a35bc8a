//! Decoding of string literals: `"..."` with escapes and `"""..."""` blocks.
//! The exact rules are specified in docs/format.md ("Strings").

use super::TextRange;

/// A problem inside a string literal, with a range relative to the literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringError {
    pub range: TextRange,
    pub message: String,
}

/// Decodes a one-line `"..."` literal (quotes included in `raw`).
/// Invalid escapes are reported and kept verbatim in the value.
pub fn decode_quoted(raw: &str) -> (String, Vec<StringError>) {
    let inner = raw
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(raw);
    let mut out = String::with_capacity(inner.len());
    let mut errors = Vec::new();
    let mut chars = inner.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        // Offsets are relative to `raw`, which has the opening quote.
        let start = i + 1;
        match chars.next() {
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            Some((_, 'n')) => out.push('\n'),
            Some((_, 't')) => out.push('\t'),
            Some((_, 'r')) => out.push('\r'),
            Some((_, 'u')) => {
                let rest = &inner[i + 2..];
                match decode_unicode_escape(rest) {
                    Ok((ch, used)) => {
                        out.push(ch);
                        skip_to(&mut chars, i + 2 + used);
                    }
                    Err((used, message)) => {
                        let end = start + 2 + used;
                        errors.push(StringError {
                            range: start..end,
                            message,
                        });
                        out.push_str(&inner[i..i + 2 + used]);
                        skip_to(&mut chars, i + 2 + used);
                    }
                }
            }
            Some((j, other)) => {
                errors.push(StringError {
                    range: start..j + 1 + other.len_utf8(),
                    message: format!(
                        "unknown escape `\\{other}`; the escapes are \\\" \\\\ \\n \\t \\r \\u{{...}}"
                    ),
                });
                out.push('\\');
                out.push(other);
            }
            None => {
                errors.push(StringError {
                    range: start..start + 1,
                    message: "a string cannot end with a lone backslash".into(),
                });
                out.push('\\');
            }
        }
    }
    (out, errors)
}

fn skip_to(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, end: usize) {
    while chars.next_if(|&(j, _)| j < end).is_some() {}
}

/// Parses the part after `\u`: `{HEX}` with 1 to 6 hex digits naming a
/// Unicode scalar value. Returns the char and how many chars were used, or
/// how many chars belong to the bad escape and a message.
fn decode_unicode_escape(rest: &str) -> Result<(char, usize), (usize, String)> {
    let Some(body) = rest.strip_prefix('{') else {
        return Err((
            0,
            "`\\u` must be followed by `{HEX}`, e.g. `\\u{2019}`".into(),
        ));
    };
    let Some(close) = body.find('}') else {
        return Err((1, "unterminated `\\u{...}` escape".into()));
    };
    let hex = &body[..close];
    let used = close + 2;
    if hex.is_empty() || hex.len() > 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err((used, format!("`\\u{{{hex}}}` needs 1 to 6 hex digits")));
    }
    let code = u32::from_str_radix(hex, 16).map_err(|e| (used, e.to_string()))?;
    match char::from_u32(code) {
        Some(c) => Ok((c, used)),
        None => Err((
            used,
            format!("`\\u{{{hex}}}` is not a Unicode scalar value"),
        )),
    }
}

/// Decodes a `"""..."""` block (delimiters included in `raw`).
///
/// Blocks are raw: no escapes. Every line end (CRLF, a lone CR) becomes LF. When the content
/// spans several lines, a whitespace-only first line and a whitespace-only
/// last line are dropped, then the longest run of leading spaces and tabs
/// shared by every non-blank line is removed from each line.
pub fn decode_block(raw: &str) -> String {
    let inner = raw
        .strip_prefix("\"\"\"")
        .and_then(|s| s.strip_suffix("\"\"\""))
        .unwrap_or(raw);
    let content = inner.replace("\r\n", "\n").replace('\r', "\n");
    if !content.contains('\n') {
        return content;
    }
    let mut lines: Vec<&str> = content.split('\n').collect();
    if lines.first().is_some_and(|l| is_blank(l)) {
        lines.remove(0);
    }
    if lines.last().is_some_and(|l| is_blank(l)) {
        lines.pop();
    }
    let indent = lines
        .iter()
        .filter(|l| !is_blank(l))
        .map(|l| leading_ws(l))
        .min()
        .unwrap_or(0);
    let stripped: Vec<&str> = lines
        .iter()
        .map(|l| {
            let n = leading_ws(l).min(indent);
            &l[n..]
        })
        .collect();
    stripped.join("\n")
}

fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c == ' ' || c == '\t')
}

/// Length in bytes of the leading run of spaces and tabs.
fn leading_ws(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// Encodes a value as a `"..."` literal, escaping what must be escaped.
pub fn encode_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Escapes text for HTML content and attribute values (the site's pages,
/// and HTML inside the Markdown of `xwalk diff`).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text as one line of a generated comment, safe in a `.xwalk` file and
/// in TOML (`xwalk.toml`): every run of whitespace (line breaks included)
/// becomes one space, and every other control character (a NUL, say) is
/// written as its escape `\u{HEX}`, so that the comment still names it.
/// Everything else stands for itself. Every generator of `.xwalk` or
/// `xwalk.toml` text writes values with [`encode_quoted`] and comments
/// with this.
pub fn encode_comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            if c.is_control() {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            } else {
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_escape() {
        let (v, e) = decode_quoted(r#""a \"q\" \\ \n \t \r \u{2019} \u{1F512}""#);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(v, "a \"q\" \\ \n \t \r \u{2019} \u{1F512}");
    }

    #[test]
    fn reports_bad_escapes_with_ranges() {
        let raw = r#""x\qy""#;
        let (v, e) = decode_quoted(raw);
        assert_eq!(v, "x\\qy");
        assert_eq!(e.len(), 1);
        assert_eq!(&raw[e[0].range.clone()], "\\q");

        let raw = r#""\u{110000}""#;
        let (_, e) = decode_quoted(raw);
        assert_eq!(&raw[e[0].range.clone()], "\\u{110000}");
        assert!(e[0].message.contains("not a Unicode scalar"));

        let (_, e) = decode_quoted(r#""\u{zz}""#);
        assert!(e[0].message.contains("hex digits"));
        let (_, e) = decode_quoted(r#""\u12""#);
        assert!(e[0].message.contains("{HEX}"));
    }

    #[test]
    fn block_strips_common_indentation() {
        let raw = "\"\"\"\n    First\n      second\n\n    third\n    \"\"\"";
        assert_eq!(decode_block(raw), "First\n  second\n\nthird");
    }

    #[test]
    fn block_on_one_line_is_verbatim() {
        assert_eq!(decode_block(r#""""  say "hi"  """"#), r#"  say "hi"  "#);
    }

    #[test]
    fn block_keeps_text_after_opening_delimiter() {
        assert_eq!(decode_block("\"\"\"a\n  b\"\"\""), "a\n  b");
        assert_eq!(decode_block("\"\"\"\r\n  a\r\n  b\r\n  \"\"\""), "a\nb");
    }

    #[test]
    fn comments_are_one_line_without_control_characters() {
        assert_eq!(
            encode_comment(" 4.0\u{0}\n  a\tb\u{7f}\u{2028}c\r\n"),
            "4.0\\u{0} a b\\u{7f} c"
        );
        assert_eq!(encode_comment("’ – 🔒 #1"), "’ – 🔒 #1");
    }

    #[test]
    fn encode_round_trips() {
        for s in [
            "plain",
            "quote \" and \\",
            "lines\nand\ttabs\r",
            "’ – 🔒",
            "\u{7}",
        ] {
            let (back, e) = decode_quoted(&encode_quoted(s));
            assert!(e.is_empty());
            assert_eq!(back, s);
        }
    }
}
