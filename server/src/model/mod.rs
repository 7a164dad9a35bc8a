//! The model: a workspace of parsed files (plus the built-in catalogs) and
//! an index of its documents, provisions and mappings.

pub mod builtin;
pub mod config;
pub mod counts;
pub mod incremental;
pub mod index;
pub mod line_index;
pub mod load;
pub mod per_file;
pub mod schema;
pub mod sources;
pub mod status;
pub mod wording;

#[cfg(test)]
mod edited_tests;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock, Weak};

use crate::syntax::ends::CommonEnds;

use incremental::{FileTable, Memo, Store};

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
    pub parse: Parse,
    /// The tree of an earlier version of a file open in an editor, with
    /// the edits since applied but not parsed again: [`SourceFile::tree`]
    /// parses it on first use (see [`syntax::edit`]).
    edited_tree: Option<tree_sitter::Tree>,
    /// The version this one was edited from and what the two texts have
    /// in common at either end: compared once, read by every table
    /// derived from the earlier version's (see [`SourceFile::common_ends`]).
    edit: Option<(Weak<SourceFile>, CommonEnds)>,
    /// The tables derived from this version of the file (see
    /// [`incremental`]).
    memo: Memo,
}

impl SourceFile {
    /// Parses `text`, without keeping a tree: most files of a workspace are
    /// only ever read through their AST, and the tree is the bigger part of
    /// a parse (the AST is read without tree-sitter: see
    /// [`syntax::parser`]). [`SourceFile::tree`] parses it when needed.
    pub fn new(path: PathBuf, name: String, text: String, origin: Origin) -> SourceFile {
        let parse = syntax::parse_without_tree(&text);
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
            path,
            name,
            text,
            origin,
            parse,
            edited_tree: None,
            edit: None,
            memo: Memo::default(),
        }
    }

    /// A file after an edit in the editor: `old` is the version edited (its
    /// line index is taken over where the edit left the text alone), and
    /// `edited_tree` the tree of an earlier version with the edits applied
    /// (see [`syntax::edit::Editor`]), parsed when [`SourceFile::tree`] is
    /// first asked.
    pub fn edited(old: &Arc<SourceFile>, edited: syntax::edit::Edited) -> SourceFile {
        let syntax::edit::Edited {
            text,
            parse,
            tree: edited_tree,
            ends,
        } = edited;
        debug_assert_eq!(ends, CommonEnds::of(&old.text, &text));
        let file = SourceFile {
            edit: Some((Arc::downgrade(old), ends)),
            path: old.path.clone(),
            name: old.name.clone(),
            text,
            origin: old.origin,
            edited_tree: edited_tree.filter(|_| parse.tree.is_none()),
            parse,
            memo: Memo::default(),
        };
        // Now, while `old` is at hand: it may be gone by the time this
        // version is asked for its lines.
        if let Some(lines) = old.derived::<Lines>() {
            file.keep::<Lines>(Arc::new(lines.edited(&old.text, &file.text, ends)));
        }
        file
    }

    /// What this text and `old`'s have in common at either end: known
    /// when this version was edited from `old`, else compared.
    pub fn common_ends(&self, old: &SourceFile) -> CommonEnds {
        match &self.edit {
            // The `Weak` keeps `old`'s allocation: no other file can be
            // at its address.
            Some((from, ends)) if std::ptr::eq(from.as_ptr(), old) => *ends,
            _ => CommonEnds::of(&old.text, &self.text),
        }
    }

    /// A tree to edit for the next version: this version's tree if it has
    /// one or parsed one, else the earlier tree edited to this version
    /// (so edits whose tree nobody read chain without a parse).
    pub fn tree_to_edit(&self) -> Option<tree_sitter::Tree> {
        (self.parse.tree.clone())
            .or_else(|| self.derived::<Tree>().map(|t| (**t).clone()))
            .or_else(|| self.edited_tree.clone())
    }

    /// Where the file maps each target: `(hash of the target, map,
    /// target)`, sorted (see [`index::target_table`]).
    pub fn target_table(&self) -> &[(u64, u32, u32)] {
        self.table::<TargetTable>()
    }

    /// The documents its `map` blocks map from, sorted, once each:
    /// which files to read for what a document maps to, without reading
    /// every file's mappings.
    pub fn source_documents(&self) -> &[crate::syntax::Text] {
        self.table::<SourceDocuments>()
    }

    /// The file's share of the mapping counts (see [`counts`]).
    pub fn summary(&self) -> &counts::Summary {
        self.table::<counts::Summary>()
    }

    /// The source → target pairs of the file's `map` blocks.
    pub fn mappings(&self) -> &index::FileMappings {
        self.table::<index::FileMappings>()
    }

    /// A hash of the file's `document` blocks: of their text only, or
    /// (`positions`) of their text and where each starts.
    pub fn declarations_hash(&self, positions: bool) -> u64 {
        let (content, located) = *self.table::<Declarations>();
        if positions { located } else { content }
    }

    /// The concrete syntax tree (kept for files open in an editor, parsed
    /// on first use for the others and after an edit, reusing the edited
    /// tree of the earlier version).
    pub fn tree(&self) -> &tree_sitter::Tree {
        match &self.parse.tree {
            Some(tree) => tree,
            None => self.table::<Tree>(),
        }
    }

    /// Parses the tree of a version edited since a tree was last parsed
    /// ([`SourceFile::tree`]), unless that is done: the language server
    /// does it once the editor is quiet, off the requests' path, so that
    /// the next feature that reads the tree finds it parsed, and edits
    /// do not pile up on a tree nobody reads. Does nothing to a file that
    /// was not edited (its tree is parsed only if a feature reads it).
    pub fn parse_edited_tree(&self) {
        if self.edited_tree.is_some() {
            self.tree();
        }
    }

    pub fn is_builtin(&self) -> bool {
        self.origin == Origin::Builtin
    }

    /// Where the file's lines start, derived from the text on first use;
    /// a version edited from one that had derived its own derives it at
    /// once from that one's ([`SourceFile::edited`]: only the lines the
    /// edit touched are counted). Most files of a large check have no
    /// diagnostic and never need one (41 MB for 1,000,000 mappings,
    /// docs/performance.md).
    pub fn line_index(&self) -> &LineIndex {
        self.table::<Lines>()
    }
}

/// A file's [`LineIndex`] (see [`SourceFile::line_index`]).
struct Lines;

impl FileTable for Lines {
    type Output = LineIndex;

    crate::table_slot!();

    fn derive(
        file: &SourceFile,
        _: Option<(&SourceFile, &Arc<Self::Output>)>,
    ) -> Arc<Self::Output> {
        Arc::new(LineIndex::new(&file.text))
    }
}

/// The documents a file's `map` blocks map from (see
/// [`SourceFile::source_documents`]).
struct SourceDocuments;

impl FileTable for SourceDocuments {
    type Output = Box<[crate::syntax::Text]>;

    crate::table_slot!();

    fn derive(
        file: &SourceFile,
        _: Option<(&SourceFile, &Arc<Self::Output>)>,
    ) -> Arc<Self::Output> {
        let mut docs: Vec<crate::syntax::Text> = file
            .parse
            .ast
            .maps
            .iter()
            .map(|m| m.source.document().text.clone())
            .collect();
        docs.sort_unstable();
        docs.dedup();
        Arc::new(docs.into_boxed_slice())
    }
}

/// The hashes of a file's `document` blocks (see
/// [`SourceFile::declarations_hash`]).
struct Declarations;

impl FileTable for Declarations {
    type Output = (u64, u64);

    crate::table_slot!();

    fn derive(
        file: &SourceFile,
        _: Option<(&SourceFile, &Arc<Self::Output>)>,
    ) -> Arc<Self::Output> {
        use std::hash::{Hash, Hasher};
        let mut content = rustc_hash::FxHasher::default();
        let mut located = rustc_hash::FxHasher::default();
        for doc in &file.parse.ast.documents {
            let text = &file.text[doc.range.clone()];
            text.hash(&mut content);
            text.hash(&mut located);
            doc.range.start.hash(&mut located);
        }
        Arc::new((content.finish(), located.finish()))
    }
}

impl FileTable for index::FileMappings {
    type Output = index::FileMappings;

    crate::table_slot!();

    fn derive(
        file: &SourceFile,
        _: Option<(&SourceFile, &Arc<Self::Output>)>,
    ) -> Arc<Self::Output> {
        Arc::new(index::FileMappings::of(&file.parse.ast))
    }
}

/// The tree of a file read without one or edited since (see
/// [`SourceFile::tree`]).
struct Tree;

impl FileTable for Tree {
    type Output = tree_sitter::Tree;

    crate::table_slot!();

    fn derive(
        file: &SourceFile,
        _: Option<(&SourceFile, &Arc<Self::Output>)>,
    ) -> Arc<Self::Output> {
        Arc::new(match &file.edited_tree {
            Some(edited) => syntax::reparse_tree(&file.text, edited),
            None => syntax::parse_tree(&file.text),
        })
    }
}

/// Where a file maps each target (see [`index::target_table`]): derived on
/// first use after an edit, since only requests read it.
struct TargetTable;

impl FileTable for TargetTable {
    type Output = Box<[(u64, u32, u32)]>;

    crate::table_slot!();

    fn derive(
        file: &SourceFile,
        _: Option<(&SourceFile, &Arc<Self::Output>)>,
    ) -> Arc<Self::Output> {
        Arc::new(index::target_table(&file.parse.ast))
    }
}

/// Text of a file to add to a workspace.
pub struct FileInput {
    pub path: PathBuf,
    pub name: String,
    pub text: String,
}

/// The files of a [`Workspace`], by [`FileId`]: a persistent vector, so
/// that the next version after an edit shares all but the edited file's
/// entry with the last (copying it would touch every file's reference
/// count on each keystroke), and so do the tables that keep the files they
/// were derived from ([`incremental::Store`]).
pub type Files = imbl::Vector<Arc<SourceFile>>;

/// A workspace: its configuration, its files and their index.
pub struct Workspace {
    pub root: Option<PathBuf>,
    pub config: Config,
    /// The workspace's files in the order given, then the built-in catalogs.
    /// Shared, so that a new workspace after an edit reuses every file but
    /// the edited one.
    pub files: Files,
    pub index: Arc<Index>,
    /// Each file's id by path (the first, should two files share a path).
    by_path: Arc<rustc_hash::FxHashMap<PathBuf, FileId>>,
    /// The tables derived from this version (see [`incremental`]).
    memo: Memo,
    /// What the versions of this root share: the newest revision and the
    /// newest table of each kind.
    store: Arc<Store>,
    revision: u64,
}

fn by_path(files: &Files) -> Arc<rustc_hash::FxHashMap<PathBuf, FileId>> {
    let mut map = rustc_hash::FxHashMap::default();
    for (i, f) in files.iter().enumerate() {
        map.entry(f.path.clone()).or_insert(FileId(i as u32));
    }
    Arc::new(map)
}

impl Workspace {
    /// Parses the inputs (in parallel), adds the built-in catalogs and
    /// builds the index. Workspace files keep the order given.
    pub fn build(root: Option<PathBuf>, config: Config, inputs: Vec<FileInput>) -> Workspace {
        let files: Vec<Arc<SourceFile>> = inputs
            .into_par_iter()
            .map(|i| Arc::new(SourceFile::new(i.path, i.name, i.text, Origin::Workspace)))
            .collect();
        Workspace::from_files(root, config, Files::from(files))
    }

    /// A workspace of already parsed files (plus the built-in catalogs).
    pub fn from_files(root: Option<PathBuf>, config: Config, files: impl Into<Files>) -> Workspace {
        let mut files = files.into();
        files.append(builtin_vector().clone());
        let index = Arc::new(Index::build(&files));
        let store = Arc::new(Store::default());
        Workspace {
            root,
            config,
            by_path: by_path(&files),
            files,
            index,
            memo: Memo::default(),
            revision: store.next_revision(),
            store,
        }
    }

    /// The workspace of `prev` after some of its files changed (the same
    /// paths, in the same order, some with new contents): the index is
    /// shared with `prev` when no `document` block changed or moved.
    pub fn with_changed_files(prev: &Workspace, files: impl Into<Files>) -> Workspace {
        Workspace::next(prev, files.into(), prev.store.clone())
    }

    /// The workspace of `prev` after the files at these ids changed (new
    /// versions of the same paths): [`Self::with_changed_files`] when the
    /// changed files are known, sharing the rest of `prev`'s files without
    /// touching them.
    pub fn with_replaced_files(
        prev: &Workspace,
        changed: impl IntoIterator<Item = (FileId, Arc<SourceFile>)>,
    ) -> Workspace {
        let mut files = prev.files.clone();
        let mut ids = Vec::new();
        for (id, file) in changed {
            debug_assert_eq!(files[id.0 as usize].path, file.path);
            files.set(id.0 as usize, file);
            ids.push(id.0 as usize);
        }
        Workspace::after(prev, files, &ids, prev.store.clone())
    }

    fn next(prev: &Workspace, mut files: Files, store: Arc<Store>) -> Workspace {
        files.append(builtin_vector().clone());
        let changed: Vec<usize> = if prev.files.len() == files.len() {
            (prev.files.iter().zip(&files).enumerate())
                .filter(|(_, (a, b))| !Arc::ptr_eq(a, b))
                .map(|(i, _)| i)
                .collect()
        } else {
            Vec::new()
        };
        Workspace::after(prev, files, &changed, store)
    }

    /// The version after `prev` with these `files` (all of them, built-in
    /// catalogs included); `changed` are the ids of the files that are
    /// not `prev`'s, when both have as many.
    fn after(prev: &Workspace, files: Files, changed: &[usize], store: Arc<Store>) -> Workspace {
        let same_files = prev.files.len() == files.len()
            && changed.iter().all(|&i| {
                let (a, b) = (&prev.files[i], &files[i]);
                Arc::ptr_eq(a, b)
                    || (a.path == b.path
                        && a.origin == b.origin
                        && a.declarations_hash(true) == b.declarations_hash(true))
            });
        let (index, paths) = if same_files {
            (prev.index.clone(), prev.by_path.clone())
        } else {
            (Arc::new(Index::build(&files)), by_path(&files))
        };
        Workspace {
            root: prev.root.clone(),
            config: prev.config.clone(),
            files,
            index,
            by_path: paths,
            memo: Memo::default(),
            revision: store.next_revision(),
            store,
        }
    }

    /// A version made from `prev` that is not the root's (a "what if":
    /// the rounds of fix-all): its tables are derived from the root's, but
    /// it never makes the root's versions stale nor replaces their tables
    /// (see [`incremental::Store`]). Versions made from it with
    /// [`Self::with_changed_files`] are on the same branch.
    pub fn branch(prev: &Workspace, files: impl Into<Files>) -> Workspace {
        Workspace::next(prev, files.into(), Arc::new(Store::branch(&prev.store)))
    }

    /// What is wrong with the configuration given the workspace's files:
    /// a `dataset` that names no document of the workspace. (What can be
    /// told from `xwalk.toml` alone is an error of [`Config::parse`].)
    pub fn config_errors(&self) -> Vec<config::ConfigError> {
        let mut errors = Vec::new();
        if let Some(id) = &self.config.dataset
            && self.index.document(id).is_none()
        {
            errors.push(config::ConfigError {
                message: format!(
                    "`dataset` names no document: no file of the workspace declares `document {id}`"
                ),
                position: self.config.dataset_at,
            });
        }
        errors
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The file with this path, if the workspace has it.
    pub fn file_by_path(&self, path: &std::path::Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    pub fn file_ids(&self) -> impl Iterator<Item = FileId> + '_ {
        (0..self.files.len() as u32).map(FileId)
    }

    /// The workspace's own files (not the built-in catalogs, which come
    /// last), shared: what [`Workspace::with_changed_files`] takes, with
    /// some replaced.
    pub fn own_files(&self) -> Files {
        self.files.take(self.own_count())
    }

    /// How many of the files are the workspace's own: all but the
    /// built-in catalogs, which every version appends (counted, not
    /// asked of each file, which would read every file).
    pub fn own_count(&self) -> usize {
        let count = self.files.len() - builtin_files().len();
        debug_assert!(count == 0 || !self.files[count - 1].is_builtin());
        debug_assert!(self.files.get(count).is_none_or(|f| f.is_builtin()));
        count
    }

    /// The files of the workspace itself, without the built-in catalogs.
    pub fn workspace_files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> + '_ {
        (0..self.own_count() as u32).map(|i| (FileId(i), self.file(FileId(i))))
    }

    /// Every source → target pair of the workspace's own files (not the
    /// built-in catalogs), in file order.
    pub fn mappings(&self) -> impl Iterator<Item = (FileId, &index::Mapping)> + '_ {
        self.workspace_files()
            .flat_map(|(id, f)| f.mappings().list.iter().map(move |m| (id, m)))
    }

    /// How many source → target pairs the workspace's own files hold.
    pub fn mapping_count(&self) -> usize {
        self.workspace_files()
            .map(|(_, f)| f.mappings().list.len())
            .sum()
    }

    /// The `map` blocks of the workspace's own files that have `key` as a
    /// target, in file order (once per target listed).
    pub fn maps_to<'a>(
        &'a self,
        key: &'a index::EndpointKey,
    ) -> impl Iterator<Item = (FileId, &'a crate::syntax::Map)> + 'a {
        let hash = index::endpoint_hash(&key.document, key.id.as_deref());
        self.workspace_files().flat_map(move |(id, f)| {
            let targets = f.target_table();
            let start = targets.partition_point(|e| e.0 < hash);
            targets[start..]
                .iter()
                .take_while(move |e| e.0 == hash)
                .filter_map(move |&(_, m, t)| {
                    let map = &f.parse.ast.maps[m as usize];
                    (map.targets[t as usize].key() == (&key.document, key.id.as_deref()))
                        .then_some((id, &**map))
                })
        })
    }

    /// The number of pairs whose target is `key`, and of distinct
    /// organisations (the source document's publisher, or its id when it
    /// names none) behind them.
    pub fn mapped_to(&self, key: &index::EndpointKey) -> (usize, usize) {
        self.target_counts()
            .get(key)
            .unwrap_or_else(|| self.count_mapped_to(key))
    }

    /// The table behind [`Self::mapped_to`], derived on first use (from
    /// an earlier version's: see [`counts::TargetCounts`]). The language
    /// server derives it once indexing is done, so that the first hover
    /// does not wait.
    pub fn target_counts(&self) -> &counts::TargetCounts {
        self.table::<counts::TargetCounts>()
    }

    /// [`Self::mapped_to`] the slow way: through every file's target table.
    pub fn count_mapped_to(&self, key: &index::EndpointKey) -> (usize, usize) {
        let mut count = 0;
        let mut organisations = rustc_hash::FxHashSet::default();
        for (_, map) in self.maps_to(key) {
            count += 1;
            organisations.insert(self.index.organisation(&map.source.document().text));
        }
        (count, organisations.len())
    }
}

/// The built-in catalogs, parsed once per process.
pub fn builtin_files() -> &'static [Arc<SourceFile>] {
    static FILES: OnceLock<Vec<Arc<SourceFile>>> = OnceLock::new();
    FILES.get_or_init(|| builtin::files().into_iter().map(Arc::new).collect())
}

/// [`builtin_files`], as the tail every workspace's [`Files`] ends with.
fn builtin_vector() -> &'static Files {
    static FILES: OnceLock<Files> = OnceLock::new();
    FILES.get_or_init(|| builtin_files().iter().cloned().collect())
}
