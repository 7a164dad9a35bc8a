//! Diagnostics: checked by the owner (`owner.rs`), one check at a time,
//! and pushed (`textDocument/publishDiagnostics`, only for files whose
//! diagnostics changed) from [`check`] and nowhere else; pulled
//! (`textDocument/diagnostic`, `workspace/diagnostic`) from the last check
//! of the request's snapshot; and the refresh that tells a pulling client
//! to pull again, sent only when the client advertised it.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::convert::{self, uri_path};
use super::derive::Checker;
use super::lifecycle::{ask, begin_progress};
use super::server::{Doc, Server};
use super::snapshot::{Checked, CheckedRoot, Snapshot};
use crate::check;
use crate::model::{FileId, Workspace};

/// What the owner keeps between checks: each root's checker and what was
/// last pushed per file (to push only changes).
#[derive(Default)]
pub struct Diagnostics {
    checkers: HashMap<Option<PathBuf>, Checker>,
    published: HashMap<PathBuf, Vec<Diagnostic>>,
    /// Paths whose diagnostics may have changed in a check an edit
    /// overtook before it pushed them: the next check pushes them too (its
    /// checkers only see what changed since the overtaken check).
    pending: BTreeSet<PathBuf>,
}

/// What a check hands back to the owner.
pub struct Outcome {
    pub diagnostics: Diagnostics,
    /// The diagnostics of the snapshot checked (`None` if the check failed).
    pub checked: Option<Arc<Checked>>,
    /// The diagnostics were pushed (or refreshes sent): the check was not
    /// overtaken by a change.
    pub pushed: bool,
}

/// Checks `snapshot` on the blocking pool, then pushes the diagnostics
/// that changed, or asks a pulling client to pull again (when it said it
/// takes `workspace/diagnostic/refresh`), and asks for inlay hints and
/// code lenses again (they show what other files declare and map; the
/// refreshes in a task of their own, not waited for). A
/// check that `cancel` marks as overtaken pushes nothing: the next one
/// does. The first check is reported as progress (`xwalk/checking`) and
/// in the log ("checked N files in M ms").
pub async fn check(
    server: Arc<Server>,
    snapshot: Arc<Snapshot>,
    mut diagnostics: Diagnostics,
    cancel: Arc<AtomicBool>,
    first: bool,
) -> Outcome {
    let started = std::time::Instant::now();
    let progress = match first {
        true => begin_progress(&server, "xwalk/checking", "Checking mapping files").await,
        false => None,
    };
    let push = !server.support().pull_diagnostics;
    let enc = server.encoding();
    let s = snapshot.clone();
    let c = cancel.clone();
    let blocking = tokio::task::spawn_blocking(move || {
        let (checked, mut changed) = update(&mut diagnostics, &s);
        changed.append(&mut diagnostics.pending);
        let updates = match push && !c.load(Ordering::SeqCst) {
            true => convert_changed(&diagnostics, &checked, &changed, enc, &s),
            false => Vec::new(),
        };
        (diagnostics, checked, updates, changed)
    });
    let Ok((mut diagnostics, checked, updates, changed)) = blocking.await else {
        return Outcome {
            diagnostics: Diagnostics::default(),
            checked: None,
            pushed: false,
        };
    };
    if first {
        let files: usize = (checked.roots.iter())
            .map(|r| r.ws.workspace_files().count())
            .sum();
        let ms = started.elapsed().as_millis();
        if let Some(p) = progress {
            p.finish_with_message(format!("{files} files")).await;
        }
        let message = format!("checked {files} files in {ms} ms");
        server.log(MessageType::INFO, message).await;
    }
    let pushed = !cancel.load(Ordering::SeqCst);
    if pushed {
        send(&server, &mut diagnostics.published, updates).await;
        // Not waited for: the owner starts the next check when this one
        // hands back its outcome, and a client that answers the refresh
        // requests late (busy, or reading its input only when it writes
        // the next change) would hold every next check back by its
        // round trip.
        let s = server.clone();
        tokio::spawn(async move { refresh(&s, !push).await });
    } else if push {
        diagnostics.pending = changed;
    }
    Outcome {
        diagnostics,
        checked: Some(checked),
        pushed,
    }
}

/// Brings every root's checker up to date with the snapshot; returns the
/// check and the paths whose diagnostics may have changed.
fn update(d: &mut Diagnostics, snapshot: &Snapshot) -> (Arc<Checked>, BTreeSet<PathBuf>) {
    let mut checkers = std::mem::take(&mut d.checkers);
    let mut changed = BTreeSet::new();
    let mut roots = Vec::new();
    for view in &snapshot.roots {
        let mut checker = checkers.remove(&view.path).unwrap_or_default();
        changed.extend(checker.update(&view.ws));
        roots.push(CheckedRoot {
            path: view.path.clone(),
            ws: view.ws.clone(),
            files: checker.files(),
        });
        d.checkers.insert(view.path.clone(), checker);
    }
    let checked = Checked {
        seq: snapshot.seq,
        roots,
        versions: snapshot.versions.clone(),
    };
    // Files no longer in any workspace (a root gone) are cleared.
    changed.extend(
        (d.published.keys())
            .filter(|p| checked.file(p).is_none())
            .cloned(),
    );
    (Arc::new(checked), changed)
}

/// The LSP diagnostics of the `changed` paths that differ from what was
/// pushed: (path, diagnostics, version), the documents open in the editor
/// first (what a person is looking at is not held back by a folder that
/// loaded meanwhile), then in path order.
fn convert_changed(
    d: &Diagnostics,
    checked: &Checked,
    changed: &BTreeSet<PathBuf>,
    enc: convert::Encoding,
    snapshot: &Snapshot,
) -> Vec<(PathBuf, Vec<Diagnostic>, Option<i32>)> {
    let cache_dir = snapshot.settings.cache_dir();
    let (open, closed): (Vec<&PathBuf>, Vec<&PathBuf>) = changed
        .iter()
        .partition(|p| checked.versions.contains_key(*p));
    open.into_iter()
        .chain(closed)
        .cloned()
        .filter_map(|path| {
            let now = match checked.file(&path) {
                Some((ws, id, ds)) => {
                    let doc = Doc::new(ws.clone(), id, enc, cache_dir.clone());
                    lsp_diagnostics(&doc, ds)
                }
                None => Vec::new(),
            };
            let before = d.published.get(&path);
            if before.map_or(now.is_empty(), |b| b == &now) {
                return None;
            }
            let version = checked.versions.get(&path).copied();
            Some((path, now, version))
        })
        .collect()
}

/// Pushes diagnostics, recording them as published.
async fn send(
    server: &Server,
    published: &mut HashMap<PathBuf, Vec<Diagnostic>>,
    updates: Vec<(PathBuf, Vec<Diagnostic>, Option<i32>)>,
) {
    for (path, now, version) in updates {
        let Some(uri) = Uri::from_file_path(&path) else {
            continue;
        };
        if now.is_empty() {
            published.remove(&path);
        } else {
            published.insert(path, now.clone());
        }
        server.client.publish_diagnostics(uri, now, version).await;
    }
}

/// Asks the client for what it pulls, if it takes such requests. The
/// three are sent at once: each answer is waited for (at most a second),
/// and one slow answer must not hold back the others.
async fn refresh(server: &Server, pulls_diagnostics: bool) {
    let support = server.support();
    let diagnostics = async {
        if pulls_diagnostics && support.diagnostic_refresh {
            ask(server.client.workspace_diagnostic_refresh()).await;
        }
    };
    let hints = async {
        if support.inlay_hint_refresh {
            ask(server.client.inlay_hint_refresh()).await;
        }
    };
    let lenses = async {
        if support.code_lens_refresh {
            ask(server.client.code_lens_refresh()).await;
        }
    };
    futures::join!(diagnostics, hints, lenses);
}

/// A file's diagnostics in LSP form.
pub fn lsp_diagnostics(doc: &Doc, ds: &[check::Diagnostic]) -> Vec<Diagnostic> {
    convert::diagnostics(&doc.ws, doc.file, ds, doc.enc, &|fr| doc.location(fr))
}

impl Server {
    /// The `check` diagnostics of a document as of the request's snapshot
    /// (waiting for its check), for code actions and pulls.
    pub async fn check_diagnostics(
        &self,
        uri: &Uri,
    ) -> Option<(Arc<Workspace>, FileId, Vec<check::Diagnostic>)> {
        let path = uri_path(uri)?;
        let checked = self.checked().await?;
        let (ws, id, ds) = checked.file(&path)?;
        Some((ws.clone(), id, ds.to_vec()))
    }
}

/// `textDocument/diagnostic`.
pub async fn pull(
    server: &Server,
    params: DocumentDiagnosticParams,
) -> DocumentDiagnosticReportResult {
    let items = match server.check_diagnostics(&params.text_document.uri).await {
        Some((ws, file, ds)) => lsp_diagnostics(&server.doc_of(ws, file), &ds),
        None => Vec::new(),
    };
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: None,
                items,
            },
        },
    ))
}

/// `workspace/diagnostic`: every file of every workspace.
pub async fn pull_workspace(server: &Server) -> Result<WorkspaceDiagnosticReportResult> {
    let mut items = Vec::new();
    let Some(checked) = server.checked().await else {
        return Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ));
    };
    for root in &checked.roots {
        for (id, f) in root.ws.workspace_files() {
            let Some(uri) = Uri::from_file_path(&f.path) else {
                continue;
            };
            let doc = server.doc_of(root.ws.clone(), id);
            let ds = root.files.get(id.0 as usize).map_or(&[][..], |d| &d[..]);
            items.push(WorkspaceDocumentDiagnosticReport::Full(
                WorkspaceFullDocumentDiagnosticReport {
                    uri,
                    version: checked.versions.get(&f.path).map(|&v| v as i64),
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: None,
                        items: lsp_diagnostics(&doc, ds),
                    },
                },
            ));
        }
    }
    Ok(WorkspaceDiagnosticReportResult::Report(
        WorkspaceDiagnosticReport { items },
    ))
}
