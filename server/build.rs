//! Build script: a fingerprint of the code that turns text into an AST
//! (the grammar's generated parser and `src/syntax/`), so that the parse
//! cache (`src/model/cache.rs`) never reads ASTs made by another build.

use std::hash::{Hash, Hasher};
use std::path::Path;

fn main() {
    let mut inputs = vec![Path::new("../grammar/src/parser.c").to_path_buf()];
    let mut syntax: Vec<_> = std::fs::read_dir("src/syntax")
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    syntax.sort();
    inputs.extend(syntax);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for path in &inputs {
        println!("cargo::rerun-if-changed={}", path.display());
        path.file_name().hash(&mut h);
        std::fs::read(path).unwrap_or_default().hash(&mut h);
    }
    println!("cargo::rerun-if-changed=src/syntax");
    println!(
        "cargo::rustc-env=XWALK_SYNTAX_FINGERPRINT={:016x}",
        h.finish()
    );
}
