//! The one ordered path into the handlers, and the lifecycle gate.
//!
//! tower-lsp-server runs handlers' futures concurrently, so two
//! `didChange`s could be applied out of order. This wrapper turns every
//! notification that changes the state (`didOpen`, `didChange`,
//! `didClose`, watched files, workspace folders, configuration) into a
//! message to the owner (`owner.rs`) inside `call`, before the next
//! message is read, without applying it. Every other request waits until
//! indexing has ended (see `lifecycle.rs`) and until the owner has applied
//! every change sent before it, then runs as its own task on the snapshot
//! the owner published.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use serde_json::Value;
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, Request, Response};
use tower_lsp_server::ls_types::{
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWorkspaceFoldersParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    FileChangeType, MessageType,
};
use tower_lsp_server::{ExitedError, LspService};

use super::convert::uri_path;
use super::handlers::Backend;
use super::owner::Message;
use super::server::Server;

pub struct Ordered {
    inner: LspService<Backend>,
}

type Reply = Pin<Box<dyn Future<Output = Result<Option<Response>, ExitedError>> + Send>>;

/// The notifications that change the server's state: sent to the owner.
fn is_change(method: &str) -> bool {
    matches!(
        method,
        "textDocument/didOpen"
            | "textDocument/didChange"
            | "textDocument/didClose"
            | "workspace/didChangeWatchedFiles"
            | "workspace/didChangeWorkspaceFolders"
            | "workspace/didChangeConfiguration"
    )
}

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

    /// Turns a change notification into a message for the owner, in
    /// order, without applying it (the owner does, off this path).
    fn forward(&self, method: &str, params: Option<Value>) {
        let params = params.unwrap_or(Value::Null);
        let server = self.server();
        let message = match method {
            "textDocument/didOpen" => serde_json::from_value(params)
                .map_err(|e| e.to_string())
                .and_then(|p: DidOpenTextDocumentParams| {
                    let doc = p.text_document;
                    let path = uri_path(&doc.uri).ok_or("not a file")?;
                    Ok(Message::Open {
                        path,
                        version: doc.version,
                        text: doc.text,
                    })
                }),
            "textDocument/didChange" => serde_json::from_value(params)
                .map_err(|e| e.to_string())
                .and_then(|p: DidChangeTextDocumentParams| {
                    let path = uri_path(&p.text_document.uri).ok_or("not a file")?;
                    Ok(Message::Change {
                        path,
                        version: p.text_document.version,
                        changes: p.content_changes,
                    })
                }),
            "textDocument/didClose" => serde_json::from_value(params)
                .map_err(|e| e.to_string())
                .and_then(|p: DidCloseTextDocumentParams| {
                    Ok(Message::Close(
                        uri_path(&p.text_document.uri).ok_or("not a file")?,
                    ))
                }),
            "workspace/didChangeWatchedFiles" => serde_json::from_value(params)
                .map_err(|e| e.to_string())
                .map(|p: DidChangeWatchedFilesParams| {
                    Message::Disk(
                        (p.changes.iter())
                            .filter_map(|c| {
                                Some((uri_path(&c.uri)?, c.typ == FileChangeType::DELETED))
                            })
                            .collect(),
                    )
                }),
            "workspace/didChangeWorkspaceFolders" => serde_json::from_value(params)
                .map_err(|e| e.to_string())
                .map(|p: DidChangeWorkspaceFoldersParams| {
                    Message::Folders(
                        p.event
                            .added
                            .iter()
                            .filter_map(|f| uri_path(&f.uri))
                            .collect(),
                    )
                }),
            // Settings under `xwalk`, or none: the owner asks the client.
            _ => serde_json::from_value(params)
                .map_err(|e| e.to_string())
                .map(|p: DidChangeConfigurationParams| {
                    Message::Settings(p.settings.get("xwalk").cloned())
                }),
        };
        match message {
            Ok(message) => {
                server.change(message);
            }
            Err(e) => server.result(Message::Log(format!("ignored a malformed {method}: {e}"))),
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
            method if is_change(method) => {
                let (method, _, params) = req.into_parts();
                self.forward(&method, params);
                ready(None)
            }
            method => {
                // Waits for indexing, unless it is part of the lifecycle,
                // then for the owner to apply every change sent before.
                let server = self.server();
                let gate = (!ungated(method)).then(|| {
                    let ready = server.lifecycle.ready();
                    let applied = server.applied(server.sent());
                    async move {
                        ready.await;
                        applied.await;
                    }
                });
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
