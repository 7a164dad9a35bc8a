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

use std::sync::Arc;

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
    /// How many times the workspace makes this link (two `map` blocks may
    /// both map `s:1 -> t:1`): a delta that takes one away keeps the link.
    count: u16,
}

/// How many consecutive nodes share a [`Block`] of links. A graph derived
/// by a delta copies the blocks of the nodes whose links changed and
/// shares the others with the graph it came from.
const BLOCK: usize = 64;

/// How many nodes the graphs derived by deltas from one built afresh may
/// add (see [`Graph::added`]) before the next one is built afresh.
const MAX_ADDED: usize = 4096;

/// Nodes by number and by name.
#[derive(Clone, Default)]
struct Nodes {
    /// `(DOC, ID)` of each node: the AST's shared strings where the node
    /// comes from a `map` block, one string per document (the graph is
    /// kept with the workspace's version, and 100,000 mappings make about
    /// as many nodes).
    names: Vec<(Text, Text)>,
    /// Node numbers by document, then id (the same strings as `names`).
    ids: FxHashMap<Text, FxHashMap<Text, u32>>,
}

impl Nodes {
    fn find(&self, doc: &str, id: &str) -> Option<u32> {
        self.ids.get(doc)?.get(id).copied()
    }

    /// The document's string if some node has it.
    fn document(&self, doc: &str) -> Option<&Text> {
        self.ids.get_key_value(doc).map(|(d, _)| d)
    }

    fn push(&mut self, n: u32, doc: Text, id: Text) {
        self.names.push((doc.clone(), id.clone()));
        self.ids.entry(doc).or_default().insert(id, n);
    }
}

/// A graph's nodes: those shared with the graph built afresh, then those
/// the deltas since added (numbered after them).
#[derive(Clone, Copy)]
struct Both<'a>(&'a Nodes, &'a Nodes);

impl<'a> Both<'a> {
    fn find(self, doc: &str, id: &str) -> Option<u32> {
        self.0.find(doc, id).or_else(|| self.1.find(doc, id))
    }

    fn name(self, node: u32) -> &'a (Text, Text) {
        let n = node as usize;
        match n.checked_sub(self.0.names.len()) {
            None => &self.0.names[n],
            Some(a) => &self.1.names[a],
        }
    }
}

/// The links of [`BLOCK`] consecutive nodes (fewer in the last block),
/// node after node, each node's sorted by the name of the node they lead
/// to, then link and relation: those of the block's `i`-th node are
/// `edges[starts[i]..starts[i + 1]]`.
#[derive(Clone, Default)]
struct Block {
    starts: Vec<u32>,
    edges: Vec<Edge>,
}

/// The nodes and links of a workspace: built from the workspace alone
/// ([`Graph::build`], about 50 ms at 100,000 mappings), or, for the
/// language server's next version, from the earlier version's graph and
/// the `map` blocks of the files that changed (a delta: a millisecond).
/// A graph derived by a delta may keep nodes that no link reaches any
/// more; they have no links and no walk starts from or passes through
/// them, so every walk is the one the graph built afresh gives.
#[derive(Default)]
pub struct Graph {
    /// The nodes of the graph built afresh, shared by every graph derived
    /// from it.
    shared: Arc<Nodes>,
    /// The nodes the deltas since then added, numbered after `shared`'s.
    added: Nodes,
    blocks: Vec<Arc<Block>>,
    /// Whether a link is made more times than [`Edge::count`] holds: then
    /// no delta is applied, the graph is built afresh.
    saturated: bool,
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
        let mut links = Vec::new();
        for map in maps {
            links.clear();
            map_links(map, &mut links);
            for ((fd, fi), (td, ti), relation) in links.drain(..) {
                let from = g.node_of(fd, fi);
                let to = g.node_of(td, ti);
                g.link(from, to, relation, Link::Mapped);
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
        Both(&self.shared, &self.added).find(doc, id)
    }

    /// `(DOC, ID)` of a node.
    pub fn name(&self, node: u32) -> (&str, &str) {
        let (d, i) = self.text(node);
        (d, i)
    }

    fn text(&self, node: u32) -> &(Text, Text) {
        Both(&self.shared, &self.added).name(node)
    }

    pub fn edges(&self, node: u32) -> &[Edge] {
        let n = node as usize;
        let block = &self.blocks[n / BLOCK];
        let i = n % BLOCK;
        &block.edges[block.starts[i] as usize..block.starts[i + 1] as usize]
    }

    /// The nodes of a document, in no particular order.
    pub fn nodes_of(&self, doc: &str) -> impl Iterator<Item = u32> + '_ {
        [self.shared.ids.get(doc), self.added.ids.get(doc)]
            .into_iter()
            .flatten()
            .flat_map(|ids| ids.values().copied())
    }

    /// How many nodes there are (in a graph derived by a delta, with those
    /// that lost their last link).
    pub fn len(&self) -> usize {
        self.shared.names.len() + self.added.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many links there are (each direction counted once).
    pub fn link_count(&self) -> usize {
        self.blocks.iter().map(|b| b.edges.len()).sum::<usize>() / 2
    }

    /// This graph with the links of `gone` taken out and those of `came`
    /// put in (each a multiset: a link made twice is counted twice), or
    /// `None` when the graph should be built afresh: a link to take out
    /// that it does not have, a count out of range, too many new nodes.
    fn with_delta(&self, gone: &[MapLink<'_>], came: &[MapLink<'_>]) -> Option<Graph> {
        if self.saturated {
            return None;
        }
        let shared = self.shared.names.len();
        let mut added = self.added.clone();
        let mut changes: Vec<(u32, Edge, i32)> = Vec::with_capacity(2 * (gone.len() + came.len()));
        let mut change = |from: u32, to: u32, relation: Relation, by: i32| {
            if from == to {
                return;
            }
            let edge = |to, relation, link| Edge {
                to,
                relation,
                link,
                count: 0,
            };
            changes.push((from, edge(to, relation, Link::Mapped), by));
            changes.push((to, edge(from, relation.inverse(), Link::MappedFrom), by));
        };
        for ((fd, fi), (td, ti), relation) in gone {
            let both = Both(&self.shared, &added);
            change(both.find(fd, fi)?, both.find(td, ti)?, *relation, -1);
        }
        for ((fd, fi), (td, ti), relation) in came {
            let mut node = |d: &Text, i: &Text| {
                if let Some(n) = Both(&self.shared, &added).find(d, i) {
                    return n;
                }
                let n = (shared + added.names.len()) as u32;
                let doc = self
                    .shared
                    .document(d)
                    .or_else(|| added.document(d))
                    .unwrap_or(d)
                    .clone();
                added.push(n, doc, i.clone());
                n
            };
            let from = node(fd, fi);
            let to = node(td, ti);
            change(from, to, *relation, 1);
        }
        if added.names.len() > MAX_ADDED {
            return None;
        }
        let len = shared + added.names.len();
        let both = Both(&self.shared, &added);
        let key = |e: &Edge| (both.name(e.to), e.link, e.relation);
        changes.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| key(&a.1).cmp(&key(&b.1))));

        // Room for the new nodes: the last block filled, then new blocks.
        let mut blocks = self.blocks.clone();
        for k in 0..len.div_ceil(BLOCK) {
            let nodes = BLOCK.min(len - k * BLOCK);
            match blocks.get_mut(k) {
                None => blocks.push(Arc::new(Block {
                    starts: vec![0; nodes + 1],
                    edges: Vec::new(),
                })),
                Some(b) if b.starts.len() < nodes + 1 => {
                    let b = Arc::make_mut(b);
                    let end = b.starts.last().copied().unwrap_or(0);
                    b.starts.resize(nodes + 1, end);
                }
                Some(_) => {}
            }
        }
        let mut i = 0;
        while i < changes.len() {
            let k = changes[i].0 as usize / BLOCK;
            let j = changes[i..]
                .iter()
                .position(|c| c.0 as usize / BLOCK != k)
                .map_or(changes.len(), |p| i + p);
            blocks[k] = Arc::new(blocks[k].with_changes(k * BLOCK, &changes[i..j], &key)?);
            i = j;
        }
        Some(Graph {
            shared: self.shared.clone(),
            added,
            blocks,
            ..Graph::default()
        })
    }
}

impl Block {
    /// The block whose first node is `first` with `changes` (sorted by
    /// node, then like the links) made: each adds `by` to its link's count.
    fn with_changes<K: Ord>(
        &self,
        first: usize,
        changes: &[(u32, Edge, i32)],
        key: &impl Fn(&Edge) -> K,
    ) -> Option<Block> {
        let nodes = self.starts.len() - 1;
        let mut starts = Vec::with_capacity(nodes + 1);
        let mut edges = Vec::with_capacity(self.edges.len() + changes.len());
        let mut c = 0;
        for i in 0..nodes {
            starts.push(edges.len() as u32);
            let at = edges.len();
            edges.extend_from_slice(
                &self.edges[self.starts[i] as usize..self.starts[i + 1] as usize],
            );
            let node = (first + i) as u32;
            while let Some((n, edge, by)) = changes.get(c)
                && *n == node
            {
                c += 1;
                match edges[at..].binary_search_by(|e| key(e).cmp(&key(edge))) {
                    Ok(p) => {
                        let count = i32::from(edges[at + p].count) + by;
                        if count == 0 {
                            edges.remove(at + p);
                        } else {
                            edges[at + p].count = u16::try_from(count).ok()?;
                        }
                    }
                    Err(p) if *by > 0 => edges.insert(
                        at + p,
                        Edge {
                            count: u16::try_from(*by).ok()?,
                            ..*edge
                        },
                    ),
                    Err(_) => return None,
                }
            }
        }
        starts.push(edges.len() as u32);
        (c == changes.len()).then_some(Block { starts, edges })
    }
}

/// A graph being built: each node's links in a vector of their own until
/// [`Builder::finish`] puts them in blocks.
#[derive(Default)]
struct Builder {
    nodes: Nodes,
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
        if let Some(n) = self.nodes.find(doc, id) {
            return n;
        }
        let n = self.nodes.names.len() as u32;
        // One string per document, shared by its nodes.
        let doc = match self.nodes.document(doc) {
            Some(d) => d.clone(),
            None => Text::from(doc),
        };
        self.nodes.push(n, doc, id_text());
        self.edges.push(Vec::new());
        n
    }

    /// Links `from` to `to`, and `to` back to `from` with the inverse.
    fn link(&mut self, from: u32, to: u32, relation: Relation, link: Link) {
        if from == to {
            return;
        }
        self.edges[from as usize].push(Edge {
            to,
            relation,
            link,
            count: 1,
        });
        self.edges[to as usize].push(Edge {
            to: from,
            relation: relation.inverse(),
            link: link.inverse(),
            count: 1,
        });
    }

    /// Each node's links sorted by the node they lead to, the same link
    /// once with how many times it was made, in blocks of [`BLOCK`] nodes.
    fn finish(self) -> Graph {
        let Builder {
            nodes,
            edges: mut by_node,
        } = self;
        let mut saturated = false;
        let mut blocks = Vec::with_capacity(by_node.len().div_ceil(BLOCK));
        for chunk in by_node.chunks_mut(BLOCK) {
            let mut starts = Vec::with_capacity(chunk.len() + 1);
            let mut edges: Vec<Edge> = Vec::with_capacity(chunk.iter().map(Vec::len).sum());
            for links in chunk {
                let key = |e: &Edge| (&nodes.names[e.to as usize], e.link, e.relation);
                links.sort_by(|a, b| key(a).cmp(&key(b)));
                let start = edges.len();
                starts.push(start as u32);
                for e in links.drain(..) {
                    match edges[start..].last_mut() {
                        Some(last)
                            if Edge {
                                count: e.count,
                                ..*last
                            } == e =>
                        {
                            last.count = last.count.checked_add(e.count).unwrap_or_else(|| {
                                saturated = true;
                                u16::MAX
                            });
                        }
                        _ => edges.push(e),
                    }
                }
            }
            starts.push(edges.len() as u32);
            blocks.push(Arc::new(Block { starts, edges }));
        }
        Graph {
            shared: Arc::new(nodes),
            blocks,
            saturated,
            ..Graph::default()
        }
    }
}

/// Are two texts the same words, whitespace aside?
fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// A link a `map` block makes: `(DOC, ID)` of its source and of one
/// target, and the relation.
type MapLink<'a> = ((&'a Text, &'a Text), (&'a Text, &'a Text), Relation);

/// The links of a `map` block (see the module's documentation for those
/// not followed).
fn map_links<'a>(map: &'a crate::syntax::Map, out: &mut Vec<MapLink<'a>>) {
    if is_derived(map) {
        return;
    }
    let relation = Relation::parse(field_text(&map.fields, "relation").unwrap_or(DEFAULT_RELATION));
    if relation == Relation::NoRelationship {
        return;
    }
    let Some(source) = map.source.id() else {
        return;
    };
    let from = (&map.source.document().text, &source.text);
    for target in &map.targets {
        if let Some(id) = target.id() {
            out.push((from, (&target.document().text, &id.text), relation));
        }
    }
}

/// The links of a file's `map` blocks, sorted.
fn file_links(file: &crate::model::SourceFile) -> Vec<MapLink<'_>> {
    let mut links = Vec::new();
    for map in &file.parse.ast.maps {
        map_links(map, &mut links);
    }
    links.sort_by(|a, b| link_key(a).cmp(&link_key(b)));
    links
}

fn link_key<'a>(l: &MapLink<'a>) -> (&'a str, &'a str, &'a str, &'a str, Relation) {
    let ((fd, fi), (td, ti), relation) = *l;
    (fd, fi, td, ti, relation)
}

/// Takes what two sorted multisets of links have in common out of both.
fn cancel<'a>(gone: &mut Vec<MapLink<'a>>, came: &mut Vec<MapLink<'a>>) {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < gone.len() && j < came.len() {
        match link_key(&gone[i]).cmp(&link_key(&came[j])) {
            std::cmp::Ordering::Less => {
                a.push(gone[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                b.push(came[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    a.extend_from_slice(&gone[i..]);
    b.extend_from_slice(&came[j..]);
    *gone = a;
    *came = b;
}

impl crate::model::incremental::WorkspaceTable for Graph {
    type Output = Graph;

    crate::table_slot!();

    /// From the earlier version's graph when the index is the same (no
    /// declaration changed, so neither did a `replaces` or containment
    /// link) and no file came or went: the earlier graph itself when no
    /// changed file changed a link (an edit of an excerpt or a note), else
    /// the earlier graph with the changed files' old links taken out and
    /// their new ones put in.
    fn derive(
        ws: &crate::model::Workspace,
        earlier: Option<crate::model::incremental::Earlier<'_, Graph>>,
    ) -> Arc<Graph> {
        if let Some(e) = earlier
            && e.same_index(ws)
            && let Some(changed) = e.changed(ws)
        {
            let (mut gone, mut came) = (Vec::new(), Vec::new());
            for id in changed {
                let mut old = file_links(&e.files[id.0 as usize]);
                let mut new = file_links(ws.file(id));
                cancel(&mut old, &mut new);
                gone.append(&mut old);
                came.append(&mut new);
            }
            if gone.is_empty() && came.is_empty() {
                return e.table.clone();
            }
            if let Some(graph) = e.table.with_delta(&gone, &came) {
                return Arc::new(graph);
            }
        }
        Arc::new(Graph::build(ws))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::model::{Config, FileInput, Origin, SourceFile};

    type Named = ((String, String), Link, Relation, u16);

    /// Every node that has links, by name, with its links by name: what a
    /// walk can see, whatever the nodes' numbers.
    fn by_name(g: &Graph) -> BTreeMap<(String, String), Vec<Named>> {
        (0..g.len() as u32)
            .filter(|&n| !g.edges(n).is_empty())
            .map(|n| {
                let name = |n: u32| (g.name(n).0.to_string(), g.name(n).1.to_string());
                let links = g
                    .edges(n)
                    .iter()
                    .map(|e| (name(e.to), e.link, e.relation, e.count))
                    .collect();
                (name(n), links)
            })
            .collect()
    }

    const RELATIONS: &[&str] = &["", "subset-of", "equal-to", "no-relationship", "related"];

    /// A file of `map` blocks between four documents: (source document,
    /// source id, target document, target id, relation, derived).
    fn file_text(maps: &[(usize, usize, usize, usize, usize, bool)]) -> String {
        let docs = ["a", "b", "c", "etsi-en-303-645"];
        let mut text = String::new();
        for &(sd, si, td, ti, r, derived) in maps {
            let target = if td == 3 {
                format!("etsi-en-303-645:5.{}-1", ti + 1)
            } else {
                format!("{}:{ti}", docs[td])
            };
            text.push_str(&format!("map {}:{si} -> {target} {{\n", docs[sd]));
            if !RELATIONS[r].is_empty() {
                text.push_str(&format!("  relation {}\n", RELATIONS[r]));
            }
            if derived {
                text.push_str("  derived \"x\"\n");
            }
            text.push_str("}\n");
        }
        text
    }

    fn path(i: usize) -> (std::path::PathBuf, String) {
        (format!("/ws/{i}.xwalk").into(), format!("{i}.xwalk"))
    }

    fn workspace(files: &[String]) -> Workspace {
        let inputs = files
            .iter()
            .enumerate()
            .map(|(i, text)| FileInput {
                path: path(i).0,
                name: path(i).1,
                text: text.clone(),
            })
            .collect();
        Workspace::build(None, Config::default(), inputs)
    }

    fn edited(ws: &Workspace, i: usize, text: &str) -> Workspace {
        let mut files = ws.own_files();
        let (path, name) = path(i);
        files.set(
            i,
            Arc::new(SourceFile::new(
                path,
                name,
                text.to_string(),
                Origin::Workspace,
            )),
        );
        Workspace::with_changed_files(ws, files)
    }

    /// A map's new target is a delta: the nodes are shared, the blocks
    /// the edit did not touch too.
    #[test]
    fn a_changed_link_is_a_delta() {
        let maps = |t| vec![(0, 1, 1, 1, 0, false), (0, 2, 1, t, 1, false)];
        let ws = workspace(&[file_text(&maps(2))]);
        let before = crate::chains::graph(&ws).clone();
        let after_ws = edited(&ws, 0, &file_text(&maps(3)));
        let after = crate::chains::graph(&after_ws);
        assert!(Arc::ptr_eq(&before.shared, &after.shared));
        assert_eq!(after.added.names.len(), 1);
        let shared_blocks = (before.blocks.iter().zip(&after.blocks))
            .filter(|(a, b)| Arc::ptr_eq(a, b))
            .count();
        assert!(shared_blocks + 2 >= before.blocks.len(), "{shared_blocks}");
        assert_eq!(by_name(after), by_name(&Graph::build(&after_ws)));
        // The old target lost its one link: it is still a node, without
        // links, and the walk from it finds nothing, like the fresh graph.
        assert!(
            after
                .find("b", "2")
                .is_some_and(|n| after.edges(n).is_empty())
        );
        assert!(after.walk(("b", "2"), "a", 3).is_empty());
        // A note changes no link: the very graph.
        let note = format!("{}# a note\n", file_text(&maps(3)));
        let noted = edited(&after_ws, 0, &note);
        assert!(Arc::ptr_eq(after, crate::chains::graph(&noted)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// A graph derived by deltas through any number of edits has the
        /// links, counts and walks of the graph built afresh.
        #[test]
        fn derived_equals_fresh(
            files in prop::collection::vec(
                prop::collection::vec((0usize..3, 0usize..3, 0usize..4, 0usize..3, 0usize..5, prop::bool::weighted(0.1)), 0..6),
                1..5,
            ),
            edits in prop::collection::vec(
                (0usize..5, prop::collection::vec((0usize..3, 0usize..3, 0usize..4, 0usize..3, 0usize..5, prop::bool::weighted(0.1)), 0..6)),
                1..8,
            ),
            asked in prop::collection::vec(prop::bool::ANY, 8),
        ) {
            let texts: Vec<String> = files.iter().map(|m| file_text(m)).collect();
            let mut ws = workspace(&texts);
            crate::chains::graph(&ws);
            for (round, (i, maps)) in edits.iter().enumerate() {
                ws = edited(&ws, i % files.len(), &file_text(maps));
                // Not every version asks for its graph: the next one
                // derives it from the last graph derived.
                if !asked[round] && round + 1 < edits.len() {
                    continue;
                }
                let derived = crate::chains::graph(&ws);
                let fresh = Graph::build(&ws);
                prop_assert_eq!(by_name(derived), by_name(&fresh));
                prop_assert_eq!(derived.link_count(), fresh.link_count());
                for doc in ["a", "b", "c"] {
                    for id in ["0", "1", "2"] {
                        for onto in ["a", "b", "c", "etsi-en-303-645"] {
                            prop_assert_eq!(
                                derived.walk((doc, id), onto, 3),
                                fresh.walk((doc, id), onto, 3)
                            );
                        }
                    }
                }
            }
        }
    }
}
