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
        &src[m.head_range.clone()],
        "map enisa-bsr-iot:GP-TM-23 -> uk-cop-2018:1, etsi-en-303-645:5.1-1"
    );
    let m2 = &p.ast.maps[1];
    assert_eq!(m2.source.id().unwrap().text, "5.3.2 first");
    assert!(m2.source.id().unwrap().quoted);
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

/// The tree-sitter position of a byte offset.
fn point(text: &str, offset: usize) -> tree_sitter::Point {
    let row_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let row = text[..offset].matches('\n').count();
    tree_sitter::Point::new(row, offset - row_start)
}

/// Applies `edits` to `old` one after the other (each replaces its first
/// string, which must occur once in the text as edited so far, by its
/// second), editing the tree as the language server does, then checks
/// `reparse` against a fresh parse and returns its result.
fn edit(old: &str, edits: &[(&str, &str)]) -> Parse {
    let old_parse = parse(old);
    let mut tree = old_parse.tree_or_parse(old);
    let mut text = old.to_string();
    for &(find, replace) in edits {
        assert_eq!(text.matches(find).count(), 1, "{find:?}");
        let start = text.find(find).unwrap();
        let end = start + find.len();
        let mut new = text.clone();
        new.replace_range(start..end, replace);
        tree.edit(&tree_sitter::InputEdit {
            start_byte: start,
            old_end_byte: end,
            new_end_byte: start + replace.len(),
            start_position: point(&text, start),
            old_end_position: point(&text, end),
            new_end_position: point(&new, start + replace.len()),
        });
        text = new;
    }
    let reparsed = reparse(&text, &tree, old, &old_parse);
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
    assert_eq!(m.range.start, FILE.rfind("map b:2").unwrap() + 10);
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
