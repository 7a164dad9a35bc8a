//! A file's versions after edits in the editor (`SourceFile::edited`): what
//! they take over from the version before (the edited tree, the line
//! index, the texts' common ends) gives what a fresh read gives.

use std::path::PathBuf;
use std::sync::Arc;

use proptest::prelude::*;

use super::{LineIndex, Origin, SourceFile};
use crate::syntax::{self, edit::Editor};

/// Pieces of generated texts: blocks, broken blocks, line ends of every
/// kind, long words.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "document d {\n  provision 1 { text \"a\" }\n}\n",
        "map d:1 -> uk-cop-2018:1 { relation equal-to }\n",
        "map d:2 -> x\r\n",
        "map d:3 -> { \n",
        "# a comment\r",
        "}\n",
        "\"unclosed\n",
        "provision 9 {}\n",
        "\n",
    ])
}

fn opened(text: String) -> Arc<SourceFile> {
    let parse = syntax::parse(&text);
    Arc::new(SourceFile::from_parse(
        PathBuf::from("f.xwalk"),
        "f.xwalk".into(),
        text,
        Origin::Workspace,
        parse,
    ))
}

proptest! {
    /// Edits applied one version after another, the tree read after some
    /// of them and not others: each version's tree, line index and AST are
    /// those of its text read afresh.
    #[test]
    fn edited_versions_read_as_fresh(
        pieces in prop::collection::vec(piece(), 0..8),
        edits in prop::collection::vec(
            (0usize..200, 0usize..12, prop::sample::select(vec!["", "x", "\n", "\r", "}", "map a:1 -> b\n", "{"]), any::<bool>()),
            1..6,
        ),
    ) {
        let mut file = opened(pieces.concat());
        for (at, cut, insert, read) in edits {
            let start = at.min(file.text.len());
            let end = (start + cut).min(file.text.len());
            let mut editor = Editor::new(&file.text, &file.parse, file.tree_to_edit());
            editor.replace(start..end, insert);
            file = Arc::new(SourceFile::edited(&file, editor.finish()));
            let fresh = syntax::parse(&file.text);
            // Asked of some versions only: the next is then derived from
            // the edited one's, or afresh.
            if at % 3 != 0 {
                prop_assert_eq!(file.line_index(), &LineIndex::new(&file.text));
            }
            prop_assert_eq!(format!("{:?}", file.parse.ast), format!("{:?}", fresh.ast));
            prop_assert_eq!(&file.parse.errors, &fresh.errors);
            if read {
                let tree = fresh.tree.expect("a tree");
                prop_assert_eq!(file.tree().root_node().to_sexp(), tree.root_node().to_sexp());
            }
        }
        let fresh = syntax::parse_tree(&file.text);
        prop_assert_eq!(file.tree().root_node().to_sexp(), fresh.root_node().to_sexp());
    }
}

/// Whether `file`'s tree was kept or has been parsed.
fn has_tree(file: &SourceFile) -> bool {
    file.parse.tree.is_some() || file.derived::<super::Tree>().is_some()
}

/// What the language server does once the editor is quiet: a version
/// edited since its tree was parsed gets its tree parsed, the tree a fresh
/// parse gives, and the next edit starts from it; a file read from disk
/// (no tree kept, never edited) is left without one.
#[test]
fn quiet_parse_parses_edited_versions_only() {
    let text = "map d:1 -> uk-cop-2018:1 { relation equal-to }\nmap d:2 -> e:1\n";
    let on_disk = SourceFile::new(
        PathBuf::from("g.xwalk"),
        "g.xwalk".into(),
        text.into(),
        Origin::Workspace,
    );
    on_disk.parse_edited_tree();
    assert!(!has_tree(&on_disk));

    let edit = |file: &Arc<SourceFile>, at: usize, insert: &str| {
        let mut editor = Editor::new(&file.text, &file.parse, file.tree_to_edit());
        editor.replace(at..at, insert);
        Arc::new(SourceFile::edited(file, editor.finish()))
    };
    let opened = opened(text.into());
    assert!(has_tree(&opened));
    let once = edit(&opened, 23, "x");
    let twice = edit(&once, 62, "x");
    // The same version again, whose tree stays unparsed.
    let twin = edit(&once, 62, "x");
    assert!(!has_tree(&once) && !has_tree(&twice));
    twice.parse_edited_tree();
    assert!(has_tree(&twice) && !has_tree(&twin) && !has_tree(&once));
    let fresh = syntax::parse_tree(&twice.text);
    assert_eq!(
        twice.tree().root_node().to_sexp(),
        fresh.root_node().to_sexp()
    );
    // The next version is edited from the tree just parsed: the second
    // map, edited in `twice`, is no longer marked as changed.
    let next = edit(&twice, 0, "# c\n");
    let from = next.tree_to_edit().expect("an edited tree");
    let root = from.root_node();
    let second = root.child(root.child_count() - 1).expect("the second map");
    assert_eq!(second.kind(), "map");
    assert!(!second.has_changes());
    let unparsed = edit(&twin, 0, "# c\n");
    let unparsed = unparsed.tree_to_edit().expect("an edited tree");
    let root = unparsed.root_node();
    let second = root.child(root.child_count() - 1).expect("the second map");
    assert!(second.has_changes());
    let parsed = syntax::reparse_tree(&next.text, &from);
    assert_eq!(
        parsed.root_node().to_sexp(),
        syntax::parse_tree(&next.text).root_node().to_sexp()
    );
}
