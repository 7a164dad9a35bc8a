//! `xwalk export`: a workspace's mappings in other formats.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{EXIT_FAILURE, EXIT_OK};
use crate::interop::{Export, csv, dcms, json, oscal};

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The output format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// A workspace folder, a folder or a file (default: the current
    /// folder). The mappings of the .xwalk files under it are exported,
    /// resolved in the context of their workspace.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Write to FILE (replaced whole, never half-written) instead of
    /// standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The DCMS open-data JSON (schema v4): mappings onto uk-cop-2018.
    DcmsJson,
    /// CSV (RFC 4180, UTF-8): one row per source → target pair.
    Csv,
    /// Crosswalk's JSON: documents, provisions and mappings.
    Json,
    /// An OSCAL 1.2 mapping-collection (JSON).
    Oscal,
}

pub fn run(args: &ExportArgs) -> u8 {
    let loaded = match super::load_readable(&args.path, "nothing exported") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let ws = &loaded.workspace;
    let export = Export::new(ws, loaded.requested.iter().copied());
    let text = match args.format {
        ExportFormat::DcmsJson => {
            let (dataset, summary) = dcms::export(&export);
            if summary.skipped > 0 {
                eprintln!(
                    "note: {} left out: the DCMS format holds only mappings onto `{}` guidelines",
                    crate::plural::plural(summary.skipped, "mapping", "mappings"),
                    dcms::TARGET_DOCUMENT
                );
            }
            if export.dataset().is_none() {
                eprintln!(
                    "note: no dataset document (`dataset` in xwalk.toml): the metadata object is empty"
                );
            }
            dcms::to_json(&dataset)
        }
        ExportFormat::Csv => csv::export(&export),
        ExportFormat::Json => json::export(&export),
        ExportFormat::Oscal => oscal::export(&export, &oscal::rfc3339(timestamp())),
    };
    let written = match &args.output {
        Some(path) => write_file(path, text.as_bytes()),
        None => super::write_stdout(&text).map_err(|e| format!("standard output: {e}")),
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_FAILURE
        }
    }
}

/// Seconds since the epoch: `SOURCE_DATE_EPOCH` when set (reproducible
/// output), else now.
fn timestamp() -> u64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        })
}

/// Writes `bytes` to a temporary file beside `path`, then renames it.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let tmp = parent.join(format!(".{name}.xwalk-new-{}", std::process::id()));
    let result = std::fs::write(&tmp, bytes)
        .map_err(|e| format!("{}: {e}", tmp.display()))
        .and_then(|_| std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display())));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
