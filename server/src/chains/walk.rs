//! Walking the [`Graph`]: from one node to the nodes of a target document,
//! at most N links, breadth first.
//!
//! A chain ends at the first node of the target document it reaches (it
//! never walks on through the target document), visits no node twice, and
//! its relation is the composition of its links' ([`compose`]). It never
//! goes back through a source to another of its targets (a `mapped from`
//! link followed by a `mapped to`). Several
//! chains to one target: the shortest is kept, then the most determined
//! ([`Relation::rank`]), then the first found, links being tried in the
//! graph's sorted order, so the outcome is deterministic. The walk is
//! pruned with each node's distance to the target document, so that it
//! only follows links that can still arrive within N.

use std::collections::VecDeque;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::graph::{Graph, Link};
use super::relation::{Relation, compose};

/// How many walks a graph keeps (see `Graph::walks`): then it forgets them
/// all and starts again, so that `xwalk derive` over thousands of sources
/// keeps no more than this.
pub(super) const KEPT_WALKS: usize = 4096;

/// The walks a graph keeps: per target document, by start node and bound.
pub(super) type KeptWalks = FxHashMap<String, FxHashMap<(u32, usize), Arc<[Derived]>>>;

/// Where a chain from a node lands in the target document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Derived {
    /// `(DOC, ID)` in the target document.
    pub target: (String, String),
    /// The composed relation, source to target.
    pub relation: Relation,
    /// Every node of the chain, the start and the target included.
    pub chain: Vec<(String, String)>,
    /// How each node of the chain is linked to the next (one fewer than
    /// the nodes).
    pub links: Vec<(Link, Relation)>,
}

/// Each node's distance (in links) to the nearest node of a document, up
/// to a bound: what the walk uses to prune. Two per node: leaving it by
/// any link, and leaving it after arriving by a `mapped from` link (then
/// not by a `mapped to`): a source's other targets are no way on, and
/// counting them would send the walk through every source that maps to a
/// provision the start maps to.
pub struct Distances {
    onto: String,
    max_hops: usize,
    /// By node number; [`FAR`]: farther than the bound. One byte (two a
    /// node, not eight: the table is as long as the graph, kept per target
    /// document); a distance over [`NEAR_MAX`] is kept as [`NEAR_MAX`], a
    /// lower bound, which only prunes less.
    distance: Vec<[u8; 2]>,
}

/// A node farther than the bound (or unreachable) in [`Distances`].
const FAR: u8 = u8::MAX;
/// The largest distance [`Distances`] keeps as it is.
const NEAR_MAX: u8 = u8::MAX - 1;

impl Distances {
    /// The distance from `node`, reached by a `mapped from` link or not.
    fn of(&self, node: u32, after_mapped_from: bool) -> usize {
        match self
            .distance
            .get(node as usize)
            .map(|d| d[after_mapped_from as usize])
        {
            None | Some(FAR) => usize::MAX,
            Some(d) => d as usize,
        }
    }
}

impl Graph {
    /// The distances to `onto`'s nodes, up to `max_hops` (every link has its
    /// reverse, so a breadth-first search from the target's nodes finds
    /// them).
    pub fn distances(&self, onto: &str, max_hops: usize) -> Distances {
        // Breadth first, backwards, over (node, arrived by `mapped from`).
        // One slot per node, written once: a table of the graph's size
        // (a node is reached or not), no hashing.
        let mut distance = vec![[FAR; 2]; self.len()];
        let mut queue = VecDeque::new();
        for n in self.nodes_of(onto) {
            distance[n as usize] = [0, 0];
            queue.push_back((n, false));
            queue.push_back((n, true));
        }
        while let Some((m, restricted)) = queue.pop_front() {
            let d = distance[m as usize][restricted as usize] as usize;
            if d >= max_hops {
                continue;
            }
            // Each link out of `m` is the reverse of a link into it.
            for back in self.edges(m) {
                let link = back.link.inverse();
                if (link == Link::MappedFrom) != restricted {
                    continue;
                }
                let n = back.to;
                for from in [false, true] {
                    if from && link == Link::Mapped {
                        continue;
                    }
                    let slot = &mut distance[n as usize][from as usize];
                    if *slot == FAR {
                        *slot = (d + 1).min(NEAR_MAX as usize) as u8;
                        queue.push_back((n, from));
                    }
                }
            }
        }
        Distances {
            onto: onto.to_string(),
            max_hops,
            distance,
        }
    }

    /// Where `from` (`(DOC, ID)`) lands in document `onto` in at most
    /// `max_hops` links, one [`Derived`] per target node, in the order of
    /// their `(DOC, ID)`. Nothing when `from` is unlinked or is in `onto`.
    pub fn walk(&self, from: (&str, &str), onto: &str, max_hops: usize) -> Vec<Derived> {
        self.walked(from, onto, max_hops).to_vec()
    }

    /// [`Graph::walk`] as the graph keeps it, shared: asked again (a hover
    /// on the same reference), it is neither walked nor copied.
    pub fn walked(&self, from: (&str, &str), onto: &str, max_hops: usize) -> Arc<[Derived]> {
        let Some(start) = self.find(from.0, from.1) else {
            return Arc::from(Vec::new());
        };
        let key = (start, max_hops);
        let kept = || self.walks.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = kept().get(onto).and_then(|walks| walks.get(&key)) {
            return found.clone();
        }
        let found: Arc<[Derived]> = self.walk_uncached(from, onto, max_hops).into();
        let mut walks = kept();
        if walks.values().map(FxHashMap::len).sum::<usize>() >= KEPT_WALKS {
            walks.clear();
        }
        match walks.get_mut(onto) {
            Some(of_onto) => {
                of_onto.insert(key, found.clone());
            }
            None => {
                let of_onto = FxHashMap::from_iter([(key, found.clone())]);
                walks.insert(onto.to_string(), of_onto);
            }
        }
        found
    }

    fn walk_uncached(&self, from: (&str, &str), onto: &str, max_hops: usize) -> Vec<Derived> {
        let key = (onto.to_string(), max_hops);
        let cached = self
            .distances
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned();
        let dist = cached.unwrap_or_else(|| {
            let d = std::sync::Arc::new(self.distances(onto, max_hops));
            self.distances
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key, d.clone());
            d
        });
        self.walk_with(from, &dist)
    }

    /// [`Graph::walk`] with distances computed once for many walks.
    pub fn walk_with(&self, from: (&str, &str), dist: &Distances) -> Vec<Derived> {
        let Some(start) = self.find(from.0, from.1) else {
            return Vec::new();
        };
        if from.0 == dist.onto {
            return Vec::new();
        }

        // The states reached: node, relation so far, depth, parent state
        // and the link from it.
        struct State {
            node: u32,
            relation: Relation,
            depth: usize,
            parent: usize,
            link: (Link, Relation),
        }
        let mut states = vec![State {
            node: start,
            relation: Relation::EqualTo,
            depth: 0,
            parent: usize::MAX,
            link: (Link::Mapped, Relation::EqualTo),
        }];
        // A state is a node, the relation so far and whether it was
        // reached by a `mapped from` link (then no `mapped to` follows): a
        // node reached first that way must not hide the same node reached
        // by another link, from which the walk can go on.
        let mut seen: FxHashSet<(u32, Relation, bool)> = FxHashSet::default();
        seen.insert((start, Relation::EqualTo, false));
        // Per target node: the best state so far.
        let mut best: FxHashMap<u32, usize> = FxHashMap::default();
        let mut queue = VecDeque::from([0usize]);
        while let Some(s) = queue.pop_front() {
            let (node, relation, depth) = (states[s].node, states[s].relation, states[s].depth);
            let came_by = states[s].link.0;
            for e in self.edges(node) {
                let after = dist.of(e.to, e.link == Link::MappedFrom);
                if after.saturating_add(depth + 1) > dist.max_hops {
                    continue;
                }
                // Not from one target of a source to another of its
                // targets: a recommendation mapped to guidelines 1 and 3
                // says they share its subject, not that they correspond.
                if came_by == Link::MappedFrom && e.link == Link::Mapped {
                    continue;
                }
                // No node twice in one chain.
                let mut at = s;
                let mut cycle = false;
                while at != usize::MAX {
                    if states[at].node == e.to {
                        cycle = true;
                        break;
                    }
                    at = states[at].parent;
                }
                let composed = compose(relation, e.relation);
                if cycle || !seen.insert((e.to, composed, e.link == Link::MappedFrom)) {
                    continue;
                }
                states.push(State {
                    node: e.to,
                    relation: composed,
                    depth: depth + 1,
                    parent: s,
                    link: (e.link, e.relation),
                });
                let new = states.len() - 1;
                if self.name(e.to).0 == dist.onto {
                    let better = match best.get(&e.to) {
                        None => true,
                        Some(&old) => {
                            (depth + 1, composed.rank())
                                < (states[old].depth, states[old].relation.rank())
                        }
                    };
                    if better {
                        best.insert(e.to, new);
                    }
                } else {
                    queue.push_back(new);
                }
            }
        }
        let mut out: Vec<Derived> = best
            .into_values()
            .map(|s| {
                let mut chain = Vec::new();
                let mut links = Vec::new();
                let mut at = s;
                while at != usize::MAX {
                    let (d, i) = self.name(states[at].node);
                    chain.push((d.to_string(), i.to_string()));
                    if states[at].parent != usize::MAX {
                        links.push(states[at].link);
                    }
                    at = states[at].parent;
                }
                chain.reverse();
                links.reverse();
                Derived {
                    target: chain.last().cloned().unwrap_or_default(),
                    relation: states[s].relation,
                    chain,
                    links,
                }
            })
            .collect();
        out.sort_by(|a, b| a.target.cmp(&b.target));
        out
    }
}

#[cfg(test)]
mod pruning {
    use proptest::prelude::*;

    use super::*;
    use crate::fixture::Fixture;

    /// Distances that prune nothing.
    fn none(graph: &Graph, onto: &str, max_hops: usize) -> Distances {
        Distances {
            onto: onto.to_string(),
            max_hops,
            distance: vec![[0, 0]; graph.len()],
        }
    }

    /// A source reached backwards from a target it shares with the start
    /// is no way on to another document by its own maps: the walk does not
    /// visit it (every source of a much-mapped provision would be).
    #[test]
    fn a_source_reached_by_mapped_from_cannot_go_on_by_its_maps() {
        let fx = Fixture::parse(
            "document s {}\ndocument t {}\ndocument u {}\n\
             map s:x -> t:1\nmap s:y -> t:1, u:1\n",
        );
        let graph = Graph::build(&fx.ws);
        let dist = graph.distances("u", 3);
        let y = graph.find("s", "y").unwrap();
        assert_eq!(dist.of(y, false), 1);
        assert_eq!(dist.of(y, true), usize::MAX);
        let t1 = graph.find("t", "1").unwrap();
        assert_eq!(dist.of(t1, false), usize::MAX);
        assert!(graph.walk(("s", "x"), "u", 3).is_empty());
    }

    proptest! {
        /// Pruning by the distances never loses a chain: the walk finds
        /// what it finds when it prunes nothing, on random maps between
        /// four documents (sources mapped to shared targets, editions
        /// that replace each other's provisions).
        #[test]
        fn the_pruned_walk_finds_what_the_whole_walk_finds(
            maps in prop::collection::vec((0usize..4, 0usize..3, 0usize..4, 0usize..3), 1..14),
            from in (0usize..4, 0usize..3),
            onto in 0usize..4,
            hops in 1usize..5,
        ) {
            let docs = ["a", "b", "c", "d"];
            let mut text = String::from(
                "document a {}\ndocument b {}\ndocument c {}\n\
                 document d { supersedes c provision 0 { replaces c:0 } provision 1 { replaces c:1 } provision 2 {} }\n",
            );
            for (sd, si, td, ti) in maps {
                text.push_str(&format!("map {}:{si} -> {}:{ti}\n", docs[sd], docs[td]));
            }
            let fx = Fixture::parse(&text);
            let graph = Graph::build(&fx.ws);
            let from = (docs[from.0], &*from.1.to_string());
            let pruned = graph.walk_with(from, &graph.distances(docs[onto], hops));
            let whole = graph.walk_with(from, &none(&graph, docs[onto], hops));
            prop_assert_eq!(&pruned, &whole);
            // Asked again, the graph answers from the walks it keeps (one
            // walk, when the start is a node: else nothing to keep), the
            // same one shared.
            prop_assert_eq!(&graph.walk(from, docs[onto], hops), &pruned);
            let kept: usize = graph.walks.lock().unwrap().values().map(|w| w.len()).sum();
            prop_assert_eq!(kept, graph.find(from.0, from.1).is_some() as usize);
            prop_assert_eq!(&graph.walk(from, docs[onto], hops), &pruned);
            let (a, b) = (graph.walked(from, docs[onto], hops), graph.walked(from, docs[onto], hops));
            prop_assert!(pruned.is_empty() || Arc::ptr_eq(&a, &b));
        }
    }
}
