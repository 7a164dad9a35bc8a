//! Layout rules, one example each. The property tests over every shipped
//! file and generated input are in server/tests/format.rs.

use super::*;

fn fmt(src: &str) -> String {
    let out = format_source(src).unwrap_or_else(|e| panic!("{e}: {:?}", e.errors));
    assert_eq!(format_source(&out).unwrap(), out, "not idempotent");
    out
}

#[test]
fn indents_and_puts_one_entry_per_line() {
    let src =
        "document a{title \"A\"   publisher \"P\"\n\tclause 1 \"One\"{provision 1.1{text \"T\"}}}";
    assert_eq!(
        fmt(src),
        "document a {\n  title \"A\"\n  publisher \"P\"\n  clause 1 \"One\" {\n    provision 1.1 {\n      text \"T\"\n    }\n  }\n}\n"
    );
}

#[test]
fn keeps_field_order_and_blank_lines_up_to_one() {
    let src = "document a {\n\n  url \"https://x.org\"\n\n\n\n  title \"A\"\n  clause 1\n\n}\n";
    assert_eq!(
        fmt(src),
        "document a {\n  url \"https://x.org\"\n\n  title \"A\"\n  clause 1\n}\n"
    );
}

#[test]
fn separates_top_level_blocks_with_a_blank_line() {
    let src = "document a { title \"A\" }\n# about the map\nmap a:1 -> b:2 { relation related }\nmap a:2 -> b:3\nmap a:3 -> b:4\n\n\nmap a:4 -> b:5";
    assert_eq!(
        fmt(src),
        "document a {\n  title \"A\"\n}\n\n# about the map\nmap a:1 -> b:2 {\n  relation related\n}\n\nmap a:2 -> b:3\nmap a:3 -> b:4\n\nmap a:4 -> b:5\n"
    );
}

#[test]
fn keeps_comments_in_place() {
    let src = "# head\n\ndocument a { # after brace\n  title \"A\"   # trailing\n  # own line\n\n     # indented oddly   \n}  # after close\n";
    assert_eq!(
        fmt(src),
        "# head\n\ndocument a { # after brace\n  title \"A\" # trailing\n  # own line\n\n  # indented oddly\n} # after close\n"
    );
}

#[test]
fn moves_a_comment_before_the_brace_after_it() {
    let src = "map a:1 -> b:1 # why\n # and more\n{\n relation related\n}\n";
    assert_eq!(
        fmt(src),
        "map a:1 -> b:1 { # why\n  # and more\n  relation related\n}\n"
    );
}

#[test]
fn comments_inside_a_list_wrap_it() {
    let src = "document a {\n  title \"A\"\n  cites b, # first\n    c, d\n}\n";
    assert_eq!(
        fmt(src),
        "document a {\n  title \"A\"\n  cites\n      b, # first\n      c,\n      d\n}\n"
    );
}

#[test]
fn wraps_long_lists_one_item_per_line() {
    let targets: Vec<String> = (1..=8)
        .map(|i| format!("etsi-en-303-645:5.{i}-1"))
        .collect();
    let src = format!(
        "map uk-cop-2018:1 -> {} {{ relation related }}",
        targets.join(", ")
    );
    let out = fmt(&src);
    let mut want = String::from("map uk-cop-2018:1 ->\n");
    for (i, t) in targets.iter().enumerate() {
        let comma = if i + 1 < targets.len() { "," } else { " {" };
        want.push_str(&format!("    {t}{comma}\n"));
    }
    want.push_str("  relation related\n}\n");
    assert_eq!(out, want);
    // Short lists stay on one line.
    assert_eq!(fmt("map a:1 ->  b:1 ,b:2"), "map a:1 -> b:1, b:2\n");
}

#[test]
fn never_wraps_strings() {
    let long = "x".repeat(300);
    let src = format!("document a {{ title \"{long}\" }}");
    assert_eq!(
        fmt(&src),
        format!("document a {{\n  title \"{long}\"\n}}\n")
    );
}

#[test]
fn keeps_how_values_are_written() {
    let src = "document a {\n  title \"caf\\u{e9} \\\"q\\\"\"\n  version 2\n  note \"\"\"one line\"\"\"\n  clause \"5.1\" \"T\"\n}\n\nmap a:\"x y\" -> b:\"1\"\n";
    assert_eq!(fmt(src), src);
}

#[test]
fn reindents_block_strings() {
    let src = "document a {\n  title \"A\"\n clause 1 {\n text \"\"\"\n        First.\n\n          Indented.\n        \"\"\"\n  }\n}\n";
    assert_eq!(
        fmt(src),
        "document a {\n  title \"A\"\n  clause 1 {\n    text \"\"\"\n      First.\n\n        Indented.\n      \"\"\"\n  }\n}\n"
    );
}

#[test]
fn block_strings_with_text_after_the_quotes_stay_as_written() {
    let src = "document a {\n  title \"A\"\n  note \"\"\"First\n     second\"\"\"\n}\n";
    assert_eq!(fmt(src), src);
    let src = "document a {\r\n  title \"A\"\r\n  note \"\"\"First\r\n     second\"\"\"\r\n}\r\n";
    assert_eq!(
        fmt(src),
        "document a {\n  title \"A\"\n  note \"\"\"First\n     second\"\"\"\n}\n"
    );
}

#[test]
fn empty_blocks_and_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt(" \n\n "), "");
    assert_eq!(fmt("document a {\n\n}"), "document a {}\n");
    assert_eq!(
        fmt("\n\n# only\n\n\n# comments\n"),
        "# only\n\n# comments\n"
    );
}

#[test]
fn refuses_files_with_syntax_errors() {
    for src in [
        "document a { title \"unterminated\n}",
        "map a: 1 -> b:2",
        "document a { title \"\\q\" }",
        "document a { provision 1 { provision 2 } }",
        "document",
    ] {
        let e = format_source(src).unwrap_err();
        assert!(!e.errors.is_empty(), "{src}");
        assert!(e.to_string().contains("not formatted"));
        assert!(format_range(src, 0..1).is_err());
    }
}

#[test]
fn range_formats_the_touched_entries_only() {
    let src = "document a {\n  title   \"A\"\n  clause 1 {\n   provision 1.1 {text \"T\"}\n       provision 1.2 {text   \"U\"}\n  }\n}\nmap a:1 ->b:1\n";
    // A cursor in provision 1.1 formats it alone.
    let at = src.find("1.1").unwrap();
    let edit = format_range(src, at..at).unwrap().unwrap();
    assert_eq!(&src[edit.range.clone()], "   provision 1.1 {text \"T\"}");
    assert_eq!(edit.text, "    provision 1.1 {\n      text \"T\"\n    }");
    let once = edit.apply(src);
    assert!(once.contains("title   \"A\""), "{once}");
    assert!(once.contains("provision 1.2 {text   \"U\"}"), "{once}");
    // Then formatting the whole file gives the same as formatting at once.
    assert_eq!(format_source(&once).unwrap(), format_source(src).unwrap());
    // A range over the title and the map takes both top-level entries.
    let (a, b) = (src.find("title").unwrap(), src.find("->b").unwrap());
    let edit = format_range(src, a..b).unwrap().unwrap();
    assert_eq!(edit.apply(src), format_source(src).unwrap());
    // Formatted text gives no edit.
    let done = format_source(src).unwrap();
    assert_eq!(format_range(&done, 0..done.len()).unwrap(), None);
}

#[test]
fn comments_in_a_head_continue_it_on_the_next_lines() {
    let src = "map # one\n# two\n a:1\n -> b:1\n";
    assert_eq!(fmt(src), "map # one\n    # two\n    a:1 -> b:1\n");
}
