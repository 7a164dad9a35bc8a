//! The excerpt index of one file: which `map` blocks have an excerpt, and
//! an inverted index of their terms.
//!
//! Each file's excerpts are indexed once, on first use, and the index is
//! kept with the file ([`SourceFile::derived`]): a workspace rebuilt after
//! an edit shares every other file, so only the edited file is indexed
//! again, and that from the index of its previous version when the
//! language server handed it on (unchanged excerpts keep their terms).
//! [`super::directory`] puts the files' indexes together for a search.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::targets::Key;
use super::text::{Term, term_counts};
use crate::model::{SourceFile, Workspace};
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

/// An excerpt's terms with their counts, and its length in terms.
type TermCounts = (Vec<(Term, u32)>, u32);

/// A map's excerpt, as the AST holds it.
fn excerpt_of(map: &Map) -> Option<&Text> {
    let field = map.fields.iter().find(|f| f.name.text == "excerpt")?;
    match field.values.first() {
        Some(Value::String(s)) => Some(&s.value),
        Some(Value::Word(w)) => Some(&w.text),
        _ => None,
    }
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
        let known = previous
            .map(FileExcerpts::terms_by_text)
            .unwrap_or_default();
        let mut out = FileExcerpts::default();
        // `(term, entry, count)`, then sorted by term (entries stay in order).
        let mut triples: Vec<(Term, u32, u32)> = Vec::new();
        for (m, map) in file.parse.ast.maps.iter().enumerate() {
            let Some(excerpt) = excerpt_of(map) else {
                if let (d, Some(id)) = map.source.key() {
                    for t in &map.targets {
                        if let (td, Some(tid)) = t.key() {
                            out.links
                                .push(((d.into(), id.into()), (td.into(), tid.into())));
                        }
                    }
                }
                continue;
            };
            let (counts, len) = match known.get(excerpt.as_str()) {
                Some(terms) => terms.clone(),
                None => term_counts(excerpt),
            };
            if len == 0 {
                continue;
            }
            let e = out.entries.len() as u32;
            out.entries.push((m as u32, len));
            out.texts.push(excerpt.clone());
            out.total_len += u64::from(len);
            triples.extend(counts.into_iter().map(|(t, tf)| (t, e, tf)));
        }
        triples.sort_by_key(|&(t, _, _)| t);
        out.items.reserve_exact(triples.len());
        for (t, e, tf) in triples {
            if out.terms.last().is_none_or(|(last, _)| *last != t) {
                out.terms.push((
                    t,
                    Postings {
                        start: out.items.len() as u32,
                        len: 0,
                        max_tf: 0,
                        min_len: u32::MAX,
                    },
                ));
            }
            let p = &mut out.terms.last_mut().expect("pushed").1;
            p.len += 1;
            p.max_tf = p.max_tf.max(tf);
            p.min_len = p.min_len.min(out.entries[e as usize].1);
            out.items.push((e, tf));
        }
        out
    }

    /// The terms and length of each excerpt, by its text.
    fn terms_by_text(&self) -> FxHashMap<&str, TermCounts> {
        let mut terms: Vec<Vec<(Term, u32)>> = vec![Vec::new(); self.entries.len()];
        // In term order, so each excerpt's list comes out sorted.
        for (t, p) in &self.terms {
            for &(e, tf) in self.list(p) {
                terms[e as usize].push((*t, tf));
            }
        }
        terms
            .into_iter()
            .zip(&self.entries)
            .zip(&self.texts)
            .map(|((counts, &(_, len)), text)| (text.as_str(), (counts, len)))
            .collect()
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

/// The excerpt index of `file`, built on first use and kept with it (from
/// the index of its previous version, when the language server handed
/// that on: see [`SourceFile::previous_derived`]).
pub fn of_file(file: &SourceFile) -> Arc<FileExcerpts> {
    let derived = file.derived.get_or_init(|| {
        let previous = file.previous_derived();
        let previous = previous
            .as_ref()
            .and_then(|p| p.downcast_ref::<FileExcerpts>());
        Arc::new(FileExcerpts::after(file, previous))
    });
    match derived.clone().downcast::<FileExcerpts>() {
        Ok(index) => index,
        // Another layer's table: index without keeping it.
        Err(_) => Arc::new(FileExcerpts::of(file)),
    }
}

/// Indexes, in parallel, the files of the workspace not indexed yet.
pub fn index_all(ws: &Workspace) {
    missing(ws).par_iter().for_each(|f| {
        of_file(f);
    });
}

/// Indexes the files of the workspace not indexed yet on the calling
/// thread.
pub fn index_here(ws: &Workspace) {
    for f in missing(ws) {
        of_file(f);
    }
}

fn missing(ws: &Workspace) -> Vec<&SourceFile> {
    ws.files
        .iter()
        .map(|f| &**f)
        .filter(|f| f.derived.get().is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let file = |text: &str| {
            SourceFile::new(
                "/ws/a.xwalk".into(),
                "a.xwalk".into(),
                text.into(),
                crate::model::Origin::Workspace,
            )
        };
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
        // The language server hands the old index on; the new file uses it.
        old_file.derived.set(Arc::new(previous)).unwrap();
        new_file.follow(&old_file);
        assert_eq!(parts(&of_file(&new_file)), parts(&fresh));
        assert!(new_file.previous_derived().is_none(), "taken when used");
    }
}
