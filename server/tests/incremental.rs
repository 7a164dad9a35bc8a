//! The incremental analysis (what the language server runs after each
//! edit: the edited file parsed again through `syntax::edit::Editor` from
//! its previous version, then `Analysis::update`) gives exactly the
//! diagnostics of a fresh `check` (what the CLI runs), whatever the
//! sequence of edits (typed characters, line ends of every kind, no-break
//! spaces, long lines, deletions across blocks and closers): blocks moved, copied into other
//! files, declarations changed, syntax broken and mended. So do the
//! mapping counts of hover and code lens, which a workspace derives from
//! an earlier one's.

use std::path::PathBuf;
use std::sync::Arc;

use proptest::prelude::*;
use xwalk::check::{self, Analysis};
use xwalk::model::index::EndpointKey;
use xwalk::model::{Config, Origin, SourceFile, Workspace};
use xwalk::syntax::edit::Editor;

/// Blocks from which the files are made: duplicates across files,
/// conflicting relations, one source quoted with several excerpts, a
/// catalogued document whose provisions come and go, titles alike, typos.
const BLOCKS: &[&str] = &[
    "document src {\n  title \"Source document\"\n  publisher \"Org\"\n}\n",
    "document src2 {\n  title \"Source  document\"\n  publisher \"Org\"\n}\n",
    "document cat {\n  title \"A catalogue\"\n  provision p1 { text \"one\" }\n  provision p2 { text \"two\" }\n}\n",
    "document cat {\n  title \"A catalogue again\"\n  provision p1 { text \"one\" }\n}\n",
    "map src:\"1.1\" -> uk-cop-2018:1 {\n  excerpt \"Use unique passwords.\"\n}\n",
    "map src:\"1.1\" -> uk-cop-2018:1 {\n  excerpt \"Use  unique passwords.\"\n  relation subset-of\n}\n",
    "map src:\"1.1\" -> uk-cop-2018:2 {\n  excerpt \"Something else entirely.\"\n}\n",
    "map src:\"1.2\" -> cat:p1, cat:p2, cat:p1\n",
    "map src:\"1.3\" -> cat:p3 { relation equal-to }\n",
    "map src2:x -> etsi-en-303-645:5.1-1 { strength 11 }\n",
    "map src:\"1.1\" -> uk-cop-2018:1 {\n  excerpt \"Use unique passwords.\"\n  relation related\n}\n",
    "map nowhere:1 -> uk-cop-2018:1\n",
    "map src:\" 1.4\" -> uk-cop-2018:3 { bogus 1 }\n",
    "map src:\"1.5\" -> uk-cop-2018:4 {\n  excerpt \"unterminated\n}\n",
    "# a comment\n",
];

/// An edit of one file: put block `block` at `at` (replacing the block
/// there when `replace`), remove the block at `at`, or insert raw text at a
/// character position.
#[derive(Clone, Debug)]
enum Edit {
    Put {
        file: usize,
        at: usize,
        block: usize,
        replace: bool,
    },
    Remove {
        file: usize,
        at: usize,
    },
    Type {
        file: usize,
        at: usize,
        text: &'static str,
    },
    /// Deletes `len` characters from a character position: across block
    /// boundaries, closers and line ends.
    Delete {
        file: usize,
        at: usize,
        len: usize,
    },
}

/// A line longer than an editor shows, with errors along it.
const LONG_LINE: &str = concat!(
    "map src:1->uk-cop-2018:1 map src:2 -> uk-cop-2018:2 { note \"a\u{a0}b\" } ",
    "map src:1->uk-cop-2018:1 map src:2 -> uk-cop-2018:2 { note \"a\u{a0}b\" } ",
    "map src:1->uk-cop-2018:1 map src:2 -> uk-cop-2018:2 { note \"a\u{a0}b\" } ",
    "map src:1->uk-cop-2018:1 map src:2 -> uk-cop-2018:2 { note \"a\u{a0}b\" } ",
);

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..3usize, 0..8usize, 0..BLOCKS.len(), any::<bool>()).prop_map(
            |(file, at, block, replace)| Edit::Put {
                file,
                at,
                block,
                replace
            }
        ),
        (0..3usize, 0..8usize).prop_map(|(file, at)| Edit::Remove { file, at }),
        (
            0..3usize,
            0..400usize,
            prop_oneof![
                Just("x"),
                Just("\""),
                Just("}"),
                Just("{"),
                Just(" "),
                Just("\n"),
                Just(":"),
                Just("-"),
                Just("\r"),
                Just("\r\n"),
                Just("\u{a0}"),
                Just("\"\"{"),
                Just("#"),
                Just("\ndocument "),
                Just("\nmap "),
                Just(LONG_LINE),
            ]
        )
            .prop_map(|(file, at, text)| Edit::Type { file, at, text }),
        (0..3usize, 0..400usize, 1..60usize).prop_map(|(file, at, len)| Edit::Delete {
            file,
            at,
            len
        }),
    ]
}

/// The byte offset of character `at` (the end when past it).
fn char_offset(t: &str, at: usize) -> usize {
    t.char_indices().nth(at).map_or(t.len(), |(i, _)| i)
}

/// A file as blocks, or as raw text once typed into.
#[derive(Clone)]
enum Content {
    Blocks(Vec<usize>),
    Text(String),
}

impl Content {
    fn text(&self) -> String {
        match self {
            Content::Blocks(b) => b.iter().map(|&i| BLOCKS[i]).collect(),
            Content::Text(t) => t.clone(),
        }
    }

    fn apply(&mut self, e: &Edit) {
        match e {
            Edit::Put {
                at, block, replace, ..
            } => {
                let mut blocks = self.blocks();
                let at = (*at).min(blocks.len());
                if *replace && at < blocks.len() {
                    blocks[at] = *block;
                } else {
                    blocks.insert(at, *block);
                }
                *self = Content::Blocks(blocks);
            }
            Edit::Remove { at, .. } => {
                let mut blocks = self.blocks();
                if *at < blocks.len() {
                    blocks.remove(*at);
                }
                *self = Content::Blocks(blocks);
            }
            Edit::Type { at, text, .. } => {
                let mut t = self.text();
                let byte = char_offset(&t, *at);
                t.insert_str(byte, text);
                *self = Content::Text(t);
            }
            Edit::Delete { at, len, .. } => {
                let mut t = self.text();
                let start = char_offset(&t, *at);
                let end = char_offset(&t, at + len);
                t.replace_range(start..end, "");
                *self = Content::Text(t);
            }
        }
    }

    /// The blocks, when the file is still made of blocks (raw text is
    /// replaced by nothing: the next block edit starts it afresh).
    fn blocks(&self) -> Vec<usize> {
        match self {
            Content::Blocks(b) => b.clone(),
            Content::Text(_) => Vec::new(),
        }
    }
}

fn file_of(n: usize, text: String) -> Arc<SourceFile> {
    let path = PathBuf::from(format!("/ws/f{n}.xwalk"));
    Arc::new(SourceFile::new(
        path,
        format!("f{n}.xwalk"),
        text,
        Origin::Workspace,
    ))
}

fn assert_same(analysis: &Analysis, ws: &Workspace) {
    let fresh = check::check(ws);
    let kept = analysis.diagnostics(ws);
    assert_eq!(kept, fresh, "incremental and fresh diagnostics differ");
    for (id, _) in ws.workspace_files() {
        let one: Vec<_> = fresh.iter().filter(|d| d.file == id).cloned().collect();
        assert_eq!(analysis.file_diagnostics(ws, id), one);
    }
}

/// The derived counts of every target the blocks mention (mapped or not)
/// equal the counts made the slow way.
fn assert_counts(ws: &Workspace) {
    let key = |d: &str, id: Option<&str>| EndpointKey {
        document: d.into(),
        id: id.map(Into::into),
    };
    let mut keys = vec![key("cat", None), key("uk-cop-2018", Some("9"))];
    for (_, f) in ws.workspace_files() {
        for map in &f.parse.ast.maps {
            for t in &map.targets {
                keys.push(key(&t.document().text, t.id().map(|n| n.text.as_str())));
            }
        }
    }
    for k in &keys {
        assert_eq!(ws.mapped_to(k), ws.count_mapped_to(k), "{k:?}");
    }
}

fn run(start: [Vec<usize>; 3], edits: Vec<Edit>) {
    let mut contents: Vec<Content> = start.into_iter().map(Content::Blocks).collect();
    let files: Vec<Arc<SourceFile>> = contents
        .iter()
        .enumerate()
        .map(|(n, c)| file_of(n, c.text()))
        .collect();
    let mut ws = Workspace::from_files(None, Config::default(), files);
    let mut analysis = Analysis::new(&ws);
    assert_same(&analysis, &ws);
    assert_counts(&ws);
    for (step, e) in edits.iter().enumerate() {
        let n = match e {
            Edit::Put { file, .. }
            | Edit::Remove { file, .. }
            | Edit::Type { file, .. }
            | Edit::Delete { file, .. } => *file,
        };
        contents[n].apply(e);
        let mut files = ws.own_files();
        // As the language server does it: the edited file parsed again
        // from its previous version's tree and AST.
        files[n] = edited_file(&files[n], &contents[n].text());
        ws = Workspace::with_changed_files(&ws, files);
        let changed = analysis.update(&ws);
        assert!(
            changed.iter().all(|id| !ws.file(*id).is_builtin()),
            "{changed:?}"
        );
        assert_same(&analysis, &ws);
        // Not after every edit: a workspace that never counted passes its
        // base on to the next.
        if step % 3 != 1 {
            assert_counts(&ws);
        }
    }
}

fn blocks() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..BLOCKS.len(), 0..6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn incremental_equals_fresh(
        a in blocks(),
        b in blocks(),
        c in blocks(),
        edits in prop::collection::vec(edit(), 1..12),
    ) {
        run([a, b, c], edits);
    }
}

/// An update reports the files whose diagnostics may have changed: an
/// edit of one file that makes a mapping of another file conflict with it
/// reports that other file too.
#[test]
fn update_reports_the_other_file_of_a_new_conflict() {
    let source = BLOCKS[0];
    let unrelated = "map src:\"2.1\" -> uk-cop-2018:2 { excerpt \"Other.\" }\n";
    let first = file_of(0, source.to_string() + unrelated);
    let second = file_of(1, BLOCKS[4].to_string());
    let ws = Workspace::from_files(None, Config::default(), vec![first, second.clone()]);
    let mut analysis = Analysis::new(&ws);
    assert!(analysis.diagnostics(&ws).is_empty());
    // The first file now maps the same pair, with another relation.
    let edited = file_of(0, source.to_string() + BLOCKS[5]);
    let ws2 = Workspace::with_changed_files(&ws, vec![edited, second]);
    assert!(Arc::ptr_eq(&ws.index, &ws2.index), "no declaration changed");
    let changed = analysis.update(&ws2);
    let (f0, f1) = (
        ws2.file_by_path(&PathBuf::from("/ws/f0.xwalk")).unwrap(),
        ws2.file_by_path(&PathBuf::from("/ws/f1.xwalk")).unwrap(),
    );
    assert_eq!(changed, vec![f0, f1]);
    let d = analysis.diagnostics(&ws2);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, check::Code::ConflictingRelation);
    assert_eq!(d[0].file, f1, "reported on the later file");
    assert_eq!(d[0].related[0].file, f0);
    assert_same(&analysis, &ws2);
}

/// `old` edited into `new` as the language server does it (one change:
/// the differing middle replaced, through `syntax::edit::Editor`), then
/// the analysis of the workspace brought up to date: it must equal a
/// fresh check of `new`.
fn edit_in_server_path(old: &str, new: &str) {
    let first = file_of(0, old.to_string());
    let ws = Workspace::from_files(None, Config::default(), vec![first.clone()]);
    let mut analysis = Analysis::new(&ws);
    assert_same(&analysis, &ws);
    let edited = edited_file(&first, new);
    assert_eq!(edited.text, new);
    let ws2 = Workspace::with_changed_files(&ws, vec![edited]);
    analysis.update(&ws2);
    assert_same(&analysis, &ws2);
}

/// `file` edited to `new` through the editor's path: the differing middle
/// replaced in one edit, the tree edited and parsed again.
fn edited_file(file: &Arc<SourceFile>, new: &str) -> Arc<SourceFile> {
    let old = file.text.as_str();
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let suffix: usize = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let mut editor = Editor::new(old, &file.parse, file.tree_to_edit());
    editor.replace(prefix..old.len() - suffix, &new[prefix..new.len() - suffix]);
    Arc::new(SourceFile::edited(file, editor.finish()))
}

/// Found by fuzzing the server: deleting a no-break space (not whitespace
/// to the hand parser) dropped an `unknown-field` a fresh check reports.
#[test]
fn deleting_a_no_break_space() {
    let old = "document d {\nclause\non\n1\n\u{a0}";
    edit_in_server_path(old, "document d {\nclause\non\n1\n");
}

/// Found by fuzzing the server: typing a whole file into an empty one
/// published every `granularity-mismatch` twice.
#[test]
fn typing_a_file_into_an_empty_one() {
    let new = "document guide{clause 1\n  provision 2\nmap x:a ->guide:1,guide:2,uk-cop-2018:1\n";
    edit_in_server_path("", new);
}

/// Found by fuzzing the server: inserting `""{` and a CRLF at the start
/// kept an `unknown-field` a fresh check no longer reports.
#[test]
fn inserting_before_a_comment_and_crlf() {
    let old = " document#\ncat { cop\u{1F512}yright Zaz }";
    edit_in_server_path(old, &format!("\"\"{{\r\n{old}"));
}
