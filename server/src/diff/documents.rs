//! Documents added, removed and changed, and the provisions of the
//! documents on both sides.

use rustc_hash::FxHashMap;

use super::fields::{self, View};
use super::renames::Renames;
use super::{
    DocumentChange, DocumentEntry, DocumentRename, Documents, ProvisionChange, ProvisionEntry,
    Provisions, Side,
};
use crate::model::FileId;
use crate::model::index::field_text;
use crate::syntax::{Document, Provision, walk_provisions};

/// The first declaration of each document id in the side's files, in
/// file order.
pub(super) fn declared<'a>(side: Side<'a>) -> Vec<(FileId, &'a Document)> {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut out = Vec::new();
    for &file in side.files {
        for doc in &side.workspace.file(file).parse.ast.documents {
            if seen.insert(doc.id.text.as_str()) {
                out.push((file, doc));
            }
        }
    }
    out
}

/// The provisions of a document at any depth, the first of each id.
fn provisions(doc: &Document) -> Vec<&Provision> {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut out = Vec::new();
    walk_provisions(&doc.clauses, &doc.provisions, &mut |p| {
        if seen.insert(p.id.text.as_str()) {
            out.push(p);
        }
    });
    out
}

fn provision_view(p: &Provision) -> View<'_> {
    fields::view(
        &p.fields,
        &[("title", p.title.as_ref().map(|t| t.value.as_str()))],
    )
}

/// The text of a block.
fn block_text<'a>(side: Side<'a>, file: FileId, doc: &Document) -> Option<&'a str> {
    side.workspace.file(file).text.get(doc.range.clone())
}

fn entry(side: Side, file: FileId, doc: &Document) -> DocumentEntry {
    DocumentEntry {
        id: doc.id.text.to_string(),
        title: field_text(&doc.fields, "title").map(str::to_string),
        location: side.locate(file, doc.id.range().start),
        provisions: provisions(doc).len(),
    }
}

/// `renames`: the documents renamed (old id → new id), compared under
/// their two ids.
pub(super) fn compare(base: Side, head: Side, renames: &Renames) -> Documents {
    let old = declared(base);
    let new = declared(head);
    let new_by_id: FxHashMap<&str, (FileId, &Document)> = new
        .iter()
        .map(|&(f, d)| (d.id.text.as_str(), (f, d)))
        .collect();
    let old_ids: rustc_hash::FxHashSet<&str> =
        old.iter().map(|(_, d)| d.id.text.as_str()).collect();
    let mut out = Documents::default();
    let renamed_to: rustc_hash::FxHashSet<&str> = renames.values().copied().collect();
    for &(bf, bd) in &old {
        if let Some(to) = renames.get(bd.id.text.as_str())
            && let Some(&(hf, hd)) = new_by_id.get(to)
        {
            out.renamed.push(DocumentRename {
                from: bd.id.text.to_string(),
                to: to.to_string(),
                base: base.locate(bf, bd.id.range().start),
                head: head.locate(hf, hd.id.range().start),
                fields: fields::changes(
                    &fields::view(&bd.fields, &[]),
                    &fields::view(&hd.fields, &[]),
                ),
                provisions: compare_provisions(base, bf, bd, head, hf, hd),
            });
            continue;
        }
        let Some(&(hf, hd)) = new_by_id.get(bd.id.text.as_str()) else {
            out.removed.push(entry(base, bf, bd));
            continue;
        };
        // Unchanged text: nothing to compare.
        if block_text(base, bf, bd) == block_text(head, hf, hd) {
            continue;
        }
        let fields = fields::changes(
            &fields::view(&bd.fields, &[]),
            &fields::view(&hd.fields, &[]),
        );
        let provisions = compare_provisions(base, bf, bd, head, hf, hd);
        if !fields.is_empty() || !provisions.is_empty() {
            out.changed.push(DocumentChange {
                id: bd.id.text.to_string(),
                base: base.locate(bf, bd.id.range().start),
                head: head.locate(hf, hd.id.range().start),
                fields,
                provisions,
            });
        }
    }
    for &(hf, hd) in &new {
        let id = hd.id.text.as_str();
        if !old_ids.contains(id) && !renamed_to.contains(id) {
            out.added.push(entry(head, hf, hd));
        }
    }
    out.added.sort_by(|a, b| a.id.cmp(&b.id));
    out.removed.sort_by(|a, b| a.id.cmp(&b.id));
    out.changed.sort_by(|a, b| a.id.cmp(&b.id));
    out.renamed.sort_by(|a, b| a.from.cmp(&b.from));
    out
}

fn compare_provisions(
    base: Side,
    bf: FileId,
    bd: &Document,
    head: Side,
    hf: FileId,
    hd: &Document,
) -> Provisions {
    let old = provisions(bd);
    let new = provisions(hd);
    let new_by_id: FxHashMap<&str, &Provision> =
        new.iter().map(|p| (p.id.text.as_str(), *p)).collect();
    let old_ids: rustc_hash::FxHashSet<&str> = old.iter().map(|p| p.id.text.as_str()).collect();
    let mut out = Provisions::default();
    let at = |side: Side, f: FileId, p: &Provision| ProvisionEntry {
        id: p.id.text.to_string(),
        location: side.locate(f, p.id.range().start),
    };
    for bp in &old {
        match new_by_id.get(bp.id.text.as_str()) {
            None => out.removed.push(at(base, bf, bp)),
            Some(hp) => {
                let fields = fields::changes(&provision_view(bp), &provision_view(hp));
                if !fields.is_empty() {
                    out.changed.push(ProvisionChange {
                        id: bp.id.text.to_string(),
                        base: base.locate(bf, bp.id.range().start),
                        head: head.locate(hf, hp.id.range().start),
                        fields,
                    });
                }
            }
        }
    }
    for hp in &new {
        if !old_ids.contains(hp.id.text.as_str()) {
            out.added.push(at(head, hf, hp));
        }
    }
    out
}
