//! What an editor draws over a document: inlay hints, code lenses,
//! semantic tokens, folding and selection ranges, links.

use std::sync::atomic::Ordering;

use tower_lsp_server::ls_types::*;

use crate::ide;
use crate::lsp::convert::{self, uri_path};
use crate::lsp::server::{Server, lock};

pub fn inlay_hints(s: &Server, p: InlayHintParams) -> Option<Vec<InlayHint>> {
    if !s.settings().inlay_hints {
        return Some(Vec::new());
    }
    let doc = s.doc(&p.text_document.uri)?;
    let hints = ide::inlay_hints::inlay_hints(&doc.ws, doc.file, doc.text_range(p.range));
    Some(
        hints
            .into_iter()
            .map(|h| InlayHint {
                position: doc.position(h.offset),
                label: InlayHintLabel::String(h.label),
                kind: None,
                text_edits: None,
                tooltip: h.tooltip.map(InlayHintTooltip::String),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect(),
    )
}

pub fn code_lenses(s: &Server, p: CodeLensParams) -> Option<Vec<CodeLens>> {
    if !s.settings().code_lens {
        return Some(Vec::new());
    }
    let doc = s.doc(&p.text_document.uri)?;
    let lenses = ide::code_lens::code_lenses(&doc.ws, doc.file);
    Some(
        lenses
            .into_iter()
            .map(|l| CodeLens {
                range: doc.range(&l.range),
                command: Some(Command {
                    title: l.title,
                    command: String::new(),
                    arguments: None,
                }),
                data: None,
            })
            .collect(),
    )
}

/// A document's semantic tokens under a new result id, kept for the next
/// delta; with the ones kept before.
fn record_tokens(s: &Server, uri: &Uri) -> Option<Recorded> {
    let doc = s.doc(uri)?;
    let tokens = ide::semantic_tokens::semantic_tokens(&doc.ws, doc.file);
    let data = convert::semantic_tokens(doc.ws.file(doc.file), &tokens, doc.enc);
    let id = s.next_result_id.fetch_add(1, Ordering::Relaxed);
    let previous = lock(&s.tokens).insert(uri_path(uri)?, (id, data.clone()));
    Some(Recorded { id, data, previous })
}

struct Recorded {
    id: u64,
    data: Vec<SemanticToken>,
    previous: Option<(u64, Vec<SemanticToken>)>,
}

pub fn semantic_tokens(s: &Server, p: SemanticTokensParams) -> Option<SemanticTokensResult> {
    let r = record_tokens(s, &p.text_document.uri)?;
    Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: Some(r.id.to_string()),
        data: r.data,
    }))
}

pub fn semantic_tokens_delta(
    s: &Server,
    p: SemanticTokensDeltaParams,
) -> Option<SemanticTokensFullDeltaResult> {
    let r = record_tokens(s, &p.text_document.uri)?;
    Some(match r.previous {
        Some((prev_id, prev)) if prev_id.to_string() == p.previous_result_id => {
            SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                result_id: Some(r.id.to_string()),
                edits: convert::token_edits(&prev, &r.data),
            })
        }
        _ => SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
            result_id: Some(r.id.to_string()),
            data: r.data,
        }),
    })
}

pub fn folding_ranges(s: &Server, p: FoldingRangeParams) -> Option<Vec<FoldingRange>> {
    let doc = s.doc(&p.text_document.uri)?;
    let folds = ide::folding::folding_ranges(&doc.ws, doc.file);
    Some(
        folds
            .into_iter()
            .map(|f| FoldingRange {
                start_line: f.start_line as u32,
                end_line: f.end_line as u32,
                kind: Some(match f.kind {
                    ide::folding::FoldKind::Region => FoldingRangeKind::Region,
                    ide::folding::FoldKind::Comment => FoldingRangeKind::Comment,
                }),
                ..FoldingRange::default()
            })
            .collect(),
    )
}

pub fn selection_ranges(s: &Server, p: SelectionRangeParams) -> Option<Vec<SelectionRange>> {
    let doc = s.doc(&p.text_document.uri)?;
    let chain = |pos: Position| {
        let ranges = ide::selection::selection_ranges(&doc.ws, doc.file, doc.offset(pos));
        convert::selection_chain(ranges.iter().map(|r| doc.range(r)).collect(), pos)
    };
    Some(p.positions.into_iter().map(chain).collect())
}

pub fn document_links(s: &Server, p: DocumentLinkParams) -> Option<Vec<DocumentLink>> {
    let doc = s.doc(&p.text_document.uri)?;
    let links = ide::links::document_links(&doc.ws, doc.file);
    Some(
        links
            .into_iter()
            .map(|l| DocumentLink {
                range: doc.range(&l.range),
                target: l.target.parse().ok(),
                tooltip: Some(l.target),
                data: None,
            })
            .collect(),
    )
}
