//! The model: a workspace of parsed files (plus the built-in catalogs) and
//! an index of its documents, provisions and mappings.

pub mod builtin;
pub mod config;
pub mod index;
pub mod line_index;
pub mod load;
pub mod schema;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

pub use config::Config;
pub use index::Index;
pub use line_index::LineIndex;

use crate::syntax::{self, Parse};

/// Identifies a file of a [`Workspace`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// Where a file comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A catalog compiled into the binary.
    Builtin,
    /// A file of the workspace on disk (or open in an editor).
    Workspace,
}

/// One parsed `.xwalk` file.
pub struct SourceFile {
    pub path: PathBuf,
    /// How the file is named in output: as given or relative to the
    /// current folder; `builtin:NAME` for built-in catalogs.
    pub name: String,
    pub text: String,
    pub origin: Origin,
    pub lines: LineIndex,
    pub parse: Parse,
    /// The tree parsed again on demand, when `parse` dropped it.
    tree: OnceLock<tree_sitter::Tree>,
}

impl SourceFile {
    /// Parses `text`. The tree is dropped once lowered: most files of a
    /// workspace are only ever read through their AST, and the tree is the
    /// bigger part of a parse. [`SourceFile::tree`] parses it again when
    /// needed.
    pub fn new(path: PathBuf, name: String, text: String, origin: Origin) -> SourceFile {
        let mut parse = syntax::parse(&text);
        parse.tree = None;
        SourceFile::from_parse(path, name, text, origin, parse)
    }

    /// A file whose text has already been parsed (e.g. incrementally, by
    /// the language server).
    pub fn from_parse(
        path: PathBuf,
        name: String,
        text: String,
        origin: Origin,
        parse: Parse,
    ) -> SourceFile {
        SourceFile {
            lines: LineIndex::new(&text),
            path,
            name,
            text,
            origin,
            parse,
            tree: OnceLock::new(),
        }
    }

    /// The concrete syntax tree (kept for files open in an editor, parsed
    /// again on first use for the others).
    pub fn tree(&self) -> &tree_sitter::Tree {
        match &self.parse.tree {
            Some(tree) => tree,
            None => self.tree.get_or_init(|| syntax::parse_tree(&self.text)),
        }
    }

    pub fn is_builtin(&self) -> bool {
        self.origin == Origin::Builtin
    }
}

/// Text of a file to add to a workspace.
pub struct FileInput {
    pub path: PathBuf,
    pub name: String,
    pub text: String,
}

/// A workspace: its configuration, its files and their index.
pub struct Workspace {
    pub root: Option<PathBuf>,
    pub config: Config,
    /// The workspace's files in the order given, then the built-in catalogs.
    /// Shared, so that a new workspace after an edit reuses every file but
    /// the edited one.
    pub files: Vec<Arc<SourceFile>>,
    pub index: Index,
}

impl Workspace {
    /// Parses the inputs (in parallel), adds the built-in catalogs and
    /// builds the index. Workspace files keep the order given.
    pub fn build(root: Option<PathBuf>, config: Config, inputs: Vec<FileInput>) -> Workspace {
        let files: Vec<Arc<SourceFile>> = inputs
            .into_par_iter()
            .map(|i| Arc::new(SourceFile::new(i.path, i.name, i.text, Origin::Workspace)))
            .collect();
        Workspace::from_files(root, config, files)
    }

    /// A workspace of already parsed files (plus the built-in catalogs).
    pub fn from_files(
        root: Option<PathBuf>,
        config: Config,
        mut files: Vec<Arc<SourceFile>>,
    ) -> Workspace {
        files.extend(builtin_files().iter().cloned());
        let index = Index::build(&files);
        Workspace {
            root,
            config,
            files,
            index,
        }
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The file with this path, if the workspace has it.
    pub fn file_by_path(&self, path: &std::path::Path) -> Option<FileId> {
        self.file_ids().find(|&id| self.file(id).path == path)
    }

    pub fn file_ids(&self) -> impl Iterator<Item = FileId> + '_ {
        (0..self.files.len() as u32).map(FileId)
    }

    /// The files of the workspace itself, without the built-in catalogs.
    pub fn workspace_files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> + '_ {
        self.file_ids()
            .map(|id| (id, self.file(id)))
            .filter(|(_, f)| !f.is_builtin())
    }
}

/// The built-in catalogs, parsed once per process.
pub fn builtin_files() -> &'static [Arc<SourceFile>] {
    static FILES: OnceLock<Vec<Arc<SourceFile>>> = OnceLock::new();
    FILES.get_or_init(|| builtin::files().into_iter().map(Arc::new).collect())
}
