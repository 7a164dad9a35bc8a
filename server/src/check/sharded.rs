//! An ordered set of entries keyed by a hash first, split by the hash's
//! top bits into shards that are shared between versions: cloning the set
//! clones the shards' `Arc`s, and a change copies only the shards it
//! touches (`Arc::make_mut`). What lets the analysis of a workspace's next
//! version start from the previous one's without copying hundreds of
//! thousands of entries, while the previous version stays readable.
//!
//! A shard is a sorted vector: built in parallel, compact, read by binary
//! search, and changed in place (an insert or a removal moves the entries
//! after it, a 256th of the set at most). A `BTreeSet` per shard once
//! edited took 1.5–2 times the memory of the vector, grew the language
//! server's memory as the edits reached more shards, and copies slower
//! on write.
//!
//! Iteration is in order (shards are in order of their hash bits), and the
//! entries of one hash are all in one shard.

use std::ops::RangeInclusive;
use std::sync::Arc;

use rayon::prelude::*;

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

/// One shard: its entries sorted, without repeats.
type Shard<T> = Vec<T>;

/// The entries of a shard, or of a range of one, in order.
pub type Entries<'a, T> = std::slice::Iter<'a, T>;

#[derive(Clone, Debug)]
pub struct Sharded<T> {
    /// A persistent vector: a clone shares it whole, and changing a shard
    /// copies the few references around it, not all of them.
    shards: imbl::Vector<Arc<Shard<T>>>,
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

impl<T: Hashed + Send + Sync> Sharded<T> {
    /// The set of the entries of `parts`: item `k` of part `p` is the
    /// entry `entry(p, k)`, in the shard of `hash_of(k)`. The parts are
    /// cut into chunks; each chunk's entries are counted per shard, each
    /// shard is allocated once at its final size, and each chunk writes
    /// its entries straight into its own stretch of every shard, in
    /// parallel; then each shard is sorted, in parallel. No sort of the
    /// whole, no tree, no intermediate buckets (scattering into buckets
    /// first, then copying them into the shards, wrote every entry twice
    /// and touched a third more memory). (Each shard searching every part
    /// for its run instead costs a cache miss per part and shard.)
    pub fn gather<P: Sync, K: Sync>(
        parts: &[(P, &[K])],
        hash_of: impl Fn(&K) -> u64 + Sync,
        entry: impl Fn(&P, &K) -> T + Sync,
    ) -> Self {
        const SHARDS: usize = 1 << BITS;
        let chunk = parts.len().div_ceil(8).max(1);
        let chunks: Vec<&[(P, &[K])]> = parts.chunks(chunk).collect();
        let counts: Vec<[usize; SHARDS]> = chunks
            .par_iter()
            .map(|chunk| {
                let mut count = [0; SHARDS];
                for (_, keys) in chunk.iter() {
                    for k in keys.iter() {
                        count[shard(hash_of(k))] += 1;
                    }
                }
                count
            })
            .collect();
        // Filled with any entry first, each place then written once.
        let Some(filler) = parts
            .iter()
            .find_map(|(part, keys)| Some(entry(part, keys.first()?)))
        else {
            return Sharded::default();
        };
        let mut shards: Vec<Vec<T>> = (0..SHARDS)
            .into_par_iter()
            .map(|s| vec![filler; counts.iter().map(|c| c[s]).sum()])
            .collect();
        // Each chunk's stretch of each shard, in the chunks' order.
        let mut stretches: Vec<Vec<&mut [T]>> = chunks.iter().map(|_| Vec::new()).collect();
        for (s, entries) in shards.iter_mut().enumerate() {
            let mut rest = entries.as_mut_slice();
            for (c, count) in counts.iter().enumerate() {
                let (mine, after) = std::mem::take(&mut rest).split_at_mut(count[s]);
                stretches[c].push(mine);
                rest = after;
            }
        }
        stretches
            .into_par_iter()
            .zip(chunks)
            .for_each(|(mut stretch, chunk)| {
                let mut next = [0usize; SHARDS];
                for (part, keys) in chunk {
                    for k in keys.iter() {
                        let s = shard(hash_of(k));
                        stretch[s][next[s]] = entry(part, k);
                        next[s] += 1;
                    }
                }
            });
        shards.par_iter_mut().for_each(|entries| {
            entries.sort_unstable();
            entries.dedup();
        });
        Sharded {
            shards: shards.into_iter().map(Arc::new).collect(),
        }
    }
}

impl<T: Hashed> Sharded<T> {
    // Looked up first, changed (and so unshared) only when it changes.
    pub fn insert(&mut self, e: T) -> bool {
        let i = shard(e.hash());
        match self.shards[i].binary_search(&e) {
            Ok(_) => false,
            Err(at) => {
                Arc::make_mut(&mut self.shards[i]).insert(at, e);
                true
            }
        }
    }

    pub fn remove(&mut self, e: &T) -> bool {
        let i = shard(e.hash());
        match self.shards[i].binary_search(e) {
            Ok(at) => {
                Arc::make_mut(&mut self.shards[i]).remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// The entries in `range`, whose ends have the same hash.
    pub fn range(&self, range: RangeInclusive<T>) -> impl Iterator<Item = &T> {
        debug_assert_eq!(range.start().hash(), range.end().hash());
        let sorted = &self.shards[shard(range.start().hash())];
        let start = sorted.partition_point(|e| e < range.start());
        let end = start + sorted[start..].partition_point(|e| e <= range.end());
        sorted[start..end].iter()
    }

    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.shards.iter().flat_map(|s| s.iter())
    }

    /// The entries of each shard, in order, the shards in parallel (the
    /// entries of one hash are all in one shard).
    pub fn par_shards(&self) -> impl IndexedParallelIterator<Item = Entries<'_, T>>
    where
        T: Sync + Send,
    {
        (0..self.shards.len())
            .into_par_iter()
            .map(|i| self.shards[i].iter())
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
    use std::collections::BTreeSet;

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
            // Gathered from two parts in any order, as the groups are from
            // files.
            let (a, b) = sorted.split_at(sorted.len() / 2);
            let (mut a, b) = (a.to_vec(), b.to_vec());
            a.reverse();
            let parts = [((), a.as_slice()), ((), b.as_slice())];
            let mut set = Sharded::gather(&parts, |e| e.0, |_, e| *e);
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
            // Ranges of shards as built and of shards changed.
            for &(h, ..) in model.iter().step_by(7) {
                let r = (h, 0, 0)..=(h, u32::MAX, u32::MAX);
                prop_assert!(set.range(r.clone()).copied().eq(model.range(r).copied()));
            }
            for &(h, ..) in sorted.iter().step_by(7) {
                let r = (h, 0, 0)..=(h, u32::MAX, u32::MAX);
                let expected = sorted.iter().copied().filter(|e| r.contains(e));
                prop_assert!(before.range(r.clone()).copied().eq(expected));
            }
            let by_shard: Vec<(u64, u32, u32)> =
                set.par_shards().map(|s| s.copied().collect::<Vec<_>>()).flatten().collect();
            prop_assert!(by_shard.into_iter().eq(model.iter().copied()));
        }
    }
}
