//! `xwalk lsp`: the language server. Thin glue over `ide` and `check`:
//! positions are converted here and nowhere else.
//!
//! - `transport`: reads the client's frames, writes the server's, and ends
//!   the server at `exit` or at the end of the input.
//! - `ordered`: sends every change to the owner in arrival order, and
//!   holds each request until indexing has ended and the owner has
//!   applied the changes sent before it.
//! - `owner`: the one owner of the server's state: applies changes in
//!   order, publishes snapshots, checks and pushes diagnostics.
//! - `snapshot`: what requests read, immutable, without a lock.
//! - `lifecycle`: initialize → indexing → ready → shutdown → exit.
//! - `server`: what handlers and the owner share; the locator
//!   (`Server::at`) every handler starts with.
//! - `capabilities`: what the client supports (parsed once) and what the
//!   server offers.
//! - `handlers`: the `LanguageServer` implementation, one small function
//!   per request.
//! - `diagnostics`: check, push, pull and refresh.
//! - `convert`: every conversion to LSP types.
//! - `state`: workspace roots and open documents (the owner's);
//!   `root`: one root's files and workspace, and loading from disk.
//! - `derive`: every call into the model's derived data (workspaces after
//!   a change, a file's next version, the check, suggestions' tables).
//! - `background`: freeing old versions off the request path.
//! - `malloc`: the C allocator's settings (an arena per core).
//!
//! docs/server.md describes the lifecycle; docs/architecture.md why each
//! layer and lock exists.

mod background;
mod capabilities;
pub mod convert;
mod derive;
mod diagnostics;
mod handlers;
mod lifecycle;
mod malloc;
mod ordered;
mod owner;
mod root;
mod server;
mod snapshot;
pub mod state;
mod transport;

use tower_lsp_server::LspService;

pub use lifecycle::Phase;
pub use ordered::Ordered;

/// Builds the service: the server behind the ordered path, and starts the
/// owner of its state (a task: call this inside a tokio runtime).
pub fn service() -> (Ordered, tower_lsp_server::ClientSocket) {
    let mut inbox = None;
    let (service, socket) = LspService::new(|client| {
        let (server, receiver) = server::Server::new(client);
        inbox = Some(receiver);
        handlers::Backend(std::sync::Arc::new(server))
    });
    let service = Ordered::new(service);
    if let Some(inbox) = inbox {
        tokio::spawn(owner::run(service.server().clone(), inbox));
    }
    (service, socket)
}

/// Serves LSP over standard input and output until the client sends
/// `exit` or closes the input. True when `shutdown` came first (the exit
/// status is then 0).
pub fn run_stdio() -> std::io::Result<bool> {
    malloc::arena_per_core();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    // The owner task starts with the service, inside the runtime.
    let (service, socket) = {
        let _runtime = runtime.enter();
        service()
    };
    let server = service.server().clone();
    runtime.block_on(transport::serve(
        tokio::io::stdin(),
        tokio::io::stdout(),
        service,
        socket,
    ));
    // Whatever is still running (a handler, a request to the client, the
    // thread blocked reading stdin) ends with the process, now.
    runtime.shutdown_background();
    Ok(server.lifecycle.get() == Phase::ShutDown)
}
