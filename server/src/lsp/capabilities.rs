//! What the client can do, parsed once from `initialize` into one struct,
//! and what the server offers in return.

use std::path::PathBuf;

use tower_lsp_server::ls_types::*;

use super::convert::{Encoding, uri_path};
use crate::ide;

/// What the client said it can do, as far as the server cares. Set once by
/// `initialize`; read-only after.
#[derive(Clone, Debug, Default)]
pub struct ClientSupport {
    pub encoding: Encoding,
    /// `textDocument/diagnostic`: the client pulls diagnostics.
    pub pull_diagnostics: bool,
    /// `workspace/diagnostic/refresh` may be sent.
    pub diagnostic_refresh: bool,
    /// `workspace/codeLens/refresh` may be sent.
    pub code_lens_refresh: bool,
    /// `workspace/inlayHint/refresh` may be sent.
    pub inlay_hint_refresh: bool,
    pub watched_files_dynamic: bool,
    pub configuration: bool,
    pub work_done_progress: bool,
    /// The workspace folders (or the root URI).
    pub folders: Vec<PathBuf>,
}

impl ClientSupport {
    pub fn parse(params: &InitializeParams) -> ClientSupport {
        let caps = &params.capabilities;
        let ws = caps.workspace.as_ref();
        ClientSupport {
            encoding: negotiate_encoding(params),
            pull_diagnostics: caps
                .text_document
                .as_ref()
                .is_some_and(|t| t.diagnostic.is_some()),
            diagnostic_refresh: ws
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            code_lens_refresh: ws
                .and_then(|w| w.code_lens.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            inlay_hint_refresh: ws
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            watched_files_dynamic: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
            work_done_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            folders: workspace_folders(params),
        }
    }
}

fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

fn workspace_folders(params: &InitializeParams) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| uri_path(&f.uri))
        .collect();
    #[allow(deprecated)]
    if out.is_empty()
        && let Some(root) = params.root_uri.as_ref().and_then(uri_path)
    {
        out.push(root);
    }
    out
}

/// The server's capabilities, for a client that supports `support`.
pub fn server_capabilities(support: &ClientSupport) -> ServerCapabilities {
    let legend = SemanticTokensLegend {
        token_types: ide::semantic_tokens::TokenType::LEGEND
            .iter()
            .map(|t| SemanticTokenType::new(t))
            .collect(),
        token_modifiers: Vec::new(),
    };
    ServerCapabilities {
        position_encoding: Some(match support.encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), "\"".into()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(ide::fix_all::KIND),
                CodeActionKind::REFACTOR,
            ]),
            ..CodeActionOptions::default()
        })),
        inlay_hint_provider: Some(OneOf::Left(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend,
                full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                range: Some(false),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            },
        )),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        diagnostic_provider: support.pull_diagnostics.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("xwalk".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        ..ServerCapabilities::default()
    }
}

/// The answer to `initialize`.
pub fn initialize_result(support: &ClientSupport) -> InitializeResult {
    InitializeResult {
        server_info: Some(ServerInfo {
            name: "xwalk".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        capabilities: server_capabilities(support),
        offset_encoding: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(caps: serde_json::Value) -> ClientSupport {
        let params: InitializeParams =
            serde_json::from_value(serde_json::json!({ "capabilities": caps })).unwrap();
        ClientSupport::parse(&params)
    }

    #[test]
    fn refresh_support_is_read_per_kind() {
        // Neovim 0.11: pulls diagnostics, advertises no refresh.
        let nvim = parse(serde_json::json!({
            "general": { "positionEncodings": ["utf-8", "utf-16"] },
            "textDocument": { "diagnostic": { "dynamicRegistration": false } },
            "workspace": { "codeLens": { "refreshSupport": false } }
        }));
        assert!(nvim.pull_diagnostics);
        assert!(!nvim.diagnostic_refresh && !nvim.code_lens_refresh && !nvim.inlay_hint_refresh);
        assert_eq!(nvim.encoding, Encoding::Utf8);
        let vscode = parse(serde_json::json!({
            "workspace": {
                "diagnostics": { "refreshSupport": true },
                "codeLens": { "refreshSupport": true },
                "inlayHint": { "refreshSupport": true }
            }
        }));
        assert!(vscode.diagnostic_refresh && vscode.code_lens_refresh && vscode.inlay_hint_refresh);
        assert_eq!(vscode.encoding, Encoding::Utf16);
        assert!(server_capabilities(&vscode).diagnostic_provider.is_none());
        assert!(server_capabilities(&nvim).diagnostic_provider.is_some());
    }
}
