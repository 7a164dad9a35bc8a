//! The server's lifecycle: initialize → indexing → ready → shutdown → exit.
//!
//! - `initialize` records the client's capabilities (phase `Starting`).
//! - `initialized` starts indexing (`Indexing`): the settings are pulled
//!   and the file watcher registered, neither waited on for more than
//!   [`CLIENT_TIMEOUT`]; every workspace folder is loaded on the blocking
//!   pool and handed to the owner; the built-in catalogs are written to
//!   the cache folder. Then the phase is `Ready`, and the owner runs the
//!   first check and sends the first diagnostics.
//! - Every request except `initialize` and `shutdown` waits for `Ready`
//!   (see `ordered.rs`): nothing is answered from a half-built workspace.
//!   Document edits go to the owner at once, in order, whatever the
//!   phase; it applies them as they come and checks from `Ready` on.
//! - `shutdown` sets `ShutDown`; `exit` (or the end of the input) ends the
//!   process at once (see `transport.rs`), whatever is in flight.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{oneshot, watch};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Bounded, NotCancellable, OngoingProgress};

use super::convert::catalog_dir;
use super::owner::Message;
use super::root::load_folder;
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

/// What `initialized` does: index, become ready; the owner then checks
/// and publishes.
pub async fn start(server: Arc<Server>) {
    server.lifecycle.set(Phase::Indexing);
    // The settings of `initialize` first.
    server.applied(server.sent()).await;
    if let Some(v) = ask_configuration(&server).await {
        let (done, applied) = oneshot::channel();
        server.result(Message::SettingsPulled(v, Some(done)));
        let _ = applied.await;
    }
    if server.support().watched_files_dynamic {
        // Not waited on: nothing depends on the answer.
        let s = server.clone();
        tokio::spawn(async move { register_watcher(&s).await });
    }
    index_folders(&server).await;
    server.lifecycle.set(Phase::Ready);
    server.result(Message::Ready);
}

/// The settings the client holds for `xwalk`, if it takes
/// `workspace/configuration` and answers in time.
pub async fn ask_configuration(server: &Server) -> Option<serde_json::Value> {
    if !server.support().configuration {
        return None;
    }
    let items = vec![ConfigurationItem {
        scope_uri: None,
        section: Some("xwalk".into()),
    }];
    let values = ask(server.client.configuration(items)).await?;
    values.into_iter().next()
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

/// Loads the workspace folders on the blocking pool, reporting progress;
/// the owner adds each to the state. Then writes the built-in catalogs
/// the workspaces may open to the cache folder.
async fn index_folders(server: &Server) {
    let folders = server.support().folders.clone();
    if folders.is_empty() {
        return;
    }
    let progress = begin_progress(server, "xwalk/indexing", "Indexing mapping files").await;
    let total = folders.len();
    let cache_dir = server.settings().cache_dir();
    for (n, folder) in folders.iter().enumerate() {
        if let Some(p) = &progress {
            p.report_with_message(folder.display().to_string(), (100 * n / total) as u32)
                .await;
        }
        let f = folder.clone();
        let Ok(loaded) = tokio::task::spawn_blocking(move || load_folder(&f, &[])).await else {
            continue;
        };
        let (done, applied) = oneshot::channel();
        server.result(Message::Loaded(loaded, Some(done)));
        let _ = applied.await;
    }
    let dir = cache_dir.clone();
    let written = tokio::task::spawn_blocking(move || {
        // Earlier versions kept a parse cache in `parses/` of the cache
        // folder (up to tens of megabytes a workspace); nothing reads it now.
        let _ = std::fs::remove_dir_all(dir.join("parses"));
        write_catalogs(&dir)
    })
    .await;
    if let Ok(Err(e)) = written {
        let message = format!("could not write the built-in catalogs to the cache folder: {e}");
        server.log(MessageType::WARNING, message).await;
    }
    let snapshot = server.snapshot();
    let roots = snapshot.roots.len().saturating_sub(1);
    let files: usize = (snapshot.roots.iter())
        .map(|r| r.ws.workspace_files().count())
        .sum();
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
