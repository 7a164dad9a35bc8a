//! The links a chain can follow, read from a [`Workspace`].
//!
//! A node is a provision or clause, `(DOC, ID)`. Every link comes with its
//! reverse, with the inverse relation:
//!
//! * every source → target pair of a `map` block of any file, the
//!   workspace's and the built-in catalogs', and of the shipped
//!   correspondences ([`CORRESPONDENCES`]: CoP guideline N → EN 303 645
//!   clause 5.N, PSTI Schedule 2's deemed compliance, PSTI → CoP), with
//!   its effective relation ([`Link::Mapped`],
//!   reverse [`Link::MappedFrom`]). Not followed: derived maps (a `derived`
//!   field: a chain is made of curated links only), `no-relationship`
//!   (it records an absence, not a bridge), and sources or targets that
//!   name a whole document;
//! * every `replaces` link between editions ([`Link::Replaces`], reverse
//!   [`Link::ReplacedBy`]): `equal-to` when both provisions have a `text`
//!   and the texts are the same word for word (whitespace folded), else
//!   undetermined (the catalogs infer `replaces` from the numbering: the
//!   wording may have changed);
//! * a provision or clause in the clause holding it: `subset-of`
//!   ([`Link::Within`]), reverse `superset-of` ([`Link::Contains`]).
//!
//! The same link read twice (a catalog that is both a workspace file and
//! built in) is one link. Each node's links are sorted by the node they
//! lead to, so that walks are deterministic.

use rustc_hash::FxHashMap;

use super::relation::Relation;
use crate::model::Workspace;
use crate::model::index::{field_text, is_derived};
use crate::model::schema::DEFAULT_RELATION;
use crate::syntax::Text;

/// How two nodes are linked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Link {
    /// A `map` from this node to the next.
    Mapped,
    /// A `map` from the next node to this one, read backwards.
    MappedFrom,
    /// This provision `replaces` the next (an earlier edition's).
    Replaces,
    /// The next provision (a newer edition's) `replaces` this one.
    ReplacedBy,
    /// This provision or clause is in the next clause.
    Within,
    /// The next provision or clause is in this clause.
    Contains,
}

impl Link {
    /// A short phrase for chains shown to people: "A (mapped to) B".
    pub fn as_str(self) -> &'static str {
        match self {
            Link::Mapped => "mapped to",
            Link::MappedFrom => "mapped from",
            Link::Replaces => "replaces",
            Link::ReplacedBy => "replaced by",
            Link::Within => "within",
            Link::Contains => "contains",
        }
    }

    pub(super) fn inverse(self) -> Link {
        match self {
            Link::Mapped => Link::MappedFrom,
            Link::MappedFrom => Link::Mapped,
            Link::Replaces => Link::ReplacedBy,
            Link::ReplacedBy => Link::Replaces,
            Link::Within => Link::Contains,
            Link::Contains => Link::Within,
        }
    }
}

/// A link from a node to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    pub to: u32,
    pub relation: Relation,
    pub link: Link,
}

/// The nodes and links of a workspace. Built from the workspace alone (no
/// cache), in a few milliseconds on the shipped data.
#[derive(Default)]
pub struct Graph {
    /// `(DOC, ID)` of each node: the AST's shared strings where the node
    /// comes from a `map` block, one string per document (the graph is
    /// kept with the workspace's version, and 100,000 mappings make about
    /// as many nodes).
    nodes: Vec<(Text, Text)>,
    /// Node numbers by document, then id (the same strings as `nodes`).
    ids: FxHashMap<Text, FxHashMap<Text, u32>>,
    /// Every node's links, node after node, each node's sorted by the node
    /// they lead to: those of node `n` are `edges[starts[n]..starts[n + 1]]`
    /// (one vector, not one per node).
    edges: Vec<Edge>,
    starts: Vec<u32>,
    /// The distances to a document's nodes, computed once per document and
    /// bound for the walks onto it (hover asks for the same two documents
    /// on every request): kept with the graph, which is a table of the
    /// workspace's version.
    pub(super) distances:
        std::sync::Mutex<FxHashMap<(String, usize), std::sync::Arc<super::walk::Distances>>>,
    /// The walks asked for, by start, target document and bound: a hover
    /// on a reference walks from its map's source on every request, and
    /// the walk reads the graph alone. At most [`super::walk::KEPT_WALKS`].
    pub(super) walks: std::sync::Mutex<super::walk::KeptWalks>,
}

/// The correspondences shipped with Crosswalk (`mappings/catalogs/`), read
/// by every graph: a workspace anywhere lands in V3.1.3 and PSTI through
/// them. They are not built-in catalogs (their maps are not the
/// workspace's mappings); a workspace file of the same name (the shipped
/// `mappings/` workspace, or a curator's edited copy) replaces one.
pub const CORRESPONDENCES: &[(&str, &str)] = &[
    (
        "uk-cop-2018-to-etsi-en-303-645.xwalk",
        include_str!("../../../mappings/catalogs/uk-cop-2018-to-etsi-en-303-645.xwalk"),
    ),
    (
        "uk-psti-2023-deemed-compliance.xwalk",
        include_str!("../../../mappings/catalogs/uk-psti-2023-deemed-compliance.xwalk"),
    ),
    (
        "uk-psti-2023-to-uk-cop-2018.xwalk",
        include_str!("../../../mappings/catalogs/uk-psti-2023-to-uk-cop-2018.xwalk"),
    ),
];

impl Graph {
    pub fn build(ws: &Workspace) -> Graph {
        let mut g = Builder::default();
        let shipped: Vec<crate::syntax::SourceFile> = CORRESPONDENCES
            .iter()
            .filter(|(name, _)| {
                !ws.files
                    .iter()
                    .any(|f| f.path.file_name().is_some_and(|n| n == *name))
            })
            .map(|(_, text)| crate::syntax::parse_without_tree(text).ast)
            .collect();
        let maps = ws
            .files
            .iter()
            .flat_map(|f| &f.parse.ast.maps)
            .chain(shipped.iter().flat_map(|f| &f.maps));
        for map in maps {
            {
                if is_derived(map) {
                    continue;
                }
                let relation = Relation::parse(
                    field_text(&map.fields, "relation").unwrap_or(DEFAULT_RELATION),
                );
                if relation == Relation::NoRelationship {
                    continue;
                }
                let Some(source) = map.source.id() else {
                    continue;
                };
                let from = g.node_of(&map.source.document().text, &source.text);
                for target in &map.targets {
                    if let Some(id) = target.id() {
                        let to = g.node_of(&target.document().text, &id.text);
                        g.link(from, to, relation, Link::Mapped);
                    }
                }
            }
        }
        let mut documents: Vec<_> = ws.index.documents.values().collect();
        documents.sort_by(|a, b| a.id.cmp(&b.id));
        for doc in documents {
            for p in &doc.provisions {
                let from = g.node(&doc.id, &p.id);
                for (d, id) in &p.replaces {
                    let older = ws.index.document(d).and_then(|d| d.provision(id));
                    let relation = match (&p.text, older.and_then(|o| o.text.as_ref())) {
                        (Some(new), Some(old)) if same_words(new, old) => Relation::EqualTo,
                        _ => Relation::Undetermined,
                    };
                    let to = g.node(d, id);
                    g.link(from, to, relation, Link::Replaces);
                }
                if let Some(c) = &p.clause {
                    let to = g.node(&doc.id, c);
                    g.link(from, to, Relation::SubsetOf, Link::Within);
                }
            }
            for c in &doc.clauses {
                if let Some(parent) = &c.parent {
                    let from = g.node(&doc.id, &c.id);
                    let to = g.node(&doc.id, parent);
                    g.link(from, to, Relation::SubsetOf, Link::Within);
                }
            }
        }
        g.finish()
    }

    /// The node of `(DOC, ID)`, if anything links it.
    pub fn find(&self, doc: &str, id: &str) -> Option<u32> {
        self.ids.get(doc)?.get(id).copied()
    }

    /// `(DOC, ID)` of a node.
    pub fn name(&self, node: u32) -> (&str, &str) {
        let (d, i) = &self.nodes[node as usize];
        (d, i)
    }

    pub fn edges(&self, node: u32) -> &[Edge] {
        let n = node as usize;
        &self.edges[self.starts[n] as usize..self.starts[n + 1] as usize]
    }

    /// The nodes of a document, in no particular order.
    pub fn nodes_of(&self, doc: &str) -> impl Iterator<Item = u32> + '_ {
        self.ids
            .get(doc)
            .into_iter()
            .flat_map(|ids| ids.values().copied())
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// How many links there are (each direction counted once).
    pub fn link_count(&self) -> usize {
        self.edges.len() / 2
    }
}

/// A graph being built: each node's links in a vector of their own until
/// [`Builder::finish`] puts them all in one.
#[derive(Default)]
struct Builder {
    nodes: Vec<(Text, Text)>,
    ids: FxHashMap<Text, FxHashMap<Text, u32>>,
    edges: Vec<Vec<Edge>>,
}

impl Builder {
    /// The node of `(doc, id)`, added if new.
    fn node(&mut self, doc: &str, id: &str) -> u32 {
        self.node_from(doc, id, || Text::from(id))
    }

    /// [`Builder::node`] with the AST's strings: a new node shares its id.
    fn node_of(&mut self, doc: &Text, id: &Text) -> u32 {
        self.node_from(doc, id, || id.clone())
    }

    fn node_from(&mut self, doc: &str, id: &str, id_text: impl FnOnce() -> Text) -> u32 {
        if let Some(&n) = self.ids.get(doc).and_then(|ids| ids.get(id)) {
            return n;
        }
        let n = self.nodes.len() as u32;
        // One string per document, shared by its nodes.
        let doc = match self.ids.get_key_value(doc) {
            Some((d, _)) => d.clone(),
            None => Text::from(doc),
        };
        let id = id_text();
        self.nodes.push((doc.clone(), id.clone()));
        self.edges.push(Vec::new());
        self.ids.entry(doc).or_default().insert(id, n);
        n
    }

    /// Links `from` to `to`, and `to` back to `from` with the inverse.
    fn link(&mut self, from: u32, to: u32, relation: Relation, link: Link) {
        if from == to {
            return;
        }
        self.edges[from as usize].push(Edge { to, relation, link });
        self.edges[to as usize].push(Edge {
            to: from,
            relation: relation.inverse(),
            link: link.inverse(),
        });
    }

    /// Each node's links sorted by the node they lead to, once each, all
    /// in one vector.
    fn finish(self) -> Graph {
        let Builder {
            nodes,
            ids,
            edges: mut by_node,
        } = self;
        let mut starts = Vec::with_capacity(nodes.len() + 1);
        let mut edges = Vec::with_capacity(by_node.iter().map(Vec::len).sum());
        for links in &mut by_node {
            links.sort_by(|a, b| {
                (&nodes[a.to as usize], a.link, a.relation).cmp(&(
                    &nodes[b.to as usize],
                    b.link,
                    b.relation,
                ))
            });
            links.dedup();
            starts.push(edges.len() as u32);
            edges.append(links);
        }
        starts.push(edges.len() as u32);
        Graph {
            nodes,
            ids,
            edges,
            starts,
            ..Graph::default()
        }
    }
}

/// Are two texts the same words, whitespace aside?
fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

impl crate::model::incremental::WorkspaceTable for Graph {
    type Output = Graph;

    crate::table_slot!();

    /// The earlier version's graph when the index is the same and no
    /// changed file changed a link (a map's source, targets, relation or
    /// `derived` field): an edit of an excerpt or a note keeps it.
    fn derive(
        ws: &crate::model::Workspace,
        earlier: Option<crate::model::incremental::Earlier<'_, Graph>>,
    ) -> std::sync::Arc<Graph> {
        if let Some(e) = earlier
            && e.same_index(ws)
            && let Some(changed) = e.changed(ws)
            && changed
                .iter()
                .all(|id| links_of(&e.files[id.0 as usize]) == links_of(ws.file(*id)))
        {
            return e.table.clone();
        }
        std::sync::Arc::new(Graph::build(ws))
    }
}

/// What of a file's `map`s the graph reads.
type MapLinks<'a> = (
    (&'a str, Option<&'a str>),
    Vec<(&'a str, Option<&'a str>)>,
    Option<&'a str>,
    bool,
);

fn links_of(file: &crate::model::SourceFile) -> Vec<MapLinks<'_>> {
    file.parse
        .ast
        .maps
        .iter()
        .map(|m| {
            (
                m.source.key(),
                m.targets.iter().map(|t| t.key()).collect(),
                field_text(&m.fields, "relation"),
                is_derived(m),
            )
        })
        .collect()
}
