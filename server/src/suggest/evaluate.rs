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

use super::calibration::{self, Features};
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

/// How well the calibrated scores ([`Suggestion::confidence`]) match the
/// rate at which the candidates are right, over the best
/// [`CALIBRATED_TOP`] candidates of every item.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Calibration {
    /// The candidates scored.
    pub candidates: usize,
    /// Their expected calibration error ([`calibration::ece`]).
    pub ece: f64,
    /// The mean confidence and the share that are right.
    pub mean_confidence: f64,
    pub accepted: f64,
    /// The items with a candidate at or above the threshold, and the
    /// share of those whose best candidate is right.
    pub confident_items: usize,
    pub confident_hit_at_1: f64,
}

/// How many of each item's best candidates the calibration is measured on
/// (and fitted on): as many as `xwalk suggest` shows by default.
pub const CALIBRATED_TOP: usize = 5;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    pub target: String,
    pub documents: usize,
    #[serde(flatten)]
    pub scores: Scores,
    pub calibration: Calibration,
    pub per_document: Vec<DocumentScores>,
}

/// The labels of an item: candidates of the target, and whether a
/// provision inside a labelled clause counts.
fn labels(target: &Target, item: &Item) -> (Vec<usize>, bool) {
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
            through.extend(target.routes(d, id, None).into_iter().map(|r| r.candidate));
        }
    }
    through.sort_unstable();
    through.dedup();
    (through, true)
}

/// Whether each candidate is a hit: a labelled one, or (`within`) a
/// provision of a labelled clause.
fn hits(target: &Target, ranked: &[Suggestion], labels: &[usize], within: bool) -> Vec<bool> {
    let ids: Vec<&str> = labels
        .iter()
        .map(|&c| target.candidates[c].id.as_str())
        .collect();
    ranked
        .iter()
        .map(|s| {
            ids.contains(&s.id.as_str())
                || (within
                    && !s.is_clause
                    && target
                        .candidate(&s.id)
                        .and_then(|c| target.candidates[c].clause.as_deref())
                        .is_some_and(|clause| ids.contains(&clause)))
        })
        .collect()
}

/// One item's outcome: the 1-based rank of the first hit, and the best
/// [`CALIBRATED_TOP`] candidates' features, confidence and whether each
/// is a hit.
struct Outcome {
    rank: Option<usize>,
    top: Vec<(Features, f64, bool)>,
    /// The document of the item, and every candidate's raw score,
    /// features and whether it is a hit (for `--evaluate --dump`).
    document: String,
    all: Vec<(f64, Features, bool)>,
}

/// One item's ranked candidates as the evaluation saw them, for studying
/// the calibration outside (`xwalk suggest --evaluate --dump`, hidden).
#[derive(Serialize)]
pub struct Dumped {
    pub document: String,
    /// Raw score, features, hit; best first.
    pub candidates: Vec<(f64, Features, bool)>,
}

/// Every labelled item onto `target` with its ranked candidates (at most
/// `top` of them).
pub fn dump(ws: &Workspace, target: &str, top: usize) -> Vec<Dumped> {
    outcomes(ws, target, Weights::DEFAULT)
        .map(|(_, o)| {
            o.into_iter()
                .map(|o| Dumped {
                    document: o.document,
                    candidates: o.all.into_iter().take(top).collect(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn calibration_of(outcomes: &[Outcome]) -> Calibration {
    let pairs: Vec<(f64, bool)> = outcomes
        .iter()
        .flat_map(|o| o.top.iter().map(|&(_, p, y)| (p, y)))
        .collect();
    let n = pairs.len().max(1) as f64;
    let confident: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.top.first().is_some_and(|t| t.1 >= calibration::THRESHOLD))
        .collect();
    Calibration {
        candidates: pairs.len(),
        ece: round(calibration::ece(&pairs)),
        mean_confidence: round(pairs.iter().map(|p| p.0).sum::<f64>() / n),
        accepted: round(pairs.iter().filter(|p| p.1).count() as f64 / n),
        confident_items: confident.len(),
        confident_hit_at_1: round(
            confident.iter().filter(|o| o.rank == Some(1)).count() as f64
                / confident.len().max(1) as f64,
        ),
    }
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

/// Each labelled item onto `target`, ranked with its own document left
/// out; `None` when `target` is not a catalogued document.
/// A labelled item, its gold candidates, and whether a provision inside a
/// labelled clause counts (see `labels`).
type Labelled<'a> = (Item<'a>, Vec<usize>, bool);

fn outcomes<'a>(
    ws: &'a Workspace,
    target: &str,
    weights: Weights,
) -> Option<(Vec<Labelled<'a>>, Vec<Outcome>)> {
    let t = targets::target(ws, target, weights.guidance)?;
    let items: Vec<(Item, Vec<usize>, bool)> = mapped_items(ws)
        .into_iter()
        .filter(|it| it.source.document != target)
        .map(|it| {
            let (l, within) = labels(&t, &it);
            (it, l, within)
        })
        .filter(|(_, l, _)| !l.is_empty())
        .collect();
    let outcomes: Vec<Outcome> = items
        .par_iter()
        .map(|(it, l, within)| {
            let req = Request {
                text: &it.text,
                target,
                exclude: Some(&it.source.document),
                weights,
            };
            let ranked = rank_in(ws, &t, &req).candidates;
            let hits = hits(&t, &ranked, l, *within);
            Outcome {
                rank: hits.iter().position(|&h| h).map(|i| i + 1),
                top: ranked
                    .iter()
                    .zip(&hits)
                    .take(CALIBRATED_TOP)
                    .map(|(s, &h)| (s.features, s.confidence, h))
                    .collect(),
                document: it.source.document.clone(),
                all: ranked
                    .iter()
                    .zip(&hits)
                    .take(30)
                    .map(|(s, &h)| (s.score, s.features, h))
                    .collect(),
            }
        })
        .collect();
    Some((items, outcomes))
}

/// The rows the calibration is fitted on: the best [`CALIBRATED_TOP`]
/// candidates of every labelled item onto each of `targets`, ranked with
/// the item's document left out, and whether each is right.
/// Each target counts twice: as it is, and as if no mapping reached it
/// ([`Weights::UNREACHED`]), so that the calibration also knows what a
/// candidate is worth on a target with no curated mappings (the engine
/// then has only the words).
pub fn calibration_rows(ws: &Workspace, targets: &[&str]) -> Vec<(Features, bool)> {
    [Weights::DEFAULT, Weights::UNREACHED]
        .iter()
        .flat_map(|&w| targets.iter().filter_map(move |t| outcomes(ws, t, w)))
        .flat_map(|(_, o)| o)
        .flat_map(|o| o.top.into_iter().map(|(f, _, y)| (f, y)))
        .collect()
}

/// What abstaining below each of `thresholds` would do onto `target`: for
/// each, the items whose best candidate reaches it, the share of those
/// whose best is right, and the share of the others whose best is right
/// (what abstaining loses).
pub fn abstention(ws: &Workspace, target: &str, thresholds: &[f64]) -> Vec<(f64, usize, f64, f64)> {
    let Some((_, outcomes)) = outcomes(ws, target, Weights::DEFAULT) else {
        return Vec::new();
    };
    thresholds
        .iter()
        .map(|&t| {
            let (kept, dropped): (Vec<&Outcome>, Vec<&Outcome>) = outcomes
                .iter()
                .partition(|o| o.top.first().is_some_and(|c| c.1 >= t));
            let right = |v: &[&Outcome]| {
                round(v.iter().filter(|o| o.rank == Some(1)).count() as f64 / v.len().max(1) as f64)
            };
            (t, kept.len(), right(&kept), right(&dropped))
        })
        .collect()
}

/// Leave-one-document-out evaluation onto `target`; `None` when it is not
/// a catalogued document.
pub fn evaluate(ws: &Workspace, target: &str, weights: Weights) -> Option<Evaluation> {
    let (items, outcomes) = outcomes(ws, target, weights)?;
    let ranks: Vec<Option<usize>> = outcomes.iter().map(|o| o.rank).collect();
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
        calibration: calibration_of(&outcomes),
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
            let ranked = rank_in(ws, &t, &req).candidates;
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
