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

use rustc_hash::{FxHashMap, FxHashSet};

use super::graph::{Graph, Link};
use super::relation::{Relation, compose};

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
/// to a bound: what the walk uses to prune.
pub struct Distances {
    onto: String,
    max_hops: usize,
    distance: FxHashMap<u32, usize>,
}

impl Graph {
    /// The distances to `onto`'s nodes, up to `max_hops` (every link has its
    /// reverse, so a breadth-first search from the target's nodes finds
    /// them).
    pub fn distances(&self, onto: &str, max_hops: usize) -> Distances {
        let mut distance = FxHashMap::default();
        let mut queue = VecDeque::new();
        for n in self.nodes_of(onto) {
            distance.insert(n, 0);
            queue.push_back(n);
        }
        while let Some(n) = queue.pop_front() {
            let d = distance[&n];
            if d >= max_hops {
                continue;
            }
            for e in self.edges(n) {
                distance.entry(e.to).or_insert_with(|| {
                    queue.push_back(e.to);
                    d + 1
                });
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
        let far = |n: u32| dist.distance.get(&n).copied().unwrap_or(usize::MAX);
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
        let mut seen: FxHashSet<(u32, Relation)> = FxHashSet::default();
        seen.insert((start, Relation::EqualTo));
        // Per target node: the best state so far.
        let mut best: FxHashMap<u32, usize> = FxHashMap::default();
        let mut queue = VecDeque::from([0usize]);
        while let Some(s) = queue.pop_front() {
            let (node, relation, depth) = (states[s].node, states[s].relation, states[s].depth);
            let came_by = states[s].link.0;
            for e in self.edges(node) {
                if far(e.to).saturating_add(depth + 1) > dist.max_hops {
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
                if cycle || !seen.insert((e.to, composed)) {
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
