//! A target document as the engine sees it: its provisions and clauses
//! (the candidates), a BM25 corpus of their text, and the chains that lead
//! into it from other documents.
//!
//! Where a neighbour's target leads in the target document is a walk of the
//! chain engine ([`crate::chains`]): mappings and correspondences (CoP
//! guideline N → EN 303 645 clause 5.N, DCMS's EN 303 645 records), the
//! `replaces` links between editions and clause containment, read both
//! ways, at most [`MAX_HOPS`] links. A target is built once per set of
//! declared documents (`Index::content_hash`) and correspondences, and
//! kept in the workspace table [`Targets`], with the workspace's chain
//! graph as it was then.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::chains::walk::Distances;
use crate::chains::{Derived, Graph, Link};

use super::bm25::Corpus;
use super::text::term_counts;
use crate::model::Workspace;
use crate::model::incremental::{Earlier, WorkspaceTable};

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
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

/// How many links a chain into the target may have: enough for CoP
/// guideline N → EN 303 645 V2.1.1 clause 5.N → its provisions → the
/// V3.1.3 provisions that replace them.
pub const MAX_HOPS: usize = 3;

pub struct Target {
    pub document: String,
    pub candidates: Vec<Candidate>,
    pub corpus: Corpus,
    by_id: FxHashMap<String, usize>,
    /// The workspace's chain graph, and each node's distance to the target.
    graph: Arc<Graph>,
    distances: Distances,
    /// The chains from each endpoint walked so far (any document).
    walks: Mutex<FxHashMap<Key, Arc<Vec<Derived>>>>,
}

/// How a source endpoint leads to a candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub candidate: usize,
    /// The endpoints through which, when not the candidate itself.
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

        let graph = crate::chains::graph(ws).clone();
        let distances = graph.distances(&doc.id, MAX_HOPS);
        Target {
            document: doc.id.clone(),
            candidates,
            corpus,
            by_id,
            graph,
            distances,
            walks: Mutex::new(FxHashMap::default()),
        }
    }

    pub fn candidate(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The chains from `DOC:ID` into the target, walked once.
    fn walks(&self, document: &str, id: &str) -> Arc<Vec<Derived>> {
        let key = (document.to_string(), id.to_string());
        if let Ok(walks) = self.walks.lock()
            && let Some(w) = walks.get(&key)
        {
            return w.clone();
        }
        let walked = Arc::new(self.graph.walk_with((document, id), &self.distances));
        if let Ok(mut walks) = self.walks.lock() {
            walks.insert(key, walked.clone());
        }
        walked
    }

    /// Where `DOC:ID` leads among the candidates: itself when it is one,
    /// else along the chains of at most [`MAX_HOPS`] links, none of them
    /// touching the document `exclude`. A chain that goes down from a
    /// clause to its provisions (CoP guideline 3 → EN 303 645 clause 5.3 →
    /// 5.3-1 → V3.1.3 5.3-1) leads to the clause that holds where it
    /// lands: the evidence is about the clause, which its provisions
    /// inherit. A chain through a third document's mapping to its other
    /// targets (A ← X → B) is not a correspondence of A and B, and is not
    /// followed. Without duplicates, direct routes first.
    pub fn routes(&self, document: &str, id: &str, exclude: Option<&str>) -> Vec<Route> {
        let mut out: Vec<Route> = Vec::new();
        if document == self.document {
            if let Some(c) = self.candidate(id) {
                out.push(Route {
                    candidate: c,
                    via: None,
                });
            }
            return out;
        }
        if exclude == Some(document) {
            return out;
        }
        let walks = self.walks(document, id);
        let mut found: Vec<(usize, usize, Route)> = Vec::new();
        for w in walks.iter() {
            if w.chain.iter().any(|(d, _)| exclude == Some(d.as_str())) {
                continue;
            }
            let links: Vec<Link> = w.links.iter().map(|(l, _)| *l).collect();
            if links.windows(2).any(|p| {
                matches!(
                    p,
                    [Link::MappedFrom, Link::Mapped] | [Link::Mapped, Link::MappedFrom]
                )
            }) {
                continue;
            }
            let down = links.iter().position(|l| *l == Link::Contains);
            let landed = &w.target.1;
            let candidate = match down {
                Some(_) => self
                    .candidate(landed)
                    .and_then(|c| self.candidates[c].clause.as_deref())
                    .and_then(|clause| self.candidate(clause)),
                None => self.candidate(landed),
            };
            let Some(candidate) = candidate else { continue };
            // Shown through the node before the target, or the clause the
            // chain went down from.
            let via = w.chain.get(down.unwrap_or(w.links.len() - 1)).cloned();
            found.push((w.links.len(), candidate, Route { candidate, via }));
        }
        found.sort_by_key(|f| f.0);
        for (_, candidate, route) in found {
            if !out.iter().any(|r| r.candidate == candidate) {
                out.push(route);
            }
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

/// The targets built for a workspace, by document and whether they read
/// the guidance: a [`WorkspaceTable`] that every later version with the
/// same declarations (`Index::content_hash`) and correspondences (the
/// directory's table of the `map` blocks without an excerpt, shared by the
/// versions that did not change one) shares.
#[derive(Default)]
pub struct Targets {
    content_hash: u64,
    links: Arc<Links>,
    built: Mutex<FxHashMap<(String, bool), Arc<Target>>>,
    /// Whether [`prepare`] ran (with and without the guidance).
    prepared: Mutex<[bool; 2]>,
}

impl WorkspaceTable for Targets {
    type Output = Targets;

    crate::table_slot!();

    fn derive(ws: &Workspace, earlier: Option<Earlier<'_, Targets>>) -> Arc<Targets> {
        // The chain graph reads every `map`: a new correspondence makes
        // new targets. (A new excerpt's map is a link too, but one that
        // chains seldom pass: it waits for the next change of
        // declarations.)
        let links = super::directory::of(ws).links.clone();
        match earlier {
            Some(e)
                if e.table.content_hash == ws.index.content_hash
                    && Arc::ptr_eq(&e.table.links, &links) =>
            {
                e.table.clone()
            }
            _ => Arc::new(Targets {
                content_hash: ws.index.content_hash,
                links,
                ..Targets::default()
            }),
        }
    }
}

/// How many targets [`prepare`] builds ahead of requests.
const PREPARE: usize = 4;

/// Builds the targets a request is most likely to ask for: the catalogued
/// documents the workspace's `map` blocks map onto most, as many as the
/// cache keeps half of (the language server's background work, so that
/// the first completion after `DOC:` finds its target built).
pub fn prepare(ws: &Workspace, guidance: bool) {
    // Once per set of declared documents: the mappings' targets change
    // little between two edits, and the table is kept while the
    // declarations are the same.
    {
        let mut prepared = lock(&ws.table::<Targets>().prepared);
        if std::mem::replace(&mut prepared[usize::from(guidance)], true) {
            return;
        }
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
    for (_, d) in documents.into_iter().take(PREPARE) {
        target(ws, d, guidance);
    }
}

/// The target `document` of the workspace, if it is catalogued.
pub fn target(ws: &Workspace, document: &str, guidance: bool) -> Option<Arc<Target>> {
    let doc = ws.index.document(document).filter(|d| d.is_catalogued())?;
    let targets = ws.table::<Targets>();
    let key = (document.to_string(), guidance);
    if let Some(t) = lock(&targets.built).get(&key) {
        return Some(t.clone());
    }
    // Built without the lock: two requests may build the same target
    // once each, and neither waits for the other.
    let built = Arc::new(Target::build(ws, doc, guidance));
    lock(&targets.built).insert(key, built.clone());
    Some(built)
}
