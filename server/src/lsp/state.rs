//! The server's state: workspace roots with their files (from disk, or the
//! editor's text for open documents) and a cached, shared `Workspace` per
//! root, rebuilt on demand after a change.
//!
//! Every edit goes through [`State::change`], which the ordered path in
//! `lsp::ordered` calls in the order the client sent the edits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use super::convert::{self, Encoding};
pub use super::root::{Diagnostics, Root};
use crate::model::config::CONFIG_FILE;
use crate::model::load::{self, LoadError};
use crate::model::{Config, FileId, LineIndex, Origin, SourceFile, Workspace};
use crate::syntax;
use crate::syntax::edit::Editor;

/// A document open in the editor.
pub struct OpenDoc {
    pub uri: Uri,
    pub version: i32,
    pub rope: Rope,
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

fn source_file(path: &Path, text: String, parse: Option<syntax::Parse>) -> Arc<SourceFile> {
    let name = path.to_string_lossy().into_owned();
    Arc::new(match parse {
        Some(parse) => {
            SourceFile::from_parse(path.to_path_buf(), name, text, Origin::Workspace, parse)
        }
        None => SourceFile::new(path.to_path_buf(), name, text, Origin::Workspace),
    })
}

impl State {
    /// Loads every workspace at or under `folder` (and the one above it,
    /// if `folder` is inside one). Returns the problems met.
    pub fn add_folder(&mut self, folder: &Path) -> Vec<LoadError> {
        let mut errors = Vec::new();
        let mut roots: Vec<PathBuf> = Vec::new();
        if let Some(up) = load::find_root(folder) {
            roots.push(up);
        }
        for entry in walkdir::WalkDir::new(folder)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .flatten()
        {
            if entry.file_name() == CONFIG_FILE
                && entry.file_type().is_file()
                && let Some(dir) = entry.path().parent()
            {
                roots.push(dir.to_path_buf());
            }
        }
        roots.sort();
        roots.dedup();
        for root in roots {
            if self.roots.iter().any(|r| r.path.as_deref() == Some(&root)) {
                continue;
            }
            errors.extend(self.load_root(root));
        }
        // Open documents now inside a new root move there.
        let open: Vec<PathBuf> = self.roots[0].files.keys().cloned().collect();
        for path in open {
            let i = self.root_index(&path);
            if i != 0
                && let Some(file) = self.roots[0].files.remove(&path)
            {
                self.roots[i].files.insert(path, file);
                self.roots[i].invalidate();
                self.roots[0].invalidate();
            }
        }
        errors
    }

    fn load_root(&mut self, root: PathBuf) -> Vec<LoadError> {
        let mut errors = Vec::new();
        let config = match Config::load(&root.join(CONFIG_FILE)) {
            Ok(c) => c,
            Err(e) => {
                errors.push(load::config_error(&root.join(CONFIG_FILE), None, e));
                Config::default()
            }
        };
        let paths = load::workspace_files(&root, &config).unwrap_or_else(|e| {
            errors.push(e);
            Vec::new()
        });
        use rayon::prelude::*;
        // Read and parse each file in one parallel pass.
        let results: Vec<Result<(PathBuf, Arc<SourceFile>), LoadError>> = paths
            .into_par_iter()
            .map(|p| {
                let t = load::read(&p)?;
                Ok((p.clone(), source_file(&p, t, None)))
            })
            .collect();
        let mut parsed = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(file) => parsed.push(file),
                Err(e) => errors.push(e),
            }
        }
        let mut r = Root::new(Some(root), config);
        r.files.extend(parsed);
        // Open documents override what is on disk.
        for (path, doc) in &self.open {
            if r.path.as_ref().is_some_and(|p| path.starts_with(p)) {
                r.files
                    .insert(path.clone(), source_file(path, doc.rope.to_string(), None));
            }
        }
        errors.extend(load::workspace_config_errors(&r.workspace(), None));
        self.roots.push(r);
        errors
    }

    /// The root holding `path`: the deepest workspace containing it, or
    /// the loose files.
    pub fn root_index(&self, path: &Path) -> usize {
        self.roots
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                r.path
                    .as_ref()
                    .filter(|p| path.starts_with(p))
                    .map(|p| (p.components().count(), i))
            })
            .max()
            .map_or(0, |(_, i)| i)
    }

    /// The workspace of `path` and the file's id in it.
    pub fn locate(&mut self, path: &Path) -> Option<(Arc<Workspace>, FileId)> {
        let i = self.root_index(path);
        let ws = self.roots[i].workspace();
        let id = ws.file_by_path(path)?;
        Some((ws, id))
    }

    pub fn open(&mut self, uri: Uri, path: PathBuf, version: i32, text: String) {
        let i = self.root_index(&path);
        let file = source_file(&path, text.clone(), Some(syntax::parse(&text)));
        self.roots[i].files.insert(path.clone(), file);
        self.roots[i].invalidate();
        self.open.insert(
            path,
            OpenDoc {
                uri,
                version,
                rope: Rope::from_str(&text),
            },
        );
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
        let i = self.root_index(path);
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
        let file = self.roots[i]
            .files
            .get(path)
            .cloned()
            .unwrap_or_else(|| source_file(path, doc.rope.to_string(), None));
        let mut editor = Editor::new(&file.text, &file.parse, file.tree().clone());
        // The line index of the edited text: the file's own until an edit
        // changes it.
        let mut lines: Option<LineIndex> = None;
        let mut unchanged = true;
        for change in changes {
            match change.range {
                None => {
                    doc.rope = Rope::from_str(&change.text);
                    editor.replace_all(change.text);
                    (lines, unchanged) = (None, false);
                }
                Some(range) => {
                    let text = editor.text();
                    let index = match (&lines, unchanged) {
                        (_, true) => &file.lines,
                        (Some(index), false) => index,
                        (None, false) => lines.insert(LineIndex::new(text)),
                    };
                    let start = convert::offset(text, index, range.start, encoding);
                    let end = convert::offset(text, index, range.end, encoding).max(start);
                    let start_char = doc.rope.byte_to_char(start);
                    let end_char = doc.rope.byte_to_char(end);
                    doc.rope.remove(start_char..end_char);
                    doc.rope.insert(start_char, &change.text);
                    editor.replace(start..end, &change.text);
                    (lines, unchanged) = (None, false);
                }
            }
        }
        doc.version = version;
        let (text, parse) = editor.finish();
        let new = source_file(path, text, Some(parse));
        self.roots[i].files.insert(path.to_path_buf(), new);
        self.roots[i].invalidate();
        Ok(())
    }

    /// Closes a document: its file falls back to what is on disk.
    pub fn close(&mut self, path: &Path) {
        self.open.remove(path);
        let i = self.root_index(path);
        let on_disk = if i != 0 { load::read(path).ok() } else { None };
        match on_disk {
            Some(text) => {
                self.roots[i]
                    .files
                    .insert(path.to_path_buf(), source_file(path, text, None));
            }
            None => {
                self.roots[i].files.remove(path);
            }
        }
        self.roots[i].invalidate();
    }

    /// A file changed on disk (watched files). Open documents keep the
    /// editor's text.
    pub fn disk_changed(&mut self, path: &Path, deleted: bool) {
        if path.file_name().is_some_and(|n| n == CONFIG_FILE) {
            if let Some(dir) = path.parent() {
                self.roots.retain(|r| r.path.as_deref() != Some(dir));
                if !deleted {
                    self.load_root(dir.to_path_buf());
                }
            }
            return;
        }
        if self.open.contains_key(path) {
            return;
        }
        let i = self.root_index(path);
        if i == 0 {
            return;
        }
        let included = {
            let root = &self.roots[i];
            let root_path = root.path.as_deref().unwrap_or(Path::new(""));
            load::workspace_files(root_path, &root.config)
                .map(|files| files.iter().any(|f| f == path))
                .unwrap_or(false)
        };
        if deleted || !included {
            self.roots[i].files.remove(path);
        } else if let Ok(text) = load::read(path) {
            self.roots[i]
                .files
                .insert(path.to_path_buf(), source_file(path, text, None));
        }
        self.roots[i].invalidate();
    }

    /// The indices of roots, for publishing diagnostics.
    pub fn root_count(&self) -> usize {
        self.roots.len()
    }

    pub fn root_workspace(&mut self, i: usize) -> Arc<Workspace> {
        self.roots[i].workspace()
    }

    /// The current workspace of every root.
    pub fn workspaces(&mut self) -> Vec<Arc<Workspace>> {
        self.roots.iter_mut().map(Root::workspace).collect()
    }
}
