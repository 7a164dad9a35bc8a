//! The layout engine: walks an error-free tree-sitter tree and writes the
//! canonical text, recording where each entry came from and went to (for
//! range formatting).

use tree_sitter::{Node, Tree};

use super::{INDENT_WIDTH, MAX_WIDTH};
use crate::syntax::strings::decode_block;
use crate::syntax::{TextRange, lines};

/// Continuation lines of a head or a wrapped list are indented this much
/// more than the line they continue.
const CONTINUATION: usize = 2 * INDENT_WIDTH;

/// The formatted text and, for every entry, its source and output ranges.
pub struct Printed {
    pub text: String,
    spans: Vec<Span>,
}

/// An entry (a `document`, `map`, field, clause or provision) or a comment
/// on its own line, with its trailing comment if it has one.
struct Span {
    parent: Option<usize>,
    src: TextRange,
    out: TextRange,
    /// The source range of the entry's `{ ... }` block.
    body: Option<TextRange>,
}

impl Printed {
    /// The source and output ranges of the entries that `range` touches, at
    /// the deepest level that holds it (see `format_range`).
    pub fn covering(&self, range: &TextRange) -> Option<(TextRange, TextRange)> {
        let touches = |s: &TextRange| {
            if range.is_empty() {
                s.start <= range.start && range.start <= s.end
            } else {
                s.start < range.end && range.start < s.end
            }
        };
        let mut parent = None;
        loop {
            let hits: Vec<usize> = (0..self.spans.len())
                .filter(|&i| self.spans[i].parent == parent && touches(&self.spans[i].src))
                .collect();
            let (Some(&first), Some(&last)) = (hits.first(), hits.last()) else {
                return parent
                    .map(|p: usize| (self.spans[p].src.clone(), self.spans[p].out.clone()));
            };
            if first == last {
                let inside = self.spans[first]
                    .body
                    .as_ref()
                    .is_some_and(|b| b.start < range.start && range.end < b.end);
                if inside {
                    parent = Some(first);
                    continue;
                }
            }
            let (a, b) = (&self.spans[first], &self.spans[last]);
            return Some((a.src.start..b.src.end, a.out.start..b.out.end));
        }
    }
}

/// Formats an error-free tree.
pub fn print(src: &str, tree: &Tree) -> Printed {
    let mut p = Printer {
        src,
        out: String::with_capacity(src.len() + src.len() / 8),
        spans: Vec::new(),
        line_has_comment: false,
    };
    let root = tree.root_node();
    let children = named_children(root);
    p.items(&children, 0, None, None, Vec::new());
    if !p.out.is_empty() {
        p.out.push('\n');
    }
    Printed {
        text: p.out,
        spans: p.spans,
    }
}

fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

/// A part of an entry's head: everything before its block.
enum Piece<'a> {
    /// A token written as it is: keyword, id, reference, `"..."` string, `->`.
    Text(&'a str),
    /// A `"""` block, re-indented when that keeps its value.
    Block(&'a str),
    Comma,
    Comment(&'a str),
}

/// One value of a list, and the comments that follow it.
struct Item<'a> {
    value: Piece<'a>,
    comments: Vec<&'a str>,
}

/// How one child of a block (or of the file) is laid out.
struct Child<'t> {
    node: Node<'t>,
    /// A comment on the same line as what precedes it.
    trailing: bool,
    /// A blank line (or more) separates it from what precedes it.
    blank: bool,
}

struct Printer<'a> {
    src: &'a str,
    out: String,
    spans: Vec<Span>,
    /// The current output line ends in a comment: nothing may follow on it.
    line_has_comment: bool,
}

impl<'a> Printer<'a> {
    fn text(&self, node: Node) -> &'a str {
        &self.src[node.byte_range()]
    }

    fn newline(&mut self) {
        self.out.push('\n');
        self.line_has_comment = false;
    }

    fn indent(&mut self, width: usize) {
        self.out.extend(std::iter::repeat_n(' ', width));
    }

    fn comment(&mut self, text: &str) {
        self.out.push_str(text.trim_end());
        self.line_has_comment = true;
    }

    /// Lays out the children of the file (`level` 0, no `open`) or of a
    /// block (`open` is the end of its `{`). `head_comments` were written
    /// between the entry's head and its `{`; they move into the block.
    fn items(
        &mut self,
        nodes: &[Node],
        level: usize,
        parent: Option<usize>,
        open: Option<usize>,
        head_comments: Vec<&'a str>,
    ) {
        let top = open.is_none();
        let mut children = self.classify(nodes, open);
        if top {
            separate_blocks(&mut children);
        }
        let indent = level * INDENT_WIDTH;
        let mut first = true;
        for (i, c) in head_comments.into_iter().enumerate() {
            if i == 0 {
                self.out.push(' ');
            } else {
                self.newline();
                self.indent(indent);
                first = false;
            }
            self.comment(c);
        }
        let mut last_span: Option<usize> = None;
        for child in children {
            if child.trailing && !self.line_has_comment {
                self.out.push(' ');
                self.comment(self.text(child.node));
                if let Some(s) = last_span {
                    self.spans[s].src.end = child.node.end_byte();
                    self.spans[s].out.end = self.out.len();
                }
                continue;
            }
            if !(top && first) {
                self.newline();
            }
            if child.blank && !first {
                self.newline();
            }
            first = false;
            self.indent(indent);
            let span = self.spans.len();
            self.spans.push(Span {
                parent,
                src: child.node.byte_range(),
                out: self.out.len()..self.out.len(),
                body: None,
            });
            if child.node.kind() == "comment" {
                self.comment(self.text(child.node));
            } else {
                self.entry(child.node, level, span);
            }
            self.spans[span].out.end = self.out.len();
            last_span = Some(span);
        }
    }

    /// Which children are trailing comments and which follow a blank line.
    fn classify<'t>(&self, nodes: &[Node<'t>], open: Option<usize>) -> Vec<Child<'t>> {
        let mut prev_end = open;
        let mut out = Vec::with_capacity(nodes.len());
        for &node in nodes {
            let gap = &self.src[prev_end.unwrap_or(0)..node.start_byte()];
            let breaks = lines::count(gap);
            out.push(Child {
                node,
                trailing: node.kind() == "comment" && prev_end.is_some() && breaks == 0,
                blank: breaks >= 2,
            });
            prev_end = Some(node.end_byte());
        }
        out
    }

    /// One `document`, `map`, field, clause or provision, starting at the
    /// current position (already indented).
    fn entry(&mut self, node: Node<'_>, level: usize, span: usize) {
        let indent = level * INDENT_WIDTH;
        let (mut pieces, list_start, body) = self.pieces(node);
        let mut head_comments = Vec::new();
        if body.is_some() {
            while let Some(Piece::Comment(c)) = pieces.last() {
                head_comments.insert(0, *c);
                pieces.pop();
            }
        }
        let split = list_start.unwrap_or(pieces.len()).min(pieces.len());
        let list = pieces.split_off(split);
        let mut prefix = pieces;
        let mut items: Vec<Item> = Vec::new();
        for piece in list {
            match piece {
                Piece::Comma => {}
                Piece::Comment(c) => match items.last_mut() {
                    Some(item) => item.comments.push(c),
                    None => prefix.push(Piece::Comment(c)),
                },
                value => items.push(Item {
                    value,
                    comments: Vec::new(),
                }),
            }
        }
        let wrap = items.len() >= 2
            && (items.iter().any(|i| !i.comments.is_empty())
                || self.flat_width(indent, &prefix, &items, body.is_some()) > MAX_WIDTH);

        let mut line_indent = indent;
        let mut at_start = true;
        let mut pending_break = false;
        for piece in &prefix {
            self.piece(
                piece,
                indent,
                &mut line_indent,
                &mut at_start,
                &mut pending_break,
            );
        }
        let n = items.len();
        for (i, item) in items.iter().enumerate() {
            if wrap {
                self.newline();
                line_indent = indent + CONTINUATION;
                self.indent(line_indent);
                at_start = true;
                pending_break = false;
            }
            self.piece(
                &item.value,
                indent,
                &mut line_indent,
                &mut at_start,
                &mut pending_break,
            );
            if i + 1 < n {
                self.out.push(',');
            }
            for c in &item.comments {
                self.piece(
                    &Piece::Comment(c),
                    indent,
                    &mut line_indent,
                    &mut at_start,
                    &mut pending_break,
                );
            }
        }
        let Some(body) = body else { return };
        self.spans[span].body = Some(body.byte_range());
        if self.line_has_comment {
            self.newline();
            self.indent(line_indent);
        } else {
            self.out.push(' ');
        }
        let mut cursor = body.walk();
        let mut open = body.start_byte() + 1;
        let mut children = Vec::new();
        for child in body.children(&mut cursor) {
            match child.kind() {
                "{" => open = child.end_byte(),
                "}" => {}
                _ => children.push(child),
            }
        }
        if children.is_empty() && head_comments.is_empty() {
            self.out.push_str("{}");
            return;
        }
        self.out.push('{');
        self.items(&children, level + 1, Some(span), Some(open), head_comments);
        self.newline();
        self.indent(indent);
        self.out.push('}');
    }

    /// Writes one piece of a head: a space or a line break before it, then
    /// the piece.
    fn piece(
        &mut self,
        piece: &Piece<'_>,
        indent: usize,
        line_indent: &mut usize,
        at_start: &mut bool,
        pending_break: &mut bool,
    ) {
        match piece {
            Piece::Comment(c) => {
                if self.line_has_comment {
                    self.newline();
                    *line_indent = indent + CONTINUATION;
                    self.indent(*line_indent);
                } else if !*at_start {
                    self.out.push(' ');
                }
                self.comment(c);
                *pending_break = true;
                return;
            }
            Piece::Comma => {
                self.out.push(',');
                return;
            }
            Piece::Text(_) | Piece::Block(_) => {}
        }
        if *pending_break {
            self.newline();
            *line_indent = indent + CONTINUATION;
            self.indent(*line_indent);
            *pending_break = false;
        } else if !*at_start {
            self.out.push(' ');
        }
        *at_start = false;
        match piece {
            Piece::Text(t) => self.out.push_str(t),
            Piece::Block(raw) => {
                let block = block_string(raw, *line_indent);
                self.out.push_str(&block);
            }
            Piece::Comma | Piece::Comment(_) => {}
        }
    }

    /// The width of the head written on one line, up to and with ` {`.
    fn flat_width(&self, indent: usize, prefix: &[Piece], items: &[Item], body: bool) -> usize {
        let width = |p: &Piece| match p {
            Piece::Text(t) => t.chars().count(),
            Piece::Block(raw) => block_width(raw),
            Piece::Comma => 1,
            Piece::Comment(_) => 0,
        };
        let words = prefix.len() + items.len();
        indent
            + prefix.iter().map(width).sum::<usize>()
            + items.iter().map(|i| width(&i.value)).sum::<usize>()
            + words.saturating_sub(1)
            + items.len().saturating_sub(1)
            + if body { 2 } else { 0 }
    }

    /// The head of an entry as pieces, where its list starts (the values of
    /// a field, the targets of a map), and its block.
    fn pieces<'t>(&self, node: Node<'t>) -> (Vec<Piece<'a>>, Option<usize>, Option<Node<'t>>) {
        let mut pieces = Vec::new();
        let mut list_start = None;
        let mut body = None;
        let mut nodes = Vec::new();
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.kind() == "targets" {
                let mut c = child.walk();
                nodes.extend(child.children(&mut c));
            } else if child.kind() == "block" {
                body = Some(child);
            } else {
                nodes.push(child);
            }
        }
        let kind = node.kind();
        for child in nodes {
            let text = self.text(child);
            pieces.push(match child.kind() {
                "comment" => Piece::Comment(text),
                "," => Piece::Comma,
                "block_string" => Piece::Block(text),
                _ => Piece::Text(text),
            });
            let starts_list = match kind {
                "field" => child.kind() == "identifier" && list_start.is_none(),
                "map" => child.kind() == "->",
                _ => false,
            };
            if starts_list {
                list_start = Some(pieces.len());
            }
        }
        (pieces, list_start, body)
    }
}

/// At the top level, a blank line separates two entries when either has a
/// block. Comments directly above an entry stay with it: the blank line
/// goes before them.
fn separate_blocks(children: &mut [Child<'_>]) {
    let has_block = |n: &Node| n.child_by_field_name("body").is_some();
    let mut prev_entry: Option<usize> = None;
    for i in 0..children.len() {
        if children[i].trailing || children[i].node.kind() == "comment" {
            continue;
        }
        if let Some(p) = prev_entry
            && (has_block(&children[p].node) || has_block(&children[i].node))
        {
            let between = (p + 1..=i).filter(|&j| !children[j].trailing);
            let between: Vec<usize> = between.collect();
            if !between.iter().any(|&j| children[j].blank) {
                children[between[0]].blank = true;
            }
        }
        prev_entry = Some(i);
    }
}

/// The width of the first line of a `"""` block as [`block_string`] writes
/// it (the same before and after formatting, so that the choice to wrap a
/// list does not change on a second run).
fn block_width(raw: &str) -> usize {
    let first = lines::first(raw);
    if first.len() < raw.len()
        && first
            .get(3..)
            .unwrap_or("")
            .chars()
            .all(|c| c == ' ' || c == '\t')
    {
        3
    } else {
        first.chars().count()
    }
}

/// A `"""` block as written at a line indented by `line_indent`.
///
/// When the block starts with a line break (nothing but spaces after the
/// opening `"""`), its lines are re-indented one level deeper than the line,
/// with the closing `"""` on its own line at the same depth; the value is
/// unchanged because the common indentation is stripped when the block is
/// read. Otherwise, or if re-indenting would change the value, the block is
/// written as it is (with CRLF and CR line ends made LF when that keeps the
/// value).
fn block_string(raw: &str, line_indent: usize) -> String {
    let value = decode_block(raw);
    let inner = raw
        .strip_prefix("\"\"\"")
        .and_then(|s| s.strip_suffix("\"\"\""))
        .unwrap_or("");
    let first = lines::first(inner);
    if first.len() < inner.len() && first.chars().all(|c| c == ' ' || c == '\t') {
        let pad = " ".repeat(line_indent + INDENT_WIDTH);
        let mut s = String::with_capacity(raw.len() + 64);
        s.push_str("\"\"\"\n");
        if !value.is_empty() {
            for line in value.split('\n') {
                if !line.is_empty() {
                    s.push_str(&pad);
                    s.push_str(line);
                }
                s.push('\n');
            }
        }
        s.push_str(&pad);
        s.push_str("\"\"\"");
        if decode_block(&s) == value {
            return s;
        }
    }
    let lf = raw.replace("\r\n", "\n").replace('\r', "\n");
    if lf != raw && decode_block(&lf) == value {
        return lf;
    }
    raw.to_string()
}
