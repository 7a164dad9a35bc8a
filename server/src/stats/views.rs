//! Views of [`Stats`] for the published site (`xwalk site`): the matrix of
//! source documents × target clauses, the consensus per target provision
//! and the changelog by `added` version. Pure functions, sorted output.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{NO_RELATIONSHIP, Stats};
use crate::model::index::field_text;
use crate::model::{FileId, Workspace};

/// Source documents (rows) × target clauses (columns), the number of
/// mappings in each cell.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Matrix {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Column {
    pub document: String,
    pub clause: String,
    pub title: Option<String>,
    /// Mappings in this column, over every row.
    pub mappings: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    pub source: String,
    pub organisation: String,
    /// One count per column.
    pub counts: Vec<usize>,
    pub mappings: usize,
}

/// The position of `id` (a clause or provision) in the catalogued target
/// document, for ordering; `usize::MAX` when unknown.
fn position(ws: &Workspace, document: &str, id: &str) -> usize {
    let Some(doc) = ws.index.document(document) else {
        return usize::MAX;
    };
    doc.clause(id)
        .map(|c| c.id_range.start)
        .or_else(|| doc.provision(id).map(|p| p.id_range.start))
        .unwrap_or(usize::MAX)
}

/// The matrix of `stats`: columns by target document id, then in the
/// target's order (unknown ids last, by id); rows by organisation, then
/// source document id.
pub fn matrix(ws: &Workspace, stats: &Stats) -> Matrix {
    let mut keys: BTreeMap<(String, usize, String), Option<String>> = BTreeMap::new();
    for s in &stats.sources {
        for c in &s.by_target {
            let pos = position(ws, &c.document, &c.clause);
            keys.entry((c.document.clone(), pos, c.clause.clone()))
                .or_insert_with(|| c.title.clone());
        }
    }
    let mut columns: Vec<Column> = keys
        .into_iter()
        .map(|((document, _, clause), title)| Column {
            document,
            clause,
            title,
            mappings: 0,
        })
        .collect();
    let index: BTreeMap<(&str, &str), usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| ((c.document.as_str(), c.clause.as_str()), i))
        .collect();
    let mut rows: Vec<Row> = stats
        .sources
        .iter()
        .map(|s| {
            let mut counts = vec![0; index.len()];
            for c in &s.by_target {
                counts[index[&(c.document.as_str(), c.clause.as_str())]] += c.mappings;
            }
            Row {
                source: s.id.clone(),
                organisation: s.organisation.clone(),
                counts,
                mappings: s.mappings,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        a.organisation
            .cmp(&b.organisation)
            .then_with(|| a.source.cmp(&b.source))
    });
    for row in &rows {
        for (i, n) in row.counts.iter().enumerate() {
            columns[i].mappings += n;
        }
    }
    Matrix { columns, rows }
}

/// How many independent organisations support one target provision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Consensus {
    pub document: String,
    pub provision: String,
    /// Distinct organisations behind its mappings (direct or via a clause).
    pub organisations: usize,
    /// Its mappings, direct and via a clause.
    pub mappings: usize,
}

/// Every provision of every target document, most organisations first;
/// ties by target document, then the target's order. Gaps (no
/// organisation) come last.
pub fn consensus(stats: &Stats) -> Vec<Consensus> {
    let mut out: Vec<(usize, Consensus)> = Vec::new();
    for t in &stats.targets {
        for (i, p) in t.provisions.iter().enumerate() {
            out.push((
                i,
                Consensus {
                    document: t.id.clone(),
                    provision: p.id.clone(),
                    organisations: p.organisations.len(),
                    mappings: p.mappings + p.via_clause,
                },
            ));
        }
    }
    out.sort_by(|(ia, a), (ib, b)| {
        b.organisations
            .cmp(&a.organisations)
            .then_with(|| a.document.cmp(&b.document))
            .then_with(|| ia.cmp(ib))
    });
    out.into_iter().map(|(_, c)| c).collect()
}

/// The mappings added at one version (the `added` field of their `map`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Added {
    /// The `added` value; `None` for mappings without one.
    pub version: Option<String>,
    pub mappings: usize,
    /// Mappings per source document, by id.
    pub documents: Vec<(String, usize)>,
}

/// Natural order of version labels and ids: runs of digits compare as
/// numbers, runs of letters as text, anything else separates (`2` < `10`,
/// `1.2` < `1.10`, `GP-TM-9` < `GP-TM-23`, `A9` < `A10`); a number comes
/// before a word, and a label that is a prefix of another first. Labels
/// equal in this order compare as plain text, so that it is total.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    fn parts(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = None;
        let mut digits = false;
        for (i, c) in s.char_indices() {
            let kind = if c.is_ascii_digit() {
                Some(true)
            } else if c.is_alphanumeric() {
                Some(false)
            } else {
                None
            };
            match (start, kind) {
                (Some(st), Some(d)) if d != digits => {
                    out.push(&s[st..i]);
                    start = Some(i);
                    digits = d;
                }
                (Some(_), Some(_)) => {}
                (Some(st), None) => {
                    out.push(&s[st..i]);
                    start = None;
                }
                (None, Some(d)) => {
                    start = Some(i);
                    digits = d;
                }
                (None, None) => {}
            }
        }
        if let Some(st) = start {
            out.push(&s[st..]);
        }
        out
    }
    let (pa, pb) = (parts(a), parts(b));
    for (x, y) in pa.iter().zip(&pb) {
        let number = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let o = match (number(x), number(y)) {
            (true, true) => {
                // Any length: compare without leading zeros, then by length.
                let (tx, ty) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty))
            }
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => x.to_lowercase().cmp(&y.to_lowercase()),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    pa.len().cmp(&pb.len()).then_with(|| a.cmp(b))
}

/// The counted mappings (not `no-relationship`) of `files` (all the
/// workspace's own files when `None`) by `added` version: newest version
/// first, mappings without a version last.
pub fn changelog(ws: &Workspace, files: Option<&[FileId]>) -> Vec<Added> {
    let mut by: BTreeMap<Option<String>, BTreeMap<String, usize>> = BTreeMap::new();
    for (file, m) in ws.mappings() {
        if files.is_some_and(|f| !f.contains(&file)) || m.relation == NO_RELATIONSHIP {
            continue;
        }
        let fields = &ws.file(file).parse.ast.maps[m.map].fields;
        let version = field_text(fields, "added").map(str::to_string);
        *by.entry(version)
            .or_default()
            .entry(m.source.document.clone())
            .or_default() += 1;
    }
    let mut out: Vec<Added> = by
        .into_iter()
        .map(|(version, docs)| Added {
            version,
            mappings: docs.values().sum(),
            documents: docs.into_iter().collect(),
        })
        .collect();
    out.sort_by(|a, b| match (&a.version, &b.version) {
        (Some(x), Some(y)) => compare_versions(y, x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    out
}

/// The organisations behind the counted mappings, sorted.
pub fn organisations(stats: &Stats) -> BTreeSet<&str> {
    stats
        .sources
        .iter()
        .map(|s| s.organisation.as_str())
        .collect()
}
