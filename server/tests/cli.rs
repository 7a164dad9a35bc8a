//! `xwalk check` end to end: the real binary, real files, exit codes and
//! both output formats.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xwalk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xwalk"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run xwalk")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn shipped_mappings_are_clean() {
    let o = xwalk(&repo_root(), &["check", "mappings"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.trim_end().ends_with("0 errors, 0 warnings"), "{out}");
    // Counted with the built-in catalogs (eu-cra-2024, uk-psti-2023,
    // nist-ir-8259a and en-18031-1/-2/-3 among them) and the PSTI
    // correspondence files.
    assert!(
        out.starts_with("82 files, 77 documents, 1176 mappings"),
        "{out}"
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "m.xwalk",
        "document a {\n  title \"Café – ’s\"\n}\nmap a:1 -> uk-cop-2018:14 { relation same }\n",
    );
    let o = xwalk(dir.path(), &["check", "--format", "json", "m.xwalk"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let expected = serde_json::json!({
        "diagnostics": [
            {
                "code": "unknown-provision",
                "severity": "error",
                "message": "`uk-cop-2018` has no provision or clause `14`",
                "file": "m.xwalk",
                "line": 4, "column": 24, "end_line": 4, "end_column": 26,
                "help": "did you mean `1` or `10` or `11`?"
            },
            {
                "code": "unknown-relation",
                "severity": "error",
                "message": "unknown relation `same`",
                "file": "m.xwalk",
                "line": 4, "column": 38, "end_line": 4, "end_column": 42,
                "help": "the values are: related, equal-to, equivalent-to, subset-of, superset-of, intersects-with, no-relationship"
            }
        ],
        "summary": {"files": 1, "documents": 1, "mappings": 1, "errors": 2, "warnings": 0, "notes": 0}
    });
    assert_eq!(v, expected, "{}", serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn columns_count_characters() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "m.xwalk", "document a { title \"’’’ \" }\n");
    let o = xwalk(dir.path(), &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "untidy-text");
    assert_eq!(
        (d["column"].as_u64(), d["end_column"].as_u64()),
        (Some(20), Some(26))
    );
    // Warnings alone do not fail the run.
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn human_output_underlines_and_summarises() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sub/m.xwalk", "map vendor:1 -> uk-cop-2018:1\n");
    let o = xwalk(dir.path(), &["check", "sub"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let expected = "\
error[unknown-document]: unknown document `vendor`
  ┌─ sub/m.xwalk:1:5
  │
1 │ map vendor:1 -> uk-cop-2018:1
  │     ^^^^^^
  │
  = help: declare it: document vendor { title \"...\" }

1 file, 0 documents, 1 mapping: 1 error, 0 warnings
";
    assert_eq!(out, expected);
}

#[test]
fn workspace_context_config_and_requested_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "xwalk.toml",
        "[workspace]\nname = \"t\"\n[lint]\nuntidy-text = \"error\"\n",
    );
    write(
        root,
        "docs/vendor.xwalk",
        "document vendor {\n  title \"Vendor \"\n  provision 1 { text \"x\" }\n}\n",
    );
    write(
        root,
        "maps/m.xwalk",
        "map vendor:1 -> uk-cop-2018:1\nmap vendor:2 -> uk-cop-2018:1\n",
    );
    // Checking one file resolves against the rest of the workspace, and
    // reports only that file.
    let o = xwalk(
        &root.join("maps"),
        &["check", "--format", "json", "m.xwalk"],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["unknown-provision"]);
    assert_eq!(v["summary"]["files"], 1);
    // The whole workspace: the lint table makes untidy-text an error.
    let o = xwalk(root, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let first = &v["diagnostics"][0];
    assert_eq!(
        (first["code"].as_str(), first["severity"].as_str()),
        (Some("untidy-text"), Some("error"))
    );
    assert_eq!(first["file"], "docs/vendor.xwalk");
    assert_eq!(v["summary"]["errors"], 2);
}

#[test]
fn bad_config_is_a_located_failure() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "xwalk.toml", "[lint]\nuntidy = \"warn\"\n");
    write(dir.path(), "m.xwalk", "document a { title \"A\" }\n");
    let o = xwalk(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("xwalk.toml:2:10: unknown lint `untidy`"),
        "{err}"
    );
}

#[test]
fn io_failures_exit_2_with_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("empty")).unwrap();
    let o = xwalk(root, &["check", "empty"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("empty: no .xwalk files in this folder"),
        "{}",
        stderr(&o)
    );

    let o = xwalk(root, &["check", "missing.xwalk"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("error: missing.xwalk: "),
        "{}",
        stderr(&o)
    );

    std::fs::write(
        root.join("latin1.xwalk"),
        b"document a { title \"caf\xe9\" }\n",
    )
    .unwrap();
    write(root, "good.xwalk", "map a:1 -> uk-cop-2018:1\n");
    let o = xwalk(root, &["check", "latin1.xwalk", "good.xwalk"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("latin1.xwalk: not valid UTF-8: byte 0xe9 at line 1, column 24"),
        "{err}"
    );
    // The readable file is still checked.
    assert!(stdout(&o).contains("unknown document `a`"));

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("nowhere"), root.join("dangling.xwalk")).unwrap();
        let o = xwalk(root, &["check", "dangling.xwalk"]);
        assert_eq!(o.status.code(), Some(2));
    }
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = xwalk(dir.path(), &["check", "--format", "yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = xwalk(dir.path(), &["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    let o = xwalk(dir.path(), &["--help"]);
    assert_eq!(o.status.code(), Some(0));
}

/// `xwalk site --help`: PATH is optional and defaults to the current
/// folder; without it, the current folder is published.
#[test]
fn site_path_is_optional_and_defaults_to_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let o = xwalk(dir.path(), &["site", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    let usage = help.lines().find(|l| l.starts_with("Usage:")).unwrap();
    assert_eq!(usage, "Usage: xwalk site [OPTIONS] --out <DIR> [PATH]");
    let path = help
        .split("Arguments:")
        .nth(1)
        .unwrap()
        .split("Options:")
        .next()
        .unwrap();
    assert!(path.trim_start().starts_with("[PATH]"), "{help}");
    assert!(path.contains("[default: .]"), "{help}");
    // Run without PATH in a workspace: its mappings are published.
    write(dir.path(), "xwalk.toml", "[workspace]\nname = \"here\"\n");
    write(
        dir.path(),
        "a.xwalk",
        "document a { title \"A\" publisher \"P\" }\nmap a:1 -> uk-cop-2018:1 {}\n",
    );
    let o = xwalk(dir.path(), &["site", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // It says where it wrote and which page to open.
    let said = stderr(&o);
    let files = walkdir::WalkDir::new(dir.path().join("out"))
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_type().is_file())
        .count();
    assert!(
        said.starts_with(&format!("wrote {files} files (")),
        "{said}"
    );
    assert!(said.contains(" MB) to out\n"), "{said}");
    assert!(
        said.ends_with("\nopen out/index.html in a browser\n"),
        "{said}"
    );
    let home = std::fs::read_to_string(dir.path().join("out/index.html")).unwrap();
    assert!(home.contains("<title>here · here</title>"), "{home}");
    assert!(dir.path().join("out/doc/a.html").exists());
}
