//! `xwalk lsp`: the language server. Thin glue over `ide` and `check`:
//! positions are converted here and nowhere else.
//!
//! - `transport`: reads the client's frames and keeps going after a
//!   malformed one (tower-lsp-server's own reader stops at the first).
//! - `ordered`: applies document edits in arrival order, before any later
//!   request runs (tower-lsp-server runs handlers concurrently).
//! - `state`: workspace roots, open documents, cached workspaces.
//! - `server`: the `LanguageServer` implementation.
//! - `background`: freeing old versions and other background work, at a
//!   lower priority than the requests an editor waits for.

mod background;
pub mod convert;
mod ordered;
mod server;
pub mod state;
mod transport;

use std::sync::{Arc, Mutex};

use tower_lsp_server::{LspService, Server};

pub use ordered::Ordered;
pub use server::Backend;

/// Shared between the backend and the ordered edit path.
pub struct Shared {
    pub state: Mutex<state::State>,
    /// Wakes the diagnostics task after an edit.
    pub changed: tokio::sync::Notify,
    /// Set by `shutdown`: `exit` then ends the process with status 0.
    pub shutdown: std::sync::atomic::AtomicBool,
}

impl Shared {
    pub fn new() -> Arc<Shared> {
        Arc::new(Shared {
            state: Mutex::new(state::State::default()),
            changed: tokio::sync::Notify::new(),
            shutdown: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// The state, even if a panicking handler poisoned the lock.
    pub fn state(&self) -> std::sync::MutexGuard<'_, state::State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Builds the service: the backend behind the ordered edit path.
pub fn service() -> (Ordered, tower_lsp_server::ClientSocket) {
    service_with(Shared::new())
}

fn service_with(shared: Arc<Shared>) -> (Ordered, tower_lsp_server::ClientSocket) {
    let for_backend = shared.clone();
    let (service, socket) = LspService::new(move |client| Backend::new(client, for_backend));
    (ordered::Ordered::new(service, shared), socket)
}

/// Serves LSP over standard input and output until the client sends
/// `exit`. True when `shutdown` came first (the exit status is then 0).
pub fn run_stdio() -> std::io::Result<bool> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let shared = Shared::new();
    let for_service = shared.clone();
    runtime.block_on(async move {
        let (service, socket) = service_with(for_service);
        let (reader, writer) = tokio::io::duplex(1 << 16);
        let proxy = tokio::spawn(transport::forward_frames(tokio::io::stdin(), writer));
        Server::new(reader, tokio::io::stdout(), socket)
            .serve(service)
            .await;
        proxy.abort();
    });
    // Reading stdin blocks a thread that would otherwise keep the runtime
    // (and the process) alive until the client closes the pipe.
    runtime.shutdown_background();
    Ok(shared.shutdown.load(std::sync::atomic::Ordering::SeqCst))
}
