//! `xwalk check`.

use std::io::Write;

use rayon::prelude::*;

use super::render;
use super::{CheckArgs, EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK, Format};
use crate::check::{self, Diagnostic};
use crate::model::load::{self, Loaded};

/// Totals for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub mappings: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Diagnostics of severity `info` (printed `note[...]`).
    pub notes: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::plural::plural as s;
        write!(
            f,
            "{}, {}, {}: {}, {}",
            s(self.files, "file", "files"),
            s(self.documents, "document", "documents"),
            s(self.mappings, "mapping", "mappings"),
            s(self.errors, "error", "errors"),
            s(self.warnings, "warning", "warnings"),
        )?;
        if self.notes > 0 {
            write!(f, ", {}", s(self.notes, "note", "notes"))?;
        }
        Ok(())
    }
}

/// The diagnostics of the requested files of one load, and their totals.
pub fn diagnose(loaded: &Loaded) -> (Vec<Diagnostic>, Summary) {
    let ws = &loaded.workspace;
    // By id: a search of the list per diagnostic grows with the square of
    // the workspace.
    let mut requested = vec![false; ws.files.len()];
    for id in &loaded.requested {
        requested[id.0 as usize] = true;
    }
    let diagnostics: Vec<Diagnostic> = check::check(ws)
        .into_iter()
        .filter(|d| requested[d.file.0 as usize])
        .collect();
    let (errors, warnings) = check::count(&diagnostics);
    let mut summary = Summary {
        files: loaded.requested.len(),
        errors,
        warnings,
        notes: diagnostics
            .iter()
            .filter(|d| d.severity == check::Severity::Info)
            .count(),
        ..Summary::default()
    };
    // In parallel: this reads every map of a large workspace.
    (summary.documents, summary.mappings) = loaded
        .requested
        .par_iter()
        .map(|&id| {
            let ast = &ws.file(id).parse.ast;
            let targets = ast.maps.iter().map(|m| m.targets.len()).sum::<usize>();
            (ast.documents.len(), targets)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    (diagnostics, summary)
}

/// Asks glibc's allocator to grow its heaps 64 MB at a time (the default
/// is 128 KB): a large check allocates most of a gigabyte, in many small
/// blocks, from the worker threads' heaps, and each growth is a system
/// call taking the process's memory lock (`mprotect`), which the page
/// faults of the other thread wait for. Only the address space is
/// reserved: untouched pages are not memory in use. About 5% of the CPU
/// time of a check of 1,000,000 mappings (docs/performance.md).
fn grow_heaps_in_large_steps() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets a tunable of the allocator; it is
    // called before the check allocates from other threads.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

pub fn run(args: &CheckArgs) -> u8 {
    grow_heaps_in_large_steps();
    if let Some(url) = &args.docs_url
        && !render::is_absolute_url(url)
    {
        eprintln!("error: --docs-url must be an absolute URL (https://...), got `{url}`");
        return EXIT_FAILURE;
    }
    if (args.fix || args.diff)
        && let Some(status) = super::fix::run(args)
    {
        return status;
    }
    let (loads, load_errors) = load::load_paths(&args.paths);
    if loads.is_empty() {
        // Nothing was checked: the errors only, no summary of nothing.
        super::print_load_errors(&load_errors);
        return EXIT_FAILURE;
    }
    let mut total = Summary::default();
    let mut results = Vec::new();
    for loaded in &loads {
        let (diagnostics, summary) = diagnose(loaded);
        total.files += summary.files;
        total.documents += summary.documents;
        total.mappings += summary.mappings;
        total.errors += summary.errors;
        total.warnings += summary.warnings;
        total.notes += summary.notes;
        results.push((loaded, diagnostics));
    }
    let stdout = std::io::stdout();
    let written = match args.format {
        Format::Human => render::human(&results, &total, args.color),
        Format::Json => {
            let mut out = stdout.lock();
            render::json(&mut out, &results, &total).and_then(|_| out.flush())
        }
        Format::JsonLines => {
            let mut out = stdout.lock();
            render::json_lines(&mut out, &results).and_then(|_| out.flush())
        }
        Format::Github => {
            let mut out = stdout.lock();
            render::github(&mut out, &results, &total).and_then(|_| out.flush())
        }
        Format::Sarif => {
            let mut out = stdout.lock();
            render::sarif(&mut out, &results, args.docs_url.as_deref()).and_then(|_| out.flush())
        }
    };
    super::print_load_errors(&load_errors);
    // The process ends here: freeing the workspaces (every AST node of
    // every file, one thread) would add a tenth to a large check.
    std::mem::forget(results);
    std::mem::forget(loads);
    if written.is_err() {
        return EXIT_FAILURE;
    }
    if !load_errors.is_empty() {
        EXIT_FAILURE
    } else if total.errors > 0 || (args.error_on_warnings && total.warnings > 0) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
