//! The AST after an edit, reading only the edited part of the text.
//!
//! The language server reparses the edited file on every keystroke. Reading
//! a 10,000-line file takes a few milliseconds, most of the time a
//! keystroke's diagnostics take; the edit touches one block. Since a line
//! that begins a top-level block always begins one (see
//! [`lexical::starts_block`]), the text between two such lines is read the
//! same wherever it stands: [`splice`] reads only the pieces the edit
//! touched, and copies every other top-level block of the previous AST and
//! its syntax errors, moved by the change in length (and in lines, for the
//! messages that name a line).
//!
//! `tests/reparse.rs` checks that the result is exactly what a fresh
//! [`super::read`] gives, on random files and edits, errors included.

use super::messages;
use super::read_range;
use crate::syntax::*;

/// The AST and the syntax errors of `new`, the text of a file after an
/// edit of `old`, whose AST and errors were `old_ast` and `old_errors`;
/// `None` when something of the old reading crosses the edited pieces'
/// bounds (never, for a reading by [`super::read`]; then read `new` whole).
pub fn splice(
    old: &str,
    old_ast: &SourceFile,
    old_errors: &[SyntaxError],
    new: &str,
) -> Option<(SourceFile, Vec<SyntaxError>)> {
    splice_at(
        old,
        old_ast,
        old_errors,
        new,
        ends::CommonEnds::of(old, new),
    )
}

/// [`splice`], given what the texts have in common at either end.
pub fn splice_at(
    old: &str,
    old_ast: &SourceFile,
    old_errors: &[SyntaxError],
    new: &str,
    ends: ends::CommonEnds,
) -> Option<(SourceFile, Vec<SyntaxError>)> {
    if new.len() > crate::syntax::MAX_TEXT_LEN {
        return None;
    }
    // Where the texts differ: after their common start, before their
    // common end.
    let (start, old_end) = (ends.prefix, old.len() - ends.suffix);
    let from = cut_before(old.as_bytes(), start);
    let to_old = cut_after(old.as_bytes(), old_end);
    let by = new.len() as isize - old.len() as isize;
    let to_new = to_old.checked_add_signed(by)?;
    let moved = |range: &TextRange| range.start >= to_old;
    let kept = |range: &TextRange| range.end <= from;
    // Everything lies within its piece; be sure anyway.
    let straddles = |range: &TextRange| {
        (range.start < from && range.end > from) || (range.start < to_old && range.end > to_old)
    };
    // The maps before the edited pieces and those after them: the maps are
    // in source order, and those in between are read again.
    let maps_before = old_ast
        .maps
        .partition_point(|m| m.block_range().end <= from);
    let maps_after = old_ast
        .maps
        .partition_point(|m| m.block_range().start < to_old);
    if old_ast.documents.iter().any(|d| straddles(&d.range))
        // Only the first map that ends after `from` can hold it, and only
        // the last that starts before the end of the edited pieces that end.
        || [Some(maps_before), maps_after.checked_sub(1)]
            .into_iter()
            .flatten()
            .any(|i| (old_ast.maps.get(i)).is_some_and(|m| straddles(&m.block_range())))
        || old_errors.iter().any(|e| straddles(&e.range))
    {
        return None;
    }
    let (edited, edited_errors) = read_range(new, from..to_new);
    // Messages that name a line ("opened at line N") after the edit move
    // by the lines it added or removed.
    let lines_by =
        lines::count(&new[from..to_new]) as isize - lines::count(&old[from..to_old]) as isize;
    let mut errors = Vec::with_capacity(old_errors.len() + edited_errors.len());
    errors.extend(old_errors.iter().filter(|e| e.range.start < from).cloned());
    errors.extend(edited_errors);
    // An error at the very end of the old text (a block left open there)
    // is the last edited piece's.
    let moved_error = |e: &&SyntaxError| e.range.start >= to_old && to_old < old.len();
    errors.extend(old_errors.iter().filter(moved_error).map(|e| {
        let mut e = e.clone();
        e.range.shift(by);
        messages::shift_line(&mut e, lines_by);
        e
    }));
    let mut documents: Vec<Document> = Vec::new();
    documents.extend(old_ast.documents.iter().filter(|d| kept(&d.range)).cloned());
    documents.extend(edited.documents);
    documents.extend(
        old_ast
            .documents
            .iter()
            .filter(|d| moved(&d.range))
            .map(|d| {
                let mut d = d.clone();
                d.shift(by);
                d
            }),
    );
    let mut maps = Vec::with_capacity(old_ast.maps.len() + edited.maps.len());
    maps.extend_from_slice(&old_ast.maps[..maps_before]);
    maps.extend(edited.maps);
    maps.extend(old_ast.maps[maps_after..].iter().map(|m| m.moved_by(by)));
    maps.shrink_to_fit();
    let ast = SourceFile { documents, maps };
    Some((ast, errors))
}

/// Moves every range of `map` by `by` bytes.
pub(in crate::syntax) fn shift(map: &mut Map, by: isize) {
    map.shift(by);
}

/// The last line before `start` that begins a top-level block in both
/// texts (its line break and its keyword with the byte after it lie in the
/// common prefix), or 0.
fn cut_before(old: &[u8], start: usize) -> usize {
    let common = &old[..start];
    // The longest keyword and the byte after it.
    let span = lexical::TOP_LEVEL_KEYWORDS
        .iter()
        .map(|k| k.len() + 1)
        .max()
        .unwrap_or(0);
    let mut end = common.len();
    while let Some(i) = memchr::memrchr2(b'\n', b'\r', &common[..end]) {
        let line = i + 1;
        if common.len() - line >= span && lexical::starts_block(&common[line..]) {
            return line;
        }
        end = i;
    }
    0
}

/// The first line after `old_end` that begins a top-level block (in the
/// common suffix, so in both texts), or the end of `old`.
fn cut_after(old: &[u8], old_end: usize) -> usize {
    let mut from = old_end;
    while let Some(i) = memchr::memchr2(b'\n', b'\r', &old[from..]) {
        let line = from + i + 1;
        if lexical::starts_block(&old[line..]) {
            return line;
        }
        from = line;
    }
    old.len()
}

/// Every byte range of a value of the AST, visited: to move an item
/// (an edit's copied `document` blocks, a moved `map` block when read). The
/// impls destructure every field, so that a range added to the AST cannot
/// be forgotten here.
trait Ranges {
    fn ranges(&mut self, f: &mut dyn FnMut(&mut TextRange));

    /// Moves every range by `by` bytes.
    fn shift(&mut self, by: isize) {
        self.ranges(&mut |r| {
            r.start = r.start.wrapping_add_signed(by);
            r.end = r.end.wrapping_add_signed(by);
        });
    }
}

impl Ranges for TextRange {
    fn ranges(&mut self, f: &mut dyn FnMut(&mut TextRange)) {
        f(self);
    }
}

impl Ranges for Span {
    fn ranges(&mut self, f: &mut dyn FnMut(&mut TextRange)) {
        self.map(f);
    }
}

impl<T: Ranges> Ranges for [T] {
    fn ranges(&mut self, f: &mut dyn FnMut(&mut TextRange)) {
        self.iter_mut().for_each(|x| x.ranges(f));
    }
}

impl<T: Ranges + ?Sized> Ranges for Box<T> {
    fn ranges(&mut self, f: &mut dyn FnMut(&mut TextRange)) {
        (**self).ranges(f);
    }
}

impl<T: Ranges> Ranges for Option<T> {
    fn ranges(&mut self, f: &mut dyn FnMut(&mut TextRange)) {
        if let Some(x) = self {
            x.ranges(f);
        }
    }
}

/// `impl Ranges` for a struct: visits the fields listed first, in order;
/// the pattern names the others too (`ignoring`), so a field added to the
/// type must be listed here.
macro_rules! ranges_of_struct {
    ($ty:ident { $($field:ident),* } ignoring { $($other:ident),* }) => {
        impl Ranges for $ty {
            fn ranges(&mut self, f: &mut dyn FnMut(&mut TextRange)) {
                let $ty { $($field,)* $($other: _,)* } = self;
                $($field.ranges(f);)*
            }
        }
    };
}

/// `impl Ranges` for an enum whose variants each hold one value.
macro_rules! ranges_of_enum {
    ($ty:ident: $($variant:ident),*) => {
        impl Ranges for $ty {
            fn ranges(&mut self, f: &mut dyn FnMut(&mut TextRange)) {
                match self {
                    $($ty::$variant(x) => x.ranges(f),)*
                }
            }
        }
    };
}

ranges_of_struct!(Name { range } ignoring { text });
ranges_of_struct!(StringValue { range } ignoring { value });
ranges_of_struct!(Reference { document, id } ignoring {});
ranges_of_struct!(Field { name, values } ignoring {});
ranges_of_struct!(Provision { id, title, range, fields } ignoring { has_error });
ranges_of_struct!(Clause { id, title, range, fields, clauses, provisions } ignoring { has_error });
ranges_of_struct!(Document { id, range, fields, clauses, provisions } ignoring { has_error });
ranges_of_struct!(Map { source, targets, range, head_range, fields } ignoring { has_error });
ranges_of_enum!(Endpoint: Document, Reference);
ranges_of_enum!(Value: Word, String, Reference);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_around_an_edit() {
        let text = "map a -> b\nmap c -> d {\n  note \"x\"\n}\nmap e -> f\n";
        let second = text.find("map c").unwrap();
        let third = text.find("map e").unwrap();
        let note = text.find("note").unwrap();
        assert_eq!(cut_before(text.as_bytes(), note), second);
        assert_eq!(cut_after(text.as_bytes(), note), third);
        // An edit within a keyword's reach: the cut before it is taken.
        assert_eq!(cut_before(text.as_bytes(), second + 2), 0);
        assert_eq!(cut_after(text.as_bytes(), third), text.len());
    }

    #[test]
    fn only_the_edited_block_is_read_again() {
        let old = "# c\nmap a:1 -> b:2 {\n  note \"x\"\n}\nmap a:3 -> b:4\ndocument d {\n  title \"T\"\n}\n";
        let (old_ast, old_errors) = super::super::read(old);
        for new in [
            old.replace("note \"x\"", "note \"xyz\""),
            // A break in the edited piece, and lines added before a block
            // left open.
            old.replace("note \"x\"", "note \"x"),
            old.replace("# c\n", "# c\n\n\n")
                .replace("  title \"T\"\n}", "  title \"T\""),
        ] {
            let spliced = splice(old, &old_ast, &old_errors, &new).unwrap();
            let fresh = super::super::read(&new);
            assert_eq!(format!("{spliced:?}"), format!("{fresh:?}"));
        }
        // From a text with errors: a block left open, its line moved.
        let old = "map a -> b {\nmap c -> d {\n";
        let (old_ast, old_errors) = super::super::read(old);
        let new = "\n\nmap a -> b {\nmap c -> d {\n";
        let spliced = splice(old, &old_ast, &old_errors, new).unwrap();
        assert_eq!(
            format!("{spliced:?}"),
            format!("{:?}", super::super::read(new))
        );
        assert!(spliced.1[1].message.contains("line 4"), "{:?}", spliced.1);
    }

    #[test]
    fn a_block_across_the_edited_pieces_bounds_is_read_whole() {
        let old = "map a:1 -> b:1\nmap a:2 -> b:2\nmap a:3 -> b:3\nmap a:4 -> b:4\n";
        // An edit over the second and third blocks.
        let new = old.replace("b:2", "b:20").replace("b:3", "b:30");
        let (mut ast, errors) = super::super::read(old);
        assert!(splice(old, &ast, &errors, &new).is_some());
        // Not a reading `read` gives: the third block reaching into the
        // fourth, across the end of the edited pieces.
        ast.maps[2].make_mut().range.end += 3;
        assert!(splice(old, &ast, &errors, &new).is_none());
        let (mut ast, errors) = super::super::read(old);
        // The first block reaching into the second, across its start.
        ast.maps[0].make_mut().range.end += 3;
        assert!(splice(old, &ast, &errors, &new).is_none());
    }

    #[test]
    fn blocks_after_an_edit_move_without_a_copy() {
        let v1 = "map a:1 -> b:1\nmap a:2 -> b:2 {\n  note \"x\"\n}\nmap a:3 -> b:3 {\n  note \"y\"\n}\n";
        let (ast1, errors1) = super::super::read(v1);
        // Three versions, each an edit before the last two blocks.
        let v2 = v1.replace("a:1", "a:100");
        let (ast2, errors2) = splice(v1, &ast1, &errors1, &v2).unwrap();
        let v3 = v2.replace("a:100", "a:1000000");
        let (ast3, _) = splice(&v2, &ast2, &errors2, &v3).unwrap();
        for (old, new) in [(&ast1, &ast2), (&ast2, &ast3)] {
            assert!(!old.maps[0].shares_with(&new.maps[0]));
            assert!(old.maps[1].shares_with(&new.maps[1]));
            assert!(old.maps[2].shares_with(&new.maps[2]));
        }
        // Where they are, asked of the block or read from its copy, is where
        // a fresh reading puts them; the ranges inside moved too.
        let fresh = super::super::read(&v3).0;
        for (m, f) in ast3.maps.iter().zip(&fresh.maps) {
            assert_eq!(m.block_range(), f.range());
            assert_eq!(m.block_has_error(), f.has_error);
            assert_eq!(format!("{:?}", **m), format!("{:?}", **f));
        }
        let note = v3.find("note \"y\"").unwrap();
        assert_eq!(ast3.maps[2].fields[0].range().start, note);
        // Read once (copied there), then moved again: from the copy.
        let v4 = v3.replace("a:1000000", "a:1");
        let (ast4, _) = splice(&v3, &ast3, &[], &v4).unwrap();
        assert!(!ast4.maps[2].shares_with(&ast1.maps[2]));
        assert_eq!(
            ast4.maps[2].fields[0].range().start,
            v4.find("note \"y\"").unwrap()
        );
        assert_eq!(ast4.maps[1].block_range(), ast1.maps[1].range());
        // Changed in place, a moved block keeps its place, whether it was
        // read (copied) before or not.
        let mut unread = ast2.maps[2].clone();
        unread.make_mut().has_error = true;
        let v2_fresh = super::super::read(&v2).0;
        assert_eq!(unread.fields[0].range(), v2_fresh.maps[2].fields[0].range());
        assert_eq!(unread.block_range(), v2_fresh.maps[2].range());
        let mut changed = ast3.maps[1].clone();
        changed.make_mut().has_error = true;
        assert_eq!(changed.range, fresh.maps[1].range);
        assert!(changed.block_has_error() && !ast3.maps[1].block_has_error());
    }

    /// A quoted id and a `"""` block keep what they are (kept in their
    /// ranges' spare bit) when their block moves.
    #[test]
    fn a_moved_block_keeps_its_quoted_ids_and_block_strings() {
        let v1 = "map a:1 -> b:1\nmap a:\"x y\" -> b:2 {\n  note \"\"\"\nz\n\"\"\"\n}\n";
        let (ast1, errors1) = super::super::read(v1);
        let v2 = v1.replace("a:1", "a:100");
        let (ast2, _) = splice(v1, &ast1, &errors1, &v2).unwrap();
        assert!(ast1.maps[1].shares_with(&ast2.maps[1]));
        let (moved, fresh) = (&ast2.maps[1], &super::super::read(&v2).0.maps[1]);
        assert_eq!(format!("{:?}", **moved), format!("{:?}", **fresh));
        let id = moved.source.id().unwrap();
        assert!(id.quoted() && &v2[id.range()] == "\"x y\"");
        let Value::String(note) = &moved.fields[0].values[0] else {
            panic!("a string");
        };
        assert!(note.block() && v2[note.range()].starts_with("\"\"\"") && !id.text.is_empty());
    }
}
