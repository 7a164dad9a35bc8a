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
use crate::model::{FileId, SourceFile, Workspace};
use crate::syntax::{Map, Text, Value};

/// The excerpts of one file: which `map` each is, its length, and an
/// inverted index of its terms.
#[derive(Debug, Default)]
pub struct FileExcerpts {
    /// The file's `map` blocks without an excerpt, from `DOC:ID` to each
    /// `DOC:ID` target: correspondences (see [`super::targets`]).
    pub links: Vec<(super::targets::Key, super::targets::Key)>,
    entries: Vec<(u32, u32)>,
    /// Each entry's excerpt (shared with the AST), so that the index of
    /// the file's next version can take the terms of unchanged excerpts.
    texts: Vec<Text>,
    total_len: u64,
    postings: FxHashMap<Term, Postings>,
}

/// One term's postings in a file: `(entry, count)` in entry order, and
/// what bounds the term's score in any of them (the score grows with the
/// count and falls with the excerpt's length).
#[derive(Debug)]
struct Postings {
    list: Vec<(u32, u32)>,
    max_tf: u32,
    min_len: u32,
}

impl Postings {
    /// The most the term can add to the score of an excerpt of the file.
    fn bound(&self, idf: f64, avg_len: f64) -> f64 {
        bm25::term_score(idf, self.max_tf, self.min_len, avg_len)
    }
}

/// An excerpt's terms with their counts, and its length in terms.
type TermCounts = (Vec<(Term, u32)>, u32);

/// A map's excerpt, as the AST holds it.
fn excerpt_of(map: &Map) -> Option<&Text> {
    let field = map.fields.iter().find(|f| f.name.text == "excerpt")?;
    match field.values.first() {
        Some(Value::String(s)) => Some(&s.value),
        Some(Value::Word(w)) => Some(&w.text),
        _ => None,
    }
}

impl FileExcerpts {
    pub fn of(file: &SourceFile) -> FileExcerpts {
        FileExcerpts::after(file, None)
    }

    /// The index of `file`, taking the terms of every excerpt that
    /// `previous` (the index of an earlier version of the file) also holds
    /// from it instead of stemming the text again: after an edit, only
    /// the edited excerpts are read.
    pub fn after(file: &SourceFile, previous: Option<&FileExcerpts>) -> FileExcerpts {
        let known = previous
            .map(FileExcerpts::terms_by_text)
            .unwrap_or_default();
        let mut out = FileExcerpts::default();
        for (m, map) in file.parse.ast.maps.iter().enumerate() {
            let Some(excerpt) = excerpt_of(map) else {
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
            let (counts, len) = match known.get(excerpt.as_str()) {
                Some(terms) => terms.clone(),
                None => term_counts(excerpt),
            };
            if len == 0 {
                continue;
            }
            let e = out.entries.len() as u32;
            out.entries.push((m as u32, len));
            out.texts.push(excerpt.clone());
            out.total_len += u64::from(len);
            for (t, tf) in counts {
                let p = out.postings.entry(t).or_insert_with(|| Postings {
                    list: Vec::new(),
                    max_tf: 0,
                    min_len: u32::MAX,
                });
                p.list.push((e, tf));
                p.max_tf = p.max_tf.max(tf);
                p.min_len = p.min_len.min(len);
            }
        }
        out
    }

    /// The terms and length of each excerpt, by its text.
    fn terms_by_text(&self) -> FxHashMap<&str, TermCounts> {
        let mut terms: Vec<Vec<(Term, u32)>> = vec![Vec::new(); self.entries.len()];
        for (&t, p) in &self.postings {
            for &(e, tf) in &p.list {
                terms[e as usize].push((t, tf));
            }
        }
        terms
            .into_iter()
            .zip(&self.entries)
            .zip(&self.texts)
            .map(|((mut counts, &(_, len)), text)| {
                counts.sort_unstable();
                (text.as_str(), (counts, len))
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The excerpt index of `file`, built on first use and kept with it (from
/// the index of its previous version, when the language server handed
/// that on: see [`SourceFile::previous_derived`]).
pub fn of_file(file: &SourceFile) -> Arc<FileExcerpts> {
    let derived = file.derived.get_or_init(|| {
        let previous = file.previous_derived();
        let previous = previous
            .as_ref()
            .and_then(|p| p.downcast_ref::<FileExcerpts>());
        Arc::new(FileExcerpts::after(file, previous))
    });
    match derived.clone().downcast::<FileExcerpts>() {
        Ok(index) => index,
        // Another layer's table: index without keeping it.
        Err(_) => Arc::new(FileExcerpts::of(file)),
    }
}

/// Indexes, in parallel, the files of the workspace not indexed yet.
pub fn prepare(ws: &Workspace) {
    missing(ws).par_iter().for_each(|f| {
        of_file(f);
    });
}

/// Indexes the files of the workspace not indexed yet on the calling
/// thread (the language server's background work, at a lower priority).
pub fn prepare_here(ws: &Workspace) {
    for f in missing(ws) {
        of_file(f);
    }
}

fn missing(ws: &Workspace) -> Vec<&SourceFile> {
    ws.files
        .iter()
        .map(|f| &**f)
        .filter(|f| f.derived.get().is_none())
        .collect()
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
    // Each query term's idf over every excerpt, and the most it adds to
    // any excerpt's score.
    let mut terms: Vec<(Term, f64, f64)> = query
        .iter()
        .filter_map(|&t| {
            let lists = files.iter().filter_map(|(_, _, x)| x.postings.get(&t));
            let df: usize = lists.clone().map(|p| p.list.len()).sum();
            if df == 0 || (n >= LARGE && (df as f64) > MAX_DF_SHARE * n as f64) {
                return None;
            }
            let idf = bm25::idf(n, df);
            let bound = lists.map(|p| p.bound(idf, avg_len)).fold(0.0, f64::max);
            Some((t, idf, bound))
        })
        .collect();
    if terms.is_empty() {
        return Vec::new();
    }
    // MaxScore (Turtle and Flood, 1995), with bounds per file. The terms
    // by decreasing idf; once the top `k` is full, an excerpt holding only
    // terms whose bounds sum below the worst score kept cannot enter it:
    // those terms (a suffix of the list) are not *essential*, and a file
    // whose own bounds sum below it is skipped. Only the essential terms'
    // postings are walked; the others add to the excerpts those found.
    // Every score adds its terms in the same order, so the result is
    // exactly that of scoring every excerpt.
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    // `rest[i]`: the sum of the bounds of `terms[i..]`.
    let mut rest = vec![0.0; terms.len() + 1];
    for i in (0..terms.len()).rev() {
        rest[i] = rest[i + 1] + terms[i].2;
    }
    let mut essential = terms.len();
    let mut heap: BinaryHeap<Ranked> = BinaryHeap::new();
    let mut scores: Vec<f64> = Vec::new();
    let mut found: Vec<u32> = Vec::new();
    let mut lists: Vec<(usize, &Postings)> = Vec::new();
    for (slot, (_, file, x)) in files.iter().enumerate() {
        lists.clear();
        lists.extend(
            terms
                .iter()
                .enumerate()
                .filter_map(|(i, (t, _, _))| Some((i, x.postings.get(t)?))),
        );
        if lists.first().is_none_or(|&(i, _)| i >= essential) {
            continue;
        }
        if let Some(worst) = heap.peek().filter(|_| heap.len() == k) {
            let bound: f64 = lists
                .iter()
                .map(|&(i, p)| p.bound(terms[i].1, avg_len))
                .sum();
            if bound < worst.0 {
                continue;
            }
        }
        scores.clear();
        scores.resize(x.entries.len(), 0.0);
        found.clear();
        let score =
            |idf: f64, e: u32, tf: u32| bm25::term_score(idf, tf, x.entries[e as usize].1, avg_len);
        for &(i, p) in &lists {
            let idf = terms[i].1;
            if i < essential {
                for &(e, tf) in &p.list {
                    // Every term scores above 0: the first one finds `e`.
                    if scores[e as usize] == 0.0 {
                        found.push(e);
                    }
                    scores[e as usize] += score(idf, e, tf);
                }
            } else if found.len() * (p.list.len().ilog2() as usize + 1) < p.list.len() {
                // Look the few found up in the list (in entry order)...
                for &e in &found {
                    if let Ok(j) = p.list.binary_search_by_key(&e, |q| q.0) {
                        scores[e as usize] += score(idf, e, p.list[j].1);
                    }
                }
            } else {
                // ... or walk a list not much longer than that would cost.
                for &(e, tf) in &p.list {
                    if scores[e as usize] != 0.0 {
                        scores[e as usize] += score(idf, e, tf);
                    }
                }
            }
        }
        for &e in &found {
            let ranked = Ranked(scores[e as usize], slot as u32, e);
            if heap.len() == k && heap.peek().is_some_and(|worst| ranked >= *worst) {
                continue;
            }
            let map = &file.parse.ast.maps[x.entries[e as usize].0 as usize];
            if exclude.is_some_and(|d| map.source.key().0 == d) {
                continue;
            }
            if heap.len() == k {
                heap.pop();
            }
            heap.push(ranked);
        }
        if heap.len() == k
            && let Some(worst) = heap.peek()
        {
            while essential > 0 && rest[essential - 1] < worst.0 {
                essential -= 1;
            }
            if essential == 0 {
                break;
            }
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::{Config, FileInput};

    const WORDS: [&str; 12] = [
        "device",
        "update",
        "password",
        "secure",
        "data",
        "encrypt",
        "firmware",
        "default",
        "report",
        "vulnerability",
        "network",
        "user",
    ];

    /// Every excerpt scored, the terms added in `nearest`'s order; the `k`
    /// best as `nearest` ranks them.
    fn every_excerpt(
        ws: &Workspace,
        query: &[Term],
        exclude: Option<&str>,
        k: usize,
    ) -> Vec<(FileId, u32, f64)> {
        let files: Vec<(FileId, &SourceFile, Arc<FileExcerpts>)> = ws
            .workspace_files()
            .map(|(id, f)| (id, f, of_file(f)))
            .collect();
        let n: usize = files.iter().map(|f| f.2.len()).sum();
        let total: u64 = files.iter().map(|f| f.2.total_len).sum();
        let avg_len = total as f64 / n.max(1) as f64;
        let mut terms: Vec<(Term, f64)> = query
            .iter()
            .filter_map(|&t| {
                let df: usize = files
                    .iter()
                    .map(|f| f.2.postings.get(&t).map_or(0, |p| p.list.len()))
                    .sum();
                (df > 0).then(|| (t, bm25::idf(n, df)))
            })
            .collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut all = Vec::new();
        for (slot, (id, f, x)) in files.iter().enumerate() {
            for (e, &(m, len)) in x.entries.iter().enumerate() {
                let mut s = 0.0;
                for (t, idf) in &terms {
                    if let Some(&(_, tf)) = x
                        .postings
                        .get(t)
                        .and_then(|p| p.list.iter().find(|q| q.0 == e as u32))
                    {
                        s += bm25::term_score(*idf, tf, len, avg_len);
                    }
                }
                let source = f.parse.ast.maps[m as usize].source.key().0;
                if s > 0.0 && exclude.is_none_or(|d| d != source) {
                    all.push((Ranked(s, slot as u32, e as u32), *id, m));
                }
            }
        }
        all.sort_by(|a, b| b.0.cmp(&a.0).reverse());
        all.truncate(k);
        all.into_iter().map(|(r, id, m)| (id, m, r.0)).collect()
    }

    fn excerpt() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(WORDS.to_vec()), 1..8).prop_map(|w| w.join(" "))
    }

    /// The index of an edited file built from its previous version's is
    /// the index built from scratch.
    #[test]
    fn an_edited_file_is_indexed_from_its_previous_version() {
        let old = "map a:1 -> b:1 { excerpt \"Devices update firmware securely.\" }\nmap a:2 -> b:2 { excerpt \"Passwords are unique.\" }\nmap a:3 -> b:3 { excerpt \"Data is encrypted.\" }\n";
        let new = old
            .replace("Passwords are unique.", "Passwords are unique per device.")
            .replace(
                "map a:3",
                "map a:0 -> b:9 { excerpt \"Devices update firmware securely.\" }\nmap a:3",
            );
        let file = |text: &str| {
            SourceFile::new(
                "/ws/a.xwalk".into(),
                "a.xwalk".into(),
                text.into(),
                crate::model::Origin::Workspace,
            )
        };
        let (old_file, new_file) = (file(old), file(&new));
        let previous = FileExcerpts::of(&old_file);
        let after = FileExcerpts::after(&new_file, Some(&previous));
        let fresh = FileExcerpts::of(&new_file);
        let sorted = |x: &FileExcerpts| {
            type Row = (Term, Vec<(u32, u32)>, u32, u32);
            let mut p: Vec<Row> = x
                .postings
                .iter()
                .map(|(&t, p)| (t, p.list.clone(), p.max_tf, p.min_len))
                .collect();
            p.sort();
            (x.entries.clone(), x.total_len, p)
        };
        assert_eq!(after.entries.len(), 4);
        assert_eq!(sorted(&after), sorted(&fresh));
        // The language server hands the old index on; the new file uses it.
        old_file.derived.set(Arc::new(previous)).unwrap();
        new_file.follow(&old_file);
        assert_eq!(sorted(&of_file(&new_file)), sorted(&fresh));
        assert!(new_file.previous_derived().is_none(), "taken when used");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The pruned search finds exactly the excerpts, scores and order
        /// that scoring every excerpt gives.
        #[test]
        fn pruning_changes_nothing(
            files in prop::collection::vec(prop::collection::vec(excerpt(), 0..30), 1..12),
            query in excerpt(),
            k in 1usize..12,
            exclude in prop::option::of(0usize..3),
        ) {
            let inputs = files.iter().enumerate().map(|(i, excerpts)| {
                let maps: String = excerpts
                    .iter()
                    .enumerate()
                    .map(|(m, e)| format!("map org-{}:{m} -> uk-cop-2018:1 {{ excerpt \"{e}\" }}\n", i % 3))
                    .collect();
                FileInput { path: format!("/ws/{i}.xwalk").into(), name: format!("{i}.xwalk"), text: maps }
            }).collect();
            let ws = Workspace::build(None, Config::default(), inputs);
            let terms: Vec<Term> = super::super::text::Query::new(&query).terms.iter().map(|t| t.0).collect();
            let exclude = exclude.map(|i| format!("org-{i}"));
            let found: Vec<(FileId, f64)> = nearest(&ws, &terms, exclude.as_deref(), k)
                .iter()
                .map(|n| (n.file, n.score))
                .collect();
            let expected: Vec<(FileId, f64)> = every_excerpt(&ws, &terms, exclude.as_deref(), k)
                .iter()
                .map(|&(id, _, s)| (id, s))
                .collect();
            prop_assert_eq!(found, expected);
        }
    }
}
