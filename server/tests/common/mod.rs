//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

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
