//! `xwalk import`: other formats into `.xwalk` files (DCMS, OSCAL, CISO
//! Assistant, STRM spreadsheets; docs/interop.md).
//!
//! Nothing is written unless the whole input is valid: the files are
//! written to a temporary folder beside `--out`, which then takes its
//! place.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{EXIT_FAILURE, EXIT_OK};
use crate::interop::dcms::{self, OutputFile};
use crate::interop::ingest::{self, Imported, Losses};
use crate::interop::{ciso, oscal_import, strm};
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
    Dcms(ImportArgs),
    /// Import an OSCAL 1.2 mapping-collection (JSON).
    ///
    /// Each map becomes one mapping per source and target item. A resource
    /// that names a built-in catalog maps onto it; any other becomes a
    /// declared document. Writes xwalk.toml and one .xwalk file per source
    /// document. Nothing is written when the input is invalid; what the
    /// collection holds that Crosswalk cannot carry is reported on stderr,
    /// per field. Exit status: 0 imported, 2 invalid input, usage or I/O
    /// failure.
    Oscal(ImportArgs),
    /// Import a CISO Assistant mapping library (YAML with
    /// `requirement_mapping_sets`).
    ///
    /// Requirement URNs name documents through the `[ciso-assistant.urn]`
    /// table of --config, else through their framework part
    /// (urn:PACKAGER:risk:req_node:FRAMEWORK:NODE). The reverse set a
    /// library carries beside each forward set is skipped. Exit status as
    /// for `import oscal`.
    CisoAssistant(CisoArgs),
    /// Import a NIST IR 8477 / OLIR spreadsheet (STRM): a .csv file or a
    /// .xlsx workbook, read by its extension.
    ///
    /// The columns are found by their header (Focal Document Element,
    /// Relationship, Reference Document Element, ...), as NIST's templates
    /// spell them. The documents come from the `Focal Document` and
    /// `Reference Document` columns Crosswalk writes, else from --focal
    /// and --reference. Exit status as for `import oscal`.
    Strm(StrmArgs),
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The input file.
    pub file: PathBuf,
    /// The folder to write; it must be absent or empty unless --force.
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace the contents of a non-empty --out folder.
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug)]
pub struct CisoArgs {
    #[command(flatten)]
    pub common: ImportArgs,
    /// An xwalk.toml whose `[ciso-assistant.urn]` table says which
    /// document each base URN stands for.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct StrmArgs {
    #[command(flatten)]
    pub common: ImportArgs,
    /// The focal document's id, for a sheet without a `Focal Document`
    /// column.
    #[arg(long, value_name = "DOC")]
    pub focal: Option<String>,
    /// The reference document's id, for a sheet without a `Reference
    /// Document` column.
    #[arg(long, value_name = "DOC")]
    pub reference: Option<String>,
}

pub fn run(command: &ImportCommand) -> u8 {
    let result = match command {
        ImportCommand::Dcms(args) => import_dcms(args),
        ImportCommand::Oscal(args) => import_with(args, "oscal", |bytes, _| {
            oscal_import::import(&utf8(bytes)?, &ingest::known())
        }),
        ImportCommand::CisoAssistant(args) => {
            let urns = match &args.config {
                None => Default::default(),
                Some(path) => match crate::model::Config::load(path) {
                    Ok(c) => c.ciso_urns,
                    Err(e) => {
                        let at = e
                            .position
                            .map(|(l, c)| format!(":{l}:{c}"))
                            .unwrap_or_default();
                        eprintln!("error: {}{at}: {}", path.display(), e.message);
                        return EXIT_FAILURE;
                    }
                },
            };
            import_with(&args.common, "ciso-assistant", |bytes, _| {
                ciso::import(&utf8(bytes)?, &urns, &ingest::known())
            })
        }
        ImportCommand::Strm(args) => {
            let defaults = strm::Defaults {
                focal: args.focal.clone(),
                reference: args.reference.clone(),
            };
            let xlsx = args
                .common
                .file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
            import_with(&args.common, "strm", |bytes, name| {
                let table = if xlsx {
                    strm::read_xlsx(bytes)?
                } else {
                    strm::read_csv(&utf8(bytes)?)?
                };
                strm::import(&table, &defaults, name, &ingest::known())
            })
        }
    };
    match result {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_FAILURE
        }
    }
}

fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()))
}

/// Prints, per field, the values a conversion could not carry, and their
/// total.
pub fn report_losses(format: &str, losses: &Losses) {
    for (field, what, n) in losses.fields() {
        eprintln!("note: {format}: {field}: {what} ({n})");
    }
    if losses.total() > 0 {
        eprintln!(
            "note: {format}: {} not carried",
            plural(losses.total(), "value", "values")
        );
    }
}

/// Reads `args.file`, converts it with `read` (given the bytes and the
/// file's name), reports what was not carried and writes the files.
fn import_with(
    args: &ImportArgs,
    command: &str,
    read: impl FnOnce(Vec<u8>, &str) -> Result<(Imported, Losses), String>,
) -> Result<(), String> {
    let file = args.file.display();
    let bytes = std::fs::read(&args.file).map_err(|e| format!("{file}: {e}"))?;
    let name = input_name(&args.file);
    let (imported, losses) = read(bytes, &name).map_err(|e| format!("{file}: {e}"))?;
    check_out(&args.out, args.force)?;
    report_losses(command, &losses);
    let files = ingest::files(&imported, &ingest::header(command, &name));
    write_files(&args.out, args.force, &files)?;
    if std::io::stderr().is_terminal() {
        eprintln!(
            "imported {}, {} declared, in {}",
            plural(imported.mappings.len(), "mapping", "mappings"),
            plural(imported.documents.len(), "document", "documents"),
            args.out.display()
        );
    }
    Ok(())
}

fn input_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn import_dcms(args: &ImportArgs) -> Result<(), String> {
    let file = args.file.display();
    let bytes = std::fs::read(&args.file).map_err(|e| format!("{file}: {e}"))?;
    let text = utf8(bytes).map_err(|e| format!("{file}: {e}"))?;
    let dataset = dcms::parse(&text).map_err(|e| format!("{file}: {e}"))?;
    check_out(&args.out, args.force)?;

    let input_name = input_name(&args.file);
    let reserved: Vec<&str> = crate::model::builtin::CATALOGS
        .iter()
        .map(|(name, _)| name.trim_end_matches(".xwalk"))
        .collect();
    let (files, summary) = dcms::import(&dataset, &input_name, &reserved);

    write_files(&args.out, args.force, &files)?;
    if std::io::stderr().is_terminal() {
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

/// Writes `files` into `out` at once (see [`write_atomically`]), with a
/// progress bar on a terminal.
fn write_files(out: &Path, force: bool, files: &[OutputFile]) -> Result<(), String> {
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(files.len() as u64).with_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {wide_msg}")
                .expect("valid template"),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    write_atomically(out, force, |dir| {
        for f in files {
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
