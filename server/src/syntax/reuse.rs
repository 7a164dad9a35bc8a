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

use rustc_hash::FxHashMap;
use tree_sitter::Node;

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
}

/// The reusable items of a previous parse, by kind and text.
pub(super) struct Reuse<'o> {
    documents: Table<'o, Document>,
    maps: Table<'o, Map>,
}

/// The reusable items of one kind, by their source text.
pub(super) struct Table<'o, T> {
    items: &'o [T],
    errors: &'o [(usize, SyntaxError)],
    by_text: FxHashMap<&'o str, usize>,
}

impl<'o, T: Item> Table<'o, T> {
    fn new(old_text: &'o str, items: &'o [T], errors: &'o [(usize, SyntaxError)]) -> Self {
        let mut by_text = FxHashMap::with_capacity_and_hasher(items.len(), Default::default());
        for (i, item) in items.iter().enumerate() {
            if item.has_error() {
                continue;
            }
            // Identical items are interchangeable: keep the first.
            if let Some(text) = old_text.get(item.range().clone()) {
                by_text.entry(text).or_insert(i);
            }
        }
        Table {
            items,
            errors,
            by_text,
        }
    }
}

impl<'o> Reuse<'o> {
    /// The items of `old`, a parse of `old_text`.
    pub(super) fn new(old_text: &'o str, old: &'o Parse) -> Self {
        Reuse {
            documents: Table::new(old_text, &old.ast.documents, &old.item_errors.documents),
            maps: Table::new(old_text, &old.ast.maps, &old.item_errors.maps),
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
        let table = T::table(self);
        let &i = table.by_text.get(&src[node.byte_range()])?;
        if !T::lowers_alone(node) {
            return None;
        }
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
    /// Whether lowering `node` reads nothing but the node itself.
    fn lowers_alone(node: Node) -> bool;
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
    fn lowers_alone(_: Node) -> bool {
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
    /// part of its head.
    fn lowers_alone(node: Node) -> bool {
        node.child_by_field_name("body").is_some()
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

impl<T: Shift> Shift for Vec<T> {
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

impl Shift for Name {
    fn shift(&mut self, by: isize) {
        let Name {
            text: _,
            range,
            quoted: _,
        } = self;
        range.shift(by);
    }
}

impl Shift for StringValue {
    fn shift(&mut self, by: isize) {
        let StringValue {
            value: _,
            range,
            block: _,
        } = self;
        range.shift(by);
    }
}

impl Shift for Reference {
    fn shift(&mut self, by: isize) {
        let Reference {
            document,
            id,
            range,
        } = self;
        document.shift(by);
        id.shift(by);
        range.shift(by);
    }
}

impl Shift for Endpoint {
    fn shift(&mut self, by: isize) {
        match self {
            Endpoint::Document(name) => name.shift(by),
            Endpoint::Reference(r) => r.shift(by),
        }
    }
}

impl Shift for Value {
    fn shift(&mut self, by: isize) {
        match self {
            Value::Word(name) => name.shift(by),
            Value::String(s) => s.shift(by),
            Value::Reference(r) => r.shift(by),
        }
    }
}

impl Shift for Field {
    fn shift(&mut self, by: isize) {
        let Field {
            name,
            values,
            range,
        } = self;
        name.shift(by);
        values.shift(by);
        range.shift(by);
    }
}

impl Shift for Provision {
    fn shift(&mut self, by: isize) {
        let Provision {
            id,
            title,
            range,
            has_error: _,
            fields,
        } = self;
        id.shift(by);
        title.shift(by);
        range.shift(by);
        fields.shift(by);
    }
}

impl Shift for Clause {
    fn shift(&mut self, by: isize) {
        let Clause {
            id,
            title,
            range,
            has_error: _,
            fields,
            clauses,
            provisions,
        } = self;
        id.shift(by);
        title.shift(by);
        range.shift(by);
        fields.shift(by);
        clauses.shift(by);
        provisions.shift(by);
    }
}

impl Shift for Document {
    fn shift(&mut self, by: isize) {
        let Document {
            id,
            range,
            has_error: _,
            fields,
            clauses,
            provisions,
        } = self;
        id.shift(by);
        range.shift(by);
        fields.shift(by);
        clauses.shift(by);
        provisions.shift(by);
    }
}

impl Shift for Map {
    fn shift(&mut self, by: isize) {
        let Map {
            source,
            targets,
            range,
            head_range,
            fields,
            has_error: _,
        } = self;
        source.shift(by);
        targets.shift(by);
        range.shift(by);
        head_range.shift(by);
        fields.shift(by);
    }
}
