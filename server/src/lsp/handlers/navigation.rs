//! Hover, go to definition, references, rename, symbols.

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use crate::ide::{self, FileRange};
use crate::lsp::convert::symbol_kind;
use crate::lsp::server::{Doc, Server};

pub fn hover(s: &Server, p: HoverParams) -> Option<Hover> {
    let at = s.at(&p.text_document_position_params)?;
    let h = ide::hover::hover(&at.doc.ws, at.doc.file, at.offset)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: h.markdown,
        }),
        range: Some(at.doc.range(&h.range)),
    })
}

pub fn definition(s: &Server, p: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let at = s.at(&p.text_document_position_params)?;
    let target = ide::definition::goto_definition(&at.doc.ws, at.doc.file, at.offset)?;
    at.doc.location(&target).map(GotoDefinitionResponse::Scalar)
}

pub fn references(s: &Server, p: ReferenceParams) -> Option<Vec<Location>> {
    let at = s.at(&p.text_document_position)?;
    let found = ide::references::find_references(
        &at.doc.ws,
        at.doc.file,
        at.offset,
        p.context.include_declaration,
    );
    Some(found.iter().filter_map(|fr| at.doc.location(fr)).collect())
}

pub fn prepare_rename(
    s: &Server,
    p: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some(at) = s.at(&p) else { return Ok(None) };
    let (fr, _) = ide::rename::prepare_rename(&at.doc.ws, at.doc.file, at.offset)
        .map_err(|e| Error::invalid_params(e.0))?;
    Ok(Some(PrepareRenameResponse::Range(at.doc.range(&fr.range))))
}

pub fn rename(s: &Server, p: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let Some(at) = s.at(&p.text_document_position) else {
        return Ok(None);
    };
    let edits = ide::rename::rename(&at.doc.ws, at.doc.file, at.offset, &p.new_name)
        .map_err(|e| Error::invalid_params(e.0))?;
    at.doc
        .workspace_edit(&edits)
        .map(Some)
        .ok_or_else(|| internal("a file to edit has no URI"))
}

fn internal(message: &str) -> Error {
    let mut e = Error::internal_error();
    e.message = message.to_string().into();
    e
}

pub fn document_symbols(s: &Server, p: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
    let doc = s.doc(&p.text_document.uri)?;
    fn symbol(doc: &Doc, s: ide::symbols::DocumentSymbol) -> DocumentSymbol {
        #[allow(deprecated)]
        DocumentSymbol {
            name: s.name,
            detail: s.detail,
            kind: symbol_kind(s.kind),
            tags: None,
            deprecated: None,
            range: doc.range(&s.range),
            selection_range: doc.range(&s.selection),
            children: Some(s.children.into_iter().map(|c| symbol(doc, c)).collect()),
        }
    }
    let symbols = ide::symbols::document_symbols(&doc.ws, doc.file);
    Some(DocumentSymbolResponse::Nested(
        symbols.into_iter().map(|s| symbol(&doc, s)).collect(),
    ))
}

pub fn workspace_symbols(s: &Server, p: WorkspaceSymbolParams) -> Option<WorkspaceSymbolResponse> {
    let mut out = Vec::new();
    for root in &s.snapshot().roots {
        let doc = s.workspace_doc(root.ws.clone());
        for sym in ide::symbols::workspace_symbols(&doc.ws, &p.query, 200) {
            let range = FileRange {
                file: sym.file,
                range: sym.range.clone(),
            };
            let Some(location) = doc.location(&range) else {
                continue;
            };
            #[allow(deprecated)]
            out.push(SymbolInformation {
                name: sym.name,
                kind: symbol_kind(sym.kind),
                tags: None,
                deprecated: None,
                location,
                container_name: sym.container,
            });
        }
    }
    Some(WorkspaceSymbolResponse::Flat(out))
}
