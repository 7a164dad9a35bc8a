//! Every call the server makes into the model's derived data, in one
//! place: building a root's next workspace from the last one, handing a
//! file's derived tables on to its next version, keeping a root's
//! diagnostics up to date, and preparing what hover, code lens and
//! completion read. Nothing else in `lsp` calls
//! `Workspace::with_changed_files`, `SourceFile::follow`,
//! `check::Analysis` or `suggest::prepare_here`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::check::{self, Analysis};
use crate::model::{Config, SourceFile, Workspace};

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

/// Makes `new` the next version of `old`: what was derived from `old`
/// serves to derive `new`'s (the suggestions' index of its excerpts).
pub fn follow(new: &SourceFile, old: &SourceFile) {
    new.follow(old);
}

/// What hover, code lens and completion read, built ahead of the first
/// request: the mapping counts (`counts`) and the suggestions' tables.
/// Runs on the calling thread at a lower priority.
pub fn prepare(workspaces: &[Arc<Workspace>], counts: bool) {
    super::background::lower_priority();
    for ws in workspaces {
        if counts {
            ws.target_counts();
        }
        crate::suggest::prepare_here(ws);
    }
}

/// The diagnostics of one root, brought up to date with each new
/// workspace: the analysis, and its diagnostics per file (by `FileId`),
/// shared with the snapshots that show them.
#[derive(Default)]
pub struct Checker {
    analysis: Option<Analysis>,
    files: Arc<Vec<Arc<[check::Diagnostic]>>>,
    /// The workspace last checked: held so that the files it replaces are
    /// freed off the request path (see `lsp::background`).
    workspace: Option<Arc<Workspace>>,
}

impl Checker {
    /// Brings the diagnostics up to date with `ws`; returns the paths
    /// whose diagnostics may have changed (files gone included).
    pub fn update(&mut self, ws: &Arc<Workspace>) -> BTreeSet<PathBuf> {
        let previous = self.workspace.replace(ws.clone());
        let mut changed = BTreeSet::new();
        let same = self.files.len() == ws.files.len()
            && self.analysis.as_ref().is_some_and(|a| a.same_files(ws));
        let ids = match &mut self.analysis {
            Some(a) => {
                if !a.same_files(ws) {
                    // Files came or went: the ones that went are cleared.
                    changed.extend(a.paths().iter().cloned());
                }
                a.update(ws)
            }
            None => {
                self.analysis = Some(Analysis::new(ws));
                ws.workspace_files().map(|(id, _)| id).collect()
            }
        };
        let Some(analysis) = &self.analysis else {
            return changed;
        };
        let files = Arc::make_mut(&mut self.files);
        if !same {
            // `FileId`s changed meaning: every file is in `ids`.
            *files = vec![Arc::from(Vec::new()); ws.files.len()];
        }
        for id in ids {
            files[id.0 as usize] = analysis.file_diagnostics(ws, id).into();
            changed.insert(ws.file(id).path.clone());
        }
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
