//! Diagnostics: pushed (`textDocument/publishDiagnostics`, only for files
//! whose diagnostics changed), pulled (`textDocument/diagnostic`,
//! `workspace/diagnostic`), and the refresh that tells a pulling client to
//! pull again, sent only when the client advertised it. Every one comes
//! from the indexed workspace: pulls wait for indexing (`ordered.rs`) and
//! pushes start after it.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::convert::{self, uri_path};
use super::lifecycle::{ask, begin_progress};
use super::server::{Server, lock};
use crate::check;
use crate::model::{FileId, Workspace};

impl Server {
    /// Runs `f` on the root's analysis, brought up to date with the root's
    /// current workspace, with the files whose diagnostics changed since
    /// they were last published and the versions of the open documents
    /// that workspace holds. `None` when the root is gone.
    pub fn with_diagnostics<R>(
        &self,
        root: usize,
        f: impl FnOnce(
            &Arc<Workspace>,
            &check::Analysis,
            &mut BTreeSet<PathBuf>,
            &HashMap<PathBuf, i32>,
        ) -> R,
    ) -> Option<R> {
        let holder = self.state().roots.get(root)?.diagnostics.clone();
        tokio::task::block_in_place(|| {
            // The root's diagnostics are locked on their own (bringing them
            // up to date after a big change takes a while), then the state
            // briefly; never the other way round.
            let mut diagnostics = lock(&holder);
            let (ws, versions) = {
                let mut state = self.state();
                let versions = state
                    .open
                    .iter()
                    .map(|(p, d)| (p.clone(), d.version))
                    .collect();
                (state.roots.get_mut(root)?.workspace(), versions)
            };
            let (analysis, unpublished) = diagnostics.update(&ws);
            Some(f(&ws, analysis, unpublished, &versions))
        })
    }

    /// The diagnostics of a file in LSP form (empty for an unknown file).
    pub fn file_diagnostics(&self, path: &Path) -> Vec<Diagnostic> {
        let root = self.state().root_index(path);
        self.with_diagnostics(root, |ws, analysis, _, _| {
            let file = ws.file_by_path(path)?;
            Some(self.lsp_diagnostics(ws, file, &analysis.file_diagnostics(ws, file)))
        })
        .flatten()
        .unwrap_or_default()
    }

    /// The `check` diagnostics of a document, for code actions.
    pub fn check_diagnostics(
        &self,
        path: &Path,
    ) -> Option<(Arc<Workspace>, FileId, Vec<check::Diagnostic>)> {
        let root = self.state().root_index(path);
        self.with_diagnostics(root, |ws, analysis, _, _| {
            let file = ws.file_by_path(path)?;
            Some((ws.clone(), file, analysis.file_diagnostics(ws, file)))
        })
        .flatten()
    }

    pub fn lsp_diagnostics(
        &self,
        ws: &Arc<Workspace>,
        file: FileId,
        ds: &[check::Diagnostic],
    ) -> Vec<Diagnostic> {
        let doc = self.workspace_doc(ws.clone());
        convert::diagnostics(ws, file, ds, doc.enc, &|fr| doc.location(fr))
    }
}

/// Publishes the diagnostics of every file whose diagnostics changed since
/// they were last published (and differ from what was).
pub async fn publish_all(server: &Server) {
    let roots = server.state().root_count();
    for i in 0..roots {
        let updates = server.with_diagnostics(i, |ws, analysis, unpublished, versions| {
            std::mem::take(unpublished)
                .into_iter()
                .map(|path| {
                    // A path no longer in the workspace is cleared.
                    let now = match ws.file_by_path(&path) {
                        Some(id) => {
                            server.lsp_diagnostics(ws, id, &analysis.file_diagnostics(ws, id))
                        }
                        None => Vec::new(),
                    };
                    let version = versions.get(&path).copied();
                    (path, now, version)
                })
                .collect::<Vec<_>>()
        });
        let Some(updates) = updates else { break };
        let mut send = Vec::new();
        {
            let mut published = lock(&server.published);
            for (path, now, version) in updates {
                let before = published.get(&path);
                if before.map_or(now.is_empty(), |b| b == &now) {
                    continue;
                }
                if now.is_empty() {
                    published.remove(&path);
                } else {
                    published.insert(path.clone(), now.clone());
                }
                if let Some(uri) = Uri::from_file_path(&path) {
                    send.push((uri, now, version));
                }
            }
        }
        for (uri, diagnostics, version) in send {
            server
                .client
                .publish_diagnostics(uri, diagnostics, version)
                .await;
        }
    }
}

/// After a change: push the diagnostics, or ask a pulling client to pull
/// again (when it said it takes `workspace/diagnostic/refresh`; a client
/// that does not pulls on its own after each edit). Inlay hints and code
/// lenses show what other files declare and map (a title, a count): a
/// client that takes refresh requests is asked for them again, or the
/// views of files the change did not touch (the other files of a rename)
/// stay as they were until their next edit.
/// The three are sent at once: each answer is waited for (at most a second),
/// and one client's slow answer must not hold back the others.
pub async fn after_change(server: &Server) {
    let support = server.support();
    let diagnostics = async {
        if !support.pull_diagnostics {
            publish_all(server).await;
        } else if support.diagnostic_refresh {
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

/// After each edit (signalled by the ordered path), in the background:
/// the diagnostics, then, once no edit came for [`QUIET`], what
/// suggestions in completion need of the new version (the edited files'
/// excerpts indexed, the term directory, the targets; see
/// `suggest::prepare_here`), so that no request waits for it.
pub fn spawn_task(server: Arc<Server>) {
    let edits = Arc::new(AtomicU64::new(0));
    tokio::spawn(async move {
        loop {
            server.changed.notified().await;
            let applied = server.edits.load(Ordering::SeqCst);
            after_change(&server).await;
            server.mark_published(applied);
            let this = edits.fetch_add(1, Ordering::SeqCst) + 1;
            let (server, edits) = (server.clone(), edits.clone());
            tokio::spawn(async move {
                tokio::time::sleep(QUIET).await;
                if edits.load(Ordering::SeqCst) != this {
                    return;
                }
                let workspaces = server.state().workspaces();
                tokio::task::spawn_blocking(move || prepare_suggestions(&workspaces));
            });
        }
    });
}

/// Brings what suggestions need up to date for each workspace, on the
/// calling thread at a lower priority (see `suggest::prepare_here`).
pub fn prepare_suggestions(workspaces: &[Arc<crate::model::Workspace>]) {
    super::background::lower_priority();
    for ws in workspaces {
        crate::suggest::prepare_here(ws);
    }
}

/// How long the editor must be quiet before the suggestions' tables are
/// brought up to date.
const QUIET: std::time::Duration = std::time::Duration::from_millis(300);

/// The first check of every workspace, after indexing, reported as
/// progress (`xwalk/checking`) and in the log ("checked N files in M ms").
pub async fn check_all(server: &Server) {
    let started = std::time::Instant::now();
    let progress = begin_progress(server, "xwalk/checking", "Checking mapping files").await;
    let roots = server.state().root_count();
    let mut files = 0;
    for i in 0..roots {
        if let Some(p) = &progress {
            p.report((100 * i / roots.max(1)) as u32).await;
        }
        files += server
            .with_diagnostics(i, |ws, _, _, _| ws.workspace_files().count())
            .unwrap_or(0);
    }
    let ms = started.elapsed().as_millis();
    if let Some(p) = progress {
        p.finish_with_message(format!("{files} files")).await;
    }
    server
        .log(
            MessageType::INFO,
            format!("checked {files} files in {ms} ms"),
        )
        .await;
}

/// `textDocument/diagnostic`.
pub fn pull(server: &Server, params: DocumentDiagnosticParams) -> DocumentDiagnosticReportResult {
    let items = uri_path(&params.text_document.uri)
        .map(|path| server.file_diagnostics(&path))
        .unwrap_or_default();
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
pub fn pull_workspace(server: &Server) -> Result<WorkspaceDiagnosticReportResult> {
    let roots = server.state().root_count();
    let mut items = Vec::new();
    for i in 0..roots {
        let reports = server.with_diagnostics(i, |ws, analysis, _, versions| {
            ws.workspace_files()
                .filter_map(|(id, f)| {
                    let uri = Uri::from_file_path(&f.path)?;
                    let diagnostics = analysis.file_diagnostics(ws, id);
                    Some(WorkspaceDocumentDiagnosticReport::Full(
                        WorkspaceFullDocumentDiagnosticReport {
                            uri,
                            version: versions.get(&f.path).map(|&v| v as i64),
                            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                                result_id: None,
                                items: server.lsp_diagnostics(ws, id, &diagnostics),
                            },
                        },
                    ))
                })
                .collect::<Vec<_>>()
        });
        items.extend(reports.into_iter().flatten());
    }
    Ok(WorkspaceDiagnosticReportResult::Report(
        WorkspaceDiagnosticReport { items },
    ))
}
