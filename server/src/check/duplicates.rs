//! Duplicates: `duplicate-document`, `duplicate-provision`,
//! `duplicate-mapping`, `conflicting-relation` and `inconsistent-excerpt`
//! (the same source quoted with different texts).

// FxHash: the index and the duplicate checks hash 100,000s of short keys;
// SipHash's DoS resistance buys nothing here.
use rustc_hash::FxHashMap as HashMap;

use rayon::iter::ParallelIterator;

use super::sharded::{Hashed, Sharded};
use std::hash::{Hash, Hasher};

use super::text::tidy;
use super::{Code, Diagnostic};
use crate::model::index::{EndpointKey, field_text};
use crate::model::schema::DEFAULT_RELATION;
use crate::model::{FileId, Workspace};
use crate::syntax::ends::{CommonEnds, OldBlocks};
use crate::syntax::{Document, Field, Map, SourceFile, TextRange, walk_clauses, walk_provisions};

/// The same document id declared more than once.
pub fn documents(ws: &Workspace) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (id, decls) in &ws.index.declarations {
        let Some((first, rest)) = decls.split_first() else {
            continue;
        };
        let first_range = ws.file(first.file).parse.ast.documents[first.index]
            .id
            .range()
            .clone();
        for decl in rest {
            let range = ws.file(decl.file).parse.ast.documents[decl.index]
                .id
                .range()
                .clone();
            out.push(
                Diagnostic::new(
                    Code::DuplicateDocument,
                    decl.file,
                    range,
                    format!("document `{id}` is declared twice"),
                )
                .help("give one of them another id, or merge them")
                .related(first.file, first_range.clone(), "first declared here"),
            );
        }
    }
    out
}

/// The same provision or clause id twice within one document.
pub fn provisions(file: FileId, doc: &Document, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, (&'static str, TextRange)> = HashMap::default();
    let mut entries: Vec<(&str, &'static str, TextRange)> = Vec::new();
    walk_provisions(&doc.clauses, &doc.provisions, &mut |p| {
        entries.push((&p.id.text, "provision", p.id.range()))
    });
    walk_clauses(&doc.clauses, &mut |c| {
        entries.push((&c.id.text, "clause", c.id.range()))
    });
    entries.sort_by_key(|e| e.2.start);
    for (id, kind, range) in entries {
        if let Some((first_kind, first_range)) = seen.get(id) {
            out.push(
                Diagnostic::new(
                    Code::DuplicateProvision,
                    file,
                    range,
                    format!(
                        "{kind} `{id}` is declared twice in document `{}`",
                        doc.id.text
                    ),
                )
                .help(format!(
                    "the first is a {first_kind}; references `{}:{id}` would be ambiguous",
                    doc.id.text
                ))
                .related(
                    file,
                    first_range.clone(),
                    format!("first declared here as a {first_kind}"),
                ),
            );
        } else {
            seen.insert(id, (kind, range));
        }
    }
}

/// A mapping's identity: its source, its target and its excerpt
/// (whitespace folded; none when the map has none). A source that is a
/// whole document or a coarse section may be quoted for several
/// recommendations, each mapped on its own.
/// A derived map (`derived` field) is never the same mapping as a curated
/// one: a curator may map by hand what a chain derived.
type Identity = (EndpointKey, EndpointKey, Option<String>, bool);

/// The excerpt of a map, whitespace folded.
fn excerpt_key(map: &Map) -> Option<String> {
    field_text(&map.fields, "excerpt").map(tidy)
}

/// A map's first `excerpt` field and its text, for `inconsistent-excerpt`:
/// only maps whose source names a provision, clause or section.
fn quoted_excerpt(map: &Map) -> Option<(&Field, &str)> {
    map.source.id()?;
    let field = map.fields.iter().find(|f| f.name.text == "excerpt")?;
    let text = field_text(std::slice::from_ref(field), "excerpt")?;
    Some((field, text))
}

/// A text hashed as [`tidy`] would fold it, without building the folded
/// string: its words, in order.
#[derive(Clone, Copy)]
struct Folded<'a>(&'a str);

impl Hash for Folded<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for word in self.0.split_whitespace() {
            word.hash(state);
        }
    }
}

/// The `granularity-mismatch` group of `map`'s targets in `document`: one
/// per source and target document.
pub(super) fn granular_hash(map: &Map, document: &str) -> u64 {
    hash_of(&(map.source.key(), document))
}

fn hash_of(value: &impl Hash) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// What one file brings to the cross-file mapping rules: a hash of each
/// pair's identity, and of the source of each map with an excerpt. The
/// hashes only group candidates: the rules compare the real values.
#[derive(Clone, Debug, Default)]
pub struct MappingKeys {
    /// `(identity hash, map, target)` of every source → target pair,
    /// sorted.
    pub pairs: Vec<(u64, u32, u32)>,
    /// `(source hash, map, excerpt hash)` of every map quoting an excerpt
    /// of a provision, clause or section, sorted.
    pub quoted: Vec<(u64, u32, u64)>,
    /// `(hash of source and target document, map, targets, hash of their
    /// ids)`: for each document a map targets by `DOC:ID`, how many of its
    /// targets name it, and which, sorted (`granularity-mismatch`).
    pub granular: Vec<(u64, u32, u32, u64)>,
}

impl MappingKeys {
    pub fn of(ast: &SourceFile) -> MappingKeys {
        // Sized once: these lists grew by doubling, copying each time.
        let pairs: usize = ast.maps.iter().map(|m| m.targets.len()).sum();
        let mut keys = MappingKeys {
            pairs: Vec::with_capacity(pairs),
            quoted: Vec::with_capacity(ast.maps.len()),
            granular: Vec::with_capacity(pairs),
        };
        for (m, map) in ast.maps.iter().enumerate() {
            keys.add(m as u32, map);
        }
        keys.sort();
        keys
    }

    /// The keys of `new_ast` (parsed from `new_text`), an edited version
    /// of a file whose keys were `old` (of `old_ast`, parsed from
    /// `old_text`): a map found unchanged (`syntax::ends`) keeps its
    /// hashes, the others are hashed. The same as [`MappingKeys::of`].
    pub fn of_edited(
        old: &MappingKeys,
        ends: CommonEnds,
        old_text: &str,
        old_ast: &SourceFile,
        new_text: &str,
        new_ast: &SourceFile,
    ) -> MappingKeys {
        if let Some(keys) = MappingKeys::shifted(old, ends, old_text, old_ast, new_text, new_ast) {
            return keys;
        }
        // The old keys by map.
        let mut old_pairs: Vec<(u32, u32, u64)> =
            old.pairs.iter().map(|&(h, m, t)| (m, t, h)).collect();
        old_pairs.sort_unstable();
        let mut old_granular: Vec<(u32, u64, u32, u64)> = old
            .granular
            .iter()
            .map(|&(h, m, n, ids)| (m, h, n, ids))
            .collect();
        old_granular.sort_unstable();
        let mut old_quoted: Vec<Option<(u64, u64)>> = vec![None; old_ast.maps.len()];
        for &(h, m, e) in &old.quoted {
            if let Some(q) = old_quoted.get_mut(m as usize) {
                *q = Some((h, e));
            }
        }
        // Only error-free maps: the same text gives the same map.
        let candidates = old_ast
            .maps
            .iter()
            .enumerate()
            .filter(|(_, map)| !map.block_has_error())
            .map(|(i, map)| (map.block_range(), i));
        let blocks = OldBlocks::new(ends, old_text, candidates);
        let mut keys = MappingKeys::default();
        for (m, map) in new_ast.maps.iter().enumerate() {
            let m = m as u32;
            let found = (!map.block_has_error())
                .then(|| blocks.find(new_text, &map.block_range()))
                .flatten();
            match found {
                Some(i) => {
                    let i = i as u32;
                    keys.pairs.extend(
                        of_map(&old_pairs, i, |e| e.0)
                            .iter()
                            .map(|&(_, t, h)| (h, m, t)),
                    );
                    if let Some((h, e)) = old_quoted[i as usize] {
                        keys.quoted.push((h, m, e));
                    }
                    keys.granular.extend(
                        of_map(&old_granular, i, |e| e.0)
                            .iter()
                            .map(|&(_, h, n, ids)| (h, m, n, ids)),
                    );
                }
                None => keys.add(m, map),
            }
        }
        keys.sort();
        keys
    }

    /// [`MappingKeys::of_edited`] for the common edit, one stretch of
    /// text changed: the maps wholly before it keep their index and the
    /// maps wholly after it move by the change in the number of maps, so
    /// their keys are the old ones renumbered, which keeps them sorted,
    /// and are merged with the keys of the maps in between (linear, no
    /// sort of the file's keys). `None` when the maps around the edit do
    /// not line up (then every map is looked up by its text).
    fn shifted(
        old: &MappingKeys,
        ends: CommonEnds,
        old_text: &str,
        old_ast: &SourceFile,
        new_text: &str,
        new_ast: &SourceFile,
    ) -> Option<MappingKeys> {
        let (old_maps, new_maps) = (&old_ast.maps, &new_ast.maps);
        let before = old_maps.partition_point(|m| m.block_range().end <= ends.prefix);
        let old_after =
            old_maps.partition_point(|m| m.block_range().start < old_text.len() - ends.suffix);
        let new_after =
            new_maps.partition_point(|m| m.block_range().start < new_text.len() - ends.suffix);
        let after = old_maps.len().checked_sub(old_after)?;
        if new_maps.len().checked_sub(new_after)? != after
            || before > old_after
            || before > new_after
            || new_maps.len() < before
        {
            return None;
        }
        let by = new_text.len() as isize - old_text.len() as isize;
        let shift =
            |r: &TextRange| Some(r.start.checked_add_signed(by)?..r.end.checked_add_signed(by)?);
        // Where each old map went, when it is the same error-free map.
        let mut to_new: Vec<Option<u32>> = vec![None; old_maps.len()];
        for i in 0..before {
            let (o, n) = (&old_maps[i], &new_maps[i]);
            if o.block_range() != n.block_range() {
                return None;
            }
            if !o.block_has_error() && !n.block_has_error() {
                to_new[i] = Some(i as u32);
            }
        }
        for k in 0..after {
            let (o, n) = (&old_maps[old_after + k], &new_maps[new_after + k]);
            if shift(&o.block_range())? != n.block_range() {
                return None;
            }
            if !o.block_has_error() && !n.block_has_error() {
                to_new[old_after + k] = Some((new_after + k) as u32);
            }
        }
        let mut kept = vec![false; new_maps.len()];
        for &n in to_new.iter().flatten() {
            kept[n as usize] = true;
        }
        let mut fresh = MappingKeys::default();
        for (m, map) in new_maps.iter().enumerate() {
            if !kept[m] {
                fresh.add(m as u32, map);
            }
        }
        fresh.sort();
        let renumber = |m: u32| to_new.get(m as usize).copied().flatten();
        Some(MappingKeys {
            pairs: merge_sorted(
                old.pairs
                    .iter()
                    .filter_map(|&(h, m, t)| Some((h, renumber(m)?, t))),
                fresh.pairs,
            ),
            quoted: merge_sorted(
                old.quoted
                    .iter()
                    .filter_map(|&(h, m, e)| Some((h, renumber(m)?, e))),
                fresh.quoted,
            ),
            granular: merge_sorted(
                (old.granular.iter()).filter_map(|&(h, m, n, ids)| Some((h, renumber(m)?, n, ids))),
                fresh.granular,
            ),
        })
    }

    /// Adds the keys of `map`, the map at `m`.
    fn add(&mut self, m: u32, map: &Map) {
        let source = map.source.key();
        // Once per map, not per target: folding is the costly part.
        let excerpt = field_text(&map.fields, "excerpt").map(|t| hash_of(&Folded(t)));
        let derived = crate::model::index::is_derived(map);
        for (t, target) in map.targets.iter().enumerate() {
            let identity = (source, target.key(), excerpt, derived);
            self.pairs.push((hash_of(&identity), m, t as u32));
        }
        // The quoted excerpt is the text `excerpt` was taken from.
        if let (Some(_), Some(excerpt)) = (quoted_excerpt(map), excerpt) {
            self.quoted.push((hash_of(&source), m, excerpt));
        }
        self.add_granular(m, map);
    }

    /// The `granular` keys of `map`, the map at `m`.
    fn add_granular(&mut self, m: u32, map: &Map) {
        // Derived maps land where their chains do, clause or provision:
        // candidates for a curator, not a table to keep consistent.
        if crate::model::index::is_derived(map) {
            return;
        }
        // On the stack: a map has a few targets (this runs for every map).
        let mut targets: smallvec::SmallVec<[(&str, &str); 4]> = map
            .targets
            .iter()
            .filter_map(|t| Some((t.document().text.as_str(), t.id()?.text.as_str())))
            .collect();
        targets.sort_unstable();
        for run in targets.chunk_by(|a, b| a.0 == b.0) {
            // Hashed as a slice, like the `Vec` it once was.
            let ids: smallvec::SmallVec<[&str; 4]> = run.iter().map(|t| t.1).collect();
            self.granular.push((
                granular_hash(map, run[0].0),
                m,
                run.len() as u32,
                hash_of(&ids),
            ));
        }
    }

    fn sort(&mut self) {
        self.pairs.sort_unstable();
        self.quoted.sort_unstable();
        self.granular.sort_unstable();
    }
}

/// The sorted `a` and `b` in one sorted vector.
fn merge_sorted<T: Ord + Copy>(a: impl Iterator<Item = T>, b: Vec<T>) -> Vec<T> {
    // The upper bound: `a` is filtered, and its lower bound is 0.
    let mut out = Vec::with_capacity(a.size_hint().1.unwrap_or(0) + b.len());
    let mut b = b.into_iter().peekable();
    for x in a {
        while let Some(y) = b.next_if(|y| *y < x) {
            out.push(y);
        }
        out.push(x);
    }
    out.extend(b);
    out
}

/// The run of `sorted` (sorted by `map_of`) that belongs to map `m`.
fn of_map<T>(sorted: &[T], m: u32, map_of: impl Fn(&T) -> u32) -> &[T] {
    let start = sorted.partition_point(|e| map_of(e) < m);
    let len = sorted[start..].partition_point(|e| map_of(e) == m);
    &sorted[start..start + len]
}

/// A group of candidates for a cross-file rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupId {
    /// Pairs with the same identity hash (`duplicate-mapping`,
    /// `conflicting-relation`).
    Pair(u64),
    /// Maps quoting the same source (`inconsistent-excerpt`).
    Quoted(u64),
    /// Maps with the same source and a target in the same document
    /// (`granularity-mismatch`).
    Granular(u64),
}

/// The workspace's pairs and quoting maps grouped by hash, each group in
/// file order: what the cross-file mapping rules look at. Kept up to date
/// file by file, so that an edit only re-examines the groups it touches.
/// Ordered sets (hash, then position), where a group is a run: an edit
/// inserts and removes a few entries in logarithmic time (a sorted vector
/// of a large workspace's 200,000 pairs would move megabytes on every
/// keystroke), and the sets are [`Sharded`], so that the next version's
/// groups share every shard the edit did not touch with this version's.
#[derive(Clone, Default)]
pub struct Groups {
    pairs: Sharded<(u64, FileId, u32, u32)>,
    quoted: Sharded<(u64, FileId, u32)>,
    /// `(hash, file, map, targets)`, from [`MappingKeys::granular`].
    granular: Sharded<(u64, FileId, u32, u32)>,
}

/// `a` minus `b`, as multisets (both sorted): an entry twice in `a` and
/// once in `b` is kept once.
fn sorted_minus<T: Ord + Copy>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out = Vec::new();
    let mut j = 0;
    for x in a {
        while j < b.len() && b[j] < *x {
            j += 1;
        }
        if j < b.len() && b[j] == *x {
            j += 1;
        } else {
            out.push(*x);
        }
    }
    out
}

/// The hashes of `entries` (ordered by hash first) held by two entries or
/// more.
fn repeated<'a, T: 'a>(entries: impl Iterator<Item = &'a T>, key: impl Fn(&T) -> u64) -> Vec<u64> {
    let mut out = Vec::new();
    let mut previous = None;
    for e in entries {
        let h = key(e);
        if previous == Some(h) && out.last() != Some(&h) {
            out.push(h);
        }
        previous = Some(h);
    }
    out
}

/// The hashes of `entries` (ordered by hash first) whose entries hold two
/// targets or more in all (`(hash, file, map, targets)`).
fn two_targets_or_more<'a>(entries: impl Iterator<Item = &'a (u64, FileId, u32, u32)>) -> Vec<u64> {
    let mut out = Vec::new();
    // The hash of the current run and its targets so far.
    let mut run: Option<(u64, u32)> = None;
    for &(h, _, _, n) in entries {
        match &mut run {
            Some((g, total)) if *g == h => *total += n,
            _ => {
                if let Some((g, total)) = run
                    && total >= 2
                {
                    out.push(g);
                }
                run = Some((h, n));
            }
        }
    }
    if let Some((g, total)) = run
        && total >= 2
    {
        out.push(g);
    }
    out
}

/// What `find` finds in each shard of `set`, the shards in parallel, in
/// order (a group is all in one shard).
fn per_shard<T: Hashed + Send + Sync>(
    set: &Sharded<T>,
    find: impl Fn(super::sharded::Entries<'_, T>) -> Vec<u64> + Sync + Send,
) -> Vec<u64> {
    let found: Vec<Vec<u64>> = set.par_shards().map(find).collect();
    found.concat()
}

/// The lists of `files`' keys that `of` picks, by file.
fn parts<'a, K>(
    files: &[(FileId, &'a MappingKeys)],
    of: impl Fn(&'a MappingKeys) -> &'a [K],
) -> Vec<(FileId, &'a [K])> {
    files.iter().map(|&(file, keys)| (file, of(keys))).collect()
}

impl Groups {
    /// The groups of every file's keys, the sets' shards built in
    /// parallel (see [`Sharded::gather`]).
    pub fn new<'a>(files: impl Iterator<Item = (FileId, &'a MappingKeys)>) -> Groups {
        let files: Vec<(FileId, &MappingKeys)> = files.collect();
        let pairs = parts(&files, |k| &k.pairs);
        let quoted = parts(&files, |k| &k.quoted);
        let granular = parts(&files, |k| &k.granular);
        Groups {
            pairs: Sharded::gather(&pairs, |k| k.0, |&f, &(h, m, t)| (h, f, m, t)),
            quoted: Sharded::gather(&quoted, |k| k.0, |&f, &(h, m, _)| (h, f, m)),
            granular: Sharded::gather(&granular, |k| k.0, |&f, &(h, m, n, _)| (h, f, m, n)),
        }
    }

    /// Replaces a file's keys `old` by `new`; returns the groups whose
    /// members changed (came, went, or quote another excerpt). Maps that
    /// only moved (a map removed above them) touch no group: what a group
    /// finds does not depend on where its members are, and the groups with
    /// findings about a changed file are redone anyway.
    pub fn replace(&mut self, file: FileId, old: &MappingKeys, new: &MappingKeys) -> Vec<GroupId> {
        let gone_pairs = sorted_minus(&old.pairs, &new.pairs);
        let came_pairs = sorted_minus(&new.pairs, &old.pairs);
        let gone_quoted = sorted_minus(&old.quoted, &new.quoted);
        let came_quoted = sorted_minus(&new.quoted, &old.quoted);
        let gone_granular = sorted_minus(&old.granular, &new.granular);
        let came_granular = sorted_minus(&new.granular, &old.granular);
        let changes = gone_pairs.len()
            + came_pairs.len()
            + gone_quoted.len()
            + came_quoted.len()
            + gone_granular.len()
            + came_granular.len();
        for &(h, m, n, _) in &gone_granular {
            self.granular.remove(&(h, file, m, n));
        }
        for &(h, m, n, _) in &came_granular {
            self.granular.insert((h, file, m, n));
        }
        for &(h, m, t) in &gone_pairs {
            self.pairs.remove(&(h, file, m, t));
        }
        for &(h, m, _) in &gone_quoted {
            self.quoted.remove(&(h, file, m));
        }
        for &(h, m, t) in &came_pairs {
            self.pairs.insert((h, file, m, t));
        }
        for &(h, m, _) in &came_quoted {
            self.quoted.insert((h, file, m));
        }
        if changes == 0 {
            return Vec::new();
        }
        // The members, without their positions: a group is touched when
        // its members changed, not only where they are. What the file
        // holds before and after is what both hold plus what went, or came;
        // so the members that went (or came) are those of the entries
        // that went without a like entry among those that came (or the
        // reverse), and only the changes are compared, not the file's keys.
        fn members<T, K: Ord + Copy>(entries: &[T], key: impl Fn(&T) -> K) -> Vec<K> {
            let mut k: Vec<K> = entries.iter().map(key).collect();
            k.sort_unstable();
            k
        }
        let (old_pairs, new_pairs) = (members(&gone_pairs, |e| e.0), members(&came_pairs, |e| e.0));
        let quoted = |e: &(u64, u32, u64)| (e.0, e.2);
        let (old_quoted, new_quoted) =
            (members(&gone_quoted, quoted), members(&came_quoted, quoted));
        // The targets' ids matter: `5.1` (a clause) for `5.1-1` (a
        // provision) changes what the group finds.
        let granular = |e: &(u64, u32, u32, u64)| (e.0, e.2, e.3);
        let (old_granular, new_granular) = (
            members(&gone_granular, granular),
            members(&came_granular, granular),
        );
        let mut touched: Vec<GroupId> = sorted_minus(&old_pairs, &new_pairs)
            .into_iter()
            .chain(sorted_minus(&new_pairs, &old_pairs))
            .map(GroupId::Pair)
            .chain(
                sorted_minus(&old_quoted, &new_quoted)
                    .into_iter()
                    .chain(sorted_minus(&new_quoted, &old_quoted))
                    .map(|e| GroupId::Quoted(e.0)),
            )
            .chain(
                sorted_minus(&old_granular, &new_granular)
                    .into_iter()
                    .chain(sorted_minus(&new_granular, &old_granular))
                    .map(|e| GroupId::Granular(e.0)),
            )
            .collect();
        touched.sort_unstable_by_key(|g| match *g {
            GroupId::Pair(h) => (0, h),
            GroupId::Quoted(h) => (1, h),
            GroupId::Granular(h) => (2, h),
        });
        touched.dedup();
        touched
    }

    /// Every group that may hold a finding (two members or more).
    pub fn candidates(&self) -> Vec<GroupId> {
        let pairs = per_shard(&self.pairs, |s| repeated(s, |e| e.0))
            .into_iter()
            .map(GroupId::Pair);
        let quoted = per_shard(&self.quoted, |s| repeated(s, |e| e.0))
            .into_iter()
            .map(GroupId::Quoted);
        pairs
            .chain(quoted)
            .chain(self.granular_candidates())
            .collect()
    }

    /// The `granularity-mismatch` groups that may hold a finding: two
    /// targets or more in all.
    pub fn granular_candidates(&self) -> Vec<GroupId> {
        per_shard(&self.granular, |s| two_targets_or_more(s))
            .into_iter()
            .map(GroupId::Granular)
            .collect()
    }

    /// The findings of one group.
    pub fn check(&self, ws: &Workspace, id: GroupId) -> Vec<Diagnostic> {
        match id {
            GroupId::Pair(h) => {
                let members: Vec<_> = self
                    .pairs
                    .range((h, FileId(0), 0, 0)..=(h, FileId(u32::MAX), u32::MAX, u32::MAX))
                    .map(|&(_, f, m, t)| (f, m, t))
                    .collect();
                if members.len() < 2 {
                    return Vec::new();
                }
                mappings(ws, &members)
            }
            GroupId::Quoted(h) => {
                let members: Vec<_> = self
                    .quoted
                    .range((h, FileId(0), 0)..=(h, FileId(u32::MAX), u32::MAX))
                    .map(|&(_, f, m)| (f, m))
                    .collect();
                if members.len() < 2 {
                    return Vec::new();
                }
                excerpts(ws, &members)
            }
            GroupId::Granular(h) => {
                let members: Vec<_> = self
                    .granular
                    .range((h, FileId(0), 0, 0)..=(h, FileId(u32::MAX), u32::MAX, u32::MAX))
                    .map(|&(_, f, m, _)| (f, m))
                    .collect();
                super::granularity::check(ws, h, &members)
            }
        }
    }
}

/// The groups a file's keys fall in, each once. The keys are sorted by
/// hash, so a group's keys are a run: its first key stands for it.
pub fn group_ids(keys: &MappingKeys) -> impl Iterator<Item = GroupId> + '_ {
    fn firsts<T>(keys: &[T], hash: fn(&T) -> u64) -> impl Iterator<Item = u64> + '_ {
        (0..keys.len())
            .filter(move |&i| i == 0 || hash(&keys[i - 1]) != hash(&keys[i]))
            .map(move |i| hash(&keys[i]))
    }
    firsts(&keys.pairs, |k| k.0)
        .map(GroupId::Pair)
        .chain(firsts(&keys.quoted, |k| k.0).map(GroupId::Quoted))
        .chain(firsts(&keys.granular, |k| k.0).map(GroupId::Granular))
}

/// The same mapping made again, with the same relation
/// (`duplicate-mapping`) or a different one (`conflicting-relation`),
/// among the pairs of one group (in file order).
fn mappings(ws: &Workspace, group: &[(FileId, u32, u32)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The first pair of each identity in the group (hashes may collide).
    let mut first: Vec<(Identity, (FileId, u32, u32))> = Vec::new();
    for &(file, m, t) in group {
        let map = &ws.file(file).parse.ast.maps[m as usize];
        let identity = (
            EndpointKey::of(&map.source),
            EndpointKey::of(&map.targets[t as usize]),
            excerpt_key(map),
            crate::model::index::is_derived(map),
        );
        let Some((_, (earlier_file, earlier_m, earlier_t))) =
            first.iter().find(|(k, _)| *k == identity)
        else {
            first.push((identity, (file, m, t)));
            continue;
        };
        let earlier_map = &ws.file(*earlier_file).parse.ast.maps[*earlier_m as usize];
        let relation = relation_of(map);
        let earlier_relation = relation_of(earlier_map);
        let range = map.targets[t as usize].range();
        let earlier_range = earlier_map.targets[*earlier_t as usize].range();
        let pair = format!("`{}` -> `{}`", identity.0, identity.1);
        let d = if earlier_relation == relation {
            let same_map = *earlier_file == file && *earlier_m == m;
            Diagnostic::new(
                Code::DuplicateMapping,
                file,
                range,
                format!("{pair} is mapped twice"),
            )
            .help(if same_map {
                "the target is listed twice in this map; remove one"
            } else {
                "remove this mapping, or merge its fields into the first"
            })
            .related(*earlier_file, earlier_range, "first mapped here")
        } else {
            Diagnostic::new(
                Code::ConflictingRelation,
                file,
                range,
                format!("{pair} is mapped as `{relation}` here but as `{earlier_relation}` before"),
            )
            .help("a source relates to a target in one way: keep one relation")
            .related(
                *earlier_file,
                earlier_range,
                format!("mapped as `{earlier_relation}` here"),
            )
        };
        out.push(d);
    }
    out
}

/// The effective relation of a map (`related` when none is given).
fn relation_of(map: &Map) -> &str {
    field_text(&map.fields, "relation").unwrap_or(DEFAULT_RELATION)
}

/// The same source (a provision, clause or section, not a whole document)
/// quoted with different excerpts: one id used for different texts, as
/// when a spreadsheet turns section `4.10` into `4.1`, or a coarse section
/// that holds several recommendations. Reported at each map that brings a
/// new excerpt, with the first map marked. `group` holds the maps quoting
/// one source (or several, when hashes collide), in file order.
fn excerpts(ws: &Workspace, group: &[(FileId, u32)]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Per source: the excerpts seen so far, and where the first was.
    let mut seen: Vec<(EndpointKey, Vec<String>, FileId, TextRange)> = Vec::new();
    for &(file, m) in group {
        let map = &ws.file(file).parse.ast.maps[m as usize];
        let Some((field, text)) = quoted_excerpt(map) else {
            continue;
        };
        let folded = tidy(text);
        let range = field.values_range();
        let key = EndpointKey::of(&map.source);
        match seen.iter_mut().find(|(k, ..)| *k == key) {
            None => seen.push((key, vec![folded], file, range)),
            Some((_, known, first_file, first_range)) => {
                if known.contains(&folded) {
                    continue;
                }
                known.push(folded);
                out.push(
                    Diagnostic::new(
                        Code::InconsistentExcerpt,
                        file,
                        range,
                        format!(
                            "`{key}` is quoted with another excerpt than before ({} different so far)",
                            known.len()
                        ),
                    )
                    .help("if these are different provisions or sections, give each its own id; if one quotation is wrong, correct it")
                    .related(*first_file, first_range.clone(), "first quoted here"),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod keys {
    use super::{CommonEnds, MappingKeys};
    use crate::syntax;

    /// The keys of an edited file, taken over from the old keys where a
    /// map is unchanged, are the keys of the new text.
    #[test]
    fn keys_after_an_edit_are_the_keys_of_the_new_text() {
        let old = "map a:1 -> b:1, b:2, c {\n  excerpt \"x\"\n}\nmap a:2 -> b:3\nmap a:3 -> c:1, b:1 { excerpt \"y\" }\n";
        let edits = [
            ("b:3", "b:4, b:5"),
            ("map a:1", "map a:0"),
            ("excerpt \"x\"", "excerpt \"z\""),
            ("map a:2 -> b:3\n", ""),
            ("", "map a:9 -> b:9, b:8\n"),
        ];
        let old_ast = syntax::parse(old).ast;
        let old_keys = MappingKeys::of(&old_ast);
        for (find, replace) in edits {
            let new = old.replacen(find, replace, 1);
            let new_ast = syntax::parse(&new).ast;
            let edited = MappingKeys::of_edited(
                &old_keys,
                CommonEnds::of(old, &new),
                old,
                &old_ast,
                &new,
                &new_ast,
            );
            let fresh = MappingKeys::of(&new_ast);
            assert_eq!(edited.pairs, fresh.pairs, "{new}");
            assert_eq!(edited.quoted, fresh.quoted, "{new}");
            assert_eq!(edited.granular, fresh.granular, "{new}");
            // An edit within one map, or one map added or removed, takes
            // the renumbering path.
            assert!(
                MappingKeys::shifted(
                    &old_keys,
                    CommonEnds::of(old, &new),
                    old,
                    &old_ast,
                    &new,
                    &new_ast
                )
                .is_some(),
                "{new}"
            );
        }
    }

    use proptest::prelude::*;

    /// A line of a generated file: maps with shared sources and targets
    /// (so that keys collide), excerpts, and broken maps.
    fn line() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "map a:1 -> b:1, b:2\n",
            "map a:1 -> b:1 { excerpt \"x  y\" }\n",
            "map a:2 -> b:1, c\n",
            "map a:1 -> b:1 { derived \"chain\" }\n",
            "map a:3 -> b:3 {\n  relation equal-to\n}\n",
            "map a:1 -> { excerpt \"z\" \n",
            "document b { provision 1 }\n",
            "# a comment\n",
            "\n",
        ])
    }

    proptest! {
        /// Whatever the edit, the keys taken over from the old version
        /// are the keys of the new text.
        #[test]
        fn edited_keys_are_fresh_keys(
            lines in prop::collection::vec(line(), 0..12),
            at in 0usize..400,
            cut in 0usize..40,
            insert in prop::sample::select(vec!["", "x", "\n", "}", "{", "map a:1 -> b:2\n", "1, b:", "\""]),
        ) {
            let old: String = lines.concat();
            let start = at.min(old.len());
            let end = (start + cut).min(old.len());
            let new = format!("{}{insert}{}", &old[..start], &old[end..]);
            let old_ast = syntax::parse(&old).ast;
            let new_ast = syntax::parse(&new).ast;
            let edited = MappingKeys::of_edited(&MappingKeys::of(&old_ast), CommonEnds::of(&old, &new), &old, &old_ast, &new, &new_ast);
            let fresh = MappingKeys::of(&new_ast);
            prop_assert_eq!(edited.pairs, fresh.pairs);
            prop_assert_eq!(edited.quoted, fresh.quoted);
            prop_assert_eq!(edited.granular, fresh.granular);
        }
    }
}

#[cfg(test)]
mod groups {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::{GroupId, Groups, MappingKeys};
    use crate::model::FileId;

    /// Keys of one file from `(hash, targets)` pairs: hashes from a small
    /// set (so that groups form), spread over the shards by their top bits.
    fn keys(entries: &[(u8, u32)]) -> MappingKeys {
        let hash = |h: u8| (h as u64).rotate_right(5) | h as u64;
        let mut keys = MappingKeys::default();
        for (m, &(h, n)) in entries.iter().enumerate() {
            let m = m as u32;
            keys.pairs.push((hash(h), m, 0));
            keys.quoted.push((hash(h), m, 7));
            keys.granular.push((hash(h), m, n, 0));
        }
        keys.sort();
        keys
    }

    proptest! {
        /// The groups built shard by shard in parallel hold every file's
        /// entries, in order, and the candidates are the groups of two
        /// members or more (of two targets or more for the granular
        /// groups), in order of hash.
        #[test]
        fn candidates_are_the_groups_of_two_or_more(
            files in prop::collection::vec(prop::collection::vec((any::<u8>(), 1u32..3), 0..40), 0..6),
        ) {
            let keys: Vec<MappingKeys> = files.iter().map(|f| keys(f)).collect();
            let groups = Groups::new(keys.iter().enumerate().map(|(i, k)| (FileId(i as u32), k)));
            let mut members: BTreeMap<u64, (usize, u32)> = BTreeMap::new();
            let mut pairs = Vec::new();
            for (i, k) in keys.iter().enumerate() {
                for &(h, m, t) in &k.pairs {
                    pairs.push((h, FileId(i as u32), m, t));
                }
                for &(h, _, n, _) in &k.granular {
                    let e = members.entry(h).or_default();
                    e.0 += 1;
                    e.1 += n;
                }
            }
            pairs.sort_unstable();
            prop_assert!(groups.pairs.iter().copied().eq(pairs.iter().copied()));
            let expected: Vec<GroupId> = members
                .iter()
                .filter(|(_, (count, _))| *count >= 2)
                .map(|(&h, _)| GroupId::Pair(h))
                .chain(members.iter().filter(|(_, (count, _))| *count >= 2).map(|(&h, _)| GroupId::Quoted(h)))
                .chain(members.iter().filter(|(_, (_, n))| *n >= 2).map(|(&h, _)| GroupId::Granular(h)))
                .collect();
            prop_assert_eq!(groups.candidates(), expected);
        }
    }
}

#[cfg(test)]
mod annotated {
    use crate::fixture::check_fixture;

    #[test]
    fn documents_and_provisions_declared_twice() {
        check_fixture(
            r#"
            //- a.xwalk
            document guide {
              title "Guide"
              clause 1 {
                provision 1.1 {}
              }
              provision 1.1 {}
            #           ^^^ duplicate-provision
            }
            //- b.xwalk
            document guide { title "Guide again" }
            #        ^^^^^ duplicate-document
            "#,
        );
    }

    #[test]
    fn mappings_twice_and_with_conflicting_relations() {
        check_fixture(
            r#"
            document notes { title "Notes" }
            map notes:x -> uk-cop-2018:1 {}
            map notes:x -> uk-cop-2018:2, uk-cop-2018:1 {}
            #                             ^^^^^^^^^^^^^ duplicate-mapping
            map notes:x -> uk-cop-2018:3 { relation subset-of }
            map notes:x -> uk-cop-2018:3 { relation superset-of }
            #              ^^^^^^^^^^^^^ conflicting-relation
            "#,
        );
    }

    #[test]
    fn the_same_source_quoted_two_ways() {
        check_fixture(
            r#"
            document notes { title "Notes" }
            map notes:x -> uk-cop-2018:1 { excerpt "Use unique passwords." }
            map notes:x -> uk-cop-2018:2 { excerpt "Use strong passwords." }
            #                                      ^^^^^^^^^^^^^^^^^^^^^^^ inconsistent-excerpt
            "#,
        );
    }

    #[test]
    fn severities_follow_xwalk_toml() {
        check_fixture(
            r#"
            //- main.xwalk
            document notes { title "Notes" }
            map notes:x -> uk-cop-2018:1 {}
            map notes:x -> uk-cop-2018:1 {}
            //- xwalk.toml
            [lint]
            duplicate-mapping = "off"
            "#,
        );
    }
}
