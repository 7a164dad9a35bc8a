//! Measuring the engine like a retrieval system, and reviewing existing
//! mappings against it.
//!
//! The evaluation leaves one source document out at a time: for each map
//! of the workspace with a text for its source (its excerpt, or the source
//! provision's `text`), it ranks the target's candidates with that
//! document's mappings (and the correspondences touching it) kept out of
//! the evidence, and looks for what the curators mapped. The labels are
//! the map's targets in the target document, or, when the map targets
//! none there, where its targets lead through the correspondences (CoP
//! guideline N → EN 303 645 clause 5.N): then a candidate counts as a hit
//! when it is the labelled clause or a provision in it.

use rayon::prelude::*;
use serde::Serialize;

use super::sources::{Item, mapped_items};
use super::targets::{self, Target};
use super::{Request, Suggestion, Weights, rank_in};
use crate::model::Workspace;

/// Hit rates at 1, 3 and 5 and the mean reciprocal rank, over items.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    pub items: usize,
    pub hit_at_1: f64,
    pub hit_at_3: f64,
    pub hit_at_5: f64,
    pub mrr: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentScores {
    pub document: String,
    #[serde(flatten)]
    pub scores: Scores,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    pub target: String,
    pub documents: usize,
    #[serde(flatten)]
    pub scores: Scores,
    pub per_document: Vec<DocumentScores>,
}

/// The labels of an item: candidates of the target, and whether a
/// provision inside a labelled clause counts.
fn labels(target: &Target, links: &targets::Links, item: &Item) -> (Vec<usize>, bool) {
    let Some((_, map)) = item.map else {
        return (Vec::new(), false);
    };
    let direct: Vec<usize> = map
        .targets
        .iter()
        .filter_map(|t| match t.key() {
            (d, Some(id)) if d == target.document => target.candidate(id),
            _ => None,
        })
        .collect();
    if !direct.is_empty() {
        return (direct, false);
    }
    let mut through = Vec::new();
    for t in &map.targets {
        if let (d, Some(id)) = t.key() {
            through.extend(
                target
                    .routes(links, d, id, None)
                    .into_iter()
                    .map(|r| r.candidate),
            );
        }
    }
    through.sort_unstable();
    through.dedup();
    (through, true)
}

/// The 1-based rank of the first hit, if any.
fn first_hit(
    target: &Target,
    ranked: &[Suggestion],
    labels: &[usize],
    within: bool,
) -> Option<usize> {
    let ids: Vec<&str> = labels
        .iter()
        .map(|&c| target.candidates[c].id.as_str())
        .collect();
    ranked
        .iter()
        .position(|s| {
            ids.contains(&s.id.as_str())
                || (within
                    && !s.is_clause
                    && target
                        .candidate(&s.id)
                        .and_then(|c| target.candidates[c].clause.as_deref())
                        .is_some_and(|clause| ids.contains(&clause)))
        })
        .map(|i| i + 1)
}

fn scores(ranks: &[Option<usize>]) -> Scores {
    let n = ranks.len();
    let rate = |k: usize| {
        if n == 0 {
            0.0
        } else {
            round(ranks.iter().filter(|r| r.is_some_and(|r| r <= k)).count() as f64 / n as f64)
        }
    };
    let mrr = if n == 0 {
        0.0
    } else {
        round(
            ranks
                .iter()
                .map(|r| r.map_or(0.0, |r| 1.0 / r as f64))
                .sum::<f64>()
                / n as f64,
        )
    };
    Scores {
        items: n,
        hit_at_1: rate(1),
        hit_at_3: rate(3),
        hit_at_5: rate(5),
        mrr,
    }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Leave-one-document-out evaluation onto `target`; `None` when it is not
/// a catalogued document.
pub fn evaluate(ws: &Workspace, target: &str, weights: Weights) -> Option<Evaluation> {
    let t = targets::target(ws, target, weights.guidance)?;
    let directory = super::directory::of(ws);
    let links = &directory.links;
    let items: Vec<(Item, Vec<usize>, bool)> = mapped_items(ws)
        .into_iter()
        .filter(|it| it.source.document != target)
        .map(|it| {
            let (l, within) = labels(&t, links, &it);
            (it, l, within)
        })
        .filter(|(_, l, _)| !l.is_empty())
        .collect();
    let ranks: Vec<Option<usize>> = items
        .par_iter()
        .map(|(it, l, within)| {
            let req = Request {
                text: &it.text,
                target,
                exclude: Some(&it.source.document),
                weights,
            };
            first_hit(&t, &rank_in(ws, &t, links, &req), l, *within)
        })
        .collect();
    let mut documents: Vec<&str> = items
        .iter()
        .map(|(it, _, _)| it.source.document.as_str())
        .collect();
    documents.sort_unstable();
    documents.dedup();
    let per_document = documents
        .iter()
        .map(|&d| {
            let r: Vec<Option<usize>> = items
                .iter()
                .zip(&ranks)
                .filter(|((it, _, _), _)| it.source.document == d)
                .map(|(_, r)| *r)
                .collect();
            DocumentScores {
                document: d.to_string(),
                scores: scores(&r),
            }
        })
        .collect();
    Some(Evaluation {
        target: target.to_string(),
        documents: documents.len(),
        scores: scores(&ranks),
        per_document,
    })
}

/// An existing mapping the engine disagrees with.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub file: crate::model::FileId,
    pub range: crate::syntax::TextRange,
    pub source: String,
    /// The mapped target's id and its rank (none: no score at all).
    pub mapped: String,
    pub rank: Option<usize>,
    pub best: Suggestion,
}

/// A suggestion at least this strong makes a lowly ranked mapping worth
/// a look.
pub const STRONG: f64 = 0.5;

/// The maps onto `target` whose target ranks below the `top` best while
/// the best candidate scores at least [`STRONG`] (each with its own
/// document's mappings left out, as in the evaluation).
pub fn review(ws: &Workspace, target: &str, top: usize, weights: Weights) -> Vec<Finding> {
    let Some(t) = targets::target(ws, target, weights.guidance) else {
        return Vec::new();
    };
    let directory = super::directory::of(ws);
    let links = &directory.links;
    let items: Vec<Item> = mapped_items(ws)
        .into_iter()
        .filter(|it| it.source.document != target)
        .collect();
    items
        .par_iter()
        .flat_map_iter(|it| {
            let Some((file, map)) = it.map else {
                return Vec::new();
            };
            let req = Request {
                text: &it.text,
                target,
                exclude: Some(&it.source.document),
                weights,
            };
            let ranked = rank_in(ws, &t, links, &req);
            let Some(best) = ranked.first().filter(|b| b.score >= STRONG) else {
                return Vec::new();
            };
            map.targets
                .iter()
                .filter_map(|tg| match tg.key() {
                    (d, Some(id)) if d == target && t.candidate(id).is_some() => {
                        let rank = ranked.iter().position(|s| s.id == id).map(|i| i + 1);
                        rank.is_none_or(|r| r > top).then(|| Finding {
                            file,
                            range: tg.range(),
                            source: it.source.to_string(),
                            mapped: id.to_string(),
                            rank,
                            best: best.clone(),
                        })
                    }
                    _ => None,
                })
                .collect()
        })
        .collect()
}
