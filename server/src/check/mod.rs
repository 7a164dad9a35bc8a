//! `check`: the diagnostic rules, pure functions over the model.
//!
//! One file per family of diagnostics. The CLI and the language server both
//! call [`check`], so they report the same diagnostics.

mod analysis;
#[cfg(test)]
pub(crate) mod annotations;
mod duplicates;
mod fields;
mod granularity;
mod references;
mod sharded;
pub mod suggest;
mod syntax;
mod text;

pub use crate::codes::{Code, Severity};
use crate::model::{FileId, Workspace};
use crate::syntax::TextRange;

pub use analysis::Analysis;
pub use suggest::did_you_mean;

/// A finding, located by byte range in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub file: FileId,
    pub range: TextRange,
    pub message: String,
    pub help: Option<String>,
    /// Other places that explain this one ("first declared here").
    pub related: Vec<Related>,
    /// A replacement for `range` that fixes the problem, when there is one
    /// (a quick fix in the editor; applied by fix-all only when sure).
    pub fix: Option<Fix>,
}

/// A replacement for a diagnostic's range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub replacement: String,
    /// How sure the fix is: `Sure` fixes are the preferred quick fix and
    /// `xwalk check --fix` applies them; guesses are offered to a person.
    pub kind: FixKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixKind {
    /// The one outcome, and the mapping means what it meant: the one
    /// provision a superseded target is replaced by, tidied whitespace.
    Sure,
    /// A likely replacement that may change what the mapping means: the
    /// did-you-mean of an unknown name (by edit distance `I.2.n` is near
    /// `I.2.a`, `subset-of` near `superset-of`).
    Guess,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub range: TextRange,
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        code: Code,
        file: FileId,
        range: TextRange,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.default_severity(),
            file,
            range,
            message: message.into(),
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn help_opt(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    pub fn related(
        mut self,
        file: FileId,
        range: TextRange,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.related.push(Related {
            file,
            range,
            message: message.into(),
        });
        self
    }

    /// A sure fix: see [`FixKind::Sure`].
    pub fn fix(mut self, replacement: impl Into<String>) -> Diagnostic {
        self.fix = Some(Fix {
            replacement: replacement.into(),
            kind: FixKind::Sure,
        });
        self
    }

    /// A guessed fix: see [`FixKind::Guess`].
    pub fn guess(mut self, replacement: impl Into<String>) -> Diagnostic {
        self.fix = Some(Fix {
            replacement: replacement.into(),
            kind: FixKind::Guess,
        });
        self
    }
}

/// Every diagnostic of the workspace's own files (never of built-in
/// catalogs), with the severities of `xwalk.toml` applied and `off` codes
/// removed, sorted by file and position.
pub fn check(ws: &Workspace) -> Vec<Diagnostic> {
    analysis(ws).diagnostics(ws)
}

/// The analysis of this version of the workspace, derived on first use from
/// an earlier version's (see [`Analysis`]).
pub fn analysis(ws: &Workspace) -> &std::sync::Arc<Analysis> {
    ws.table::<Analysis>()
}

/// The severity of `code` in `file`: `[lint]` and the `[lint.per-file]`
/// tables whose glob matches the file's path.
pub fn severity(ws: &Workspace, file: FileId, code: Code) -> Severity {
    ws.config.severity_in(per_file_path(ws, file), code)
}

/// The severity of every code (in `Code::ALL` order) in `file`.
pub fn severities(ws: &Workspace, file: FileId) -> Vec<Severity> {
    ws.config.severities_for(per_file_path(ws, file))
}

/// The path the `[lint.per-file]` globs are matched against: `file`'s,
/// relative to the root; `None` (only `[lint]` applies) when there are no
/// such tables, without computing it (a rule may ask per reference).
fn per_file_path(ws: &Workspace, file: FileId) -> Option<&std::path::Path> {
    if ws.config.per_file.is_empty() {
        return None;
    }
    crate::model::per_file::relative_to(ws.root.as_deref(), &ws.file(file).path)
}

/// Counts of errors and warnings.
pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    (errors, warnings)
}
