//! `xwalk lsp`: the language server. Thin glue over `ide` and `check`:
//! positions are converted here and nowhere else.
//!
//! - `transport`: reads the client's frames, writes the server's, and ends
//!   the server at `exit` or at the end of the input.
//! - `ordered`: applies document edits in arrival order, before any later
//!   request runs, and holds requests until indexing has ended.
//! - `lifecycle`: initialize → indexing → ready → shutdown → exit.
//! - `server`: the one owner of the server's state; the locator
//!   (`Server::at`) every handler starts with.
//! - `capabilities`: what the client supports (parsed once) and what the
//!   server offers.
//! - `handlers`: the `LanguageServer` implementation, one small function
//!   per request.
//! - `diagnostics`: publish, pull and refresh.
//! - `convert`: every conversion to LSP types.
//! - `state`: workspace roots, open documents, cached workspaces;
//!   `root`: one root's files, workspace and diagnostics.
//! - `background`: freeing old versions off the request path.
//!
//! docs/server.md describes the lifecycle; docs/architecture.md why each
//! layer and lock exists.

mod background;
mod capabilities;
pub mod convert;
mod diagnostics;
mod handlers;
mod lifecycle;
mod ordered;
mod root;
mod server;
pub mod state;
mod transport;

use tower_lsp_server::LspService;

pub use lifecycle::Phase;
pub use ordered::Ordered;

/// Builds the service: the server behind the ordered edit path.
pub fn service() -> (Ordered, tower_lsp_server::ClientSocket) {
    let (service, socket) = LspService::new(handlers::Backend::new);
    (Ordered::new(service), socket)
}

/// Serves LSP over standard input and output until the client sends
/// `exit` or closes the input. True when `shutdown` came first (the exit
/// status is then 0).
pub fn run_stdio() -> std::io::Result<bool> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (service, socket) = service();
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
