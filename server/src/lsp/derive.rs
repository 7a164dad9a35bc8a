//! Every call the server makes into the model's derived data, in one
//! place: building a root's next workspace from the last one (which is
//! how every table of the new version finds the newest earlier table to
//! derive from: `model::incremental`), reading a root's diagnostics, and
//! preparing what hover, code lens and completion read. Nothing else in
//! `lsp` calls `Workspace::with_changed_files`, `check::analysis` or
//! `suggest::prepare_here`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::check::{self, Analysis};
use crate::model::{Config, FileId, Files, SourceFile, Workspace};

/// The workspace of a root's files (by path): after `last` (sharing what
/// did not change), or from scratch.
pub fn workspace(
    root: Option<PathBuf>,
    config: &Config,
    last: Option<&Workspace>,
    files: &BTreeMap<PathBuf, Arc<SourceFile>>,
) -> Workspace {
    let all = || files.values().cloned().collect::<Files>();
    match last {
        Some(last) => match replaced(last, files) {
            Some(changed) => Workspace::with_replaced_files(last, changed),
            None => Workspace::with_changed_files(last, all()),
        },
        None => Workspace::from_files(root, config.clone(), all()),
    }
}

/// The files of `files` that are new versions of `last`'s (by `FileId`),
/// when the paths are the same (the common case, an edit): the new
/// version then shares the rest with `last`, without touching every
/// file's reference. `None` when files came, went or were renamed.
fn replaced(
    last: &Workspace,
    files: &BTreeMap<PathBuf, Arc<SourceFile>>,
) -> Option<Vec<(FileId, Arc<SourceFile>)>> {
    // The workspace's own files come first, in the order of `files`.
    if last.own_count() != files.len() {
        return None;
    }
    let own = last.files.iter().take(files.len());
    let mut changed = Vec::new();
    for (i, (new, old)) in files.values().zip(own).enumerate() {
        if Arc::ptr_eq(new, old) {
            continue;
        }
        if new.path != old.path || new.is_builtin() {
            return None;
        }
        changed.push((FileId(i as u32), new.clone()));
    }
    Some(changed)
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

/// The diagnostics of a root's files, by `FileId`: a persistent vector,
/// shared by the snapshots that show them and changed in place of the
/// files whose diagnostics changed.
pub type FileDiagnostics = imbl::Vector<Arc<[check::Diagnostic]>>;

/// The diagnostics of one root, for each new workspace: the analysis of
/// that version (a table derived from the last version's:
/// `check::analysis`), and its diagnostics per file (by `FileId`), shared
/// with the snapshots that show them.
#[derive(Default)]
pub struct Checker {
    analysis: Option<Arc<Analysis>>,
    files: FileDiagnostics,
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
            Some(before) if before.same_paths(&analysis) => analysis
                .changed_since(before.revision())
                .filter(|id| !ws.file(*id).is_builtin())
                .collect(),
            before => {
                // Files came or went (`FileId`s changed meaning): the ones
                // that went are cleared, every file is read again.
                if let Some(before) = before {
                    changed.extend(before.paths().cloned());
                }
                self.files = std::iter::repeat_n(Arc::from(Vec::new()), ws.files.len()).collect();
                ws.workspace_files().map(|(id, _)| id).collect()
            }
        };
        for id in ids {
            self.files
                .set(id.0 as usize, analysis.file_diagnostics(ws, id).into());
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
    pub fn files(&self) -> FileDiagnostics {
        self.files.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn file(path: &str, text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile::new(
            path.into(),
            path.into(),
            text.into(),
            Origin::Workspace,
        ))
    }

    fn by_path(files: &[&Arc<SourceFile>]) -> BTreeMap<PathBuf, Arc<SourceFile>> {
        files
            .iter()
            .map(|f| (f.path.clone(), (*f).clone()))
            .collect()
    }

    /// The next version replaces the edited file in the last one's files
    /// and shares the rest; a file added or renamed rebuilds the list.
    #[test]
    fn the_next_workspace_replaces_only_the_changed_files() {
        let (a, b, c) = (
            file("/ws/a.xwalk", "map a:1 -> b:1\n"),
            file("/ws/b.xwalk", "map a:2 -> b:2\n"),
            file("/ws/c.xwalk", "map a:3 -> b:3\n"),
        );
        let v1 = workspace(None, &Config::default(), None, &by_path(&[&a, &b, &c]));
        let b2 = file("/ws/b.xwalk", "map a:2 -> b:9\n");
        let v2 = workspace(
            None,
            &Config::default(),
            Some(&v1),
            &by_path(&[&a, &b2, &c]),
        );
        assert_eq!(v2.files.len(), v1.files.len());
        for (i, (old, new)) in v1.files.iter().zip(&v2.files).enumerate() {
            assert_eq!(Arc::ptr_eq(old, new), i != 1, "file {i}");
        }
        assert!(Arc::ptr_eq(&v2.files[1], &b2));
        assert!(Arc::ptr_eq(&v2.index, &v1.index), "no declaration changed");
        // A declaration added: the index is built again.
        let b3 = file(
            "/ws/b.xwalk",
            "document n { title \"N\" }\nmap a:2 -> b:9\n",
        );
        let v2b = workspace(
            None,
            &Config::default(),
            Some(&v2),
            &by_path(&[&a, &b3, &c]),
        );
        assert!(v2b.index.document("n").is_some());
        assert!(v2.index.document("n").is_none());
        // A file renamed (same count, another path) and a file added.
        let d = file("/ws/d.xwalk", "map a:4 -> b:4\n");
        for files in [by_path(&[&a, &b2, &d]), by_path(&[&a, &b2, &c, &d])] {
            let v3 = workspace(None, &Config::default(), Some(&v2), &files);
            let paths: Vec<_> = v3.own_files().iter().map(|f| f.path.clone()).collect();
            assert_eq!(paths, files.keys().cloned().collect::<Vec<_>>());
            assert_eq!(
                v3.files.len(),
                files.len() + crate::model::builtin_files().len()
            );
        }
    }
}
