//! Nearest neighbours over the excerpts of the workspace's `map` blocks:
//! every excerpt scored with BM25 against the query (document frequencies
//! over the whole workspace, from the [`super::directory`]), the best few
//! kept, without reading most of the postings (MaxScore).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::bm25;
use super::directory::{self, Directory, Ref};
use super::excerpts::grouped;
use super::text::Term;
use crate::model::{FileId, Workspace};
use crate::syntax::Map;

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

/// A query term: its idf, the most it adds to any excerpt's score, and
/// where its [`Ref`]s are.
struct QueryTerm {
    term: Term,
    idf: f64,
    bound: f64,
    refs: std::ops::Range<usize>,
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
    nearest_and_reference(ws, query, exclude, k).0
}

/// [`nearest`], and what an excerpt of average length holding each of the
/// query's terms once would score: the sum of their idf over the
/// workspace's excerpts (a term no excerpt holds counting as such a
/// term). The nearest excerpt's score divided by it says how close it is
/// in absolute terms.
pub fn nearest_and_reference<'a>(
    ws: &'a Workspace,
    query: &[Term],
    exclude: Option<&str>,
    k: usize,
) -> (Vec<Neighbour<'a>>, f64) {
    let dir = directory::of(ws);
    let n = dir.excerpts;
    if n == 0 || k == 0 {
        return (Vec::new(), 0.0);
    }
    let mut reference = 0.0;
    let avg_len = dir.total_len as f64 / n as f64;
    // Each query term's idf over every excerpt, and the most it adds to
    // any excerpt's score.
    let mut refs: Vec<Ref> = Vec::new();
    let mut terms: Vec<QueryTerm> = Vec::new();
    for &term in query {
        let start = refs.len();
        dir.refs(term, &mut refs);
        let df: usize = refs[start..].iter().map(|r| r.postings.len as usize).sum();
        reference += bm25::idf(n, df);
        if df == 0 || (n >= LARGE && (df as f64) > MAX_DF_SHARE * n as f64) {
            refs.truncate(start);
            continue;
        }
        let idf = bm25::idf(n, df);
        let bound = refs[start..]
            .iter()
            .map(|r| bm25::term_score(idf, r.postings.max_tf, r.postings.min_len, avg_len))
            .fold(0.0, f64::max);
        terms.push(QueryTerm {
            term,
            idf,
            bound,
            refs: start..refs.len(),
        });
    }
    if terms.is_empty() {
        return (Vec::new(), reference);
    }
    // MaxScore (Turtle and Flood, 1995), with bounds per file. The terms
    // by decreasing idf; once the top `k` is full, an excerpt holding only
    // terms whose bounds sum below the worst score kept cannot enter it:
    // those terms (a suffix of the list) are not *essential*, and a file
    // whose own bounds sum below it is skipped. Only the essential terms'
    // postings are walked; the others add to the excerpts those found.
    // Every score adds its terms in the same order, so the result is
    // exactly that of scoring every excerpt.
    terms.sort_by(|a, b| b.idf.total_cmp(&a.idf).then(a.term.cmp(&b.term)));
    // `rest[i]`: the sum of the bounds of `terms[i..]`.
    let mut rest = vec![0.0; terms.len() + 1];
    for i in (0..terms.len()).rev() {
        rest[i] = rest[i + 1] + terms[i].bound;
    }
    let by_file = ByFile::new(&dir, &terms, &refs);
    let mut essential = terms.len();
    let mut heap: BinaryHeap<Ranked> = BinaryHeap::new();
    let mut scores: Vec<f64> = Vec::new();
    let mut found: Vec<u32> = Vec::new();
    for (slot, lists) in by_file.files() {
        if lists.first().is_none_or(|&(i, _)| i as usize >= essential) {
            continue;
        }
        if let Some(worst) = heap.peek().filter(|_| heap.len() == k) {
            let bound: f64 = lists
                .iter()
                .map(|(i, r)| {
                    let p = &r.postings;
                    bm25::term_score(terms[*i as usize].idf, p.max_tf, p.min_len, avg_len)
                })
                .sum();
            if bound < worst.0 {
                continue;
            }
        }
        let Some(x) = &dir.files[slot] else { continue };
        let file = ws.file(FileId(slot as u32));
        scores.clear();
        scores.resize(x.entries.len(), 0.0);
        found.clear();
        let score =
            |idf: f64, e: u32, tf: u32| bm25::term_score(idf, tf, x.entries[e as usize].1, avg_len);
        for (i, r) in lists {
            let idf = terms[*i as usize].idf;
            let list = x.list(&r.postings);
            if (*i as usize) < essential {
                for &(e, tf) in list {
                    // Every term scores above 0: the first one finds `e`.
                    if scores[e as usize] == 0.0 {
                        found.push(e);
                    }
                    scores[e as usize] += score(idf, e, tf);
                }
            } else if found.len() * (list.len().ilog2() as usize + 1) < list.len() {
                // Look the few found up in the list (in entry order)...
                for &e in &found {
                    if let Ok(j) = list.binary_search_by_key(&e, |q| q.0) {
                        scores[e as usize] += score(idf, e, list[j].1);
                    }
                }
            } else {
                // ... or walk a list not much longer than that would cost.
                for &(e, tf) in list {
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
    let near = heap
        .into_sorted_vec()
        .into_iter()
        .map(|Ranked(score, slot, e)| {
            let x = dir.files[slot as usize].as_ref().expect("an indexed file");
            let file = FileId(slot);
            Neighbour {
                file,
                map: &ws.file(file).parse.ast.maps[x.entries[e as usize].0 as usize],
                score,
            }
        })
        .collect();
    (near, reference)
}

/// The query terms' [`Ref`]s grouped by file (a counting sort), each
/// file's in the order of the terms.
struct ByFile {
    /// `(term, ref)`, file after file.
    refs: Vec<(u32, Ref)>,
    /// Where each file's run starts in `refs` (one more than the files).
    starts: Vec<u32>,
}

impl ByFile {
    fn new(dir: &Directory, terms: &[QueryTerm], refs: &[Ref]) -> ByFile {
        let by_term = terms.iter().enumerate().flat_map(|(i, t)| {
            refs[t.refs.clone()]
                .iter()
                .map(move |r| (r.slot as usize, (i as u32, *r)))
        });
        let (refs, starts) = grouped(dir.files.len(), by_term);
        ByFile { refs, starts }
    }

    /// Each file holding a query term, in order, with its `(term, ref)`s.
    fn files(&self) -> impl Iterator<Item = (usize, &[(u32, Ref)])> {
        self.starts
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0] < w[1])
            .map(|(slot, w)| (slot, &self.refs[w[0] as usize..w[1] as usize]))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::{Config, FileInput, SourceFile};
    use crate::suggest::excerpts::{FileExcerpts, of_file};
    use std::sync::Arc;

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
                    .map(|f| f.2.postings_of(t).map_or(0, |p| p.len as usize))
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
                        .postings_of(*t)
                        .and_then(|p| x.list(p).iter().find(|q| q.0 == e as u32))
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
