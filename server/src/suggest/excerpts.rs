//! Nearest neighbours over the excerpts of the workspace's `map` blocks.
//!
//! Each file's excerpts are indexed once, on first use, and the index is
//! kept with the file ([`SourceFile::derived`]): a workspace rebuilt after
//! an edit shares every other file, so only the edited file is indexed
//! again. A search scores every excerpt with BM25 (document frequencies
//! summed over the files' indexes at query time, so nothing of the whole
//! workspace has to be kept up to date) and keeps the best few.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::bm25;
use super::text::{Term, term_counts};
use crate::model::index::field_text;
use crate::model::{FileId, SourceFile, Workspace};
use crate::syntax::Map;

/// The excerpts of one file: which `map` each is, its length, and an
/// inverted index of its terms.
#[derive(Debug, Default)]
pub struct FileExcerpts {
    /// The file's `map` blocks without an excerpt, from `DOC:ID` to each
    /// `DOC:ID` target: correspondences (see [`super::targets`]).
    pub links: Vec<(super::targets::Key, super::targets::Key)>,
    entries: Vec<(u32, u32)>,
    total_len: u64,
    postings: FxHashMap<Term, Vec<(u32, u32)>>,
}

impl FileExcerpts {
    pub fn of(file: &SourceFile) -> FileExcerpts {
        let mut out = FileExcerpts::default();
        for (m, map) in file.parse.ast.maps.iter().enumerate() {
            let Some(excerpt) = field_text(&map.fields, "excerpt") else {
                if let (d, Some(id)) = map.source.key() {
                    for t in &map.targets {
                        if let (td, Some(tid)) = t.key() {
                            out.links
                                .push(((d.into(), id.into()), (td.into(), tid.into())));
                        }
                    }
                }
                continue;
            };
            let (counts, len) = term_counts(excerpt);
            if len == 0 {
                continue;
            }
            let e = out.entries.len() as u32;
            out.entries.push((m as u32, len));
            out.total_len += u64::from(len);
            for (t, tf) in counts {
                out.postings.entry(t).or_default().push((e, tf));
            }
        }
        out
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The excerpt index of `file`, built on first use and kept with it.
pub fn of_file(file: &SourceFile) -> Arc<FileExcerpts> {
    let derived = file
        .derived
        .get_or_init(|| Arc::new(FileExcerpts::of(file)));
    match derived.clone().downcast::<FileExcerpts>() {
        Ok(index) => index,
        // Another layer's table: index without keeping it.
        Err(_) => Arc::new(FileExcerpts::of(file)),
    }
}

/// Indexes, in parallel, the files of the workspace not indexed yet.
pub fn prepare(ws: &Workspace) {
    let missing: Vec<&SourceFile> = ws
        .files
        .iter()
        .map(|f| &**f)
        .filter(|f| f.derived.get().is_none())
        .collect();
    missing.par_iter().for_each(|f| {
        of_file(f);
    });
}

/// An excerpt close to the query.
#[derive(Clone, Debug)]
pub struct Neighbour<'a> {
    pub file: FileId,
    pub map: &'a Map,
    pub score: f64,
}

/// In a workspace of at least [`LARGE`] excerpts, a term in more than
/// this share of them says nothing about which of them is close, and would
/// cost a pass over most of them. (In a small one every term counts.)
const MAX_DF_SHARE: f64 = 0.9;
const LARGE: usize = 1000;

#[derive(PartialEq)]
struct Ranked(f64, u32, u32);

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Greater is worse, so that the heap's top is the worst kept: a lower
/// score, then a later file and entry.
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .total_cmp(&self.0)
            .then(self.1.cmp(&other.1))
            .then(self.2.cmp(&other.2))
    }
}

/// The `k` excerpts of the workspace's own files closest to the query's
/// terms, best first, leaving out the maps whose source is the document
/// `exclude`.
pub fn nearest<'a>(
    ws: &'a Workspace,
    query: &[Term],
    exclude: Option<&str>,
    k: usize,
) -> Vec<Neighbour<'a>> {
    prepare(ws);
    let files: Vec<(FileId, &SourceFile, Arc<FileExcerpts>)> = ws
        .workspace_files()
        .map(|(id, f)| (id, f, of_file(f)))
        .filter(|(_, _, x)| !x.is_empty())
        .collect();
    let n: usize = files.iter().map(|(_, _, x)| x.len()).sum();
    if n == 0 || k == 0 {
        return Vec::new();
    }
    let total: u64 = files.iter().map(|(_, _, x)| x.total_len).sum();
    let avg_len = total as f64 / n as f64;
    // Each query term's idf over every excerpt.
    let terms: Vec<(Term, f64)> = query
        .iter()
        .filter_map(|&t| {
            let df: usize = files
                .iter()
                .map(|(_, _, x)| x.postings.get(&t).map_or(0, Vec::len))
                .sum();
            (df > 0 && (n < LARGE || (df as f64) <= MAX_DF_SHARE * n as f64))
                .then(|| (t, bm25::idf(n, df)))
        })
        .collect();
    if terms.is_empty() {
        return Vec::new();
    }
    let mut heap: BinaryHeap<Ranked> = BinaryHeap::new();
    let mut scores: Vec<f64> = Vec::new();
    for (slot, (_, file, x)) in files.iter().enumerate() {
        if !terms.iter().any(|(t, _)| x.postings.contains_key(t)) {
            continue;
        }
        scores.clear();
        scores.resize(x.entries.len(), 0.0);
        for (t, idf) in &terms {
            for &(e, tf) in x.postings.get(t).into_iter().flatten() {
                scores[e as usize] += bm25::term_score(*idf, tf, x.entries[e as usize].1, avg_len);
            }
        }
        for (e, &s) in scores.iter().enumerate() {
            if s <= 0.0 {
                continue;
            }
            let ranked = Ranked(s, slot as u32, e as u32);
            if heap.len() == k && heap.peek().is_some_and(|worst| ranked >= *worst) {
                continue;
            }
            let map = &file.parse.ast.maps[x.entries[e].0 as usize];
            if exclude.is_some_and(|d| map.source.key().0 == d) {
                continue;
            }
            if heap.len() == k {
                heap.pop();
            }
            heap.push(ranked);
        }
    }
    heap.into_sorted_vec()
        .into_iter()
        .map(|Ranked(score, slot, e)| {
            let (file, f, x) = &files[slot as usize];
            Neighbour {
                file: *file,
                map: &f.parse.ast.maps[x.entries[e as usize].0 as usize],
                score,
            }
        })
        .collect()
}

/// The correspondences written as `map` blocks without an excerpt in any
/// file of the workspace (the built-in catalogs included), both ways.
pub fn links(ws: &Workspace) -> super::targets::Links {
    prepare(ws);
    let mut out = super::targets::Links::default();
    for f in &ws.files {
        for (a, b) in &of_file(f).links {
            out.entry(a.clone()).or_default().push(b.clone());
            out.entry(b.clone()).or_default().push(a.clone());
        }
    }
    for list in out.values_mut() {
        list.sort();
        list.dedup();
    }
    out
}
