//! Test helper: `.xwalk` fixtures annotated with the diagnostics they must
//! give. A line `#   ^^^^ code` marks the columns of the carets on the
//! line above it (the nearest line that is not an annotation) with `code`.
//! Annotations are comments, so the fixture parses as it is.

use std::path::PathBuf;

use crate::check::{self, Diagnostic};
use crate::model::{Config, FileInput, Workspace};

/// `(file, 1-based line, 1-based start column, end column, code)`.
pub type Mark = (String, usize, usize, usize, String);

/// The marks a fixture's annotations expect.
pub fn expected(name: &str, text: &str) -> Vec<Mark> {
    let mut out = Vec::new();
    let mut target_line = 0;
    for (i, line) in crate::syntax::lines::lines(text).enumerate() {
        let trimmed = line.trim_start();
        let carets = trimmed
            .strip_prefix('#')
            .map(str::trim_start)
            .filter(|rest| rest.starts_with('^'));
        match carets {
            Some(rest) => {
                let start = line.find('^').unwrap();
                let len = rest.chars().take_while(|&c| c == '^').count();
                let code = rest[len..].trim().to_string();
                out.push((
                    name.to_string(),
                    target_line,
                    start + 1,
                    start + len + 1,
                    code,
                ));
            }
            None => target_line = i + 1,
        }
    }
    out.sort();
    out
}

/// The marks of diagnostics (single-line ranges).
pub fn marks(ws: &Workspace, diagnostics: &[Diagnostic]) -> Vec<Mark> {
    let mut out: Vec<Mark> = diagnostics
        .iter()
        .map(|d| {
            let f = ws.file(d.file);
            let (line, col) = f.line_index().line_col(&f.text, d.range.start);
            let (_, end) = f.line_index().line_col(&f.text, d.range.end);
            (f.name.clone(), line, col, end, d.code.as_str().to_string())
        })
        .collect();
    out.sort();
    out
}

/// A workspace of fixtures `(name, text)` with the config `config`, rooted
/// at `/w` (each name is a path relative to it).
pub fn workspace(files: &[(&str, &str)], config: &str) -> Workspace {
    let inputs = files
        .iter()
        .map(|(name, text)| FileInput {
            path: PathBuf::from("/w").join(name),
            name: name.to_string(),
            text: text.to_string(),
        })
        .collect();
    Workspace::build(
        Some(PathBuf::from("/w")),
        Config::parse(config).expect("valid config"),
        inputs,
    )
}

/// Checks the fixtures and compares the diagnostics of `codes` with their
/// annotations.
pub fn assert_annotated(files: &[(&str, &str)], config: &str, codes: &[check::Code]) {
    let ws = workspace(files, config);
    let found: Vec<Diagnostic> = check::check(&ws)
        .into_iter()
        .filter(|d| codes.contains(&d.code))
        .collect();
    let mut want: Vec<Mark> = files
        .iter()
        .flat_map(|(name, text)| expected(name, text))
        .collect();
    want.sort();
    assert_eq!(marks(&ws, &found), want, "{found:#?}");
}

/// `ws` after its `i`-th workspace file's text became `text` (as after an
/// edit in the language server).
pub fn edited(ws: &Workspace, i: usize, text: &str) -> Workspace {
    let mut files = ws.own_files();
    files[i] = std::sync::Arc::new(crate::model::SourceFile::new(
        files[i].path.clone(),
        files[i].name.clone(),
        text.to_string(),
        crate::model::Origin::Workspace,
    ));
    Workspace::with_changed_files(ws, files)
}
