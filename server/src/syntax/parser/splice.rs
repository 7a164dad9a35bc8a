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
    // Where the texts differ: after their common start, before their
    // common end.
    let ends = ends::CommonEnds::of(old, new);
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
    if old_ast.documents.iter().any(|d| straddles(&d.range))
        || old_ast.maps.iter().any(|m| straddles(&m.range))
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
    let ast = SourceFile {
        documents: join(&old_ast.documents, edited.documents, by, |d| {
            (kept(&d.range), moved(&d.range))
        }),
        maps: join(&old_ast.maps, edited.maps, by, |m| {
            (kept(&m.range), moved(&m.range))
        }),
    };
    Some((ast, errors))
}

/// The old items before the edited pieces, the edited pieces' items, then
/// the old items after them moved by `by`. `place` says of an old item
/// whether it is before, and whether it is after.
fn join<T: Clone + Ranges>(
    old: &[T],
    edited: Vec<T>,
    by: isize,
    place: impl Fn(&T) -> (bool, bool),
) -> Vec<T> {
    let mut out = Vec::with_capacity(old.len() + edited.len());
    out.extend(old.iter().filter(|x| place(x).0).cloned());
    out.extend(edited);
    out.extend(old.iter().filter(|x| place(x).1).map(|x| {
        let mut x = x.clone();
        x.shift(by);
        x
    }));
    out.shrink_to_fit();
    out
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
/// (an edit's copied blocks). The
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

impl<T: Ranges> Ranges for [T] {
    fn ranges(&mut self, f: &mut dyn FnMut(&mut TextRange)) {
        self.iter_mut().for_each(|x| x.ranges(f));
    }
}

/// Copied on write: a shared block is copied before its ranges move.
impl<T: Ranges + Clone> Ranges for std::sync::Arc<T> {
    fn ranges(&mut self, f: &mut dyn FnMut(&mut TextRange)) {
        std::sync::Arc::make_mut(self).ranges(f)
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

ranges_of_struct!(Name { range } ignoring { text, quoted });
ranges_of_struct!(StringValue { range } ignoring { value, block });
ranges_of_struct!(Reference { document, id, range } ignoring {});
ranges_of_struct!(Field { name, values, range } ignoring {});
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
}
