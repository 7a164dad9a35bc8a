//! A target document as the engine sees it: its provisions and clauses
//! (the candidates), a BM25 corpus of their text, and the known
//! correspondences that lead into it from other documents.
//!
//! Correspondences are the `map` blocks of the built-in catalogs (CoP
//! guideline N ↔ EN 303 645 clause 5.N) and the `replaces` links between
//! editions, both read in either direction, plus the step from a
//! provision to its clause. A target is built once per set of declared
//! documents (`Index::content_hash`) and kept in a small cache.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use super::bm25::Corpus;
use super::text::term_counts;
use crate::model::Workspace;
use crate::model::index::{DocumentInfo, field_text};
use crate::model::wording::wording;

#[derive(Clone, Debug)]
pub struct Candidate {
    pub id: String,
    pub title: Option<String>,
    /// The innermost clause holding a provision.
    pub clause: Option<String>,
    pub is_clause: bool,
    /// Where its words come from when the catalog gives it none: "the
    /// V2.1.1 text of 5.1-1, which this replaces" ([`crate::model::wording`]).
    pub borrowed: Option<String>,
}

/// A `DOC:ID` endpoint.
pub type Key = (String, String);

/// Correspondences: each endpoint's, both ways.
pub type Links = FxHashMap<Key, Vec<Key>>;

pub struct Target {
    pub document: String,
    pub candidates: Vec<Candidate>,
    pub corpus: Corpus,
    by_id: FxHashMap<String, usize>,
    /// Every endpoint's correspondences, both directions.
    edges: FxHashMap<Key, Vec<Key>>,
    /// The clause of each catalogued provision (any document).
    clause_of: FxHashMap<Key, String>,
}

/// How a source endpoint leads to a candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub candidate: usize,
    /// The endpoint through which, when not the candidate itself.
    pub via: Option<Key>,
}

impl Target {
    pub fn build(ws: &Workspace, doc: &DocumentInfo, guidance: bool) -> Target {
        let index = &ws.index;
        let mut candidates = Vec::new();
        let mut texts = Vec::new();
        for p in &doc.provisions {
            let clause_title = p
                .clause
                .as_deref()
                .and_then(|c| doc.clause(c))
                .and_then(|c| c.title.as_deref());
            let title = p.title.as_deref().unwrap_or("");
            let words = wording(index, p);
            let mut text = format!(
                "{title} {title} {} {}",
                words.as_ref().map_or("", |w| w.text()),
                clause_title.unwrap_or("")
            );
            if guidance {
                for more in prose(ws, doc, &p.id) {
                    text.push(' ');
                    text.push_str(&more);
                }
            }
            texts.push(text);
            candidates.push(Candidate {
                id: p.id.clone(),
                title: p.title.clone(),
                clause: p.clause.clone(),
                is_clause: false,
                borrowed: words
                    .as_ref()
                    .and_then(|w| w.label())
                    .map(|l| format!("the {l}")),
            });
        }
        for c in &doc.clauses {
            let title = c.title.as_deref().unwrap_or("");
            let mut text = format!("{title} {title}");
            for p in doc
                .provisions
                .iter()
                .filter(|p| p.clause.as_deref() == Some(&c.id))
            {
                text.push(' ');
                text.push_str(wording(index, p).map_or("", |w| w.text()));
            }
            texts.push(text);
            candidates.push(Candidate {
                id: c.id.clone(),
                title: c.title.clone(),
                clause: None,
                is_clause: true,
                borrowed: None,
            });
        }
        let mut by_id = FxHashMap::default();
        for (i, c) in candidates.iter().enumerate() {
            by_id.entry(c.id.clone()).or_insert(i);
        }
        let corpus = Corpus::new(texts.iter().map(|t| term_counts(t)));

        let mut edges: FxHashMap<Key, Vec<Key>> = FxHashMap::default();
        let mut link = |a: Key, b: Key| {
            edges.entry(a.clone()).or_default().push(b.clone());
            edges.entry(b).or_default().push(a);
        };
        let mut clause_of = FxHashMap::default();
        let mut ids: Vec<&String> = index.documents.keys().collect();
        ids.sort();
        for id in ids {
            let d = &index.documents[id];
            for p in &d.provisions {
                let key = (d.id.clone(), p.id.clone());
                for r in &p.replaces {
                    link(key.clone(), r.clone());
                }
                if let Some(c) = &p.clause {
                    clause_of.insert(key, c.clone());
                }
            }
        }
        // A clause corresponds to the clauses whose provisions its own
        // replace (EN 303 645 V3.1.3 clause 5.3 to V2.1.1 clause 5.3), so
        // that what reaches a clause of one edition reaches the other's.
        let mut clause_links = Vec::new();
        for (key, list) in &edges {
            let Some(c) = clause_of.get(key) else { continue };
            for other in list {
                if let Some(oc) = clause_of.get(other)
                    && other.0 != key.0
                {
                    clause_links.push(((key.0.clone(), c.clone()), (other.0.clone(), oc.clone())));
                }
            }
        }
        for (a, b) in clause_links {
            edges.entry(a).or_default().push(b);
        }
        for list in edges.values_mut() {
            list.sort();
            list.dedup();
        }
        Target {
            document: doc.id.clone(),
            candidates,
            corpus,
            by_id,
            edges,
            clause_of,
        }
    }

    pub fn candidate(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The endpoint and, for a provision, its clause.
    fn with_clause(&self, key: Key) -> Vec<Key> {
        let clause = self.clause_of.get(&key).map(|c| (key.0.clone(), c.clone()));
        std::iter::once(key).chain(clause).collect()
    }

    /// Where `DOC:ID` leads among the candidates: itself when it is one,
    /// else through at most two correspondences (`replaces` or `links`),
    /// none of them touching the document `exclude`. Without duplicates,
    /// direct routes first.
    pub fn routes(
        &self,
        links: &Links,
        document: &str,
        id: &str,
        exclude: Option<&str>,
    ) -> Vec<Route> {
        let mut out: Vec<Route> = Vec::new();
        let add = |out: &mut Vec<Route>, candidate: usize, via: Option<Key>| {
            if !out.iter().any(|r| r.candidate == candidate) {
                out.push(Route { candidate, via });
            }
        };
        if document == self.document {
            if let Some(c) = self.candidate(id) {
                add(&mut out, c, None);
            }
            return out;
        }
        if exclude == Some(document) {
            return out;
        }
        let start = self.with_clause((document.to_string(), id.to_string()));
        let mut frontier: Vec<Key> = start.clone();
        let mut seen: Vec<Key> = start;
        for _hop in 0..2 {
            let mut next = Vec::new();
            for from in &frontier {
                let edges = self.edges.get(from).into_iter().flatten();
                for to in edges.chain(links.get(from).into_iter().flatten()) {
                    if exclude == Some(to.0.as_str()) || seen.contains(to) {
                        continue;
                    }
                    if to.0 == self.document {
                        if let Some(c) = self.candidate(&to.1) {
                            add(&mut out, c, Some(from.clone()));
                        }
                        continue;
                    }
                    seen.push(to.clone());
                    next.extend(self.with_clause(to.clone()));
                }
            }
            frontier = next;
        }
        out
    }
}

/// The `guidance` and `note` of a provision, from its declaration.
fn prose(ws: &Workspace, doc: &DocumentInfo, id: &str) -> Vec<String> {
    fn find<'a>(
        clauses: &'a [crate::syntax::Clause],
        provisions: &'a [crate::syntax::Provision],
        id: &str,
    ) -> Option<&'a crate::syntax::Provision> {
        provisions.iter().find(|p| p.id.text == *id).or_else(|| {
            clauses
                .iter()
                .find_map(|c| find(&c.clauses, &c.provisions, id))
        })
    }
    let file = ws.file(doc.decl.file);
    let Some(d) = file.parse.ast.documents.get(doc.decl.index) else {
        return Vec::new();
    };
    find(&d.clauses, &d.provisions, id)
        .map(|p| {
            ["guidance", "note"]
                .iter()
                .filter_map(|f| field_text(&p.fields, f).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Targets built recently, by declarations, document and whether they
/// read the guidance.
type Cached = (u64, String, bool, Arc<Target>);
static CACHE: Mutex<Vec<Cached>> = Mutex::new(Vec::new());
const CACHE_SIZE: usize = 8;

/// Builds the targets a request is most likely to ask for: the catalogued
/// documents the workspace's `map` blocks map onto most, as many as the
/// cache keeps half of (the language server's background work, so that
/// the first completion after `DOC:` finds its target built).
pub fn prepare(ws: &Workspace, guidance: bool) {
    // Once per set of declared documents: the mappings' targets change
    // little between two edits, and the cache is keyed by the documents.
    static PREPARED: Mutex<Option<(u64, bool)>> = Mutex::new(None);
    let key = (ws.index.content_hash, guidance);
    if let Ok(mut last) = PREPARED.lock() {
        if *last == Some(key) {
            return;
        }
        *last = Some(key);
    }
    let mut mapped: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    for (_, f) in ws.workspace_files() {
        for map in &f.parse.ast.maps {
            for t in &map.targets {
                *mapped.entry(t.key().0).or_default() += 1;
            }
        }
    }
    let mut documents: Vec<(usize, &str)> = mapped
        .into_iter()
        .filter(|(d, _)| ws.index.document(d).is_some_and(|d| d.is_catalogued()))
        .map(|(d, n)| (n, d))
        .collect();
    documents.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    for (_, d) in documents.into_iter().take(CACHE_SIZE / 2) {
        target(ws, d, guidance);
    }
}

/// The target `document` of the workspace, if it is catalogued.
pub fn target(ws: &Workspace, document: &str, guidance: bool) -> Option<Arc<Target>> {
    let doc = ws.index.document(document).filter(|d| d.is_catalogued())?;
    let hash = ws.index.content_hash;
    if let Ok(cache) = CACHE.lock()
        && let Some((.., t)) = cache
            .iter()
            .find(|(h, d, g, _)| *h == hash && d == document && *g == guidance)
    {
        return Some(t.clone());
    }
    let built = Arc::new(Target::build(ws, doc, guidance));
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHE_SIZE {
            cache.remove(0);
        }
        cache.push((hash, document.to_string(), guidance, built.clone()));
    }
    Some(built)
}
