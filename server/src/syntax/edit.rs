//! Editing a parsed text: the edits of one change (the language server's
//! `didChange`, a test's keystrokes) applied to the text and to its
//! tree-sitter tree, then the AST of the new text read reusing the old AST
//! (see [`super::parser::splice`]). The tree is only edited, not parsed again: the
//! editor features that read it parse it on first use, reusing the edited
//! tree ([`super::reparse_tree`]), so a keystroke whose tree nobody reads costs no
//! tree-sitter parse.
//!
//! The language server and the incremental property tests apply edits
//! through this one path, so that the tests check what the editor runs.

use tree_sitter::{InputEdit, Point, Tree};

use super::ends::CommonEnds;
use super::lines::clamp_to_char_boundary;
use super::{Parse, TextRange};

/// A text being edited, with the tree of the text before the edits (moved
/// along with them) and that text's parse.
pub struct Editor<'a> {
    old_text: &'a str,
    old_parse: &'a Parse,
    text: String,
    /// The old tree, edited; `None` once the whole text was replaced (or
    /// when there was none to edit).
    tree: Option<Tree>,
    /// How many bytes at the start and at the end no edit has touched:
    /// the texts are compared only between them.
    untouched: (usize, usize),
}

impl<'a> Editor<'a> {
    /// Starts from `text` and its `parse`; `tree` is a tree of `text`, or
    /// of an earlier text edited to it (see [`super::reparse_tree`]), if there is
    /// one to edit.
    pub fn new(text: &'a str, parse: &'a Parse, tree: Option<Tree>) -> Editor<'a> {
        // Room for what a few keystrokes insert: growing the copy would
        // copy it again.
        let mut copy = String::with_capacity(text.len() + 256);
        copy.push_str(text);
        Editor {
            old_text: text,
            old_parse: parse,
            text: copy,
            tree,
            untouched: (text.len(), text.len()),
        }
    }

    /// The text with the edits so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Replaces the whole text.
    pub fn replace_all(&mut self, text: String) {
        self.text = text;
        self.tree = None;
        self.untouched = (0, 0);
    }

    /// Replaces `range` of the current text (clamped to it, and to
    /// character boundaries) with `new`.
    pub fn replace(&mut self, range: TextRange, new: &str) {
        let start = clamp_to_char_boundary(&self.text, range.start);
        let end = clamp_to_char_boundary(&self.text, range.end).max(start);
        let start_position = point(&self.text, start);
        let edit = InputEdit {
            start_byte: start,
            old_end_byte: end,
            new_end_byte: start + new.len(),
            start_position,
            old_end_position: point(&self.text, end),
            new_end_position: advance(start_position, new),
        };
        self.untouched = (
            self.untouched.0.min(start),
            self.untouched.1.min(self.text.len() - end),
        );
        self.text.replace_range(start..end, new);
        if let Some(t) = self.tree.as_mut() {
            t.edit(&edit);
        }
    }

    /// The new text, its parse without a tree (the AST and errors
    /// `xwalk check` reads, the blocks the edits left alone copied:
    /// [`super::reparse_ast`]) and the old tree edited to the new text, to
    /// be parsed when a feature reads it ([`super::reparse_tree`]).
    pub fn finish(self) -> Edited {
        let (prefix, suffix) = self.untouched;
        let ends = CommonEnds::within(self.old_text, &self.text, prefix, suffix);
        let parse = super::reparse_ast_at(&self.text, self.old_text, self.old_parse, ends);
        Edited {
            text: self.text,
            parse,
            tree: self.tree,
            ends,
        }
    }
}

/// What [`Editor::finish`] gives.
pub struct Edited {
    pub text: String,
    pub parse: Parse,
    /// The old tree edited to the new text.
    pub tree: Option<Tree>,
    /// What the old and new texts have in common at either end.
    pub ends: CommonEnds,
}

/// tree-sitter's point of `offset`: its rows end at `\n` only, whatever
/// the file's line ends (these are tree-sitter's positions, not the lines
/// a person reads; see `lines`).
fn point(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset];
    let row = memchr::memchr_iter(b'\n', before).count();
    let column = offset - memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    Point { row, column }
}

fn advance(mut p: Point, inserted: &str) -> Point {
    match memchr::memrchr(b'\n', inserted.as_bytes()) {
        Some(last) => {
            p.row += memchr::memchr_iter(b'\n', inserted.as_bytes()).count();
            p.column = inserted.len() - last - 1;
        }
        None => p.column += inserted.len(),
    }
    p
}

#[cfg(test)]
mod tests {
    use super::super::{parse, reparse_tree};
    use super::*;

    fn edited(text: &str, edits: &[(TextRange, &str)]) -> (String, Parse) {
        let old = parse(text);
        let tree = old.tree_or_parse(text);
        let mut e = Editor::new(text, &old, Some(tree));
        for (r, t) in edits {
            e.replace(r.clone(), t);
        }
        let Edited {
            text: new,
            parse,
            tree,
            ends,
        } = e.finish();
        assert_eq!(ends, CommonEnds::of(text, &new));
        // The edited tree parses to the fresh tree.
        let fresh = super::super::parse_tree(&new);
        let tree = parse.tree.clone().or(tree.map(|t| reparse_tree(&new, &t)));
        assert_eq!(
            tree.map(|t| t.root_node().to_sexp()),
            Some(fresh.root_node().to_sexp())
        );
        (new, parse)
    }

    #[test]
    fn edits_apply_in_order_and_parse_as_fresh() {
        let text = "map a:1 -> b:2\nmap c:3 -> d:4\n";
        let (new, p) = edited(
            text,
            &[(4..5, "x"), (0..0, "# c\r"), (100..200, "map e -> f\n")],
        );
        assert_eq!(new, "# c\rmap x:1 -> b:2\nmap c:3 -> d:4\nmap e -> f\n");
        let fresh = parse(&new);
        assert_eq!(format!("{:?}", p.ast), format!("{:?}", fresh.ast));
        assert_eq!(p.errors, fresh.errors);
    }

    #[test]
    fn points_count_rows_at_lf_only() {
        assert_eq!(point("a\r\nb\rc", 6), Point { row: 1, column: 3 });
        assert_eq!(
            advance(Point { row: 2, column: 3 }, "x\ny\r"),
            Point { row: 3, column: 2 }
        );
    }
}
