//! Property tests: the parser always produces a tree and the checker never
//! panics, whatever the input; valid files round-trip their values.

use std::path::PathBuf;

use proptest::prelude::*;
use xwalk::model::{Config, FileInput, Workspace};
use xwalk::syntax;

/// Pieces of the language, so random input is often nearly valid.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("document ".to_string()),
        Just("map ".to_string()),
        Just("clause ".to_string()),
        Just("provision ".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(" -> ".to_string()),
        Just(", ".to_string()),
        Just(":".to_string()),
        Just("\n".to_string()),
        Just("\"".to_string()),
        Just("\"\"\"".to_string()),
        Just("# c\n".to_string()),
        Just("\\".to_string()),
        Just("uk-cop-2018:1".to_string()),
        Just("etsi-en-303-645:5.1-1".to_string()),
        Just("title \"T\" ".to_string()),
        Just("relation supserset-of ".to_string()),
        "[a-zA-Z0-9._-]{1,8}",
        "\"[^\"\\n]{0,8}\"",
        "\\PC{0,4}",
    ]
}

fn check_text(text: &str) {
    let ws = Workspace::build(
        None,
        Config::default(),
        vec![FileInput {
            path: PathBuf::from("p.xwalk"),
            name: "p.xwalk".into(),
            text: text.to_string(),
        }],
    );
    let diagnostics = xwalk::check::check(&ws);
    let file = ws.file(ws.workspace_files().next().unwrap().0);
    for d in diagnostics {
        assert!(
            d.range.start <= d.range.end && d.range.end <= text.len(),
            "{d:?}"
        );
        let _ = file.line_index().line_col(text, d.range.start);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_bytes_give_a_tree(text in "\\PC{0,200}") {
        let p = syntax::parse(&text);
        prop_assert!(p.tree.as_ref().expect("parse keeps the tree").root_node().end_byte() <= text.len());
        check_text(&text);
    }

    #[test]
    fn token_soup_gives_a_tree(tokens in prop::collection::vec(token(), 0..60)) {
        let text: String = tokens.concat();
        let p = syntax::parse(&text);
        // A tree always comes back; its root may be an ERROR node.
        let root = p.tree.as_ref().expect("parse keeps the tree").root_node();
        prop_assert!(root.kind() == "source_file" || root.is_error(), "{}", root.kind());
        prop_assert!(root.end_byte() <= text.len());
        check_text(&text);
    }

    #[test]
    fn strings_round_trip(value in "\\PC{0,40}") {
        let text = format!("document d {{ title {} }}\n", syntax::strings::encode_quoted(&value));
        let p = syntax::parse(&text);
        prop_assert!(p.errors.is_empty(), "{:?}", p.errors);
        let doc = &p.ast.documents[0];
        prop_assert_eq!(xwalk::model::index::field_text(&doc.fields, "title"), Some(value.as_str()));
    }
}

#[test]
fn huge_and_deep_inputs_do_not_crash() {
    check_text(&"{".repeat(20_000));
    check_text(&"document a { clause 1 { ".repeat(2_000));
    check_text(&"\"".repeat(10_001));
    check_text("\u{feff}document a { title \"A\" }");
    check_text("\0\0\0");
}

/// A piece read with closers: a clause id that the closers would end
/// (`clause "` at the end of the text) must not point past the text.
#[test]
fn no_range_points_into_the_closers() {
    let text = "\"\0\"\"document uk-cop-2018:1\"uk-cop-2018:1\"\"\"{document \"\"clause \"";
    check_text(text);
    check_text("document d {\n  clause \"");
    check_text("document d {\n  provision 1 \"title");
}
