//! The `LanguageServer` implementation: one line per method, each calling a
//! handler that finds its document with [`Server::at`] or [`Server::doc`]
//! in the latest snapshot, calls one `ide` function and converts the result
//! (`convert.rs`).

mod display;
mod editing;
mod navigation;

use std::sync::Arc;

use tower_lsp_server::LanguageServer;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::capabilities::{ClientSupport, initialize_result};
use super::diagnostics;
use super::lifecycle::{self, Phase};
use super::owner::Message;
use super::server::Server;

/// What tower-lsp-server calls: a handle on the one [`Server`].
pub struct Backend(pub Arc<Server>);

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        if let Some(opts) = &params.initialization_options {
            self.0.change(Message::Settings(Some(opts.clone())));
        }
        let support = ClientSupport::parse(&params);
        let result = initialize_result(&support);
        self.0.set_support(support);
        Ok(result)
    }

    async fn initialized(&self, _: InitializedParams) {
        lifecycle::start(self.0.clone()).await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.0.lifecycle.set(Phase::ShutDown);
        Ok(())
    }

    // `didChangeConfiguration`, `didChangeWatchedFiles` and
    // `didChangeWorkspaceFolders`, like the document notifications, never
    // reach here: the ordered path sends them to the owner.

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        Ok(editing::completion(&self.0, params))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        Ok(navigation::hover(&self.0, params))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        Ok(navigation::definition(&self.0, params))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        Ok(navigation::references(&self.0, params))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        navigation::prepare_rename(&self.0, params)
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        navigation::rename(&self.0, params)
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        Ok(navigation::document_symbols(&self.0, params))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        Ok(navigation::workspace_symbols(&self.0, params))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        Ok(editing::code_actions(&self.0, params).await)
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        Ok(display::inlay_hints(&self.0, params))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        Ok(display::code_lenses(&self.0, params))
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        Ok(display::semantic_tokens(&self.0, params))
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        Ok(display::semantic_tokens_delta(&self.0, params))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        Ok(display::folding_ranges(&self.0, params))
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        Ok(display::selection_ranges(&self.0, params))
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        Ok(display::document_links(&self.0, params))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        Ok(editing::formatting(&self.0, params).await)
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        Ok(editing::range_formatting(&self.0, params).await)
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        Ok(diagnostics::pull(&self.0, params).await)
    }

    async fn workspace_diagnostic(
        &self,
        _: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        diagnostics::pull_workspace(&self.0).await
    }
}
