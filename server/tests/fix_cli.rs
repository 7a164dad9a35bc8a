//! `xwalk check --fix` and `--diff` end to end, and the migration recipe of
//! docs/cli.md: a workspace mapping EN 303 645 V2.1.1 moved to V3.1.3 in
//! one command, with the files that keep mapping V2.1.1 on purpose left
//! alone by a `[lint.per-file]` table.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xwalk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xwalk"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run xwalk")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn write(dir: &Path, rel: &str, content: &str) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, content).unwrap();
    p
}

const CONFIG: &str = r#"[workspace]
name = "vendor-to-etsi"

# The ISVS tables map EN 303 645 V2.1.1 on purpose.
[lint.per-file."isvs/**"]
superseded-reference = "off"
"#;

const VENDOR: &str = r#"document vendor {
  title "Vendor Guide"
}

map vendor:1 -> etsi-en-303-645:5.1-1, etsi-en-303-645:5.1 {
  relation related
}

map vendor:2 -> etsi-en-303-645:5.13-1
"#;

const OLDER: &str = "map vendor:3 -> etsi-ts-103-645:4.3-1\n";

const ISVS: &str = "map vendor:4 -> etsi-en-303-645:5.1-2\n";

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "xwalk.toml", CONFIG);
    write(dir.path(), "vendor.xwalk", VENDOR);
    write(dir.path(), "older/ts.xwalk", OLDER);
    write(dir.path(), "isvs/map.xwalk", ISVS);
    dir
}

#[test]
fn diff_previews_and_writes_nothing() {
    let dir = fixture();
    let o = xwalk(dir.path(), &["check", "--diff"]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.contains("-map vendor:1 -> etsi-en-303-645:5.1-1, etsi-en-303-645:5.1 {\n+map vendor:1 -> etsi-en-303-645-v3:5.1-1, etsi-en-303-645-v3:5.1 {\n"),
        "{out}"
    );
    assert!(out.contains("+++ b/older/ts.xwalk"), "{out}");
    assert!(!out.contains("isvs"), "{out}");
    assert!(
        err.starts_with("would fix 4 problems in 2 files (2 rounds):\n"),
        "{err}"
    );
    assert!(
        err.contains("  older/ts.xwalk:1:17: superseded-reference: Map to `etsi-en-303-645:5.3-1` instead (was `etsi-ts-103-645:4.3-1`)\n"),
        "{err}"
    );
    assert!(err.contains("left: 1 problem:\n  vendor.xwalk:9:17: superseded-reference: `etsi-en-303-645:5.13-1` is replaced by `etsi-en-303-645-v3:5.13-1A` and `etsi-en-303-645-v3:5.13-1B` in a newer edition\n"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("vendor.xwalk")).unwrap(),
        VENDOR
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("older/ts.xwalk")).unwrap(),
        OLDER
    );
}

#[test]
fn migrating_v2_to_v3_is_one_command() {
    let dir = fixture();
    let o = xwalk(dir.path(), &["check", "--fix"]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    // Warnings only are left: exit 0.
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(
        err.starts_with("fixed 4 problems in 2 files (2 rounds):\n"),
        "{err}"
    );
    assert!(err.ends_with("left: 1 problem (listed below)\n"), "{err}");
    // The check after fixing lists what is left: the split provision.
    assert!(out.contains("warning[superseded-reference]"), "{out}");
    assert!(out.trim_end().ends_with("0 errors, 1 warning"), "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("vendor.xwalk")).unwrap(),
        VENDOR.replace(
            "etsi-en-303-645:5.1-1, etsi-en-303-645:5.1 {",
            "etsi-en-303-645-v3:5.1-1, etsi-en-303-645-v3:5.1 {"
        )
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("older/ts.xwalk")).unwrap(),
        "map vendor:3 -> etsi-en-303-645-v3:5.3-1\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("isvs/map.xwalk")).unwrap(),
        ISVS
    );
    // A second run finds nothing more to fix.
    let again = xwalk(dir.path(), &["check", "--fix"]);
    let err = text(&again.stderr);
    assert!(
        err.starts_with("fixed 0 problems in 0 files (0 rounds)\n"),
        "{err}"
    );
    let diff = xwalk(dir.path(), &["check", "--diff"]);
    assert_eq!(diff.status.code(), Some(0));
    assert!(text(&diff.stdout).is_empty());
}

#[test]
fn a_bad_per_file_glob_is_a_located_config_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "xwalk.toml",
        "[lint.per-file.\"isvs/{a\"]\nsuperseded-reference = \"off\"\n",
    );
    write(dir.path(), "m.xwalk", ISVS);
    let o = xwalk(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.starts_with("error: xwalk.toml:1:16: invalid glob `isvs/{a` in `[lint.per-file]`"),
        "{err}"
    );
}

/// Did-you-mean fixes are guesses that would change what a mapping means
/// (`I.2.n` is not `I.2.a`): `--fix` leaves them, and the summary lists
/// each with its guess for a person to review.
#[test]
fn guesses_are_listed_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    let guesses = "document vendor { title \"Vendor  Guide\" }\n\
                   map vendor:1 -> eu-cra-2024:I.2.n\n\
                   map vendor:2 -> etsi-en-303-645-v3:5.6-4\n\
                   map vendor:3 -> etsi-ts:4.1-1\n";
    write(dir.path(), "vendor.xwalk", guesses);
    let o = xwalk(dir.path(), &["check", "--diff"]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(
        err,
        "would fix 1 problem in 1 file (1 round):\n\
         \x20 vendor.xwalk:1:25: untidy-text: Tidy whitespace (was `\"Vendor  Guide\"`)\n\
         left: 3 problems, 3 guessed fixes to review:\n\
         \x20 vendor.xwalk:2:29: unknown-provision: `eu-cra-2024` has no provision or clause `I.2.n` (guess, not applied: `I.2.a`)\n\
         \x20 vendor.xwalk:3:36: unknown-provision: `etsi-en-303-645-v3` has no provision or clause `5.6-4` (guess, not applied: `5.6-4A`)\n\
         \x20 vendor.xwalk:4:17: unknown-document: unknown document `etsi-ts` (guess, not applied: `etsi-ts-103-645`)\n"
    );
    let o = xwalk(dir.path(), &["check", "--fix"]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        err.ends_with("left: 3 problems, 3 guessed fixes to review (listed below)\n"),
        "{err}"
    );
    assert!(out.contains("help: did you mean `I.2.a`"), "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("vendor.xwalk")).unwrap(),
        guesses.replace("Vendor  Guide", "Vendor Guide")
    );
}
