//! The AST after an edit, reading only the edited part of the text.
//!
//! The language server reparses the edited file on every keystroke. Reading
//! a 10,000-line file with [`super::fast`] takes a few milliseconds, most of
//! the time a keystroke's diagnostics take; the edit touches one block. Since
//! a line that begins a top-level block always begins one (see
//! [`lexical::starts_block`]), the text between two such lines is read the
//! same wherever it stands: [`splice`] reads only the pieces the edit
//! touched, and copies every other top-level block of the previous AST,
//! moved by the change in length.
//!
//! It applies when the previous AST had no syntax error and the edited
//! pieces read without one on the fast path; otherwise it returns `None`
//! and the caller parses the whole text. `tests/reparse.rs` checks that the
//! result is the AST a fresh parse gives, on random files and edits.

use super::*;

/// The AST of `new`, the text of a file after an edit of `old` whose
/// error-free AST is `old_ast`; `None` when the edited part cannot be read
/// on the fast path (then parse `new` whole).
pub fn splice(old: &str, old_ast: &SourceFile, new: &str) -> Option<SourceFile> {
    // tree-sitter reads a NUL as the end of the input: what follows one was
    // never in `old_ast`.
    if memchr::memchr(0, new.as_bytes()).is_some() {
        return None;
    }
    // Where the texts differ: after their common start, before their
    // common end.
    let ends = super::ends::CommonEnds::of(old, new);
    let (start, old_end) = (ends.prefix, old.len() - ends.suffix);
    let from = cut_before(old.as_bytes(), start);
    let to_old = cut_after(old.as_bytes(), old_end);
    let by = new.len() as isize - old.len() as isize;
    let to_new = to_old.checked_add_signed(by)?;
    let edited = fast::parse(&new[from..to_new])?;
    let moved = |range: &TextRange| range.start >= to_old;
    let kept = |range: &TextRange| range.end <= from;
    // A block across a cut cannot be in an error-free AST; be sure anyway.
    let straddles = |range: &TextRange| {
        (range.start < from && range.end > from) || (range.start < to_old && range.end > to_old)
    };
    if old_ast.documents.iter().any(|d| straddles(&d.range))
        || old_ast.maps.iter().any(|m| straddles(&m.range))
    {
        return None;
    }
    Some(SourceFile {
        documents: join(&old_ast.documents, edited.documents, from, by, |d| {
            (kept(&d.range), moved(&d.range))
        }),
        maps: join(&old_ast.maps, edited.maps, from, by, |m| {
            (kept(&m.range), moved(&m.range))
        }),
    })
}

/// The old items before the edited pieces, the edited pieces' items (read
/// from `from`), then the old items after them moved by `by`. `place`
/// says of an old item whether it is before, and whether it is after.
fn join<T: Clone + Ranges>(
    old: &[T],
    edited: Vec<T>,
    from: usize,
    by: isize,
    place: impl Fn(&T) -> (bool, bool),
) -> Vec<T> {
    let mut out = Vec::with_capacity(old.len() + edited.len());
    out.extend(old.iter().filter(|x| place(x).0).cloned());
    out.extend(edited.into_iter().map(|mut x| {
        x.shift(from as isize);
        x
    }));
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
/// (an edit's copied blocks) or to cut it (a piece read with closers). The
/// impls destructure every field, so that a range added to the AST cannot
/// be forgotten here.
pub(super) trait Ranges {
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
        let new = old.replace("note \"x\"", "note \"xyz\"");
        let old_ast = fast::parse(old).unwrap();
        let spliced = splice(old, &old_ast, &new).unwrap();
        let fresh = fast::parse(&new).unwrap();
        assert_eq!(format!("{spliced:?}"), format!("{fresh:?}"));
        // A break in the edited piece: nothing to splice.
        let broken = old.replace("note \"x\"", "note \"x");
        assert!(splice(old, &old_ast, &broken).is_none());
    }
}
