//! `xwalk derive` on the shipped data (docs/cli.md, docs/chains.md): the
//! JSON shape scripts rely on, counts, the time bound, and the `.xwalk`
//! output checking clean and formatted next to the workspace.

use std::process::Command;
use std::time::Instant;

use serde_json::Value;

fn xwalk(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xwalk"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn mappings() -> std::path::PathBuf {
    crate::common::repo().join("mappings")
}

#[test]
fn json_onto_v3_has_the_documented_shape() {
    let started = Instant::now();
    let (code, out, err) = xwalk(
        &mappings(),
        &[
            "derive",
            ".",
            "--onto",
            "etsi-en-303-645-v3",
            "--format",
            "json",
        ],
    );
    let elapsed = started.elapsed();
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let derived = v["derived"].as_array().unwrap();
    assert!(derived.len() > 1000, "{}", derived.len());
    for d in derived {
        let o = d.as_object().unwrap();
        let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["chain", "relation", "source", "target"]);
        let chain: Vec<&str> = d["chain"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert!((2..=4).contains(&chain.len()), "{chain:?}");
        assert_eq!(chain[0], d["source"].as_str().unwrap());
        assert_eq!(*chain.last().unwrap(), d["target"].as_str().unwrap());
        assert!(
            d["target"]
                .as_str()
                .unwrap()
                .starts_with("etsi-en-303-645-v3:")
        );
    }
    // Every correspondence on the way is `related`: the DCMS mappings land
    // undetermined. A V2.1.1 provision whose V3.1.3 text is the same words
    // lands `equal-to`.
    let summary = &v["summary"];
    assert_eq!(summary["onto"], "etsi-en-303-645-v3");
    assert_eq!(summary["max_hops"], 3);
    assert_eq!(summary["derived"].as_u64().unwrap() as usize, derived.len());
    assert!(summary["relations"]["undetermined"].as_u64().unwrap() > 1000);
    assert!(derived.iter().any(|d| {
        d["relation"] == "equal-to"
            && d["source"]
                .as_str()
                .unwrap()
                .starts_with("etsi-en-303-645:")
    }));
    assert!(err.starts_with("derived "), "{err}");
    // Debug builds too: well under the release bar's second, with room
    // for a loaded machine.
    assert!(elapsed.as_secs_f64() < 20.0, "{elapsed:?}");
}

#[test]
fn the_xwalk_output_checks_clean_and_is_formatted() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("derived-psti.xwalk");
    let (code, _, err) = xwalk(
        &mappings(),
        &[
            "derive",
            ".",
            "--onto",
            "uk-psti-2023",
            "--for",
            "owasp-iot-security-guidance",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("# Derived mappings onto uk-psti-2023"),
        "{text}"
    );
    assert!(
        text.matches("\nmap owasp-iot-security-guidance:").count() > 3,
        "{text}"
    );
    assert!(text.contains("\n  derived owasp-iot-security-guidance:"));
    // Copied into a copy of the workspace, it checks clean (no
    // duplicate, no superseded reference along the chains) and formatted.
    let ws = dir.path().join("ws");
    copy_dir(&mappings(), &ws);
    std::fs::write(ws.join("derived-psti.xwalk"), &text).unwrap();
    let (code, out, err) = xwalk(&ws, &["check", "derived-psti.xwalk"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.ends_with(": 0 errors, 0 warnings\n"), "{out}");
    let (code, out, err) = xwalk(&ws, &["fmt", "--check", "derived-psti.xwalk"]);
    assert_eq!(code, 0, "{out}{err}");
    // Derived maps are no sources: deriving again adds nothing from them.
    let (code, out, err) = xwalk(
        &ws,
        &[
            "derive",
            "derived-psti.xwalk",
            "--onto",
            "uk-psti-2023",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["sources"], 0);
}

#[test]
fn unknown_documents_are_refused_with_a_suggestion() {
    let (code, out, err) = xwalk(
        &mappings(),
        &["derive", ".", "--onto", "etsi-en-303-645-v4"],
    );
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("unknown target document `etsi-en-303-645-v4`"),
        "{err}"
    );
    let (code, _, err) = xwalk(
        &mappings(),
        &["derive", ".", "--onto", "uk-psti-2023", "--max-hops", "0"],
    );
    assert_eq!(code, 2, "{err}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}
