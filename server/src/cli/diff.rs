//! `xwalk diff`: the semantic diff of two workspaces (two paths, or git
//! revisions read with the git CLI).

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::git::{self, Repo};
use super::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::diff::{self, Side};
use crate::model::load::{self, LoadError, Loaded};

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// BASE and HEAD: two files or folders, each loaded in its workspace
    /// as `xwalk check` loads it. With --git: at most one PATH (default:
    /// the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Compare PATH at git revision REV (the base) with the working tree
    /// (the head); `REV..REV2` compares two revisions. Nothing is checked
    /// out or written.
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Exit with status 1 when the head introduces errors.
    #[arg(long)]
    pub error_on_new_diagnostics: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Counts, then every difference, for a terminal.
    Text,
    /// A pull-request comment: counts, one collapsed section per source
    /// document, long lists cut ("and N more").
    Markdown,
    /// One JSON object with every difference.
    Json,
}

fn report(errors: &[LoadError]) {
    for e in errors {
        eprintln!("error: {}: {}", e.path.display(), e.message);
    }
}

/// Loads one path as `xwalk check` does; the one workspace holding it.
fn load_path(path: &Path) -> Result<Loaded, Vec<LoadError>> {
    let (mut loads, errors) = load::load_paths(std::slice::from_ref(&path.to_path_buf()));
    if !errors.is_empty() {
        return Err(errors);
    }
    loads.pop().ok_or_else(|| {
        vec![LoadError {
            path: path.to_path_buf(),
            message: "nothing to compare".into(),
        }]
    })
}

/// The two sides: (base, head).
fn sides(args: &DiffArgs) -> Result<(Loaded, Loaded), String> {
    let Some(rev) = &args.git else {
        let [base, head] = args.paths.as_slice() else {
            return Err("give two paths, BASE and HEAD, or --git REV [PATH]".into());
        };
        let (base, head) = rayon::join(|| load_path(base), || load_path(head));
        return match (base, head) {
            (Ok(b), Ok(h)) => Ok((b, h)),
            (b, h) => {
                report(b.as_ref().err().map_or(&[][..], Vec::as_slice));
                report(h.as_ref().err().map_or(&[][..], Vec::as_slice));
                Err(String::new())
            }
        };
    };
    if args.paths.len() > 1 {
        return Err("with --git, give at most one PATH".into());
    }
    let path = args.paths.first().cloned().unwrap_or_else(|| ".".into());
    let abs = git::absolute(&path);
    let repo = Repo::of(&abs)?;
    if rev.contains("...") {
        return Err(format!(
            "`{rev}`: compare two revisions with REV..REV2 (two dots)"
        ));
    }
    let (base_rev, head_rev) = match rev.split_once("..") {
        Some((a, b)) => (
            if a.is_empty() { "HEAD" } else { a },
            Some(if b.is_empty() { "HEAD" } else { b }),
        ),
        None => (rev.as_str(), None),
    };
    let at = |rev: &str| -> Result<Loaded, String> {
        let commit = repo.resolve(rev)?;
        repo.load(rev, &commit, &abs).map_err(|errors| {
            report(&errors);
            String::new()
        })
    };
    let base = at(base_rev)?;
    let head = match head_rev {
        Some(rev) => at(rev)?,
        None => load_path(&path).map_err(|errors| {
            report(&errors);
            String::new()
        })?,
    };
    Ok((base, head))
}

pub fn run(args: &DiffArgs) -> u8 {
    let (base, head) = match sides(args) {
        Ok(sides) => sides,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            return EXIT_FAILURE;
        }
    };
    let diff = diff::compute(
        Side {
            workspace: &base.workspace,
            files: &base.requested,
        },
        Side {
            workspace: &head.workspace,
            files: &head.requested,
        },
    );
    let rendered = match args.format {
        DiffFormat::Text => diff::text(&diff),
        DiffFormat::Markdown => diff::markdown(&diff),
        DiffFormat::Json => match serde_json::to_string_pretty(&diff) {
            Ok(s) => s + "\n",
            Err(_) => return EXIT_FAILURE,
        },
    };
    if super::write_stdout(&rendered).is_err() {
        return EXIT_FAILURE;
    }
    if args.error_on_new_diagnostics && diff.summary.errors_introduced > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
