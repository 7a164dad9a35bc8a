//! Quick fixes for diagnostics: replace with the suggestion a diagnostic
//! carries (did-you-mean, the newer edition's id, the tidy text), or remove
//! a duplicate mapping.

use super::TextEdit;
use crate::check::{Code, Diagnostic};
use crate::model::Workspace;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    /// The diagnostic it fixes.
    pub diagnostic: Diagnostic,
    pub edits: Vec<TextEdit>,
    /// The obvious fix, safe to apply without reading it.
    pub preferred: bool,
}

/// Quick fixes for the given diagnostics (those of one file, overlapping
/// the range the client asked about).
pub fn quick_fixes(ws: &Workspace, diagnostics: &[Diagnostic]) -> Vec<CodeAction> {
    let mut out = Vec::new();
    for d in diagnostics {
        if let Some(fix) = &d.fix {
            let title = match d.code {
                Code::UntidyText => "Tidy whitespace".to_string(),
                Code::SupersededReference => format!("Map to `{fix}` instead"),
                _ => format!("Replace with `{fix}`"),
            };
            out.push(CodeAction {
                title,
                diagnostic: d.clone(),
                edits: vec![TextEdit {
                    file: d.file,
                    range: d.range.clone(),
                    new_text: fix.clone(),
                }],
                preferred: true,
            });
        }
        if d.code == Code::DuplicateMapping
            && let Some(edit) = remove_target(ws, d)
        {
            out.push(CodeAction {
                title: "Remove the duplicate mapping".into(),
                diagnostic: d.clone(),
                edits: vec![edit],
                preferred: true,
            });
        }
    }
    out
}

/// Removes the duplicated target: the whole `map` when it is the only
/// target, otherwise the target and its separating comma.
fn remove_target(ws: &Workspace, d: &Diagnostic) -> Option<TextEdit> {
    let file = ws.file(d.file);
    let text = &file.text;
    let map = file
        .parse
        .ast
        .maps
        .iter()
        .find(|m| m.targets.iter().any(|t| t.range() == d.range))?;
    if map.targets.len() == 1 {
        let start = text[..map.range.start].rfind('\n').map_or(0, |i| i + 1);
        let line_prefix_blank = text[start..map.range.start].trim().is_empty();
        let start = if line_prefix_blank {
            start
        } else {
            map.range.start
        };
        let mut end = map.range.end;
        if text[end..].starts_with('\n') {
            end += 1;
        }
        return Some(TextEdit {
            file: d.file,
            range: start..end,
            new_text: String::new(),
        });
    }
    let i = map.targets.iter().position(|t| t.range() == d.range)?;
    let range = if i > 0 {
        map.targets[i - 1].range().end..d.range.end
    } else {
        d.range.start..map.targets[1].range().start
    };
    Some(TextEdit {
        file: d.file,
        range,
        new_text: String::new(),
    })
}
