//! Output of diagnostics: human (codespan-reporting) and JSON.

use std::io::{IsTerminal, Write};
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use super::ColorChoice;
use super::check::Summary;
use crate::check::{Diagnostic, Severity};
use crate::model::load::Loaded;
use crate::model::{FileId, Workspace};

/// A workspace seen as a codespan-reporting file database.
pub struct WorkspaceFiles<'a>(pub &'a Workspace);

impl<'a> Files<'a> for WorkspaceFiles<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.file(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.file(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.0.file(id).lines.line(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.0.file(id);
        let count = file.lines.line_count();
        if line_index >= count {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: count - 1,
            });
        }
        let start = file.lines.line_start(line_index);
        let end = if line_index + 1 < count {
            file.lines.line_start(line_index + 1)
        } else {
            file.text.len()
        };
        Ok(start..end)
    }
}

/// The codespan-reporting form of a diagnostic.
pub fn to_codespan(d: &Diagnostic) -> CsDiagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info | Severity::Off => CsSeverity::Note,
    };
    let mut labels = vec![Label::primary(d.file, d.range.clone())];
    labels.extend(
        d.related
            .iter()
            .map(|r| Label::secondary(r.file, r.range.clone()).with_message(r.message.clone())),
    );
    let mut diagnostic = CsDiagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(d.message.clone())
        .with_labels(labels);
    if let Some(help) = &d.help {
        diagnostic = diagnostic.with_notes(vec![format!("help: {help}")]);
    }
    diagnostic
}

/// Renders diagnostics for people, without colour.
pub fn human_string(ws: &Workspace, diagnostics: &[Diagnostic]) -> String {
    let files = WorkspaceFiles(ws);
    let config = term::Config::default();
    let mut out = String::new();
    for d in diagnostics {
        let _ = term::emit_to_string(&mut out, &config, &files, &to_codespan(d));
    }
    out
}

pub fn human(
    results: &[(&Loaded, Vec<Diagnostic>)],
    total: &Summary,
    color: ColorChoice,
) -> std::io::Result<()> {
    let choice = match color {
        ColorChoice::Always => termcolor::ColorChoice::Always,
        ColorChoice::Never => termcolor::ColorChoice::Never,
        ColorChoice::Auto if std::io::stdout().is_terminal() => termcolor::ColorChoice::Auto,
        ColorChoice::Auto => termcolor::ColorChoice::Never,
    };
    let stream = termcolor::StandardStream::stdout(choice);
    let mut out = stream.lock();
    let config = term::Config::default();
    for (loaded, diagnostics) in results {
        let files = WorkspaceFiles(&loaded.workspace);
        for d in diagnostics {
            term::emit_to_write_style(&mut out, &config, &files, &to_codespan(d))
                .map_err(std::io::Error::other)?;
        }
    }
    writeln!(out, "{total}")?;
    out.flush()
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: &'a Summary,
}

/// A position-resolved diagnostic: 1-based lines and columns, columns in
/// characters, the end exclusive.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: &'a str,
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
pub struct JsonRelated<'a> {
    pub message: &'a str,
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
}

pub fn json_diagnostic<'a>(ws: &'a Workspace, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let file = ws.file(d.file);
    let (line, column) = file.lines.line_col(&file.text, d.range.start);
    let (end_line, end_column) = file.lines.line_col(&file.text, d.range.end);
    JsonDiagnostic {
        code: d.code.as_str(),
        severity: d.severity.as_str(),
        message: &d.message,
        file: &file.name,
        line,
        column,
        end_line,
        end_column,
        help: d.help.as_deref(),
        related: d
            .related
            .iter()
            .map(|r| {
                let rf = ws.file(r.file);
                let (line, column) = rf.lines.line_col(&rf.text, r.range.start);
                JsonRelated {
                    message: &r.message,
                    file: &rf.name,
                    line,
                    column,
                }
            })
            .collect(),
    }
}

pub fn json(
    out: &mut impl Write,
    results: &[(&Loaded, Vec<Diagnostic>)],
    total: &Summary,
) -> std::io::Result<()> {
    let diagnostics = results
        .iter()
        .flat_map(|(loaded, ds)| ds.iter().map(|d| json_diagnostic(&loaded.workspace, d)))
        .collect();
    let output = JsonOutput {
        diagnostics,
        summary: total,
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}
