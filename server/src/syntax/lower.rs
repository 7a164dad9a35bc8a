//! Lowering: tree-sitter tree → typed AST, collecting syntax errors.

use std::sync::OnceLock;

use tree_sitter::{Node, Parser, Tree, TreeCursor};

use super::splice::Ranges;
use super::strings::{decode_block, decode_quoted};
use super::*;

thread_local! {
    static PARSER: std::cell::RefCell<Parser> = std::cell::RefCell::new(new_parser());
    /// A parser for one piece of a text at a time (its included ranges
    /// change with every piece).
    static PIECE_PARSER: std::cell::RefCell<Parser> = std::cell::RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_xwalk::LANGUAGE.into())
        .expect("the bundled grammar matches the tree-sitter runtime");
    parser
}

/// The grammar's node kinds and field names the lowering looks at, as the
/// numbers tree-sitter gives them: comparing numbers instead of names keeps
/// string conversions out of the loop over every node of a workspace.
struct Kinds {
    identifier: u16,
    string: u16,
    block_string: u16,
    reference: u16,
    field: u16,
    clause: u16,
    provision: u16,
    document: u16,
    map: u16,
    id: u16,
    title: u16,
    body: u16,
    name: u16,
    document_field: u16,
    source: u16,
    targets: u16,
    value: u16,
}

fn kinds() -> &'static Kinds {
    static KINDS: OnceLock<Kinds> = OnceLock::new();
    KINDS.get_or_init(|| {
        let language: tree_sitter::Language = tree_sitter_xwalk::LANGUAGE.into();
        let kind = |name| language.id_for_node_kind(name, true);
        // 0 is never a field id: an unknown name would match no child.
        let field = |name| language.field_id_for_name(name).map_or(0, |f| f.get());
        Kinds {
            identifier: kind("identifier"),
            string: kind("string"),
            block_string: kind("block_string"),
            reference: kind("reference"),
            field: kind("field"),
            clause: kind("clause"),
            provision: kind("provision"),
            document: kind("document"),
            map: kind("map"),
            id: field("id"),
            title: field("title"),
            body: field("body"),
            name: field("name"),
            document_field: field("document"),
            source: field("source"),
            targets: field("targets"),
            value: field("value"),
        }
    })
}

/// The concrete tree of a file, without lowering it.
pub fn parse_tree(text: &str) -> Tree {
    PARSER
        .with(|p| p.borrow_mut().parse(text, None))
        .unwrap_or_else(empty_tree)
}

/// The tree of `text`, parsed reusing `edited` (an earlier text's tree
/// with the edits since applied); `None` if tree-sitter gave up.
pub fn parse_tree_reusing(text: &str, edited: &Tree) -> Option<Tree> {
    PARSER.with(|p| p.borrow_mut().parse(text, Some(edited)))
}

fn empty_tree() -> Tree {
    new_parser().parse("", None).expect("empty parse")
}

/// Parses a file. Always succeeds: errors are recorded, not raised.
///
/// Damage stays local: when the file has a syntax error (or a line that
/// begins a top-level block falls inside another block), each top-level
/// piece of the text (see [`lexical::pieces`]) is parsed and lowered on its
/// own, so an error affects at most the piece it is in. The tree kept for
/// the editor features is the whole file's.
pub fn parse(text: &str) -> Parse {
    parse_with_tree(text, parse_tree(text))
}

/// Parses `text` after an edit of `old`, whose parse was `old_parse`:
/// `edited` is the tree of `old` adjusted with [`tree_sitter::Tree::edit`]
/// for every change. Gives what [`parse`] gives; tree-sitter reuses the
/// unchanged parts of the old tree, and the AST of a file without syntax
/// errors is read by [`super::fast`], only the edited pieces of it when the
/// old parse had no error (see [`super::splice`]).
pub fn reparse(text: &str, edited: &Tree, old: &str, old_parse: &Parse) -> Parse {
    let Some(tree) = PARSER.with(|p| p.borrow_mut().parse(text, Some(edited))) else {
        return parse(text);
    };
    let ast = match old_parse.errors.is_empty() {
        true => super::splice::splice(old, &old_parse.ast, text),
        false => None,
    };
    if let Some(ast) = ast.or_else(|| super::fast::parse(text)) {
        return Parse {
            tree: Some(tree),
            ast,
            errors: Vec::new(),
        };
    }
    // On text with syntax errors tree-sitter's recovery after an
    // incremental parse may differ from a fresh parse's: the editor keeps
    // the tree `xwalk check` would see.
    if tree.root_node().has_error() {
        return parse(text);
    }
    parse_with_tree(text, tree)
}

/// Builds the AST of the tree of `text`: the whole tree lowered at once when
/// it is free of errors and its top-level blocks begin where the text's
/// pieces do (then each piece holds whole blocks, which parse alone to the
/// same nodes), else piece by piece.
fn parse_with_tree(text: &str, tree: Tree) -> Parse {
    let root = tree.root_node();
    let (ast, errors) = if !root.has_error() && pieces_are_blocks(text, root) {
        lower_root(text, root)
    } else {
        match lower_pieces(text, root) {
            // A piece tree-sitter could not be given (none is known) must not
            // hide the whole tree's errors.
            (_, errors) if errors.is_empty() && root.has_error() => lower_root(text, root),
            lowered => lowered,
        }
    };
    Parse {
        tree: Some(tree),
        ast,
        errors,
    }
}

/// Whether every line that begins a top-level block (by
/// [`lexical::block_starts`]) is where a top-level node of `root` starts.
fn pieces_are_blocks(text: &str, root: Node) -> bool {
    let mut cursor = root.walk();
    let mut nodes = root
        .children(&mut cursor)
        .map(|n| n.start_byte())
        .peekable();
    lexical::block_starts(text).all(|start| {
        while nodes.next_if(|&n| n < start).is_some() {}
        nodes.next_if_eq(&start).is_some()
    })
}

/// Parses and lowers each top-level piece of `text` on its own. A piece
/// that leaves blocks or a `"""` string open is parsed with the closers
/// written where the next piece begins (`lexical::Open::closers`, in a
/// copy of the text): its blocks then read as they were meant, and the
/// errors say what was missing.
///
/// A piece whose nodes in the whole file's tree (`root`) are whole and
/// free of errors is lowered from that tree: the piece alone parses to the
/// same nodes. So a file with one error costs one more parse of a piece,
/// not of the file.
fn lower_pieces(text: &str, root: Node) -> (SourceFile, Vec<SyntaxError>) {
    let mut cursor = root.walk();
    // A root that is itself an `ERROR` holds bare tokens: nothing to reuse.
    let children: Vec<Node> = if root.is_error() {
        Vec::new()
    } else {
        root.children(&mut cursor).collect()
    };
    let k = kinds();
    let mut next_child = 0;
    let mut ast = SourceFile::default();
    let mut errors = Vec::new();
    // The text with room after its end, to write closers into; made on
    // first use.
    let mut copy: Option<String> = None;
    let mut row = 0;
    let mut at = 0;
    // tree-sitter's points count rows at `\n` only, whatever the file's
    // line ends: these are its points, not lines a person reads.
    let mut point_at = |to: usize| {
        row += memchr::memchr_iter(b'\n', &text.as_bytes()[at..to]).count();
        at = to;
        let column = to - text[..to].rfind('\n').map_or(0, |i| i + 1);
        tree_sitter::Point::new(row, column)
    };
    for piece in lexical::pieces(text) {
        let first = next_child;
        while children
            .get(next_child)
            .is_some_and(|n| n.start_byte() < piece.end)
        {
            next_child += 1;
        }
        let nodes = &children[first..next_child];
        let whole = |n: &Node| {
            (n.kind_id() == k.document || n.kind_id() == k.map || n.is_extra())
                && n.start_byte() >= piece.start
                && n.end_byte() <= piece.end
                && !(n.has_error() || n.is_error() || n.is_missing())
        };
        let before_ok = first
            .checked_sub(1)
            .is_none_or(|j| children[j].end_byte() <= piece.start);
        let start_point = point_at(piece.start);
        let mut end_point = point_at(piece.end);
        if before_ok && nodes.iter().all(whole) {
            let (part, part_errors) =
                lower_nodes(text, nodes, children.get(next_child).copied(), None);
            ast.documents.extend(part.documents);
            ast.maps.extend(part.maps);
            errors.extend(part_errors);
            continue;
        }
        let open = lexical::open_at_end(&text[piece.clone()]);
        let closers = open.closers();
        let close = piece.end..piece.end + closers.len();
        // Closers go over the next piece's keyword (ASCII), or after the
        // end of the text.
        let room =
            text.len() - piece.end >= closers.len() && text.as_bytes()[close.clone()].is_ascii();
        // Deeper than blocks may nest is an error anyway: tree-sitter's
        // recovery reads it (closing it would cost a search per level).
        let closing = !closers.is_empty()
            && open.braces.len() <= MAX_NESTING
            && (room || piece.end == text.len());
        let (src, end) = if closing {
            let copy = copy.get_or_insert_with(|| text.to_string());
            if piece.end == text.len() {
                copy.push_str(&closers);
            } else {
                copy.replace_range(close.clone(), &closers);
            }
            end_point.column += closers.len();
            (copy.as_str(), close.end)
        } else {
            (text, piece.end)
        };
        let range = tree_sitter::Range {
            start_byte: piece.start,
            end_byte: end,
            start_point,
            end_point,
        };
        let tree = PIECE_PARSER.with(|p| {
            let mut p = p.borrow_mut();
            p.set_included_ranges(&[range]).ok()?;
            p.parse(src, None)
        });
        if let Some(tree) = tree {
            let (mut part, mut part_errors) = lower_root(src, tree.root_node());
            if end > piece.end {
                let limit = text[..piece.end].trim_end().len();
                closed(&mut part, piece.end, limit);
                // Nothing may point into the closers (an id or a title
                // they end, say): cut every range there.
                let cut = &mut |r: &mut TextRange| {
                    if r.end > piece.end {
                        r.start = r.start.min(limit);
                        r.end = limit.max(r.start);
                    }
                };
                part.documents.ranges(cut);
                part.maps.ranges(cut);
                for e in &mut part_errors {
                    e.range.start = e.range.start.min(limit);
                    e.range.end = e.range.end.min(limit);
                }
                part_errors.extend(unclosed(src, tree.root_node(), &open, piece.start, limit));
                part_errors.sort_by_key(|e| (e.range.start, e.range.end));
            }
            ast.documents.extend(part.documents);
            ast.maps.extend(part.maps);
            errors.extend(part_errors);
        }
        // Put the next piece's keyword back.
        if let Some(copy) = copy.as_mut()
            && end > piece.end
            && piece.end < text.len()
        {
            copy.replace_range(close.clone(), &text[close]);
        }
    }
    ast.documents.shrink_to_fit();
    ast.maps.shrink_to_fit();
    (ast, errors)
}

/// The errors of a piece read with closers: a missing `}` per brace left
/// open (saying which block it closes) and an unterminated `"""` string,
/// at `at` (the end of what the piece holds).
fn unclosed(
    src: &str,
    root: Node,
    open: &lexical::Open,
    base: usize,
    at: usize,
) -> Vec<SyntaxError> {
    let mut lines = lines::Counter::new(src);
    let mut errors: Vec<SyntaxError> = open
        .braces
        .iter()
        .rev()
        .map(|&brace| {
            let brace = base + brace;
            let owner = root
                .descendant_for_byte_range(brace, brace + 1)
                .filter(|n| n.kind() == "{")
                .and_then(|n| n.parent())
                .filter(|b| b.kind() == "block")
                .and_then(|b| b.parent());
            let message = match owner {
                Some(o) => format!(
                    "missing `}}` to close the `{}` block opened at line {}",
                    o.kind(),
                    lines.line(o.start_byte()) + 1
                ),
                None => format!(
                    "missing `}}` to close the block opened at line {}",
                    lines.line(brace) + 1
                ),
            };
            SyntaxError {
                range: at..at,
                message,
                help: Some("a line that starts with `map` or `document` begins a new block".into()),
            }
        })
        .collect();
    if let Some(quotes) = open.block_string {
        let quotes = base + quotes;
        errors.insert(
            0,
            SyntaxError {
                range: quotes..quotes + 3,
                message: "unterminated `\"\"\"` string".into(),
                help: Some(
                    "a \"\"\" block ends with \"\"\"; a line that starts with `map` or `document` ends it".into(),
                ),
            },
        );
    }
    errors
}

/// Marks the items of a piece read with closers that reach past its end
/// (`end`) as holding an error, and ends their ranges at `limit`.
fn closed(ast: &mut SourceFile, end: usize, limit: usize) {
    fn cut(range: &mut TextRange, has_error: &mut bool, end: usize, limit: usize) -> bool {
        let past = range.end > end;
        if past {
            range.end = limit.max(range.start);
            *has_error = true;
        }
        past
    }
    fn fields(fields: &mut [Field], end: usize, limit: usize) {
        for f in fields.iter_mut().filter(|f| f.range.end > end) {
            f.range.end = limit.max(f.range.start);
            for v in &mut f.values {
                if let Value::String(s) = v
                    && s.range.end > end
                {
                    s.range.end = limit.max(s.range.start);
                }
            }
        }
    }
    fn clauses(list: &mut [Clause], provisions: &mut [Provision], end: usize, limit: usize) {
        for c in list {
            if cut(&mut c.range, &mut c.has_error, end, limit) {
                fields(&mut c.fields, end, limit);
                clauses(&mut c.clauses, &mut c.provisions, end, limit);
            }
        }
        for p in provisions {
            if cut(&mut p.range, &mut p.has_error, end, limit) {
                fields(&mut p.fields, end, limit);
            }
        }
    }
    for d in &mut ast.documents {
        if cut(&mut d.range, &mut d.has_error, end, limit) {
            fields(&mut d.fields, end, limit);
            clauses(&mut d.clauses, &mut d.provisions, end, limit);
        }
    }
    for m in ast.maps.iter_mut().map(std::sync::Arc::make_mut) {
        if cut(&mut m.range, &mut m.has_error, end, limit) {
            fields(&mut m.fields, end, limit);
        }
    }
}

fn lower_root(text: &str, root: Node) -> (SourceFile, Vec<SyntaxError>) {
    let mut cursor = root.walk();
    let children: Vec<Node> = root.children(&mut cursor).collect();
    lower_nodes(text, &children, None, root.has_error().then_some(root))
}

/// Lowers the top-level `nodes` (`after` is the node that follows them),
/// with the errors under `errors_of`.
fn lower_nodes<'t>(
    text: &str,
    nodes: &[Node<'t>],
    after: Option<Node<'t>>,
    errors_of: Option<Node>,
) -> (SourceFile, Vec<SyntaxError>) {
    let mut lower = Lower {
        src: text,
        errors: Vec::new(),
        kinds: kinds(),
        cursors: Vec::new(),
        next: None,
        words: Default::default(),
        depth: 0,
        arrow_line: Default::default(),
        lines: std::cell::RefCell::new(lines::Counter::new(text)),
    };
    if let Some(root) = errors_of {
        lower.collect_errors(root);
    }
    let mut ast = SourceFile::default();
    let (document, map) = (lower.kinds.document, lower.kinds.map);
    let count = |kind| nodes.iter().filter(|n| n.kind_id() == kind).count();
    ast.documents.reserve_exact(count(document));
    ast.maps.reserve_exact(count(map));
    for (i, &child) in nodes.iter().enumerate() {
        lower.next = nodes.get(i + 1).copied().or(after);
        match child.kind_id() {
            k if k == document => ast.documents.extend(lower.document(child)),
            k if k == map => ast.maps.extend(lower.map(child).map(std::sync::Arc::new)),
            _ => {}
        }
    }
    let mut errors = lower.errors;
    errors.sort_by_key(|e| (e.range.start, e.range.end));
    // Nested blocks left open at the end report the same `}` once each.
    errors.dedup();
    (ast, errors)
}

/// The field children of a node, found in one pass (faster than one
/// `child_by_field_name` call per field).
#[derive(Default)]
struct Parts<'t> {
    id: Option<Node<'t>>,
    title: Option<Node<'t>>,
    body: Option<Node<'t>>,
    name: Option<Node<'t>>,
    document: Option<Node<'t>>,
    source: Option<Node<'t>>,
    targets: Option<Node<'t>>,
    /// The first `value`; the others (rare) in `more_values`, which then
    /// allocates.
    value: Option<Node<'t>>,
    more_values: Vec<Node<'t>>,
    /// Whether a child other than the body is or holds an error.
    error_outside_body: bool,
}

struct Lower<'a, 't> {
    src: &'a str,
    errors: Vec<SyntaxError>,
    kinds: &'static Kinds,
    /// Cursors to reuse: creating one allocates, and the lowering walks
    /// the children of every node.
    cursors: Vec<TreeCursor<'t>>,
    /// The top-level node after the one being lowered.
    next: Option<Node<'t>>,
    /// The bare words of the file so far (field names, document ids,
    /// values): each is allocated once and shared.
    words: Words,
    /// How many blocks enclose the one being lowered.
    depth: usize,
    /// The line of the last syntax error's help (see `id_before_arrow`).
    arrow_line: std::cell::Cell<Option<ArrowLine>>,
    /// Line numbers for messages ("the block opened at line N").
    lines: std::cell::RefCell<lines::Counter<'a>>,
}

/// A line and the id before the first `->` on it, if any.
#[derive(Clone, Copy)]
struct ArrowLine {
    start: usize,
    end: usize,
    id: Option<(usize, usize)>,
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

impl<'a, 't> Lower<'a, 't> {
    fn text(&self, node: Node) -> &'a str {
        &self.src[node.byte_range()]
    }

    /// Calls `f` with each child of `node` and its field id (0 for none),
    /// in order. The cursor comes from a pool: creating one allocates, and
    /// the lowering walks the children of every node.
    fn each_child(&mut self, node: Node<'t>, mut f: impl FnMut(&mut Self, Node<'t>, u16)) {
        let mut c = match self.cursors.pop() {
            Some(mut c) => {
                c.reset(node);
                c
            }
            None => node.walk(),
        };
        if c.goto_first_child() {
            loop {
                f(self, c.node(), c.field_id().map_or(0, |f| f.get()));
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
        self.cursors.push(c);
    }

    fn parts(&mut self, node: Node<'t>) -> Parts<'t> {
        let k = self.kinds;
        let check_errors = node.has_error();
        let mut p = Parts::default();
        self.each_child(node, |_, n, field| {
            match field {
                f if f == k.id => p.id = Some(n),
                f if f == k.title => p.title = Some(n),
                f if f == k.body => p.body = Some(n),
                f if f == k.name => p.name = Some(n),
                f if f == k.document_field => p.document = Some(n),
                f if f == k.source => p.source = Some(n),
                f if f == k.targets => p.targets = Some(n),
                f if f == k.value => match p.value {
                    None => p.value = Some(n),
                    Some(_) => p.more_values.push(n),
                },
                _ => {}
            }
            if check_errors && field != k.body && (n.is_error() || n.is_missing() || n.has_error())
            {
                p.error_outside_body = true;
            }
        });
        p
    }

    /// Records every `ERROR` and `MISSING` node under `root`, in order.
    /// A loop, not a recursion: a broken file may nest without limit.
    fn collect_errors(&mut self, root: Node) {
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            let mut descend = false;
            if node.is_missing() {
                self.errors.push(self.missing(node));
            } else if node.is_error() {
                self.errors.push(self.error_node(node));
            } else {
                descend = node.has_error();
            }
            if descend && cursor.goto_first_child() {
                continue;
            }
            // The next sibling, of this node or of the nearest ancestor that
            // has one; done when back at the root.
            loop {
                if cursor.node() == root {
                    return;
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }

    /// The error of a `MISSING` node: a missing `}` says which block it
    /// closes.
    fn missing(&self, node: Node) -> SyntaxError {
        let at = node.start_byte();
        let what = node.kind();
        let opened = node
            .parent()
            .filter(|b| what == "}" && b.kind() == "block")
            .and_then(|b| b.parent());
        if let Some(block) = opened {
            // At the end of what the block holds, not at the next block
            // (where the piece, and so the missing `}`, ends).
            let at = self.src[..at].trim_end().len().max(block.start_byte());
            let line = self.lines.borrow_mut().line(block.start_byte()) + 1;
            let kind = block.kind();
            return SyntaxError {
                range: at..at,
                message: format!("missing `}}` to close the `{kind}` block opened at line {line}"),
                help: Some("a line that starts with `map` or `document` begins a new block".into()),
            };
        }
        let what = if what == "identifier" { "an id" } else { what };
        SyntaxError {
            range: at..at,
            message: format!("missing `{what}`"),
            help: None,
        }
    }

    fn error_node(&self, node: Node) -> SyntaxError {
        let start = node.start_byte();
        let text = self.text(node);
        // Underline at most the first line of a large error region.
        let first_line = lines::first(text);
        let end = if first_line.trim().is_empty() {
            node.end_byte()
        } else {
            start + first_line.len()
        };
        let snippet = first_line.trim();
        let shown: String = snippet.chars().take(40).collect();
        let ellipsis = if shown.len() < snippet.len() {
            "…"
        } else {
            ""
        };
        let message = if snippet.is_empty() {
            "unexpected end of input".to_string()
        } else {
            format!("unexpected `{shown}{ellipsis}`")
        };
        let help = self.error_help(node, snippet);
        SyntaxError {
            range: start..end,
            message,
            help,
        }
    }

    fn error_help(&self, node: Node, snippet: &str) -> Option<String> {
        let before = self.src[..node.start_byte()].trim_end_matches([' ', '\t']);
        let start = node.start_byte();
        // Bytes, not str: the window may cut a multi-byte character.
        let near = &self.src.as_bytes()[start.saturating_sub(2)..(start + 3).min(self.src.len())];
        let near_block = near.windows(3).any(|w| w == b"\"\"\"");
        if snippet.contains("\"\"\"") || (snippet.starts_with('"') && near_block) {
            return Some("a \"\"\" block ends with \"\"\"; its text cannot hold three quotes in a row or end with a quote".into());
        }
        let quotes = snippet.matches('"').count() - snippet.matches("\\\"").count();
        if quotes % 2 == 1 {
            return Some(
                "a string must end on the line it starts; write a line break as \\n or use a \"\"\" block".into(),
            );
        }
        if snippet.starts_with(':') || snippet.ends_with(':') || before.ends_with(':') {
            return Some(
                "a reference is written DOC:ID with no spaces, e.g. etsi-en-303-645:5.1-1".into(),
            );
        }
        if let Some(id) = self.id_before_arrow(node) {
            let bare = &id[..id.len() - 1];
            return Some(format!(
                "ids may contain `-`, so `{id}>` reads as the id `{id}`: put a space before `->`, as in `{bare} -> `"
            ));
        }
        if snippet.starts_with('=') {
            return Some("fields are written `name value`, with no `=`".into());
        }
        None
    }

    /// The id written right before a `->` on the line of `node`, with the
    /// `-` it swallowed (`1-` in `map a:1->b:2`).
    ///
    /// Every syntax error asks, and a long line can hold thousands: the
    /// answer is kept for the line last asked about (errors come in order),
    /// so that each line is read once, not once per error.
    fn id_before_arrow(&self, node: Node) -> Option<&'a str> {
        let start = node.start_byte();
        let found = match self.arrow_line.get() {
            Some(line) if line.start <= start && start <= line.end => line.id,
            _ => {
                let (from, to) = (
                    lines::start_of_line(self.src, start),
                    lines::end_of_line(self.src, start),
                );
                let id = arrow_id(&self.src.as_bytes()[from..to])
                    .map(|r| (from + r.start, from + r.end));
                self.arrow_line.set(Some(ArrowLine {
                    start: from,
                    end: to,
                    id,
                }));
                id
            }
        };
        found.map(|(a, b)| &self.src[a..b])
    }

    fn string_error(&mut self, node: Node, e: strings::StringError) {
        let base = node.start_byte();
        self.errors.push(SyntaxError {
            range: base + e.range.start..base + e.range.end,
            message: e.message,
            help: None,
        });
    }

    fn name(&mut self, node: Node) -> Option<Name> {
        if node.is_missing() {
            return None;
        }
        let raw = self.text(node);
        let k = self.kinds;
        match node.kind_id() {
            id if id == k.identifier => Some(Name {
                text: self.words.get(raw),
                range: node.byte_range(),
                quoted: false,
            }),
            id if id == k.string => {
                let (text, errors) = decode_quoted(raw);
                for e in errors {
                    self.string_error(node, e);
                }
                Some(Name {
                    text: text.into(),
                    range: node.byte_range(),
                    quoted: true,
                })
            }
            _ => None,
        }
    }

    fn string(&mut self, node: Node) -> Option<StringValue> {
        let raw = self.text(node);
        let k = self.kinds;
        match node.kind_id() {
            id if id == k.string => {
                let (value, errors) = decode_quoted(raw);
                for e in errors {
                    self.string_error(node, e);
                }
                Some(StringValue {
                    value: value.into(),
                    range: node.byte_range(),
                    block: false,
                })
            }
            id if id == k.block_string => Some(StringValue {
                value: decode_block(raw).into(),
                range: node.byte_range(),
                block: true,
            }),
            _ => None,
        }
    }

    fn reference(&mut self, node: Node<'t>) -> Option<Reference> {
        let p = self.parts(node);
        let document = self.name(p.document?)?;
        let id = self.name(p.id?)?;
        Some(Reference {
            document,
            id,
            range: node.byte_range(),
        })
    }

    fn endpoint(&mut self, node: Node<'t>) -> Option<Endpoint> {
        let k = self.kinds;
        match node.kind_id() {
            id if id == k.reference => self.reference(node).map(Endpoint::Reference),
            id if id == k.identifier => self.name(node).map(Endpoint::Document),
            _ => None,
        }
    }

    fn value(&mut self, node: Node<'t>) -> Option<Value> {
        let k = self.kinds;
        match node.kind_id() {
            id if id == k.reference => self.reference(node).map(|r| Value::Reference(Box::new(r))),
            id if id == k.identifier => self.name(node).map(Value::Word),
            id if id == k.string || id == k.block_string => self.string(node).map(Value::String),
            _ => None,
        }
    }

    fn field(&mut self, node: Node<'t>) -> Option<Field> {
        let p = self.parts(node);
        let name = self.name(p.name?)?;
        // A workspace holds hundreds of thousands of fields, most with one
        // value: kept inline, sized exactly otherwise.
        let mut values =
            smallvec::SmallVec::with_capacity(p.value.is_some() as usize + p.more_values.len());
        for v in p.value.into_iter().chain(p.more_values) {
            values.extend(self.value(v));
        }
        Some(Field {
            name,
            values,
            range: node.byte_range(),
        })
    }

    /// The fields, clauses and provisions of a `{ ... }` block.
    fn block(
        &mut self,
        node: Option<Node<'t>>,
        fields: &mut Vec<Field>,
        clauses: &mut Vec<Clause>,
        provisions: &mut Vec<Provision>,
    ) {
        let Some(node) = node else { return };
        // The lowering, and everything that walks the AST after it, recurses
        // once per level: a limit keeps a pathological file from
        // overflowing the stack.
        if self.depth >= MAX_NESTING {
            self.errors.push(SyntaxError {
                range: node.start_byte()..node.start_byte() + 1,
                message: format!("blocks nest at most {MAX_NESTING} levels deep"),
                help: Some("what this block holds is not read".into()),
            });
            return;
        }
        let k = self.kinds;
        self.depth += 1;
        self.each_child(node, |this, child, _| match child.kind_id() {
            id if id == k.field => fields.extend(this.field(child)),
            id if id == k.clause => clauses.extend(this.clause(child)),
            id if id == k.provision => provisions.extend(this.provision(child)),
            _ => {}
        });
        self.depth -= 1;
        // The AST lives as long as the workspace: no spare capacity.
        fields.shrink_to_fit();
        clauses.shrink_to_fit();
        provisions.shrink_to_fit();
    }

    fn document(&mut self, node: Node<'t>) -> Option<Document> {
        let p = self.parts(node);
        let id = self.name(p.id?)?;
        let mut doc = Document {
            id,
            range: node.byte_range(),
            has_error: node.has_error(),
            fields: Vec::new(),
            clauses: Vec::new(),
            provisions: Vec::new(),
        };
        self.block(
            p.body,
            &mut doc.fields,
            &mut doc.clauses,
            &mut doc.provisions,
        );
        Some(doc)
    }

    fn clause(&mut self, node: Node<'t>) -> Option<Clause> {
        let p = self.parts(node);
        let id = self.name(p.id?)?;
        let mut clause = Clause {
            id,
            title: p.title.and_then(|t| self.string(t)),
            range: node.byte_range(),
            has_error: node.has_error(),
            fields: Vec::new(),
            clauses: Vec::new(),
            provisions: Vec::new(),
        };
        self.block(
            p.body,
            &mut clause.fields,
            &mut clause.clauses,
            &mut clause.provisions,
        );
        Some(clause)
    }

    fn provision(&mut self, node: Node<'t>) -> Option<Provision> {
        let p = self.parts(node);
        let id = self.name(p.id?)?;
        let mut provision = Provision {
            id,
            title: p.title.and_then(|t| self.string(t)),
            range: node.byte_range(),
            has_error: node.has_error(),
            fields: Vec::new(),
        };
        let mut clauses = Vec::new();
        let mut provisions = Vec::new();
        self.block(p.body, &mut provision.fields, &mut clauses, &mut provisions);
        self.reject_nested(
            &clauses,
            &provisions,
            "a provision cannot contain clauses or provisions",
            "close the provision's block first, or make the outer one a clause",
        );
        Some(provision)
    }

    /// A syntax error on each clause or provision found where none may be
    /// (inside a provision or a map), pointing at its keyword.
    fn reject_nested(
        &mut self,
        clauses: &[Clause],
        provisions: &[Provision],
        message: &str,
        help: &str,
    ) {
        let ranges = clauses
            .iter()
            .map(|c| &c.range)
            .chain(provisions.iter().map(|p| &p.range));
        for nested in ranges {
            let keyword = &self.src[nested.clone()];
            let len = keyword.find(char::is_whitespace).unwrap_or(keyword.len());
            self.errors.push(SyntaxError {
                range: nested.start..nested.start + len,
                message: message.into(),
                help: Some(help.into()),
            });
        }
    }

    fn map(&mut self, node: Node<'t>) -> Option<Map> {
        // A map whose head is broken is reported as a syntax error only:
        // its source and targets cannot be trusted.
        let p = self.parts(node);
        let body = p.body;
        // Without a body, an error right after the map on the same line
        // (`-> uk-cop-2018: 1`) belongs to its head too.
        let trailing_error = body.is_none()
            && self.next.is_some_and(|n| {
                n.is_error()
                    && !self.src.as_bytes()[node.end_byte()..n.start_byte().max(node.end_byte())]
                        .iter()
                        .any(|&b| lines::is_break_byte(b))
            });
        if p.error_outside_body || trailing_error {
            return None;
        }
        let source = self.endpoint(p.source?)?;
        let targets_node = p.targets?;
        let mut targets = Vec::with_capacity(targets_node.named_child_count());
        self.each_child(targets_node, |this, child, _| {
            if child.is_named() {
                targets.extend(this.endpoint(child));
            }
        });
        targets.shrink_to_fit();
        let mut fields = Vec::new();
        let (mut clauses, mut provisions) = (Vec::new(), Vec::new());
        self.block(body, &mut fields, &mut clauses, &mut provisions);
        self.reject_nested(
            &clauses,
            &provisions,
            "a map block holds fields only",
            "declare clauses and provisions inside a `document` block",
        );
        let head_end = body.map_or(node.end_byte(), |b| b.start_byte());
        let head_end = self.src[..head_end].trim_end().len().max(node.start_byte());
        Some(Map {
            source,
            targets,
            range: node.byte_range(),
            head_range: node.start_byte()..head_end,
            fields,
            has_error: node.has_error(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowers_the_example() {
        let src = r#"
document etsi-en-303-645 {
  title "Cyber Security"
  supersedes etsi-ts-103-645
  clause 5.1 "No universal default passwords" {
    provision 5.1-1 {
      status "M C (1)"
      replaces etsi-ts-103-645:4.1-1
    }
  }
}
map enisa-bsr-iot:GP-TM-23 -> uk-cop-2018:1, etsi-en-303-645:5.1-1 {
  relation related
}
map csa:"5.3.2 first" -> x:"y z"
"#;
        let p = parse(src);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let doc = &p.ast.documents[0];
        assert_eq!(doc.id.text, "etsi-en-303-645");
        assert_eq!(doc.fields.len(), 2);
        assert_eq!(doc.clauses[0].provisions[0].id.text, "5.1-1");
        assert_eq!(
            doc.clauses[0].title.as_ref().unwrap().value,
            "No universal default passwords"
        );
        let m = &p.ast.maps[0];
        assert_eq!(m.targets.len(), 2);
        assert_eq!(
            &src[m.head_range.clone()],
            "map enisa-bsr-iot:GP-TM-23 -> uk-cop-2018:1, etsi-en-303-645:5.1-1"
        );
        let m2 = &p.ast.maps[1];
        assert_eq!(m2.source.id().unwrap().text, "5.3.2 first");
        assert!(m2.source.id().unwrap().quoted);
        assert_eq!(m2.targets[0].id().unwrap().text, "y z");
    }

    #[test]
    fn recovers_after_errors() {
        let src = "map a: 1 -> b:2\ndocument x {\n  title \"unterminated\n}\nmap c:1 -> d:2 { relation equal-to }\n";
        let p = parse(src);
        assert!(!p.errors.is_empty());
        assert!(
            p.errors
                .iter()
                .any(|e| e.help.as_deref().is_some_and(|h| h.contains("DOC:ID")))
        );
        // The last map is still there.
        assert!(p.ast.maps.iter().any(|m| m.source.document().text == "c"));
    }

    /// A file with two documents (clauses, provisions, a bad escape) and
    /// three maps.
    const FILE: &str = r#"document a {
  title "A"
  clause 1 "One" {
    provision 1.1 { status "M" }
    provision 1.2 "Two" { text "bad \q escape" }
  }
}
map a:1.1 -> b:2, c:"3 x" {
  relation equal-to
  note "n"
}
map a:1.2 -> b:4 { relation related }
document b {
  provision 2 { title "B2" }
  provision 4 { title "B4" }
}
map b:2 -> a:1.1 {
  relation superset-of
}
"#;

    /// The tree-sitter position of a byte offset.
    fn point(text: &str, offset: usize) -> tree_sitter::Point {
        let row_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let row = text[..offset].matches('\n').count();
        tree_sitter::Point::new(row, offset - row_start)
    }

    /// Applies `edits` to `old` one after the other (each replaces its first
    /// string, which must occur once in the text as edited so far, by its
    /// second), editing the tree as the language server does, then checks
    /// `reparse` against a fresh parse and returns its result.
    fn edit(old: &str, edits: &[(&str, &str)]) -> Parse {
        let old_parse = parse(old);
        let mut tree = old_parse.tree_or_parse(old);
        let mut text = old.to_string();
        for &(find, replace) in edits {
            assert_eq!(text.matches(find).count(), 1, "{find:?}");
            let start = text.find(find).unwrap();
            let end = start + find.len();
            let mut new = text.clone();
            new.replace_range(start..end, replace);
            tree.edit(&tree_sitter::InputEdit {
                start_byte: start,
                old_end_byte: end,
                new_end_byte: start + replace.len(),
                start_position: point(&text, start),
                old_end_position: point(&text, end),
                new_end_position: point(&new, start + replace.len()),
            });
            text = new;
        }
        let reparsed = reparse(&text, &tree, old, &old_parse);
        let fresh = parse(&text);
        assert_eq!(format!("{:?}", reparsed.ast), format!("{:?}", fresh.ast));
        assert_eq!(reparsed.errors, fresh.errors);
        reparsed
    }

    #[test]
    fn edits_reparse_as_a_fresh_parse_does() {
        let p = edit(FILE, &[("note \"n\"", "note \"longer note\"")]);
        let m = &p.ast.maps[2];
        assert_eq!(m.source.id().unwrap().text, "2");
        assert_eq!(m.range.start, FILE.rfind("map b:2").unwrap() + 10);
        assert_eq!(p.errors.len(), 1);
        // An unterminated string: the rest of the line is an error.
        let p = edit(FILE, &[("note \"n\"", "note \"n")]);
        assert!(!p.errors.is_empty());
        // A `}` deleted, the opening `{` of a document deleted, a new `{`.
        let p = edit(FILE, &[("  note \"n\"\n}", "  note \"n\"\n")]);
        assert!(p.errors.len() > 1);
        edit(FILE, &[("document b {", "document b")]);
        edit(FILE, &[("map a:1.2 -> b:4 {", "map a:1.2 -> b:4 { {")]);
        edit(
            FILE,
            &[
                ("title \"A\"", "title \"AA\""),
                ("superset-of", "subset-of"),
            ],
        );
        let end = "superset-of\n}\n";
        edit(FILE, &[(end, "superset-of\n}\nmap z -> y")]);
        edit(FILE, &[(end, "superset-of\n}\n}")]);
        edit(FILE, &[(FILE, "")]);
        edit("", &[("", FILE)]);
    }

    #[test]
    fn bad_escape_is_a_located_error() {
        let src = "document d { title \"a\\qb\" }";
        let p = parse(src);
        assert_eq!(p.errors.len(), 1);
        assert_eq!(&src[p.errors[0].range.clone()], "\\q");
    }
}
