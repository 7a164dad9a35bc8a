//! The syntax errors' messages and helps (docs/diagnostics.md,
//! "syntax-error").

use crate::syntax::{MAX_NESTING, SyntaxError, lexical, lines};

const NEW_BLOCK: &str = "a line that starts with `map` or `document` begins a new block";

/// Text that does not follow the grammar: `start..end` was skipped, and
/// `at` is where the token that did not fit begins. The range is the
/// first line of it; the message shows that line (up to 40 characters).
pub(super) fn unexpected(
    text: &str,
    start: usize,
    at: usize,
    end: usize,
    arrow_line: &mut Option<ArrowLine>,
) -> SyntaxError {
    let region = &text[start..end];
    let first_line = lines::first(region);
    let range_end = if first_line.trim().is_empty() {
        end
    } else {
        start + first_line.len()
    };
    let snippet = first_line.trim();
    let shown = shown(snippet);
    let message = if snippet.is_empty() {
        "unexpected end of input".to_string()
    } else {
        format!("unexpected `{shown}`")
    };
    let at_token = lines::first(&text[at..end.max(at)]).trim();
    SyntaxError {
        range: start..range_end,
        message,
        help: help(text, at, snippet, at_token, arrow_line),
    }
}

/// Up to 40 characters of `snippet`, control characters escaped, with an
/// ellipsis when cut.
fn shown(snippet: &str) -> String {
    let mut out = String::new();
    for (i, c) in snippet.chars().enumerate() {
        if i == 40 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The help for an unexpected `snippet`, whose token that did not fit
/// (`token`, at `at`) points at a common cause.
fn help(
    text: &str,
    at: usize,
    snippet: &str,
    token: &str,
    arrow_line: &mut Option<ArrowLine>,
) -> Option<String> {
    let before = text[..at].trim_end_matches([' ', '\t']);
    // Bytes, not str: the window may cut a multi-byte character.
    let near = &text.as_bytes()[at.saturating_sub(2)..(at + 3).min(text.len())];
    let near_block = near.windows(3).any(|w| w == b"\"\"\"");
    if snippet.contains("\"\"\"") || (token.starts_with('"') && near_block) {
        return Some("a \"\"\" block ends with \"\"\"; its text cannot hold three quotes in a row or end with a quote".into());
    }
    let quotes = snippet.matches('"').count() - snippet.matches("\\\"").count();
    if quotes % 2 == 1 {
        return Some(
            "a string must end on the line it starts; write a line break as \\n or use a \"\"\" block".into(),
        );
    }
    if token.starts_with(':') || snippet.ends_with(':') || before.ends_with(':') {
        return Some(
            "a reference is written DOC:ID with no spaces, e.g. etsi-en-303-645:5.1-1".into(),
        );
    }
    if let Some(id) = id_before_arrow(text, at, arrow_line) {
        let bare = &id[..id.len() - 1];
        return Some(format!(
            "ids may contain `-`, so `{id}>` reads as the id `{id}`: put a space before `->`, as in `{bare} -> `"
        ));
    }
    if token.starts_with('=') {
        return Some("fields are written `name value`, with no `=`".into());
    }
    None
}

/// A line and the id before the first `->` on it, if any.
#[derive(Clone, Copy)]
pub(super) struct ArrowLine {
    start: usize,
    end: usize,
    id: Option<(usize, usize)>,
}

/// The id written right before a `->` on the line of `at`, with the `-`
/// it swallowed (`1-` in `map a:1->b:2`).
///
/// A long line can hold thousands of errors: the answer is kept for the
/// line last asked about (errors come in order), so that each line is
/// read once, not once per error.
fn id_before_arrow<'t>(
    text: &'t str,
    at: usize,
    arrow_line: &mut Option<ArrowLine>,
) -> Option<&'t str> {
    let found = match *arrow_line {
        Some(line) if line.start <= at && at <= line.end => line.id,
        _ => {
            let (from, to) = (lines::start_of_line(text, at), lines::end_of_line(text, at));
            let id = arrow_id(&text.as_bytes()[from..to]).map(|r| (from + r.start, from + r.end));
            *arrow_line = Some(ArrowLine {
                start: from,
                end: to,
                id,
            });
            id
        }
    };
    found.map(|(a, b)| &text[a..b])
}

/// The range in `line` of the id right before its first `->` that follows
/// a word byte other than `-`, with the `-` it swallowed.
fn arrow_id(line: &[u8]) -> Option<std::ops::Range<usize>> {
    let arrow = line
        .windows(3)
        .position(|w| w[1..] == *b"->" && lexical::is_word_byte(w[0]) && w[0] != b'-')?;
    let end = arrow + 2;
    let begin = line[..end]
        .iter()
        .rposition(|&b| !lexical::is_word_byte(b))
        .map_or(0, |i| i + 1);
    Some(begin..end)
}

/// Something the grammar needs is not there (`expected` names it): at
/// `at`, the end of what was read before.
pub(super) fn missing(at: usize, expected: &str) -> SyntaxError {
    SyntaxError {
        range: at..at,
        message: format!("missing {expected}"),
        help: None,
    }
}

/// A block still open at the end of its piece.
pub(super) fn unclosed(at: usize, kind: &str, line: usize) -> SyntaxError {
    SyntaxError {
        range: at..at,
        message: format!("missing `}}` to close the `{kind}`{UNCLOSED}{line}"),
        help: Some(NEW_BLOCK.into()),
    }
}

const UNCLOSED: &str = " block opened at line ";

/// Moves the line named by an [`unclosed`] error by `by` lines (the error
/// was copied after an edit that added or removed lines before it).
pub(super) fn shift_line(error: &mut SyntaxError, by: isize) {
    if by == 0 || !error.message.starts_with("missing `}` to close") {
        return;
    }
    let Some(at) = error.message.rfind(UNCLOSED) else {
        return;
    };
    let digits = at + UNCLOSED.len();
    if let Ok(line) = error.message[digits..].parse::<usize>() {
        let line = line.saturating_add_signed(by);
        error.message.replace_range(digits.., &line.to_string());
    }
}

/// A `"""` string still open at the end of its piece (`start`: its
/// opening quotes).
pub(super) fn unterminated_block(start: usize) -> SyntaxError {
    SyntaxError {
        range: start..start + 3,
        message: "unterminated `\"\"\"` string".into(),
        help: Some(
            "a \"\"\" block ends with \"\"\"; a line that starts with `map` or `document` ends it"
                .into(),
        ),
    }
}

/// A block nested deeper than [`MAX_NESTING`], on its `{`.
pub(super) fn too_deep(brace: usize) -> SyntaxError {
    SyntaxError {
        range: brace..brace + 1,
        message: format!("blocks nest at most {MAX_NESTING} levels deep"),
        help: Some("what this block holds is not read".into()),
    }
}

/// A clause or provision (its keyword at `keyword`) inside a provision.
pub(super) fn in_provision(keyword: std::ops::Range<usize>) -> SyntaxError {
    SyntaxError {
        range: keyword,
        message: "a provision cannot contain clauses or provisions".into(),
        help: Some("close the provision's block first, or make the outer one a clause".into()),
    }
}

/// A clause or provision (its keyword at `keyword`) inside a map.
pub(super) fn in_map(keyword: std::ops::Range<usize>) -> SyntaxError {
    SyntaxError {
        range: keyword,
        message: "a map block holds fields only".into(),
        help: Some("declare clauses and provisions inside a `document` block".into()),
    }
}

/// A NUL character (tree-sitter would read the end of the text there).
pub(super) fn nul(at: usize) -> SyntaxError {
    SyntaxError {
        range: at..at + 1,
        message: "unexpected NUL character (U+0000)".into(),
        help: Some("a .xwalk file is text: remove the NUL".into()),
    }
}

/// A text longer than the AST can place (see [`crate::syntax::Span`]).
pub(super) fn too_long(len: usize, limit: usize) -> SyntaxError {
    SyntaxError {
        range: 0..0,
        message: format!("the file is {len} bytes long: a .xwalk file is read up to {limit} bytes"),
        help: Some("split it into several files".into()),
    }
}
