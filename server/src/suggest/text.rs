//! Words: text is lower-cased, split at anything that is not a letter or a
//! digit, stripped of stop words and numbers, and stemmed with the Snowball
//! English stemmer (`rust-stemmers`), so that "updates", "updated" and
//! "updating" are one term. A term is kept as a 64-bit hash of its stem.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};

use rust_stemmers::{Algorithm, Stemmer};

/// Words too common in any text to say what it is about.
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "all", "also", "an", "and", "any", "are", "as", "at",
    "be", "been", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does",
    "e", "each", "eg", "etc", "for", "from", "further", "g", "had", "has", "have", "having", "how",
    "i", "ie", "if", "in", "into", "is", "it", "its", "may", "might", "more", "most", "must", "no",
    "not", "of", "on", "once", "only", "or", "other", "our", "out", "over", "own", "same", "shall",
    "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "upon",
    "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why",
    "will", "with", "within", "would", "you", "your",
];

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// A stemmed term.
pub type Term = u64;

pub fn term_of(stem: &str) -> Term {
    let mut h = rustc_hash::FxHasher::default();
    stem.hash(&mut h);
    h.finish()
}

thread_local! {
    static STEMMER: Stemmer = Stemmer::create(Algorithm::English);
    static LOWER: RefCell<String> = const { RefCell::new(String::new()) };
    /// The term of each lower-cased word met: a workspace's vocabulary is
    /// small next to its number of words, and stemming is most of the cost
    /// of indexing its excerpts.
    static TERMS: RefCell<rustc_hash::FxHashMap<Box<str>, Term>> = RefCell::default();
}

/// Words remembered per thread at most (then the memory starts over).
const MAX_REMEMBERED: usize = 100_000;

/// Calls `f(term, word)` for every term of `text`, in order (`word` is the
/// word as written).
pub fn for_each_term(text: &str, mut f: impl FnMut(Term, &str)) {
    STEMMER.with(|stemmer| {
        LOWER.with_borrow_mut(|lower| {
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                if word.is_empty() || word.chars().all(|c| c.is_numeric()) {
                    continue;
                }
                lower.clear();
                lower.extend(word.chars().flat_map(char::to_lowercase));
                if lower.chars().count() < 2 || is_stop_word(lower) {
                    continue;
                }
                let term = TERMS.with_borrow_mut(|terms| {
                    if let Some(&t) = terms.get(lower.as_str()) {
                        return t;
                    }
                    if terms.len() >= MAX_REMEMBERED {
                        terms.clear();
                    }
                    let t = term_of(&stemmer.stem(lower));
                    terms.insert(lower.as_str().into(), t);
                    t
                });
                f(term, word);
            }
        })
    })
}

/// The terms of `text` with their counts, sorted by term, and the number
/// of terms (the length BM25 normalises by).
pub fn term_counts(text: &str) -> (Vec<(Term, u32)>, u32) {
    let mut terms = Vec::new();
    for_each_term(text, |t, _| terms.push(t));
    let len = terms.len() as u32;
    terms.sort_unstable();
    let mut counts: Vec<(Term, u32)> = Vec::new();
    for t in terms {
        match counts.last_mut() {
            Some((last, n)) if *last == t => *n += 1,
            _ => counts.push((t, 1)),
        }
    }
    (counts, len)
}

/// A query: its distinct terms, each with the first word that gave it
/// (lower-cased), for explaining a match.
#[derive(Clone, Debug, Default)]
pub struct Query {
    pub terms: Vec<(Term, String)>,
}

impl Query {
    pub fn new(text: &str) -> Query {
        let mut terms: Vec<(Term, String)> = Vec::new();
        for_each_term(text, |t, word| {
            if !terms.iter().any(|(u, _)| *u == t) {
                terms.push((t, word.to_lowercase()));
            }
        });
        Query { terms }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn inflections_share_a_term_and_stop_words_and_numbers_go() {
        let q = Query::new("Updates shall be updated; UPDATING 2018 the devices, device.");
        let words: Vec<&str> = q.terms.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(words, ["updates", "devices"]);
        let (counts, len) = term_counts("update updates device");
        assert_eq!(len, 3);
        assert_eq!(counts.len(), 2);
        assert!(counts.contains(&(term_of("updat"), 2)));
    }

    #[test]
    fn non_ascii_text_is_split_and_lower_cased() {
        let q = Query::new("‘Principle’ of LEAST privilege — Überwachung");
        let words: Vec<&str> = q.terms.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(words, ["principle", "least", "privilege", "überwachung"]);
        assert!(Query::new("  ... 12 3.4 a ").is_empty());
    }
}
