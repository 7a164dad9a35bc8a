//! An ordered set of entries keyed by a hash first, split by the hash's
//! top bits into shards that are shared between versions: cloning the set
//! clones the shards' `Arc`s, and a change copies only the shards it
//! touches (`Arc::make_mut`). What lets the analysis of a workspace's next
//! version start from the previous one's without copying hundreds of
//! thousands of entries, while the previous version stays readable.
//!
//! Iteration is in order (shards are in order of their hash bits), and the
//! entries of one hash are all in one shard.

use std::collections::BTreeSet;
use std::ops::RangeInclusive;
use std::sync::Arc;

/// How many bits of the hash choose the shard.
const BITS: u32 = 8;

/// An entry whose first component is a 64-bit hash.
pub trait Hashed: Ord + Copy {
    fn hash(&self) -> u64;
}

impl<A: Ord + Copy, B: Ord + Copy, C: Ord + Copy> Hashed for (u64, A, B, C) {
    fn hash(&self) -> u64 {
        self.0
    }
}

impl<A: Ord + Copy, B: Ord + Copy> Hashed for (u64, A, B) {
    fn hash(&self) -> u64 {
        self.0
    }
}

#[derive(Clone, Debug)]
pub struct Sharded<T> {
    shards: Vec<Arc<BTreeSet<T>>>,
}

impl<T: Hashed> Default for Sharded<T> {
    fn default() -> Self {
        Sharded {
            shards: (0..1 << BITS).map(|_| Arc::default()).collect(),
        }
    }
}

fn shard(hash: u64) -> usize {
    (hash >> (64 - BITS)) as usize
}

impl<T: Hashed> Sharded<T> {
    /// The set of `sorted` (in order, as a sort gives it).
    pub fn from_sorted(sorted: Vec<T>) -> Self {
        let mut set = Sharded {
            shards: Vec::with_capacity(1 << BITS),
        };
        let mut rest = sorted.as_slice();
        for s in 0..1usize << BITS {
            let end = rest.partition_point(|e| shard(e.hash()) <= s);
            let (this, after) = rest.split_at(end);
            set.shards
                .push(Arc::new(this.iter().copied().collect::<BTreeSet<T>>()));
            rest = after;
        }
        set
    }

    pub fn insert(&mut self, e: T) -> bool {
        Arc::make_mut(&mut self.shards[shard(e.hash())]).insert(e)
    }

    pub fn remove(&mut self, e: &T) -> bool {
        Arc::make_mut(&mut self.shards[shard(e.hash())]).remove(e)
    }

    /// The entries in `range`, whose ends have the same hash.
    pub fn range(&self, range: RangeInclusive<T>) -> impl Iterator<Item = &T> {
        debug_assert_eq!(range.start().hash(), range.end().hash());
        self.shards[shard(range.start().hash())].range(range)
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.shards.iter().flat_map(|s| s.iter())
    }

    #[cfg(test)]
    fn shared_with(&self, other: &Self) -> usize {
        self.shards
            .iter()
            .zip(&other.shards)
            .filter(|(a, b)| Arc::ptr_eq(a, b))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The sharded set holds what a `BTreeSet` holds, in the same
        /// order, through inserts and removals; a clone is unchanged by
        /// them and shares every shard they did not touch.
        #[test]
        fn behaves_as_one_ordered_set(
            start in prop::collection::vec((any::<u64>(), 0u32..4, 0u32..4), 0..200),
            ops in prop::collection::vec((any::<bool>(), any::<u64>(), 0u32..4, 0u32..4), 0..50),
        ) {
            let mut sorted = start.clone();
            sorted.sort_unstable();
            sorted.dedup();
            let mut set = Sharded::from_sorted(sorted.clone());
            let mut model: BTreeSet<(u64, u32, u32)> = sorted.iter().copied().collect();
            let before = set.clone();
            let mut touched = BTreeSet::new();
            for (insert, h, a, b) in ops {
                // Reuse hashes of the set now and then, so removals hit.
                let h = if h % 3 == 0 && !sorted.is_empty() { sorted[h as usize % sorted.len()].0 } else { h };
                touched.insert(shard(h));
                if insert {
                    prop_assert_eq!(set.insert((h, a, b)), model.insert((h, a, b)));
                } else {
                    prop_assert_eq!(set.remove(&(h, a, b)), model.remove(&(h, a, b)));
                }
            }
            prop_assert!(set.iter().copied().eq(model.iter().copied()));
            prop_assert!(before.iter().copied().eq(sorted.iter().copied()));
            prop_assert!(set.shared_with(&before) >= (1 << BITS) - touched.len());
            for &(h, ..) in model.iter().take(5) {
                let r = (h, 0, 0)..=(h, u32::MAX, u32::MAX);
                prop_assert!(set.range(r.clone()).copied().eq(model.range(r).copied()));
            }
        }
    }
}
