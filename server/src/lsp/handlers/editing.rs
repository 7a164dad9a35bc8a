//! Completion, code actions, formatting.

use tower_lsp_server::ls_types::*;

use crate::check;
use crate::ide;
use crate::lsp::convert::completion_kind;
use crate::lsp::diagnostics::lsp_diagnostics;
use crate::lsp::server::Server;

pub fn completion(s: &Server, p: CompletionParams) -> Option<CompletionResponse> {
    let at = s.at(&p.text_document_position)?;
    let doc = &at.doc;
    // The items of a list replace the same range, as a rule: converted once.
    let mut last: Option<(std::ops::Range<usize>, Range)> = None;
    let mut range = |r: std::ops::Range<usize>| match &last {
        Some((at, range)) if *at == r => *range,
        _ => {
            let range = doc.range(&r);
            last = Some((r, range));
            range
        }
    };
    let items = ide::completion::completions(&doc.ws, doc.file, at.offset)
        .into_iter()
        .map(|c| CompletionItem {
            label: c.label,
            label_details: c.detail.as_ref().map(|d| CompletionItemLabelDetails {
                detail: None,
                description: Some(d.clone()),
            }),
            kind: Some(completion_kind(c.kind)),
            detail: c.detail,
            documentation: c.documentation.map(|d| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: d,
                })
            }),
            sort_text: Some(c.sort_text),
            filter_text: Some(c.filter_text),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: range(c.replace),
                new_text: c.insert_text,
            })),
            ..CompletionItem::default()
        })
        .collect();
    Some(CompletionResponse::List(CompletionList {
        is_incomplete: true,
        items,
    }))
}

pub async fn code_actions(s: &Server, p: CodeActionParams) -> Option<CodeActionResponse> {
    let (ws, file, diagnostics) = s.check_diagnostics(&p.text_document.uri).await?;
    let doc = s.doc_of(ws, file);
    let wanted = doc.text_range(p.range);
    // Only when asked for by kind: fixing all checks the workspace again.
    let fix_all = (p.context.only.iter().flatten())
        .any(|k| ide::fix_all::KIND.starts_with(k.as_str()))
        .then(|| ide::fix_all::action(&doc.ws, doc.file, diagnostics.clone()))
        .flatten();
    let diagnostics: Vec<check::Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| d.range.start <= wanted.end && wanted.start <= d.range.end)
        .collect();
    let mut out = Vec::new();
    let quick_fixes = ide::code_actions::quick_fixes(&doc.ws, &diagnostics);
    let actions = (quick_fixes
        .into_iter()
        .map(|a| (a, CodeActionKind::QUICKFIX)))
    .chain(fix_all.map(|a| (a, CodeActionKind::new(ide::fix_all::KIND))));
    for (action, kind) in actions {
        // An action whose edit cannot be expressed is not offered.
        let Some(edit) = doc.workspace_edit(&action.edits) else {
            continue;
        };
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: action.title,
            kind: Some(kind),
            diagnostics: Some(lsp_diagnostics(&doc, &[action.diagnostic])),
            edit: Some(edit),
            is_preferred: Some(action.preferred),
            ..CodeAction::default()
        }));
    }
    // No confident suggestion in a document: a disabled action says why.
    for quiet in ide::suggested::not_confident(&doc.ws, doc.file, wanted.clone()) {
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: quiet.title,
            kind: Some(CodeActionKind::REFACTOR),
            disabled: Some(CodeActionDisabled {
                reason: quiet.reason,
            }),
            ..CodeAction::default()
        }));
    }
    let assists = ide::suggested::assists(&doc.ws, doc.file, wanted.clone())
        .into_iter()
        .chain(ide::chains::assists(&doc.ws, doc.file, wanted));
    for assist in assists {
        let Some(edit) = doc.workspace_edit(&assist.edits) else {
            continue;
        };
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: assist.title,
            kind: Some(CodeActionKind::REFACTOR),
            edit: Some(edit),
            ..CodeAction::default()
        }));
    }
    Some(out)
}

pub async fn formatting(s: &Server, p: DocumentFormattingParams) -> Option<Vec<TextEdit>> {
    let doc = s.doc(&p.text_document.uri)?;
    let f = doc.ws.file(doc.file);
    match crate::format::format_parse(&f.text, &f.parse, f.tree()) {
        Ok(formatted) if formatted == f.text => Some(Vec::new()),
        Ok(formatted) => Some(vec![TextEdit {
            range: doc.range(&(0..f.text.len())),
            new_text: formatted,
        }]),
        Err(e) => {
            let message = format!("{}: not formatted: {e}", f.path.display());
            s.log(MessageType::INFO, message).await;
            None
        }
    }
}

pub async fn range_formatting(
    s: &Server,
    p: DocumentRangeFormattingParams,
) -> Option<Vec<TextEdit>> {
    let doc = s.doc(&p.text_document.uri)?;
    let f = doc.ws.file(doc.file);
    match crate::format::format_range_parse(&f.text, &f.parse, f.tree(), doc.text_range(p.range)) {
        Ok(Some(edit)) => Some(vec![TextEdit {
            range: doc.range(&edit.range),
            new_text: edit.text,
        }]),
        Ok(None) => Some(Vec::new()),
        Err(e) => {
            let message = format!("{}: not formatted: {e}", f.path.display());
            s.log(MessageType::INFO, message).await;
            None
        }
    }
}
