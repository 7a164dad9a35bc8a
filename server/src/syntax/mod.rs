//! Syntax: the typed, owned view of one `.xwalk` file (the AST), with byte
//! ranges into the source text, read by the hand parser ([`parser`]), and
//! tree-sitter's concrete tree of it for the editor features.
//!
//! The AST is lossy on purpose: it keeps what the model and the checks need
//! (ids, decoded string values, ranges) and records every syntax error with
//! a location. Comments and layout stay in the tree-sitter tree, which the
//! formatter and the editor features read directly.

pub mod edit;
pub mod ends;
pub mod lexical;
pub mod lines;
pub mod parser;
pub mod strings;
mod text;
mod tree;

use std::ops::Range;

pub use text::{Text, Words};
pub use tree::{parse_tree, reparse_tree};

/// How deep blocks may nest: a document's block is the first level. Deeper
/// blocks are a syntax error, and what they hold is not read (see
/// docs/format.md).
pub const MAX_NESTING: usize = 64;

/// A byte range into the source text of one file.
pub type TextRange = Range<usize>;

/// The longest text the AST can place: its ranges are kept in 31 bits
/// (see [`Span`]). A longer file is read as one syntax error (see
/// [`parser::read`]).
pub const MAX_TEXT_LEN: usize = FLAG as usize - 1;

/// The top bit of a [`Span`]'s end: not part of the offset.
const FLAG: u32 = 1 << 31;

/// A [`TextRange`] as the AST keeps it, in two `u32`s: a `map` block holds
/// some twenty ranges, and as two `usize`s they were a sixth of the AST of
/// a large workspace (docs/performance.md). The top bit of the end is a
/// flag of the node's own (a [`Name`] quoted, a [`StringValue`] written
/// as a `"""` block), which would otherwise pad the node by 8 bytes.
/// Read through the nodes' `range()` methods; written as `start..end` by
/// `Debug`, as a range is.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    pub fn range(self) -> TextRange {
        self.start as usize..(self.end & !FLAG) as usize
    }

    fn flagged(r: TextRange, flag: bool) -> Span {
        let mut span = Span::from(r);
        if flag {
            span.end |= FLAG;
        }
        span
    }

    fn flag(self) -> bool {
        self.end & FLAG != 0
    }

    /// Moved by `f` (which changes the range), the flag kept.
    fn map(&mut self, f: impl FnOnce(&mut TextRange)) {
        let mut range = self.range();
        f(&mut range);
        *self = Span::flagged(range, self.flag());
    }
}

impl From<TextRange> for Span {
    /// Offsets past [`MAX_TEXT_LEN`] are held at it (the reader reads no
    /// such text).
    fn from(r: TextRange) -> Span {
        let at = |x: usize| x.min(MAX_TEXT_LEN) as u32;
        Span {
            start: at(r.start),
            end: at(r.end),
        }
    }
}

impl std::fmt::Debug for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.range().fmt(f)
    }
}

/// The nodes of `tree` that hold `offset` (start <= offset < end, as
/// `Node::descendant_for_byte_range(offset, offset)` chooses them),
/// outermost first, the root included.
///
/// Walked down from the root with a cursor, so the cost grows with the
/// depth: `Node::parent` walks down from the root each time, and a loop of
/// it from a leaf costs the square of the depth (seconds on a file of
/// thousands of nested blocks).
pub fn nodes_at(tree: &tree_sitter::Tree, offset: usize) -> Vec<tree_sitter::Node<'_>> {
    let mut cursor = tree.walk();
    let mut out = vec![cursor.node()];
    while cursor.goto_first_child_for_byte(offset).is_some() {
        let node = cursor.node();
        if node.start_byte() > offset {
            break;
        }
        out.push(node);
    }
    out
}

/// One parsed file: the concrete tree and the typed view of it.
pub struct Parse {
    /// The concrete tree. Files loaded from disk drop it once lowered (it is
    /// the largest part of a parse); see `model::SourceFile::tree`.
    pub tree: Option<tree_sitter::Tree>,
    pub ast: SourceFile,
    pub errors: Vec<SyntaxError>,
}

/// Parses a file: the AST and the syntax errors (see [`parser`]), and
/// tree-sitter's tree for the editor features. Always succeeds: errors are
/// recorded, not raised.
pub fn parse(text: &str) -> Parse {
    let (ast, errors) = parser::read(text);
    Parse {
        tree: Some(parse_tree(text)),
        ast,
        errors,
    }
}

/// Parses a file whose concrete tree is not wanted (a file loaded from
/// disk): [`parse`] without the tree.
pub fn parse_without_tree(text: &str) -> Parse {
    let (ast, errors) = parser::read(text);
    Parse {
        tree: None,
        ast,
        errors,
    }
}

/// Parses `text` after an edit of `old`, whose parse was `old_parse`: the
/// AST and the errors [`parse`] gives, the pieces the edit left alone
/// copied ([`parser::splice`]), without the tree: the language server
/// leaves the edited tree to be parsed when a feature reads it
/// ([`reparse_tree`], see [`edit::Editor::finish`]).
pub fn reparse_ast(text: &str, old: &str, old_parse: &Parse) -> Parse {
    reparse_ast_at(text, old, old_parse, ends::CommonEnds::of(old, text))
}

/// [`reparse_ast`], given what the two texts have in common at either end.
pub fn reparse_ast_at(text: &str, old: &str, old_parse: &Parse, ends: ends::CommonEnds) -> Parse {
    let (ast, errors) =
        parser::splice::splice_at(old, &old_parse.ast, &old_parse.errors, text, ends)
            .unwrap_or_else(|| parser::read(text));
    Parse {
        tree: None,
        ast,
        errors,
    }
}

impl Parse {
    /// The tree, parsing `text` again when it was dropped.
    pub fn tree_or_parse(&self, text: &str) -> tree_sitter::Tree {
        self.tree.clone().unwrap_or_else(|| parse_tree(text))
    }
}

/// A syntax error: where, and what was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
    pub help: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct SourceFile {
    pub documents: Vec<Document>,
    /// Shared between versions: the version after an edit shares every
    /// `map` block the edit left alone with this one, those after it moved
    /// by an offset rather than copied (see [`MapAt`], [`parser::splice`]).
    pub maps: Vec<MapAt>,
}

/// A `map` block of a file's AST, shared between the versions of the file.
///
/// A block after an edit has moved: every range in it is off by the change
/// in length before it. Copying each such block to move its ranges (and
/// freeing the old copies) was a quarter of the language server's CPU per
/// keystroke in a 10,000-line file, so a block is kept as read, with the
/// offset it has moved by since. The moved copy is made the first time
/// something reads the block through `Deref` (every field, with its ranges
/// where they now are) and kept; what only needs where the block is and
/// whether it holds an error asks [`MapAt::block_range`] and
/// [`MapAt::block_has_error`], which make no copy.
#[derive(Clone)]
pub struct MapAt {
    /// The block as it was read (or as last moved and copied).
    read: std::sync::Arc<Map>,
    /// How far the block has moved since: `read`'s ranges plus `by`.
    by: isize,
    /// `read` moved by `by`, made on first use (never when `by` is 0).
    moved: std::sync::OnceLock<std::sync::Arc<Map>>,
}

impl MapAt {
    pub fn new(map: Map) -> MapAt {
        MapAt {
            read: std::sync::Arc::new(map),
            by: 0,
            moved: std::sync::OnceLock::new(),
        }
    }

    /// Where the block is, without copying a moved block.
    pub fn block_range(&self) -> TextRange {
        let r = self.read.range();
        r.start.wrapping_add_signed(self.by)..r.end.wrapping_add_signed(self.by)
    }

    /// Whether the block holds a syntax error, without copying a moved
    /// block.
    pub fn block_has_error(&self) -> bool {
        self.read.has_error
    }

    /// The block moved by `by` more bytes: shared, not copied.
    pub fn moved_by(&self, by: isize) -> MapAt {
        // A block already copied to where it was moves on from the copy.
        let (read, from) = match self.moved.get() {
            Some(copy) => (copy.clone(), 0),
            None => (self.read.clone(), self.by),
        };
        MapAt {
            read,
            by: from + by,
            moved: std::sync::OnceLock::new(),
        }
    }

    /// Whether both are the same block as read once, whether or not
    /// either has moved since: what an edit shares rather than copies.
    pub fn shares_with(&self, other: &MapAt) -> bool {
        std::sync::Arc::ptr_eq(&self.read, &other.read)
    }

    /// The block, to change: copied first if shared.
    pub fn make_mut(&mut self) -> &mut Map {
        if self.by != 0 {
            let moved = match self.moved.take() {
                Some(copy) => copy,
                None => {
                    let mut map = (*self.read).clone();
                    parser::splice::shift(&mut map, self.by);
                    std::sync::Arc::new(map)
                }
            };
            self.read = moved;
            self.by = 0;
        }
        std::sync::Arc::make_mut(&mut self.read)
    }
}

impl From<Map> for MapAt {
    fn from(map: Map) -> MapAt {
        MapAt::new(map)
    }
}

impl std::ops::Deref for MapAt {
    type Target = Map;

    fn deref(&self) -> &Map {
        if self.by == 0 {
            return &self.read;
        }
        self.moved.get_or_init(|| {
            let mut map = (*self.read).clone();
            parser::splice::shift(&mut map, self.by);
            std::sync::Arc::new(map)
        })
    }
}

impl std::fmt::Debug for MapAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// An identifier or a quoted id, with its decoded text.
#[derive(Clone, PartialEq, Eq)]
pub struct Name {
    pub text: Text,
    /// Flagged when written as a quoted string rather than a bare token.
    range: Span,
}

impl Name {
    pub fn new(text: Text, range: TextRange, quoted: bool) -> Name {
        let range = Span::flagged(range, quoted);
        Name { text, range }
    }

    pub fn range(&self) -> TextRange {
        self.range.range()
    }

    /// Written as a quoted string rather than a bare token.
    pub fn quoted(&self) -> bool {
        self.range.flag()
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Name")
            .field("text", &self.text)
            .field("range", &self.range)
            .field("quoted", &self.quoted())
            .finish()
    }
}

/// `document ID { ... }`
#[derive(Clone, Debug)]
pub struct Document {
    pub id: Name,
    pub range: TextRange,
    /// The block holds a syntax error (checks that would only repeat it,
    /// such as a missing field, stay quiet).
    pub has_error: bool,
    pub fields: Vec<Field>,
    pub clauses: Vec<Clause>,
    pub provisions: Vec<Provision>,
}

/// `clause ID ["title"] { ... }`
#[derive(Clone, Debug)]
pub struct Clause {
    pub id: Name,
    pub title: Option<StringValue>,
    pub range: TextRange,
    pub has_error: bool,
    pub fields: Vec<Field>,
    pub clauses: Vec<Clause>,
    pub provisions: Vec<Provision>,
}

/// `provision ID ["title"] { ... }`
#[derive(Clone, Debug)]
pub struct Provision {
    pub id: Name,
    pub title: Option<StringValue>,
    pub range: TextRange,
    pub has_error: bool,
    pub fields: Vec<Field>,
}

/// `map SOURCE -> TARGET, ... { ... }`
#[derive(Clone, Debug)]
pub struct Map {
    pub source: Endpoint,
    pub targets: Vec<Endpoint>,
    range: Span,
    /// The `map SOURCE -> TARGETS` part, without the block.
    head_range: Span,
    pub fields: Vec<Field>,
    pub has_error: bool,
}

impl Map {
    pub fn new(
        (source, targets): (Endpoint, Vec<Endpoint>),
        range: TextRange,
        head_range: TextRange,
        fields: Vec<Field>,
        has_error: bool,
    ) -> Map {
        Map {
            source,
            targets,
            range: range.into(),
            head_range: head_range.into(),
            fields,
            has_error,
        }
    }

    pub fn range(&self) -> TextRange {
        self.range.range()
    }

    /// The `map SOURCE -> TARGETS` part, without the block.
    pub fn head_range(&self) -> TextRange {
        self.head_range.range()
    }
}

/// A mapping source or target: `DOC` or `DOC:ID`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Document(Name),
    Reference(Reference),
}

impl Endpoint {
    pub fn document(&self) -> &Name {
        match self {
            Endpoint::Document(name) => name,
            Endpoint::Reference(r) => &r.document,
        }
    }

    pub fn range(&self) -> TextRange {
        match self {
            Endpoint::Document(name) => name.range(),
            Endpoint::Reference(r) => r.range(),
        }
    }

    /// The provision id, when the endpoint is a reference.
    pub fn id(&self) -> Option<&Name> {
        match self {
            Endpoint::Document(_) => None,
            Endpoint::Reference(r) => Some(&r.id),
        }
    }

    /// The document id and the provision id, as text: what identifies
    /// the endpoint.
    pub fn key(&self) -> (&str, Option<&str>) {
        (&self.document().text, self.id().map(|n| n.text.as_str()))
    }
}

/// `DOC:ID` or `DOC:"quoted id"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub document: Name,
    pub id: Name,
}

impl Reference {
    pub fn new(document: Name, id: Name) -> Reference {
        Reference { document, id }
    }

    /// From the document to the id (kept by neither: read from them).
    pub fn range(&self) -> TextRange {
        self.document.range().start..self.id.range().end
    }
}

/// `NAME VALUE, VALUE, ...`
#[derive(Clone, Debug)]
pub struct Field {
    pub name: Name,
    /// Inline when there is one (most fields): no allocation of its own.
    pub values: smallvec::SmallVec<[Value; 1]>,
}

impl Field {
    pub fn new(name: Name, values: smallvec::SmallVec<[Value; 1]>) -> Field {
        Field { name, values }
    }

    /// From the name to the last value (kept by neither: read from them).
    pub fn range(&self) -> TextRange {
        let end = self
            .values
            .last()
            .map_or(self.name.range().end, |v| v.range().end);
        self.name.range().start..end
    }

    /// The range of the values (from the first to the last).
    pub fn values_range(&self) -> TextRange {
        match (self.values.first(), self.values.last()) {
            (Some(first), Some(last)) => first.range().start..last.range().end,
            _ => self.name.range(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A bare token: a document id, a number, an enumerated value.
    Word(Name),
    String(StringValue),
    /// Boxed: references are rare among values (`replaces`), and inline
    /// they would make every value, so every field, twice as large
    /// (docs/performance.md, "Memory").
    Reference(Box<Reference>),
}

impl Value {
    pub fn range(&self) -> TextRange {
        match self {
            Value::Word(n) => n.range(),
            Value::String(s) => s.range(),
            Value::Reference(r) => r.range(),
        }
    }

    /// A short description of the kind of value, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Word(_) => "a bare word",
            Value::String(_) => "a string",
            Value::Reference(_) => "a reference",
        }
    }
}

/// A `"..."` or `"""..."""` string with its decoded value.
#[derive(Clone, PartialEq, Eq)]
pub struct StringValue {
    pub value: Text,
    /// Flagged when written as a `"""` block.
    range: Span,
}

impl StringValue {
    pub fn new(value: Text, range: TextRange, block: bool) -> StringValue {
        let range = Span::flagged(range, block);
        StringValue { value, range }
    }

    pub fn range(&self) -> TextRange {
        self.range.range()
    }

    /// Written as a `"""` block.
    pub fn block(&self) -> bool {
        self.range.flag()
    }
}

impl std::fmt::Debug for StringValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StringValue")
            .field("value", &self.value)
            .field("range", &self.range)
            .field("block", &self.block())
            .finish()
    }
}

/// Calls `f` on every provision, at any depth of clauses.
pub fn walk_provisions<'a>(
    clauses: &'a [Clause],
    provisions: &'a [Provision],
    f: &mut impl FnMut(&'a Provision),
) {
    provisions.iter().for_each(&mut *f);
    for c in clauses {
        walk_provisions(&c.clauses, &c.provisions, f);
    }
}

/// Calls `f` on every clause, at any depth.
pub fn walk_clauses<'a>(clauses: &'a [Clause], f: &mut impl FnMut(&'a Clause)) {
    for c in clauses {
        f(c);
        walk_clauses(&c.clauses, f);
    }
}
