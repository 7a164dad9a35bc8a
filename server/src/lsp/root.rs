//! A workspace root of the server's state: its configuration, its files
//! and the workspace built from them when a snapshot needs it; and the
//! loading of roots from disk, which runs on the blocking pool, off the
//! owner's path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::derive;
use crate::model::config::CONFIG_FILE;
use crate::model::load::{self, LoadError};
use crate::model::{Config, Origin, SourceFile, Workspace};
use crate::syntax;

/// A workspace root (a folder with `xwalk.toml`), or the loose files.
pub struct Root {
    /// None for files outside every workspace.
    pub path: Option<PathBuf>,
    pub config: Config,
    pub files: BTreeMap<PathBuf, Arc<SourceFile>>,
    /// The workspace of `files`, until they change.
    workspace: Option<Arc<Workspace>>,
    /// The last workspace built: the next one is built from it.
    last: Option<Arc<Workspace>>,
}

impl Root {
    pub fn new(path: Option<PathBuf>, config: Config) -> Root {
        Root {
            path,
            config,
            files: BTreeMap::new(),
            workspace: None,
            last: None,
        }
    }

    pub fn workspace(&mut self) -> Arc<Workspace> {
        if let Some(ws) = &self.workspace {
            return ws.clone();
        }
        let ws = Arc::new(derive::workspace(
            self.path.clone(),
            &self.config,
            self.last.as_deref(),
            &self.files,
        ));
        self.workspace = Some(ws.clone());
        self.last = Some(ws.clone());
        ws
    }

    pub fn invalidate(&mut self) {
        self.workspace = None;
    }

    pub fn is_dirty(&self) -> bool {
        self.workspace.is_none()
    }
}

/// A file of the workspace, parsed (with `parse`, when already done).
pub fn source_file(path: &Path, text: String, parse: Option<syntax::Parse>) -> Arc<SourceFile> {
    let name = path.to_string_lossy().into_owned();
    Arc::new(match parse {
        Some(parse) => {
            SourceFile::from_parse(path.to_path_buf(), name, text, Origin::Workspace, parse)
        }
        None => {
            let file = SourceFile::new(path.to_path_buf(), name, text, Origin::Workspace);
            // Built with the rest of the load (in parallel), not by the
            // first request that asks what maps to a target.
            file.target_table();
            file
        }
    })
}

/// Roots read from disk, to be added to the state by the owner.
pub struct Loaded {
    pub roots: Vec<Root>,
    pub errors: Vec<LoadError>,
}

/// Reads every workspace at or under `folder` (and the one above it, if
/// `folder` is inside one), except those at `known`. Blocking: runs on
/// the blocking pool.
pub fn load_folder(folder: &Path, known: &[PathBuf]) -> Loaded {
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
    let mut loaded = Loaded {
        roots: Vec::new(),
        errors: Vec::new(),
    };
    for root in roots.into_iter().filter(|r| !known.contains(r)) {
        let (r, errors) = load_root(root);
        loaded.roots.push(r);
        loaded.errors.extend(errors);
    }
    loaded
}

/// Reads and parses the workspace at `root` (blocking).
pub fn load_root(root: PathBuf) -> (Root, Vec<LoadError>) {
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
    let mut r = Root::new(Some(root), config);
    for result in results {
        match result {
            Ok((path, file)) => {
                r.files.insert(path, file);
            }
            Err(e) => errors.push(e),
        }
    }
    errors.extend(load::workspace_config_errors(&r.workspace(), None));
    (r, errors)
}

/// Reads and parses one file (blocking); `None` when it cannot be read.
pub fn read_file(path: &Path) -> Option<Arc<SourceFile>> {
    let text = load::read(path).ok()?;
    Some(source_file(path, text, None))
}

/// Is `path` one of the files of the root at `root` with `config` (its
/// include and exclude globs), without walking the folder?
pub fn includes(root: &Path, config: &Config, path: &Path) -> bool {
    load::select(root, config, vec![path.to_path_buf()]).is_ok_and(|v| !v.is_empty())
}
