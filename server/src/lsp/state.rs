//! The server's state, owned by the owner task (`owner.rs`) and changed
//! only by it, in order: workspace roots with their files (from disk, or
//! the editor's text for open documents), and the open documents.
//!
//! An open document's text lives once: in its `SourceFile`, shared by the
//! document and its root. Edits convert LSP positions with that file's
//! line index.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

use super::convert::{self, Encoding};
use super::root::{self, source_file};
pub use super::root::{Loaded, Root, load_folder};
use super::snapshot::{View, root_index};
use crate::model::config::CONFIG_FILE;
use crate::model::{Config, LineIndex, SourceFile};
use crate::syntax;
use crate::syntax::edit::Editor;

/// A document open in the editor: its version and its current file (the
/// one its root holds).
pub struct OpenDoc {
    pub version: i32,
    pub file: Arc<SourceFile>,
}

pub struct State {
    /// `roots[0]` holds the loose files.
    pub roots: Vec<Root>,
    pub open: HashMap<PathBuf, OpenDoc>,
}

impl Default for State {
    fn default() -> State {
        State {
            roots: vec![Root::new(None, Config::default())],
            open: HashMap::new(),
        }
    }
}

/// What the owner must read from disk after a disk event.
pub enum DiskWork {
    /// The file, changed or created, inside a root.
    File(PathBuf),
    /// The root at this folder: its `xwalk.toml` changed.
    Root(PathBuf),
}

impl State {
    /// The root holding `path`.
    pub fn root_index(&self, path: &Path) -> usize {
        root_index(self.roots.iter().map(|r| r.path.as_deref()), path)
    }

    /// The paths of the roots (for loading only the new ones).
    pub fn root_paths(&self) -> Vec<PathBuf> {
        self.roots.iter().filter_map(|r| r.path.clone()).collect()
    }

    /// The current workspace of every root (built where files changed).
    pub fn views(&mut self) -> Vec<View> {
        self.roots
            .iter_mut()
            .map(|r| View {
                path: r.path.clone(),
                ws: r.workspace(),
            })
            .collect()
    }

    /// Puts `file` in the root that holds its path.
    fn put(&mut self, path: &Path, file: Arc<SourceFile>) {
        let i = self.root_index(path);
        self.roots[i].files.insert(path.to_path_buf(), file);
        self.roots[i].invalidate();
    }

    /// Adds roots read from disk (skipping any already there, which a
    /// later event may have added); open documents inside them keep the
    /// editor's text, and open loose documents move into them.
    pub fn add_roots(&mut self, loaded: Vec<Root>) {
        for root in loaded {
            if self.roots.iter().any(|r| r.path == root.path) {
                continue;
            }
            self.roots.push(root);
        }
        self.rehome_open();
    }

    /// Replaces the root at `root.path` (its `xwalk.toml` changed).
    pub fn replace_root(&mut self, root: Root) {
        self.roots.retain(|r| r.path != root.path);
        self.roots.push(root);
        self.rehome_open();
    }

    /// Removes the root at `dir` (its `xwalk.toml` was deleted).
    pub fn remove_root(&mut self, dir: &Path) {
        self.roots.retain(|r| r.path.as_deref() != Some(dir));
        self.rehome_open();
    }

    /// Puts every open document in the root that holds it now, with the
    /// editor's text.
    fn rehome_open(&mut self) {
        for root in &mut self.roots {
            let before = root.files.len();
            root.files
                .retain(|p, f| self.open.get(p).is_none_or(|d| Arc::ptr_eq(&d.file, f)));
            if root.files.len() != before {
                root.invalidate();
            }
        }
        let open: Vec<(PathBuf, Arc<SourceFile>)> = (self.open.iter())
            .map(|(p, d)| (p.clone(), d.file.clone()))
            .collect();
        for (path, file) in open {
            let i = self.root_index(&path);
            if !self.roots[i]
                .files
                .get(&path)
                .is_some_and(|f| Arc::ptr_eq(f, &file))
            {
                self.put(&path, file);
            }
        }
    }

    pub fn open(&mut self, path: PathBuf, version: i32, text: String) {
        let parse = syntax::parse(&text);
        let file = source_file(&path, text, Some(parse));
        self.put(&path, file.clone());
        self.open.insert(path, OpenDoc { version, file });
    }

    /// Applies edits in order; their positions count in `encoding`. A
    /// version not newer than the current one is refused (the edit is
    /// stale or out of order); so is an edit to a document that is not
    /// open.
    pub fn change(
        &mut self,
        path: &Path,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> Result<(), String> {
        let doc = self
            .open
            .get_mut(path)
            .ok_or_else(|| format!("ignored a change to {}: it is not open", path.display()))?;
        if version <= doc.version {
            return Err(format!(
                "ignored a change to {} with version {version}: it already has version {}",
                path.display(),
                doc.version
            ));
        }
        let file = doc.file.clone();
        let mut editor = Editor::new(&file.text, &file.parse, file.tree_to_edit());
        // The line index of the edited text: the file's own until an edit
        // changes it.
        let mut lines: Option<LineIndex> = None;
        let mut unchanged = true;
        for change in changes {
            match change.range {
                None => {
                    editor.replace_all(change.text);
                    (lines, unchanged) = (None, false);
                }
                Some(range) => {
                    let text = editor.text();
                    let index = match (&lines, unchanged) {
                        (_, true) => file.line_index(),
                        (Some(index), false) => index,
                        (None, false) => lines.insert(LineIndex::new(text)),
                    };
                    let start = convert::offset(text, index, range.start, encoding);
                    let end = convert::offset(text, index, range.end, encoding).max(start);
                    editor.replace(start..end, &change.text);
                    (lines, unchanged) = (None, false);
                }
            }
        }
        let new = Arc::new(SourceFile::edited(&file, editor.finish()));
        doc.version = version;
        doc.file = new.clone();
        self.put(path, new);
        Ok(())
    }

    /// Closes a document: its file falls back to what is on disk, which
    /// the owner reads off its path (`DiskWork::File`; the editor's last
    /// text stands until then); a loose file goes.
    pub fn close(&mut self, path: &Path) -> Option<DiskWork> {
        self.open.remove(path);
        let i = self.root_index(path);
        if i != 0 {
            return Some(DiskWork::File(path.to_path_buf()));
        }
        self.roots[0].files.remove(path);
        self.roots[0].invalidate();
        None
    }

    /// A file changed on disk (watched files): what is known at once is
    /// applied (a deletion, a file the globs leave out); what must be
    /// read is returned. Open documents keep the editor's text. Nothing
    /// walks the folder: the globs are checked for this one path.
    pub fn disk_changed(&mut self, path: &Path, deleted: bool) -> Option<DiskWork> {
        if path.file_name().is_some_and(|n| n == CONFIG_FILE) {
            let dir = path.parent()?;
            if deleted {
                self.remove_root(dir);
                return None;
            }
            return Some(DiskWork::Root(dir.to_path_buf()));
        }
        if self.open.contains_key(path) {
            return None;
        }
        let i = self.root_index(path);
        let root = &mut self.roots[i];
        let root_path = root.path.clone()?;
        if deleted || !root::includes(&root_path, &root.config, path) {
            if root.files.remove(path).is_some() {
                root.invalidate();
            }
            return None;
        }
        Some(DiskWork::File(path.to_path_buf()))
    }

    /// A file read after a disk event or a close: put in its root unless
    /// it was opened since, or the globs leave it out.
    pub fn file_read(&mut self, path: &Path, file: Option<Arc<SourceFile>>) {
        if self.open.contains_key(path) {
            return;
        }
        let i = self.root_index(path);
        let root = &mut self.roots[i];
        let included =
            (root.path.as_deref()).is_some_and(|r| root::includes(r, &root.config, path));
        match file.filter(|_| included) {
            Some(file) => {
                root.files.insert(path.to_path_buf(), file);
            }
            None => {
                root.files.remove(path);
            }
        }
        root.invalidate();
    }

    /// Applies roots read from disk.
    pub fn loaded(&mut self, loaded: Loaded) {
        self.add_roots(loaded.roots);
    }

    /// The number of files and of workspace roots.
    pub fn counts(&self) -> (usize, usize) {
        let files = self.roots.iter().map(|r| r.files.len()).sum();
        (files, self.roots.len() - 1)
    }
}
