//! `xwalk fmt`: rewrites files in the canonical layout.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::format::{self, FormatError};
use crate::model::LineIndex;
use crate::model::config::{CONFIG_FILE, Config};
use crate::model::load::{self, LoadError};

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// Files or folders to format (default: the current folder); `-` reads
    /// standard input and writes the result to standard output.
    pub paths: Vec<PathBuf>,
    /// Write nothing; list the files that would change, and exit with
    /// status 1 if there are any.
    #[arg(long)]
    pub check: bool,
    /// Write nothing; print a unified diff of the changes, and exit with
    /// status 1 if there are any.
    #[arg(long)]
    pub diff: bool,
    /// Format standard input, calling it NAME in messages and diffs.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
}

pub fn run(args: &FmtArgs) -> u8 {
    let dash = args.paths.iter().any(|p| p.as_os_str() == "-");
    if args.stdin_filename.is_some() && !dash && !args.paths.is_empty() {
        eprintln!("error: --stdin-filename formats standard input: give no PATH, or `-`");
        return EXIT_FAILURE;
    }
    if dash || (args.stdin_filename.is_some() && args.paths.is_empty()) {
        if args.paths.len() > 1 {
            eprintln!("error: `-` (standard input) cannot be combined with other paths");
            return EXIT_FAILURE;
        }
        return run_stdin(args);
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| c.canonicalize().ok());
    let (files, mut errors) = files(&paths);
    let results: Vec<(PathBuf, Result<Outcome, LoadError>)> = files
        .into_par_iter()
        .map(|path| {
            let outcome = format_file(&path, !(args.check || args.diff));
            (path, outcome)
        })
        .collect();

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (mut changed, mut unchanged, mut refused) = (0, 0, 0);
    for (path, outcome) in results {
        let name = load::display_name(&path, cwd.as_deref());
        match outcome {
            Err(mut e) => {
                e.path = PathBuf::from(name);
                errors.push(e);
            }
            Ok(Outcome::Unchanged) => unchanged += 1,
            Ok(Outcome::Refused { text, error }) => {
                refused += 1;
                report_syntax_errors(&name, &text, &error);
            }
            Ok(Outcome::Changed { before, after }) => {
                changed += 1;
                let written = if args.diff {
                    out.write_all(unified_diff(&name, &before, &after).as_bytes())
                } else if args.check {
                    writeln!(out, "{name}")
                } else {
                    Ok(())
                };
                if written.is_err() {
                    return EXIT_FAILURE;
                }
            }
        }
    }
    if out.flush().is_err() {
        return EXIT_FAILURE;
    }
    for e in &errors {
        eprintln!("error: {}: {}", e.path.display(), e.message);
    }
    let files = |n: usize| crate::plural::plural(n, "file", "files");
    let verb = if args.check || args.diff {
        "would be reformatted"
    } else {
        "reformatted"
    };
    let mut summary = format!("{} {verb}, {} already formatted", files(changed), unchanged);
    if refused > 0 {
        summary.push_str(&format!(
            ", {} not formatted (syntax errors)",
            files(refused)
        ));
    }
    eprintln!("{summary}");
    if !errors.is_empty() || refused > 0 {
        EXIT_FAILURE
    } else if changed > 0 && (args.check || args.diff) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// What formatting one file did (or would do).
enum Outcome {
    Unchanged,
    Changed { before: String, after: String },
    Refused { text: String, error: FormatError },
}

fn format_file(path: &Path, write: bool) -> Result<Outcome, LoadError> {
    let text = load::read(path)?;
    match format::format_source(&text) {
        Err(error) => Ok(Outcome::Refused { text, error }),
        Ok(after) if after == text => Ok(Outcome::Unchanged),
        Ok(after) => {
            if write {
                write_atomic(path, &after).map_err(|e| LoadError {
                    path: path.to_path_buf(),
                    message: format!("cannot write: {e}"),
                })?;
            }
            Ok(Outcome::Changed {
                before: text,
                after,
            })
        }
    }
}

/// The files to format: each path that is a file, and the `.xwalk` files
/// under each folder (a folder in a workspace gives the workspace's files
/// under it, after its include/exclude globs).
fn files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<LoadError>) {
    let mut files = BTreeSet::new();
    let mut errors = Vec::new();
    for path in paths {
        let canon = match path.canonicalize() {
            Ok(c) => c,
            Err(e) => {
                errors.push(LoadError {
                    path: path.clone(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        if canon.is_file() {
            files.insert(canon);
            continue;
        }
        let found = match load::find_root(&canon) {
            Some(root) => workspace_files_under(&root, &canon),
            None => load::expand(&canon),
        };
        match found {
            Ok(list) => files.extend(list),
            Err(mut e) => {
                if e.path == canon {
                    e.path = path.clone();
                }
                errors.push(e);
            }
        }
    }
    (files.into_iter().collect(), errors)
}

fn workspace_files_under(root: &Path, dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let config_path = root.join(CONFIG_FILE);
    let config = Config::load(&config_path).map_err(|e| {
        let at = e
            .position
            .map_or(String::new(), |(l, c)| format!(":{l}:{c}"));
        LoadError {
            path: PathBuf::from(format!("{}{at}", config_path.display())),
            message: e.message,
        }
    })?;
    let under: Vec<PathBuf> = load::workspace_files(root, &config)?
        .into_iter()
        .filter(|f| f.starts_with(dir))
        .collect();
    if under.is_empty() {
        return Err(LoadError {
            path: dir.to_path_buf(),
            message: "no .xwalk files in this folder".into(),
        });
    }
    Ok(under)
}

fn run_stdin(args: &FmtArgs) -> u8 {
    let name = args.stdin_filename.as_deref().unwrap_or("<stdin>");
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("error: {name}: {e}");
        return EXIT_FAILURE;
    }
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!("error: {name}: not valid UTF-8; .xwalk files are UTF-8");
        return EXIT_FAILURE;
    };
    let after = match format::format_source(&text) {
        Ok(after) => after,
        Err(error) => {
            report_syntax_errors(name, &text, &error);
            return EXIT_FAILURE;
        }
    };
    let changed = after != text;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = if args.diff {
        if changed {
            out.write_all(unified_diff(name, &text, &after).as_bytes())
        } else {
            Ok(())
        }
    } else if args.check {
        if changed {
            writeln!(out, "{name}")
        } else {
            Ok(())
        }
    } else {
        out.write_all(after.as_bytes())
    };
    if written.and_then(|_| out.flush()).is_err() {
        return EXIT_FAILURE;
    }
    if changed && (args.check || args.diff) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// One line per syntax error, then that the file was left alone.
fn report_syntax_errors(name: &str, text: &str, error: &FormatError) {
    let lines = LineIndex::new(text);
    for e in &error.errors {
        let (line, col) = lines.line_col(text, e.range.start);
        eprintln!("error: {name}:{line}:{col}: {}", e.message);
    }
    eprintln!(
        "error: {name}: not formatted: fix the syntax errors first (`xwalk check` explains them)"
    );
}

/// A unified diff from the file to its formatted text. A relative name gets
/// the `a/` and `b/` prefixes `git apply` expects; an absolute one is
/// written as it is (`patch -p0` takes it), never as `a//tmp/...`.
pub(super) fn unified_diff(name: &str, before: &str, after: &str) -> String {
    let (old, new) = diff_headers(name);
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&old, &new)
        .to_string()
}

fn diff_headers(name: &str) -> (String, String) {
    if Path::new(name).is_absolute() {
        (name.to_owned(), name.to_owned())
    } else {
        let name = name.strip_prefix("./").unwrap_or(name);
        (format!("a/{name}"), format!("b/{name}"))
    }
}

/// Replaces `path` with `text` atomically: a temporary file in the same
/// folder, with the file's permissions, renamed over it. A symbolic link is
/// followed: the file it points to is replaced, the link stays.
pub(super) fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let target = path.canonicalize()?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(&target)?.permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".xwalk-fmt-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), permissions)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::diff_headers;

    #[test]
    fn diff_headers_prefix_relative_names_only() {
        assert_eq!(
            diff_headers("maps/a.xwalk"),
            ("a/maps/a.xwalk".into(), "b/maps/a.xwalk".into())
        );
        assert_eq!(
            diff_headers("./a.xwalk"),
            ("a/a.xwalk".into(), "b/a.xwalk".into())
        );
        assert_eq!(
            diff_headers("/tmp/a.xwalk"),
            ("/tmp/a.xwalk".into(), "/tmp/a.xwalk".into())
        );
    }
}
