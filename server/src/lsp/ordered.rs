//! The one ordered path for document edits.
//!
//! tower-lsp-server calls `Service::call` in the order messages arrive but
//! runs the handlers' futures concurrently, so two `didChange`s could be
//! applied out of order. This wrapper applies `didOpen`, `didChange` and
//! `didClose` synchronously inside `call`, before the next message is read;
//! every later request therefore sees every earlier edit. It also answers
//! the transport's markers for malformed messages.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use serde_json::Value;
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, Uri,
};
use tower_lsp_server::{ExitedError, LspService};

use super::transport::{INVALID_REQUEST, PARSE_ERROR};
use super::{Backend, Shared};

pub struct Ordered {
    inner: LspService<Backend>,
    shared: Arc<Shared>,
}

type Reply = Pin<Box<dyn Future<Output = Result<Option<Response>, ExitedError>> + Send>>;

fn ready(response: Option<Response>) -> Reply {
    Box::pin(std::future::ready(Ok(response)))
}

/// The file path of a `file:` URI.
pub fn uri_path(uri: &Uri) -> Option<std::path::PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

impl Ordered {
    pub fn new(inner: LspService<Backend>, shared: Arc<Shared>) -> Ordered {
        Ordered { inner, shared }
    }

    pub fn inner(&self) -> &LspService<Backend> {
        &self.inner
    }

    /// Applies a document notification; returns a message for the log
    /// when it had to be ignored.
    fn apply(&self, method: &str, params: Option<Value>) -> Option<String> {
        let params = params.unwrap_or(Value::Null);
        match method {
            "textDocument/didOpen" => {
                let p: DidOpenTextDocumentParams = serde_json::from_value(params).ok()?;
                let path = uri_path(&p.text_document.uri)?;
                self.shared.state().open(
                    p.text_document.uri,
                    path,
                    p.text_document.version,
                    p.text_document.text,
                );
                None
            }
            "textDocument/didChange" => {
                let p: DidChangeTextDocumentParams = match serde_json::from_value(params) {
                    Ok(p) => p,
                    Err(e) => return Some(format!("ignored a malformed didChange: {e}")),
                };
                let path = uri_path(&p.text_document.uri)?;
                self.shared
                    .state()
                    .change(&path, p.text_document.version, p.content_changes)
                    .err()
            }
            "textDocument/didClose" => {
                let p: DidCloseTextDocumentParams = serde_json::from_value(params).ok()?;
                let path = uri_path(&p.text_document.uri)?;
                self.shared.state().close(&path);
                None
            }
            _ => None,
        }
    }
}

impl Service<Request> for Ordered {
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = Reply;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Reply {
        match req.method() {
            "textDocument/didOpen" | "textDocument/didChange" | "textDocument/didClose" => {
                let (method, _, params) = req.into_parts();
                let problem = self.apply(&method, params);
                self.shared.changed.notify_one();
                if let Some(message) = problem {
                    self.inner
                        .inner()
                        .log(tower_lsp_server::ls_types::MessageType::WARNING, message);
                }
                ready(None)
            }
            PARSE_ERROR => ready(Some(Response::from_parts(
                Id::Null,
                Err(Error::parse_error()),
            ))),
            INVALID_REQUEST => {
                let (_, _, params) = req.into_parts();
                let id = params
                    .and_then(|p| p.get("id").cloned())
                    .and_then(|id| serde_json::from_value::<Id>(id).ok())
                    .unwrap_or(Id::Null);
                ready(Some(Response::from_parts(
                    id,
                    Err(Error::invalid_request()),
                )))
            }
            _ => {
                // The transport polls every handler inside the one task
                // that also writes to stdout; a handler doing seconds of
                // work there would hold back every message already sent.
                // Run it as its own task instead (eagerly, so it starts
                // now), where blocking work cannot stall the transport.
                let id = req.id().cloned();
                let future = self.inner.call(req);
                match tokio::runtime::Handle::try_current() {
                    Ok(runtime) => {
                        let task = runtime.spawn(future);
                        Box::pin(async move {
                            // A handler that panicked answers with an
                            // internal error; the server goes on.
                            task.await.unwrap_or_else(|_| {
                                Ok(id.map(|id| Response::from_error(id, Error::internal_error())))
                            })
                        })
                    }
                    Err(_) => future,
                }
            }
        }
    }
}
