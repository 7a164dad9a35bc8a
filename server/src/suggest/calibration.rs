//! Calibrated scores: the estimated chance that a curator accepts a
//! candidate, the same on every target.
//!
//! A candidate's raw parts (its share of the neighbours' votes, its
//! lexical score relative to the best, and so on) mean different things on
//! different targets: the best lexical candidate always scores 1, however
//! few of the text's words it shares, and a clause's share is split among
//! its provisions. The [`Features`] below add what is absolute (how much of
//! the text the candidate's words cover, how close the nearest mapped
//! excerpt is) and a logistic model turns them into a probability. The
//! model is fitted ([`fit`]) on the leave-one-document-out rankings of the
//! shipped mappings (`suggest::evaluate::calibration_rows`); the shipped
//! [`PARAMETERS`] are re-fitted and compared by a test
//! (`server/tests/suggest.rs`), so they cannot go stale silently.
//!
//! Logistic regression, fitted by Newton's method with a small ridge
//! penalty, is a dozen lines and needs no dependency; [`ece`] measures
//! how far the probabilities are from the observed rates.

use serde::Serialize;

/// What the engine knows about one candidate, each between 0 and 1 except
/// the count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Features {
    /// Its share of the neighbours' votes (a provision's with its
    /// clause's).
    pub neighbours: f64,
    /// Its lexical score divided by the best candidate's.
    pub lexical: f64,
    /// The share of the text's weight (the idf of its terms over the
    /// target's text) in the terms it shares with the candidate.
    pub coverage: f64,
    /// How close the nearest mapped excerpt is to the text: its score
    /// divided by what an excerpt holding each of the text's terms once
    /// would score (at most 1).
    pub closeness: f64,
    /// How many organisations' mappings vote for it (or its clause).
    pub organisations: usize,
    /// The share of its votes that came through a correspondence.
    pub through: f64,
    /// The share of its neighbour part that its clause's votes give it.
    pub inherited: f64,
    pub is_clause: bool,
    /// Whether it ranks first, and how far its raw score is below the
    /// first's.
    pub first: bool,
    pub gap: f64,
    /// Whether any of the nearest mapped excerpts leads to the target: a
    /// target no mapping reaches has only the words to go on, and the
    /// model weighs them apart.
    pub reached: bool,
}

/// The targets whose leave-one-document-out rankings the parameters are
/// fitted on: those with labels in the shipped data (docs/suggest.md).
pub const FITTED_ON: [&str; 4] = [
    "uk-cop-2018",
    "etsi-en-303-645",
    "etsi-en-303-645-v3",
    "uk-psti-2023",
];

/// `PARAMETERS` as Rust source, to paste when a re-fit differs.
pub fn source(parameters: &[f64; DIMENSION]) -> String {
    let values: Vec<String> = parameters.iter().map(|v| format!("{v:.4}")).collect();
    format!(
        "pub const PARAMETERS: [f64; DIMENSION] = [{}];",
        values.join(", ")
    )
}

/// How many inputs each of the two models has (the intercept first).
pub const BASE: usize = 12;

/// How many parameters there are: two models, one for a candidate of a
/// target that some nearest mapped excerpt reaches, one for a target none
/// reaches (only the words to go on), side by side.
pub const DIMENSION: usize = 2 * BASE;

impl Features {
    /// The model's inputs: the candidate's features in the half of its
    /// model, zeros in the other.
    pub fn vector(&self) -> [f64; DIMENSION] {
        let base = [
            1.0,
            self.neighbours,
            self.neighbours * self.closeness,
            self.lexical,
            self.coverage,
            self.closeness,
            (1.0 + self.organisations as f64).ln(),
            self.through,
            self.inherited,
            if self.is_clause { 1.0 } else { 0.0 },
            if self.first { 1.0 } else { 0.0 },
            self.gap,
        ];
        let mut out = [0.0; DIMENSION];
        let at = if self.reached { 0 } else { BASE };
        out[at..at + BASE].copy_from_slice(&base);
        out
    }
}

/// Fitted on the shipped mappings (see the module's documentation); the
/// order is that of [`Features::vector`].
pub const PARAMETERS: [f64; DIMENSION] = [
    -4.9384, 1.1078, 1.9866, 0.8849, 0.3437, -0.1723, 2.0639, 0.2683, 0.1796, 1.2310, -0.2021,
    -3.7651, -2.9864, 0.0000, 0.0000, 2.3201, 1.3772, 0.7012, 0.0000, 0.0000, 0.0000, -0.7317,
    0.0878, -0.3480,
];

/// Below this estimated chance of being accepted a candidate is not
/// shown, and when no candidate reaches it the engine says there is no
/// confident suggestion (docs/suggest.md gives the reason for the value).
pub const THRESHOLD: f64 = 0.2;

fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

fn dot(a: &[f64; DIMENSION], b: &[f64; DIMENSION]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The estimated chance that the candidate is accepted, with `parameters`.
pub fn probability_with(parameters: &[f64; DIMENSION], f: &Features) -> f64 {
    sigmoid(dot(parameters, &f.vector()))
}

/// The estimated chance that the candidate is accepted.
pub fn probability(f: &Features) -> f64 {
    probability_with(&PARAMETERS, f)
}

/// The ridge penalty on every parameter but the intercept: enough to keep
/// Newton's method stable when a feature separates the data.
const RIDGE: f64 = 1e-2;

/// The logistic model of `rows` (features, accepted): the parameters that
/// maximise the penalised likelihood, by Newton's method from zero.
pub fn fit(rows: &[(Features, bool)]) -> [f64; DIMENSION] {
    let xs: Vec<([f64; DIMENSION], f64)> = rows
        .iter()
        .map(|(f, y)| (f.vector(), if *y { 1.0 } else { 0.0 }))
        .collect();
    let mut w = [0.0; DIMENSION];
    for _ in 0..100 {
        let mut gradient = [0.0; DIMENSION];
        let mut hessian = [[0.0; DIMENSION]; DIMENSION];
        for (x, y) in &xs {
            let p = sigmoid(dot(&w, x));
            let s = p * (1.0 - p);
            for i in 0..DIMENSION {
                gradient[i] += (p - y) * x[i];
                for j in 0..DIMENSION {
                    hessian[i][j] += s * x[i] * x[j];
                }
            }
        }
        for i in 0..DIMENSION {
            // Not the intercepts (a tiny nudge keeps a model without rows
            // solvable).
            let ridge = if i % BASE == 0 { 1e-9 } else { RIDGE };
            gradient[i] += ridge * w[i];
            hessian[i][i] += ridge;
        }
        let Some(step) = solve(hessian, gradient) else {
            break;
        };
        let mut largest: f64 = 0.0;
        for i in 0..DIMENSION {
            w[i] -= step[i];
            largest = largest.max(step[i].abs());
        }
        if largest < 1e-10 {
            break;
        }
    }
    w
}

/// `a x = b` by Gaussian elimination with partial pivoting; `None` when
/// `a` is singular.
fn solve(
    mut a: [[f64; DIMENSION]; DIMENSION],
    mut b: [f64; DIMENSION],
) -> Option<[f64; DIMENSION]> {
    for col in 0..DIMENSION {
        let pivot =
            (col..DIMENSION).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-300 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..DIMENSION {
            let f = a[row][col] / a[col][col];
            let pivot_row = a[col];
            for (x, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0.0; DIMENSION];
    for row in (0..DIMENSION).rev() {
        let s: f64 = (row + 1..DIMENSION).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// How many equal-width bins of probability [`ece`] uses.
pub const BINS: usize = 10;

/// The expected calibration error of `(probability, accepted)` pairs: the
/// pairs put in [`BINS`] equal-width bins by probability, the mean gap
/// between each bin's mean probability and its rate of acceptance,
/// weighted by the bin's share of the pairs. 0 when there are none.
pub fn ece(pairs: &[(f64, bool)]) -> f64 {
    if pairs.is_empty() {
        return 0.0;
    }
    let mut bins = [(0.0, 0.0); BINS];
    for &(p, y) in pairs {
        let b = ((p * BINS as f64) as usize).min(BINS - 1);
        bins[b].0 += p;
        bins[b].1 += if y { 1.0 } else { 0.0 };
    }
    // A bin's gap |Σp/n − Σy/n| weighted by n/N is |Σp − Σy|/N.
    bins.iter()
        .map(|&(p, y)| (p - y).abs() / pairs.len() as f64)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic stream of numbers in [0, 1).
    fn uniform(seed: &mut u64) -> f64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 11) as f64 / (1u64 << 53) as f64
    }

    fn features(seed: &mut u64) -> Features {
        Features {
            neighbours: uniform(seed),
            lexical: uniform(seed),
            coverage: uniform(seed),
            closeness: uniform(seed),
            organisations: (uniform(seed) * 6.0) as usize,
            through: uniform(seed),
            inherited: uniform(seed),
            is_clause: uniform(seed) < 0.3,
            first: uniform(seed) < 0.2,
            gap: uniform(seed),
            reached: uniform(seed) < 0.7,
        }
    }

    /// Data drawn from a known model: the fit finds its parameters again,
    /// and its probabilities are calibrated on fresh data from it.
    #[test]
    fn the_fit_recovers_a_known_model() {
        let truth = [
            -2.0, 3.0, 1.5, 0.5, 1.0, -1.0, 0.4, -0.5, 0.3, 0.8, 0.6, -1.5, -3.0, 0.0, 0.0, 1.5,
            2.0, 0.5, 0.0, 0.0, 0.0, 0.0, 1.0, -2.0,
        ];
        let mut seed = 7;
        let mut draw = |n: usize| -> Vec<(Features, bool)> {
            (0..n)
                .map(|_| {
                    let f = features(&mut seed);
                    let y = uniform(&mut seed) < probability_with(&truth, &f);
                    (f, y)
                })
                .collect()
        };
        let train = draw(40_000);
        let w = fit(&train);
        for (got, want) in w.iter().zip(truth) {
            assert!((got - want).abs() < 0.25, "{w:?}");
        }
        let test = draw(20_000);
        let pairs: Vec<(f64, bool)> = test
            .iter()
            .map(|(f, y)| (probability_with(&w, f), *y))
            .collect();
        assert!(ece(&pairs) < 0.02, "{}", ece(&pairs));
        // A model that is sure of everything is far off.
        let sure: Vec<(f64, bool)> = test.iter().map(|(_, y)| (0.99, *y)).collect();
        assert!(ece(&sure) > 0.3);
    }

    #[test]
    fn separable_data_and_no_data_stay_finite() {
        let rows: Vec<(Features, bool)> = (0..50)
            .map(|i| {
                let f = Features {
                    neighbours: i as f64 / 50.0,
                    ..Features::default()
                };
                (f, i >= 25)
            })
            .collect();
        let w = fit(&rows);
        assert!(w.iter().all(|v| v.is_finite()), "{w:?}");
        let hi = Features {
            neighbours: 0.9,
            ..Features::default()
        };
        assert!(probability_with(&w, &hi) > 0.9);
        assert!(fit(&[]).iter().all(|v| *v == 0.0));
    }

    #[test]
    fn ece_on_hand_computed_values() {
        assert_eq!(ece(&[]), 0.0);
        // One bin at 0.25 (mean 0.25, rate 0.5), one at 0.95 (0.95, 1):
        // (2·0.25 + 2·0.05) / 4.
        let pairs = [(0.25, true), (0.25, false), (0.95, true), (0.95, true)];
        assert!((ece(&pairs) - 0.15).abs() < 1e-12, "{}", ece(&pairs));
    }
}
