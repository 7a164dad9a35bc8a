//! Reuse after an edit: the top-level items of the previous parse whose
//! text is unchanged, to copy (with their ranges shifted) instead of
//! lowering them again. See [`super::reparse_reusing`].
//!
//! An item is copied only when lowering it again could not give anything
//! else: its text is byte-for-byte the text of an old item, neither the old
//! item nor the new node holds a syntax error (the same error-free text
//! parses to the same subtree wherever it stands), no error node stands
//! beside it, and, for a map, it has a `{ ... }` body (a body-less map looks
//! at what follows it; see `Lower::map`). Everything else is lowered again.

use tree_sitter::Node;

use super::ends::OldBlocks;
use super::*;

/// The errors found while lowering each top-level item of a parse (bad
/// escapes, nested blocks), kept beside the AST so that a copied item
/// brings its errors along. Errors of `ERROR` and `MISSING` nodes are not
/// here: they are collected from the whole tree on every parse.
#[derive(Default)]
pub(super) struct ItemErrors {
    /// `(index into ast.documents, error)`, in index order.
    pub(super) documents: Vec<(usize, SyntaxError)>,
    /// `(index into ast.maps, error)`, in index order.
    pub(super) maps: Vec<(usize, SyntaxError)>,
    /// How many items were copied rather than lowered (for tests).
    pub(super) copied: usize,
    /// Set by lowering. A parse made otherwise (say, decoded from a cache
    /// that left this table out) lacks it, and nothing is copied from it.
    pub(super) complete: bool,
}

/// The reusable items of a previous parse, by kind and text.
pub(super) struct Reuse<'o> {
    documents: Table<'o, Document>,
    maps: Table<'o, Map>,
}

/// The reusable items of one kind: found in place where the old and new
/// texts agree, else by their text (see `syntax::ends`).
pub(super) struct Table<'o, T> {
    items: &'o [T],
    errors: &'o [(usize, SyntaxError)],
    blocks: OldBlocks<'o>,
}

impl<'o, T: Item> Table<'o, T> {
    fn new(
        old_text: &'o str,
        new_text: &str,
        items: &'o [T],
        errors: &'o [(usize, SyntaxError)],
    ) -> Self {
        let candidates = items
            .iter()
            .enumerate()
            .filter(|(_, item)| !item.has_error())
            .map(|(i, item)| (item.range().clone(), i));
        Table {
            items,
            errors,
            blocks: OldBlocks::new(old_text, new_text, candidates),
        }
    }
}

impl<'o> Reuse<'o> {
    /// The items of `old`, a parse of `old_text`, for a parse of
    /// `new_text`.
    pub(super) fn new(old_text: &'o str, new_text: &str, old: &'o Parse) -> Self {
        let (documents, maps) = if old.item_errors.complete {
            (&old.ast.documents[..], &old.ast.maps[..])
        } else {
            (&[][..], &[][..])
        };
        Reuse {
            documents: Table::new(old_text, new_text, documents, &old.item_errors.documents),
            maps: Table::new(old_text, new_text, maps, &old.item_errors.maps),
        }
    }

    /// A copy of the old item with the text of `node` (an error-free
    /// top-level node of `src` with no error beside it), moved to the node's
    /// position; its lowering errors, moved likewise, go to `errors`.
    pub(super) fn copy<T: Item>(
        &self,
        node: Node,
        src: &str,
        errors: &mut Vec<SyntaxError>,
    ) -> Option<T> {
        let text = &src[node.byte_range()];
        if !T::lowers_alone(text) {
            return None;
        }
        let table = T::table(self);
        let i = table.blocks.find(src, &node.byte_range())?;
        let old = &table.items[i];
        let by = node.start_byte() as isize - old.range().start as isize;
        let mut item = old.clone();
        if by != 0 {
            item.shift(by);
        }
        let first = table.errors.partition_point(|(j, _)| *j < i);
        let own = table.errors[first..].iter().take_while(|(j, _)| *j == i);
        errors.extend(own.map(|(_, e)| {
            let mut e = e.clone();
            e.range.shift(by);
            e
        }));
        Some(item)
    }
}

/// A top-level item: a `document` or a `map`.
pub(super) trait Item: Clone + Shift {
    fn range(&self) -> &TextRange;
    fn has_error(&self) -> bool;
    fn table<'r, 'o>(reuse: &'r Reuse<'o>) -> &'r Table<'o, Self>;
    /// The lowering errors of the items of this kind.
    fn errors_mut(errors: &mut ItemErrors) -> &mut Vec<(usize, SyntaxError)>;
    /// Whether lowering an error-free node with this text reads nothing
    /// but the node itself.
    fn lowers_alone(text: &str) -> bool;
}

impl Item for Document {
    fn range(&self) -> &TextRange {
        &self.range
    }
    fn has_error(&self) -> bool {
        self.has_error
    }
    fn table<'r, 'o>(reuse: &'r Reuse<'o>) -> &'r Table<'o, Self> {
        &reuse.documents
    }
    fn errors_mut(errors: &mut ItemErrors) -> &mut Vec<(usize, SyntaxError)> {
        &mut errors.documents
    }
    fn lowers_alone(_: &str) -> bool {
        true
    }
}

impl Item for Map {
    fn range(&self) -> &TextRange {
        &self.range
    }
    fn has_error(&self) -> bool {
        self.has_error
    }
    fn table<'r, 'o>(reuse: &'r Reuse<'o>) -> &'r Table<'o, Self> {
        &reuse.maps
    }
    fn errors_mut(errors: &mut ItemErrors) -> &mut Vec<(usize, SyntaxError)> {
        &mut errors.maps
    }
    /// A map without a body takes an error after it on the same line as
    /// part of its head. An error-free map ends with `}` exactly when it has
    /// a body: its targets end with an id or a quote, and tree-sitter leaves
    /// trailing comments outside a node. (Cheaper than asking the node for
    /// its `body` child, which walks its children.)
    fn lowers_alone(text: &str) -> bool {
        text.ends_with('}')
    }
}

/// Moving every byte range of a value by the same offset. The patterns
/// name every field, so that a new range cannot be forgotten here.
pub(super) trait Shift {
    fn shift(&mut self, by: isize);
}

impl Shift for TextRange {
    fn shift(&mut self, by: isize) {
        self.start = self.start.wrapping_add_signed(by);
        self.end = self.end.wrapping_add_signed(by);
    }
}

/// Vectors and small vectors of the AST, through their slices.
impl<T: Shift> Shift for [T] {
    fn shift(&mut self, by: isize) {
        self.iter_mut().for_each(|x| x.shift(by));
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: isize) {
        if let Some(x) = self {
            x.shift(by);
        }
    }
}

/// `impl Shift` for a struct: moves the fields listed first; the pattern
/// names the others too (`ignoring`), so a field added to the type must be
/// listed here.
macro_rules! shift_struct {
    ($ty:ident { $($field:ident),* } ignoring { $($other:ident),* }) => {
        impl Shift for $ty {
            fn shift(&mut self, by: isize) {
                let $ty { $($field,)* $($other: _,)* } = self;
                $($field.shift(by);)*
            }
        }
    };
}

/// `impl Shift` for an enum whose variants each hold one shiftable value.
macro_rules! shift_enum {
    ($ty:ident: $($variant:ident),*) => {
        impl Shift for $ty {
            fn shift(&mut self, by: isize) {
                match self {
                    $($ty::$variant(x) => x.shift(by),)*
                }
            }
        }
    };
}

shift_struct!(Name { range } ignoring { text, quoted });
shift_struct!(StringValue { range } ignoring { value, block });
shift_struct!(Reference { document, id, range } ignoring {});
shift_struct!(Field { name, values, range } ignoring {});
shift_struct!(Provision { id, title, range, fields } ignoring { has_error });
shift_struct!(Clause { id, title, range, fields, clauses, provisions } ignoring { has_error });
shift_struct!(Document { id, range, fields, clauses, provisions } ignoring { has_error });
shift_struct!(Map { source, targets, range, head_range, fields } ignoring { has_error });
shift_enum!(Endpoint: Document, Reference);
shift_enum!(Value: Word, String, Reference);
