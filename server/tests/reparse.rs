//! Property tests: after an edit, the parse the language server makes (tree-sitter's
//! incremental parse of the edited tree; the AST and the errors of the
//! edited pieces read again by the hand parser, the others copied) gives
//! exactly what a fresh `syntax::parse` gives, on texts with and without
//! syntax errors, and the tree it keeps is the fresh tree.

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

/// A valid top-level piece: a document, a map with or without a body, a
/// map with a nested block (an error of lowering, not of the tree), a comment.
fn valid_piece() -> impl Strategy<Value = String> {
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
        1 => Just("# comment\n".to_string()),
    ]
}

/// A top-level piece, sometimes broken.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => valid_piece(),
        1 => Just("map a: 1 -> b:2\n".to_string()),
        1 => Just("document x {\n  title \"unterminated\n}\n".to_string()),
        1 => prop_oneof![Just("}\n"), Just("{"), Just("map"), Just("document y"), Just("\"")]
            .prop_map(str::to_string),
        // Blocks and a `"""` string left open, a broken head, a NUL: errors
        // whose messages name a line, and recovery at every level.
        1 => prop_oneof![
            Just("document z {\n  clause 1 {\n    provision 2 { note \"\"\"\n"),
            Just("map a:1->b:2 {\n  relation related\n}\n"),
            Just("map a -> b c {\n  clause 1 { }\n}\n"),
            Just("document w { title \"a\0b\" }\n"),
        ]
        .prop_map(str::to_string),
    ]
}

/// A file: valid half of the time.
fn file() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(valid_piece(), 0..12),
        prop::collection::vec(piece(), 0..12),
    ]
    .prop_map(|pieces| pieces.concat())
}

/// One change: where it starts and ends (as char boundaries) and what it inserts.
#[derive(Debug, Clone)]
struct Change {
    at: Index,
    delete: usize,
    insert: &'static str,
    /// Typed where it keeps a valid file valid: moved forward to just
    /// after a character of its own class (a space after a space, a letter
    /// or digit after a letter or digit).
    typed: bool,
}

/// Any change, breaking characters included.
fn change() -> impl Strategy<Value = Change> {
    let insert = prop::sample::select(vec![
        "",
        "\"",
        "{",
        "}",
        ":",
        "\n",
        "->",
        " -> ",
        " ",
        "x",
        ",",
        "\\",
        "\"\"\"",
        "# ",
        "é",
        "map a -> b {}\n",
        "document d { }\n",
        "}\nmap c:1 -> d:2 {",
        "\" }",
    ]);
    let delete = prop_oneof![Just(0usize), 0..4usize, 0..40usize];
    (any::<Index>(), delete, insert).prop_map(|(at, delete, insert)| Change {
        at,
        delete,
        insert,
        typed: false,
    })
}

/// Typing that mostly keeps a valid file valid.
fn typing() -> impl Strategy<Value = Change> {
    let insert = prop::sample::select(vec!["x", "7", " "]);
    (any::<Index>(), insert).prop_map(|(at, insert)| Change {
        at,
        delete: 0,
        insert,
        typed: true,
    })
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
    let mut first = change.at.index(bounds.len());
    if change.typed {
        let class = |c: char| (c.is_whitespace(), c.is_alphanumeric());
        let wanted = class(change.insert.chars().next().unwrap_or(' '));
        let after_like =
            |i: usize| text[..bounds[i]].chars().next_back().map(class) == Some(wanted);
        first = (first..bounds.len())
            .find(|&i| after_like(i))
            .unwrap_or(first);
    }
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

/// The nodes of a tree in preorder: kind, field, range, whether missing.
fn nodes(tree: &Tree) -> Vec<(u16, Option<&str>, std::ops::Range<usize>, bool)> {
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    loop {
        let n = cursor.node();
        out.push((
            n.kind_id(),
            cursor.field_name(),
            n.byte_range(),
            n.is_missing(),
        ));
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

fn assert_same(a: &Parse, b: &Parse, what: &str, text: &str) {
    assert_eq!(
        format!("{:?}", a.ast),
        format!("{:?}", b.ast),
        "{what}: {text:?}"
    );
    assert_eq!(a.errors, b.errors, "{what}: {text:?}");
}

/// The parse of `text` after an edit of `old`, tree included, as the
/// language server makes it: the AST and errors from the splice, the tree
/// from the edited one.
fn reparse(text: &str, edited: &tree_sitter::Tree, old: &str, old_parse: &Parse) -> Parse {
    Parse {
        tree: Some(syntax::reparse_tree(text, edited)),
        ..syntax::reparse_ast(text, old, old_parse)
    }
}

/// Edits `old` (parsed as `old_parse`) with `changes`, reparses it from the
/// edited tree, checks the result against a fresh parse (the AST, the
/// errors and the tree) and returns it with the new text: another reparse,
/// of which nothing was read, so that the next edit moves blocks that were
/// moved and never copied (see `syntax::MapAt`).
fn edit_and_compare(old: &str, old_parse: &Parse, changes: &[Change]) -> (String, Parse) {
    let mut tree = old_parse.tree_or_parse(old);
    let mut text = old.to_string();
    for change in changes {
        apply(&mut text, &mut tree, change);
    }
    let reparsed = reparse(&text, &tree, old, old_parse);
    let fresh = syntax::parse(&text);
    // Where each block is, asked without copying it, before reading it
    // whole (which copies a moved block).
    let places = |p: &Parse| {
        (p.ast.maps.iter())
            .map(|m| (m.block_range(), m.block_has_error()))
            .collect::<Vec<_>>()
    };
    let fresh_places: Vec<_> = (fresh.ast.maps.iter())
        .map(|m| (m.range(), m.has_error))
        .collect();
    assert_eq!(places(&reparsed), fresh_places, "blocks: {text:?}");
    assert_same(&reparsed, &fresh, "parse", &text);
    // The edit path reads only the edited pieces, errors or not, and gets
    // what reading the whole text gets.
    let spliced = syntax::parser::splice::splice(old, &old_parse.ast, &old_parse.errors, &text);
    let spliced = spliced.unwrap_or_else(|| panic!("not spliced: {old:?} -> {text:?}"));
    let whole = syntax::parser::read(&text);
    assert_eq!(format!("{spliced:?}"), format!("{whole:?}"), "{text:?}");
    let (new_tree, fresh_tree) = (
        reparsed.tree.as_ref().unwrap(),
        fresh.tree.as_ref().unwrap(),
    );
    assert_eq!(nodes(new_tree), nodes(fresh_tree), "tree: {text:?}");
    let unread = reparse(&text, &tree, old, old_parse);
    (text, unread)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Two rounds of edits, the second from the parse the first gave.
    #[test]
    fn reparse_matches_a_fresh_parse(text in file(), first in changes(), second in changes()) {
        let parse = syntax::parse(&text);
        let (text, parse) = edit_and_compare(&text, &parse, &first);
        edit_and_compare(&text, &parse, &second);
    }

    /// Typing in a valid file, the common case, twice.
    #[test]
    fn typing_matches_a_fresh_parse(
        pieces in prop::collection::vec(valid_piece(), 0..12),
        first in prop::collection::vec(typing(), 1..=3),
        second in prop::collection::vec(typing(), 1..=3),
    ) {
        let text = pieces.concat();
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

/// The fastest and the median of 30 runs of `f`; what `f` returns is
/// dropped after the clock stops.
fn measure<T>(mut f: impl FnMut() -> T) -> String {
    let mut kept = Vec::new();
    let mut times: Vec<Duration> = (0..30)
        .map(|_| {
            let t = Instant::now();
            kept.push(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    format!("{:.2?} (median {:.2?})", times[0], times[times.len() / 2])
}

/// Timings of one keystroke in the middle of a large file: run with
/// `cargo test --release --test integration reparse:: -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, for release builds"]
fn time_one_keystroke_in_a_large_file() {
    let text = large_file(1665);
    let old = syntax::parse(&text);
    println!("{} bytes, {} maps", text.len(), old.ast.maps.len());
    let middle = text[text.len() / 2..].find("Section").unwrap() + text.len() / 2;
    // A letter typed in a string, then a quote that leaves it unterminated.
    for insert in ["x", "\""] {
        let new_text = format!("{}{insert}{}", &text[..middle], &text[middle..]);
        let mut tree = old.tree.clone().unwrap();
        tree.edit(&InputEdit {
            start_byte: middle,
            old_end_byte: middle,
            new_end_byte: middle + 1,
            start_position: point(&text, middle),
            old_end_position: point(&text, middle),
            new_end_position: point(&new_text, middle + 1),
        });
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_xwalk::LANGUAGE.into())
            .unwrap();
        println!("typing {insert:?} in a string in the middle:");
        println!(
            "  tree-sitter, incremental: {}",
            measure(|| parser.parse(&new_text, Some(&tree)))
        );
        println!(
            "  tree-sitter, from scratch: {}",
            measure(|| parser.parse(&new_text, None))
        );
        println!(
            "  syntax::parse:            {}",
            measure(|| syntax::parse(&new_text))
        );
        println!(
            "  reparse_ast + reparse_tree: {}",
            measure(|| reparse(&new_text, &tree, &text, &old))
        );
        println!(
            "  syntax::parser::read:     {}",
            measure(|| syntax::parser::read(&new_text))
        );
        assert_same(
            &reparse(&new_text, &tree, &text, &old),
            &syntax::parse(&new_text),
            "parse",
            "",
        );
    }
}
