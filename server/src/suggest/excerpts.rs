//! The excerpt index of one file: which `map` blocks have an excerpt, and
//! an inverted index of their terms.
//!
//! Each file's excerpts are indexed once per version of the file, on first
//! use: the index is a [`FileTable`] derived from the index of the file's
//! previous version (unchanged excerpts keep their terms; an edit outside
//! the excerpts keeps the very index). A workspace rebuilt after an edit
//! shares every other file, so only the edited file is indexed again.
//! [`super::directory`] puts the files' indexes together for a search.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::targets::Key;
use super::text::{Term, term_counts};
use crate::model::incremental::FileTable;
use crate::model::{FileId, SourceFile, Workspace};
use crate::syntax::{Map, Text, Value};

/// The excerpts of one file: which `map` each is, its length, and an
/// inverted index of its terms.
#[derive(Debug, Default)]
pub struct FileExcerpts {
    /// The file's `map` blocks without an excerpt, from `DOC:ID` to each
    /// `DOC:ID` target: correspondences (see [`super::targets`]).
    pub links: Vec<(Key, Key)>,
    /// Each entry's map (its index in the AST) and length in terms.
    pub(super) entries: Vec<(u32, u32)>,
    /// Each entry's excerpt (shared with the AST), so that the index of
    /// the file's next version can take the terms of unchanged excerpts.
    texts: Vec<Text>,
    pub(super) total_len: u64,
    /// Each term, sorted, with where its postings are in `items`.
    pub(super) terms: Vec<(Term, Postings)>,
    /// `(entry, count)`: the postings of every term, one term after the
    /// other (in the order of `terms`), each in entry order. One block per
    /// file, so that a search reads a file's postings from one place.
    items: Vec<(u32, u32)>,
}

/// Where one term's postings are in a file's `items`, and what bounds the
/// term's score in any of them (the score grows with the count and falls
/// with the excerpt's length).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Postings {
    pub start: u32,
    pub len: u32,
    pub max_tf: u32,
    pub min_len: u32,
}

/// The excerpts of an earlier version of a file with their terms, to take
/// instead of stemming the same text again.
struct Known<'a> {
    previous: &'a FileExcerpts,
    /// Each entry's terms with their counts, one entry after the other.
    counts: Vec<(Term, u32)>,
    /// Where each entry's terms start in `counts` (one more than the
    /// entries).
    starts: Vec<u32>,
    /// The entry the next excerpt is most likely to be: an edit leaves
    /// the other excerpts in order.
    next: usize,
    /// Every entry by its text, made when an excerpt is not the next.
    by_text: Option<FxHashMap<&'a str, u32>>,
}

impl<'a> Known<'a> {
    fn new(previous: &'a FileExcerpts) -> Known<'a> {
        // In term order, so that each entry's terms come out sorted.
        let postings = previous.terms.iter().flat_map(|(t, p)| {
            previous
                .list(p)
                .iter()
                .map(move |&(e, tf)| (e as usize, (*t, tf)))
        });
        let (counts, starts) = grouped(previous.entries.len(), postings);
        Known {
            previous,
            counts,
            starts,
            next: 0,
            by_text: None,
        }
    }

    /// The terms and length of `excerpt` if the earlier version had it.
    fn find(&mut self, excerpt: &Text) -> Option<(&[(Term, u32)], u32)> {
        let texts = &self.previous.texts;
        let e = if self.next < texts.len() && same_text(&texts[self.next], excerpt) {
            self.next
        } else {
            let by_text = self.by_text.get_or_insert_with(|| {
                let mut map = FxHashMap::default();
                for (e, text) in texts.iter().enumerate().rev() {
                    map.insert(text.as_str(), e as u32);
                }
                map
            });
            let Some(&e) = by_text.get(excerpt.as_str()) else {
                // Most likely the next one, edited.
                self.next += 1;
                return None;
            };
            e as usize
        };
        self.next = e + 1;
        let range = self.starts[e] as usize..self.starts[e + 1] as usize;
        Some((&self.counts[range], self.previous.entries[e].1))
    }
}

/// A map's excerpt, as the AST holds it.
fn excerpt_of(map: &Map) -> Option<&Text> {
    let field = map.fields.iter().find(|f| f.name.text == "excerpt")?;
    match field.values.first() {
        Some(Value::String(s)) => Some(&s.value),
        Some(Value::Word(w)) => Some(&w.text),
        _ => None,
    }
}

/// The correspondences a `map` block without an excerpt states: from its
/// `DOC:ID` source to each `DOC:ID` target.
fn links_of(map: &Map) -> impl Iterator<Item = ((&str, &str), (&str, &str))> {
    let source = match map.source.key() {
        (d, Some(id)) => Some((d, id)),
        _ => None,
    };
    source.into_iter().flat_map(|source| {
        map.targets.iter().filter_map(move |t| match t.key() {
            (d, Some(id)) => Some((source, (d, id))),
            _ => None,
        })
    })
}

/// Whether two excerpts are the same text (most often the very same).
fn same_text(a: &Text, b: &Text) -> bool {
    let (a, b) = (a.as_str(), b.as_str());
    std::ptr::eq(a, b) || a == b
}

/// A stable counting sort: the items, each given with its group, placed
/// group after group (each group's in the order given), and where each
/// group starts (one more than the groups).
pub(super) fn grouped<T: Copy + Default>(
    groups: usize,
    items: impl Iterator<Item = (usize, T)> + Clone,
) -> (Vec<T>, Vec<u32>) {
    let mut starts = vec![0u32; groups + 1];
    for (g, _) in items.clone() {
        starts[g + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut out = vec![T::default(); starts[groups] as usize];
    for (g, x) in items {
        out[next[g] as usize] = x;
        next[g] += 1;
    }
    (out, starts)
}

impl FileExcerpts {
    pub fn of(file: &SourceFile) -> FileExcerpts {
        FileExcerpts::after(file, None)
    }

    /// The index of `file`, taking the terms of every excerpt that
    /// `previous` (the index of an earlier version of the file) also holds
    /// from it instead of stemming the text again: after an edit, only
    /// the edited excerpts are read.
    pub fn after(file: &SourceFile, previous: Option<&FileExcerpts>) -> FileExcerpts {
        let mut known = previous.map(Known::new);
        let mut out = FileExcerpts::default();
        // `(term, entry, count)`, in entry order.
        let mut triples: Vec<(Term, u32, u32)> = Vec::new();
        for (m, map) in file.parse.ast.maps.iter().enumerate() {
            let Some(excerpt) = excerpt_of(map) else {
                out.links.extend(
                    links_of(map).map(|((d, id), (td, tid))| {
                        ((d.into(), id.into()), (td.into(), tid.into()))
                    }),
                );
                continue;
            };
            let e = out.entries.len() as u32;
            let len = match known.as_mut().and_then(|k| k.find(excerpt)) {
                Some((counts, len)) => {
                    triples.extend(counts.iter().map(|&(t, tf)| (t, e, tf)));
                    len
                }
                None => {
                    let (counts, len) = term_counts(excerpt);
                    triples.extend(counts.into_iter().map(|(t, tf)| (t, e, tf)));
                    len
                }
            };
            if len == 0 {
                continue;
            }
            out.entries.push((m as u32, len));
            out.texts.push(excerpt.clone());
            out.total_len += u64::from(len);
        }
        out.invert(&triples);
        out
    }

    /// Whether the index of `file` would be this one: the same excerpts
    /// (the very texts, or equal ones) in the same maps, and the same
    /// correspondences. Reads no excerpt but to compare it.
    fn holds_the_same(&self, file: &SourceFile) -> bool {
        let mut entries = self.entries.iter().zip(&self.texts);
        let mut links = self.links.iter();
        for (m, map) in file.parse.ast.maps.iter().enumerate() {
            match excerpt_of(map) {
                Some(excerpt) => {
                    let Some((&(at, _), text)) = entries.next() else {
                        return false;
                    };
                    if at as usize != m || !same_text(text, excerpt) {
                        return false;
                    }
                }
                None => {
                    for (source, target) in links_of(map) {
                        let stated = links.next().map(|((a, b), (c, e))| {
                            ((a.as_str(), b.as_str()), (c.as_str(), e.as_str()))
                        });
                        if stated != Some((source, target)) {
                            return false;
                        }
                    }
                }
            }
        }
        entries.next().is_none() && links.next().is_none()
    }

    /// Sets `terms` and `items` from every excerpt's `(term, entry,
    /// count)`, given in entry order: a counting sort by term, so that
    /// each term's postings stay in entry order.
    fn invert(&mut self, triples: &[(Term, u32, u32)]) {
        // Each distinct term, numbered as met, with its postings' bounds.
        let mut ids: FxHashMap<Term, u32> = FxHashMap::default();
        let mut met: Vec<(Term, Postings)> = Vec::new();
        let id_of: Vec<u32> = triples
            .iter()
            .map(|&(t, e, tf)| {
                let id = *ids.entry(t).or_insert_with(|| {
                    met.push((
                        t,
                        Postings {
                            start: 0,
                            len: 0,
                            max_tf: 0,
                            min_len: u32::MAX,
                        },
                    ));
                    met.len() as u32 - 1
                });
                let p = &mut met[id as usize].1;
                p.len += 1;
                p.max_tf = p.max_tf.max(tf);
                p.min_len = p.min_len.min(self.entries[e as usize].1);
                id
            })
            .collect();
        let mut order: Vec<u32> = (0..met.len() as u32).collect();
        order.sort_unstable_by_key(|&id| met[id as usize].0);
        let mut rank = vec![0; met.len()];
        for (r, &id) in order.iter().enumerate() {
            rank[id as usize] = r;
        }
        let postings = triples
            .iter()
            .zip(&id_of)
            .map(|(&(_, e, tf), &id)| (rank[id as usize], (e, tf)));
        let (items, starts) = grouped(met.len(), postings);
        self.items = items;
        self.terms = order
            .iter()
            .zip(starts)
            .map(|(&id, start)| {
                let (t, p) = met[id as usize];
                (t, Postings { start, ..p })
            })
            .collect();
    }

    /// Where the term's postings are.
    pub(super) fn postings_of(&self, term: Term) -> Option<&Postings> {
        let at = self.terms.binary_search_by_key(&term, |&(t, _)| t).ok()?;
        Some(&self.terms[at].1)
    }

    /// The postings `(entry, count)` of a term.
    pub(super) fn list(&self, p: &Postings) -> &[(u32, u32)] {
        &self.items[p.start as usize..(p.start + p.len) as usize]
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl FileTable for FileExcerpts {
    type Output = FileExcerpts;
    const FROM_EARLIER: bool = true;

    crate::table_slot!();

    fn derive(
        file: &SourceFile,
        earlier: Option<(&SourceFile, &Arc<FileExcerpts>)>,
    ) -> Arc<FileExcerpts> {
        match earlier {
            // An edit outside the excerpts: the same index serves.
            Some((_, x)) if x.holds_the_same(file) => x.clone(),
            Some((_, x)) => Arc::new(FileExcerpts::after(file, Some(x))),
            None => Arc::new(FileExcerpts::of(file)),
        }
    }
}

/// The excerpt index of a file of the workspace, derived on first use
/// from the index of the newest earlier version of the file that has one.
pub fn of(ws: &Workspace, id: FileId) -> Arc<FileExcerpts> {
    ws.file_table::<FileExcerpts>(id).clone()
}

/// The excerpt index of a file on its own (from scratch, kept with it).
pub fn of_file(file: &SourceFile) -> Arc<FileExcerpts> {
    file.table_arc::<FileExcerpts>()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(
            "/ws/a.xwalk".into(),
            "a.xwalk".into(),
            text.into(),
            crate::model::Origin::Workspace,
        )
    }

    /// A one-file workspace holding `text`, and its next version holding
    /// `next`, as the language server makes them.
    fn versions(text: &str, next: &str) -> (Workspace, Workspace) {
        let v1 = crate::model::Workspace::from_files(
            None,
            crate::model::Config::default(),
            vec![Arc::new(file(text))],
        );
        let v2 = crate::model::Workspace::with_changed_files(&v1, vec![Arc::new(file(next))]);
        (v1, v2)
    }

    fn parts(x: &FileExcerpts) -> impl PartialEq + std::fmt::Debug + use<> {
        (
            x.entries.clone(),
            x.total_len,
            x.terms.clone(),
            x.items.clone(),
        )
    }

    fn maps(excerpts: &[String]) -> String {
        excerpts
            .iter()
            .enumerate()
            .map(|(m, e)| match e.strip_prefix('=') {
                // A correspondence (no excerpt).
                Some(target) => format!("map a:{m} -> b:{target}\n"),
                None => format!("map a:{m} -> b:1 {{ excerpt \"{e}\" }}\n"),
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the edit (excerpts changed, moved, repeated, added or
        /// removed), the index taken from the previous version's is the
        /// index built from scratch.
        #[test]
        fn taking_terms_over_changes_nothing(
            old in prop::collection::vec("(update|firmware|the|device|2018|password)( (update|firmware|the|device|password)){0,4}", 0..12),
            edits in prop::collection::vec((0usize..16, 0usize..5, "(update|secure|the|device)( (reset|update)){0,2}"), 0..6),
        ) {
            let mut new = old.clone();
            for (at, how, text) in edits {
                let at = at % (new.len() + 1);
                match how {
                    0 => new.insert(at, text),
                    1 if at < new.len() => { new.remove(at); }
                    2 if at < new.len() => new[at] = text,
                    3 => new.insert(at, format!("={}", text.len())),
                    _ if !old.is_empty() => new.insert(at, old[at % old.len()].clone()),
                    _ => {}
                }
            }
            let old_file = file(&maps(&old));
            let previous = FileExcerpts::of(&old_file);
            let new_file = file(&maps(&new));
            let fresh = FileExcerpts::of(&new_file);
            prop_assert_eq!(
                parts(&FileExcerpts::after(&new_file, Some(&previous))),
                parts(&fresh)
            );
            if previous.holds_the_same(&new_file) {
                prop_assert_eq!(parts(&previous), parts(&fresh));
                prop_assert_eq!(&previous.links, &fresh.links);
            }
            // (An excerpt without terms, "the", is not indexed: a file
            // with one is indexed again.)
            let all_indexed = old.iter().all(|e| e.starts_with('=') || term_counts(e).1 > 0);
            prop_assert_eq!(previous.holds_the_same(&old_file), all_indexed);
            // The workspace's next version derives it from the old index.
            let (v1, v2) = versions(&old_file.text, &new_file.text);
            of(&v1, FileId(0));
            prop_assert_eq!(parts(&of(&v2, FileId(0))), parts(&fresh));
        }
    }

    /// The index of an edited file built from its previous version's is
    /// the index built from scratch.
    #[test]
    fn an_edited_file_is_indexed_from_its_previous_version() {
        let old = "map a:1 -> b:1 { excerpt \"Devices update firmware securely.\" }\nmap a:2 -> b:2 { excerpt \"Passwords are unique.\" }\nmap a:3 -> b:3 { excerpt \"Data is encrypted.\" }\n";
        let new = old
            .replace("Passwords are unique.", "Passwords are unique per device.")
            .replace(
                "map a:3",
                "map a:0 -> b:9 { excerpt \"Devices update firmware securely.\" }\nmap a:3",
            );
        let (old_file, new_file) = (file(old), file(&new));
        let previous = FileExcerpts::of(&old_file);
        let after = FileExcerpts::after(&new_file, Some(&previous));
        let fresh = FileExcerpts::of(&new_file);
        let parts = |x: &FileExcerpts| {
            (
                x.entries.clone(),
                x.total_len,
                x.terms.clone(),
                x.items.clone(),
            )
        };
        assert_eq!(after.entries.len(), 4);
        assert_eq!(parts(&after), parts(&fresh));
        // The workspace's next version derives it from the old index.
        let (v1, v2) = versions(&old_file.text, &new_file.text);
        of(&v1, FileId(0));
        assert_eq!(parts(&of(&v2, FileId(0))), parts(&fresh));
    }

    /// Versions made while none was indexed (edits while the language
    /// server indexes in the background) derive from the newest earlier
    /// one indexed, whenever it was indexed: an edit outside the excerpts
    /// keeps the very index of v0, indexed after v1 and v2 were made.
    #[test]
    fn versions_made_before_the_index_use_it() {
        let v0 = maps(&["secure update".into(), "firmware".into()]);
        let (w0, w1) = versions(&v0, &v0.replace("b:1", "b:2"));
        let w2 = crate::model::Workspace::with_changed_files(
            &w1,
            vec![Arc::new(file(&v0.replace("b:1", "b:3")))],
        );
        let index = of(&w0, FileId(0));
        assert!(Arc::ptr_eq(&of(&w2, FileId(0)), &index));
        // w1, asked last, too (from w2's, the same index).
        assert!(Arc::ptr_eq(&of(&w1, FileId(0)), &index));
    }

    /// An edit outside the excerpts keeps the very index of the previous
    /// version (so the term directory sees no change).
    #[test]
    fn an_edit_outside_the_excerpts_keeps_the_index() {
        let old = "map a:1 -> b:1 { excerpt \"Secure updates.\" }\nmap a:2 -> b:2\n";
        let (v1, retarget) = versions(old, &old.replace("b:1", "b:7"));
        let index = of(&v1, FileId(0));
        assert!(Arc::ptr_eq(&of(&retarget, FileId(0)), &index));
        let relink = crate::model::Workspace::with_changed_files(
            &retarget,
            vec![Arc::new(file(&old.replace("b:2", "b:3")))],
        );
        let relinked = of(&relink, FileId(0));
        assert!(!Arc::ptr_eq(&relinked, &index));
        assert_eq!(relinked.links[0].1.1, "3");
    }
}
