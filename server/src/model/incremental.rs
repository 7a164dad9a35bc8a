//! The one mechanism by which everything derived from the files of a
//! workspace is kept current.
//!
//! The inputs are versions: a [`SourceFile`] is one version of a file (its
//! text and parse, never changed), a [`Workspace`] one version of a root
//! (its files, configuration and index), numbered by a revision. Whatever
//! is derived from them is a *table*, a type implementing [`FileTable`]
//! (from one file) or [`WorkspaceTable`] (from a whole workspace):
//!
//! * **memoised per version**: each version holds a [`Memo`], one cell per
//!   table type, filled on first use (`SourceFile::table`,
//!   `Workspace::table`) and read by every later use of that version,
//!   whichever thread asks; two threads asking at once derive it once;
//! * **derived from an earlier version**: a version that has not derived a
//!   table yet is handed the most recent table of the same kind that any
//!   earlier version of the root derived ([`Store`]: per workspace table,
//!   the newest one with the files and index it was derived from; per
//!   incremental file table, the newest one of each path), and derives its
//!   own from it and the files that changed in between
//!   ([`Earlier::changed`]), rather than from scratch. Nobody hands tables
//!   on by hand: a version finds them in the store when it needs them;
//! * **early cut-off**: a derivation whose result is the earlier one
//!   returns the earlier `Arc` itself, and what is derived from it sees
//!   (by `Arc::ptr_eq`) that nothing changed;
//! * **cancellation** is not here: a table derived for a superseded
//!   version is what the newer version derives from, so it is finished,
//!   not dropped; the one piece of stale work, the diagnostics of a
//!   snapshot an edit overtook, is dropped by the language server's owner
//!   (`lsp::owner`), which knows of edits not yet applied.
//!
//! Why not salsa: it memoises pure functions of inputs, and a query cannot
//! read its own earlier result. The cross-file tables here (duplicate
//! groups, target counts, the term directory) are kept current by a
//! *delta* (take the edited file's share out, put the new one in), a few
//! microseconds per keystroke; as salsa queries they are aggregations over
//! every file, re-executed on each keystroke that changes a key, and even
//! verifying one memo per file costs milliseconds at 1,000 files. The
//! measurements are in docs/architecture.md ("Derived data") and
//! `spikes/salsa/`.

use std::any::Any;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;

use super::{FileId, Files, Index, SourceFile, Workspace};

/// How many table types there can be (a memo has a cell for each).
const SLOTS: usize = 16;

static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

/// A table type's cell in every [`Memo`]: a number given on first use.
/// Each table has its own `static`, which [`table_slot!`](crate::table_slot)
/// declares in the table's `impl`.
pub struct Slot(OnceLock<usize>);

/// The `slot` function of a [`FileTable`] or [`WorkspaceTable`] impl:
/// `crate::table_slot!();`
#[macro_export]
macro_rules! table_slot {
    () => {
        fn slot() -> &'static $crate::model::incremental::Slot {
            static SLOT: $crate::model::incremental::Slot = $crate::model::incremental::Slot::new();
            &SLOT
        }
    };
}

impl Slot {
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Slot {
        Slot(OnceLock::new())
    }

    fn index(&self) -> usize {
        *self.0.get_or_init(|| {
            let n = NEXT_SLOT.fetch_add(1, Ordering::Relaxed);
            assert!(n < SLOTS, "more table types than memo cells: raise SLOTS");
            n
        })
    }
}

type Cell = OnceLock<Box<dyn Any + Send + Sync>>;

/// The tables one version has derived, one cell per table type.
pub struct Memo {
    cells: [Cell; SLOTS],
}

impl Default for Memo {
    fn default() -> Memo {
        Memo {
            cells: std::array::from_fn(|_| OnceLock::new()),
        }
    }
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let filled = self.cells.iter().filter(|c| c.get().is_some()).count();
        write!(f, "Memo({filled} tables)")
    }
}

impl Memo {
    /// The table in `slot`, derived with `derive` if this version has none.
    fn get_or<T: Send + Sync + 'static>(
        &self,
        slot: &Slot,
        derive: impl FnOnce() -> Arc<T>,
    ) -> &Arc<T> {
        self.cells[slot.index()]
            .get_or_init(|| Box::new(derive()))
            .downcast_ref::<Arc<T>>()
            .expect("one slot per table type")
    }

    /// The table in `slot`, if this version has derived it.
    fn get<T: Send + Sync + 'static>(&self, slot: &Slot) -> Option<&Arc<T>> {
        self.cells[slot.index()].get()?.downcast_ref::<Arc<T>>()
    }
}

/// A table derived from one file.
pub trait FileTable: 'static {
    type Output: Send + Sync + 'static;

    fn slot() -> &'static Slot;

    /// Whether the table of an earlier version of the file (the same path)
    /// helps derive it: then the store keeps the newest table of each path,
    /// and [`Workspace::file_table`] hands it to `derive`.
    const FROM_EARLIER: bool = false;

    /// The table of `file`, from the table of an earlier version of it
    /// when there is one (only for `FROM_EARLIER` tables). Must give what
    /// it gives without `earlier`; may return `earlier`'s `Arc` when
    /// nothing changed.
    fn derive(
        file: &SourceFile,
        earlier: Option<(&SourceFile, &Arc<Self::Output>)>,
    ) -> Arc<Self::Output>;
}

/// A table derived from a whole workspace.
pub trait WorkspaceTable: 'static {
    type Output: Send + Sync + 'static;

    fn slot() -> &'static Slot;

    /// The table of `ws`, from the table an earlier version of the root
    /// derived, when there is one. Must give what it gives without
    /// `earlier`; may return `earlier`'s `Arc` when nothing changed.
    fn derive(ws: &Workspace, earlier: Option<Earlier<'_, Self::Output>>) -> Arc<Self::Output>;
}

/// A table an earlier version of the workspace derived, with what it was
/// derived from.
pub struct Earlier<'a, T> {
    pub table: &'a Arc<T>,
    /// The files and index of that version.
    pub files: &'a Files,
    pub index: &'a Arc<Index>,
    pub revision: u64,
}

impl<T> Earlier<'_, T> {
    /// The files of `ws` that are not the earlier version's (by identity),
    /// when both have the same paths in the same order (so that a
    /// [`FileId`] means the same file); `None` when files came or went.
    pub fn changed(&self, ws: &Workspace) -> Option<Vec<FileId>> {
        if self.files.len() != ws.files.len() {
            return None;
        }
        let mut changed = Vec::new();
        for (i, (old, new)) in self.files.iter().zip(&ws.files).enumerate() {
            if Arc::ptr_eq(old, new) {
                continue;
            }
            // Bytes first: `Path` equality compares component by component.
            if old.path.as_os_str() != new.path.as_os_str() && old.path != new.path {
                return None;
            }
            changed.push(FileId(i as u32));
        }
        Some(changed)
    }

    /// Whether the earlier version had the same index (the same `Arc`: no
    /// declaration changed or moved).
    pub fn same_index(&self, ws: &Workspace) -> bool {
        Arc::ptr_eq(self.index, &ws.index)
    }
}

/// The newest workspace table of one kind, and what it was derived from.
struct LatestTable<T> {
    revision: u64,
    files: Files,
    index: Arc<Index>,
    table: Arc<T>,
}

/// The newest file table of one kind for each path.
type LatestFiles<T> = FxHashMap<PathBuf, (Arc<SourceFile>, Arc<T>)>;

/// What the versions of one root share: the newest revision, and the
/// newest table of each kind (see the module documentation).
///
/// A *branch* (`Workspace::branch`: versions that are not the root's, such
/// as the rounds of fix-all) has a store of its own that starts from its
/// parent's tables and never changes them, so the root's newest versions
/// and tables stay the root's.
#[derive(Default)]
pub struct Store {
    revision: AtomicU64,
    latest: Mutex<Vec<Option<Box<dyn Any + Send>>>>,
    parent: Option<Arc<Store>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Store(revision {})",
            self.revision.load(Ordering::Relaxed)
        )
    }
}

impl Store {
    /// The store of a branch of `parent`'s versions.
    pub(super) fn branch(parent: &Arc<Store>) -> Store {
        Store {
            revision: AtomicU64::new(parent.revision()),
            latest: Mutex::default(),
            parent: Some(parent.clone()),
        }
    }

    /// A revision for a new version of the root.
    pub(super) fn next_revision(&self) -> u64 {
        self.revision.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub(super) fn revision(&self) -> u64 {
        self.revision.load(Ordering::SeqCst)
    }

    fn with_slot<R>(
        &self,
        slot: &Slot,
        f: impl FnOnce(&mut Option<Box<dyn Any + Send>>) -> R,
    ) -> R {
        let mut latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        let i = slot.index();
        if latest.len() <= i {
            latest.resize_with(i + 1, || None);
        }
        f(&mut latest[i])
    }

    fn latest_table<T: Send + Sync + 'static>(&self, slot: &Slot) -> Option<LatestTable<T>> {
        self.with_slot(slot, |cell| {
            let l = cell.as_ref()?.downcast_ref::<LatestTable<T>>()?;
            Some(LatestTable {
                revision: l.revision,
                files: l.files.clone(),
                index: l.index.clone(),
                table: l.table.clone(),
            })
        })
        .or_else(|| self.parent.as_ref()?.latest_table(slot))
    }

    fn keep_table<T: Send + Sync + 'static>(&self, slot: &Slot, ws: &Workspace, table: &Arc<T>) {
        self.with_slot(slot, |cell| {
            let newer = cell
                .as_ref()
                .and_then(|c| c.downcast_ref::<LatestTable<T>>())
                .is_some_and(|l| l.revision > ws.revision);
            if !newer {
                *cell = Some(Box::new(LatestTable {
                    revision: ws.revision,
                    files: ws.files.clone(),
                    index: ws.index.clone(),
                    table: table.clone(),
                }));
            }
        });
    }

    fn latest_file<T: Send + Sync + 'static>(
        &self,
        slot: &Slot,
        file: &SourceFile,
    ) -> Option<(Arc<SourceFile>, Arc<T>)> {
        self.with_slot(slot, |cell| {
            let files = cell.as_ref()?.downcast_ref::<LatestFiles<T>>()?;
            files.get(&file.path).cloned()
        })
        .or_else(|| self.parent.as_ref()?.latest_file(slot, file))
    }

    fn keep_file<T: Send + Sync + 'static>(
        &self,
        slot: &Slot,
        file: &Arc<SourceFile>,
        table: &Arc<T>,
    ) {
        self.with_slot(slot, |cell| {
            let files = cell
                .get_or_insert_with(|| Box::new(LatestFiles::<T>::default()))
                .downcast_mut::<LatestFiles<T>>()
                .expect("one slot per table type");
            files.insert(file.path.clone(), (file.clone(), table.clone()));
        });
    }
}

impl SourceFile {
    /// The table `T` of this version of the file, derived on first use
    /// (from scratch: see [`Workspace::file_table`] for tables derived from
    /// an earlier version).
    pub fn table<T: FileTable>(&self) -> &T::Output {
        self.memo.get_or(T::slot(), || T::derive(self, None))
    }

    /// [`Self::table`], shared.
    pub fn table_arc<T: FileTable>(&self) -> Arc<T::Output> {
        self.memo
            .get_or(T::slot(), || T::derive(self, None))
            .clone()
    }

    /// The table `T`, if this version has derived it.
    pub fn derived<T: FileTable>(&self) -> Option<&Arc<T::Output>> {
        self.memo.get::<T::Output>(T::slot())
    }

    /// Gives this version the table `T`, derived by the caller from an
    /// earlier version's (what `T::derive` would give from the text), if
    /// it has none yet.
    pub(super) fn keep<T: FileTable>(&self, table: Arc<T::Output>) {
        self.memo.get_or(T::slot(), || table);
    }
}

impl Workspace {
    /// The table `T` of this version of the workspace, derived on first use
    /// from the newest one an earlier version derived (see the module
    /// documentation).
    pub fn table<T: WorkspaceTable>(&self) -> &Arc<T::Output> {
        self.memo.get_or(T::slot(), || {
            let earlier = self.store.latest_table::<T::Output>(T::slot());
            let table = match &earlier {
                Some(l) => T::derive(
                    self,
                    Some(Earlier {
                        table: &l.table,
                        files: &l.files,
                        index: &l.index,
                        revision: l.revision,
                    }),
                ),
                None => T::derive(self, None),
            };
            self.store.keep_table(T::slot(), self, &table);
            table
        })
    }

    /// The table `T`, if this version has derived it.
    pub fn derived<T: WorkspaceTable>(&self) -> Option<&Arc<T::Output>> {
        self.memo.get::<T::Output>(T::slot())
    }

    /// The table `T` of one of the workspace's files; a `FROM_EARLIER`
    /// table is derived from the newest one of an earlier version of the
    /// file (the same path) that any version of the root derived.
    pub fn file_table<T: FileTable>(&self, id: FileId) -> &Arc<T::Output> {
        let file = &self.files[id.0 as usize];
        file.memo.get_or(T::slot(), || {
            if !T::FROM_EARLIER {
                return T::derive(file, None);
            }
            let earlier = self.store.latest_file::<T::Output>(T::slot(), file);
            let table = match &earlier {
                Some((old, table)) if !Arc::ptr_eq(old, file) => {
                    T::derive(file, Some((old.as_ref(), table)))
                }
                Some((_, table)) => table.clone(),
                None => T::derive(file, None),
            };
            self.store.keep_file(T::slot(), file, &table);
            table
        })
    }

    /// The revision of the newest version of this workspace's root.
    #[cfg(test)]
    fn newest_revision(&self) -> u64 {
        self.store.revision()
    }

    /// This version's revision: each version of a root has a higher one
    /// than the versions it was made from.
    pub fn revision(&self) -> u64 {
        self.revision
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::atomic::AtomicUsize;

    use super::*;
    use crate::model::{Config, FileInput};

    static DERIVED_FRESH: AtomicUsize = AtomicUsize::new(0);

    /// A test table: the number of `map` blocks, counted from scratch or
    /// carried from the earlier version when the maps did not change.
    struct MapCount;

    impl WorkspaceTable for MapCount {
        type Output = (usize, Option<u64>);
        crate::table_slot!();
        fn derive(ws: &Workspace, earlier: Option<Earlier<'_, Self::Output>>) -> Arc<Self::Output> {
            let count = ws
                .workspace_files()
                .map(|(_, f)| f.parse.ast.maps.len())
                .sum();
            match earlier {
                Some(e) if e.table.0 == count => e.table.clone(),
                Some(e) => Arc::new((count, Some(e.revision))),
                None => {
                    DERIVED_FRESH.fetch_add(1, Ordering::SeqCst);
                    Arc::new((count, None))
                }
            }
        }
    }

    struct Lines;

    impl FileTable for Lines {
        type Output = (usize, bool);
        const FROM_EARLIER: bool = true;
        crate::table_slot!();
        fn derive(
            file: &SourceFile,
            earlier: Option<(&SourceFile, &Arc<Self::Output>)>,
        ) -> Arc<Self::Output> {
            Arc::new((file.text.lines().count(), earlier.is_some()))
        }
    }

    /// A workspace of files `/ws/N.xwalk` with these texts.
    pub(crate) fn ws(texts: &[&str]) -> Workspace {
        let inputs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| FileInput {
                path: format!("/ws/{i}.xwalk").into(),
                name: format!("{i}.xwalk"),
                text: t.to_string(),
            })
            .collect();
        Workspace::build(None, Config::default(), inputs)
    }

    /// The next version of `ws`, file `i` with this text.
    pub(crate) fn edit(ws: &Workspace, i: usize, text: &str) -> Workspace {
        let mut files = ws.own_files();
        files[i] = Arc::new(SourceFile::new(
            files[i].path.clone(),
            files[i].name.clone(),
            text.into(),
            crate::model::Origin::Workspace,
        ));
        Workspace::with_changed_files(ws, files)
    }

    #[test]
    fn a_version_derives_from_the_newest_earlier_table() {
        let v1 = ws(&["map a:1 -> b:1\n", "map a:2 -> b:2\n"]);
        let before = DERIVED_FRESH.load(Ordering::SeqCst);
        assert_eq!(v1.table::<MapCount>().0, 2);
        assert_eq!(DERIVED_FRESH.load(Ordering::SeqCst), before + 1);
        // v2 and v3 are made before anything is derived from them: v3
        // derives from v1's table, the newest there is.
        let v2 = edit(&v1, 0, "map a:1 -> b:1\nmap a:3 -> b:3\n");
        let v3 = edit(&v2, 1, "map a:2 -> b:2\nmap a:4 -> b:4\n");
        assert_eq!(**v3.table::<MapCount>(), (4, Some(v1.revision())));
        // v2, asked later, derives from v3's (the store keeps the newest
        // revision's table, and v2 does not replace it).
        assert_eq!(v2.table::<MapCount>().0, 3);
        let v4 = edit(&v3, 0, "map a:1 -> b:1\nmap a:3 -> b:3\n");
        assert!(
            Arc::ptr_eq(v4.table::<MapCount>(), v3.table::<MapCount>()),
            "cut off"
        );
        assert_eq!(
            DERIVED_FRESH.load(Ordering::SeqCst),
            before + 1,
            "never from scratch again"
        );
        assert_eq!(v1.newest_revision(), v4.revision());
        assert!(v3.revision() < v4.revision());
    }

    /// A branch derives from the root's tables and leaves them alone: the
    /// root's versions are not made stale by it, and the root's next
    /// version derives from the root's own table.
    #[test]
    fn a_branch_reads_the_roots_tables_and_never_replaces_them() {
        let v1 = ws(&["map a:1 -> b:1\n", "map a:2 -> b:2\n"]);
        let root_table = v1.table::<MapCount>().clone();
        let mut files = v1.own_files();
        files[0] = Arc::new(SourceFile::new(
            files[0].path.clone(),
            files[0].name.clone(),
            "map a:1 -> b:1\nmap a:9 -> b:9\n".into(),
            crate::model::Origin::Workspace,
        ));
        let branch = Workspace::branch(&v1, files);
        assert_eq!(**branch.table::<MapCount>(), (3, Some(v1.revision())));
        assert_eq!(
            v1.newest_revision(),
            v1.revision(),
            "a branch does not supersede the root"
        );
        let v2 = edit(&v1, 1, "map a:2 -> b:2\n");
        assert!(Arc::ptr_eq(v2.table::<MapCount>(), &root_table));
    }

    #[test]
    fn a_file_table_is_derived_from_the_last_version_of_its_path() {
        let v1 = ws(&["map a:1 -> b:1\n", "map a:2 -> b:2\n"]);
        assert_eq!(**v1.file_table::<Lines>(FileId(0)), (1, false));
        let v2 = edit(&v1, 0, "map a:1 -> b:1\nmap a:3 -> b:3\n");
        assert_eq!(**v2.file_table::<Lines>(FileId(0)), (2, true));
        // An unchanged file shares its version, and so its table.
        assert!(Arc::ptr_eq(
            v2.file_table::<Lines>(FileId(1)),
            v1.file_table::<Lines>(FileId(1))
        ));
        // Read through the file alone, the table is derived from scratch.
        let v3 = edit(&v2, 0, "x\ny\nz\n");
        assert_eq!(*v3.file(FileId(0)).table::<Lines>(), (3, false));
    }
}
