//! The formatter's guarantees, over every shipped file and over generated
//! input: formatting never changes the semantic model (the lowered AST
//! without ranges, and the comments), and formatting twice gives the same
//! text as formatting once.

use crate::common::{repo, xwalk_files};
use proptest::prelude::*;
use serde_json::{Value as Json, json};
use xwalk::format::format_source;
use xwalk::syntax::{self, Clause, Endpoint, Field, Name, Provision, Value};

fn name(n: &Name) -> Json {
    json!([n.text, n.quoted()])
}

fn endpoint(e: &Endpoint) -> Json {
    match e {
        Endpoint::Document(n) => json!({ "doc": name(n) }),
        Endpoint::Reference(r) => json!({ "ref": [name(&r.document), name(&r.id)] }),
    }
}

fn fields(fs: &[Field]) -> Json {
    fs.iter()
        .map(|f| {
            let values: Vec<Json> = f
                .values
                .iter()
                .map(|v| match v {
                    Value::Word(n) => json!({ "word": name(n) }),
                    Value::String(s) => json!({ "string": [s.value, s.block()] }),
                    Value::Reference(r) => json!({ "ref": [name(&r.document), name(&r.id)] }),
                })
                .collect();
            json!([name(&f.name), values])
        })
        .collect()
}

fn provisions(ps: &[Provision]) -> Json {
    ps.iter()
        .map(|p| {
            json!({
                "id": name(&p.id),
                "title": p.title.as_ref().map(|t| (&t.value, t.block())),
                "fields": fields(&p.fields),
                "error": p.has_error,
            })
        })
        .collect()
}

fn clauses(cs: &[Clause]) -> Json {
    cs.iter()
        .map(|c| {
            json!({
                "id": name(&c.id),
                "title": c.title.as_ref().map(|t| (&t.value, t.block())),
                "fields": fields(&c.fields),
                "clauses": clauses(&c.clauses),
                "provisions": provisions(&c.provisions),
                "error": c.has_error,
            })
        })
        .collect()
}

fn comments(node: tree_sitter::Node, text: &str, out: &mut Vec<String>) {
    if node.kind() == "comment" {
        out.push(text[node.byte_range()].trim_end().to_string());
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        comments(child, text, out);
    }
}

/// The semantic model of a file: its AST without ranges, and its comments.
fn model(text: &str) -> Json {
    let p = syntax::parse(text);
    let documents: Vec<Json> = p
        .ast
        .documents
        .iter()
        .map(|d| {
            json!({
                "id": name(&d.id),
                "fields": fields(&d.fields),
                "clauses": clauses(&d.clauses),
                "provisions": provisions(&d.provisions),
                "error": d.has_error,
            })
        })
        .collect();
    let maps: Vec<Json> = p
        .ast
        .maps
        .iter()
        .map(|m| {
            let targets: Vec<Json> = m.targets.iter().map(endpoint).collect();
            json!({
                "source": endpoint(&m.source),
                "targets": targets,
                "fields": fields(&m.fields),
                "error": m.has_error,
            })
        })
        .collect();
    let mut cs = Vec::new();
    comments(
        p.tree.as_ref().expect("parse keeps the tree").root_node(),
        text,
        &mut cs,
    );
    json!({ "documents": documents, "maps": maps, "comments": cs })
}

/// Formats `text` and checks both guarantees; returns the formatted text,
/// or None when the file has syntax errors (and so is refused).
fn check_guarantees(text: &str) -> Option<String> {
    let has_errors = !syntax::parse(text).errors.is_empty();
    let once = match format_source(text) {
        Ok(once) => once,
        Err(e) => {
            assert!(has_errors, "refused without syntax errors: {e}");
            return None;
        }
    };
    assert!(!has_errors, "formatted a file with syntax errors");
    assert!(
        syntax::parse(&once).errors.is_empty(),
        "formatting introduced syntax errors:\n{once}"
    );
    assert_eq!(
        model(text),
        model(&once),
        "the model changed:\n{text}\n---\n{once}"
    );
    let twice = format_source(&once).expect("formatted text parses");
    assert_eq!(once, twice, "not idempotent; input:\n{text}");
    Some(once)
}

/// The ```xwalk examples of a Markdown file.
fn examples(markdown: &str) -> Vec<String> {
    markdown
        .split("```xwalk\n")
        .skip(1)
        .filter_map(|rest| rest.find("```").map(|end| rest[..end].to_string()))
        .collect()
}

#[test]
fn every_shipped_file_keeps_its_model_and_is_stable() {
    let mut files = Vec::new();
    for dir in ["mappings", "grammar", "editors"] {
        let dir = repo().join(dir);
        if dir.is_dir() {
            xwalk_files(&dir, &mut files);
        }
    }
    assert!(files.len() >= 6, "{files:?}");
    let mut texts: Vec<(String, String)> = files
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect();
    for doc in ["README.md", "docs/format.md", "docs/diagnostics.md"] {
        let text = std::fs::read_to_string(repo().join(doc)).unwrap();
        for (i, example) in examples(&text).into_iter().enumerate() {
            texts.push((format!("{doc} example {i}"), example));
        }
    }
    let mut formatted = 0;
    for (name, text) in &texts {
        let result = std::panic::catch_unwind(|| check_guarantees(text));
        match result {
            Ok(Some(_)) => formatted += 1,
            Ok(None) => {}
            Err(_) => panic!("{name}"),
        }
    }
    assert!(formatted >= files.len(), "{formatted} of {}", texts.len());
}

#[test]
fn the_shipped_mappings_are_formatted() {
    let mut files = Vec::new();
    xwalk_files(&repo().join("mappings"), &mut files);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let formatted = format_source(&text).unwrap();
        assert!(
            formatted == text,
            "{} is not formatted: run `xwalk fmt mappings`",
            path.display()
        );
    }
}

// ---------------------------------------------------------------------------
// Generated input: valid files with random layout, comments everywhere.

/// Whitespace between tokens, at least one character, often with a comment.
fn sep() -> BoxedStrategy<String> {
    prop_oneof![
        4 => Just(" ".to_string()),
        2 => Just("\n".to_string()),
        1 => Just("\n\n\n".to_string()),
        1 => Just("\t  ".to_string()),
        1 => Just(" \r\n    ".to_string()),
        2 => "[ \t]{0,2}#[ -~]{0,12}\n[ \t]{0,5}",
        1 => "[ \t]{0,2}#[ -~]{0,6}\n\n#[ -~]{0,6}\n ",
    ]
    .boxed()
}

/// Whitespace that may be empty.
fn sep0() -> BoxedStrategy<String> {
    prop_oneof![2 => Just(String::new()), 3 => sep()].boxed()
}

fn word() -> BoxedStrategy<String> {
    "[a-z0-9][a-z0-9._-]{0,6}"
        .prop_filter("not a keyword", |w| {
            !matches!(w.as_str(), "document" | "map" | "clause" | "provision")
        })
        .boxed()
}

fn quoted() -> BoxedStrategy<String> {
    "\"([a-zA-Z0-9 ,.:#'’é\t-]|\\\\[nt\"\\\\]|\\\\u\\{(41|e9|2019|1f512)\\}){0,14}\"".boxed()
}

/// A `"""` block: any indentation, text right after the quotes or not,
/// closing quotes on their own line or not, blank and indented lines.
fn block() -> BoxedStrategy<String> {
    (
        "[a-z ]{0,5}",
        prop::collection::vec("[ \t]{0,7}[a-z .',]{0,12}", 0..5),
        prop::bool::ANY,
        "[ \t]{0,6}",
    )
        .prop_map(|(first, lines, own_line, closing)| {
            let mut s = format!("\"\"\"{first}");
            for l in &lines {
                s.push('\n');
                s.push_str(l);
            }
            if own_line || lines.is_empty() {
                s.push('\n');
                s.push_str(&closing);
            }
            s.push_str("\"\"\"");
            s
        })
        .boxed()
}

fn reference() -> BoxedStrategy<String> {
    (word(), prop_oneof![word(), quoted()])
        .prop_map(|(d, i)| format!("{d}:{i}"))
        .boxed()
}

fn value() -> BoxedStrategy<String> {
    prop_oneof![word(), quoted(), block(), reference()].boxed()
}

fn field() -> BoxedStrategy<String> {
    let names = prop::sample::select(vec![
        "title",
        "publisher",
        "note",
        "text",
        "cites",
        "relation",
        "replaces",
        "x-y",
    ]);
    (
        names,
        sep(),
        value(),
        prop::collection::vec((sep0(), sep0(), value()), 0..4),
    )
        .prop_map(|(n, s, first, rest)| {
            let mut f = format!("{n}{s}{first}");
            for (a, b, v) in rest {
                f.push_str(&format!("{a},{b}{v}"));
            }
            f
        })
        .boxed()
}

/// `{ entries }` with entries joined by whitespace.
fn block_of(entries: Vec<(String, String)>, open: String, close: String) -> String {
    let mut s = format!("{{{open}");
    for (e, sep) in entries {
        s.push_str(&e);
        s.push_str(&sep);
    }
    s.push_str(&close);
    s.push('}');
    s
}

fn fields_block() -> BoxedStrategy<String> {
    (
        prop::collection::vec((field(), sep()), 0..4),
        sep0(),
        sep0(),
    )
        .prop_map(|(entries, open, close)| block_of(entries, open, close))
        .boxed()
}

fn id() -> BoxedStrategy<String> {
    prop_oneof![3 => word(), 1 => quoted()].boxed()
}

fn title() -> BoxedStrategy<String> {
    prop_oneof![
        2 => Just(String::new()),
        2 => (sep(), quoted()).prop_map(|(s, q)| format!("{s}{q}")),
        1 => (sep(), block()).prop_map(|(s, b)| format!("{s}{b}")),
    ]
    .boxed()
}

fn provision() -> BoxedStrategy<String> {
    (
        sep(),
        id(),
        title(),
        prop::option::of((sep0(), fields_block())),
    )
        .prop_map(|(s, id, title, body)| {
            let body = body.map_or(String::new(), |(s, b)| format!("{s}{b}"));
            format!("provision{s}{id}{title}{body}")
        })
        .boxed()
}

fn clause() -> BoxedStrategy<String> {
    let leaf = (sep(), id(), title()).prop_map(|(s, id, t)| format!("clause{s}{id}{t}"));
    leaf.prop_recursive(2, 8, 4, |inner| {
        (
            sep(),
            id(),
            title(),
            sep0(),
            prop::collection::vec((prop_oneof![field(), provision(), inner], sep()), 0..4),
            sep0(),
            sep0(),
        )
            .prop_map(|(s, id, t, s2, entries, open, close)| {
                format!("clause{s}{id}{t}{s2}{}", block_of(entries, open, close))
            })
    })
    .boxed()
}

fn document() -> BoxedStrategy<String> {
    (
        sep(),
        word(),
        sep0(),
        prop::collection::vec(
            (
                prop_oneof![2 => field(), 1 => clause(), 1 => provision()],
                sep(),
            ),
            0..6,
        ),
        sep0(),
        sep0(),
    )
        .prop_map(|(s, id, s2, entries, open, close)| {
            format!("document{s}{id}{s2}{}", block_of(entries, open, close))
        })
        .boxed()
}

fn endpoint_text() -> BoxedStrategy<String> {
    prop_oneof![1 => word(), 3 => reference()].boxed()
}

fn map() -> BoxedStrategy<String> {
    (
        sep(),
        endpoint_text(),
        sep(),
        sep0(),
        endpoint_text(),
        prop::collection::vec((sep0(), sep0(), endpoint_text()), 0..12),
        prop::option::of((sep0(), fields_block())),
    )
        .prop_map(|(s, source, s2, s3, first, rest, body)| {
            let mut m = format!("map{s}{source}{s2}->{s3}{first}");
            for (a, b, t) in rest {
                m.push_str(&format!("{a},{b}{t}"));
            }
            if let Some((s, b)) = body {
                m.push_str(&s);
                m.push_str(&b);
            }
            m
        })
        .boxed()
}

fn file() -> BoxedStrategy<String> {
    (
        sep0(),
        prop::collection::vec((prop_oneof![document(), map()], sep()), 0..5),
    )
        .prop_map(|(lead, items)| {
            let mut f = lead;
            for (item, s) in items {
                f.push_str(&item);
                f.push_str(&s);
            }
            f
        })
        .boxed()
}

fn soup_token() -> BoxedStrategy<String> {
    prop_oneof![
        Just("document ".to_string()),
        Just("map ".to_string()),
        Just("clause ".to_string()),
        Just("provision ".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(" -> ".to_string()),
        Just(", ".to_string()),
        Just("\n".to_string()),
        Just("# c\n".to_string()),
        Just("\"\"\"\n  x\n \"\"\"".to_string()),
        Just("a:b ".to_string()),
        Just("title \"T\" ".to_string()),
        "[a-z0-9]{1,5} ",
    ]
    .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_files_keep_their_model_and_are_stable(text in file()) {
        let errors = syntax::parse(&text).errors;
        prop_assert!(errors.is_empty(), "the generator made an invalid file: {errors:?}\n{text}");
        prop_assert!(check_guarantees(&text).is_some());
    }

    /// A file saved with CRLF or lone-CR line ends reads as the same lines
    /// and formats to the same (LF) text.
    #[test]
    fn every_kind_of_line_end_formats_alike(text in file(), lone_cr in any::<bool>()) {
        let lf = text.replace("\r\n", "\n").replace('\r', "\n");
        let other = lf.replace('\n', if lone_cr { "\r" } else { "\r\n" });
        prop_assert_eq!(check_guarantees(&other), check_guarantees(&lf));
    }

    #[test]
    fn any_token_soup_is_formatted_safely_or_refused(tokens in prop::collection::vec(soup_token(), 0..40)) {
        check_guarantees(&tokens.concat());
    }
}

#[test]
fn the_canonical_layout_example_in_the_spec_is_right() {
    let spec = std::fs::read_to_string(repo().join("docs/format.md")).unwrap();
    let section = &spec[spec.find("\n## Canonical layout\n").expect("the section")..];
    let blocks = examples(section);
    let (before, after) = (&blocks[0], &blocks[1]);
    assert_ne!(before, after);
    assert_eq!(&format_source(before).unwrap(), after);
    assert_eq!(model(before), model(after));
}
