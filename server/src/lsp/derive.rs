//! Every call the server makes into the model's derived data, in one
//! place: building a root's next workspace from the last one (which is
//! how every table of the new version finds the newest earlier table to
//! derive from: `model::incremental`), reading a root's diagnostics, and
//! preparing what hover, code lens and completion read. Nothing else in
//! `lsp` calls `Workspace::with_changed_files`, `check::analysis` or
//! `suggest::prepare_here`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::check::{self, Analysis};
use crate::model::{Config, FileId, SourceFile, Workspace};

/// The workspace of a root's files: after `last` (sharing what did not
/// change), or from scratch.
pub fn workspace(
    root: Option<PathBuf>,
    config: &Config,
    last: Option<&Workspace>,
    files: Vec<Arc<SourceFile>>,
) -> Workspace {
    match last {
        Some(last) => Workspace::with_changed_files(last, files),
        None => Workspace::from_files(root, config.clone(), files),
    }
}

/// What the editor features read, built ahead of the first request: the
/// tree of each file edited since its tree was last parsed (see
/// `SourceFile::parse_edited_tree`), the mapping counts (`counts`) and
/// the suggestions' tables. Runs on the calling thread at a lower
/// priority.
pub fn prepare(workspaces: &[Arc<Workspace>], counts: bool) {
    super::background::lower_priority();
    for ws in workspaces {
        for (_, file) in ws.workspace_files() {
            file.parse_edited_tree();
        }
    }
    for ws in workspaces {
        if counts {
            ws.target_counts();
        }
        crate::suggest::prepare_here(ws);
    }
}

/// The diagnostics of one root, for each new workspace: the analysis of
/// that version (a table derived from the last version's:
/// `check::analysis`), and its diagnostics per file (by `FileId`), shared
/// with the snapshots that show them.
#[derive(Default)]
pub struct Checker {
    analysis: Option<Arc<Analysis>>,
    files: Arc<Vec<Arc<[check::Diagnostic]>>>,
    /// The workspace last checked: held so that the files it replaces are
    /// freed off the request path (see `lsp::background`).
    workspace: Option<Arc<Workspace>>,
}

impl Checker {
    /// The diagnostics of `ws`; returns the paths whose diagnostics may
    /// have changed since the workspace last checked (files gone
    /// included).
    pub fn update(&mut self, ws: &Arc<Workspace>) -> BTreeSet<PathBuf> {
        let previous = self.workspace.replace(ws.clone());
        let analysis = check::analysis(ws).clone();
        let mut changed = BTreeSet::new();
        let ids: Vec<FileId> = match &self.analysis {
            Some(before) if before.paths() == analysis.paths() => analysis
                .changed_since(before.revision())
                .filter(|id| !ws.file(*id).is_builtin())
                .collect(),
            before => {
                // Files came or went (`FileId`s changed meaning): the ones
                // that went are cleared, every file is read again.
                if let Some(before) = before {
                    changed.extend(before.paths().iter().cloned());
                }
                *Arc::make_mut(&mut self.files) = vec![Arc::from(Vec::new()); ws.files.len()];
                ws.workspace_files().map(|(id, _)| id).collect()
            }
        };
        let files = Arc::make_mut(&mut self.files);
        for id in ids {
            files[id.0 as usize] = analysis.file_diagnostics(ws, id).into();
            changed.insert(ws.file(id).path.clone());
        }
        self.analysis = Some(analysis);
        // Now that the analysis has let go of the files `ws` replaced, the
        // previous workspace holds the last reference to them.
        if let Some(previous) = previous {
            super::background::drop_later(previous);
        }
        changed
    }

    /// The diagnostics of every file of the workspace last checked, by
    /// `FileId`.
    pub fn files(&self) -> Arc<Vec<Arc<[check::Diagnostic]>>> {
        self.files.clone()
    }
}
