//! How many mappings point at each target, and from how many
//! organisations: the "mapped by N sources from M organisations" of hover
//! and code lens.
//!
//! Counting by scanning every file's target table costs a binary search
//! per file, about a millisecond on a workspace of 1,000 files. Instead the
//! counts are a table of every target ([`TargetCounts`], a
//! [`WorkspaceTable`]): built once, and derived for a later version of the
//! workspace (the same index, some files changed) by taking the changed
//! files' share out of the earlier table and putting the new one in. Each
//! file's share is summarised once per file version ([`Summary`], a
//! [`FileTable`]): a file whose maps all quote one source document
//! contributes one entry per distinct target.
//!
//! Targets are keyed by [`endpoint_hash`], but every entry keeps its
//! target's real document and id: two different targets with the same
//! hash mark the entry as collided, and [`TargetCounts::get`] then declines
//! to answer so that the caller counts the slow way. The counts are exact.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::incremental::{Earlier, FileTable, WorkspaceTable};
use super::index::{EndpointKey, Index, endpoint_hash};
use super::{SourceFile, Workspace};
use crate::syntax::{Text, Words};

/// A file's share of the counts: runs of `(target hash, map, target,
/// pairs)`, one per distinct target and source document. `map` and
/// `target` locate one pair of the run in the file's AST, which gives the
/// run's target and source document.
#[derive(Debug, Default)]
pub struct Summary {
    runs: Vec<(u64, u32, u32, u32)>,
}

impl Summary {
    pub fn of(file: &SourceFile) -> Summary {
        let maps = &file.parse.ast.maps;
        let target = |m: u32, t: u32| maps[m as usize].targets[t as usize].key();
        let source = |m: u32| maps[m as usize].source.document().text.as_str();
        let mut runs: Vec<(u64, u32, u32, u32)> = Vec::new();
        let mut group_start = 0;
        for &(hash, m, t) in file.target_table() {
            if runs.last().is_none_or(|r| r.0 != hash) {
                group_start = runs.len();
            }
            // The runs of this hash so far: usually one.
            let same = runs[group_start..]
                .iter_mut()
                .find(|r| target(r.1, r.2) == target(m, t) && source(r.1) == source(m));
            match same {
                Some(r) => r.3 += 1,
                None => runs.push((hash, m, t, 1)),
            }
        }
        Summary { runs }
    }
}

impl FileTable for Summary {
    type Output = Summary;

    crate::table_slot!();

    fn derive(file: &SourceFile, _: Option<(&SourceFile, &Arc<Summary>)>) -> Arc<Summary> {
        Arc::new(Summary::of(file))
    }
}

#[derive(Clone, Debug)]
struct Target {
    document: Box<str>,
    id: Option<Box<str>>,
    /// Another target with the same hash was seen: the numbers below mix
    /// both.
    collided: bool,
    pairs: u64,
    organisations: FxHashMap<Text, u64>,
}

/// The pairs and organisations behind every target of a workspace's own
/// files.
#[derive(Clone, Debug, Default)]
pub struct TargetCounts {
    targets: FxHashMap<u64, Target>,
    /// Organisation names, shared by the targets.
    names: Words,
}

impl TargetCounts {
    /// The counts of `files` (built-in catalogs are skipped).
    pub fn build(files: &super::Files, index: &Index) -> TargetCounts {
        let mut counts = TargetCounts::default();
        for f in files {
            counts.add(f, index);
        }
        counts
    }

    /// `(pairs, organisations)` pointing at `key`; `None` when the table
    /// cannot tell (a hash collision), and the caller must count.
    pub fn get(&self, key: &EndpointKey) -> Option<(usize, usize)> {
        let hash = endpoint_hash(&key.document, key.id.as_deref());
        match self.targets.get(&hash) {
            None => Some((0, 0)),
            Some(t) if t.collided => None,
            Some(t) if *t.document == *key.document && t.id.as_deref() == key.id.as_deref() => {
                Some((t.pairs as usize, t.organisations.len()))
            }
            Some(_) => Some((0, 0)),
        }
    }

    pub fn add(&mut self, file: &SourceFile, index: &Index) {
        self.apply(file, index, true);
    }

    pub fn remove(&mut self, file: &SourceFile, index: &Index) {
        self.apply(file, index, false);
    }

    fn apply(&mut self, file: &SourceFile, index: &Index, add: bool) {
        if file.is_builtin() {
            return;
        }
        let maps = &file.parse.ast.maps;
        for &(hash, m, t, n) in &file.summary().runs {
            let map = &maps[m as usize];
            let (document, id) = map.targets[t as usize].key();
            let organisation = self
                .names
                .get(index.organisation(&map.source.document().text));
            let entry = self.targets.entry(hash).or_insert_with(|| Target {
                document: document.into(),
                id: id.map(Into::into),
                collided: false,
                pairs: 0,
                organisations: FxHashMap::default(),
            });
            if *entry.document != *document || entry.id.as_deref() != id {
                entry.collided = true;
            }
            let n = u64::from(n);
            if add {
                entry.pairs += n;
                *entry.organisations.entry(organisation).or_default() += n;
            } else {
                entry.pairs = entry.pairs.saturating_sub(n);
                if let Some(c) = entry.organisations.get_mut(&organisation) {
                    *c = c.saturating_sub(n);
                    if *c == 0 {
                        entry.organisations.remove(&organisation);
                    }
                }
                if entry.pairs == 0 && !entry.collided {
                    self.targets.remove(&hash);
                }
            }
        }
    }
}

impl WorkspaceTable for TargetCounts {
    type Output = TargetCounts;

    crate::table_slot!();

    /// From an earlier version with the same index and the same files
    /// (paths, in order): its table, less the share of each file changed
    /// since, plus the new version's share.
    fn derive(ws: &Workspace, earlier: Option<Earlier<'_, TargetCounts>>) -> Arc<TargetCounts> {
        let from_earlier = earlier.and_then(|e| {
            let changed = e.changed(ws).filter(|_| e.same_index(ws))?;
            if changed.is_empty() {
                return Some(e.table.clone());
            }
            let mut counts = (**e.table).clone();
            for id in changed {
                counts.remove(&e.files[id.0 as usize], &ws.index);
                counts.add(ws.file(id), &ws.index);
            }
            Some(Arc::new(counts))
        });
        from_earlier.unwrap_or_else(|| Arc::new(TargetCounts::build(&ws.files, &ws.index)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn file(text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile::new(
            "/ws/a.xwalk".into(),
            "a.xwalk".into(),
            text.into(),
            Origin::Workspace,
        ))
    }

    fn key(document: &str, id: &str) -> EndpointKey {
        EndpointKey {
            document: document.into(),
            id: Some(id.into()),
        }
    }

    #[test]
    fn counts_pairs_and_organisations() {
        let files: crate::model::Files = imbl::vector![file(
            "document s { publisher \"Org\" }\ndocument t { publisher \"Org\" }\n\
             map s:1 -> c:1, c:2\nmap s:2 -> c:1\nmap t:1 -> c:1\nmap u:1 -> c:1\n",
        )];
        let summary = files[0].summary();
        // c:1 from s (2 pairs), t and u; c:2 from s.
        assert_eq!(summary.runs.len(), 4, "{summary:?}");
        let index = Index::build(&files);
        let counts = TargetCounts::build(&files, &index);
        // s and t are both "Org"; u names no publisher and counts alone.
        assert_eq!(counts.get(&key("c", "1")), Some((4, 2)));
        assert_eq!(counts.get(&key("c", "2")), Some((1, 1)));
        assert_eq!(counts.get(&key("c", "3")), Some((0, 0)));
    }

    /// Two targets with one hash: the table declines to answer rather
    /// than mix their numbers.
    #[test]
    fn a_hash_collision_is_declined() {
        let files: crate::model::Files = imbl::vector![file("map s:1 -> c:1\n")];
        let index = Index::build(&files);
        let mut counts = TargetCounts::default();
        let hash = endpoint_hash("c", Some("1"));
        counts.targets.insert(
            hash,
            Target {
                document: "other".into(),
                id: Some("9".into()),
                collided: false,
                pairs: 1,
                organisations: FxHashMap::default(),
            },
        );
        assert_eq!(counts.get(&key("c", "1")), Some((0, 0)));
        counts.add(&files[0], &index);
        assert_eq!(counts.get(&key("c", "1")), None);
        counts.remove(&files[0], &index);
        assert_eq!(counts.get(&key("c", "1")), None, "stays declined");
    }
}
