//! Bad input never makes output the tool cannot read, and every command
//! that reads a workspace treats its problems alike (issue 13).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use proptest::prelude::*;
use serde_json::{Value, json};
use xwalk::check::{self, Code};
use xwalk::interop::{Export, dcms};
use xwalk::model::{Config, FileInput, Workspace};

fn xwalk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xwalk"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

// ---------------------------------------------------------------------
// `xwalk import dcms`: control characters and odd Unicode

const GUIDELINES: [&str; 3] = ["1", "5.1-1", "13"];

fn record(fields: &[String; 8]) -> Value {
    let mut map = serde_json::Map::new();
    for (name, value) in dcms::FIELDS.iter().zip(fields) {
        map.insert(name.to_string(), Value::String(value.clone()));
    }
    Value::Object(map)
}

/// Imports `input` (DCMS JSON) as named `name`, in memory: the workspace
/// of the written files, after checking that `xwalk.toml` parses.
fn import(input: &str, name: &str) -> Workspace {
    let dataset = dcms::parse(input).expect("valid DCMS input");
    let (files, _) = dcms::import(&dataset, name, &[]);
    let root = PathBuf::from("/imported");
    let toml = files.iter().find(|f| f.path == "xwalk.toml").unwrap();
    let config = Config::parse(&toml.text)
        .unwrap_or_else(|e| panic!("xwalk.toml does not parse: {e:?}\n{}", toml.text));
    let inputs = files
        .iter()
        .filter(|f| f.path.ends_with(".xwalk"))
        .map(|f| FileInput {
            path: root.join(&f.path),
            name: f.path.clone(),
            text: f.text.clone(),
        })
        .collect();
    Workspace::build(Some(root), config, inputs)
}

fn syntax_errors(ws: &Workspace) -> Vec<String> {
    check::check(ws)
        .into_iter()
        .filter(|d| d.code == Code::SyntaxError)
        .map(|d| {
            let f = ws.file(d.file);
            format!("{}: {}\n{}", f.name, d.message, f.text)
        })
        .collect()
}

fn odd_text() -> impl Strategy<Value = String> {
    // Control characters (C0, DEL, C1), line and paragraph separators, a
    // BOM, bidi and zero-width characters, and what the format quotes.
    proptest::string::string_regex(
        "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{2028}\\u{2029}\\u{feff}\\u{202e}\\u{200b}a-z0-9 \"\\\\#{}:,.é🔒-]{0,10}",
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Whatever the strings of the input and its file name hold, the
    /// import is read back without a syntax error, and every string comes
    /// back from `export` exactly.
    #[test]
    fn import_of_any_strings_checks_and_round_trips(
        name in odd_text(),
        version in odd_text(),
        copyright in odd_text(),
        disclaimer in proptest::collection::vec(odd_text(), 0..3),
        records in proptest::collection::vec(
            (0..GUIDELINES.len(), proptest::array::uniform7(odd_text())), 1..4),
    ) {
        let records: Vec<[String; 8]> = records
            .into_iter()
            .map(|(g, f)| {
                let [o, d, s, t, l, n, a] = f;
                [GUIDELINES[g].to_string(), o, d, s, t, l, n, a]
            })
            .collect();
        let mut array = vec![json!({
            "Disclaimer": disclaimer, "Copyright": copyright, "Version": version,
        })];
        array.extend(records.iter().map(record));
        let input = serde_json::to_string(&Value::Array(array)).unwrap();
        let ws = import(&input, &name);
        let errors = syntax_errors(&ws);
        prop_assert!(errors.is_empty(), "{}", errors.join("\n\n"));

        let files: Vec<_> = ws.workspace_files().map(|(id, _)| id).collect();
        let (back, _) = dcms::export(&Export::new(&ws, files));
        prop_assert_eq!(&back.metadata.version, &version);
        prop_assert_eq!(&back.metadata.copyright, &copyright);
        prop_assert_eq!(&back.metadata.disclaimer, &disclaimer);
        let mut want: Vec<dcms::Record> = records
            .iter()
            .map(|[g, o, d, s, t, l, n, a]| dcms::Record {
                guideline: g.clone(),
                organisation: o.clone(),
                document: d.clone(),
                section: s.clone(),
                text: t.clone(),
                link: l.clone(),
                notes: n.clone(),
                added: a.clone(),
            })
            .collect();
        let mut got = back.records.clone();
        want.sort();
        got.sort();
        prop_assert_eq!(got, want);
    }
}

const META_NUL: &str = r#"{"Disclaimer": ["d"], "Copyright": "c", "Version": "4.0\u0000"}"#;
const RECORD: &str = r#"{"DCMS Code of Practice Guidelines Number": "1", "Organisation": "Org (ORG)", "Standard / Recommendation Name": "Guide", "Recommendation Number / Section": "1.1", "Recommendation Extracted from Linked Source": "text", "Web Link": "https://example.org", "Notes": "", "Added at Version": "4.0"}"#;

/// The case of the issue, through the command line: a NUL in `Version`
/// and control characters in the input's file name.
#[test]
fn import_with_nul_and_control_characters_in_the_name_checks() {
    let dir = tempfile::tempdir().unwrap();
    let name = "in\u{1}put\u{7}\n.json";
    write(dir.path(), name, &format!("[{META_NUL}, {RECORD}]"));
    let o = xwalk(dir.path(), &["import", "dcms", name, "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let header = std::fs::read_to_string(dir.path().join("out/dcms-cop-mapping.xwalk")).unwrap();
    assert!(
        header.starts_with(
            "# Imported by `xwalk import dcms` from in\\u{1}put\\u{7} .json (DCMS open data, Version 4.0\\u{0}).\n"
        ),
        "{header}"
    );
    assert!(header.contains("  version \"4.0\\u{0}\"\n"), "{header}");
    let toml = std::fs::read_to_string(dir.path().join("out/xwalk.toml")).unwrap();
    assert!(
        toml.starts_with("# Written by `xwalk import dcms` from in\\u{1}put\\u{7} .json.\n"),
        "{toml}"
    );
    let o = xwalk(dir.path(), &["check", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).ends_with("0 errors, 0 warnings\n"),
        "{}",
        stdout(&o)
    );
    let o = xwalk(dir.path(), &["export", "--format", "dcms-json", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let back: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(back[0]["Version"], "4.0\u{0}");
}

// ---------------------------------------------------------------------
// `dataset` naming no document

#[test]
fn a_dataset_that_names_no_document_is_a_located_config_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "xwalk.toml",
        "[workspace]\nname = \"w\"\ndataset = \"no-such-doc\"\n",
    );
    write(
        dir.path(),
        "a.xwalk",
        "document a {\n  title \"A\"\n}\nmap a -> uk-cop-2018:1\n",
    );
    let message = "error: xwalk.toml:3:11: `dataset` names no document: no file of the workspace declares `document no-such-doc`\n";
    let o = xwalk(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), message);
    // The files are still checked.
    assert_eq!(
        stdout(&o),
        "1 file, 1 document, 1 mapping: 0 errors, 0 warnings\n"
    );
    // Every command that loads the workspace says the same.
    for args in [
        &["export", "--format", "dcms-json"][..],
        &["stats"][..],
        &["site", "--out", "site"][..],
    ] {
        let o = xwalk(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).starts_with(message), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{args:?}");
    }
    assert!(!dir.path().join("site").exists());
    // The language server reports it when it loads the workspace.
    let loaded = xwalk::lsp::state::load_folder(&dir.path().canonicalize().unwrap(), &[]);
    let errors = loaded.errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .path
            .to_string_lossy()
            .ends_with("xwalk.toml:3:11"),
        "{errors:?}"
    );
    assert!(errors[0].message.starts_with("`dataset` names no document"));

    // Declared (in any file of the workspace), it is fine.
    write(
        dir.path(),
        "d.xwalk",
        "document no-such-doc {\n  title \"D\"\n}\n",
    );
    let o = xwalk(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

// ---------------------------------------------------------------------
// One "load, refuse syntax errors" step

#[test]
fn every_command_that_reads_a_workspace_refuses_syntax_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "xwalk.toml", "");
    write(
        dir.path(),
        "a.xwalk",
        "document a {\n  title \"A\"\n}\nmap a:1->uk-cop-2018:1\nmap a -> uk-cop-2018:2\n",
    );
    let o = xwalk(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    for (args, nothing) in [
        (&["stats"][..], "no statistics"),
        (&["stats", "--format", "json"][..], "no statistics"),
        (&["export", "--format", "csv"][..], "nothing exported"),
        (&["site", "--out", "site"][..], "nothing published"),
    ] {
        let o = xwalk(dir.path(), args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert_eq!(
            stderr(&o),
            format!("error: a.xwalk: syntax errors; run `xwalk check a.xwalk`\nerror: {nothing}\n"),
            "{args:?}"
        );
        assert!(stdout(&o).is_empty(), "{args:?}");
    }
    // A path that does not exist: status 2, for each of them.
    for args in [
        &["stats", "nope"][..],
        &["export", "--format", "csv", "nope"][..],
        &["site", "nope", "--out", "site"][..],
    ] {
        let o = xwalk(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).starts_with("error: nope: "), "{}", stderr(&o));
    }
}

// ---------------------------------------------------------------------
// The summary line

#[test]
fn check_of_a_missing_path_prints_the_error_only() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["human", "json", "github", "sarif", "json-lines"] {
        let o = xwalk(dir.path(), &["check", "--format", format, "/nonexistent"]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(stdout(&o), "", "{format}");
        assert_eq!(
            stderr(&o),
            "error: /nonexistent: No such file or directory (os error 2)\n"
        );
    }
}

#[test]
fn the_summary_counts_notes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "xwalk.toml", "[lint]\nuntidy-text = \"info\"\n");
    write(
        dir.path(),
        "a.xwalk",
        "document a {\n  title \"A \"\n  publisher \" P\"\n}\n",
    );
    let o = xwalk(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).ends_with("1 file, 1 document, 0 mappings: 0 errors, 0 warnings, 2 notes\n"),
        "{}",
        stdout(&o)
    );
    let o = xwalk(dir.path(), &["check", "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["summary"]["notes"], 2);
}

// ---------------------------------------------------------------------
// Human output on one long line

/// A file whose map has `n` targets on one line, all the same: `n - 1`
/// `duplicate-mapping` diagnostics on that line.
fn long_line(n: usize) -> Workspace {
    let targets = vec!["uk-cop-2018:1"; n].join(", ");
    let text = format!("document a {{\n  title \"A\"\n}}\nmap a -> {targets}\n");
    Workspace::build(
        None,
        Config::default(),
        vec![FileInput {
            path: PathBuf::from("/long.xwalk"),
            name: "long.xwalk".into(),
            text,
        }],
    )
}

/// The work of rendering a diagnostic is bounded by what it is rendered
/// from: its excerpt. With n diagnostics on one line of n targets, the
/// excerpts (and the output) grow as n, not as n².
#[test]
fn human_output_is_linear_in_the_diagnostics_on_one_line() {
    let mut sizes = Vec::new();
    for n in [1024, 4096] {
        let ws = long_line(n);
        let diagnostics = check::check(&ws);
        let dups = diagnostics
            .iter()
            .filter(|d| d.code == Code::DuplicateMapping)
            .count();
        assert!(dups >= n - 2, "{dups}");
        let excerpts: usize = diagnostics
            .iter()
            .map(|d| xwalk::cli::excerpt::prepare(&ws, d).0.source_len())
            .sum();
        // Each diagnostic: its two labels, each with CONTEXT bytes a side.
        let bound = 4 * (xwalk::cli::excerpt::CONTEXT + 8) * diagnostics.len();
        assert!(excerpts <= bound, "{excerpts} > {bound}");
        let out = xwalk::cli::render::human_string(&ws, &diagnostics);
        sizes.push(out.len());
        // The positions are those of the real line.
        let last = out
            .lines()
            .rfind(|l| l.contains("┌─ long.xwalk:4:"))
            .unwrap()
            .to_string();
        let col = 10 + (n - 1) * "uk-cop-2018:1, ".len();
        assert_eq!(last.trim(), format!("┌─ long.xwalk:4:{col}"), "{n}");
    }
    // Four times the diagnostics: about four times the output.
    assert!(
        sizes[1] < 5 * sizes[0],
        "{} bytes for 4,096, {} for 1,024",
        sizes[1],
        sizes[0]
    );
}

#[test]
fn a_cut_line_shows_the_text_around_each_label() {
    let ws = long_line(64);
    let diagnostics = check::check(&ws);
    let last = diagnostics
        .iter()
        .rfind(|d| d.code == Code::DuplicateMapping)
        .unwrap();
    let out = xwalk::cli::render::human_string(&ws, std::slice::from_ref(last));
    // The line is cut around the first target (the related label) and
    // the last (the primary one), with `…` between; the column is the
    // real one.
    let want = "warning[duplicate-mapping]: `a` -> `uk-cop-2018:1` is mapped twice\n  ┌─ long.xwalk:4:955\n  │\n4 │ map a -> uk-cop-2018:1, uk-cop-2018:1, uk-cop-2018:1, uk-cop-2018:1, uk-cop-2018:1…uk-cop-2018:1, uk-cop-2018:1, uk-cop-2018:1, uk-cop-2018:1, uk-cop-2018:1\n  │          -------------                                                                                                                         ^^^^^^^^^^^^^\n  │          │                                                                                                                                      \n  │          first mapped here\n  │\n  = help: the target is listed twice in this map; remove one\n\n";
    assert_eq!(out, want, "{out}");
}
