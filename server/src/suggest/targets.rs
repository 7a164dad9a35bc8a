//! A target document as the engine sees it: its provisions and clauses
//! (the candidates), a BM25 corpus of their text, and the known
//! correspondences that lead into it from other documents.
//!
//! Correspondences are the `map` blocks of the built-in catalogs (CoP
//! guideline N ↔ EN 303 645 clause 5.N) and the `replaces` links between
//! editions, both read in either direction, plus the step from a
//! provision to its clause. A target is built once per set of declared
//! documents (`Index::content_hash`): [`Targets`] keeps them.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use super::bm25::Corpus;
use super::text::term_counts;
use crate::model::Workspace;
use crate::model::incremental::{Earlier, WorkspaceTable};

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
use crate::model::index::{DocumentInfo, field_text};

#[derive(Clone, Debug)]
pub struct Candidate {
    pub id: String,
    pub title: Option<String>,
    /// The innermost clause holding a provision.
    pub clause: Option<String>,
    pub is_clause: bool,
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
            let mut text = format!(
                "{title} {title} {} {}",
                p.text.as_deref().unwrap_or(""),
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
                text.push_str(p.text.as_deref().unwrap_or(""));
            }
            texts.push(text);
            candidates.push(Candidate {
                id: c.id.clone(),
                title: c.title.clone(),
                clause: None,
                is_clause: true,
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

/// The targets built for a workspace, by document and whether they read
/// the guidance: a [`WorkspaceTable`] that every later version with the
/// same declarations (`Index::content_hash`, all a target is built from)
/// shares.
#[derive(Default)]
pub struct Targets {
    content_hash: u64,
    built: Mutex<FxHashMap<(String, bool), Arc<Target>>>,
    /// Whether [`prepare`] ran (with and without the guidance).
    prepared: Mutex<[bool; 2]>,
}

impl WorkspaceTable for Targets {
    type Output = Targets;

    crate::table_slot!();

    fn derive(ws: &Workspace, earlier: Option<Earlier<'_, Targets>>) -> Arc<Targets> {
        match earlier {
            Some(e) if e.table.content_hash == ws.index.content_hash => e.table.clone(),
            _ => Arc::new(Targets {
                content_hash: ws.index.content_hash,
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
