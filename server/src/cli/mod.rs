//! The command-line interface: thin glue over the model and `check`.

pub mod check;
pub mod derive;
pub mod diff;
pub mod excerpt;
pub mod export;
pub mod fix;
pub mod fmt;
mod git;
pub mod import;
pub mod render;
pub mod site;
pub mod stats;
pub mod suggest;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Crosswalk: check and maintain security-standard mapping files (.xwalk).
#[derive(Parser, Debug)]
#[command(name = "xwalk", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check .xwalk files and report problems.
    ///
    /// Each PATH (default: the current folder) is checked in the context of
    /// its workspace: the folder holding xwalk.toml, found by walking up.
    /// Outside a workspace, files are checked against the built-in catalogs.
    /// Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.
    Check(CheckArgs),
    /// Rewrite .xwalk files in the canonical layout (docs/format.md).
    ///
    /// Only layout changes: every value and comment is kept. Files with
    /// syntax errors are reported and left untouched. `-` formats standard
    /// input to standard output.
    /// Exit status: 0 done (or nothing to change), 1 with --check or --diff:
    /// some file would change, 2 usage or I/O failure, or a file with
    /// syntax errors.
    Fmt(fmt::FmtArgs),
    /// Coverage of the target standards: mappings per provision, gaps, and
    /// per source document the mappings per target clause.
    Stats(stats::StatsArgs),
    /// Import mapping data from another format into .xwalk files.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Export the mappings of a workspace (or of the given path) as DCMS
    /// JSON, CSV, Crosswalk JSON, an OSCAL 1.2 mapping collection, a CISO
    /// Assistant mapping library, a NIST IR 8477 (STRM/OLIR) spreadsheet
    /// (CSV or XLSX) or OpenCRE's import CSV. What a format cannot carry
    /// is reported on stderr, per field (docs/interop.md).
    ///
    /// Exit status: 0 written, 1 the files have syntax errors (nothing
    /// written), 2 usage or I/O failure.
    Export(export::ExportArgs),
    /// Build the published site: a static visual mapping of the workspace
    /// with open-data downloads (docs/site.md).
    ///
    /// Exit status: 0 written, 1 the files have syntax errors (nothing
    /// written), 2 usage or I/O failure.
    Site(site::SiteArgs),
    /// Suggest target provisions for source text, evaluate the suggestions
    /// against the mappings, or list mappings to review (docs/suggest.md).
    ///
    /// Exit status: 0 done, 2 usage or I/O failure.
    Suggest(suggest::SuggestArgs),
    /// Derive mappings onto a target document by following mappings,
    /// correspondences, `replaces` links and clauses (at most N links),
    /// with the relations composed by set theory; written as .xwalk for a
    /// curator to review, or JSON (docs/chains.md).
    ///
    /// Exit status: 0 written, 1 the files have syntax errors (nothing
    /// written), 2 usage or I/O failure (an unknown document).
    Derive(derive::DeriveArgs),
    /// The semantic diff of two workspaces: mappings added, removed and
    /// changed (by source and target), documents and provisions, and the
    /// diagnostics introduced and fixed (docs/cli.md).
    ///
    /// Exit status: 0 whatever the differences, 1 with
    /// --error-on-new-diagnostics when the head introduces errors, 2 usage
    /// or I/O failure (an unknown revision).
    Diff(diff::DiffArgs),
    /// Run the language server over standard input and output (LSP 3.17).
    ///
    /// Editors start this; see docs/server.md and docs/editors.md.
    Lsp(LspArgs),
}

#[derive(clap::Args, Debug)]
pub struct LspArgs {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or folders to check.
    #[arg(default_value = ".")]
    pub paths: Vec<std::path::PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Exit with status 1 when there are warnings, not only errors.
    #[arg(long)]
    pub error_on_warnings: bool,
    /// Absolute URL of docs/diagnostics.md, for the rule links in SARIF
    /// output (each code's section is `URL#CODE`).
    #[arg(long, value_name = "URL")]
    pub docs_url: Option<String>,
    /// Apply every preferred quick fix (round after round, until none is
    /// left), write the changed files, then check them again.
    #[arg(long)]
    pub fix: bool,
    /// Write nothing: print the changes --fix would make as a unified
    /// diff, and exit with status 1 if there are any.
    #[arg(long)]
    pub diff: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source excerpts with the problem underlined, then a summary line.
    Human,
    /// One JSON object with all diagnostics and a summary.
    Json,
    /// SARIF 2.1.0, for code-scanning tools (GitHub code scanning).
    Sarif,
    /// GitHub Actions workflow commands: one `::error`/`::warning` line per
    /// diagnostic, shown as annotations on the changed lines.
    Github,
    /// One JSON object per line per diagnostic, as in `json`.
    JsonLines,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Exit statuses shared by every command.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_FAILURE: u8 = 2;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_FAILURE
            } else {
                EXIT_OK
            });
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Import(command) => import::run(&command),
        Command::Export(args) => export::run(&args),
        Command::Site(args) => site::run(&args),
        Command::Suggest(args) => suggest::run(&args),
        Command::Derive(args) => derive::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Lsp(_) => match crate::lsp::run_stdio() {
            Ok(true) => EXIT_OK,
            // LSP: `exit` without `shutdown` first ends with status 1.
            Ok(false) => EXIT_FINDINGS,
            Err(e) => {
                eprintln!("error: the language server could not start: {e}");
                EXIT_FAILURE
            }
        },
    };
    ExitCode::from(code)
}

/// Prints the problems of a load on standard error, `error: PATH: message`
/// each.
/// Writes `text` to standard output and flushes it (a closed pipe is an
/// error the caller turns into its exit status).
pub fn write_stdout(text: impl AsRef<[u8]>) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_ref()).and_then(|_| out.flush())
}

pub fn print_load_errors(errors: &[crate::model::load::LoadError]) {
    for e in errors {
        eprintln!("error: {}: {}", e.path.display(), e.message);
    }
}

/// The one step of every command that reads the mappings of a workspace
/// (`stats`, `export`, `site`): loads the workspace of `path`, then refuses
/// to go on when anything could not be read or when a file asked for has
/// syntax errors (a mapping lost to a syntax error would otherwise be
/// silently missing from the result). Problems are printed on standard
/// error, then `error: NOTHING` (`nothing exported`, ...); `Err` holds the
/// exit status: 2 for a load problem, 1 for syntax errors.
pub fn load_readable(
    path: &std::path::Path,
    nothing: &str,
) -> Result<crate::model::load::Loaded, u8> {
    let (mut loads, errors) = crate::model::load::load_paths(&[path.to_path_buf()]);
    if !errors.is_empty() || loads.is_empty() {
        print_load_errors(&errors);
        eprintln!("error: {nothing}");
        return Err(EXIT_FAILURE);
    }
    let loaded = loads.swap_remove(0);
    let ws = &loaded.workspace;
    let broken: Vec<&str> = loaded
        .requested
        .iter()
        .map(|&id| ws.file(id))
        .filter(|f| !f.parse.errors.is_empty())
        .map(|f| f.name.as_str())
        .collect();
    if !broken.is_empty() {
        for name in broken {
            eprintln!("error: {name}: syntax errors; run `xwalk check {name}`");
        }
        eprintln!("error: {nothing}");
        return Err(EXIT_FINDINGS);
    }
    Ok(loaded)
}
