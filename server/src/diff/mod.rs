//! The semantic diff of two workspaces (`xwalk diff`): pure functions over
//! two [`Workspace`]s, the base and the head.
//!
//! What counts (docs/cli.md, "xwalk diff", says the same):
//!
//! * A **mapping**'s identity is its source and its target (`DOC:ID ->
//!   DOC:ID`): one source → target pair of a `map`. A mapping on one side
//!   only is **added** or **removed**; a mapping on both sides whose fields
//!   differ is **changed**, with each field's value before and after. The
//!   relation is the effective one (no `relation` field is `related`);
//!   text is compared with its whitespace folded (a reflowed excerpt is the
//!   same excerpt), and a bare word is the same as a string with its text.
//!   Where a map is, which file holds it, its layout and comments, and how
//!   targets are grouped into `map` blocks are not part of a mapping.
//! * **Several mappings with one identity** on a side (the data quotes
//!   several excerpts for the same pair; the checker's `duplicate-mapping`
//!   also names exact repeats) are matched in three passes: first those
//!   whose fields are all the same, then those with the same excerpt, then
//!   the rest in source order. What is left over on one side is added or
//!   removed. So a repeat that goes away is one `removed`, and editing one
//!   of three excerpts of a pair is one `changed`.
//! * **Documents** are matched by id (the first declaration in the files
//!   compared); a document's fields (title, version, publisher, url, cites,
//!   supersedes, ...) are compared like a mapping's, and its provisions by
//!   id: added, removed, or changed in any field (text, status, ...) or in
//!   their title. Clauses are not compared.
//! * A document **renamed** (an id only in the base, another only in the
//!   head, and at least half of the old id's mappings back under the new
//!   one; with no mappings, the same title) is one rename, not a document
//!   removed and one added: its fields and provisions are compared as a
//!   changed document's, and its mappings under the new id, so only what
//!   else changed in them is added, removed or changed.
//! * **Diagnostics** are those of [`crate::check::check`] on each side, in
//!   the files compared. A diagnostic is the same on both sides when its
//!   code, message and the text it points at are: moving a block does not
//!   introduce or fix anything. One that also points at other places (a
//!   duplicate and its first occurrence) is the same when its code and the
//!   texts of all its places are, in any order: its message says which
//!   came first, which reordering swaps. Of `n` equal diagnostics in the
//!   base and `m` in the head, `m - n` are introduced (or `n - m` fixed).
//! * The **summary** counts mappings added, removed and changed per source
//!   document and per target document.

mod diagnostics;
mod documents;
mod fields;
mod mappings;
mod renames;
mod render;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{FileId, Workspace};

pub use render::{markdown, text};

/// One side of the diff: a workspace and the files of it compared (the
/// others give context: declarations, `xwalk.toml`).
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub workspace: &'a Workspace,
    pub files: &'a [FileId],
}

/// Where something is: a file as the workspace names it, and a 1-based line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
}

impl Side<'_> {
    fn locate(&self, file: FileId, offset: usize) -> Location {
        let f = self.workspace.file(file);
        Location {
            file: f.name.clone(),
            line: f.line_index().line(offset) + 1,
        }
    }
}

/// A field's value before and after (`None`: the field is not given).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A mapping on one side only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MappingEntry {
    pub source: String,
    pub target: String,
    #[serde(flatten)]
    pub location: Location,
    /// The map's fields (the relation always, `related` when not given),
    /// values joined by `, `.
    pub fields: BTreeMap<String, String>,
}

/// A mapping on both sides with different fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MappingChange {
    pub source: String,
    pub target: String,
    pub base: Location,
    pub head: Location,
    pub fields: BTreeMap<String, FieldChange>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Documents {
    pub added: Vec<DocumentEntry>,
    pub removed: Vec<DocumentEntry>,
    pub changed: Vec<DocumentChange>,
    /// Documents whose id changed (see [`renames`]); their mappings are
    /// compared under the new id.
    pub renamed: Vec<DocumentRename>,
}

/// A document whose id changed: its fields and provisions before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentRename {
    pub from: String,
    pub to: String,
    pub base: Location,
    pub head: Location,
    pub fields: BTreeMap<String, FieldChange>,
    pub provisions: Provisions,
}

/// A document on one side only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentEntry {
    pub id: String,
    pub title: Option<String>,
    #[serde(flatten)]
    pub location: Location,
    /// How many provisions it declares.
    pub provisions: usize,
}

/// A document on both sides whose fields or provisions differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentChange {
    pub id: String,
    pub base: Location,
    pub head: Location,
    pub fields: BTreeMap<String, FieldChange>,
    pub provisions: Provisions,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Provisions {
    pub added: Vec<ProvisionEntry>,
    pub removed: Vec<ProvisionEntry>,
    pub changed: Vec<ProvisionChange>,
}

impl Provisions {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProvisionEntry {
    pub id: String,
    #[serde(flatten)]
    pub location: Location,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProvisionChange {
    pub id: String,
    pub base: Location,
    pub head: Location,
    /// The provision's fields, and `title` for its title.
    pub fields: BTreeMap<String, FieldChange>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diagnostics {
    /// In the head, not in the base.
    pub introduced: Vec<DiagnosticEntry>,
    /// In the base, not in the head.
    pub fixed: Vec<DiagnosticEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiagnosticEntry {
    pub code: String,
    pub severity: String,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// Added, removed and changed mappings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.added + self.removed + self.changed
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub mappings: Counts,
    pub documents: Counts,
    pub documents_renamed: usize,
    /// Provisions of the documents on both sides.
    pub provisions: Counts,
    pub diagnostics_introduced: usize,
    pub errors_introduced: usize,
    pub diagnostics_fixed: usize,
    /// Mappings per source document id.
    pub by_source: BTreeMap<String, Counts>,
    /// Mappings per target document id.
    pub by_target: BTreeMap<String, Counts>,
}

/// The whole diff; serialises to the JSON of `xwalk diff --format json`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub added: Vec<MappingEntry>,
    pub removed: Vec<MappingEntry>,
    pub changed: Vec<MappingChange>,
    pub documents: Documents,
    pub diagnostics: Diagnostics,
    pub summary: Summary,
}

impl Diff {
    /// Nothing differs (diagnostics included).
    pub fn is_empty(&self) -> bool {
        self.summary.mappings.total() == 0
            && self.summary.documents.total() == 0
            && self.summary.documents_renamed == 0
            && self.diagnostics.introduced.is_empty()
            && self.diagnostics.fixed.is_empty()
    }
}

/// The diff from `base` to `head`. Both sides are checked (in parallel)
/// for the diagnostics.
pub fn compute(base: Side, head: Side) -> Diff {
    let renames = renames::detect(base, head);
    let ((added, removed, changed), (documents, diagnostics)) = rayon::join(
        || mappings::compare(base, head, &renames),
        || {
            rayon::join(
                || documents::compare(base, head, &renames),
                || diagnostics::compare(base, head),
            )
        },
    );
    let summary = summarise(&added, &removed, &changed, &documents, &diagnostics);
    Diff {
        added,
        removed,
        changed,
        documents,
        diagnostics,
        summary,
    }
}

/// The document part of a `DOC:ID` as the diff writes it.
pub fn document_of(endpoint: &str) -> &str {
    endpoint.split_once(':').map_or(endpoint, |(d, _)| d)
}

fn summarise(
    added: &[MappingEntry],
    removed: &[MappingEntry],
    changed: &[MappingChange],
    documents: &Documents,
    diagnostics: &Diagnostics,
) -> Summary {
    let mut s = Summary {
        mappings: Counts {
            added: added.len(),
            removed: removed.len(),
            changed: changed.len(),
        },
        documents: Counts {
            added: documents.added.len(),
            removed: documents.removed.len(),
            changed: documents.changed.len(),
        },
        documents_renamed: documents.renamed.len(),
        diagnostics_introduced: diagnostics.introduced.len(),
        errors_introduced: diagnostics
            .introduced
            .iter()
            .filter(|d| d.severity == "error")
            .count(),
        diagnostics_fixed: diagnostics.fixed.len(),
        ..Summary::default()
    };
    let provisions = documents.changed.iter().map(|d| &d.provisions);
    for p in provisions.chain(documents.renamed.iter().map(|d| &d.provisions)) {
        s.provisions.added += p.added.len();
        s.provisions.removed += p.removed.len();
        s.provisions.changed += p.changed.len();
    }
    let mut count = |source: &str, target: &str, f: fn(&mut Counts)| {
        f(s.by_source
            .entry(document_of(source).to_string())
            .or_default());
        f(s.by_target
            .entry(document_of(target).to_string())
            .or_default());
    };
    for m in added {
        count(&m.source, &m.target, |c| c.added += 1);
    }
    for m in removed {
        count(&m.source, &m.target, |c| c.removed += 1);
    }
    for m in changed {
        count(&m.source, &m.target, |c| c.changed += 1);
    }
    s
}
