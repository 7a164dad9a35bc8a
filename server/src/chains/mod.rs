//! Chained mappings: where a source lands in a target document by following
//! mappings, correspondences, `replaces` links and clause containment, with
//! the relations composed by set theory (docs/chains.md).
//!
//! Pure functions of a [`Workspace`], no cache: the caller keeps what it
//! wants to keep.
//!
//! * [`Graph::build`]`(&ws)` reads every link ([`graph`]);
//! * [`Graph::walk`]`((doc, id), onto, max_hops)` returns one [`Derived`] per
//!   node of `onto` the node reaches, with its chain and composed
//!   [`Relation`] ([`walk`]); [`Graph::distances`] and [`Graph::walk_with`]
//!   share the pruning table between many walks onto one document;
//! * [`derive`]`(&ws, files, for_doc, onto, max_hops)` derives the mappings of
//!   the curated sources of some files onto a document, leaving out what is
//!   already mapped ([`DerivedMapping`]);
//! * [`render`] writes derived mappings as an `.xwalk` file, each `map` with
//!   its chain in a `derived` field, the field that marks a derived link
//!   everywhere (the model's [`crate::model::index::Mapping::derived`]).

pub mod graph;
pub mod relation;
pub mod render;
pub mod walk;

use rustc_hash::FxHashSet;

pub use crate::model::index::is_derived;
pub use graph::{Graph, Link};
pub use relation::{Relation, compose};
pub use walk::Derived;

/// The chain graph of this version of the workspace: a workspace table,
/// kept while no link changes and derived from the last one by a delta
/// when a `map` changed one (see [`graph::Graph`]'s `derive`).
pub fn graph(ws: &Workspace) -> &std::sync::Arc<Graph> {
    ws.table::<Graph>()
}

use crate::model::{FileId, Workspace};

/// The documents the editor and the site derive onto: the current
/// edition of EN 303 645 and the PSTI Regulations, which the shipped
/// mapping is read against.
pub const LANDING: &[&str] = &["etsi-en-303-645-v3", "uk-psti-2023"];

/// How many links a chain may have when none is said.
pub const DEFAULT_MAX_HOPS: usize = 3;

/// A derived mapping: a curated source, where it lands in the target
/// document, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DerivedMapping {
    pub source: (String, String),
    pub target: (String, String),
    pub relation: Relation,
    /// Every node, from the source to the target.
    pub chain: Vec<(String, String)>,
    /// How each node is linked to the next, with that link's relation.
    pub links: Vec<(Link, Relation)>,
}

/// What [`derive`] found.
#[derive(Clone, Debug, Default)]
pub struct Derivation {
    pub mappings: Vec<DerivedMapping>,
    /// The distinct curated sources walked from.
    pub sources: usize,
    /// Sources that landed nowhere in the target within the bound.
    pub unreached: usize,
    /// Chains whose target the source is already mapped to (left out).
    pub already_mapped: usize,
}

/// The derived mappings onto document `onto` of the sources of the curated
/// `map`s (not derived ones) of `files`, or only those from document
/// `for_doc`: each source walked at most `max_hops` links. A target the
/// source is already mapped to by a `map` of any file is left out (counted
/// in [`Derivation::already_mapped`]). Sources in the order of their first
/// `map`; each one's targets in the order of the target document.
pub fn derive(
    ws: &Workspace,
    files: &[FileId],
    for_doc: Option<&str>,
    onto: &str,
    max_hops: usize,
) -> Derivation {
    let graph = graph(ws);
    let dist = graph.distances(onto, max_hops);
    let mut mapped: FxHashSet<(&str, &str, &str, &str)> = FxHashSet::default();
    for file in &ws.files {
        for map in file.parse.ast.maps.iter().filter(|m| !is_derived(m)) {
            let (Some(sid), sdoc) = (map.source.id(), &map.source.document().text) else {
                continue;
            };
            for t in &map.targets {
                if let Some(tid) = t.id() {
                    mapped.insert((sdoc, &sid.text, &t.document().text, &tid.text));
                }
            }
        }
    }
    let mut seen: FxHashSet<(&str, &str)> = FxHashSet::default();
    let mut sources = Vec::new();
    for &file in files {
        for map in &ws.file(file).parse.ast.maps {
            let doc = map.source.document().text.as_str();
            if is_derived(map) || for_doc.is_some_and(|d| d != doc) || doc == onto {
                continue;
            }
            if let Some(id) = map.source.id()
                && seen.insert((doc, &id.text))
            {
                sources.push((doc, id.text.as_str()));
            }
        }
    }
    let order = target_order(ws, onto);
    let mut out = Derivation {
        sources: sources.len(),
        ..Derivation::default()
    };
    for (doc, id) in sources {
        let mut found = graph.walk_with((doc, id), &dist);
        if found.is_empty() {
            out.unreached += 1;
        }
        found.sort_by(|a, b| {
            (order(&a.target.1), &a.target.1).cmp(&(order(&b.target.1), &b.target.1))
        });
        for d in found {
            if is_a_map(&d) || mapped.contains(&(doc, id, &d.target.0, &d.target.1)) {
                out.already_mapped += 1;
                continue;
            }
            out.mappings.push(DerivedMapping {
                source: (doc.to_string(), id.to_string()),
                target: d.target,
                relation: d.relation,
                chain: d.chain,
                links: d.links,
            });
        }
    }
    out
}

/// Where one source lands in `onto` ([`Graph::walk`]), as derived
/// mappings, leaving out the targets a `map` of any file already maps it
/// to: what the editor offers to add.
pub fn derive_from(
    ws: &Workspace,
    graph: &Graph,
    source: (&str, &str),
    onto: &str,
    max_hops: usize,
) -> Vec<DerivedMapping> {
    landed(ws, graph, source, onto, max_hops)
        .iter()
        .map(|d| DerivedMapping::of(source, d))
        .collect()
}

/// What [`derive_from`] finds, read from the walk the graph keeps
/// ([`Graph::walked`]) rather than copied out of it: the hover reads it
/// on every request.
pub struct Landed {
    walked: std::sync::Arc<[Derived]>,
    /// The walk's chains kept, in the order of the target document.
    kept: Vec<usize>,
}

impl Landed {
    /// The chains, in the order of the target document.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &Derived> + '_ {
        self.kept.iter().map(|&i| &self.walked[i])
    }

    pub fn len(&self) -> usize {
        self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }
}

/// [`derive_from`], borrowed from the graph's kept walk.
pub fn landed(
    ws: &Workspace,
    graph: &Graph,
    source: (&str, &str),
    onto: &str,
    max_hops: usize,
) -> Landed {
    let walked = graph.walked(source, onto, max_hops);
    if walked.is_empty() {
        return Landed {
            walked,
            kept: Vec::new(),
        };
    }
    // What the source is mapped to, read from the files that map from
    // its document only (a hover must not read every map of the
    // workspace).
    let mut mapped: FxHashSet<(&str, &str)> = FxHashSet::default();
    for &file in ws.files_mapping_from(source.0) {
        for map in ws
            .file(file)
            .parse
            .ast
            .maps
            .iter()
            .filter(|m| !is_derived(m))
        {
            if map.source.key() == (source.0, Some(source.1)) {
                mapped.extend(map.targets.iter().filter_map(|t| match t.key() {
                    (d, Some(id)) => Some((d, id)),
                    _ => None,
                }));
            }
        }
    }
    let order = target_order(ws, onto);
    let mut kept: Vec<usize> = (0..walked.len())
        .filter(|&i| {
            let d = &walked[i];
            !is_a_map(d) && !mapped.contains(&(d.target.0.as_str(), d.target.1.as_str()))
        })
        .collect();
    kept.sort_by_key(|&i| {
        let id = walked[i].target.1.as_str();
        (order(id), id)
    });
    Landed { walked, kept }
}

impl DerivedMapping {
    /// The mapping of `source` that a walk from it found.
    pub fn of(source: (&str, &str), d: &Derived) -> DerivedMapping {
        DerivedMapping {
            source: (source.0.to_string(), source.1.to_string()),
            target: d.target.clone(),
            relation: d.relation,
            chain: d.chain.clone(),
            links: d.links.clone(),
        }
    }
}

/// A chain of one `map`, either way (a shipped correspondence, say): a
/// mapping already.
fn is_a_map(d: &Derived) -> bool {
    matches!(d.links.as_slice(), [(Link::Mapped | Link::MappedFrom, _)])
}

/// A sort key for the ids of a document: provisions and clauses in the
/// order they are declared (unknown ids last; the caller breaks ties by
/// the id). The position of an id's first declaration, looked up in the
/// index: no table of positions built per call.
fn target_order<'a>(ws: &'a Workspace, onto: &str) -> impl Fn(&str) -> usize + 'a {
    let doc = ws.index.document(onto);
    move |id: &str| {
        let Some(doc) = doc else {
            return usize::MAX;
        };
        let provision = doc.provision(id).map_or(usize::MAX, |p| p.range.start);
        let clause = doc.clause(id).map_or(usize::MAX, |c| c.id_range.start);
        provision.min(clause)
    }
}

/// `DOC:ID` as written in JSON and messages: the id as it is, unquoted (a
/// document id has no `:`, so the first `:` splits them).
pub fn plain(node: &(String, String)) -> String {
    format!("{}:{}", node.0, node.1)
}

#[cfg(test)]
mod tests;
