//! `xwalk import`: other formats into `.xwalk` files.
//!
//! Nothing is written unless the whole input is valid: the files are
//! written to a temporary folder beside `--out`, which then takes its
//! place.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{EXIT_FAILURE, EXIT_OK};
use crate::interop::dcms;
use crate::plural::plural;

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import the DCMS open data ("Mapping of Code of Practice to
    /// recommendations and standards", JSON, schema v4).
    ///
    /// Writes one .xwalk file per source document, in a folder per
    /// organisation, the dataset document (dcms-cop-mapping.xwalk) and an
    /// xwalk.toml. Every string of every record is kept exactly. Nothing is
    /// written when the input is invalid.
    /// Exit status: 0 imported, 2 invalid input, usage or I/O failure.
    Dcms(DcmsArgs),
}

#[derive(clap::Args, Debug)]
pub struct DcmsArgs {
    /// The DCMS JSON file.
    pub file: PathBuf,
    /// The folder to write; it must be absent or empty unless --force.
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace the contents of a non-empty --out folder.
    #[arg(long)]
    pub force: bool,
}

pub fn run(command: &ImportCommand) -> u8 {
    match command {
        ImportCommand::Dcms(args) => match import_dcms(args) {
            Ok(()) => EXIT_OK,
            Err(message) => {
                eprintln!("error: {message}");
                EXIT_FAILURE
            }
        },
    }
}

fn import_dcms(args: &DcmsArgs) -> Result<(), String> {
    let file = args.file.display();
    let bytes = std::fs::read(&args.file).map_err(|e| format!("{file}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{file}: not valid UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let dataset = dcms::parse(&text).map_err(|e| format!("{file}: {e}"))?;
    check_out(&args.out, args.force)?;

    let input_name = args
        .file
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned());
    let reserved: Vec<&str> = crate::model::builtin::CATALOGS
        .iter()
        .map(|(name, _)| name.trim_end_matches(".xwalk"))
        .collect();
    let (files, summary) = dcms::import(&dataset, &input_name, &reserved);

    let terminal = std::io::stderr().is_terminal();
    let bar = if terminal {
        indicatif::ProgressBar::new(files.len() as u64).with_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {wide_msg}")
                .expect("valid template"),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    write_atomically(&args.out, args.force, |dir| {
        for f in &files {
            let path = dir.join(&f.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::write(&path, &f.text).map_err(|e| format!("{}: {e}", path.display()))?;
            bar.inc(1);
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    if terminal {
        eprintln!(
            "imported {}: {}, {}, {} in {}",
            plural(summary.records, "record", "records"),
            plural(summary.documents, "document", "documents"),
            plural(summary.maps, "map", "maps"),
            plural(summary.files, "file", "files"),
            args.out.display()
        );
    }
    Ok(())
}

/// `--out` must be absent, an empty folder, or (with `--force`) a folder.
fn check_out(out: &Path, force: bool) -> Result<(), String> {
    match std::fs::metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", out.display())),
        Ok(m) if !m.is_dir() => Err(format!("{}: exists and is not a folder", out.display())),
        Ok(_) => {
            let mut entries =
                std::fs::read_dir(out).map_err(|e| format!("{}: {e}", out.display()))?;
            if entries.next().is_some() && !force {
                Err(format!(
                    "{}: the folder is not empty; use --force to replace its contents",
                    out.display()
                ))
            } else {
                Ok(())
            }
        }
    }
}

/// Runs `fill` on a new temporary folder beside `out`, then puts that
/// folder in `out`'s place (replacing an existing `out`). On any failure
/// the temporary folder is removed and `out` is left as it was.
pub fn write_atomically(
    out: &Path,
    force: bool,
    fill: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(), String> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    let name = out
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.xwalk-new-{pid}"));
    let old = parent.join(format!(".{name}.xwalk-old-{pid}"));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let cleanup = |e: String| {
        let _ = std::fs::remove_dir_all(&tmp);
        e
    };
    fill(&tmp).map_err(cleanup)?;
    // Checked again: the folder may have changed since the first check.
    check_out(out, force).map_err(cleanup)?;
    if out.exists() {
        std::fs::rename(out, &old).map_err(|e| cleanup(format!("{}: {e}", out.display())))?;
        if let Err(e) = std::fs::rename(&tmp, out) {
            let _ = std::fs::rename(&old, out);
            return Err(cleanup(format!("{}: {e}", out.display())));
        }
        std::fs::remove_dir_all(&old).map_err(|e| format!("{}: {e}", old.display()))?;
    } else {
        std::fs::rename(&tmp, out).map_err(|e| cleanup(format!("{}: {e}", out.display())))?;
    }
    Ok(())
}
