//! The one ordered path into the handlers, and the lifecycle gate.
//!
//! tower-lsp-server runs handlers' futures concurrently, so two
//! `didChange`s could be applied out of order. This wrapper applies
//! `didOpen`, `didChange` and `didClose` synchronously inside `call`, before
//! the next message is read; every later request therefore sees every
//! earlier edit. Every other request waits until indexing has ended (see
//! `lifecycle.rs`), then runs as its own task.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use serde_json::Value;
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, Request, Response};
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, MessageType,
};
use tower_lsp_server::{ExitedError, LspService};

use super::convert::uri_path;
use super::handlers::Backend;
use super::server::Server;

pub struct Ordered {
    inner: LspService<Backend>,
}

type Reply = Pin<Box<dyn Future<Output = Result<Option<Response>, ExitedError>> + Send>>;

/// Messages answered without waiting for indexing: the lifecycle itself.
fn ungated(method: &str) -> bool {
    matches!(
        method,
        "initialize" | "initialized" | "shutdown" | "exit" | "$/cancelRequest" | "$/setTrace"
    )
}

impl Ordered {
    pub fn new(inner: LspService<Backend>) -> Ordered {
        Ordered { inner }
    }

    pub fn server(&self) -> &Arc<Server> {
        &self.inner.inner().0
    }

    /// Applies a document notification; returns a message for the log
    /// when it had to be ignored.
    fn apply(&self, method: &str, params: Option<Value>) -> Option<String> {
        let params = params.unwrap_or(Value::Null);
        let server = self.server();
        match method {
            "textDocument/didOpen" => {
                let p: DidOpenTextDocumentParams = serde_json::from_value(params).ok()?;
                let path = uri_path(&p.text_document.uri)?;
                let doc = p.text_document;
                server.state().open(doc.uri, path, doc.version, doc.text);
                None
            }
            "textDocument/didChange" => {
                let p: DidChangeTextDocumentParams = match serde_json::from_value(params) {
                    Ok(p) => p,
                    Err(e) => return Some(format!("ignored a malformed didChange: {e}")),
                };
                let path = uri_path(&p.text_document.uri)?;
                let encoding = server.encoding();
                server
                    .state()
                    .change(&path, p.text_document.version, p.content_changes, encoding)
                    .err()
            }
            "textDocument/didClose" => {
                let p: DidCloseTextDocumentParams = serde_json::from_value(params).ok()?;
                let path = uri_path(&p.text_document.uri)?;
                server.state().close(&path);
                None
            }
            _ => None,
        }
    }
}

/// The environment variable that makes the handler of one request method
/// panic (`XWALK_LSP_PANIC_ON=textDocument/hover`): how the tests check
/// that a panicking handler is logged and answered, and the server goes on.
pub const PANIC_ON: &str = "XWALK_LSP_PANIC_ON";

fn panic_on(method: &str) -> bool {
    std::env::var_os(PANIC_ON).is_some_and(|m| m == method)
}

/// The text of a panic's payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

fn ready(response: Option<Response>) -> Reply {
    Box::pin(std::future::ready(Ok(response)))
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
                // A panic while applying an edit is logged; the reading of
                // the input goes on.
                let problem = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.apply(&method, params)
                }))
                .unwrap_or_else(|payload| {
                    Some(format!(
                        "internal error in {method}: {}",
                        panic_message(payload.as_ref())
                    ))
                });
                let server = self.server().clone();
                server
                    .edits
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                server.changed.notify_one();
                if let Some(message) = problem
                    && let Ok(runtime) = tokio::runtime::Handle::try_current()
                {
                    runtime.spawn(async move { server.log(MessageType::WARNING, message).await });
                }
                ready(None)
            }
            method => {
                // Waits for indexing, unless it is part of the lifecycle.
                let gate = (!ungated(method)).then(|| self.server().lifecycle.ready());
                let id = req.id().cloned();
                let method = method.to_string();
                let crash = panic_on(&method);
                let future = self.inner.call(req);
                let future = async move {
                    if let Some(gate) = gate {
                        gate.await;
                    }
                    if crash {
                        panic!("{PANIC_ON} asked this handler to panic");
                    }
                    future.await
                };
                // Each handler runs as its own task, so blocking work in one
                // holds back neither the reading of the input nor the others.
                match tokio::runtime::Handle::try_current() {
                    Ok(runtime) => {
                        let task = runtime.spawn(future);
                        let server = self.server().clone();
                        Box::pin(async move {
                            match task.await {
                                Ok(reply) => reply,
                                // A handler that panicked is logged and
                                // answered with an internal error; the
                                // server goes on.
                                Err(e) => {
                                    let why = e.try_into_panic().map_or_else(
                                        |e| e.to_string(),
                                        |payload| panic_message(payload.as_ref()),
                                    );
                                    let message = format!("internal error in {method}: {why}");
                                    eprintln!("xwalk lsp: {message}");
                                    server.log(MessageType::ERROR, message.clone()).await;
                                    Ok(id.map(|id| {
                                        let mut error = Error::internal_error();
                                        error.message = message.into();
                                        Response::from_error(id, error)
                                    }))
                                }
                            }
                        })
                    }
                    Err(_) => Box::pin(future),
                }
            }
        }
    }
}
