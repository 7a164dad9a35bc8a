//! `xwalk fmt` end to end: writing, --check, --diff, standard input, exit
//! codes, atomic writes, and files with syntax errors left untouched.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn xwalk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xwalk"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run xwalk")
}

fn xwalk_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xwalk"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run xwalk");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
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

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

const UGLY: &str = "document a{title \"A\"\n  cites uk-cop-2018}\nmap a:1 ->uk-cop-2018:1";
const PRETTY: &str =
    "document a {\n  title \"A\"\n  cites uk-cop-2018\n}\n\nmap a:1 -> uk-cop-2018:1\n";
const BROKEN: &str = "document b {\n  title \"unterminated\n}\n";

/// The names in a folder (to see that no temporary file is left).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn formats_files_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let ugly = write(dir.path(), "m.xwalk", UGLY);
    let pretty = write(dir.path(), "ok.xwalk", PRETTY);
    let o = xwalk(dir.path(), &["fmt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert_eq!(stderr(&o), "1 file reformatted, 1 already formatted\n");
    assert_eq!(read(&ugly), PRETTY);
    assert_eq!(read(&pretty), PRETTY);
    assert_eq!(names(dir.path()), ["m.xwalk", "ok.xwalk"]);
    // A second run has nothing to do.
    let o = xwalk(dir.path(), &["fmt", "m.xwalk"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "0 files reformatted, 1 already formatted\n");
}

#[cfg(unix)]
#[test]
fn writes_keep_permissions_and_follow_links() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "real/m.xwalk", UGLY);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    symlink(&file, dir.path().join("link.xwalk")).unwrap();
    let o = xwalk(dir.path(), &["fmt", "link.xwalk"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(&file), PRETTY);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let link = std::fs::symlink_metadata(dir.path().join("link.xwalk")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is kept");
    assert_eq!(names(&dir.path().join("real")), ["m.xwalk"]);
}

#[test]
fn check_lists_files_that_would_change_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ugly = write(dir.path(), "sub/m.xwalk", UGLY);
    write(dir.path(), "ok.xwalk", PRETTY);
    let o = xwalk(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "sub/m.xwalk\n");
    assert_eq!(
        stderr(&o),
        "1 file would be reformatted, 1 already formatted\n"
    );
    assert_eq!(read(&ugly), UGLY);
    let o = xwalk(dir.path(), &["fmt", "--check", "ok.xwalk"]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), String::new()));
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ugly = write(dir.path(), "m.xwalk", "map a:1 ->uk-cop-2018:1\n");
    let o = xwalk(dir.path(), &["fmt", "--diff", "m.xwalk"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "--- a/m.xwalk\n+++ b/m.xwalk\n@@ -1 +1 @@\n-map a:1 ->uk-cop-2018:1\n+map a:1 -> uk-cop-2018:1\n"
    );
    assert_eq!(read(&ugly), "map a:1 ->uk-cop-2018:1\n");
    // --check --diff: the diff, and the exit status.
    let o = xwalk(dir.path(), &["fmt", "--check", "--diff", "m.xwalk"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("--- a/m.xwalk\n"));
}

#[test]
fn files_with_syntax_errors_are_never_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let broken = write(dir.path(), "b.xwalk", BROKEN);
    let ugly = write(dir.path(), "m.xwalk", UGLY);
    let before = std::fs::metadata(&broken).unwrap().modified().unwrap();
    for args in [
        &["fmt"][..],
        &["fmt", "b.xwalk", "m.xwalk"][..],
        &["fmt", "--check", "."][..],
        &["fmt", "--diff", "."][..],
    ] {
        let o = xwalk(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains("error: b.xwalk:2:3: "), "{err}");
        assert!(
            err.contains("error: b.xwalk: not formatted: fix the syntax errors first"),
            "{err}"
        );
        assert!(
            err.contains("1 file not formatted (syntax errors)"),
            "{err}"
        );
        assert!(!stdout(&o).contains("b.xwalk"), "{args:?}");
        assert_eq!(read(&broken), BROKEN);
        assert_eq!(
            std::fs::metadata(&broken).unwrap().modified().unwrap(),
            before
        );
    }
    // The other file was still formatted (by the first run).
    assert_eq!(read(&ugly), PRETTY);
}

#[test]
fn standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let o = xwalk_stdin(dir.path(), &["fmt", "-"], UGLY);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), PRETTY);

    let o = xwalk_stdin(
        dir.path(),
        &["fmt", "--check", "--stdin-filename", "x.xwalk"],
        UGLY,
    );
    assert_eq!((o.status.code(), stdout(&o)), (Some(1), "x.xwalk\n".into()));
    let o = xwalk_stdin(dir.path(), &["fmt", "--check", "-"], PRETTY);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), String::new()));

    let o = xwalk_stdin(
        dir.path(),
        &["fmt", "--diff", "--stdin-filename", "x.xwalk", "-"],
        "map a:1 ->uk-cop-2018:1\n",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("--- a/x.xwalk\n+++ b/x.xwalk\n"));

    // Syntax errors: nothing on standard output, status 2.
    let o = xwalk_stdin(dir.path(), &["fmt", "--stdin-filename", "x.xwalk"], BROKEN);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("error: x.xwalk:2:3: "),
        "{}",
        stderr(&o)
    );

    let o = xwalk_stdin(dir.path(), &["fmt", "-"], "\u{0}\u{ff}");
    assert_eq!(o.status.code(), Some(2));
    let mut bad = Command::new(env!("CARGO_BIN_EXE_xwalk"))
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    bad.stdin.take().unwrap().write_all(b"map \xff").unwrap();
    let o = bad.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not valid UTF-8"));
}

#[test]
fn usage_and_input_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "m.xwalk", PRETTY);
    let o = xwalk(dir.path(), &["fmt", "missing.xwalk"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("error: missing.xwalk: "),
        "{}",
        stderr(&o)
    );
    let o = xwalk(dir.path(), &["fmt", "-", "m.xwalk"]);
    assert_eq!(o.status.code(), Some(2));
    let o = xwalk(
        dir.path(),
        &["fmt", "--stdin-filename", "x.xwalk", "m.xwalk"],
    );
    assert_eq!(o.status.code(), Some(2));
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let o = xwalk(dir.path(), &["fmt", "empty"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no .xwalk files"), "{}", stderr(&o));
    let o = xwalk(dir.path(), &["fmt", "--frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_workspace_folder_gives_its_files_after_the_globs() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "xwalk.toml",
        "[workspace]\nexclude = [\"drafts/**\"]\n",
    );
    let kept = write(dir.path(), "a/m.xwalk", UGLY);
    let draft = write(dir.path(), "drafts/d.xwalk", UGLY);
    let o = xwalk(&dir.path().join("a"), &["fmt", "--check", "."]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(1), "m.xwalk\n".into()));
    let o = xwalk(dir.path(), &["fmt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(read(&kept), PRETTY);
    assert_eq!(read(&draft), UGLY, "excluded by the workspace");
    // Named explicitly, an excluded file is formatted.
    let o = xwalk(dir.path(), &["fmt", "drafts/d.xwalk"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(read(&draft), PRETTY);
}
