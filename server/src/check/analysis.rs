//! The diagnostics of a workspace, kept up to date as files change.
//!
//! [`Analysis::new`] checks a whole workspace; [`Analysis::update`] takes
//! the workspace after some files changed and redoes only what those
//! changes can affect:
//!
//! * a file's own diagnostics (syntax, fields, references, untidy text,
//!   duplicate provisions) are computed per top-level block (`document` or
//!   `map`); an error-free block whose text is unchanged keeps its
//!   diagnostics (a block holding a syntax error is read in the light of
//!   the text around it, and is checked again), moved
//!   to where the block now is (blocks are matched in place where the old
//!   and new texts agree, else by text: `syntax::ends`). They depend on the workspace's
//!   declarations too, so a change to what is declared redoes every file;
//! * the cross-file mapping rules (duplicates, conflicting relations,
//!   inconsistent excerpts) look at groups of candidates keyed by hash;
//!   an edit re-examines the groups the edited file was or is in;
//! * the document rules (duplicate and similar documents) are redone when
//!   the declarations change.
//!
//! The CLI calls [`Analysis::new`] (through `check::check`) and the
//! language server [`Analysis::update`], with the same rule functions: the
//! results are the same, which `tests/incremental.rs` checks over random
//! edit sequences.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::duplicates::{self, GroupId, Groups, MappingKeys};
use super::{Code, Diagnostic, Severity, fields, references, syntax, text};
use crate::model::incremental::{Earlier, WorkspaceTable};
use crate::model::{FileId, Files, Index, SourceFile, Workspace};
use crate::syntax::ends::OldBlocks;
use crate::syntax::{Document, MapAt, TextRange};

/// A top-level block of a file.
#[derive(Clone, Copy)]
enum Item<'a> {
    Document(&'a Document),
    Map(&'a MapAt),
}

impl Item<'_> {
    fn range(&self) -> TextRange {
        match self {
            Item::Document(d) => d.range.clone(),
            Item::Map(m) => m.block_range(),
        }
    }

    fn has_error(&self) -> bool {
        match self {
            Item::Document(d) => d.has_error,
            Item::Map(m) => m.block_has_error(),
        }
    }
}

/// The top-level blocks of a file, in source order: the documents and
/// the maps (each in source order) merged.
fn items(file: &SourceFile) -> Vec<Item<'_>> {
    let ast = &file.parse.ast;
    let mut items = Vec::with_capacity(ast.documents.len() + ast.maps.len());
    let mut documents = ast.documents.iter().peekable();
    for map in &ast.maps {
        let start = map.block_range().start;
        while let Some(d) = documents.next_if(|d| d.range.start <= start) {
            items.push(Item::Document(d));
        }
        items.push(Item::Map(map));
    }
    items.extend(documents.map(Item::Document));
    debug_assert!(items.is_sorted_by_key(|i| i.range().start));
    items
}

/// The diagnostics of one block that depend on the block itself and the
/// workspace's declarations only.
fn item_diagnostics(ws: &Workspace, file: FileId, item: Item) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match item {
        Item::Document(doc) => {
            fields::document(file, doc, &mut out);
            references::document(ws, file, doc, &mut out);
            text::untidy_document(file, doc, &mut out);
            duplicates::provisions(file, doc, &mut out);
        }
        Item::Map(map) => {
            // Read whole: the block, moved to where it is now.
            let map = &**map;
            fields::map(file, map, &mut out);
            references::map(ws, file, map, &mut out);
            text::untidy_map(file, map, &mut out);
        }
    }
    out
}

/// A block's diagnostics, remembered for the next version of the file.
struct ItemDiagnostics {
    range: TextRange,
    /// Whether the block holds a syntax error: then what was read of it
    /// depends on the text around it too (where recovery ended, what
    /// follows), and its diagnostics are not reused.
    has_error: bool,
    diagnostics: Vec<Diagnostic>,
}

/// A file's own diagnostics.
struct Local {
    /// The version of the file they are for.
    source: Arc<SourceFile>,
    syntax: Vec<Diagnostic>,
    items: Vec<ItemDiagnostics>,
}

impl Local {
    /// Checks `file`, reusing the diagnostics of the blocks of `previous`
    /// (an earlier version of the same file, checked against the same
    /// declarations) whose text is unchanged.
    fn new(ws: &Workspace, file: FileId, previous: Option<&Local>) -> Local {
        let source = ws.files[file.0 as usize].clone();
        let severities = super::severities(ws, file);
        // The earlier blocks: found in place where the two texts agree,
        // else by their text (see `syntax::ends`).
        let earlier = previous.map(|p| {
            let blocks = p
                .items
                .iter()
                .enumerate()
                .filter(|(_, item)| !item.has_error)
                .map(|(i, item)| (item.range.clone(), i));
            let ends = source.common_ends(&p.source);
            (p, OldBlocks::new(ends, &p.source.text, blocks))
        });
        let items = items(&source)
            .into_iter()
            .map(|item| {
                let range = item.range();
                let has_error = item.has_error();
                // Only error-free blocks: the same text then reads the same.
                let reused = earlier
                    .as_ref()
                    .filter(|_| !has_error)
                    .and_then(|(p, blocks)| Some(&p.items[blocks.find(&source.text, &range)?]));
                let diagnostics = match reused {
                    Some(old) => {
                        let delta = range.start as isize - old.range.start as isize;
                        old.diagnostics
                            .iter()
                            .map(|d| moved(d, file, delta))
                            .collect()
                    }
                    None => {
                        let mut found = item_diagnostics(ws, file, item);
                        // Kept for the next edit: drop the `off` ones now.
                        found.retain(|d| severities[d.code as usize] != Severity::Off);
                        found
                    }
                };
                ItemDiagnostics {
                    range,
                    has_error,
                    diagnostics,
                }
            })
            .collect();
        Local {
            syntax: syntax::check(ws, file),
            source,
            items,
        }
    }

    fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.syntax
            .iter()
            .chain(self.items.iter().flat_map(|i| &i.diagnostics))
    }
}

/// A diagnostic of a block that moved by `delta` bytes in `file`.
fn moved(d: &Diagnostic, file: FileId, delta: isize) -> Diagnostic {
    let shift =
        |r: &TextRange| (r.start as isize + delta) as usize..(r.end as isize + delta) as usize;
    let mut d = d.clone();
    d.range = shift(&d.range);
    for r in &mut d.related {
        if r.file == file {
            r.range = shift(&r.range);
        }
    }
    d
}

/// The diagnostics of a workspace, by file: a [`WorkspaceTable`], derived
/// for a new version of the workspace from an earlier version's by
/// [`Analysis::update`]. Cloning one is cheap (shared parts: `Arc`s and
/// [`Groups`]' shards), so the earlier version's stays as it was for
/// whoever still reads it.
#[derive(Clone)]
pub struct Analysis {
    /// The files of the workspace analysed, by `FileId` (shared with it).
    files: Files,
    /// The `[lint]` severities of the workspace's configuration, and its
    /// per-file tables: diagnostics of `off` codes are not kept.
    severities: Arc<Severities>,
    index: Arc<Index>,
    /// Per file (`None` for built-in catalogs). Persistent vectors, as
    /// `files`: the next version's analysis shares all but the edited
    /// file's entries.
    local: imbl::Vector<Option<Arc<Local>>>,
    keys: imbl::Vector<Arc<MappingKeys>>,
    groups: Groups,
    /// The findings of the groups that have some.
    group_findings: FxHashMap<GroupId, Arc<[Diagnostic]>>,
    /// `duplicate-document` and `similar-document`.
    documents: Arc<[Diagnostic]>,
    /// The revision of the workspace this analysis is of, and per file the
    /// revision at which its diagnostics may last have changed.
    revision: u64,
    changed_at: Vec<u64>,
}

type Severities = (Vec<Severity>, Vec<crate::model::per_file::PerFileLint>);

impl WorkspaceTable for Analysis {
    type Output = Analysis;

    crate::table_slot!();

    fn derive(ws: &Workspace, earlier: Option<Earlier<'_, Analysis>>) -> Arc<Analysis> {
        Arc::new(match earlier {
            Some(e) => {
                let mut analysis = (**e.table).clone();
                analysis.update(ws);
                analysis
            }
            None => Analysis::new(ws),
        })
    }
}

fn severities(ws: &Workspace) -> Severities {
    (
        Code::ALL.iter().map(|&c| ws.config.severity(c)).collect(),
        ws.config.per_file.clone(),
    )
}

fn document_rules(ws: &Workspace) -> Arc<[Diagnostic]> {
    let mut out = duplicates::documents(ws);
    out.extend(text::similar_documents(ws));
    out.into()
}

impl Analysis {
    /// Checks every file of `ws`.
    pub fn new(ws: &Workspace) -> Analysis {
        let ids: Vec<FileId> = ws.file_ids().collect();
        let per_file: Vec<(Option<Arc<Local>>, Arc<MappingKeys>)> = ids
            .par_iter()
            .map(|&id| {
                let f = ws.file(id);
                if f.is_builtin() {
                    (None, Arc::default())
                } else {
                    (
                        Some(Arc::new(Local::new(ws, id, None))),
                        Arc::new(MappingKeys::of(&f.parse.ast)),
                    )
                }
            })
            .collect();
        let (local, keys): (imbl::Vector<_>, imbl::Vector<_>) = per_file.into_iter().unzip();
        let groups = Groups::new(ids.iter().copied().zip(keys.iter().map(|k| &**k)));
        let group_findings = groups
            .candidates()
            .into_par_iter()
            .map(|g| (g, groups.check(ws, g)))
            .filter(|(_, d)| !d.is_empty())
            .map(|(g, d)| (g, d.into()))
            .collect();
        Analysis {
            files: ws.files.clone(),
            severities: Arc::new(severities(ws)),
            index: ws.index.clone(),
            local,
            keys,
            groups,
            group_findings,
            documents: document_rules(ws),
            revision: ws.revision(),
            changed_at: vec![ws.revision(); ids.len()],
        }
    }

    /// The files whose diagnostics may have changed since the analysis of
    /// revision `since` (every file when `since` is of another set of
    /// files: the caller clears the paths it no longer sees), in order.
    pub fn changed_since(&self, since: u64) -> impl Iterator<Item = FileId> + '_ {
        self.changed_at
            .iter()
            .enumerate()
            .filter(move |(_, at)| **at > since)
            .map(|(i, _)| FileId(i as u32))
    }

    /// The revision of the workspace this analysis is of.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The paths of the files of the workspace last analysed, by `FileId`.
    pub fn paths(&self) -> impl Iterator<Item = &PathBuf> {
        self.files.iter().map(|f| &f.path)
    }

    /// Were both analyses made of the same paths, in the same order (so
    /// that a `FileId` means the same file in both)?
    pub fn same_paths(&self, other: &Analysis) -> bool {
        same_paths(&self.files, &other.files)
    }

    /// Brings the analysis up to date with `ws`, a later version of the
    /// workspace it was made for. Returns the files whose diagnostics may
    /// have changed, in order.
    pub fn update(&mut self, ws: &Workspace) -> Vec<FileId> {
        // The same paths in the same order, so that `FileId`s mean the same.
        if !same_paths(&self.files, &ws.files) || severities(ws) != *self.severities {
            *self = Analysis::new(ws);
            return ws.workspace_files().map(|(id, _)| id).collect();
        }
        let affected = self.apply(ws);
        self.files = ws.files.clone();
        self.revision = ws.revision();
        for id in &affected {
            self.changed_at[id.0 as usize] = ws.revision();
        }
        affected
    }

    fn apply(&mut self, ws: &Workspace) -> Vec<FileId> {
        // The files analysed are `self.files` (each `Local` is of its
        // file there): compared side by side, without reading the `Local`s.
        let changed: Vec<FileId> = (self.files.iter().zip(&ws.files).enumerate())
            .filter(|(_, (old, new))| !Arc::ptr_eq(old, new) && !new.is_builtin())
            .map(|(i, _)| FileId(i as u32))
            .collect();
        // The versions of the changed files last analysed.
        let before: Vec<Option<Arc<SourceFile>>> = changed
            .iter()
            .map(|id| self.local[id.0 as usize].as_ref().map(|l| l.source.clone()))
            .collect();
        let mut affected: FxHashSet<FileId> = changed.iter().copied().collect();
        let declarations_changed = ws.index.content_hash != self.index.content_hash;
        if declarations_changed {
            // References resolve differently: check every file again.
            let all: Vec<(FileId, Local)> = ws
                .workspace_files()
                .map(|(id, _)| id)
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|id| (id, Local::new(ws, id, None)))
                .collect();
            for (id, l) in all {
                affected.insert(id);
                self.local.set(id.0 as usize, Some(Arc::new(l)));
            }
        } else {
            for &id in &changed {
                let l = Local::new(ws, id, self.local[id.0 as usize].as_deref());
                self.local.set(id.0 as usize, Some(Arc::new(l)));
            }
        }
        // Cross-file mapping rules: the groups whose members changed, and
        // those with findings about a changed file (its ranges may have
        // moved, a relation changed). A group without findings can only
        // gain some when its members change: a relation matters only
        // between pairs that are already duplicates, and a changed excerpt
        // changes the member.
        let mut touched: FxHashSet<GroupId> = FxHashSet::default();
        for (&id, before) in changed.iter().zip(&before) {
            let now = ws.file(id);
            let keys = match before {
                Some(b) => MappingKeys::of_edited(
                    &self.keys[id.0 as usize],
                    now.common_ends(b),
                    &b.text,
                    &b.parse.ast,
                    &now.text,
                    &now.parse.ast,
                ),
                None => MappingKeys::of(&now.parse.ast),
            };
            touched.extend(self.groups.replace(id, &self.keys[id.0 as usize], &keys));
            self.keys.set(id.0 as usize, Arc::new(keys));
        }
        if declarations_changed {
            // `granularity-mismatch` reads which ids are clauses and which
            // clause holds each provision.
            touched.extend(self.groups.granular_candidates());
        }
        let changed_set: FxHashSet<FileId> = changed.iter().copied().collect();
        for (g, found) in &self.group_findings {
            let mentions = |d: &Diagnostic| {
                changed_set.contains(&d.file)
                    || d.related.iter().any(|r| changed_set.contains(&r.file))
            };
            if found.iter().any(mentions) {
                touched.insert(*g);
            }
        }
        for g in touched {
            if let Some(old) = self.group_findings.remove(&g) {
                affected.extend(old.iter().map(|d| d.file));
            }
            let new = self.groups.check(ws, g);
            if !new.is_empty() {
                affected.extend(new.iter().map(|d| d.file));
                self.group_findings.insert(g, new.into());
            }
        }
        if !Arc::ptr_eq(&ws.index, &self.index) {
            let new = document_rules(ws);
            if new != self.documents {
                affected.extend(self.documents.iter().map(|d| d.file));
                affected.extend(new.iter().map(|d| d.file));
                self.documents = new;
            }
            self.index = ws.index.clone();
        }
        let mut affected: Vec<FileId> = affected.into_iter().collect();
        affected.sort();
        affected
    }

    /// The diagnostics of one workspace file, with the severities of
    /// `xwalk.toml` applied and `off` codes removed, sorted by position.
    pub fn file_diagnostics(&self, ws: &Workspace, file: FileId) -> Vec<Diagnostic> {
        let Some(local) = self.local.get(file.0 as usize).and_then(Option::as_ref) else {
            return Vec::new();
        };
        let mut out: Vec<Diagnostic> = local.diagnostics().cloned().collect();
        out.extend(self.documents.iter().filter(|d| d.file == file).cloned());
        let groups = match self.group_findings.is_empty() {
            true => None,
            false => Some(duplicates::group_ids(&self.keys[file.0 as usize])),
        };
        for g in groups.into_iter().flatten() {
            if let Some(found) = self.group_findings.get(&g) {
                out.extend(found.iter().filter(|d| d.file == file).cloned());
            }
        }
        finish(ws, out)
    }

    /// Every diagnostic of the workspace's own files, sorted by file and
    /// position.
    pub fn diagnostics(&self, ws: &Workspace) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .local
            .iter()
            .flatten()
            .flat_map(|l| l.diagnostics())
            .cloned()
            .collect();
        out.extend(self.documents.iter().cloned());
        out.extend(self.group_findings.values().flat_map(|d| d.iter()).cloned());
        finish(ws, out)
    }
}

/// Do `a` and `b` hold files of the same paths, in the same order? Side by
/// side: the same `Arc` is the same path (all but the edited file, after
/// an edit), else the paths' bytes, else `Path` equality (component by
/// component, the slowest).
fn same_paths(a: &Files, b: &Files) -> bool {
    a.ptr_eq(b)
        || (a.len() == b.len()
            && a.iter().zip(b).all(|(a, b)| {
                Arc::ptr_eq(a, b) || a.path.as_os_str() == b.path.as_os_str() || a.path == b.path
            }))
}

/// Drops the diagnostics of built-in catalogs, applies the severities of
/// the workspace's configuration and sorts.
fn finish(ws: &Workspace, mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    out.retain(|d| !ws.file(d.file).is_builtin());
    if ws.config.per_file.is_empty() {
        for d in &mut out {
            d.severity = ws.config.severity(d.code);
        }
    } else {
        // Each file's table once: matching globs costs more than a lookup.
        let mut tables: FxHashMap<FileId, Vec<Severity>> = FxHashMap::default();
        for d in &mut out {
            let table = tables
                .entry(d.file)
                .or_insert_with(|| super::severities(ws, d.file));
            d.severity = table[d.code as usize];
        }
    }
    out.retain(|d| d.severity != Severity::Off);
    out.sort_by(|a, b| {
        (a.file, a.range.start, a.range.end, a.code, &a.message).cmp(&(
            b.file,
            b.range.start,
            b.range.end,
            b.code,
            &b.message,
        ))
    });
    out
}
