//! `xwalk export`: a workspace's mappings in other formats.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{EXIT_FAILURE, EXIT_OK};
use crate::interop::{Export, ciso, csv, dcms, json, opencre, oscal, strm};

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
    /// With `--format opencre-csv`: the document whose provisions are
    /// CREs (ids `DDD-DDD`).
    #[arg(long, value_name = "DOC", default_value = opencre::CRE_DOCUMENT)]
    pub cre_document: String,
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
    /// A CISO Assistant mapping library (YAML).
    CisoAssistant,
    /// The NIST IR 8477 / OLIR relationship spreadsheet, as CSV.
    StrmCsv,
    /// The NIST IR 8477 / OLIR relationship spreadsheet, as an XLSX
    /// workbook (needs -o FILE or a redirected standard output).
    StrmXlsx,
    /// OpenCRE's import CSV: the mappings onto CREs.
    OpencreCsv,
}

pub fn run(args: &ExportArgs) -> u8 {
    let loaded = match super::load_readable(&args.path, "nothing exported") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let ws = &loaded.workspace;
    let export = Export::new(ws, loaded.requested.iter().copied());
    let report = super::import::report_losses;
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
            if summary.derived > 0 {
                eprintln!(
                    "note: {} left out: the DCMS format cannot mark a mapping as derived",
                    crate::plural::plural(summary.derived, "derived mapping", "derived mappings"),
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
        ExportFormat::CisoAssistant => {
            let (text, losses) = ciso::export(&export);
            report("ciso-assistant", &losses);
            text
        }
        ExportFormat::StrmCsv | ExportFormat::StrmXlsx => {
            let (rows, losses) = strm::rows(&export);
            report("strm", &losses);
            if args.format == ExportFormat::StrmCsv {
                strm::to_csv(&rows)
            } else {
                return write_bytes(args, strm::to_xlsx(&rows));
            }
        }
        ExportFormat::OpencreCsv => {
            let (text, losses) = opencre::export(&export, &args.cre_document);
            report("opencre", &losses);
            text
        }
    };
    write_bytes(args, Ok(text.into_bytes()))
}

/// Writes the export to `-o FILE` or standard output (binary output only
/// when standard output is not a terminal).
fn write_bytes(args: &ExportArgs, bytes: Result<Vec<u8>, String>) -> u8 {
    let written = bytes.and_then(|bytes| match &args.output {
        Some(path) => write_file(path, &bytes),
        None if args.format == ExportFormat::StrmXlsx
            && std::io::IsTerminal::is_terminal(&std::io::stdout()) =>
        {
            Err("an XLSX workbook is not written to a terminal; use -o FILE".into())
        }
        None => super::write_stdout(&bytes).map_err(|e| format!("standard output: {e}")),
    });
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
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
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
