//! Edge cases found while documenting the diagnostics: each asserts the
//! exact, single diagnostic a reader should see.

use std::path::PathBuf;

use xwalk::model::{Config, FileInput, Workspace};

fn found(text: &str) -> Vec<(String, String, Option<String>)> {
    let ws = Workspace::build(
        None,
        Config::default(),
        vec![FileInput {
            path: PathBuf::from("f.xwalk"),
            name: "f.xwalk".into(),
            text: text.to_string(),
        }],
    );
    xwalk::check::check(&ws)
        .into_iter()
        .map(|d| (d.code.as_str().to_string(), d.message, d.help))
        .collect()
}

#[test]
fn space_after_colon_without_body_is_one_syntax_error() {
    let f = found("map enisa-bsr-iot:GP-TM-23 -> uk-cop-2018: 1\n");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].0, "syntax-error");
}

#[test]
fn unclosed_block_string_gets_block_help() {
    let f = found("document d {\n  title \"D\"\n  note \"\"\"\n  Some text\n}\n");
    let syntax: Vec<_> = f.iter().filter(|d| d.0 == "syntax-error").collect();
    assert!(!syntax.is_empty(), "{f:#?}");
    assert!(
        syntax[0].2.as_deref().unwrap().contains("block ends with"),
        "{f:#?}"
    );
}

#[test]
fn open_blocks_at_end_of_file_report_once() {
    let f = found("document d {\n  title \"D\"\n  provision 1 \"T\" {\n");
    // Once per block left open, each named.
    let missing: Vec<_> = f
        .iter()
        .filter(|d| d.1.starts_with("missing `}`"))
        .map(|d| d.1.as_str())
        .collect();
    assert_eq!(
        missing,
        [
            "missing `}` to close the `document` block opened at line 1",
            "missing `}` to close the `provision` block opened at line 3",
        ],
        "{f:#?}"
    );
}

#[test]
fn relation_given_as_reference_says_so() {
    let f =
        found("document a { title \"A\" }\nmap a:1 -> uk-cop-2018:1 { relation uk-cop-2018:1 }\n");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].0, "invalid-value");
    assert!(
        f[0].1
            .starts_with("`relation` takes one of: related, equal-to"),
        "{}",
        f[0].1
    );
}

#[test]
fn empty_title_and_ids_and_self_supersession() {
    let f = found(
        "document a {\n  title \"\"\n  supersedes a\n  provision \"\" { text \"x\" }\n  clause \" \" \"C\"\n}\n",
    );
    let messages: Vec<&str> = f
        .iter()
        .filter(|d| d.0 == "invalid-value")
        .map(|d| d.1.as_str())
        .collect();
    assert_eq!(
        messages,
        vec![
            "`title` is empty",
            "document `a` cannot supersede itself",
            "an id cannot be empty",
            "an id cannot be empty"
        ],
        "{f:#?}"
    );
}

#[test]
fn missing_field_help_reads_as_a_sentence() {
    let f = found("document a {\n  publisher \"P\"\n}\n");
    assert_eq!(
        f[0].2.as_deref(),
        Some("add `title ...`: the publication's title.")
    );
}

#[test]
fn similar_document_against_a_builtin_catalog_warns_on_the_workspace_document() {
    let f = found("document my-cop { title \"Code of practice for consumer IoT security\" }\n");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].0, "similar-document");
    assert_eq!(
        f[0].1,
        "document `my-cop` has the same title as `uk-cop-2018`"
    );
}

#[test]
fn arrow_glued_to_an_id_gets_a_hint() {
    let f = found("map a:1->uk-cop-2018:1\n");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(
        f[0].2
            .as_deref()
            .unwrap()
            .contains("put a space before `->`"),
        "{f:#?}"
    );
}

/// `levels` clause blocks, each with a distinct id, inside a document:
/// `levels + 1` levels of blocks.
fn nested(levels: usize, closed: bool) -> String {
    let mut s = String::from("document d {\n  title \"D\"\n");
    for i in 0..levels {
        s.push_str(&format!("clause c{i} {{\n"));
    }
    if closed {
        s.push_str(&"}\n".repeat(levels + 1));
    }
    s
}

#[test]
fn blocks_nest_at_most_64_levels() {
    // 64 levels: clean.
    let ok = nested(63, true);
    assert_eq!(found(&ok), vec![], "64 levels are allowed");
    assert!(xwalk::syntax::parser::read_clean(&ok).is_some());
    // 65: one error, on the `{` of the 65th block.
    let deep = nested(64, true);
    assert!(xwalk::syntax::parser::read_clean(&deep).is_none());
    let f = found(&deep);
    assert_eq!(
        f,
        vec![(
            "syntax-error".to_string(),
            "blocks nest at most 64 levels deep".to_string(),
            Some("what this block holds is not read".to_string())
        )]
    );
    let parse = xwalk::syntax::parse(&deep);
    let at = parse.errors[0].range.start;
    assert_eq!(&deep[at - 4..at + 1], "c63 {", "{:?}", parse.errors);
}

#[test]
fn a_hundred_thousand_nested_blocks_are_an_error_not_a_crash() {
    // The lowering and everything after it recurse once per level; before
    // the limit this overflowed the stack of a loading thread.
    let f = found(&nested(100_000, true));
    assert_eq!(f.len(), 1, "{:?}", &f[..f.len().min(3)]);
    assert_eq!(f[0].1, "blocks nest at most 64 levels deep");
    // Never closed: tree-sitter's recovery makes a deep tree of errors.
    let f = found(&nested(100_000, false));
    assert!(f.iter().all(|d| d.0 == "syntax-error"), "{f:?}");
    assert!(!f.is_empty());
}
