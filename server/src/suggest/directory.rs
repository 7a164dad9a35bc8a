//! The term directory of a workspace: for each term, the files whose
//! excerpts hold it, with what a search needs to know of each file's
//! postings before reading them (how many, and what bounds their scores).
//!
//! A search looks each query term up once here instead of once in every
//! file's index (a term in 30 words of a 1,000-file workspace was 60,000
//! look-ups in 1,000 tables, most of a median search's time).
//!
//! The directory is a [`WorkspaceTable`]: derived from the directory of an
//! earlier version of the workspace, it takes that one's *base* (the table
//! of every term, built from the files of some earlier version) and only
//! notes which files changed since: their terms are looked up in their own
//! indexes at search time. Once more than [`MAX_CHANGED`] files have
//! changed, a new base is built.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::excerpts::{self, FileExcerpts, Postings};
use super::targets::Links;
use super::text::Term;
use crate::model::incremental::{Earlier, WorkspaceTable};
use crate::model::{FileId, Workspace};

/// How many files may differ from the base before it is built again.
pub const MAX_CHANGED: usize = 8;

/// Where one file's postings of a term are, and what bounds them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Ref {
    /// The file (its [`crate::model::FileId`]).
    pub slot: u32,
    /// Where the file's postings of the term are, how many (the excerpts
    /// holding it) and what bounds their scores.
    pub postings: Postings,
}

/// Every term of the files of some workspace.
#[derive(Debug, Default)]
struct Base {
    /// Each file's index when the base was built.
    files: Vec<Option<Arc<FileExcerpts>>>,
    terms: FxHashMap<Term, Box<[Ref]>>,
}

impl Base {
    fn build(files: &Excerpts) -> Base {
        let mut terms: FxHashMap<Term, Vec<Ref>> = FxHashMap::default();
        for (slot, x) in files.iter().enumerate() {
            let Some(x) = x else { continue };
            for &(t, postings) in &x.terms {
                terms.entry(t).or_default().push(Ref {
                    slot: slot as u32,
                    postings,
                });
            }
        }
        Base {
            files: files.iter().cloned().collect(),
            terms: terms
                .into_iter()
                .map(|(t, refs)| (t, refs.into_boxed_slice()))
                .collect(),
        }
    }
}

/// Each file's index, by [`crate::model::FileId`] (`None` for the
/// built-in catalogs): a persistent vector, shared with the directory of
/// the next version but for the files that changed.
pub type Excerpts = imbl::Vector<Option<Arc<FileExcerpts>>>;

/// The excerpts of a workspace's own files, for a search.
#[derive(Debug)]
pub struct Directory {
    base: Arc<Base>,
    /// Each file's index.
    pub files: Excerpts,
    /// The files whose index is not the base's, in order.
    changed: Vec<u32>,
    /// How many excerpts there are, and their total length in terms.
    pub excerpts: usize,
    pub total_len: u64,
    /// The correspondences of every file, built-in catalogs included (see
    /// [`links`]).
    pub links: Arc<Links>,
}

impl Directory {
    /// The directory of `files`, from `base` when it was built from
    /// nearly the same files.
    fn new(files: Excerpts, base: Option<Arc<Base>>, links: Arc<Links>) -> Self {
        let present = files.iter().flatten();
        let excerpts = present.clone().map(|x| x.len()).sum();
        let total_len = present.map(|x| x.total_len).sum();
        Directory::with_counts(files, base, links, (excerpts, total_len))
    }

    /// [`Self::new`], given how many excerpts there are and their total
    /// length.
    fn with_counts(
        files: Excerpts,
        base: Option<Arc<Base>>,
        links: Arc<Links>,
        (excerpts, total_len): (usize, u64),
    ) -> Self {
        let changed_from = |base: &Base| -> Option<Vec<u32>> {
            if base.files.len() != files.len() {
                return None;
            }
            let changed: Vec<u32> = (0..files.len())
                .filter(|&i| !same(&base.files[i], &files[i]))
                .map(|i| i as u32)
                .collect();
            (changed.len() <= MAX_CHANGED).then_some(changed)
        };
        let (base, changed) = match base.and_then(|b| Some((changed_from(&b)?, b))) {
            Some((changed, base)) => (base, changed),
            None => (Arc::new(Base::build(&files)), Vec::new()),
        };
        Directory {
            excerpts,
            total_len,
            base,
            files,
            changed,
            links,
        }
    }

    /// Appends to `out` where the term's postings are, one [`Ref`] per
    /// file holding it (in no particular order).
    pub fn refs(&self, term: Term, out: &mut Vec<Ref>) {
        if let Some(refs) = self.base.terms.get(&term) {
            if self.changed.is_empty() {
                out.extend_from_slice(refs);
            } else {
                out.extend(
                    refs.iter()
                        .filter(|r| self.changed.binary_search(&r.slot).is_err()),
                );
            }
        }
        for &slot in &self.changed {
            if let Some(x) = &self.files[slot as usize]
                && let Some(&postings) = x.postings_of(term)
            {
                out.push(Ref { slot, postings });
            }
        }
    }

    /// How many files differ from the base (for tests).
    #[cfg(test)]
    fn changed(&self) -> usize {
        self.changed.len()
    }
}

impl WorkspaceTable for Directory {
    type Output = Directory;

    crate::table_slot!();

    fn derive(ws: &Workspace, earlier: Option<Earlier<'_, Directory>>) -> Arc<Directory> {
        let changed = earlier.as_ref().and_then(|e| e.changed(ws));
        Arc::new(match (earlier, changed) {
            (Some(e), Some(changed)) => after(ws, e.table, &changed),
            (e, _) => build(ws, e.map(|e| e.table.as_ref())),
        })
    }
}

/// The directory of the workspace, derived on first use (every file's
/// index too, in parallel) from the directory of an earlier version.
pub fn of(ws: &Workspace) -> Arc<Directory> {
    ws.table::<Directory>().clone()
}

/// The directory of the workspace, with every file indexed on the calling
/// thread (see [`super::prepare_here`]). Not cancelled when a newer version
/// of the workspace comes: the newer one shares every file the edits did
/// not touch, with its index, and derives its directory from this one's.
pub fn prepare_here(ws: &Workspace) {
    if ws.derived::<Directory>().is_none() {
        index(ws, false);
    }
    of(ws);
}

/// Indexes the files of the workspace not indexed yet, in parallel or on
/// the calling thread (each from its previous version's index, as a rule:
/// see [`excerpts::of`]).
fn index(ws: &Workspace, parallel: bool) {
    let missing: Vec<FileId> = ws
        .workspace_files()
        .filter(|(_, f)| f.derived::<FileExcerpts>().is_none())
        .map(|(id, _)| id)
        .collect();
    let one = |&id: &FileId| {
        excerpts::of(ws, id);
    };
    if parallel {
        missing.par_iter().for_each(one);
    } else {
        missing.iter().for_each(one);
    }
}

fn build(ws: &Workspace, previous: Option<&Directory>) -> Directory {
    index(ws, true);
    let files: Excerpts = ws
        .file_ids()
        .map(|id| (!ws.file(id).is_builtin()).then(|| excerpts::of(ws, id)))
        .collect();
    // The correspondences are those of the previous directory when no
    // file that changed since has any.
    let links = match previous {
        Some(p)
            if p.files.len() == files.len()
                && p.files
                    .iter()
                    .zip(&files)
                    .all(|(a, b)| same(a, b) || (no_links(a) && no_links(b))) =>
        {
            p.links.clone()
        }
        _ => Arc::new(links(ws)),
    };
    Directory::new(files, previous.map(|d| d.base.clone()), links)
}

/// The directory of `ws` after `previous`'s, when only the files
/// `changed` are new versions: theirs are indexed, every other file's index
/// is shared, and the counts and correspondences are updated from theirs
/// alone (the other files are not read).
fn after(ws: &Workspace, previous: &Directory, changed: &[FileId]) -> Directory {
    let mut files = previous.files.clone();
    let (mut excerpts, mut total_len) = (previous.excerpts, previous.total_len);
    let mut links_changed = false;
    for &id in changed {
        let new = (!ws.file(id).is_builtin()).then(|| excerpts::of(ws, id));
        let old = &files[id.0 as usize];
        if let Some(x) = old {
            (excerpts, total_len) = (excerpts - x.len(), total_len - x.total_len);
        }
        if let Some(x) = &new {
            (excerpts, total_len) = (excerpts + x.len(), total_len + x.total_len);
        }
        // A changed index matters only if either side has correspondences.
        links_changed |= !(same(old, &new) || (no_links(old) && no_links(&new)));
        files.set(id.0 as usize, new);
    }
    let links = match links_changed {
        true => Arc::new(links(ws)),
        false => previous.links.clone(),
    };
    let base = Some(previous.base.clone());
    Directory::with_counts(files, base, links, (excerpts, total_len))
}

fn no_links(x: &Option<Arc<FileExcerpts>>) -> bool {
    x.as_ref().is_none_or(|x| x.links.is_empty())
}

/// Whether two files' indexes are the same one.
fn same(a: &Option<Arc<FileExcerpts>>, b: &Option<Arc<FileExcerpts>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// The correspondences written as `map` blocks without an excerpt in any
/// file of the workspace (the built-in catalogs included), both ways.
fn links(ws: &Workspace) -> Links {
    let mut out = Links::default();
    for id in ws.file_ids() {
        let x = match ws.file(id).is_builtin() {
            true => excerpts::of_file(ws.file(id)),
            false => excerpts::of(ws, id),
        };
        for (a, b) in &x.links {
            out.entry(a.clone()).or_default().push(b.clone());
            out.entry(b.clone()).or_default().push(a.clone());
        }
    }
    for list in out.values_mut() {
        list.sort();
        list.dedup();
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::{FileInput, SourceFile, Workspace};

    fn excerpts_file(i: usize, excerpts: &[String]) -> String {
        excerpts
            .iter()
            .enumerate()
            .map(|(m, e)| match e.strip_prefix("ga") {
                // A correspondence (no excerpt).
                Some(_) => format!("map org-{i}:{m} -> uk-cop-2018:{}\n", e.len()),
                None => format!("map org-{i}:{m} -> uk-cop-2018:1 {{ excerpt \"{e}\" }}\n"),
            })
            .collect()
    }

    fn every_ref(d: &Directory, terms: &[Term]) -> Vec<Vec<Ref>> {
        terms
            .iter()
            .map(|&t| {
                let mut refs = Vec::new();
                d.refs(t, &mut refs);
                refs.sort_by_key(|r| r.slot);
                refs
            })
            .collect()
    }

    fn workspace(files: &[Vec<String>]) -> Workspace {
        let inputs = files
            .iter()
            .enumerate()
            .map(|(i, e)| FileInput {
                path: format!("/ws/{i}.xwalk").into(),
                name: format!("{i}.xwalk"),
                text: excerpts_file(i, e),
            })
            .collect();
        Workspace::build(None, crate::model::Config::default(), inputs)
    }

    fn edited(ws: &Workspace, i: usize, excerpts: &[String]) -> Workspace {
        let mut files = ws.own_files();
        files[i] = Arc::new(SourceFile::new(
            format!("/ws/{i}.xwalk").into(),
            format!("{i}.xwalk"),
            excerpts_file(i, excerpts),
            crate::model::Origin::Workspace,
        ));
        Workspace::with_changed_files(ws, files)
    }

    /// An edit keeps the base; the edited file is looked up on its own.
    #[test]
    fn an_edit_keeps_the_base() {
        let words = |s: &str| s.split(',').map(String::from).collect::<Vec<_>>();
        let files = vec![
            words("secure update,unique password"),
            words("update firmware"),
        ];
        let ws = workspace(&files);
        let before = of(&ws);
        let after = edited(&ws, 1, &words("update firmware,password reset"));
        let directory = of(&after);
        assert!(Arc::ptr_eq(&before.base, &directory.base));
        assert_eq!(directory.changed(), 1);
        assert_eq!((before.excerpts, directory.excerpts), (3, 4));
        let term = super::super::text::term_of("password");
        let slots = |d: &Directory| {
            let mut refs = Vec::new();
            d.refs(term, &mut refs);
            let mut slots: Vec<(u32, u32)> =
                refs.iter().map(|r| (r.slot, r.postings.len)).collect();
            slots.sort();
            slots
        };
        assert_eq!(slots(&before), [(0, 1)]);
        assert_eq!(slots(&directory), [(0, 1), (1, 1)]);
    }

    /// Workspaces made before the directory of their predecessor was
    /// built (edits while the language server builds it in the background)
    /// take it as their base once it is.
    #[test]
    fn workspaces_made_before_the_directory_wait_for_it() {
        let words = |s: &str| s.split(',').map(String::from).collect::<Vec<_>>();
        let ws0 = workspace(&[words("secure update"), words("update firmware")]);
        let ws1 = edited(&ws0, 1, &words("update firmware,reset"));
        let ws2 = edited(&ws1, 0, &words("secure update,unique password"));
        let first = of(&ws0);
        let directory = of(&ws2);
        assert!(Arc::ptr_eq(&first.base, &directory.base));
        assert_eq!(directory.changed(), 2);
        assert_eq!(directory.excerpts, 4);
    }

    /// A new version of a file starts from the index of the file's last
    /// version that has one: the same excerpts keep the very index.
    #[test]
    fn a_new_version_of_a_file_starts_from_the_last_index() {
        let words = |s: &str| s.split(',').map(String::from).collect::<Vec<_>>();
        let ws0 = workspace(&[words("secure update"), words("update firmware")]);
        let before = of(&ws0);
        let ws1 = edited(&ws0, 1, &words("update firmware"));
        let after = of(&ws1);
        let (a, b) = (before.files[1].as_ref(), after.files[1].as_ref());
        assert!(Arc::ptr_eq(a.unwrap(), b.unwrap()));
        assert_eq!(after.changed(), 0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// A directory derived from an earlier workspace's, through any
        /// number of edits, holds what one built from scratch holds.
        #[test]
        fn derived_equals_fresh(
            files in prop::collection::vec(prop::collection::vec("[a-f]{1,3}( [a-f]{1,3}){0,5}", 0..6), 1..14),
            edits in prop::collection::vec(prop::collection::vec((0usize..14, "[a-g]{1,3}( [a-g]{1,3}){0,3}"), 1..12), 1..4),
        ) {
            let mut ws = workspace(&files);
            let mut contents = files.clone();
            of(&ws);
            for round in &edits {
                for (i, excerpt) in round {
                    let i = i % files.len();
                    contents[i].push(excerpt.clone());
                    ws = edited(&ws, i, &contents[i]);
                }
                let derived = of(&ws);
                prop_assert!(derived.changed() <= MAX_CHANGED);
                // From the workspace alone: its files' indexes, counts and
                // correspondences.
                let fresh = build(&ws, None);
                prop_assert_eq!(derived.files.len(), fresh.files.len());
                prop_assert!(derived.files.iter().zip(&fresh.files).all(|(a, b)| same(a, b)));
                prop_assert_eq!(&derived.links, &fresh.links);
                let words = contents.iter().flatten().cloned().collect::<Vec<_>>().join(" ");
                let terms: Vec<Term> = super::super::text::Query::new(&format!("{words} ga gb zz"))
                    .terms
                    .iter()
                    .map(|t| t.0)
                    .collect();
                prop_assert_eq!(every_ref(&derived, &terms), every_ref(&fresh, &terms));
                prop_assert_eq!((derived.excerpts, derived.total_len), (fresh.excerpts, fresh.total_len));
            }
        }
    }
}
