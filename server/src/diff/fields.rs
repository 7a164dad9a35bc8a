//! Fields as the diff compares them: by name, values with their whitespace
//! folded, a bare word equal to a string of the same text.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use smallvec::SmallVec;

use super::FieldChange;
use crate::syntax::{Field, Value};

/// A field's values, as text.
pub(super) type Values<'a> = SmallVec<[Cow<'a, str>; 1]>;

/// The fields of a block, sorted by name; a field given more than once has
/// the values of every occurrence, in order.
pub(super) type View<'a> = SmallVec<[(&'a str, Values<'a>); 6]>;

/// The text of one value: a string's decoded value, a word, `DOC:ID`.
pub(super) fn value_text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::Word(w) => Cow::Borrowed(w.text.as_str()),
        Value::String(s) => Cow::Borrowed(s.value.as_str()),
        Value::Reference(r) => Cow::Owned(
            crate::model::index::EndpointKey {
                document: r.document.text.to_string(),
                id: Some(r.id.text.to_string()),
            }
            .to_string(),
        ),
    }
}

/// The view of `fields`, plus `extra` fields (such as a default relation
/// or a provision's title) when the block does not give them.
pub(super) fn view<'a>(fields: &'a [Field], extra: &[(&'a str, Option<&'a str>)]) -> View<'a> {
    let mut out: View<'a> = SmallVec::new();
    for f in fields {
        let values = f.values.iter().map(value_text);
        match out.iter_mut().find(|(n, _)| *n == f.name.text.as_str()) {
            Some((_, v)) => v.extend(values),
            None => out.push((f.name.text.as_str(), values.collect())),
        }
    }
    for &(name, value) in extra {
        if let Some(value) = value
            && !out.iter().any(|(n, _)| *n == name)
        {
            out.push((name, SmallVec::from_elem(Cow::Borrowed(value), 1)));
        }
    }
    out.sort_by(|a, b| a.0.cmp(b.0));
    out
}

/// Equal once whitespace is folded.
pub(super) fn folded_eq(a: &str, b: &str) -> bool {
    a == b || a.split_whitespace().eq(b.split_whitespace())
}

fn values_eq(a: &Values, b: &Values) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| folded_eq(x, y))
}

pub(super) fn same(a: &View, b: &View) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((na, va), (nb, vb))| na == nb && values_eq(va, vb))
}

/// A hash of the view that equal views (as [`same`] sees them) share.
pub(super) fn hash(view: &View) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for (name, values) in view {
        name.hash(&mut h);
        for v in values {
            for word in v.split_whitespace() {
                word.hash(&mut h);
            }
            0xffu8.hash(&mut h);
        }
    }
    h.finish()
}

/// A hash of one text with its whitespace folded.
pub(super) fn hash_text(text: Option<&str>) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    if let Some(text) = text {
        1u8.hash(&mut h);
        for word in text.split_whitespace() {
            word.hash(&mut h);
        }
    }
    h.finish()
}

/// The values joined for output.
pub(super) fn joined(values: &Values) -> String {
    values.join(", ")
}

/// The values of the field `name`, if the view has it.
fn find<'v, 'a>(view: &'v View<'a>, name: &str) -> Option<&'v Values<'a>> {
    view.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// Every field whose values differ, with its values before and after.
pub(super) fn changes(a: &View, b: &View) -> BTreeMap<String, FieldChange> {
    let names: std::collections::BTreeSet<&str> = a
        .iter()
        .map(|(n, _)| *n)
        .chain(b.iter().map(|(n, _)| *n))
        .collect();
    let mut out = BTreeMap::new();
    for name in names {
        let (before, after) = (find(a, name), find(b, name));
        let same = match (before, after) {
            (Some(x), Some(y)) => values_eq(x, y),
            (None, None) => true,
            _ => false,
        };
        if !same {
            out.insert(
                name.to_string(),
                FieldChange {
                    before: before.map(joined),
                    after: after.map(joined),
                },
            );
        }
    }
    out
}

/// The view as output: each field's values joined.
pub(super) fn listed(view: &View) -> BTreeMap<String, String> {
    view.iter()
        .map(|(n, v)| (n.to_string(), joined(v)))
        .collect()
}
