//! The server's lifecycle: initialize → indexing → ready → shutdown → exit.
//!
//! - `initialize` records the client's capabilities (phase `Starting`).
//! - `initialized` starts indexing (`Indexing`): the settings are pulled
//!   and the file watcher registered, neither waited on for more than
//!   [`CLIENT_TIMEOUT`]; every workspace folder is loaded; the built-in
//!   catalogs are written to the cache folder. Then the phase is `Ready`,
//!   the first check runs and the first diagnostics go out.
//! - Every request except `initialize` and `shutdown` waits for `Ready`
//!   (see `ordered.rs`): nothing is answered from a half-built workspace.
//!   Document edits are applied at once, in order, whatever the phase.
//! - `shutdown` sets `ShutDown`; `exit` (or the end of the input) ends the
//!   process at once (see `transport.rs`), whatever is in flight.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Bounded, NotCancellable, OngoingProgress};

use super::convert::catalog_dir;
use super::server::{CLIENT_TIMEOUT, Server};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Before `initialized`.
    Starting,
    /// Loading the workspace folders.
    Indexing,
    /// Every folder is loaded: requests are answered.
    Ready,
    /// `shutdown` was answered; `exit` ends the process with status 0.
    ShutDown,
}

/// The current phase, which tasks can wait on.
pub struct Lifecycle {
    phase: watch::Sender<Phase>,
}

impl Default for Lifecycle {
    fn default() -> Lifecycle {
        Lifecycle {
            phase: watch::channel(Phase::Starting).0,
        }
    }
}

impl Lifecycle {
    pub fn get(&self) -> Phase {
        *self.phase.borrow()
    }

    /// Moves on to `phase`; never back (a `shutdown` that arrives while
    /// indexing stays shut down when indexing ends).
    pub fn set(&self, phase: Phase) {
        self.phase.send_if_modified(|p| {
            let later = phase > *p;
            if later {
                *p = phase;
            }
            later
        });
    }

    /// Resolves once indexing has ended (at once after that).
    pub fn ready(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut rx = self.phase.subscribe();
        async move {
            let _ = rx.wait_for(|p| *p >= Phase::Ready).await;
        }
    }
}

/// Awaits a request to the client for at most [`CLIENT_TIMEOUT`]; `None`
/// when it failed or the client did not answer in time.
pub async fn ask<T, E>(request: impl Future<Output = Result<T, E>>) -> Option<T> {
    tokio::time::timeout(CLIENT_TIMEOUT, request)
        .await
        .ok()?
        .ok()
}

/// What `initialized` does: index, become ready, check, publish.
pub async fn start(server: Arc<Server>) {
    server.lifecycle.set(Phase::Indexing);
    pull_configuration(&server).await;
    if server.support().watched_files_dynamic {
        // Not waited on: nothing depends on the answer.
        let s = server.clone();
        tokio::spawn(async move { register_watcher(&s).await });
    }
    index_folders(&server).await;
    server.lifecycle.set(Phase::Ready);
    super::diagnostics::check_all(&server).await;
    let edits = server.edits.load(std::sync::atomic::Ordering::SeqCst);
    super::diagnostics::after_change(&server).await;
    server.mark_published(edits);
    super::diagnostics::spawn_task(server.clone());
    // Hover and code lens count mappings from a table built once per
    // workspace (and derived after edits), and completion ranks targets
    // with the excerpts of every file and the text of the target (see
    // `suggest::prepare_here`): build them now, not on the first request.
    let workspaces = server.state().workspaces();
    tokio::task::spawn_blocking(move || {
        for ws in &workspaces {
            ws.target_counts();
        }
        super::diagnostics::prepare_suggestions(&workspaces);
    });
}

pub async fn pull_configuration(server: &Server) {
    if !server.support().configuration {
        return;
    }
    let items = vec![ConfigurationItem {
        scope_uri: None,
        section: Some("xwalk".into()),
    }];
    if let Some(values) = ask(server.client.configuration(items)).await
        && let Some(v) = values.first()
    {
        server.update_settings(v);
    }
}

async fn register_watcher(server: &Server) {
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: ["**/*.xwalk", "**/xwalk.toml"]
            .iter()
            .map(|g| FileSystemWatcher {
                glob_pattern: GlobPattern::String(g.to_string()),
                kind: None,
            })
            .collect(),
    };
    let registration = Registration {
        id: "xwalk-watched-files".into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: serde_json::to_value(options).ok(),
    };
    if ask(server.client.register_capability(vec![registration]))
        .await
        .is_none()
    {
        server
            .log(MessageType::WARNING, "could not watch files")
            .await;
    }
}

/// Loads the workspace folders, reporting progress.
async fn index_folders(server: &Server) {
    let folders = server.support().folders.clone();
    if folders.is_empty() {
        return;
    }
    let progress = begin_progress(server, "xwalk/indexing", "Indexing mapping files").await;
    let total = folders.len();
    let cache_dir = server.settings().cache_dir();
    // Earlier versions kept a parse cache in `parses/` of the cache folder
    // (up to tens of megabytes a workspace); nothing reads it now.
    let _ = std::fs::remove_dir_all(cache_dir.join("parses"));
    for (n, folder) in folders.iter().enumerate() {
        if let Some(p) = &progress {
            p.report_with_message(folder.display().to_string(), (100 * n / total) as u32)
                .await;
        }
        add_folder(server, folder).await;
    }
    let (roots, files) = {
        let state = server.state();
        (
            state.roots.len() - 1,
            state.roots.iter().map(|r| r.files.len()).sum::<usize>(),
        )
    };
    if let Some(p) = progress {
        p.finish_with_message(format!("{files} files in {roots} workspaces"))
            .await;
    }
    server
        .log(
            MessageType::INFO,
            format!("indexed {files} files in {roots} workspaces"),
        )
        .await;
}

/// Loads the workspaces at, under or above `folder`, and writes the
/// built-in catalogs they may open to the cache folder.
pub async fn add_folder(server: &Server, folder: &std::path::Path) {
    let errors = tokio::task::block_in_place(|| server.state().add_folder(folder));
    for e in errors {
        server
            .log(
                MessageType::ERROR,
                format!("{}: {}", e.path.display(), e.message),
            )
            .await;
    }
    if let Err(e) = write_catalogs(&server.settings().cache_dir()) {
        server
            .log(
                MessageType::WARNING,
                format!("could not write the built-in catalogs to the cache folder: {e}"),
            )
            .await;
    }
}

/// Writes read-only copies of the built-in catalogs to the cache folder
/// (for go-to-definition into them), unless they are already there. Each
/// is written to a temporary file and renamed, so a reader never sees half
/// a file.
pub fn write_catalogs(cache_dir: &std::path::Path) -> std::io::Result<()> {
    let dir = catalog_dir(cache_dir);
    for f in crate::model::builtin_files() {
        let Some(name) = f.name.strip_prefix("builtin:") else {
            continue;
        };
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(f.text.as_str()) {
            continue;
        }
        std::fs::create_dir_all(&dir)?;
        let tmp = dir.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, &f.text)?;
        std::fs::rename(&tmp, &path)?;
        let mut perms = std::fs::metadata(&path)?.permissions();
        perms.set_readonly(true);
        let _ = std::fs::set_permissions(&path, perms);
    }
    Ok(())
}

/// Starts a `$/progress` report, when the client takes them and answers
/// `window/workDoneProgress/create` in time.
pub async fn begin_progress(
    server: &Server,
    token: &str,
    title: &str,
) -> Option<OngoingProgress<Bounded, NotCancellable>> {
    if !server.support().work_done_progress {
        return None;
    }
    let token = NumberOrString::String(token.into());
    ask(server.client.create_work_done_progress(token.clone())).await?;
    Some(
        server
            .client
            .progress(token, title.to_string())
            .with_percentage(0)
            .begin()
            .await,
    )
}

/// How long `exit` or the end of the input waits for queued output.
pub const FLUSH_TIMEOUT: Duration = Duration::from_millis(300);
