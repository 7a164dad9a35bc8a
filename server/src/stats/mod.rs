//! Coverage statistics: pure functions over the model.
//!
//! What counts (docs/cli.md, "xwalk stats", says the same):
//!
//! * A **mapping** is one source → target pair of a `map` in the files
//!   asked for. Mappings with relation `no-relationship` record a pair that
//!   was examined and rejected: they are counted apart and cover nothing.
//! * A **target document** is a catalogued document (one that declares
//!   provisions, in the workspace or built in) that at least one counted
//!   mapping points into. Uncatalogued targets have no provision list, so
//!   they have no coverage to measure.
//! * A mapping to a **provision** counts for that provision; a mapping to a
//!   **clause** counts for every provision in the clause, at any depth
//!   ("via clause"). A **gap** is a provision of a target document with no
//!   mapping either way. Gaps are counted apart by the provision's status
//!   (`M …` mandatory, `R …` recommended; see [`crate::model::status`])
//!   where the catalog gives one.
//! * The **organisation** of a mapping is the `publisher` of its source
//!   document, or the document id when the document has no publisher (or
//!   is not declared).
//! * Per **source document**, mappings are grouped by **target clause**:
//!   the innermost clause holding the target provision, the clause itself
//!   for a clause target, the provision itself when it is in no clause.
//!
//! The CLI renders [`Stats`] as text, Markdown or JSON (`xwalk stats`).

mod render;
pub mod views;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::model::index::{DocumentInfo, EndpointKey, Mapping};
use crate::model::status::{self, Level};
use crate::model::{FileId, Workspace};

/// The relation that records a rejected pair; such mappings cover nothing.
pub const NO_RELATIONSHIP: &str = "no-relationship";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub totals: Totals,
    /// Target documents, by id.
    pub targets: Vec<TargetDocument>,
    /// Source documents, by id.
    pub sources: Vec<SourceDocument>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Every source → target pair in the files asked for.
    pub mappings: usize,
    /// Of which `no-relationship` (not counted anywhere else).
    pub no_relationship: usize,
    pub source_documents: usize,
    pub organisations: usize,
    /// Provisions of the target documents, and how many have a mapping.
    pub target_provisions: usize,
    pub covered: usize,
    pub gaps: usize,
    /// Of the gaps, those whose status is mandatory (`M …`) and
    /// recommended (`R …`); the others have no status.
    pub mandatory_gaps: usize,
    pub recommended_gaps: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TargetDocument {
    pub id: String,
    pub title: Option<String>,
    /// Every provision, in source order.
    pub provisions: Vec<ProvisionCoverage>,
    /// Provisions with at least one mapping (direct or via a clause).
    pub covered: usize,
    /// Ids of the provisions with none, in source order.
    pub gaps: Vec<String>,
    /// How many of the gaps are mandatory and recommended.
    pub mandatory_gaps: usize,
    pub recommended_gaps: usize,
}

impl TargetDocument {
    /// The gaps of one level (`None`: those without a status), in order.
    pub fn gaps_of(&self, level: Option<Level>) -> Vec<&str> {
        self.provisions
            .iter()
            .filter(|p| p.is_gap() && p.level() == level)
            .map(|p| p.id.as_str())
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProvisionCoverage {
    pub id: String,
    /// The innermost clause holding it.
    pub clause: Option<String>,
    /// Mappings that name this provision.
    pub mappings: usize,
    /// Mappings that name a clause holding it.
    pub via_clause: usize,
    /// Distinct organisations behind those mappings, sorted.
    pub organisations: Vec<String>,
    /// Its status as printed (`M`, `R C (3)`, ...), when the catalog gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl ProvisionCoverage {
    pub fn is_gap(&self) -> bool {
        self.mappings + self.via_clause == 0
    }

    pub fn level(&self) -> Option<Level> {
        self.status.as_deref().and_then(status::level)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceDocument {
    pub id: String,
    pub organisation: String,
    /// Its counted mappings (not `no-relationship`).
    pub mappings: usize,
    /// Mappings per target clause, by target document and then in the
    /// target's source order.
    pub by_target: Vec<ClauseCount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClauseCount {
    pub document: String,
    /// The target clause (or provision in no clause, or the id as written
    /// for an uncatalogued document).
    pub clause: String,
    pub title: Option<String>,
    pub mappings: usize,
}

/// The organisation behind a source document.
pub fn organisation(ws: &Workspace, document: &str) -> String {
    ws.index
        .document(document)
        .and_then(|d| d.publisher.clone())
        .unwrap_or_else(|| document.to_string())
}

/// Statistics over the mappings of `files` (all the workspace's own files
/// when `None`).
pub fn compute(ws: &Workspace, files: Option<&[FileId]>) -> Stats {
    let mappings: Vec<&Mapping> = ws
        .mappings()
        .filter(|(file, _)| files.is_none_or(|f| f.contains(file)))
        .map(|(_, m)| m)
        .collect();
    let counted: Vec<&Mapping> = mappings
        .iter()
        .copied()
        .filter(|m| m.relation != NO_RELATIONSHIP)
        .collect();
    let mut stats = Stats {
        totals: Totals {
            mappings: mappings.len(),
            no_relationship: mappings.len() - counted.len(),
            ..Totals::default()
        },
        ..Stats::default()
    };

    // Target documents: catalogued documents that a counted mapping names.
    let target_ids: BTreeSet<&str> = counted
        .iter()
        .map(|m| m.target_key.document.as_str())
        .filter(|d| {
            ws.index
                .document(d)
                .is_some_and(DocumentInfo::is_catalogued)
        })
        .collect();
    for id in target_ids {
        let doc = ws.index.document(id).expect("filtered above");
        let target = target_document(ws, doc, &counted);
        stats.totals.target_provisions += target.provisions.len();
        stats.totals.covered += target.covered;
        stats.totals.gaps += target.gaps.len();
        stats.totals.mandatory_gaps += target.mandatory_gaps;
        stats.totals.recommended_gaps += target.recommended_gaps;
        stats.targets.push(target);
    }

    let mut by_source: BTreeMap<&str, Vec<&Mapping>> = BTreeMap::new();
    for m in &counted {
        by_source
            .entry(m.source.document.as_str())
            .or_default()
            .push(m);
    }
    let mut organisations = BTreeSet::new();
    for (id, list) in by_source {
        let organisation = organisation(ws, id);
        organisations.insert(organisation.clone());
        stats.sources.push(SourceDocument {
            id: id.to_string(),
            organisation,
            mappings: list.len(),
            by_target: by_target_clause(ws, &list),
        });
    }
    stats.totals.source_documents = stats.sources.len();
    stats.totals.organisations = organisations.len();
    stats
}

fn target_document(ws: &Workspace, doc: &DocumentInfo, counted: &[&Mapping]) -> TargetDocument {
    // The chain of clauses holding each clause: a mapping to a clause
    // counts for the provisions of its sub-clauses too.
    let parents = clause_parents(ws, doc);
    let mut direct: HashMap<&str, usize> = HashMap::new();
    let mut via: HashMap<&str, usize> = HashMap::new();
    let mut orgs: HashMap<&str, BTreeSet<String>> = HashMap::new();
    let mut clause_orgs: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for m in counted.iter().filter(|m| m.target_key.document == doc.id) {
        let Some(id) = m.target_key.id.as_deref() else {
            continue;
        };
        let org = organisation(ws, &m.source.document);
        if doc.provision(id).is_some() {
            *direct.entry(id).or_default() += 1;
            orgs.entry(id).or_default().insert(org);
        } else if doc.clause(id).is_some() {
            *via.entry(id).or_default() += 1;
            clause_orgs.entry(id).or_default().insert(org);
        }
    }
    let mut provisions = Vec::with_capacity(doc.provisions.len());
    let mut seen = BTreeSet::new();
    for p in &doc.provisions {
        if !seen.insert(p.id.as_str()) {
            continue; // a duplicate id: counted once, as the index resolves it
        }
        let mut organisations = orgs.get(p.id.as_str()).cloned().unwrap_or_default();
        let mut via_clause = 0;
        let mut clause = p.clause.as_deref();
        while let Some(c) = clause {
            via_clause += via.get(c).copied().unwrap_or(0);
            if let Some(o) = clause_orgs.get(c) {
                organisations.extend(o.iter().cloned());
            }
            clause = parents.get(c).copied().flatten();
        }
        provisions.push(ProvisionCoverage {
            id: p.id.clone(),
            clause: p.clause.clone(),
            mappings: direct.get(p.id.as_str()).copied().unwrap_or(0),
            via_clause,
            organisations: organisations.into_iter().collect(),
            status: p.status.clone(),
        });
    }
    let gaps: Vec<String> = provisions
        .iter()
        .filter(|p| p.is_gap())
        .map(|p| p.id.clone())
        .collect();
    let level_gaps = |level| {
        provisions
            .iter()
            .filter(|p| p.is_gap() && p.level() == Some(level))
            .count()
    };
    TargetDocument {
        id: doc.id.clone(),
        title: doc.title.clone(),
        covered: provisions.len() - gaps.len(),
        mandatory_gaps: level_gaps(Level::Mandatory),
        recommended_gaps: level_gaps(Level::Recommended),
        provisions,
        gaps,
    }
}

/// Each clause of a document → the clause holding it (None at the top).
pub fn clause_parents<'w>(
    ws: &'w Workspace,
    doc: &DocumentInfo,
) -> HashMap<&'w str, Option<&'w str>> {
    fn walk<'w>(
        clauses: &'w [crate::syntax::Clause],
        parent: Option<&'w str>,
        out: &mut HashMap<&'w str, Option<&'w str>>,
    ) {
        for c in clauses {
            out.entry(c.id.text.as_str()).or_insert(parent);
            walk(&c.clauses, Some(&c.id.text), out);
        }
    }
    let mut out = HashMap::new();
    let file = ws.file(doc.decl.file);
    if let Some(d) = file.parse.ast.documents.get(doc.decl.index) {
        walk(&d.clauses, None, &mut out);
    }
    out
}

/// A source document's mappings grouped by target clause.
fn by_target_clause(ws: &Workspace, mappings: &[&Mapping]) -> Vec<ClauseCount> {
    // Key: (document, position in the target, clause) so that clauses come
    // in the target's order; uncatalogued targets sort by id.
    let mut counts: BTreeMap<(String, usize, String), (Option<String>, usize)> = BTreeMap::new();
    for m in mappings {
        let (position, clause, title) = target_clause(ws, &m.target_key);
        let entry = counts
            .entry((m.target_key.document.clone(), position, clause))
            .or_insert((title, 0));
        entry.1 += 1;
    }
    counts
        .into_iter()
        .map(|((document, _, clause), (title, mappings))| ClauseCount {
            document,
            clause,
            title,
            mappings,
        })
        .collect()
}

/// The clause a target counts under, its position in the target document
/// (for ordering) and its title.
fn target_clause(ws: &Workspace, key: &EndpointKey) -> (usize, String, Option<String>) {
    let id = key.id.clone().unwrap_or_default();
    let Some(doc) = ws
        .index
        .document(&key.document)
        .filter(|d| d.is_catalogued())
    else {
        return (usize::MAX, id, None);
    };
    let clause_of = |c: &str| {
        doc.clause(c)
            .map(|info| (info.id_range.start, c.to_string(), info.title.clone()))
    };
    if let Some(p) = doc.provision(&id) {
        return match p.clause.as_deref().and_then(clause_of) {
            Some(found) => found,
            None => (p.id_range.start, p.id.clone(), p.title.clone()),
        };
    }
    clause_of(&id).unwrap_or((usize::MAX, id, None))
}

pub use render::{markdown, text};

#[cfg(test)]
mod tests;
