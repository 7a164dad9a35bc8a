//! Property tests: re-lowering after an edit with `syntax::reparse_reusing`
//! gives exactly what a fresh `syntax::parse` of the edited text gives.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use tree_sitter::{InputEdit, Point, Tree};
use xwalk::syntax::{self, Parse};

fn id() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9.-]{0,5}"
}

/// A string literal: plain, with a bad escape, or a `"""` block.
fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ]{0,8}".prop_map(|s| format!("\"{s}\"")),
        "[a-z ]{0,4}".prop_map(|s| format!("\"{s}\\q\"")),
        "[a-z \n]{0,8}".prop_map(|s| format!("\"\"\"{s}\"\"\"")),
    ]
}

/// A top-level piece: mostly valid items, some broken ones.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (id(), string(), id(), string(), id(), string()).prop_map(|(d, t, c, ct, p, s)| {
            format!(
                "document {d} {{\n  title {t}\n  clause {c} {ct} {{\n    provision {p} {{ status {s} }}\n  }}\n  provision {p}.1 {{ text {s} }}\n}}\n"
            )
        }),
        6 => (id(), id(), id(), id(), string()).prop_map(|(a, x, b, y, s)| {
            format!("map {a}:{x} -> {b}:{y}, {b}:\"{y} z\" {{\n  relation related\n  note {s}\n}}\n")
        }),
        2 => (id(), id()).prop_map(|(a, b)| format!("map {a} -> {b}\n")),
        1 => (id(), id()).prop_map(|(a, b)| format!("map {a} -> {b} {{ provision 1 {{ }} }}\n")),
        1 => Just("map a: 1 -> b:2\n".to_string()),
        1 => Just("document x {\n  title \"unterminated\n}\n".to_string()),
        1 => Just("# comment\n".to_string()),
        1 => prop_oneof![Just("}\n"), Just("{"), Just("map"), Just("document y"), Just("\"")]
            .prop_map(str::to_string),
    ]
}

fn file() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..12).prop_map(|pieces| pieces.concat())
}

/// One change: where it starts and ends (as char boundaries) and what it inserts.
#[derive(Debug, Clone)]
struct Change {
    at: Index,
    delete: usize,
    insert: &'static str,
}

fn change() -> impl Strategy<Value = Change> {
    let insert = prop::sample::select(vec![
        "", "\"", "{", "}", ":", "\n", "->", " -> ", " ", "x", ",", "\\", "\"\"\"", "# ", "é",
        "map a -> b {}\n", "document d { }\n", "}\nmap c:1 -> d:2 {", "\" }",
    ]);
    (any::<Index>(), prop_oneof![Just(0usize), 0..4usize, 0..40usize], insert)
        .prop_map(|(at, delete, insert)| Change { at, delete, insert })
}

fn changes() -> impl Strategy<Value = Vec<Change>> {
    prop::collection::vec(change(), 1..=3)
}

/// The tree-sitter position of a byte offset.
fn point(text: &str, offset: usize) -> Point {
    let before = &text[..offset];
    let column = offset - before.rfind('\n').map_or(0, |i| i + 1);
    Point::new(before.matches('\n').count(), column)
}

/// Applies `change` to `text` and `tree` as the language server applies an
/// incremental change: the text is replaced, the tree told with `Tree::edit`.
fn apply(text: &mut String, tree: &mut Tree, change: &Change) {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let first = change.at.index(bounds.len());
    let start = bounds[first];
    let end = bounds[(first + change.delete).min(bounds.len() - 1)];
    let mut new = text.clone();
    new.replace_range(start..end, change.insert);
    let new_end = start + change.insert.len();
    tree.edit(&InputEdit {
        start_byte: start,
        old_end_byte: end,
        new_end_byte: new_end,
        start_position: point(text, start),
        old_end_position: point(text, end),
        new_end_position: point(&new, new_end),
    });
    *text = new;
}

/// Edits `old` (parsed as `old_parse`) with `changes`, reparses it reusing
/// `old_parse`, checks the result against a fresh parse and returns it with
/// the new text.
fn edit_and_compare(old: &str, old_parse: &Parse, changes: &[Change]) -> (String, Parse) {
    let mut tree = old_parse.tree_or_parse(old);
    let mut text = old.to_string();
    for change in changes {
        apply(&mut text, &mut tree, change);
    }
    let reused = syntax::reparse_reusing(&text, &tree, old, old_parse);
    let fresh = syntax::parse(&text);
    assert_eq!(
        format!("{:?}", reused.ast),
        format!("{:?}", fresh.ast),
        "{text:?}"
    );
    assert_eq!(reused.errors, fresh.errors, "{text:?}");
    (text, reused)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Two rounds of edits: the second reuses a parse that was itself
    /// built by reuse, so what a copied item carries must survive a copy.
    #[test]
    fn reuse_matches_a_fresh_parse(text in file(), first in changes(), second in changes()) {
        let parse = syntax::parse(&text);
        let (text, parse) = edit_and_compare(&text, &parse, &first);
        edit_and_compare(&text, &parse, &second);
    }
}

/// A large file like the one `examples/prof.rs` builds: one document and
/// `maps` maps.
fn large_file(maps: usize) -> String {
    let mut s = "document source-1 {\n  title \"T 1\"\n}\n\n".to_string();
    for m in 0..maps {
        s.push_str(&format!(
            "map source-1:\"{m}.{}\" -> uk-cop-2018:{}, etsi-en-303-645:5.1-2 {{\n  relation related\n  excerpt \"Recommendation {m} of document 1: devices should use unique credentials and update securely.\"\n  note \"Section {m}\"\n  added \"4\"\n}}\n",
            m % 7,
            m % 13 + 1
        ));
    }
    s
}

/// Timings of one keystroke in the middle of a large file: run with
/// `cargo test --release --test reparse -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, for release builds"]
fn time_one_keystroke_in_a_large_file() {
    let text = large_file(1665);
    let old = syntax::parse(&text);
    let middle = text[text.len() / 2..].find("Section").unwrap() + text.len() / 2;
    let new_text = format!("{}x{}", &text[..middle], &text[middle..]);
    let edit = InputEdit {
        start_byte: middle,
        old_end_byte: middle,
        new_end_byte: middle + 1,
        start_position: point(&text, middle),
        old_end_position: point(&text, middle),
        new_end_position: point(&new_text, middle + 1),
    };
    let tree = || {
        let mut t = old.tree.clone().unwrap();
        t.edit(&edit);
        t
    };
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_xwalk::LANGUAGE.into())
        .unwrap();
    let best = |f: &mut dyn FnMut()| {
        (0..30)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .min()
            .unwrap_or(Duration::ZERO)
    };
    let incremental = best(&mut || {
        let t = tree();
        std::hint::black_box(parser.parse(&new_text, Some(&t)));
    });
    let full = best(&mut || {
        let t = tree();
        std::hint::black_box(syntax::reparse(&new_text, &t));
    });
    let reusing = best(&mut || {
        let t = tree();
        std::hint::black_box(syntax::reparse_reusing(&new_text, &t, &text, &old));
    });
    let reused = syntax::reparse_reusing(&new_text, &tree(), &text, &old);
    let fresh = syntax::parse(&new_text);
    assert_eq!(format!("{:?}", reused.ast), format!("{:?}", fresh.ast));
    println!(
        "{} bytes, {} maps: tree-sitter incremental parse {incremental:?}, reparse {full:?}, reparse_reusing {reusing:?} (best of 30)",
        text.len(),
        old.ast.maps.len()
    );
}
