//! What the handlers and the owner share, and the locator every handler
//! starts with: [`Server::doc`] and [`Server::at`] turn a URI (and a
//! position) into the workspace, the file and the byte offset.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use serde_json::Value;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::*;

use super::capabilities::ClientSupport;
use super::convert::{self, Encoding};
use super::lifecycle::Lifecycle;
use super::owner::{Envelope, Message};
use super::snapshot::{Checked, Snapshot};
use crate::ide::FileRange;
use crate::model::{FileId, Workspace};
use crate::syntax::TextRange;

/// Settings from `initializationOptions` and `workspace/configuration`
/// (section `xwalk`). See docs/server.md.
#[derive(Clone, Debug)]
pub struct Settings {
    pub inlay_hints: bool,
    pub code_lens: bool,
    pub log_level: MessageType,
    pub cache_dir: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            inlay_hints: true,
            code_lens: true,
            log_level: MessageType::INFO,
            cache_dir: None,
        }
    }
}

impl Settings {
    pub fn update(&mut self, v: &Value) {
        if let Some(b) = v.get("inlayHints").and_then(Value::as_bool) {
            self.inlay_hints = b;
        }
        if let Some(b) = v.get("codeLens").and_then(Value::as_bool) {
            self.code_lens = b;
        }
        if let Some(l) = v.get("logLevel").and_then(Value::as_str) {
            self.log_level = match l {
                "error" => MessageType::ERROR,
                "warn" | "warning" => MessageType::WARNING,
                "debug" | "trace" | "log" => MessageType::LOG,
                _ => MessageType::INFO,
            };
        }
        if let Some(d) = v.get("cacheDir").and_then(Value::as_str) {
            self.cache_dir = Some(PathBuf::from(d));
        }
    }

    /// Where the read-only copies of the built-in catalogs go.
    pub fn cache_dir(&self) -> PathBuf {
        if let Some(d) = &self.cache_dir {
            return d.clone();
        }
        std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .unwrap_or_else(std::env::temp_dir)
            .join("xwalk")
    }
}

/// How long the server waits for the client's answer to one of its own
/// requests (`workspace/configuration`, `window/workDoneProgress/create`,
/// `client/registerCapability`, `*/refresh`). A client that never answers
/// costs this once, never a hang.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(1);

/// The server: what every handler and the owner share. No lock guards
/// the state; it has one owner (`owner.rs`), and requests read the
/// snapshots it publishes:
///
/// - `session`: the client's capabilities and the negotiated encoding,
///   set once by `initialize` and read-only after;
/// - `inbox` and `sent`: the changes sent to the owner, in order, and how
///   many of the client's there were;
/// - `snapshot`: the latest snapshot the owner published;
/// - `tokens`: the last semantic tokens per document, for deltas;
/// - `lifecycle`: the phase (see `lifecycle.rs`), which requests wait on.
pub struct Server {
    pub client: Client,
    session: OnceLock<ClientSupport>,
    inbox: mpsc::UnboundedSender<Envelope>,
    sent: AtomicU64,
    snapshot: watch::Sender<Arc<Snapshot>>,
    pub lifecycle: Lifecycle,
    /// Last semantic tokens per document, for deltas. Locked only to swap
    /// an entry, by semantic-token requests.
    pub tokens: Mutex<HashMap<PathBuf, (u64, Vec<SemanticToken>)>>,
    pub next_result_id: AtomicU64,
    /// The server's own record of what it has sent: `None` until the first
    /// diagnostics after indexing are out, then the number of the client's
    /// changes whose diagnostics (or refresh requests) have been sent.
    /// Tests wait on it (`Server::settled`) instead of waiting out a fixed
    /// window.
    pub edits_published: watch::Sender<Option<u64>>,
}

/// A lock, even if a panicking handler poisoned it.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A document a request is about: its workspace and file, and the encoding
/// to convert positions in.
pub struct Doc {
    pub ws: Arc<Workspace>,
    pub file: FileId,
    pub enc: Encoding,
    cache_dir: PathBuf,
}

/// A position in a document, as a byte offset.
pub struct At {
    pub doc: Doc,
    pub offset: usize,
}

impl Server {
    /// The server, and the owner's inbox.
    pub fn new(client: Client) -> (Server, mpsc::UnboundedReceiver<Envelope>) {
        let (inbox, receiver) = mpsc::unbounded_channel();
        let server = Server {
            client,
            session: OnceLock::new(),
            inbox,
            sent: AtomicU64::new(0),
            snapshot: watch::channel(Arc::new(Snapshot::empty(Settings::default()))).0,
            lifecycle: Lifecycle::default(),
            tokens: Mutex::default(),
            next_result_id: AtomicU64::new(1),
            edits_published: watch::channel(None).0,
        };
        (server, receiver)
    }

    /// Records what the client supports (once: a second `initialize` is
    /// refused by the framework before it gets here).
    pub fn set_support(&self, support: ClientSupport) {
        let _ = self.session.set(support);
    }

    pub fn support(&self) -> &ClientSupport {
        static NONE: OnceLock<ClientSupport> = OnceLock::new();
        self.session
            .get()
            .unwrap_or_else(|| NONE.get_or_init(ClientSupport::default))
    }

    pub fn encoding(&self) -> Encoding {
        self.support().encoding
    }

    /// Sends one of the client's changes to the owner. Only the ordered
    /// path calls this (one message at a time), so the count and the
    /// order in the inbox agree.
    pub fn change(&self, message: Message) -> u64 {
        let seq = self.sent.fetch_add(1, Ordering::SeqCst) + 1;
        let _ = self.inbox.send((message, true));
        seq
    }

    /// Sends the result of background work to the owner (not counted).
    pub fn result(&self, message: Message) {
        let _ = self.inbox.send((message, false));
    }

    /// The number of the client's changes sent to the owner so far.
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }

    /// The latest snapshot.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.borrow().clone()
    }

    /// Publishes a snapshot (the owner does).
    pub fn publish(&self, snapshot: Arc<Snapshot>) {
        // The snapshot replaced may hold the last reference to the file
        // versions an edit replaced: freed off the owner's path.
        super::background::drop_later(self.snapshot.send_replace(snapshot));
    }

    /// Resolves once the owner has applied the first `seq` changes.
    pub fn applied(&self, seq: u64) -> impl Future<Output = ()> + Send + 'static {
        let mut rx = self.snapshot.subscribe();
        async move {
            let _ = rx.wait_for(|s| s.seq >= seq).await;
        }
    }

    /// The check of the latest snapshot (waiting for it to end).
    pub async fn checked(&self) -> Option<Arc<Checked>> {
        let seq = self.snapshot().seq;
        let mut rx = self.snapshot.subscribe();
        let snapshot = rx
            .wait_for(|s| s.checked.as_ref().is_some_and(|c| c.seq >= seq))
            .await
            .ok()?;
        snapshot.checked.clone()
    }

    pub fn settings(&self) -> Settings {
        self.snapshot().settings.clone()
    }

    /// The document of a URI, if the server knows the file.
    pub fn doc(&self, uri: &Uri) -> Option<Doc> {
        let path = convert::uri_path(uri)?;
        let snapshot = self.snapshot();
        let (ws, file) = snapshot.locate(&path)?;
        Some(Doc::new(
            ws,
            file,
            self.encoding(),
            snapshot.settings.cache_dir(),
        ))
    }

    /// The document and offset of a position.
    pub fn at(&self, p: &TextDocumentPositionParams) -> Option<At> {
        let doc = self.doc(&p.text_document.uri)?;
        let offset = doc.offset(p.position);
        Some(At { doc, offset })
    }

    /// A file of a workspace already found.
    pub fn doc_of(&self, ws: Arc<Workspace>, file: FileId) -> Doc {
        Doc::new(ws, file, self.encoding(), self.settings().cache_dir())
    }

    /// A context for conversions in a workspace (for requests not about
    /// one document).
    pub fn workspace_doc(&self, ws: Arc<Workspace>) -> Doc {
        self.doc_of(ws, FileId(0))
    }

    /// Resolves once the diagnostics of every change sent so far have been
    /// sent (and those of indexing before them).
    pub fn settled(&self) -> impl Future<Output = ()> + Send + 'static {
        let sent = self.sent();
        let mut rx = self.edits_published.subscribe();
        async move {
            let _ = rx.wait_for(|p| p.is_some_and(|n| n >= sent)).await;
        }
    }

    /// Notes that the diagnostics of the first `seq` changes have been sent.
    pub fn mark_published(&self, seq: u64) {
        self.edits_published
            .send_modify(|p| *p = Some(p.map_or(seq, |n| n.max(seq))));
    }

    /// Logs to the client at or above the configured level; never to
    /// stdout. The message is sent before this returns, so it reaches the
    /// client ahead of anything the caller sends next.
    pub async fn log(&self, level: MessageType, message: impl Into<String>) {
        if level_rank(level) > level_rank(self.settings().log_level) {
            return;
        }
        self.client.log_message(level, message.into()).await;
    }
}

impl Doc {
    pub fn new(ws: Arc<Workspace>, file: FileId, enc: Encoding, cache_dir: PathBuf) -> Doc {
        Doc {
            ws,
            file,
            enc,
            cache_dir,
        }
    }

    pub fn offset(&self, pos: Position) -> usize {
        let f = self.ws.file(self.file);
        convert::offset(&f.text, f.line_index(), pos, self.enc)
    }

    pub fn position(&self, offset: usize) -> Position {
        let f = self.ws.file(self.file);
        convert::position(&f.text, f.line_index(), offset, self.enc)
    }

    /// A range in this document.
    pub fn range(&self, r: &TextRange) -> Range {
        self.range_in(self.file, r)
    }

    pub fn range_in(&self, file: FileId, r: &TextRange) -> Range {
        convert::range(self.ws.file(file), r, self.enc)
    }

    pub fn text_range(&self, r: Range) -> TextRange {
        convert::text_range(self.ws.file(self.file), r, self.enc)
    }

    pub fn uri(&self, file: FileId) -> Option<Uri> {
        convert::file_uri(self.ws.file(file), &self.cache_dir)
    }

    /// Edits as one `WorkspaceEdit` (see `convert::workspace_edit`).
    pub fn workspace_edit(&self, edits: &[crate::ide::TextEdit]) -> Option<WorkspaceEdit> {
        convert::workspace_edit(edits, |f| self.uri(f), |f, r| self.range_in(f, r))
    }

    pub fn location(&self, fr: &FileRange) -> Option<Location> {
        Some(Location::new(
            self.uri(fr.file)?,
            self.range_in(fr.file, &fr.range),
        ))
    }
}

fn level_rank(t: MessageType) -> u8 {
    if t == MessageType::ERROR {
        1
    } else if t == MessageType::WARNING {
        2
    } else if t == MessageType::INFO {
        3
    } else {
        4
    }
}
