//! The parser's unit tests: what it reads, and the edit path.

use crate::syntax::*;

#[test]
fn lowers_the_example() {
    let src = r#"
document etsi-en-303-645 {
  title "Cyber Security"
  supersedes etsi-ts-103-645
  clause 5.1 "No universal default passwords" {
    provision 5.1-1 {
      status "M C (1)"
      replaces etsi-ts-103-645:4.1-1
    }
  }
}
map enisa-bsr-iot:GP-TM-23 -> uk-cop-2018:1, etsi-en-303-645:5.1-1 {
  relation related
}
map csa:"5.3.2 first" -> x:"y z"
"#;
    let p = parse(src);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let doc = &p.ast.documents[0];
    assert_eq!(doc.id.text, "etsi-en-303-645");
    assert_eq!(doc.fields.len(), 2);
    assert_eq!(doc.clauses[0].provisions[0].id.text, "5.1-1");
    assert_eq!(
        doc.clauses[0].title.as_ref().unwrap().value,
        "No universal default passwords"
    );
    let m = &p.ast.maps[0];
    assert_eq!(m.targets.len(), 2);
    assert_eq!(
        &src[m.head_range()],
        "map enisa-bsr-iot:GP-TM-23 -> uk-cop-2018:1, etsi-en-303-645:5.1-1"
    );
    let m2 = &p.ast.maps[1];
    assert_eq!(m2.source.id().unwrap().text, "5.3.2 first");
    assert!(m2.source.id().unwrap().quoted());
    assert_eq!(m2.targets[0].id().unwrap().text, "y z");
}

#[test]
fn recovers_after_errors() {
    let src = "map a: 1 -> b:2\ndocument x {\n  title \"unterminated\n}\nmap c:1 -> d:2 { relation equal-to }\n";
    let p = parse(src);
    assert!(!p.errors.is_empty());
    assert!(
        p.errors
            .iter()
            .any(|e| e.help.as_deref().is_some_and(|h| h.contains("DOC:ID")))
    );
    // The last map is still there.
    assert!(p.ast.maps.iter().any(|m| m.source.document().text == "c"));
}

/// A file with two documents (clauses, provisions, a bad escape) and
/// three maps.
const FILE: &str = r#"document a {
  title "A"
  clause 1 "One" {
    provision 1.1 { status "M" }
    provision 1.2 "Two" { text "bad \q escape" }
  }
}
map a:1.1 -> b:2, c:"3 x" {
  relation equal-to
  note "n"
}
map a:1.2 -> b:4 { relation related }
document b {
  provision 2 { title "B2" }
  provision 4 { title "B4" }
}
map b:2 -> a:1.1 {
  relation superset-of
}
"#;

/// Applies `edits` to `old` one after the other (each replaces its first
/// string, which must occur once in the text as edited so far, by its
/// second), then checks `reparse_ast` against a fresh parse and returns
/// its result.
fn edit(old: &str, edits: &[(&str, &str)]) -> Parse {
    let old_parse = parse(old);
    let mut text = old.to_string();
    for &(find, replace) in edits {
        assert_eq!(text.matches(find).count(), 1, "{find:?}");
        let start = text.find(find).unwrap();
        let end = start + find.len();
        text.replace_range(start..end, replace);
    }
    let reparsed = reparse_ast(&text, old, &old_parse);
    let fresh = parse(&text);
    assert_eq!(format!("{:?}", reparsed.ast), format!("{:?}", fresh.ast));
    assert_eq!(reparsed.errors, fresh.errors);
    reparsed
}

#[test]
fn edits_reparse_as_a_fresh_parse_does() {
    let p = edit(FILE, &[("note \"n\"", "note \"longer note\"")]);
    let m = &p.ast.maps[2];
    assert_eq!(m.source.id().unwrap().text, "2");
    assert_eq!(m.range().start, FILE.rfind("map b:2").unwrap() + 10);
    assert_eq!(p.errors.len(), 1);
    // An unterminated string: the rest of the line is an error.
    let p = edit(FILE, &[("note \"n\"", "note \"n")]);
    assert!(!p.errors.is_empty());
    // A `}` deleted, the opening `{` of a document deleted, a new `{`.
    let p = edit(FILE, &[("  note \"n\"\n}", "  note \"n\"\n")]);
    assert!(p.errors.len() > 1);
    edit(FILE, &[("document b {", "document b")]);
    edit(FILE, &[("map a:1.2 -> b:4 {", "map a:1.2 -> b:4 { {")]);
    edit(
        FILE,
        &[
            ("title \"A\"", "title \"AA\""),
            ("superset-of", "subset-of"),
        ],
    );
    let end = "superset-of\n}\n";
    edit(FILE, &[(end, "superset-of\n}\nmap z -> y")]);
    edit(FILE, &[(end, "superset-of\n}\n}")]);
    edit(FILE, &[(FILE, "")]);
    edit("", &[("", FILE)]);
}

#[test]
fn bad_escape_is_a_located_error() {
    let src = "document d { title \"a\\qb\" }";
    let p = parse(src);
    assert_eq!(p.errors.len(), 1);
    assert_eq!(&src[p.errors[0].range.clone()], "\\q");
}

/// What the parser reads of `text`: an outline of the AST (each block with
/// its id, `!` when it holds an error, and its field names) and each error
/// as `line:col message (help)`.
fn outline(text: &str) -> String {
    let (ast, errors) = super::read(text);
    let mut out = String::new();
    let mark = |e: bool| if e { "!" } else { "" };
    let fields = |f: &[Field]| {
        f.iter()
            .map(|f| f.name.text.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    fn clauses(out: &mut String, cs: &[Clause], ps: &[Provision], depth: usize) {
        for c in cs {
            let bang = if c.has_error { "!" } else { "" };
            out.push_str(&format!(
                "{}clause {}{bang}\n",
                "  ".repeat(depth),
                c.id.text
            ));
            clauses(out, &c.clauses, &c.provisions, depth + 1);
        }
        for p in ps {
            let bang = if p.has_error { "!" } else { "" };
            let names: Vec<_> = p.fields.iter().map(|f| f.name.text.to_string()).collect();
            out.push_str(&format!(
                "{}provision {}{bang} [{}]\n",
                "  ".repeat(depth),
                p.id.text,
                names.join(",")
            ));
        }
    }
    for d in &ast.documents {
        out.push_str(&format!(
            "document {}{} [{}]\n",
            d.id.text,
            mark(d.has_error),
            fields(&d.fields)
        ));
        clauses(&mut out, &d.clauses, &d.provisions, 1);
    }
    for m in &ast.maps {
        let targets: Vec<_> = m.targets.iter().map(|t| &text[t.range()]).collect();
        out.push_str(&format!(
            "map {} -> {}{} [{}]\n",
            &text[m.source.range()],
            targets.join(","),
            mark(m.has_error),
            fields(&m.fields)
        ));
    }
    let mut lines = lines::Counter::new(text);
    for e in &errors {
        let line = lines.line(e.range.start);
        let col = e.range.start - lines::start_of_line(text, e.range.start);
        out.push_str(&format!("{}:{} {}", line + 1, col + 1, e.message));
        if let Some(help) = &e.help {
            out.push_str(&format!(" ({help})"));
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_broken_block_keeps_what_was_read_before_the_error() {
    let text = "document d {\n  title \"T\"\n  clause 1 \"One\" {\n    provision 1.1 { status \"M\" }\n    provision 1.2 { text = \"x\" }\n";
    expect_test::expect![[r#"
        document d! [title]
          clause 1!
            provision 1.1 [status]
            provision 1.2! []
        5:21 unexpected `text = "x"` (fields are written `name value`, with no `=`)
        5:33 missing `}` to close the `clause` block opened at line 3 (a line that starts with `map` or `document` begins a new block)
        5:33 missing `}` to close the `document` block opened at line 1 (a line that starts with `map` or `document` begins a new block)
    "#]]
    .assert_eq(&outline(text));
}

#[test]
fn a_map_keeps_its_head_and_the_fields_around_a_broken_one() {
    let text =
        "map a:1 -> b:2, c {\n  relation related\n  note \"x\n  strength 8\n}\nmap a:2 -> b:3\n";
    expect_test::expect![[r#"
        map a:1 -> b:2,c! [relation,strength]
        map a:2 -> b:3 []
        3:3 unexpected `note "x` (a string must end on the line it starts; write a line break as \n or use a """ block)
    "#]]
    .assert_eq(&outline(text));
}

#[test]
fn a_map_whose_head_is_broken_is_dropped_and_its_block_read() {
    let text = "map a:1 b:2 {\n  clause 1\n}\nmap a:2 -> b:3,\n";
    expect_test::expect![[r#"
        1:1 unexpected `map a:1 b:2`
        2:3 a map block holds fields only (declare clauses and provisions inside a `document` block)
        4:16 missing a target (`DOC` or `DOC:ID`)
    "#]]
    .assert_eq(&outline(text));
}

#[test]
fn what_is_missing_is_named() {
    let text = "document d { title }\ndocument e\nmap a\n  relation x\nmap -> b\n";
    expect_test::expect![[r#"
        document d! []
        document e! []
        1:19 missing a value
        2:11 missing `{`
        3:6 missing `->`
        4:3 unexpected `relation x`
        5:1 unexpected `map -> b`
    "#]]
    .assert_eq(&outline(text));
}

#[test]
fn a_nul_is_an_error_wherever_it_is() {
    expect_test::expect![[r#"
        document d! [title]
        1:22 unexpected NUL character (U+0000) (a .xwalk file is text: remove the NUL)
    "#]]
    .assert_eq(&outline("document d { title \"a\0b\" }\n"));
    expect_test::expect![[r#"
        document d! []
        1:14 unexpected NUL character (U+0000) (a .xwalk file is text: remove the NUL)
    "#]]
    .assert_eq(&outline("document d { \0 }\n"));
}

/// A text longer than the AST's ranges can hold is one error, read no
/// further (the real limit, 2 GiB, with a small one here).
#[test]
fn a_text_too_long_is_one_error() {
    let text = "map a:1 -> b:1\n";
    let (ast, errors) = super::read_up_to(text, text.len() - 1);
    assert!(ast.maps.is_empty() && ast.documents.is_empty());
    expect_test::expect![[r#"
        [
            SyntaxError {
                range: 0..0,
                message: "the file is 15 bytes long: a .xwalk file is read up to 14 bytes",
                help: Some(
                    "split it into several files",
                ),
            },
        ]
    "#]]
    .assert_debug_eq(&errors);
    assert_eq!(super::read_up_to(text, text.len()).0.maps.len(), 1);
    assert_eq!(crate::syntax::MAX_TEXT_LEN, (1 << 31) - 1);
}
