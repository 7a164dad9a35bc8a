//! The CI outputs end to end: `xwalk check --format sarif|github|json-lines`,
//! `--error-on-warnings`, and `xwalk stats`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use xwalk::codes::Code;

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

/// Two errors on line 4 (the example of the JSON test in cli.rs).
const ERRORS: &str =
    "document a {\n  title \"Café – ’s\"\n}\nmap a:1 -> uk-cop-2018:14 { relation same }\n";

/// One warning: the same pair mapped twice.
const WARNING: &str =
    "document w {\n  title \"W\"\n}\nmap w:1 -> uk-cop-2018:1\nmap w:1 -> uk-cop-2018:1\n";

#[test]
fn github_annotations_are_exact() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "m.xwalk",
        "document a {\n  title \"Café – ’s\"\n}\nmap a:1 -> uk-cop-2018:quux { relation same }\n",
    );
    let o = xwalk(dir.path(), &["check", "--format", "github", "m.xwalk"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "::error file=m.xwalk,line=4,col=24,endLine=4,endColumn=28,title=unknown-provision::`uk-cop-2018` has no provision or clause `quux`%0Ahelp: `uk-cop-2018` is catalogued: references into it must name one of its 13 provisions or its clauses\n\
         ::error file=m.xwalk,line=4,col=40,endLine=4,endColumn=44,title=unknown-relation::unknown relation `same`%0Ahelp: the values are: related, equal-to, equivalent-to, subset-of, superset-of, intersects-with, no-relationship\n\
         1 file, 1 document, 1 mapping: 2 errors, 0 warnings\n"
    );
}

#[test]
fn github_escapes_properties_and_uses_warning() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a,b/w:1%.xwalk", WARNING);
    let o = xwalk(dir.path(), &["check", "--format", "github", "a,b"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with(
            "::warning file=a%2Cb/w%3A1%25.xwalk,line=5,col=12,endLine=5,endColumn=25,title=duplicate-mapping::"
        ),
        "{out}"
    );
    assert!(out.ends_with("0 errors, 1 warning\n"), "{out}");
}

#[test]
fn error_on_warnings_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "w.xwalk", WARNING);
    for format in ["human", "json", "json-lines", "github", "sarif"] {
        let plain = xwalk(dir.path(), &["check", "--format", format, "w.xwalk"]);
        assert_eq!(plain.status.code(), Some(0), "{format}");
        let strict = xwalk(
            dir.path(),
            &[
                "check",
                "--format",
                format,
                "--error-on-warnings",
                "w.xwalk",
            ],
        );
        assert_eq!(strict.status.code(), Some(1), "{format}");
        assert_eq!(stdout(&plain), stdout(&strict), "{format}");
    }
    // A clean file passes with the flag too.
    write(dir.path(), "ok.xwalk", "document ok {\n  title \"OK\"\n}\n");
    let o = xwalk(dir.path(), &["check", "--error-on-warnings", "ok.xwalk"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn json_lines_is_one_diagnostic_per_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "m.xwalk", ERRORS);
    write(dir.path(), "w.xwalk", WARNING);
    let lines = xwalk(
        dir.path(),
        &["check", "--format", "json-lines", "m.xwalk", "w.xwalk"],
    );
    assert_eq!(lines.status.code(), Some(1));
    let json = xwalk(
        dir.path(),
        &["check", "--format", "json", "m.xwalk", "w.xwalk"],
    );
    let whole: Value = serde_json::from_str(&stdout(&json)).unwrap();
    let out = stdout(&lines);
    assert!(out.ends_with('\n'));
    let objects: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    assert_eq!(objects.len(), 3);
    assert!(objects.iter().all(Value::is_object));
    assert_eq!(&Value::Array(objects), &whole["diagnostics"]);
    // No diagnostics: no output at all.
    write(dir.path(), "ok.xwalk", "document ok {\n  title \"OK\"\n}\n");
    let o = xwalk(dir.path(), &["check", "--format", "json-lines", "ok.xwalk"]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), String::new()));
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json")).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn schema_errors(validator: &jsonschema::Validator, log: &Value) -> Vec<String> {
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// A file with errors, a warning, related locations and fixes.
fn sarif_fixture(dir: &Path) {
    write(dir, "m.xwalk", ERRORS);
    write(dir, "w.xwalk", WARNING);
    write(
        dir,
        "sub dir/d.xwalk",
        "document a {\n  title \"Again\"\n}\nmap a:2 -> uk-cop-2018:1 { relation supserset-of }\n",
    );
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let dir = tempfile::tempdir().unwrap();
    sarif_fixture(dir.path());
    let validator = sarif_validator();
    for extra in [
        &[][..],
        &[
            "--docs-url",
            "https://example.org/xwalk/docs/diagnostics.md",
        ][..],
    ] {
        let mut args = vec!["check", "--format", "sarif"];
        args.extend_from_slice(extra);
        args.push(".");
        let o = xwalk(dir.path(), &args);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let log: Value = serde_json::from_str(&stdout(&o)).unwrap();
        let errors = schema_errors(&validator, &log);
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn the_schema_check_rejects_invalid_sarif() {
    let validator = sarif_validator();
    let bad = serde_json::json!({ "version": "2.1.0", "runs": [{ "tool": {} }] });
    assert!(!schema_errors(&validator, &bad).is_empty());
    let bad = serde_json::json!({ "version": "2.0.0", "runs": [] });
    assert!(!schema_errors(&validator, &bad).is_empty());
    let bad = serde_json::json!({
        "version": "2.1.0",
        "runs": [{ "tool": { "driver": { "name": "x", "rules": [{ "id": "r", "helpUri": "not a uri" }] } } }]
    });
    assert!(!schema_errors(&validator, &bad).is_empty());
}

#[test]
fn sarif_has_one_rule_per_code_and_located_results() {
    let dir = tempfile::tempdir().unwrap();
    sarif_fixture(dir.path());
    let o = xwalk(
        dir.path(),
        &[
            "check",
            "--format",
            "sarif",
            "--docs-url",
            "https://example.org/xwalk/docs/diagnostics.md",
            ".",
        ],
    );
    let log: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "xwalk");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), Code::ALL.len());
    for (rule, code) in rules.iter().zip(Code::ALL) {
        assert_eq!(rule["id"], code.as_str());
        assert_eq!(rule["shortDescription"]["text"], code.summary());
        assert!(
            rule["help"]["text"]
                .as_str()
                .unwrap()
                .starts_with(code.summary())
        );
        assert_eq!(
            rule["helpUri"],
            format!("https://example.org/xwalk/docs/diagnostics.md#{code}")
        );
    }
    let results = run["results"].as_array().unwrap();
    let by_rule = |id: &str| results.iter().find(|r| r["ruleId"] == id).unwrap();

    let r = by_rule("unknown-provision");
    assert_eq!(r["level"], "error");
    assert_eq!(r["rules"], Value::Null);
    assert_eq!(
        rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "unknown-provision"
    );
    let json = xwalk(dir.path(), &["check", "--format", "json", "m.xwalk"]);
    let json: Value = serde_json::from_str(&stdout(&json)).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "unknown-provision");
    assert_eq!(
        r["message"]["text"].as_str().unwrap(),
        format!(
            "{}\nhelp: {}",
            d["message"].as_str().unwrap(),
            d["help"].as_str().unwrap()
        )
    );
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "m.xwalk");
    assert_eq!(
        loc["region"],
        serde_json::json!({ "startLine": 4, "startColumn": 24, "endLine": 4, "endColumn": 26 })
    );
    assert_eq!(by_rule("duplicate-mapping")["level"], "warning");

    // duplicate-document: the first declaration is a related location; the
    // space in the folder name is percent-encoded.
    let r = by_rule("duplicate-document");
    let loc = &r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    let related = &r["relatedLocations"][0];
    assert!(loc == "sub%20dir/d.xwalk" || loc == "m.xwalk", "{r:#}");
    assert!(related["message"]["text"].is_string());
    assert!(related["physicalLocation"]["region"]["startLine"].is_u64());

    // unknown-relation with a close match carries a fix.
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "unknown-relation" && r["fixes"].is_array())
        .expect("a fix");
    let replacement = &r["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], "superset-of");
}

#[test]
fn sarif_without_docs_url_links_the_docs_in_the_help() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.xwalk", "document ok {\n  title \"OK\"\n}\n");
    let o = xwalk(dir.path(), &["check", "--format", "sarif", "ok.xwalk"]);
    assert_eq!(o.status.code(), Some(0));
    let log: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rule = &log["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["helpUri"], Value::Null);
    assert_eq!(
        rule["help"]["text"],
        "The file does not follow the .xwalk grammar. See docs/diagnostics.md#syntax-error"
    );
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    let o = xwalk(
        dir.path(),
        &[
            "check",
            "--format",
            "sarif",
            "--docs-url",
            "docs/diagnostics.md",
            "ok.xwalk",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--docs-url must be an absolute URL"));
}

// ---------------------------------------------------------------------------
// xwalk stats

const STATS_FIXTURE: &str = "document src {\n  title \"Source\"\n  publisher \"Org\"\n}\n\nmap src:a -> uk-cop-2018:1, uk-cop-2018:2\nmap src:b -> uk-cop-2018:1 {\n  relation subset-of\n}\nmap src:c -> uk-cop-2018:3 {\n  relation no-relationship\n}\n";

#[test]
fn stats_counts_mappings_organisations_and_gaps() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "xwalk.toml", "");
    write(dir.path(), "m.xwalk", STATS_FIXTURE);
    let o = xwalk(dir.path(), &["stats", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    // 4 pairs, one no-relationship; uk-cop-2018's 13 provisions, 1 and 2
    // covered (3 only by the rejected pair).
    assert_eq!(
        v["totals"],
        serde_json::json!({
            "mappings": 4, "no_relationship": 1, "source_documents": 1, "organisations": 1,
            "target_provisions": 13, "covered": 2, "gaps": 11,
            "mandatory_gaps": 0, "recommended_gaps": 0
        })
    );
    let cop = &v["targets"][0];
    assert_eq!(cop["id"], "uk-cop-2018");
    assert_eq!(cop["provisions"][0]["mappings"], 2);
    assert_eq!(
        cop["provisions"][0]["organisations"],
        serde_json::json!(["Org"])
    );
    assert_eq!(cop["provisions"][2]["mappings"], 0);
    assert_eq!(cop["gaps"][0], "3");
    assert_eq!(v["sources"][0]["mappings"], 3);

    let md = xwalk(dir.path(), &["stats", "--format", "markdown", "m.xwalk"]);
    let md = stdout(&md);
    assert!(md.starts_with("### Crosswalk coverage\n\n4 mappings from 1 source document (1 organisation), of which 1 `no-relationship`; 1 target document: 2 of 13 provisions covered (15%), 11 gaps.\n"), "{md}");
    assert!(md.contains("| `1` |  | 2 | 0 | 1 |\n"), "{md}");

    let text = stdout(&xwalk(dir.path(), &["stats"]));
    assert!(text.contains("target uk-cop-2018 (Code of Practice for Consumer IoT Security): 2 of 13 provisions covered (15%), 11 gaps\n"), "{text}");
    assert!(
        text.contains("  gaps: 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13\n"),
        "{text}"
    );

    let o = xwalk(dir.path(), &["stats", "missing"]);
    assert_eq!(o.status.code(), Some(2));
    let o = xwalk(dir.path(), &["stats", "--format", "yaml"]);
    assert_eq!(o.status.code(), Some(2));
}

// ---------------------------------------------------------------------------
// The GitHub Action, the pre-commit hooks and docs/ci.md agree.

fn repo_file(rel: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_action_and_hooks_are_documented_and_consistent() {
    let action = repo_file("action.yml");
    assert!(action.contains("using: composite"));
    assert!(action.contains("xwalk check --format github"));
    assert!(action.contains("xwalk check --format sarif"));
    assert!(action.contains("uses: github/codeql-action/upload-sarif@"));
    assert!(action.contains("\"$GITHUB_ACTION_PATH/tools/xwalk-action-install\""));
    let install = repo_file("tools/xwalk-action-install");
    assert!(
        install.contains("cargo install --locked --root \"$root\" --path \"$source_dir/server\"")
    );
    let inputs = &action[action.find("\ninputs:\n").unwrap()..action.find("\noutputs:\n").unwrap()];
    let declared: Vec<&str> = inputs
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && l.ends_with(':'))
        .map(|l| l.trim().trim_end_matches(':'))
        .collect();
    assert!(declared.len() >= 8, "{declared:?}");

    let ci = repo_file("docs/ci.md");
    for input in &declared {
        assert!(
            ci.contains(&format!("| `{input}` |")),
            "docs/ci.md does not describe input `{input}`"
        );
    }
    // The example workflow uses only declared inputs.
    let workflow = ci
        .split("```yaml\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let with = &workflow[workflow.find("        with:\n").unwrap()..];
    for line in with
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("          "))
    {
        let key = line.trim().split(':').next().unwrap();
        assert!(
            declared.contains(&key),
            "the workflow uses an unknown input `{key}`"
        );
    }

    let hooks = repo_file(".pre-commit-hooks.yaml");
    for id in ["xwalk-check", "xwalk-fmt"] {
        assert!(hooks.contains(&format!("- id: {id}\n")), "{id}");
        assert!(ci.contains(&format!("id: {id}")), "{id} in docs/ci.md");
    }
    assert!(hooks.contains("entry: tools/xwalk-pre-commit check"));
    assert!(hooks.contains("entry: tools/xwalk-pre-commit fmt"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let mode = std::fs::metadata(root.join("tools/xwalk-pre-commit"))
            .unwrap()
            .permissions()
            .mode();
        assert!(mode & 0o111 != 0, "tools/xwalk-pre-commit is executable");
        let mode = std::fs::metadata(root.join("tools/xwalk-action-install"))
            .unwrap()
            .permissions()
            .mode();
        assert!(
            mode & 0o111 != 0,
            "tools/xwalk-action-install is executable"
        );
    }
}

// ---------------------------------------------------------------------------
// The Action's install step (tools/xwalk-action-install), against a release
// laid out in a local folder as the release workflow lays it out.

/// Runs the install script with `env` (and a runner that is Linux x86_64).
fn action_install(env: &[(&str, &str)]) -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut c = Command::new("bash");
    c.arg(root.join("tools/xwalk-action-install"))
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env_remove("XWALK_VERSION")
        .env_remove("XWALK_ACTION_REF");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

#[test]
fn the_action_installs_a_release_binary_after_checking_its_sha256() {
    let dir = tempfile::tempdir().unwrap();
    let version = env!("CARGO_PKG_VERSION");
    // releases/download/vX.Y.Z/{xwalk-TARGET.tar.gz,SHA256SUMS}
    let release = dir.path().join(format!("releases/download/v{version}"));
    let staged = dir.path().join("xwalk-x86_64-unknown-linux-musl");
    std::fs::create_dir_all(&release).unwrap();
    std::fs::create_dir_all(&staged).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_xwalk"), staged.join("xwalk")).unwrap();
    let archive = "xwalk-x86_64-unknown-linux-musl.tar.gz";
    let tar = Command::new("tar")
        .args(["czf", &release.join(archive).display().to_string(), "-C"])
        .arg(dir.path())
        .arg("xwalk-x86_64-unknown-linux-musl")
        .status()
        .unwrap();
    assert!(tar.success());
    let sums = |archive_sum: &str| {
        std::fs::write(
            release.join("SHA256SUMS"),
            format!("{archive_sum}  {archive}\n0000  xwalk-aarch64-apple-darwin.tar.gz\n"),
        )
        .unwrap();
    };
    let sha = Command::new("sha256sum")
        .arg(release.join(archive))
        .output()
        .unwrap();
    let sha = stdout(&sha).split_whitespace().next().unwrap().to_string();
    sums(&sha);
    let url = format!("file://{}/releases", dir.path().display());
    let install_root = dir.path().join("root");
    let root = install_root.display().to_string();

    // Pinned by the action's ref (uses: OWNER/xwalk@vX.Y.Z): no version input.
    let tag = format!("v{version}");
    let o = action_install(&[
        ("XWALK_ROOT", &root),
        ("XWALK_RELEASE_URL", &url),
        ("XWALK_ACTION_REF", &tag),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains(&format!("installing {url}/download/{tag}/{archive}")),
        "{}",
        stdout(&o)
    );
    let installed = install_root.join("bin/xwalk");
    let v = Command::new(&installed).arg("--version").output().unwrap();
    assert_eq!(stdout(&v).trim(), format!("xwalk {version}"));
    // Again: the cached binary is kept.
    let o = action_install(&[
        ("XWALK_ROOT", &root),
        ("XWALK_RELEASE_URL", &url),
        ("XWALK_VERSION", version),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("is already in"), "{}", stdout(&o));

    // A tampered archive (its sum does not match) is refused, nothing installed.
    std::fs::remove_dir_all(&install_root).unwrap();
    sums(&"0".repeat(64));
    let o = action_install(&[
        ("XWALK_ROOT", &root),
        ("XWALK_RELEASE_URL", &url),
        ("XWALK_VERSION", &tag),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains(
            "::error::xwalk-action-install: xwalk-x86_64-unknown-linux-musl.tar.gz: SHA-256"
        ),
        "{}",
        stdout(&o)
    );
    assert!(!installed.exists());
    // A version that was not released: a clear failure.
    let o = action_install(&[
        ("XWALK_ROOT", &root),
        ("XWALK_RELEASE_URL", &url),
        ("XWALK_VERSION", "v9.9.9"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("could not download"), "{}", stdout(&o));
}

#[test]
fn the_action_install_needs_a_version_unless_it_builds_and_says_what_it_would_do() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().display().to_string();
    // No version and a branch ref: binary and wheel refuse, naming the ways out.
    for install in ["binary", "wheel"] {
        let o = action_install(&[
            ("XWALK_ROOT", &root),
            ("XWALK_INSTALL", install),
            ("XWALK_ACTION_REF", "main"),
        ]);
        assert_eq!(o.status.code(), Some(1), "{install}");
        let said = stdout(&o);
        assert!(
            said.contains("no version") && said.contains("install: build"),
            "{said}"
        );
    }
    let dry = |install: &str, version: &str| {
        let o = action_install(&[
            ("XWALK_ROOT", &root),
            ("XWALK_INSTALL", install),
            ("XWALK_VERSION", version),
            ("XWALK_REPOSITORY", "example/xwalk"),
            ("XWALK_SOURCE", "/src/xwalk"),
            ("XWALK_DRY_RUN", "1"),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{install}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        stdout(&o)
    };
    let binary = dry("binary", "latest");
    assert!(binary.contains("https://github.com/example/xwalk/releases/latest/download/xwalk-x86_64-unknown-linux-musl.tar.gz"), "{binary}");
    let wheel = dry("wheel", "v0.3.1");
    assert!(
        wheel.contains("-m pip install --quiet --disable-pip-version-check xwalk==0.3.1"),
        "{wheel}"
    );
    let build = dry("build", "");
    assert!(
        build.contains(&format!(
            "would run: cargo install --locked --root {root} --path /src/xwalk/server"
        )),
        "{build}"
    );
    assert!(
        !dir.path().join("bin").exists(),
        "a dry run changes nothing"
    );
    // Bad input.
    let o = action_install(&[("XWALK_ROOT", &root), ("XWALK_INSTALL", "docker")]);
    assert!(stdout(&o).contains("install must be binary, wheel or build"));
    let o = action_install(&[("XWALK_ROOT", &root), ("XWALK_VERSION", "v1; rm -rf /")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("not a version"), "{}", stdout(&o));
}

// ---------------------------------------------------------------------------
// The Action's `xwalk diff` step, run as the runner runs it.

/// The `run: |` script of the action's step `name`, unindented.
fn action_script(action: &str, name: &str) -> String {
    let step = &action[action
        .find(&format!("    - name: {name}\n"))
        .unwrap_or_else(|| panic!("no step `{name}`"))..];
    let body = &step[step.find("      run: |\n").unwrap() + "      run: |\n".len()..];
    body.lines()
        .take_while(|l| l.is_empty() || l.starts_with("        "))
        .map(|l| format!("{}\n", l.get(8..).unwrap_or("")))
        .collect()
}

/// Runs git in `dir` with a fixed identity and no user configuration.
fn git_in(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("run git");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    stdout(&o).trim().to_string()
}

#[test]
fn the_action_writes_the_diff_to_the_job_summary_after_fetching_the_base() {
    let script = action_script(&repo_file("action.yml"), "xwalk diff (job summary)");
    assert!(script.contains("xwalk diff --git \"$XWALK_DIFF_BASE\" \"$path\" --format markdown"));

    // A pull request: the base commit maps src:1, the head adds src:2.
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin");
    std::fs::create_dir_all(&origin).unwrap();
    git_in(&origin, &["init", "-q", "-b", "main"]);
    write(&origin, "xwalk.toml", "[workspace]\n");
    let doc = "document src {\n  title \"Source\"\n}\nmap src:1 -> uk-cop-2018:1\n";
    write(&origin, "src.xwalk", doc);
    git_in(&origin, &["add", "-A"]);
    git_in(&origin, &["commit", "-q", "-m", "base"]);
    let base = git_in(&origin, &["rev-parse", "HEAD"]);
    write(
        &origin,
        "src.xwalk",
        &format!("{doc}map src:2 -> uk-cop-2018:2\n"),
    );
    git_in(&origin, &["commit", "-q", "-am", "head"]);

    // actions/checkout's shallow clone: the base commit is not there.
    let url = format!("file://{}", origin.display());
    git_in(dir.path(), &["clone", "-q", "--depth=1", &url, "clone"]);
    let clone = dir.path().join("clone");
    let has_base = |clone: &Path| {
        Command::new("git")
            .args(["cat-file", "-e", &format!("{base}^{{commit}}")])
            .current_dir(clone)
            .status()
            .unwrap()
            .success()
    };
    assert!(!has_base(&clone));

    let summary = dir.path().join("summary.md");
    let output = dir.path().join("output");
    std::fs::write(&summary, "earlier steps' summary\n").unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_xwalk")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |diff_base: &str| {
        Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
            .current_dir(&clone)
            .env("PATH", &path)
            .env("XWALK_PATHS", ".")
            .env("XWALK_DIFF_BASE", diff_base)
            .env("XWALK_DIFF_FILE", "xwalk-diff.md")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &output)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .unwrap()
    };
    let o = run(&base);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(has_base(&clone), "the step fetched the base");
    let written = std::fs::read_to_string(clone.join("xwalk-diff.md")).unwrap();
    assert!(written.starts_with("### Crosswalk diff\n\n| | Added | Removed | Changed |\n|---|--:|--:|--:|\n| Mappings | 1 | 0 | 0 |\n"), "{written}");
    assert!(
        written.contains("- added `src:2` → `uk-cop-2018:2` (`related`) at `src.xwalk:5`\n"),
        "{written}"
    );
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        format!("earlier steps' summary\n{written}")
    );
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        "file=xwalk-diff.md\n"
    );

    // Not a pull request and no diff-base: nothing written, no failure.
    std::fs::write(&summary, "").unwrap();
    let o = run("");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("nothing to compare with"));
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), "");

    // A base that cannot be fetched is a warning, not a failed job.
    let o = run("0123456789abcdef0123456789abcdef01234567");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("::warning::xwalk diff: could not fetch"),
        "{}",
        stdout(&o)
    );
}
