//! Suggestions: which provisions or clauses of a target document a piece
//! of source text (a recommendation's excerpt, a provision's text)
//! corresponds to. Pure and deterministic: everything comes from the
//! workspace and the built-in catalogs.
//!
//! A candidate's score is a weighted sum of two parts, each between 0 and 1.
//! The *lexical* part is the candidate's BM25 score for the text (over the
//! target's provision and clause titles and text, stemmed), divided by the best
//! candidate's. The *neighbour* part looks at the excerpts of the workspace's
//! mappings closest to the text (BM25 again, the [`NEIGHBOURS`] best): each
//! votes, in proportion to the cube of its closeness relative to the closest,
//! for the targets it was mapped to, carried into the target document through
//! the known correspondences when it was mapped elsewhere (CoP guideline N → EN
//! 303 645 clause 5.N, `replaces` between editions); the part is the
//! candidate's share of the votes, and a provision also gets its clause's.
//! Mappings from the source's own document are never evidence.
//! See docs/suggest.md.

pub mod bm25;
pub mod calibration;
pub mod directory;
pub mod evaluate;
pub mod excerpts;
pub mod nearest;
pub mod sources;
pub mod targets;
pub mod text;

use std::sync::Arc;

use crate::model::Workspace;
use calibration::Features;
use targets::Target;
use text::Query;

/// How many nearest excerpts vote.
pub const NEIGHBOURS: usize = 24;

/// The weights of the two parts, and how the parts are computed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    pub lexical: f64,
    pub neighbours: f64,
    /// How many nearest excerpts vote.
    pub k: usize,
    /// A neighbour's vote is its closeness relative to the closest one,
    /// to this power.
    pub power: f64,
    /// The lexical part also reads the provisions' `guidance` and `note`.
    pub guidance: bool,
    /// Rank as if no mapping reached the target: the neighbours are found
    /// (and how close they are) but their votes are dropped. For fitting
    /// and measuring the calibration of targets without curated mappings
    /// (docs/suggest.md).
    pub unreached: bool,
}

impl Weights {
    /// Chosen on the shipped data (docs/suggest.md).
    pub const DEFAULT: Weights = Weights {
        lexical: 0.15,
        neighbours: 0.85,
        k: NEIGHBOURS,
        power: 3.0,
        guidance: true,
        unreached: false,
    };
    /// The engine on a target no mapping reaches.
    pub const UNREACHED: Weights = Weights {
        unreached: true,
        ..Weights::DEFAULT
    };
    /// Lexical similarity to the target's text only (for comparison).
    pub const LEXICAL: Weights = Weights {
        lexical: 1.0,
        neighbours: 0.0,
        ..Weights::DEFAULT
    };

    /// `LEXICAL,NEIGHBOURS,K,POWER,GUIDANCE` (for experiments: see
    /// docs/suggest.md); `None` when malformed.
    pub fn parse(s: &str) -> Option<Weights> {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let [l, n, k, p, g] = parts.as_slice() else {
            return None;
        };
        Some(Weights {
            lexical: l.parse().ok()?,
            neighbours: n.parse().ok()?,
            k: k.parse().ok()?,
            power: p.parse().ok()?,
            guidance: g.parse().ok()?,
            unreached: false,
        })
    }
}

/// What to suggest for.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    pub text: &'a str,
    /// The target document.
    pub target: &'a str,
    /// The source's document: its mappings are not evidence.
    pub exclude: Option<&'a str>,
    pub weights: Weights,
}

/// A scored candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The provision or clause id in the target document.
    pub id: String,
    pub title: Option<String>,
    pub is_clause: bool,
    pub score: f64,
    /// The estimated chance that a curator accepts it
    /// ([`calibration::probability`]), rounded to 3 decimals.
    pub confidence: f64,
    pub why: String,
    pub features: Features,
}

/// What the engine went on for a text, beyond the candidates: how many
/// mapped excerpts were near it, how many of those lead into the target,
/// and how close the nearest is ([`Features::closeness`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evidence {
    pub neighbours: usize,
    pub reaching: usize,
    pub closeness: f64,
    /// The text's words found in the target's text at all.
    pub shared_words: usize,
}

/// Every candidate with a positive score, best first, and the evidence.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ranking {
    pub candidates: Vec<Suggestion>,
    pub evidence: Evidence,
}

impl Ranking {
    /// The candidates a curator should see: at most `top`, each at least
    /// [`calibration::THRESHOLD`] likely to be accepted.
    pub fn confident(&self, top: usize) -> Vec<Suggestion> {
        self.candidates
            .iter()
            .filter(|s| s.confidence >= calibration::THRESHOLD)
            .take(top)
            .cloned()
            .collect()
    }

    /// Why no candidate is confident: what evidence was missing.
    pub fn why_not_confident(&self, target: &str) -> String {
        let e = &self.evidence;
        let mut missing = Vec::new();
        if e.neighbours == 0 {
            missing.push("no mapped recommendation shares a word with the text".to_string());
        } else if e.reaching == 0 {
            missing.push(format!(
                "none of the {} most similar mapped recommendations was mapped to {target} \
                 or to anything known to correspond to it",
                e.neighbours
            ));
        } else if e.closeness < 0.3 {
            missing.push(format!(
                "the mapped recommendations closest to the text share little of it \
                 ({} of them lead to {target})",
                e.reaching
            ));
        } else {
            missing.push(format!(
                "the {} similar mapped recommendations that lead to {target} disagree",
                e.reaching
            ));
        }
        if e.shared_words == 0 {
            missing.push(format!("no word of the text is in {target}'s text"));
        } else if let Some(best) = self.candidates.first() {
            missing.push(format!(
                "the closest wording ({target}:{}) covers {:.0}% of the text's weight",
                best.id,
                100.0
                    * self
                        .candidates
                        .iter()
                        .map(|s| s.features.coverage)
                        .fold(0.0, f64::max)
            ));
        }
        let best = self
            .candidates
            .first()
            .map(|b| {
                format!(
                    " (the best, {target}:{}, {:.0}%)",
                    b.id,
                    100.0 * b.confidence
                )
            })
            .unwrap_or_default();
        format!("no confident suggestion{best}: {}", missing.join("; "))
    }
}

/// Every candidate of the target with a positive score, best first (ties
/// in the target's order); empty when the target is not a catalogued
/// document.
pub fn rank(ws: &Workspace, req: &Request) -> Vec<Suggestion> {
    ranking(ws, req).candidates
}

/// Every candidate, best first, with the evidence the engine went on.
pub fn ranking(ws: &Workspace, req: &Request) -> Ranking {
    let Some(target) = targets::target(ws, req.target, req.weights.guidance) else {
        return Ranking::default();
    };
    rank_in(ws, &target, req)
}

/// What requests need built, built on the calling thread: the term
/// directory (every file's excerpts indexed) and the targets most mapped
/// onto. The language server's background work, at a lower priority,
/// after the first check and once the editor is quiet after edits.
pub fn prepare_here(ws: &Workspace) {
    directory::prepare_here(ws);
    targets::prepare(ws, Weights::DEFAULT.guidance);
}

/// The `top` best suggestions, confident or not.
pub fn suggest(ws: &Workspace, req: &Request, top: usize) -> Vec<Suggestion> {
    let mut all = rank(ws, req);
    all.truncate(top);
    all
}

/// Votes for one candidate: their weight, the neighbours and
/// organisations behind them, and the correspondences some came through.
#[derive(Default, Clone)]
struct Votes {
    weight: f64,
    count: usize,
    organisations: Vec<String>,
    through: usize,
    through_weight: f64,
    via: Vec<targets::Key>,
}

fn rank_in(ws: &Workspace, target: &Arc<Target>, req: &Request) -> Ranking {
    let query = Query::new(req.text);
    if query.is_empty() {
        return Ranking::default();
    }
    let terms: Vec<text::Term> = query.terms.iter().map(|(t, _)| *t).collect();
    let n = target.candidates.len();
    let mut evidence = Evidence::default();

    // Lexical: BM25 over the target's text.
    let (lex, matched) = target.corpus.scores(&terms);
    let idf: Vec<f64> = terms.iter().map(|&t| target.corpus.idf_of(t)).collect();
    let weight: f64 = idf.iter().sum();
    evidence.shared_words = terms.iter().filter(|&&t| target.corpus.holds(t)).count();
    let best = lex.iter().cloned().fold(0.0, f64::max);
    let lexical: Vec<f64> = lex
        .iter()
        .map(|&s| if best > 0.0 { s / best } else { 0.0 })
        .collect();

    // Neighbours: votes of the closest excerpts.
    let mut votes: Vec<Votes> = vec![Votes::default(); n];
    let mut total = 0.0;
    if req.weights.neighbours > 0.0 {
        let (near, reference) =
            nearest::nearest_and_reference(ws, &terms, req.exclude, req.weights.k);
        let top = near.first().map_or(0.0, |n| n.score);
        evidence.neighbours = near.len();
        if reference > 0.0 {
            evidence.closeness = (top / reference).min(1.0);
        }
        for nb in &near {
            let w = (nb.score / top).powf(req.weights.power);
            total += w;
            let organisation = ws.index.organisation(nb.map.source.key().0).to_string();
            let mut routes: Vec<targets::Route> = Vec::new();
            let targets = if req.weights.unreached {
                &[][..]
            } else {
                &nb.map.targets[..]
            };
            for t in targets {
                if let (d, Some(id)) = t.key() {
                    for r in target.routes(d, id, req.exclude) {
                        if !routes.iter().any(|q| q.candidate == r.candidate) {
                            routes.push(r);
                        }
                    }
                }
            }
            if !routes.is_empty() {
                evidence.reaching += 1;
            }
            for r in routes {
                let v = &mut votes[r.candidate];
                v.weight += w;
                v.count += 1;
                if !v.organisations.contains(&organisation) {
                    v.organisations.push(organisation.clone());
                }
                if let Some(via) = r.via {
                    v.through += 1;
                    v.through_weight += w;
                    if !v.via.contains(&via) {
                        v.via.push(via);
                    }
                }
            }
        }
    }
    let share = |c: usize| {
        if total > 0.0 {
            votes[c].weight / total
        } else {
            0.0
        }
    };

    let mut out: Vec<(f64, usize, Suggestion)> = Vec::new();
    for (c, cand) in target.candidates.iter().enumerate() {
        let clause = cand.clause.as_deref().and_then(|id| target.candidate(id));
        let own = share(c);
        let inherited = clause.map_or(0.0, share);
        let neighbour = (own + inherited).min(1.0);
        let score = req.weights.lexical * lexical[c] + req.weights.neighbours * neighbour;
        if score <= 0.0 {
            continue;
        }
        let features = {
            let mut organisations: Vec<&String> = votes[c].organisations.iter().collect();
            let (mut w, mut through) = (votes[c].weight, votes[c].through_weight);
            if let Some(q) = clause {
                organisations.extend(&votes[q].organisations);
                w += votes[q].weight;
                through += votes[q].through_weight;
            }
            organisations.sort_unstable();
            organisations.dedup();
            let covered: f64 = matched[c].iter().map(|(q, _)| idf[*q]).sum();
            Features {
                neighbours: neighbour,
                lexical: lexical[c],
                coverage: if weight > 0.0 { covered / weight } else { 0.0 },
                closeness: evidence.closeness,
                organisations: organisations.len(),
                through: if w > 0.0 { through / w } else { 0.0 },
                inherited: if own + inherited > 0.0 {
                    inherited / (own + inherited)
                } else {
                    0.0
                },
                is_clause: cand.is_clause,
                // Set once ranked.
                first: false,
                gap: 0.0,
                reached: false,
            }
        };
        let mut why = Vec::new();
        if req.weights.neighbours > 0.0 {
            if own > 0.0 {
                why.push(explain_votes(&votes[c], "mapped this way"));
            }
            if let Some(q) = clause.filter(|&q| share(q) > 0.0) {
                why.push(explain_votes(
                    &votes[q],
                    &format!("its clause {} was mapped", target.candidates[q].id),
                ));
            }
        }
        if lexical[c] > 0.0 {
            let mut words = matched[c].clone();
            words.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let words: Vec<String> = words
                .iter()
                .take(4)
                .map(|(q, _)| format!("“{}”", query.terms[*q].1))
                .collect();
            match &cand.borrowed {
                Some(from) => {
                    why.push(format!("shares the words {} with {from}", words.join(", ")))
                }
                None => why.push(format!("shares the words {}", words.join(", "))),
            }
        }
        out.push((
            score,
            c,
            Suggestion {
                id: cand.id.clone(),
                title: cand.title.clone(),
                is_clause: cand.is_clause,
                score: (score * 1000.0).round() / 1000.0,
                confidence: 0.0,
                why: why.join("; "),
                features,
            },
        ));
    }
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let best = out.first().map_or(0.0, |b| b.0);
    let candidates = out
        .into_iter()
        .enumerate()
        .map(|(i, (score, _, mut s))| {
            s.features.first = i == 0;
            s.features.reached = evidence.reaching > 0;
            s.features.gap = best - score;
            s.confidence = (calibration::probability(&s.features) * 1000.0).round() / 1000.0;
            s
        })
        .collect();
    Ranking {
        candidates,
        evidence,
    }
}

fn explain_votes(v: &Votes, what: &str) -> String {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut s = format!(
        "{what} by {} from {}",
        plural(v.count, "similar recommendation", "similar recommendations"),
        plural(v.organisations.len(), "organisation", "organisations"),
    );
    if v.through > 0 {
        let via: Vec<String> = v
            .via
            .iter()
            .take(3)
            .map(|(d, id)| {
                crate::model::index::EndpointKey {
                    document: d.clone(),
                    id: Some(id.clone()),
                }
                .to_string()
            })
            .collect();
        let which = if v.through == v.count {
            "through".to_string()
        } else {
            format!("{} of them through", v.through)
        };
        s.push_str(&format!(" ({which} {})", via.join(", ")));
    }
    s
}

#[cfg(test)]
mod tests;
