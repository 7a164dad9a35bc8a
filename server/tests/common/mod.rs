//! Helpers shared by the integration tests.

pub mod tree_walk;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root folder.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Every `.xwalk` file under `dir`, into `out`; hidden folders, `target`
/// and `node_modules` are skipped.
pub fn xwalk_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let skip = path.file_name().is_some_and(|n| {
            n.to_string_lossy().starts_with('.') || n == "target" || n == "node_modules"
        });
        if skip {
            continue;
        }
        if path.is_dir() {
            xwalk_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "xwalk") {
            out.push(path);
        }
    }
}

/// Runs the `xwalk` binary with `args` in `dir`, with a fixed
/// `SOURCE_DATE_EPOCH` (exports that carry a date are then reproducible).
pub fn run_xwalk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xwalk"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("run xwalk")
}

/// The standard output of a run that must succeed (the test fails with
/// both outputs otherwise).
pub fn ok(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}
