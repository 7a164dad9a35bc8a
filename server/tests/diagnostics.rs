//! Every diagnostic code: one test that triggers it, with its location and
//! message, and one that proves it stays quiet on valid input.

use std::path::PathBuf;

use xwalk::check::{self, Code, Severity};
use xwalk::model::{Config, FileInput, Workspace};

/// A diagnostic reduced to what a reader checks: code, file, 1-based
/// line:column, message.
#[derive(Debug, PartialEq, Eq)]
struct Found {
    code: &'static str,
    at: String,
    message: String,
    help: Option<String>,
}

fn workspace(files: &[(&str, &str)], config: &str) -> Workspace {
    let inputs = files
        .iter()
        .map(|(name, text)| FileInput {
            path: PathBuf::from(name),
            name: name.to_string(),
            text: text.to_string(),
        })
        .collect();
    Workspace::build(None, Config::parse(config).unwrap(), inputs)
}

fn run_with(files: &[(&str, &str)], config: &str) -> Vec<Found> {
    let ws = workspace(files, config);
    check::check(&ws)
        .into_iter()
        .map(|d| {
            let f = ws.file(d.file);
            let (line, col) = f.line_index().line_col(&f.text, d.range.start);
            Found {
                code: d.code.as_str(),
                at: format!("{}:{line}:{col}", f.name),
                message: d.message,
                help: d.help,
            }
        })
        .collect()
}

fn run(files: &[(&str, &str)]) -> Vec<Found> {
    run_with(files, "")
}

fn codes(found: &[Found]) -> Vec<&'static str> {
    found.iter().map(|f| f.code).collect()
}

fn only(found: Vec<Found>, code: &str) -> Found {
    let matching: Vec<Found> = found.into_iter().filter(|f| f.code == code).collect();
    assert_eq!(matching.len(), 1, "expected one {code}: {matching:#?}");
    matching.into_iter().next().unwrap()
}

/// A small valid workspace that uses every construct.
const VALID: &str = r#"
# A catalogued source document and an uncatalogued one.
document vendor-guide {
  title "Vendor Security Guide"
  publisher "Example Vendor"
  version "2.0"
  published "2021-03"
  url "https://example.org/guide"
  cites uk-cop-2018, etsi-en-303-645
  note "Fictional, for tests."

  clause 1 "Passwords" {
    text "About passwords."
    provision 1.1 "Unique passwords" {
      text "Use unique passwords."
      status "M"
      condition "1: passwords are used"
      guidance """
        Longer guidance,
        on two lines.
        """
      applies-to "Device manufacturers"
    }
  }
  provision "2 (a)" { text "Quoted id." }
}

document blog-post {
  title "A Blog Post"
}

map vendor-guide:1.1 -> uk-cop-2018:1, etsi-en-303-645-v3:5.1-1 {
  relation subset-of
  excerpt "Use unique passwords."
  note "Close match."
  added "1"
  rationale semantic
  strength 8
}
map vendor-guide:"2 (a)" -> uk-cop-2018:2
map blog-post:"Any section at all" -> etsi-en-303-645-v3:5.1
map blog-post -> enisa-bsr-iot:GP-TM-23
"#;

#[test]
fn valid_workspace_is_quiet() {
    let found = run(&[("valid.xwalk", VALID)]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn syntax_error_is_located_and_later_blocks_are_still_checked() {
    let src = "map a: 1 -> uk-cop-2018:1\nmap blog:1 -> uk-cop-2018:99\n";
    let found = run(&[("f.xwalk", src)]);
    assert_eq!(
        codes(&found),
        vec!["syntax-error", "unknown-document", "unknown-provision"]
    );
    // A head broken before its `->`: the whole head.
    assert_eq!(found[0].at, "f.xwalk:1:1");
    assert!(found[0].help.as_deref().unwrap().contains("DOC:ID"));
    // The second map is checked despite the error before it.
    assert_eq!(found[1].at, "f.xwalk:2:5");
}

#[test]
fn syntax_error_for_bad_escape_and_unterminated_string() {
    let src = "document d {\n  title \"bad \\q escape\"\n}\ndocument e {\n  title \"open\n}\n";
    let found = run(&[("f.xwalk", src)]);
    let syntax: Vec<&Found> = found.iter().filter(|f| f.code == "syntax-error").collect();
    assert_eq!(syntax.len(), 2, "{found:#?}");
    assert_eq!(syntax[0].at, "f.xwalk:2:14");
    assert!(syntax[0].message.contains("unknown escape"));
    assert_eq!(syntax[1].at, "f.xwalk:5:3");
    assert!(syntax[1].help.as_deref().unwrap().contains("line"));
    // No cascade: the broken document is not also "missing" its title.
    assert!(!codes(&found).contains(&"missing-field"), "{found:#?}");
}

#[test]
fn unknown_document() {
    let found = run(&[(
        "f.xwalk",
        "map vendor:1 -> uk-cop-2018:1\nmap uk-cop-2108:1 -> uk-cop-2018:2\n",
    )]);
    let vendor = &found[0];
    assert_eq!(
        (vendor.code, vendor.at.as_str()),
        ("unknown-document", "f.xwalk:1:5")
    );
    assert_eq!(vendor.message, "unknown document `vendor`");
    let typo = &found[1];
    assert_eq!(typo.code, "unknown-document");
    assert_eq!(typo.help.as_deref(), Some("did you mean `uk-cop-2018`?"));
    // `cites` and `supersedes` are checked too.
    let found = run(&[(
        "f.xwalk",
        "document a {\n  title \"A\"\n  cites nope\n  supersedes gone\n}\n",
    )]);
    assert_eq!(codes(&found), vec!["unknown-document", "unknown-document"]);
}

#[test]
fn unknown_provision_with_did_you_mean() {
    let src = "document a { title \"A\" }\nmap a:1 -> etsi-en-303-645:5.1-9, uk-cop-2018:14, enisa-bsr-iot:gp-tm-23\n";
    let found = run(&[("f.xwalk", src)]);
    assert_eq!(codes(&found), vec!["unknown-provision"; 3]);
    assert_eq!(found[0].at, "f.xwalk:2:28");
    assert_eq!(
        found[0].message,
        "`etsi-en-303-645` has no provision or clause `5.1-9`"
    );
    assert!(
        found[0].help.as_deref().unwrap().contains("`5.1-1`"),
        "{:?}",
        found[0].help
    );
    assert_eq!(found[2].help.as_deref(), Some("did you mean `GP-TM-23`?"));
}

#[test]
fn uncatalogued_documents_accept_any_section() {
    let src = "document a { title \"A\" }\nmap a:\"whatever 1.2 (b)\" -> uk-cop-2018:1\nmap a:7 -> uk-cop-2018:2\n";
    assert!(run(&[("f.xwalk", src)]).is_empty());
}

#[test]
fn duplicate_document_across_files() {
    let found = run(&[
        ("a.xwalk", "document a { title \"A\" }\n"),
        ("b.xwalk", "document a { title \"Another\" }\n"),
    ]);
    let d = only(found, "duplicate-document");
    assert_eq!(d.at, "b.xwalk:1:10");
}

#[test]
fn workspace_document_replaces_builtin_without_duplicate() {
    let src = "document uk-cop-2018 {\n  title \"My CoP\"\n  provision 1 { text \"x\" }\n}\nmap uk-cop-2018:1 -> uk-cop-2018:1\n";
    let found = run(&[("f.xwalk", src)]);
    assert!(found.is_empty(), "{found:#?}");
    // The builtin is replaced: its provision 2 no longer exists.
    let found = run(&[(
        "f.xwalk",
        &format!("{src}map uk-cop-2018:1 -> uk-cop-2018:2\n"),
    )]);
    assert_eq!(codes(&found), vec!["unknown-provision"]);
}

#[test]
fn duplicate_provision_and_clause_ids() {
    let src = "document a {\n  title \"A\"\n  clause 1 \"One\" {\n    provision 1-1 { text \"x\" }\n  }\n  provision 1-1 { text \"y\" }\n  clause 1 \"Again\"\n}\n";
    let found = run(&[("f.xwalk", src)]);
    assert_eq!(
        codes(&found),
        vec!["duplicate-provision", "duplicate-provision"]
    );
    assert_eq!(found[0].at, "f.xwalk:6:13");
    assert!(found[0].message.starts_with("provision `1-1`"));
    assert_eq!(found[1].at, "f.xwalk:7:10");
}

#[test]
fn duplicate_field() {
    let found = run(&[("f.xwalk", "document a {\n  title \"A\"\n  title \"B\"\n}\n")]);
    let d = only(found, "duplicate-field");
    assert_eq!(d.at, "f.xwalk:3:3");
    // `condition` may repeat.
    let ok = "document a {\n  title \"A\"\n  provision 1 {\n    condition \"1: x\"\n    condition \"2: y\"\n  }\n}\n";
    assert!(run(&[("f.xwalk", ok)]).is_empty());
}

#[test]
fn duplicate_mapping_across_files_and_within_a_map() {
    let a = "document a { title \"A\" }\nmap a:1 -> uk-cop-2018:1\n";
    let b = "map a:1 -> uk-cop-2018:1\nmap a:2 -> uk-cop-2018:3, uk-cop-2018:3\n";
    let found = run(&[("a.xwalk", a), ("b.xwalk", b)]);
    assert_eq!(
        codes(&found),
        vec!["duplicate-mapping", "duplicate-mapping"]
    );
    assert_eq!(found[0].at, "b.xwalk:1:12");
    assert_eq!(found[0].message, "`a:1` -> `uk-cop-2018:1` is mapped twice");
    assert_eq!(found[1].at, "b.xwalk:2:27");
    // Same source, different targets: fine.
    let ok = "document a { title \"A\" }\nmap a:1 -> uk-cop-2018:1\nmap a:1 -> uk-cop-2018:2\n";
    assert!(run(&[("a.xwalk", ok)]).is_empty());
}

#[test]
fn excerpt_is_part_of_a_mappings_identity() {
    // A whole-document source (or a coarse section) quoted for two
    // recommendations: two mappings, not a duplicate nor a conflict.
    let two = "document a { title \"A\" }\nmap a -> uk-cop-2018:1 { excerpt \"One.\" }\nmap a -> uk-cop-2018:1 {\n  excerpt \"Two.\"\n  relation subset-of\n}\n";
    assert!(run(&[("f.xwalk", two)]).is_empty());
    // The same excerpt, whitespace aside: the same mapping again.
    let again = "document a { title \"A\" }\nmap a:1 -> uk-cop-2018:1 { excerpt \"One  rule.\" }\nmap a:1 -> uk-cop-2018:1 { excerpt \"One rule.\" }\nmap a:1 -> uk-cop-2018:1 {\n  excerpt \"One\\nrule.\"\n  relation equal-to\n}\n";
    let found = run(&[("f.xwalk", again)]);
    assert_eq!(
        codes(&found),
        vec!["duplicate-mapping", "conflicting-relation"]
    );
    assert_eq!(found[0].at, "f.xwalk:3:12");
}

#[test]
fn inconsistent_excerpt() {
    let src = "document ts { title \"TS\" }\nmap ts:4.1 -> uk-cop-2018:1 { excerpt \"No universal default passwords\" }\nmap ts:4.1 -> uk-cop-2018:10 { excerpt \"Examine system telemetry data\" }\nmap ts:4.1 -> uk-cop-2018:2 { excerpt \"No universal  default passwords\" }\nmap ts -> uk-cop-2018:3 { excerpt \"Anything\" }\nmap ts -> uk-cop-2018:4 { excerpt \"Else\" }\n";
    let ws = workspace(&[("f.xwalk", src)], "");
    let d = check::check(&ws);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code, Code::InconsistentExcerpt);
    assert_eq!(d[0].severity, Severity::Info);
    let found = run(&[("f.xwalk", src)]);
    let d = only(found, "inconsistent-excerpt");
    assert_eq!(d.at, "f.xwalk:3:40");
    assert_eq!(
        d.message,
        "`ts:4.1` is quoted with another excerpt than before (2 different so far)"
    );
}

#[test]
fn conflicting_relation() {
    let src = "document a { title \"A\" }\nmap a:1 -> uk-cop-2018:1 { relation subset-of }\nmap a:1 -> uk-cop-2018:1 { relation equal-to }\nmap a:2 -> uk-cop-2018:1\nmap a:2 -> uk-cop-2018:1 { relation related }\n";
    let found = run(&[("f.xwalk", src)]);
    // The default relation is `related`, so a:2 is a duplicate, not a conflict.
    assert_eq!(
        codes(&found),
        vec!["conflicting-relation", "duplicate-mapping"]
    );
    assert_eq!(
        found[0].message,
        "`a:1` -> `uk-cop-2018:1` is mapped as `equal-to` here but as `subset-of` before"
    );
}

#[test]
fn unknown_relation_lists_the_vocabulary() {
    let found = run(&[(
        "f.xwalk",
        "document a { title \"A\" }\nmap a:1 -> uk-cop-2018:1 { relation supserset-of }\n",
    )]);
    let d = only(found, "unknown-relation");
    assert_eq!(d.at, "f.xwalk:2:37");
    let help = d.help.unwrap();
    assert!(help.starts_with("did you mean `superset-of`"), "{help}");
    assert!(help.contains("intersects-with"));
}

#[test]
fn unknown_field() {
    let found = run(&[(
        "f.xwalk",
        "document a {\n  title \"A\"\n  tilte \"B\"\n}\nmap a:1 -> uk-cop-2018:1 { colour \"red\" }\n",
    )]);
    assert_eq!(codes(&found), vec!["unknown-field", "unknown-field"]);
    assert_eq!(found[0].help.as_deref(), Some("did you mean `title`?"));
    assert!(
        found[1]
            .help
            .as_deref()
            .unwrap()
            .contains("relation, excerpt")
    );
}

#[test]
fn missing_field() {
    let found = run(&[("f.xwalk", "document a {\n  publisher \"P\"\n}\n")]);
    let d = only(found, "missing-field");
    assert_eq!(d.at, "f.xwalk:1:10");
    assert_eq!(d.message, "document `a` has no `title`");
}

#[test]
fn invalid_values() {
    let src = r#"document Bad_Id {
  title "A"
  url "www.example.org"
  published "June 2020"
  title2 "x"
}
document b {
  title "B", "C"
  supersedes "a"
}
map b:1 -> uk-cop-2018:1 { strength 11 }
map b:2 -> uk-cop-2018:2 { rationale vibes }
map b:3 -> uk-cop-2018
map b:4 -> uk-cop-2018:4 { excerpt unquoted }
"#;
    let found = run(&[("f.xwalk", src)]);
    let invalid: Vec<&Found> = found.iter().filter(|f| f.code == "invalid-value").collect();
    let at: Vec<&str> = invalid.iter().map(|f| f.at.as_str()).collect();
    assert_eq!(
        at,
        vec![
            "f.xwalk:1:10",  // Bad_Id
            "f.xwalk:3:7",   // url
            "f.xwalk:4:13",  // published
            "f.xwalk:8:9",   // two titles
            "f.xwalk:9:14",  // supersedes takes a bare id
            "f.xwalk:11:37", // strength 11
            "f.xwalk:12:38", // rationale
            "f.xwalk:13:12", // target without id
            "f.xwalk:14:36", // excerpt not a string
        ],
        "{found:#?}"
    );
    assert!(invalid[5].message.contains("from 0 to 10"));
}

#[test]
fn superseded_reference_names_the_replacement() {
    let found = run(&[(
        "f.xwalk",
        "document a { title \"A\" }\nmap a:1 -> etsi-en-303-645:5.1-1, etsi-ts-103-645:4.1-1, etsi-en-303-645:5.13-1\n",
    )]);
    assert_eq!(codes(&found), vec!["superseded-reference"; 3]);
    assert_eq!(
        found[0].message,
        "`etsi-en-303-645:5.1-1` is replaced by `etsi-en-303-645-v3:5.1-1` in a newer edition"
    );
    assert!(
        found[2]
            .message
            .contains("`etsi-en-303-645-v3:5.13-1A` and `etsi-en-303-645-v3:5.13-1B`"),
        "{}",
        found[2].message
    );
    // The newest edition is not superseded (its clauses neither; those of
    // older editions are: check/references.rs).
    let quiet =
        "document a { title \"A\" }\nmap a:1 -> etsi-en-303-645-v3:5.1-1, etsi-en-303-645-v3:5.1\n";
    assert!(run(&[("f.xwalk", quiet)]).is_empty());
}

#[test]
fn granularity_mismatch_compares_clause_and_provision_tables() {
    let src = "document g { title \"G\" }\nmap g:8 -> etsi-en-303-645-v3:5.8\nmap g:8 -> etsi-en-303-645-v3:5.8-1, etsi-en-303-645-v3:6-1\n";
    let d = only(run(&[("f.xwalk", src)]), "granularity-mismatch");
    assert_eq!(d.at, "f.xwalk:3:38");
    assert_eq!(
        d.message,
        "`g:8` maps to provision `etsi-en-303-645-v3:6-1` (in clause `etsi-en-303-645-v3:6`), but not to its clause: the clauses it maps to are `etsi-en-303-645-v3:5.8`"
    );
    // Mapping clause 6 as well makes the two tables agree.
    let agreeing = format!("{src}map g:8 -> etsi-en-303-645-v3:6\n");
    assert!(run(&[("f.xwalk", &agreeing)]).is_empty());
}

#[test]
fn similar_document_titles() {
    let src = "document nist-a { title \"NISTIR 8259A IoT Device Cybersecurity\" }\ndocument nist-b { title \"NISTIR 8259A  IoT Device\\nCybersecurity\" }\n";
    let found = run(&[("f.xwalk", src)]);
    let d = only(found, "similar-document");
    assert_eq!(d.at, "f.xwalk:2:25");
    assert_eq!(
        d.message,
        "document `nist-b` has the same title as `nist-a`"
    );
    // Editions are not similar documents: different versions, or supersedes.
    let editions = "document e1 {\n  title \"Spec\"\n  version \"1\"\n}\ndocument e2 {\n  title \"Spec\"\n  version \"2\"\n}\ndocument e3 {\n  title \"Other\"\n}\ndocument e4 {\n  title \"other\"\n  supersedes e3\n}\n";
    assert!(run(&[("f.xwalk", editions)]).is_empty());
}

#[test]
fn similar_document_when_a_title_contains_another() {
    let src = "document w1 {\n  title \"Workshop on Security and Privacy\"\n  publisher \"AIOTI\"\n}\ndocument w2 {\n  title \"Report on Workshop on Security and Privacy\"\n  publisher \"AIOTI \"\n}\n";
    let found = run(&[("f.xwalk", src)]);
    let d = only(found, "similar-document");
    assert_eq!(d.at, "f.xwalk:6:9");
    assert_eq!(
        d.message,
        "document `w2` has a title like `w1`'s: one contains the other, and the publisher is the same"
    );
    // Another publisher, a short title, or editions: not reported.
    let quiet = [
        "document w1 {\n  title \"Workshop on Security and Privacy\"\n  publisher \"A\"\n}\ndocument w2 {\n  title \"Report on Workshop on Security and Privacy\"\n  publisher \"B\"\n}\n",
        "document s1 {\n  title \"Security\"\n  publisher \"A\"\n}\ndocument s2 {\n  title \"Security and Privacy\"\n  publisher \"A\"\n}\n",
        "document e1 {\n  title \"Workshop on Security and Privacy\"\n  publisher \"A\"\n  version \"1\"\n}\ndocument e2 {\n  title \"Workshop on Security and Privacy 2\"\n  publisher \"A\"\n  version \"2\"\n}\n",
    ];
    for src in quiet {
        assert!(run(&[("f.xwalk", src)]).is_empty(), "{src}");
    }
}

#[test]
fn untidy_text() {
    let src = "document a {\n  title \"Title \"\n  publisher \"Symantec  Corp\"\n  provision \" 1\" \"Two\\nlines\"\n}\nmap a:\" 1\" -> uk-cop-2018:1\n";
    let found = run(&[("f.xwalk", src)]);
    let untidy: Vec<&Found> = found.iter().filter(|f| f.code == "untidy-text").collect();
    let messages: Vec<&str> = untidy.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "the title has trailing whitespace",
            "the publisher has doubled or unusual whitespace",
            "the provision id has leading whitespace",
            "the provision title has a line break",
            "the referenced id has leading whitespace",
        ]
    );
    assert_eq!(untidy[0].help.as_deref(), Some("write \"Title\""));
}

#[test]
fn lint_severities_come_from_config() {
    let src = "document a { title \"A \" }\n";
    let found = run_with(&[("f.xwalk", src)], "[lint]\nuntidy-text = \"off\"\n");
    assert!(found.is_empty());
    let ws = workspace(&[("f.xwalk", src)], "[lint]\nuntidy-text = \"error\"\n");
    let d = check::check(&ws);
    assert_eq!(d[0].severity, Severity::Error);
    assert_eq!(check::count(&d), (1, 0));
}

#[test]
fn every_code_has_a_test_above() {
    let this = include_str!("diagnostics.rs");
    for code in Code::ALL {
        let needle = format!("\"{}\"", code.as_str());
        assert!(
            this.matches(&needle).count() >= 1,
            "no test mentions {code}"
        );
    }
}
