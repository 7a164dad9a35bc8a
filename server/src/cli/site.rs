//! `xwalk site`: the published site of a workspace (docs/site.md).
//!
//! The site is written to a temporary folder beside `--out`, which then
//! takes its place. An existing `--out` is replaced only when it is empty
//! or was written by `xwalk site` (it holds `site::MARKER`), or with
//! `--force`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{EXIT_FAILURE, EXIT_OK};
use crate::site;

#[derive(clap::Args, Debug)]
pub struct SiteArgs {
    /// A workspace folder, a folder or a file (default: the current
    /// folder). The mappings of the .xwalk files under it are published,
    /// resolved in the context of their workspace.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The folder to write. It must be absent, empty or an earlier output
    /// of `xwalk site`, unless --force.
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace a non-empty --out folder that `xwalk site` did not write.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &SiteArgs) -> u8 {
    match build(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_FAILURE
        }
    }
}

fn build(args: &SiteArgs) -> Result<u8, String> {
    let start = Instant::now();
    check_out(&args.out, args.force)?;
    let loaded = match super::load_readable(&args.path, "nothing published") {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let ws = &loaded.workspace;
    let options = site::Options {
        date: std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse().ok()),
    };
    let files = site::build(ws, &loaded.requested, &options);

    let terminal = std::io::stderr().is_terminal();
    let bar = if terminal {
        indicatif::ProgressBar::new(files.len() as u64).with_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {wide_msg}")
                .expect("valid template"),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut bytes = 0;
    // `check_out` above decided whether `--out` may be replaced.
    super::import::write_atomically(&args.out, true, |dir| {
        for f in &files {
            let path = dir.join(&f.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::write(&path, &f.bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            bytes += f.bytes.len();
            bar.inc(1);
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    // Where it went and what to open, whether or not on a terminal (a
    // script's log says it too); the timing only on a terminal, so that
    // the output of a script is the same from one run to the next.
    let elapsed = if terminal {
        format!(" in {:.2} s", start.elapsed().as_secs_f64())
    } else {
        String::new()
    };
    eprintln!(
        "wrote {} ({:.1} MB) to {}{elapsed}\nopen {} in a browser",
        crate::plural::plural(files.len(), "file", "files"),
        bytes as f64 / 1e6,
        args.out.display(),
        args.out.join("index.html").display(),
    );
    Ok(EXIT_OK)
}

/// `--out` must be absent, empty, written by `xwalk site`, or `--force`.
fn check_out(out: &Path, force: bool) -> Result<(), String> {
    match std::fs::metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", out.display())),
        Ok(m) if !m.is_dir() => Err(format!("{}: exists and is not a folder", out.display())),
        Ok(_) => {
            let mut entries =
                std::fs::read_dir(out).map_err(|e| format!("{}: {e}", out.display()))?;
            if force || entries.next().is_none() || out.join(site::MARKER).is_file() {
                Ok(())
            } else {
                Err(format!(
                    "{}: the folder is not empty and was not written by `xwalk site`; use --force to replace it",
                    out.display()
                ))
            }
        }
    }
}
