//! Recovery from syntax errors, case by case: each damage is reported once,
//! where it is, and the blocks around it are checked as usual (see
//! docs/format.md, "Top-level lines and recovery"). The locality property
//! over the shipped files is in `locality.rs`.

use std::path::PathBuf;

use xwalk::model::{Config, FileInput, Workspace};

/// Every diagnostic of `text` as `code line:col-line:col message` and its
/// help on the next line.
fn report(text: &str) -> String {
    let ws = Workspace::build(
        None,
        Config::default(),
        vec![FileInput {
            path: PathBuf::from("f.xwalk"),
            name: "f.xwalk".into(),
            text: text.to_string(),
        }],
    );
    let (_, f) = ws.workspace_files().next().unwrap();
    let mut out = String::new();
    for d in xwalk::check::check(&ws) {
        let (l1, c1) = f.line_index().line_col(&f.text, d.range.start);
        let (l2, c2) = f.line_index().line_col(&f.text, d.range.end);
        out.push_str(&format!(
            "{} {l1}:{c1}-{l2}:{c2} {}\n",
            d.code.as_str(),
            d.message
        ));
        if let Some(help) = d.help {
            out.push_str(&format!("  help: {help}\n"));
        }
    }
    out
}

/// The number of maps read from `text`.
fn maps(text: &str) -> usize {
    xwalk::syntax::parse(text).ast.maps.len()
}

#[test]
fn an_arrow_against_an_id_does_not_swallow_the_next_map() {
    let text = "map csa:1->uk-cop-2018:1\nmap csa:2 -> uk-cop-2018:99\n";
    assert_eq!(
        report(text),
        "\
syntax-error 1:1-1:25 unexpected `map csa:1->uk-cop-2018:1`
  help: ids may contain `-`, so `1->` reads as the id `1-`: put a space before `->`, as in `1 -> `
unknown-document 2:5-2:8 unknown document `csa`
  help: declare it: document csa { title \"...\" }
unknown-provision 2:26-2:28 `uk-cop-2018` has no provision or clause `99`
  help: did you mean `9`?
"
    );
    assert_eq!(maps(text), 1);
    // The help names the id as written.
    let text = "map csa:5.1-2->uk-cop-2018:1\n";
    assert!(
        report(text).contains(
            "so `5.1-2->` reads as the id `5.1-2-`: put a space before `->`, as in `5.1-2 -> `"
        ),
        "{}",
        report(text)
    );
}

#[test]
fn a_missing_brace_is_called_a_missing_brace() {
    let text = "\
map csa:1 -> uk-cop-2018:1 {
  relation related

map csa:2 -> uk-cop-2018:99 {
  relation equal-to
}
";
    assert_eq!(
        report(text),
        "\
unknown-document 1:5-1:8 unknown document `csa`
  help: declare it: document csa { title \"...\" }
syntax-error 2:19-2:19 missing `}` to close the `map` block opened at line 1
  help: a line that starts with `map` or `document` begins a new block
unknown-document 4:5-4:8 unknown document `csa`
  help: declare it: document csa { title \"...\" }
unknown-provision 4:26-4:28 `uk-cop-2018` has no provision or clause `99`
  help: did you mean `9`?
"
    );
    assert_eq!(maps(text), 2);
}

#[test]
fn nested_blocks_left_open_end_at_the_next_block() {
    let text = "\
document d {
  title \"D\"
  clause 1 {
    provision 1.1 {
      text \"x\"
document e {
  title \"E\"
  bogus 1
}
map d:1.1 -> e:2
";
    // Each block left open is named; `d` and its provision are still
    // declared, and `e` is checked as usual.
    assert_eq!(
        report(text),
        "\
syntax-error 5:15-5:15 missing `}` to close the `clause` block opened at line 3
  help: a line that starts with `map` or `document` begins a new block
syntax-error 5:15-5:15 missing `}` to close the `document` block opened at line 1
  help: a line that starts with `map` or `document` begins a new block
syntax-error 5:15-5:15 missing `}` to close the `provision` block opened at line 4
  help: a line that starts with `map` or `document` begins a new block
unknown-field 8:3-8:8 unknown field `bogus` in a document block
  help: a document block takes: title, publisher, version, published, url, supersedes, cites, note, copyright, disclaimer
"
    );
}

#[test]
fn an_unterminated_block_string_ends_at_the_next_block() {
    let text = "\
document d {
  title \"D\"
  note \"\"\"
    text
}
map d:1 -> uk-cop-2018:99 {
  note \"\"\"
    more
    \"\"\"
}
";
    // The `}` on line 5 is inside the open string, so the block is open too.
    assert_eq!(
        report(text),
        "\
syntax-error 3:8-3:11 unterminated `\"\"\"` string
  help: a \"\"\" block ends with \"\"\"; a line that starts with `map` or `document` ends it
syntax-error 5:2-5:2 missing `}` to close the `document` block opened at line 1
  help: a line that starts with `map` or `document` begins a new block
unknown-provision 6:24-6:26 `uk-cop-2018` has no provision or clause `99`
  help: did you mean `9`?
"
    );
}

#[test]
fn a_line_that_begins_a_block_cannot_be_inside_one() {
    // In a `"""` string: written in the first column, it ends the string.
    let text = "document d {\n  title \"D\"\n  note \"\"\"\nmap the data flows\n  \"\"\"\n}\n";
    assert_eq!(
        report(text),
        "\
syntax-error 3:8-3:11 unterminated `\"\"\"` string
  help: a \"\"\" block ends with \"\"\"; a line that starts with `map` or `document` ends it
syntax-error 3:11-3:11 missing `}` to close the `document` block opened at line 1
  help: a line that starts with `map` or `document` begins a new block
syntax-error 4:1-4:19 unexpected `map the data flows`
syntax-error 5:3-5:6 unterminated `\"\"\"` string
  help: a \"\"\" block ends with \"\"\"; a line that starts with `map` or `document` ends it
"
    );
    // Indented, it is text.
    let text = "document d {\n  title \"D\"\n  note \"\"\"\n  map the data flows\n  \"\"\"\n}\n";
    assert_eq!(report(text), "");
}

#[test]
fn a_syntax_error_range_on_a_crlf_line_stops_before_the_cr() {
    let text = "a b c\r\nd\r\n";
    let parse = xwalk::syntax::parse(text);
    assert_eq!(parse.errors[0].range, 0..5, "{:?}", parse.errors);
    assert_eq!(report(text), "syntax-error 1:1-1:6 unexpected `a b c`\n");
}

/// Found by fuzzing: with lone-CR line ends a file read as one line (every
/// diagnostic on line 1, and the recovery read `relation subset-of }` as a
/// relation `s`). A lone CR ends a line: comments and strings end there,
/// top-level lines begin after it, lines are counted at it.
#[test]
fn lone_cr_line_ends_are_line_ends() {
    let lf = "document d {\n  title \"D\" # a comment\n  provision 1\n}\nmap d:1 -> uk-cop-2018:99 {\n  relation subset-of }\nmap d:1 -> d:2 { note \"unterminated\n}\n";
    let cr = lf.replace('\n', "\r");
    assert_eq!(report(&cr), report(lf));
    assert_eq!(
        report(&cr),
        "unknown-provision 5:24-5:26 `uk-cop-2018` has no provision or clause `99`\n  help: did you mean `9`?\n\
         unknown-provision 7:14-7:15 `d` has no provision or clause `2`\n  help: did you mean `1`?\n\
         syntax-error 7:18-7:36 unexpected `note \"unterminated`\n  help: a string must end on the line it starts; write a line break as \\n or use a \"\"\" block\n"
    );
    let parse = xwalk::syntax::parse(&cr);
    let relation = &parse.ast.maps[0].fields[0];
    assert_eq!(relation.name.text.as_str(), "relation");
    assert!(
        format!("{:?}", relation.values).contains("\"subset-of\""),
        "{relation:?}"
    );
    assert_eq!(maps(&cr), 2);
}
