//! What requests read: an immutable snapshot of the server's state,
//! published by the owner (`owner.rs`) after each batch of changes and
//! after each check. A request holds an `Arc<Snapshot>` and takes no lock.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::server::Settings;
use crate::check;
use crate::model::{FileId, Workspace};

/// The state after the first `seq` changes from the client.
pub struct Snapshot {
    /// How many of the client's changes (edits, settings, disk events,
    /// folders) this snapshot follows.
    pub seq: u64,
    /// `roots[0]` holds the loose files.
    pub roots: Vec<View>,
    /// The versions of the open documents.
    pub versions: HashMap<PathBuf, i32>,
    pub settings: Settings,
    /// The last finished check (of this snapshot, or of an earlier one).
    pub checked: Option<Arc<Checked>>,
}

/// One root's workspace.
pub struct View {
    /// None for the loose files.
    pub path: Option<PathBuf>,
    pub ws: Arc<Workspace>,
}

/// The diagnostics of every root after the first `seq` changes.
pub struct Checked {
    pub seq: u64,
    pub roots: Vec<CheckedRoot>,
    /// The versions of the open documents the check saw.
    pub versions: HashMap<PathBuf, i32>,
}

/// A root's workspace as checked, and its diagnostics by `FileId`.
pub struct CheckedRoot {
    pub path: Option<PathBuf>,
    pub ws: Arc<Workspace>,
    pub files: super::derive::FileDiagnostics,
}

/// The root holding `path` among roots at `paths`: the deepest containing
/// it, or the loose files (index 0).
pub fn root_index<'a>(paths: impl Iterator<Item = Option<&'a Path>>, path: &Path) -> usize {
    paths
        .enumerate()
        .filter_map(|(i, p)| {
            p.filter(|p| path.starts_with(p))
                .map(|p| (p.components().count(), i))
        })
        .max()
        .map_or(0, |(_, i)| i)
}

impl Snapshot {
    /// The empty state before anything is loaded.
    pub fn empty(settings: Settings) -> Snapshot {
        Snapshot {
            seq: 0,
            roots: Vec::new(),
            versions: HashMap::new(),
            settings,
            checked: None,
        }
    }

    /// The workspace of `path` and the file's id in it.
    pub fn locate(&self, path: &Path) -> Option<(Arc<Workspace>, FileId)> {
        let i = root_index(self.roots.iter().map(|r| r.path.as_deref()), path);
        let ws = &self.roots.get(i)?.ws;
        Some((ws.clone(), ws.file_by_path(path)?))
    }
}

impl Checked {
    /// The workspace of `path` as checked, the file's id and diagnostics.
    pub fn file(&self, path: &Path) -> Option<(&Arc<Workspace>, FileId, &[check::Diagnostic])> {
        let i = root_index(self.roots.iter().map(|r| r.path.as_deref()), path);
        let root = self.roots.get(i)?;
        let id = root.ws.file_by_path(path)?;
        Some((&root.ws, id, root.files.get(id.0 as usize)?))
    }
}
