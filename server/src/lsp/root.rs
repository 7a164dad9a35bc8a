//! A workspace root of the server's state: its files, the workspace built
//! from them on demand, and its diagnostics.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::check::Analysis;
use crate::model::{Config, SourceFile, Workspace};

/// A workspace root (a folder with `xwalk.toml`), or the loose files.
pub struct Root {
    /// None for files outside every workspace.
    pub path: Option<PathBuf>,
    pub config: Config,
    pub files: BTreeMap<PathBuf, Arc<SourceFile>>,
    workspace: Option<Arc<Workspace>>,
    /// The last workspace built: the next one shares its index when no
    /// declaration changed.
    last: Option<Arc<Workspace>>,
    /// The root's diagnostics. Locked on its own, never while holding the
    /// state: updating it after a big change takes a while.
    pub diagnostics: Arc<Mutex<Diagnostics>>,
}

impl Root {
    pub(super) fn new(path: Option<PathBuf>, config: Config) -> Root {
        Root {
            path,
            config,
            files: BTreeMap::new(),
            workspace: None,
            last: None,
            diagnostics: Arc::default(),
        }
    }

    pub fn workspace(&mut self) -> Arc<Workspace> {
        if let Some(ws) = &self.workspace {
            return ws.clone();
        }
        let files = self.files.values().cloned().collect();
        let ws = Arc::new(match &self.last {
            Some(last) => Workspace::with_changed_files(last, files),
            _ => Workspace::from_files(self.path.clone(), self.config.clone(), files),
        });
        self.workspace = Some(ws.clone());
        self.last = Some(ws.clone());
        ws
    }

    pub(super) fn invalidate(&mut self) {
        self.workspace = None;
    }
}

/// The diagnostics of a root: the analysis of the root's newest workspace
/// (a table of the workspace, derived from the last one's: see
/// `check::Analysis`), and the files whose diagnostics changed since they
/// were last published.
#[derive(Default)]
pub struct Diagnostics {
    /// The analysis last read, and the workspace it is of: held so that
    /// the files it replaces are freed off the request path (see
    /// `lsp::background`).
    last: Option<(Arc<Workspace>, Arc<Analysis>)>,
    unpublished: BTreeSet<PathBuf>,
}

impl Diagnostics {
    /// The analysis of `ws`, and the files whose diagnostics changed since
    /// they were last published.
    pub fn update(&mut self, ws: &Arc<Workspace>) -> (&Analysis, &mut BTreeSet<PathBuf>) {
        let analysis = crate::check::analysis(ws).clone();
        match &self.last {
            Some((before, _)) if Arc::ptr_eq(before, ws) => {}
            Some((_, a)) => {
                if a.paths() != analysis.paths() {
                    // Files came or went: the ones that went are cleared.
                    self.unpublished.extend(a.paths().iter().cloned());
                }
                let since = a.revision();
                self.unpublished.extend(
                    analysis
                        .changed_since(since)
                        .filter(|id| !ws.file(*id).is_builtin())
                        .map(|id| ws.file(id).path.clone()),
                );
            }
            None => {
                self.unpublished
                    .extend(ws.workspace_files().map(|(_, f)| f.path.clone()));
            }
        }
        // Now that the analysis has let go of the files `ws` replaced, the
        // previous workspace holds the last reference to them.
        if let Some((previous, _)) = self.last.replace((ws.clone(), analysis)) {
            super::background::drop_later(previous);
        }
        let (_, analysis) = self.last.as_ref().expect("just set");
        (analysis, &mut self.unpublished)
    }
}
