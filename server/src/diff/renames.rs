//! Documents renamed: an id declared only in the base and another declared
//! only in the head are one document renamed when at least half of the
//! mappings of the old id (and at least one) reappear with the new id in
//! its place; a document with no mappings is renamed when its title is the
//! same. Each old id is paired with at most one new id (the one most of its
//! mappings reappear with; on a tie, the first declared), and the other
//! way round.

use rustc_hash::{FxHashMap, FxHashSet};

use super::Side;
use super::documents::declared;
use super::fields::folded_eq;
use crate::model::index::field_text;
use crate::syntax::Document;

type Endpoints<'a> = (&'a str, Option<&'a str>);
type Key<'a> = (Endpoints<'a>, Endpoints<'a>);

/// Old id → new id, for every document renamed from `base` to `head`.
pub(super) type Renames<'a> = FxHashMap<&'a str, &'a str>;

fn keys<'a>(side: Side<'a>) -> impl Iterator<Item = Key<'a>> {
    side.files.iter().flat_map(move |&file| {
        side.workspace
            .file(file)
            .parse
            .ast
            .maps
            .iter()
            .flat_map(|map| map.targets.iter().map(|t| (map.source.key(), t.key())))
    })
}

/// Renames `from` to `to` in a mapping's identity.
fn renamed<'a>(key: Key<'a>, from: &str, to: &'a str) -> Key<'a> {
    let swap = |(doc, id): Endpoints<'a>| (if doc == from { to } else { doc }, id);
    (swap(key.0), swap(key.1))
}

fn title(doc: &Document) -> Option<&str> {
    field_text(&doc.fields, "title")
}

pub(super) fn detect<'a>(base: Side<'a>, head: Side<'a>) -> Renames<'a> {
    let old = declared(base);
    let new = declared(head);
    let old_ids: FxHashSet<&str> = old.iter().map(|(_, d)| d.id.text.as_str()).collect();
    let new_ids: FxHashSet<&str> = new.iter().map(|(_, d)| d.id.text.as_str()).collect();
    let removed: Vec<&Document> = old
        .iter()
        .map(|&(_, d)| d)
        .filter(|d| !new_ids.contains(d.id.text.as_str()))
        .collect();
    let added: Vec<&Document> = new
        .iter()
        .map(|&(_, d)| d)
        .filter(|d| !old_ids.contains(d.id.text.as_str()))
        .collect();
    let mut out = Renames::default();
    if removed.is_empty() || added.is_empty() {
        return out;
    }
    let head_keys: FxHashSet<Key> = keys(head).collect();
    let mut by_old: FxHashMap<&str, Vec<Key>> = FxHashMap::default();
    let gone: FxHashSet<&str> = removed.iter().map(|d| d.id.text.as_str()).collect();
    for key in keys(base) {
        let (source, target) = (key.0.0, key.1.0);
        if gone.contains(source) {
            by_old.entry(source).or_default().push(key);
        }
        if target != source && gone.contains(target) {
            by_old.entry(target).or_default().push(key);
        }
    }
    // Every candidate pair with its score (mappings that reappear), best first.
    let mut candidates = Vec::new();
    for (i, r) in removed.iter().enumerate() {
        let from = r.id.text.as_str();
        let mappings = by_old.get(from).map_or(&[][..], Vec::as_slice);
        for (j, a) in added.iter().enumerate() {
            let to = a.id.text.as_str();
            // A title is the weakest evidence: it never outranks a mapping.
            let same = if mappings.is_empty() {
                match (title(r), title(a)) {
                    (Some(x), Some(y)) if folded_eq(x, y) => 1,
                    _ => 0,
                }
            } else {
                let back = mappings
                    .iter()
                    .filter(|k| head_keys.contains(&renamed(**k, from, to)))
                    .count();
                if back * 2 >= mappings.len() { back } else { 0 }
            };
            if same > 0 {
                candidates.push((std::cmp::Reverse(same), i, j));
            }
        }
    }
    candidates.sort_unstable();
    let mut taken = FxHashSet::default();
    for (_, i, j) in candidates {
        let (from, to) = (removed[i].id.text.as_str(), added[j].id.text.as_str());
        if !out.contains_key(from) && taken.insert(to) {
            out.insert(from, to);
        }
    }
    out
}

/// The identity of a base mapping with the renamed documents' new ids.
pub(super) fn apply<'a>(renames: &Renames<'a>, key: Key<'a>) -> Key<'a> {
    let swap = |(doc, id): Endpoints<'a>| (renames.get(doc).copied().unwrap_or(doc), id);
    (swap(key.0), swap(key.1))
}
