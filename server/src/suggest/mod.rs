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
pub mod directory;
pub mod evaluate;
pub mod excerpts;
pub mod nearest;
pub mod sources;
pub mod targets;
pub mod text;

use std::sync::Arc;

use crate::model::Workspace;
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
}

impl Weights {
    /// Chosen on the shipped data (docs/suggest.md).
    pub const DEFAULT: Weights = Weights {
        lexical: 0.15,
        neighbours: 0.85,
        k: NEIGHBOURS,
        power: 3.0,
        guidance: true,
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
    pub why: String,
}

/// Every candidate of the target with a positive score, best first (ties
/// in the target's order); empty when the target is not a catalogued
/// document.
pub fn rank(ws: &Workspace, req: &Request) -> Vec<Suggestion> {
    let Some(target) = targets::target(ws, req.target, req.weights.guidance) else {
        return Vec::new();
    };
    rank_in(ws, &target, &directory::of(ws).links, req)
}

/// What requests need built, built on the calling thread: the term
/// directory (every file's excerpts indexed) and the targets most mapped
/// onto. The language server's background work, at a lower priority,
/// after the first check and once the editor is quiet after edits.
pub fn prepare_here(ws: &Workspace) {
    directory::prepare_here(ws);
    targets::prepare(ws, Weights::DEFAULT.guidance);
}

/// The `top` best suggestions.
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
    via: Vec<targets::Key>,
}

fn rank_in(
    ws: &Workspace,
    target: &Arc<Target>,
    links: &targets::Links,
    req: &Request,
) -> Vec<Suggestion> {
    let query = Query::new(req.text);
    if query.is_empty() {
        return Vec::new();
    }
    let terms: Vec<text::Term> = query.terms.iter().map(|(t, _)| *t).collect();
    let n = target.candidates.len();

    // Lexical: BM25 over the target's text.
    let (lex, matched) = target.corpus.scores(&terms);
    let best = lex.iter().cloned().fold(0.0, f64::max);
    let lexical: Vec<f64> = lex
        .iter()
        .map(|&s| if best > 0.0 { s / best } else { 0.0 })
        .collect();

    // Neighbours: votes of the closest excerpts.
    let mut votes: Vec<Votes> = vec![Votes::default(); n];
    let mut total = 0.0;
    if req.weights.neighbours > 0.0 {
        let near = nearest::nearest(ws, &terms, req.exclude, req.weights.k);
        let top = near.first().map_or(0.0, |n| n.score);
        for nb in &near {
            let w = (nb.score / top).powf(req.weights.power);
            total += w;
            let organisation = ws.index.organisation(nb.map.source.key().0).to_string();
            let mut routes: Vec<targets::Route> = Vec::new();
            for t in &nb.map.targets {
                if let (d, Some(id)) = t.key() {
                    for r in target.routes(links, d, id, req.exclude) {
                        if !routes.iter().any(|q| q.candidate == r.candidate) {
                            routes.push(r);
                        }
                    }
                }
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
            why.push(format!("shares the words {}", words.join(", ")));
        }
        out.push((
            score,
            c,
            Suggestion {
                id: cand.id.clone(),
                title: cand.title.clone(),
                is_clause: cand.is_clause,
                score: (score * 1000.0).round() / 1000.0,
                why: why.join("; "),
            },
        ));
    }
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    out.into_iter().map(|(_, _, s)| s).collect()
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
