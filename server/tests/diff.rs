//! `xwalk diff` end to end: the shipped mappings against a copy with edits
//! of each kind, and git revisions of a repository made here.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

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

fn json(o: &Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).unwrap()
}

/// The workspace of `mappings/` (its `.xwalk` files and `xwalk.toml`)
/// copied to `to`.
fn copy_mappings(to: &Path) {
    let from = crate::common::repo().join("mappings");
    let mut files = Vec::new();
    crate::common::xwalk_files(&from, &mut files);
    files.push(from.join("xwalk.toml"));
    for f in files {
        let dest = to.join(f.strip_prefix(&from).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&f, &dest).unwrap();
    }
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    let new = f(text.clone());
    assert_ne!(new, text, "{} unchanged by the edit", path.display());
    std::fs::write(path, new).unwrap();
}

fn replace_once(text: String, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "`{from}` is not there once");
    text.replacen(from, to, 1)
}

/// Every `map` block's fields on its head line: `map A -> B { f1, f2 }`.
fn one_line_maps(text: String) -> String {
    let mut out = String::new();
    let mut fields: Option<Vec<String>> = None;
    for line in text.lines() {
        match &mut fields {
            None if line.starts_with("map ") && line.ends_with(" {") => {
                out.push_str(line);
                fields = Some(Vec::new());
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
            Some(list) if line == "}" => {
                out.push(' ');
                out.push_str(&list.join(" "));
                out.push_str(" }\n");
                fields = None;
            }
            Some(list) => list.push(line.trim().to_string()),
        }
    }
    out
}

/// The edits: one of each kind, in the copy at `head`.
fn edit_mappings(head: &Path) {
    let owasp = head.join("dcms/owasp/owasp-iot-security-guidance.xwalk");
    edit(&owasp, |t| {
        // Removed: the only mapping of I1.
        let t = replace_once(
            t,
            "map owasp-iot-security-guidance:\"I1: Insecure Web Interface\" -> uk-cop-2018:1 {\n  excerpt \"Ensure that any web interface in the product disallows weak passwords\"\n  note \"Updated link/version\\nJuly 2020\"\n  added \"1\"\n}\n\n",
            "",
        );
        // Changed: the relation of one of I9's two mappings (the second).
        let t = replace_once(
            t,
            "  excerpt \"Ensure update files are encrypted",
            "  relation subset-of\n  excerpt \"Ensure update files are encrypted",
        );
        // Changed: an excerpt.
        let t = replace_once(
            t,
            "Enabling 20 character passwords",
            "enabling 20-character passwords",
        );
        // A document's title.
        let t = replace_once(
            t,
            "title \"IoT Security Guidance\"",
            "title \"OWASP IoT Security Guidance\"",
        );
        // Added.
        t + "\nmap owasp-iot-security-guidance:\"I3: Insecure Network Services\" -> uk-cop-2018:6 {\n  excerpt \"Ensure only necessary ports are exposed and available\"\n  added \"5\"\n}\n"
    });
    // Moved: the first map of a file to its end.
    edit(&head.join("dcms/enisa/enisa-bsr-iot.xwalk"), |mut t| {
        let start = t.find("\nmap ").unwrap() + 1;
        let end = start + t[start..].find("\n}\n").unwrap() + 3;
        let block = t[start..end].to_string();
        t.replace_range(start..end, "");
        t + "\n" + &block
    });
    // Reformatted, and a reflowed excerpt.
    edit(&head.join("dcms/etsi/etsi-en-303-645.xwalk"), |t| {
        one_line_maps(replace_once(
            t,
            "consumer IoT device\\npasswords shall",
            "consumer IoT device   passwords shall",
        ))
    });
    // A catalog provision's text.
    edit(&head.join("catalogs/uk-cop-2018.xwalk"), |t| {
        replace_once(
            t,
            "text \"All IoT device passwords shall be unique and not resettable to any universal factory default value.\"",
            "text \"All IoT device passwords shall be unique.\"",
        )
    });
}

#[test]
fn shipped_mappings_with_edits_of_each_kind() {
    let dir = tempfile::tempdir().unwrap();
    let (base, head) = (dir.path().join("base"), dir.path().join("head"));
    copy_mappings(&base);
    copy_mappings(&head);

    // A copy is the same workspace.
    let same = xwalk(dir.path(), &["diff", "base", "head"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert_eq!(
        stdout(&same),
        "Mappings: 0 added, 0 removed, 0 changed\nDocuments: 0 added, 0 removed, 0 changed (provisions: 0 added, 0 removed, 0 changed)\nDiagnostics: 0 introduced (0 errors), 0 fixed\n"
    );

    edit_mappings(&head);
    let v = json(&xwalk(
        dir.path(),
        &["diff", "base", "head", "--format", "json"],
    ));
    let owasp = "head/dcms/owasp/owasp-iot-security-guidance.xwalk";
    assert_eq!(
        v["added"],
        serde_json::json!([{
            "source": "owasp-iot-security-guidance:\"I3: Insecure Network Services\"",
            "target": "uk-cop-2018:6",
            "file": owasp,
            "line": 229,
            "fields": {"added": "5", "excerpt": "Ensure only necessary ports are exposed and available", "relation": "related"}
        }])
    );
    assert_eq!(v["removed"].as_array().unwrap().len(), 1);
    assert_eq!(
        v["removed"][0]["source"],
        "owasp-iot-security-guidance:\"I1: Insecure Web Interface\""
    );
    assert_eq!(
        v["removed"][0]["file"],
        "base/dcms/owasp/owasp-iot-security-guidance.xwalk"
    );
    assert_eq!(v["removed"][0]["line"], 13);
    let changed = v["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 2, "{changed:#?}");
    assert_eq!(
        changed[0]["source"],
        "owasp-iot-security-guidance:\"I8: Insufficient Security Configurability\""
    );
    assert_eq!(
        changed[0]["fields"]["excerpt"]["after"],
        "Ensure password security options are made available (e.g. enabling 20-character passwords or enabling two-factor authentication)"
    );
    assert_eq!(
        changed[1]["source"],
        "owasp-iot-security-guidance:\"I9: Insecure Software/Firmware\""
    );
    assert_eq!(
        changed[1]["fields"],
        serde_json::json!({"relation": {"before": "related", "after": "subset-of"}})
    );
    assert_eq!(
        changed[1]["head"],
        serde_json::json!({"file": owasp, "line": 49})
    );

    let docs = &v["documents"];
    assert_eq!(docs["added"], serde_json::json!([]));
    assert_eq!(docs["removed"], serde_json::json!([]));
    let ids: Vec<&str> = docs["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["owasp-iot-security-guidance", "uk-cop-2018"]);
    assert_eq!(
        docs["changed"][0]["fields"],
        serde_json::json!({"title": {"before": "IoT Security Guidance", "after": "OWASP IoT Security Guidance"}})
    );
    let cop = &docs["changed"][1];
    assert_eq!(cop["fields"], serde_json::json!({}));
    assert_eq!(cop["provisions"]["changed"][0]["id"], "1");
    assert_eq!(
        cop["provisions"]["changed"][0]["fields"]["text"]["after"],
        "All IoT device passwords shall be unique."
    );

    let summary = &v["summary"];
    assert_eq!(
        summary["mappings"],
        serde_json::json!({"added": 1, "removed": 1, "changed": 2})
    );
    assert_eq!(
        summary["by_source"],
        serde_json::json!({"owasp-iot-security-guidance": {"added": 1, "removed": 1, "changed": 2}})
    );
    assert_eq!(
        summary["by_target"],
        serde_json::json!({"uk-cop-2018": {"added": 1, "removed": 1, "changed": 2}})
    );
    // The moved, reformatted and reflowed maps changed nothing, and so
    // introduced or fixed no diagnostic.
    assert_eq!(
        v["diagnostics"],
        serde_json::json!({"introduced": [], "fixed": []})
    );

    let md = stdout(&xwalk(
        dir.path(),
        &["diff", "base", "head", "--format", "markdown"],
    ));
    assert!(
        md.contains(
            "| Mappings | 1 | 1 | 2 |\n| Documents | 0 | 0 | 2 |\n| Provisions | 0 | 0 | 1 |\n"
        ),
        "{md}"
    );
    assert!(md.contains("<details><summary><code>owasp-iot-security-guidance</code>: 1 added, 1 removed, 2 changed</summary>"), "{md}");
    assert!(md.contains("- changed `owasp-iot-security-guidance:\"I9: Insecure Software/Firmware\"` → `uk-cop-2018:3` at `head/dcms/owasp/owasp-iot-security-guidance.xwalk:49`: relation `related` → `subset-of`\n"), "{md}");
    let text = stdout(&xwalk(dir.path(), &["diff", "base", "head"]));
    assert!(
        text.starts_with("Mappings: 1 added, 1 removed, 2 changed\n"),
        "{text}"
    );
    assert!(
        text.contains("\n~ document uk-cop-2018  (head/catalogs/uk-cop-2018.xwalk:"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------
// git

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    stdout(&o)
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

const TOML: &str = "[workspace]\nexclude = [\"drafts/**\"]\n";
const DOC: &str = "document src {\n  title \"Source\"\n}\n";

/// A repository with two commits (a map added, then its relation changed)
/// and an uncommitted change (an error).
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(root, "ws/xwalk.toml", TOML);
    write(
        root,
        "ws/src.xwalk",
        &format!("{DOC}map src:a -> uk-cop-2018:1\n"),
    );
    write(root, "ws/drafts/d.xwalk", "map src:d -> uk-cop-2018:2\n");
    write(root, "ws/other/o.xwalk", "map src:o -> uk-cop-2018:3\n");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "one"]);
    write(
        root,
        "ws/src.xwalk",
        &format!(
            "{DOC}map src:a -> uk-cop-2018:1 {{ relation equal-to }}\nmap src:b -> uk-cop-2018:2\n"
        ),
    );
    write(root, "ws/drafts/d.xwalk", "map src:d -> uk-cop-2018:4\n");
    git(root, &["commit", "-q", "-am", "two"]);
    write(
        root,
        "ws/src.xwalk",
        &format!(
            "{DOC}map src:a -> uk-cop-2018:1 {{ relation equal-to }}\nmap src:b -> uk-cop-2018:99\n"
        ),
    );
    dir
}

#[test]
fn git_revisions_against_the_working_tree_and_each_other() {
    let dir = repository();
    let ws = dir.path().join("ws");
    let status_before = git(dir.path(), &["status", "--porcelain"]);

    // HEAD~1 against the working tree, from inside the workspace.
    let v = json(&xwalk(
        &ws,
        &["diff", "--git", "HEAD~1", "--format", "json"],
    ));
    let pairs = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|m| {
                format!(
                    "{} -> {} @{}:{}",
                    m["source"].as_str().unwrap(),
                    m["target"].as_str().unwrap(),
                    m["file"].as_str().unwrap(),
                    m["line"]
                )
            })
            .collect()
    };
    // drafts/ is excluded by xwalk.toml at both revisions.
    assert_eq!(pairs(&v["added"]), ["src:b -> uk-cop-2018:99 @src.xwalk:5"]);
    assert_eq!(pairs(&v["removed"]), Vec::<String>::new());
    assert_eq!(
        v["changed"][0]["fields"]["relation"],
        serde_json::json!({"before": "related", "after": "equal-to"})
    );
    assert_eq!(
        v["changed"][0]["base"],
        serde_json::json!({"file": "src.xwalk", "line": 4})
    );
    assert_eq!(
        v["diagnostics"]["introduced"][0]["code"],
        "unknown-provision"
    );
    assert_eq!(v["summary"]["errors_introduced"], 1);

    // Two revisions: no error introduced between them.
    let o = xwalk(
        &ws,
        &[
            "diff",
            "--git",
            "HEAD~1..HEAD",
            "--error-on-new-diagnostics",
            "--format",
            "json",
        ],
    );
    let v = json(&o);
    assert_eq!(pairs(&v["added"]), ["src:b -> uk-cop-2018:2 @src.xwalk:5"]);
    assert_eq!(v["diagnostics"]["introduced"], serde_json::json!([]));

    // A PATH: only the files under it are compared.
    let v = json(&xwalk(
        dir.path(),
        &["diff", "--git", "HEAD~1", "ws/other", "--format", "json"],
    ));
    assert_eq!(
        v["summary"]["mappings"],
        serde_json::json!({"added": 0, "removed": 0, "changed": 0})
    );

    // The working tree introduces an error: status 1 only when asked.
    let o = xwalk(
        &ws,
        &["diff", "--git", "HEAD", "--error-on-new-diagnostics"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        xwalk(&ws, &["diff", "--git", "HEAD"]).status.code(),
        Some(0)
    );

    // The Markdown of the small case, as a reviewer reads it.
    let md = stdout(&xwalk(
        &ws,
        &["diff", "--git", "HEAD~1", "--format", "markdown"],
    ));
    assert_eq!(
        md,
        "### Crosswalk diff

| | Added | Removed | Changed |
|---|--:|--:|--:|
| Mappings | 1 | 0 | 1 |
| Documents | 0 | 0 | 0 |
| Provisions | 0 | 0 | 0 |

**Diagnostics:** 1 introduced (1 error), 0 fixed.

<details><summary><code>src</code>: 1 added, 0 removed, 1 changed</summary>

- changed `src:a` → `uk-cop-2018:1` at `src.xwalk:4`: relation `related` → `equal-to`
- added `src:b` → `uk-cop-2018:99` (`related`) at `src.xwalk:5`

</details>

<details><summary>Diagnostics introduced: 1</summary>

- error `unknown-provision` at `src.xwalk:5`: `` `uk-cop-2018` has no provision or clause `99` ``

</details>
"
    );

    // Nothing in the repository changed.
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), status_before);
    assert_eq!(git(dir.path(), &["stash", "list"]), "");
}

#[test]
fn bad_revisions_and_arguments_are_clear_errors() {
    let dir = repository();
    let ws = dir.path().join("ws");
    let o = xwalk(&ws, &["diff", "--git", "no-such-rev"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("error: unknown revision `no-such-rev`"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
    let o = xwalk(&ws, &["diff", "--git", "HEAD..nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown revision `nope`"),
        "{}",
        stderr(&o)
    );
    let o = xwalk(&ws, &["diff", "--git", "--end-of-options"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = xwalk(&ws, &["diff", "--git", "HEAD~1...HEAD"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("REV..REV2"), "{}", stderr(&o));

    let o = xwalk(&ws, &["diff", "src.xwalk"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("give two paths"), "{}", stderr(&o));
    let o = xwalk(&ws, &["diff", "src.xwalk", "missing.xwalk"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.xwalk"), "{}", stderr(&o));

    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "a.xwalk", DOC);
    let o = xwalk(outside.path(), &["diff", "--git", "HEAD"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not in a git repository"),
        "{}",
        stderr(&o)
    );
}
