//! Okapi BM25, the ranking function of most search engines: a document
//! scores, for each query term it contains, the term's inverse document
//! frequency (rare terms weigh more) times a saturating function of how
//! often the term occurs in it, normalised by its length against the
//! average (a long text is not better just for being long).
//!
//! `score(t, d) = idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·len(d)/avg_len))`
//! with `idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5))` (never negative),
//! `k1 = 1.2`, `b = 0.75`.

use rustc_hash::FxHashMap;

use super::text::Term;

pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;

/// The inverse document frequency of a term found in `df` of `n` documents.
pub fn idf(n: usize, df: usize) -> f64 {
    let (n, df) = (n as f64, df as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// One term's contribution to a document's score.
pub fn term_score(idf: f64, tf: u32, len: u32, avg_len: f64) -> f64 {
    let tf = f64::from(tf);
    let norm = if avg_len > 0.0 {
        f64::from(len) / avg_len
    } else {
        1.0
    };
    idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * norm))
}

/// A small corpus kept in memory: the documents' lengths and an inverted
/// index from each term to the documents holding it (with counts).
#[derive(Debug, Default)]
pub struct Corpus {
    lens: Vec<u32>,
    avg_len: f64,
    postings: FxHashMap<Term, Vec<(u32, u32)>>,
}

impl Corpus {
    /// A corpus of documents given as their term counts and lengths (see
    /// [`super::text::term_counts`]).
    pub fn new(docs: impl IntoIterator<Item = (Vec<(Term, u32)>, u32)>) -> Corpus {
        let mut corpus = Corpus::default();
        for (d, (counts, len)) in docs.into_iter().enumerate() {
            corpus.lens.push(len);
            for (t, tf) in counts {
                corpus.postings.entry(t).or_default().push((d as u32, tf));
            }
        }
        let total: u64 = corpus.lens.iter().map(|&l| u64::from(l)).sum();
        corpus.avg_len = if corpus.lens.is_empty() {
            0.0
        } else {
            total as f64 / corpus.lens.len() as f64
        };
        corpus
    }

    pub fn len(&self) -> usize {
        self.lens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lens.is_empty()
    }

    /// The inverse document frequency of `term` in the corpus (that of a
    /// term in no document when it is in none).
    pub fn idf_of(&self, term: Term) -> f64 {
        idf(
            self.lens.len(),
            self.postings.get(&term).map_or(0, Vec::len),
        )
    }

    /// Whether some document holds `term`.
    pub fn holds(&self, term: Term) -> bool {
        self.postings.contains_key(&term)
    }

    /// The score of every document for the query's terms, and for each
    /// document the query terms (their positions in `query`) it matched,
    /// with their contributions.
    pub fn scores(&self, query: &[Term]) -> (Vec<f64>, Vec<Vec<(usize, f64)>>) {
        let mut scores = vec![0.0; self.lens.len()];
        let mut matched = vec![Vec::new(); self.lens.len()];
        for (q, t) in query.iter().enumerate() {
            let Some(list) = self.postings.get(t) else {
                continue;
            };
            let idf = idf(self.lens.len(), list.len());
            for &(d, tf) in list {
                let s = term_score(idf, tf, self.lens[d as usize], self.avg_len);
                scores[d as usize] += s;
                matched[d as usize].push((q, s));
            }
        }
        (scores, matched)
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::{Query, term_counts};
    use super::*;

    fn corpus(texts: &[&str]) -> Corpus {
        Corpus::new(texts.iter().map(|t| term_counts(t)))
    }

    fn terms(text: &str) -> Vec<Term> {
        Query::new(text).terms.into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn idf_is_positive_and_falls_with_frequency() {
        assert!(idf(10, 1) > idf(10, 5));
        assert!(idf(10, 10) > 0.0);
        assert!((idf(1, 0) - 4f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn the_formula_on_hand_computed_values() {
        // tf 1, average length: idf · 2.2 / 2.2 = idf.
        assert!((term_score(1.5, 1, 10, 10.0) - 1.5).abs() < 1e-12);
        // tf 2, twice the average: 2·2.2 / (2 + 1.2·(0.25 + 1.5)) = 4.4 / 4.1.
        assert!((term_score(1.0, 2, 20, 10.0) - 4.4 / 4.1).abs() < 1e-12);
    }

    #[test]
    fn rare_terms_and_short_documents_rank_first() {
        let c = corpus(&[
            "passwords must be unique per device",
            "device software updates",
            "device updates delivered securely over the network to every device in the field, \
             with the update package signed and the signature checked on the device",
            "encrypt data in transit",
        ]);
        let (s, matched) = c.scores(&terms("unique passwords"));
        assert!(s[0] > 0.0 && s[1..].iter().all(|&x| x == 0.0), "{s:?}");
        assert_eq!(matched[0].len(), 2);
        let (s, _) = c.scores(&terms("updates"));
        assert!(s[1] > s[2], "the shorter text ranks first: {s:?}");
        let (s, _) = c.scores(&terms("device encrypt"));
        // `encrypt` is in one document, `device` in three.
        assert!(s[3] > s[0], "{s:?}");
        assert!(c.scores(&[]).0.iter().all(|&x| x == 0.0));
        assert!(corpus(&[]).scores(&terms("x y")).0.is_empty());
    }
}
