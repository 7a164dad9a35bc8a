//! Output of diagnostics: human (codespan-reporting, from the excerpts of
//! `excerpt.rs`), JSON, JSON lines,
//! GitHub workflow commands and SARIF 2.1.0.

use std::io::{IsTerminal, Write};
use std::ops::Range;

use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use super::ColorChoice;
use super::check::Summary;
use super::excerpt;
use crate::check::{Code, Diagnostic, Severity};
use crate::model::load::Loaded;
use crate::model::{FileId, Workspace};

/// Renders diagnostics for people, without colour.
pub fn human_string(ws: &Workspace, diagnostics: &[Diagnostic]) -> String {
    let config = term::Config::default();
    let mut out = String::new();
    for d in diagnostics {
        let (excerpt, diagnostic) = excerpt::prepare(ws, d);
        let _ = term::emit_to_string(&mut out, &config, &excerpt, &diagnostic);
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
        for d in diagnostics {
            let (excerpt, diagnostic) = excerpt::prepare(&loaded.workspace, d);
            term::emit_to_write_style(&mut out, &config, &excerpt, &diagnostic)
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
    let (line, column) = file.line_index().line_col(&file.text, d.range.start);
    let (end_line, end_column) = file.line_index().line_col(&file.text, d.range.end);
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
                let (line, column) = rf.line_index().line_col(&rf.text, r.range.start);
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

/// One JSON object per line per diagnostic (the objects of `json`'s
/// `diagnostics` array), and nothing else.
pub fn json_lines(
    out: &mut impl Write,
    results: &[(&Loaded, Vec<Diagnostic>)],
) -> std::io::Result<()> {
    for (loaded, ds) in results {
        for d in ds {
            serde_json::to_writer(&mut *out, &json_diagnostic(&loaded.workspace, d))?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// GitHub Actions workflow commands: one annotation per diagnostic, then
/// the summary line (plain text in the log).
pub fn github(
    out: &mut impl Write,
    results: &[(&Loaded, Vec<Diagnostic>)],
    total: &Summary,
) -> std::io::Result<()> {
    for (loaded, ds) in results {
        for d in ds {
            writeln!(
                out,
                "{}",
                github_annotation(&json_diagnostic(&loaded.workspace, d))
            )?;
        }
    }
    writeln!(out, "{total}")
}

/// `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=CODE::MESSAGE`
/// (`::warning` for warnings, `::notice` for infos). The help, if any,
/// follows the message on a second line.
pub fn github_annotation(d: &JsonDiagnostic) -> String {
    let command = match d.severity {
        "error" => "error",
        "warning" => "warning",
        _ => "notice",
    };
    let mut message = d.message.to_string();
    if let Some(help) = d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        github_property(d.file),
        d.line,
        d.column,
        d.end_line,
        d.end_column,
        github_property(d.code),
        github_data(&message),
    )
}

/// Escapes the message of a workflow command.
fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Is `url` absolute (`scheme://...`)?
pub fn is_absolute_url(url: &str) -> bool {
    url.split_once("://").is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// A file name as a SARIF artifact URI: a relative reference for a
/// relative path, a `file:` URI for an absolute one; percent-encoded.
pub fn artifact_uri(name: &str) -> String {
    let mut encoded = String::with_capacity(name.len());
    for (i, b) in name.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (b == b':' && i == 1);
        if keep {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    if name.starts_with('/') {
        format!("file://{encoded}")
    } else if name.as_bytes().get(1) == Some(&b':') {
        format!("file:///{encoded}")
    } else {
        encoded
    }
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Off => "note",
    }
}

fn sarif_region(ws: &Workspace, file: FileId, range: &Range<usize>) -> serde_json::Value {
    let f = ws.file(file);
    let (start_line, start_column) = f.line_index().line_col(&f.text, range.start);
    let (end_line, end_column) = f.line_index().line_col(&f.text, range.end);
    serde_json::json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    })
}

fn sarif_location(ws: &Workspace, file: FileId, range: &Range<usize>) -> serde_json::Value {
    serde_json::json!({
        "physicalLocation": {
            "artifactLocation": { "uri": artifact_uri(&ws.file(file).name) },
            "region": sarif_region(ws, file, range),
        }
    })
}

/// The SARIF rule of each code: its summary as help text and a link to its
/// section of docs/diagnostics.md (`helpUri` when `docs_url`, the absolute
/// URL of that page, is known; the relative link is always in the help).
pub fn sarif_rules(docs_url: Option<&str>) -> Vec<serde_json::Value> {
    Code::ALL
        .iter()
        .map(|&code| {
            let summary = code.summary();
            let link = match docs_url {
                Some(base) => format!("{base}#{code}"),
                None => code.doc_url(),
            };
            let mut rule = serde_json::json!({
                "id": code.as_str(),
                "shortDescription": { "text": summary },
                "fullDescription": { "text": summary },
                "help": {
                    "text": format!("{summary} See {link}"),
                    "markdown": format!("{summary}\n\nSee [`{code}` in the diagnostics reference]({link})."),
                },
                "defaultConfiguration": { "level": sarif_level(code.default_severity()) },
            });
            if docs_url.is_some() {
                rule["helpUri"] = serde_json::Value::String(link);
            }
            rule
        })
        .collect()
}

/// The SARIF 2.1.0 log of a run: one run, the rules of every code, one
/// result per diagnostic with its physical location, related locations and
/// fix.
pub fn sarif_log(
    results: &[(&Loaded, Vec<Diagnostic>)],
    docs_url: Option<&str>,
) -> serde_json::Value {
    let mut sarif_results = Vec::new();
    for (loaded, ds) in results {
        let ws = &loaded.workspace;
        for d in ds {
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let mut result = serde_json::json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|&c| c == d.code).unwrap_or(0),
                "level": sarif_level(d.severity),
                "message": { "text": message },
                "locations": [sarif_location(ws, d.file, &d.range)],
            });
            if !d.related.is_empty() {
                result["relatedLocations"] = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let mut loc = sarif_location(ws, r.file, &r.range);
                        loc["id"] = i.into();
                        loc["message"] = serde_json::json!({ "text": r.message });
                        loc
                    })
                    .collect();
            }
            if let Some(fix) = &d.fix {
                result["fixes"] = serde_json::json!([{
                    "description": { "text": d.help.clone().unwrap_or_else(|| format!("replace with `{}`", fix.replacement)) },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": artifact_uri(&ws.file(d.file).name) },
                        "replacements": [{
                            "deletedRegion": sarif_region(ws, d.file, &d.range),
                            "insertedContent": { "text": fix.replacement },
                        }],
                    }],
                }]);
            }
            sarif_results.push(result);
        }
    }
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "xwalk",
                    "fullName": "Crosswalk (xwalk)",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": sarif_rules(docs_url),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": sarif_results,
        }],
    })
}

pub fn sarif(
    out: &mut impl Write,
    results: &[(&Loaded, Vec<Diagnostic>)],
    docs_url: Option<&str>,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &sarif_log(results, docs_url))?;
    writeln!(out)
}
