//! Matching the top-level blocks of a file's new text with those of its
//! previous text, so that what was computed for an unchanged block (its
//! diagnostics) can be moved instead of computed again.
//!
//! An edit changes one stretch of the text: the two versions agree on a
//! common start and a common end. A block lying wholly in the common start
//! is where it was; one lying wholly in the common end moved by the change
//! in length. Finding those takes a byte comparison of the two texts and a
//! binary search per block. The remaining blocks, around the edit, are
//! matched by their text (a block moved, or pasted again elsewhere).

use rustc_hash::FxHashMap;

use super::TextRange;

/// What two versions of a text have in common at either end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommonEnds {
    /// Bytes equal at the start.
    pub prefix: usize,
    /// Bytes equal at the end (not overlapping the prefix in either text).
    pub suffix: usize,
    pub old_len: usize,
    pub new_len: usize,
}

impl CommonEnds {
    pub fn of(old: &str, new: &str) -> CommonEnds {
        CommonEnds::within(old, new, 0, 0)
    }

    /// [`Self::of`], when the caller knows that the texts agree on at
    /// least their first `prefix` and last `suffix` bytes (an editor knows
    /// where its edits were): only the bytes between are compared.
    pub fn within(old: &str, new: &str, prefix: usize, suffix: usize) -> CommonEnds {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let n = a.len().min(b.len());
        let known = prefix.min(n);
        debug_assert_eq!(a[..known], b[..known]);
        let prefix = known + common_prefix(&a[known..], &b[known..], n - known);
        // The common end, not overlapping the common start in either text.
        let (a, b, n) = (&a[prefix..], &b[prefix..], n - prefix);
        let known = suffix.min(n);
        debug_assert_eq!(a[a.len() - known..], b[b.len() - known..]);
        let suffix = known + common_suffix(&a[..a.len() - known], &b[..b.len() - known], n - known);
        CommonEnds {
            prefix,
            suffix,
            old_len: old.len(),
            new_len: new.len(),
        }
    }

    /// Where the bytes at `new` in the new text were in the old text, when
    /// they lie wholly in the common start or end.
    pub fn old_range(&self, new: &TextRange) -> Option<TextRange> {
        if new.end <= self.prefix {
            Some(new.clone())
        } else if new.start >= self.new_len - self.suffix {
            // Never negative: the common end is at most the old length.
            let at = new.start + self.old_len - self.new_len;
            Some(at..at + new.len())
        } else {
            None
        }
    }

    /// Whether `old`, a range of the old text, lies wholly in the common
    /// start or end.
    pub fn is_common_old(&self, old: &TextRange) -> bool {
        old.end <= self.prefix || old.start >= self.old_len - self.suffix
    }
}

fn common_prefix(a: &[u8], b: &[u8], n: usize) -> usize {
    // Chunks first: slice comparison is a vectorised memcmp.
    const CHUNK: usize = 64;
    let mut i = 0;
    while i + CHUNK <= n && a[i..i + CHUNK] == b[i..i + CHUNK] {
        i += CHUNK;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

fn common_suffix(a: &[u8], b: &[u8], n: usize) -> usize {
    const CHUNK: usize = 64;
    let (la, lb) = (a.len(), b.len());
    let mut i = 0;
    while i + CHUNK <= n && a[la - i - CHUNK..la - i] == b[lb - i - CHUNK..lb - i] {
        i += CHUNK;
    }
    while i < n && a[la - i - 1] == b[lb - i - 1] {
        i += 1;
    }
    i
}

/// The old blocks a new block can be matched with.
pub struct OldBlocks<'a> {
    ends: CommonEnds,
    /// `(range, index)` of the old blocks in the common start or end,
    /// sorted by start.
    common: Vec<(TextRange, usize)>,
    /// The other old blocks by their text (the first of identical ones).
    middle: FxHashMap<&'a str, usize>,
}

impl<'a> OldBlocks<'a> {
    /// `blocks` are `(range, index)` of the old blocks that may be matched,
    /// in text order; `ends` is what the old and new texts have in common
    /// ([`CommonEnds::of`]).
    pub fn new(
        ends: CommonEnds,
        old_text: &'a str,
        blocks: impl Iterator<Item = (TextRange, usize)>,
    ) -> OldBlocks<'a> {
        let mut common = Vec::with_capacity(blocks.size_hint().1.unwrap_or(0));
        let mut middle = FxHashMap::default();
        for (range, i) in blocks {
            if ends.is_common_old(&range) {
                common.push((range, i));
            } else if let Some(text) = old_text.get(range) {
                middle.entry(text).or_insert(i);
            }
        }
        OldBlocks {
            ends,
            common,
            middle,
        }
    }

    /// The old block with the same text as the new block at `range` of
    /// `new_text`, if there is one: the one at the same place in the common
    /// start or end, else any with that text.
    pub fn find(&self, new_text: &str, range: &TextRange) -> Option<usize> {
        if let Some(old) = self.ends.old_range(range) {
            let at = self.common.partition_point(|(r, _)| r.start < old.start);
            if let Some((r, i)) = self.common.get(at)
                && *r == old
            {
                return Some(*i);
            }
        }
        let text = new_text.get(range.clone())?;
        let &i = self.middle.get(text)?;
        Some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_ends_of_an_edit() {
        let old = "abc def ghi";
        let new = "abc dXef ghi";
        let e = CommonEnds::of(old, new);
        assert_eq!((e.prefix, e.suffix), (5, 6));
        assert_eq!(e.old_range(&(0..3)), Some(0..3));
        assert_eq!(e.old_range(&(9..12)), Some(8..11));
        assert_eq!(e.old_range(&(4..8)), None);
        // Deleting, and texts that are equal or one a prefix of the other.
        let e = CommonEnds::of(new, old);
        assert_eq!(e.old_range(&(8..11)), Some(9..12));
        let e = CommonEnds::of("aaaa", "aaaa");
        assert_eq!((e.prefix, e.suffix), (4, 0));
        let e = CommonEnds::of("aa", "aaaa");
        assert_eq!((e.prefix, e.suffix), (2, 0));
        assert_eq!(e.old_range(&(2..4)), None);
        // Long texts go through the chunked comparison.
        let long_old = "x".repeat(300) + "1" + &"y".repeat(300);
        let long_new = "x".repeat(300) + "22" + &"y".repeat(300);
        let e = CommonEnds::of(&long_old, &long_new);
        assert_eq!((e.prefix, e.suffix), (300, 300));
        assert_eq!(e.old_range(&(302..602)), Some(301..601));
    }

    proptest::proptest! {
        /// Given where an edit was, `within` compares less and finds the
        /// same ends as `of`, whatever was replaced by what (the inserted
        /// text may repeat what was there, so the ends reach past it).
        #[test]
        fn within_an_edit_the_ends_are_those_of_a_full_comparison(
            old in "[ab\n]{0,200}",
            at in 0usize..200,
            len in 0usize..20,
            inserted in "[ab\n]{0,20}",
        ) {
            let start = at.min(old.len());
            let end = (start + len).min(old.len());
            let mut new = old.clone();
            new.replace_range(start..end, &inserted);
            let hinted = CommonEnds::within(&old, &new, start, old.len() - end);
            proptest::prop_assert_eq!(hinted, CommonEnds::of(&old, &new));
        }
    }

    #[test]
    fn blocks_match_in_place_or_by_text() {
        let old = "map a\nmap b\nmap c\n";
        let new = "map c\nmap a\nmap bb\nmap c\n";
        let ranges = |t: &str| {
            let mut out = Vec::new();
            let mut at = 0;
            for line in t.split_inclusive('\n') {
                out.push(at..at + line.len());
                at += line.len();
            }
            out
        };
        let blocks = OldBlocks::new(
            CommonEnds::of(old, new),
            old,
            ranges(old).into_iter().zip(0..),
        );
        let found: Vec<Option<usize>> = ranges(new).iter().map(|r| blocks.find(new, r)).collect();
        // `map a` moved: matched by its text. The `map c` inserted at the
        // start is not matched: the old `map c` lies in the common end,
        // whose blocks are only matched in place (hashing them would cost
        // what the matching saves). `map bb` is new.
        assert_eq!(found, vec![None, Some(0), None, Some(2)]);
    }
}
