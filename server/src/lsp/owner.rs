//! The one owner of the server's state: a task that receives every change
//! as a message, in the order the client sent them, applies them
//! (coalescing what is queued), publishes an immutable [`Snapshot`] for
//! requests, and checks and publishes diagnostics.
//!
//! - Edits, settings, disk events and folder changes arrive from the
//!   ordered path (`ordered.rs`) and count: a snapshot's `seq` is the
//!   number of them it follows, and a request waits for the `seq` it
//!   follows before reading a snapshot (`Server::snapshot_after`).
//! - Reading and parsing from disk (folders, disk events, a closed
//!   document's file) runs on the blocking pool; the result comes back
//!   as a message and is applied in its turn. Nothing here walks a folder
//!   for a disk event.
//! - One check at a time, on the blocking pool (`diagnostics::check`),
//!   for the latest snapshot; changes that arrive meanwhile are coalesced
//!   into the next one, and a check overtaken by an edit publishes its
//!   diagnostics to the snapshots (for pulls) but does not push them
//!   (`cancel`). Only this loop starts checks, so diagnostics are pushed
//!   from one place.
//! - Once the editor has been quiet for [`QUIET`], what the editor
//!   features read of the new version (the trees of the files edited
//!   since, the suggestions' tables) is prepared on the blocking pool: a
//!   deadline in the loop, not a task per edit (`derive::prepare`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tower_lsp_server::ls_types::{MessageType, TextDocumentContentChangeEvent};

use super::derive;
use super::diagnostics::{self, Diagnostics, Outcome};
use super::root::{self, Loaded};
use super::server::{Server, Settings};
use super::snapshot::{Checked, Snapshot};
use super::state::{DiskWork, State};
use crate::model::SourceFile;

/// A change to the server's state.
pub enum Message {
    /// From the client, in order (counted in `seq`).
    Open {
        path: PathBuf,
        version: i32,
        text: String,
    },
    Change {
        path: PathBuf,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    },
    Close(PathBuf),
    /// Watched files: (path, deleted).
    Disk(Vec<(PathBuf, bool)>),
    /// Workspace folders added.
    Folders(Vec<PathBuf>),
    /// New settings (`None`: ask the client for them).
    Settings(Option<Value>),
    /// Not from the client (not counted): results of work the owner or
    /// the lifecycle started, acknowledged on `done` once applied.
    Loaded(Loaded, Option<oneshot::Sender<()>>),
    SettingsPulled(Value, Option<oneshot::Sender<()>>),
    /// A file read from disk, for the disk event numbered `event`.
    Read(u64, PathBuf, Option<Arc<SourceFile>>),
    /// A root read again, for the disk event numbered `event`.
    RootRead(u64, Loaded),
    /// Indexing has ended: checking starts.
    Ready,
    /// A problem to log (a malformed notification).
    Log(String),
}

/// A message, and whether it counts (comes from the client).
pub type Envelope = (Message, bool);

/// How long the editor must be quiet before the edited trees and the
/// suggestions' tables are brought up to date.
const QUIET: Duration = Duration::from_millis(300);

struct Owner {
    server: Arc<Server>,
    state: State,
    settings: Settings,
    /// Client changes applied.
    seq: u64,
    /// Indexing has ended.
    ready: bool,
    /// Changes not checked yet.
    dirty: bool,
    /// The diagnostics' state, lent to the running check.
    diagnostics: Option<Diagnostics>,
    /// Set when a change overtakes the running check.
    cancel: Arc<AtomicBool>,
    checked: Option<Arc<Checked>>,
    first_check: bool,
    /// The latest disk event per path, so that an older read arriving
    /// late is not applied over a newer one.
    events: HashMap<PathBuf, u64>,
    next_event: u64,
    /// Reads from disk still running.
    loads: usize,
    quiet: Option<Instant>,
    /// Told once the next snapshot is published.
    acks: Vec<oneshot::Sender<()>>,
}

/// Runs the owner until every sender is gone.
pub async fn run(server: Arc<Server>, mut inbox: mpsc::UnboundedReceiver<Envelope>) {
    let mut owner = Owner {
        settings: server.snapshot().settings.clone(),
        server,
        state: State::default(),
        seq: 0,
        ready: false,
        dirty: false,
        diagnostics: Some(Diagnostics::default()),
        cancel: Arc::default(),
        checked: None,
        first_check: true,
        events: HashMap::new(),
        next_event: 0,
        loads: 0,
        quiet: None,
        acks: Vec::new(),
    };
    let mut check: Option<(u64, JoinHandle<Outcome>)> = None;
    loop {
        let quiet = owner.quiet;
        tokio::select! {
            message = inbox.recv() => {
                let Some(message) = message else { return };
                let before = owner.seq;
                owner.apply(message).await;
                // Coalesce what is queued into one snapshot.
                while let Ok(message) = inbox.try_recv() {
                    owner.apply(message).await;
                }
                if owner.seq != before {
                    owner.cancel.store(true, Ordering::SeqCst);
                }
                owner.publish();
            }
            outcome = async { check.as_mut().map(|(_, c)| c).expect("a check").await },
                if check.is_some() => {
                let (seq, _) = check.take().expect("a check");
                owner.finish(seq, outcome).await;
            }
            _ = tokio::time::sleep_until(quiet.unwrap_or_else(Instant::now)), if quiet.is_some() => {
                owner.quiet = None;
                let workspaces = owner.state.views().into_iter().map(|v| v.ws).collect::<Vec<_>>();
                let counts = std::mem::take(&mut owner.first_check);
                tokio::task::spawn_blocking(move || derive::prepare(&workspaces, counts));
            }
        }
        if check.is_none() && owner.ready && owner.dirty {
            check = Some((owner.seq, owner.start_check()));
        }
    }
}

impl Owner {
    async fn apply(&mut self, (message, counted): Envelope) {
        if counted {
            self.seq += 1;
            self.dirty = true;
        }
        let problem = match message {
            Message::Open {
                path,
                version,
                text,
            } => {
                self.state.open(path, version, text);
                None
            }
            Message::Change {
                path,
                version,
                changes,
            } => {
                let encoding = self.server.encoding();
                // A panic while applying an edit is logged; the owner goes on.
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.state.change(&path, version, changes, encoding).err()
                }))
                .unwrap_or_else(|payload| {
                    Some(format!(
                        "internal error in textDocument/didChange: {}",
                        super::ordered::panic_message(payload.as_ref())
                    ))
                })
            }
            Message::Close(path) => {
                let work = self.state.close(&path);
                self.disk_work(work);
                None
            }
            Message::Disk(changes) => {
                for (path, deleted) in changes {
                    self.events.remove(&path);
                    let work = self.state.disk_changed(&path, deleted);
                    self.disk_work(work);
                }
                None
            }
            Message::Folders(folders) => {
                self.load_folders(folders);
                None
            }
            Message::Settings(Some(v)) => {
                self.settings.update(&v);
                None
            }
            Message::Settings(None) => {
                let server = self.server.clone();
                self.loads += 1;
                tokio::spawn(async move {
                    let v = super::lifecycle::ask_configuration(&server).await;
                    server.result(Message::SettingsPulled(v.unwrap_or_default(), None));
                });
                None
            }
            Message::SettingsPulled(v, done) => {
                self.settings.update(&v);
                self.loaded_one(done);
                None
            }
            Message::Loaded(loaded, done) => {
                self.log_errors(&loaded).await;
                self.state.loaded(loaded);
                self.loaded_one(done);
                None
            }
            Message::Read(event, path, file) => {
                if self.events.get(&path) == Some(&event) {
                    self.events.remove(&path);
                    self.state.file_read(&path, file);
                }
                self.loaded_one(None);
                None
            }
            Message::RootRead(event, mut loaded) => {
                let dir = loaded.roots.first().and_then(|r| r.path.clone());
                if let Some(dir) = dir
                    && self.events.get(&dir) == Some(&event)
                {
                    self.events.remove(&dir);
                    self.log_errors(&loaded).await;
                    self.state.replace_root(loaded.roots.remove(0));
                }
                self.loaded_one(None);
                None
            }
            Message::Ready => {
                self.ready = true;
                self.dirty = true;
                None
            }
            Message::Log(problem) => Some(problem),
        };
        if let Some(problem) = problem {
            self.server.log(MessageType::WARNING, problem).await;
        }
    }

    /// A read from disk has ended (and been applied): `done` is told once
    /// the snapshot shows it.
    fn loaded_one(&mut self, done: Option<oneshot::Sender<()>>) {
        match done {
            Some(done) => self.acks.push(done),
            None => self.loads = self.loads.saturating_sub(1),
        }
        self.dirty = true;
    }

    async fn log_errors(&self, loaded: &Loaded) {
        for e in &loaded.errors {
            let message = format!("{}: {}", e.path.display(), e.message);
            self.server.log(MessageType::ERROR, message).await;
        }
    }

    /// Starts reading what a disk event or a close needs, off the loop.
    fn disk_work(&mut self, work: Option<DiskWork>) {
        let Some(work) = work else { return };
        let event = self.next_event;
        self.next_event += 1;
        self.loads += 1;
        let server = self.server.clone();
        match work {
            DiskWork::File(path) => {
                self.events.insert(path.clone(), event);
                tokio::task::spawn_blocking(move || {
                    let file = root::read_file(&path);
                    server.result(Message::Read(event, path, file));
                });
            }
            DiskWork::Root(dir) => {
                self.events.insert(dir.clone(), event);
                tokio::task::spawn_blocking(move || {
                    let (root, errors) = root::load_root(dir);
                    let loaded = Loaded {
                        roots: vec![root],
                        errors,
                    };
                    server.result(Message::RootRead(event, loaded));
                });
            }
        }
    }

    /// Starts loading added folders, off the loop.
    fn load_folders(&mut self, folders: Vec<PathBuf>) {
        let known = self.state.root_paths();
        let cache_dir = self.settings.cache_dir();
        let server = self.server.clone();
        self.loads += 1;
        tokio::task::spawn_blocking(move || {
            let mut all = Loaded {
                roots: Vec::new(),
                errors: Vec::new(),
            };
            for folder in folders {
                let loaded = root::load_folder(&folder, &known);
                all.roots.extend(loaded.roots);
                all.errors.extend(loaded.errors);
            }
            if let Err(e) = super::lifecycle::write_catalogs(&cache_dir) {
                let message = format!("could not write the built-in catalogs: {e}");
                all.errors.push(crate::model::load::LoadError {
                    path: cache_dir,
                    message,
                });
            }
            server.result(Message::Loaded(all, None));
        });
    }

    /// Publishes the current state as a snapshot for requests.
    fn publish(&mut self) {
        let versions = (self.state.open.iter())
            .map(|(p, d)| (p.clone(), d.version))
            .collect();
        let snapshot = Snapshot {
            seq: self.seq,
            roots: self.state.views(),
            versions,
            settings: self.settings.clone(),
            checked: self.checked.clone(),
        };
        self.server.publish(Arc::new(snapshot));
        for done in self.acks.drain(..) {
            let _ = done.send(());
        }
    }

    /// Starts checking the latest snapshot, off the loop.
    fn start_check(&mut self) -> JoinHandle<Outcome> {
        self.dirty = false;
        self.cancel = Arc::default();
        let diagnostics = self.diagnostics.take().unwrap_or_default();
        let first = self.checked.is_none();
        tokio::spawn(diagnostics::check(
            self.server.clone(),
            self.server.snapshot(),
            diagnostics,
            self.cancel.clone(),
            first,
        ))
    }

    /// A check has ended: its diagnostics go to the snapshots; the edits
    /// it covers are published, unless it was overtaken or disk reads are
    /// still running.
    async fn finish(&mut self, seq: u64, outcome: Result<Outcome, tokio::task::JoinError>) {
        let first = self.checked.is_none();
        match outcome {
            Ok(outcome) => {
                self.diagnostics = Some(outcome.diagnostics);
                if let Some(checked) = outcome.checked {
                    self.checked = Some(checked);
                    self.publish();
                }
                if outcome.pushed && self.loads == 0 {
                    self.server.mark_published(seq);
                }
            }
            Err(e) => {
                // The next change is checked from scratch.
                let message = format!("internal error while checking: {e}");
                self.server.log(MessageType::ERROR, message).await;
            }
        }
        // What hover and completion read: at once after the first check,
        // then once the editor is quiet.
        self.quiet = Some(if first {
            Instant::now()
        } else {
            Instant::now() + QUIET
        });
    }
}
