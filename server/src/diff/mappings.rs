//! Mappings added, removed and changed, matched by identity (see the
//! module documentation of [`super`] for several mappings of one identity).

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use super::fields::{self, View};
use super::renames::{self, Renames};
use super::{MappingChange, MappingEntry, Side};
use crate::model::FileId;
use crate::model::index::EndpointKey;
use crate::model::schema::DEFAULT_RELATION;
use crate::syntax::{Endpoint, Map};

type Endpoints<'a> = (&'a str, Option<&'a str>);
type Key<'a> = (Endpoints<'a>, Endpoints<'a>);

/// One source → target pair of a `map`.
#[derive(Clone, Copy)]
struct Entry<'a> {
    file: FileId,
    map: &'a Map,
    target: usize,
    /// The map's text: equal text, equal mapping.
    text: &'a str,
}

impl<'a> Entry<'a> {
    fn view(&self) -> View<'a> {
        fields::view(&self.map.fields, &[("relation", Some(DEFAULT_RELATION))])
    }

    fn excerpt(&self) -> Option<&'a str> {
        crate::model::index::field_text(&self.map.fields, "excerpt")
    }

    fn target(&self) -> &'a Endpoint {
        &self.map.targets[self.target]
    }
}

/// Every pair of the side's files by identity, and the identities in the
/// order they first appear.
struct Table<'a> {
    by_key: FxHashMap<Key<'a>, SmallVec<[Entry<'a>; 1]>>,
    order: Vec<Key<'a>>,
}

/// `renames` gives the base's renamed documents their new ids (empty for
/// the head).
fn table<'a>(side: Side<'a>, renames: &Renames<'a>) -> Table<'a> {
    let mut by_key: FxHashMap<Key<'a>, SmallVec<[Entry<'a>; 1]>> = FxHashMap::default();
    let mut order = Vec::new();
    for &file in side.files {
        let f = side.workspace.file(file);
        for map in &f.parse.ast.maps {
            let text = f.text.get(map.range()).unwrap_or("");
            for (t, target) in map.targets.iter().enumerate() {
                let key = renames::apply(renames, (map.source.key(), target.key()));
                let entry = Entry {
                    file,
                    map,
                    target: t,
                    text,
                };
                let list = by_key.entry(key).or_default();
                if list.is_empty() {
                    order.push(key);
                }
                list.push(entry);
            }
        }
    }
    Table { by_key, order }
}

fn label((document, id): Endpoints) -> String {
    EndpointKey {
        document: document.to_string(),
        id: id.map(str::to_string),
    }
    .to_string()
}

/// A mapping on one side only, with its own ids (a renamed document's old
/// id in the base).
fn entry(side: Side, e: &Entry) -> MappingEntry {
    MappingEntry {
        source: label(e.map.source.key()),
        target: label(e.target().key()),
        location: side.locate(e.file, e.target().range().start),
        fields: fields::listed(&e.view()),
    }
}

/// What became of one identity's pairs.
#[derive(Default)]
struct Outcome {
    added: Vec<MappingEntry>,
    removed: Vec<MappingEntry>,
    changed: Vec<MappingChange>,
}

pub(super) fn compare<'a>(
    base: Side<'a>,
    head: Side<'a>,
    renames: &Renames<'a>,
) -> (Vec<MappingEntry>, Vec<MappingEntry>, Vec<MappingChange>) {
    let none = Renames::default();
    let (old, new) = rayon::join(|| table(base, renames), || table(head, &none));
    let outcomes: Vec<Outcome> = old
        .order
        .par_iter()
        .map(|key| {
            let bs = &old.by_key[key];
            match new.by_key.get(key) {
                Some(hs) => pair(base, head, *key, bs, hs),
                None => Outcome {
                    removed: bs.iter().map(|e| entry(base, e)).collect(),
                    ..Outcome::default()
                },
            }
        })
        .chain(
            new.order
                .par_iter()
                .filter(|key| !old.by_key.contains_key(*key))
                .map(|key| Outcome {
                    added: new.by_key[key].iter().map(|e| entry(head, e)).collect(),
                    ..Outcome::default()
                }),
        )
        .collect();
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut changed = Vec::new();
    for o in outcomes {
        added.extend(o.added);
        removed.extend(o.removed);
        changed.extend(o.changed);
    }
    let order = |s: &str, t: &str, l: &super::Location| (s.to_string(), t.to_string(), l.clone());
    added.sort_by_cached_key(|m| order(&m.source, &m.target, &m.location));
    removed.sort_by_cached_key(|m| order(&m.source, &m.target, &m.location));
    changed.sort_by_cached_key(|m| order(&m.source, &m.target, &m.head));
    (added, removed, changed)
}

/// Matches the pairs of one identity on the two sides: equal fields, then
/// equal excerpts, then source order.
fn pair(base: Side, head: Side, key: Key, bs: &[Entry], hs: &[Entry]) -> Outcome {
    if bs.len() == 1 && hs.len() == 1 && bs[0].text == hs[0].text {
        return Outcome::default();
    }
    let bv: Vec<View> = bs.iter().map(Entry::view).collect();
    let hv: Vec<View> = hs.iter().map(Entry::view).collect();
    let mut b_of_h: Vec<Option<usize>> = vec![None; hs.len()];
    let mut h_of_b: Vec<Option<usize>> = vec![None; bs.len()];
    let mut pass = |key_of: &dyn Fn(usize, bool) -> u64, same: &dyn Fn(usize, usize) -> bool| {
        let mut free: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
        for h in (0..hs.len()).rev().filter(|&h| b_of_h[h].is_none()) {
            free.entry(key_of(h, true)).or_default().push(h);
        }
        for (b, matched) in h_of_b.iter_mut().enumerate() {
            if matched.is_some() {
                continue;
            }
            let Some(candidates) = free.get_mut(&key_of(b, false)) else {
                continue;
            };
            // Candidates are in reverse source order: take the first.
            if let Some(i) = candidates.iter().rposition(|&h| same(b, h)) {
                let h = candidates.remove(i);
                *matched = Some(h);
                b_of_h[h] = Some(b);
            }
        }
    };
    pass(
        &|i, is_head| fields::hash(if is_head { &hv[i] } else { &bv[i] }),
        &|b, h| fields::same(&bv[b], &hv[h]),
    );
    pass(
        &|i, is_head| {
            fields::hash_text(if is_head {
                hs[i].excerpt()
            } else {
                bs[i].excerpt()
            })
        },
        &|b, h| match (bs[b].excerpt(), hs[h].excerpt()) {
            (Some(x), Some(y)) => fields::folded_eq(x, y),
            (x, y) => x.is_none() && y.is_none(),
        },
    );
    pass(&|_, _| 0, &|_, _| true);

    let mut out = Outcome::default();
    for (b, h) in h_of_b.iter().enumerate() {
        match h {
            Some(h) => {
                let fields = fields::changes(&bv[b], &hv[*h]);
                if !fields.is_empty() {
                    out.changed.push(MappingChange {
                        source: label(key.0),
                        target: label(key.1),
                        base: base.locate(bs[b].file, bs[b].target().range().start),
                        head: head.locate(hs[*h].file, hs[*h].target().range().start),
                        fields,
                    });
                }
            }
            None => out.removed.push(entry(base, &bs[b])),
        }
    }
    for (h, b) in b_of_h.iter().enumerate() {
        if b.is_none() {
            out.added.push(entry(head, &hs[h]));
        }
    }
    out
}
