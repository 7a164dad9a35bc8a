//! Fuzzy matching for completion and workspace symbols (nucleo, the
//! matcher of the Helix editor), plus word-prefix matching for prose.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

pub struct Fuzzy {
    pattern: Pattern,
    matcher: Matcher,
    buf: Vec<char>,
    words: Vec<String>,
}

impl Fuzzy {
    pub fn new(query: &str) -> Fuzzy {
        Fuzzy {
            pattern: Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart),
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
            words: query.split_whitespace().map(str::to_lowercase).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Fuzzy score of an identifier-like string.
    pub fn score(&mut self, haystack: &str) -> Option<u32> {
        self.pattern
            .score(Utf32Str::new(haystack, &mut self.buf), &mut self.matcher)
    }

    /// Does every query word start a word of `prose` (ignoring case)?
    pub fn words_match(&self, prose: &str) -> bool {
        if self.words.is_empty() {
            return false;
        }
        let lower = prose.to_lowercase();
        let prose_words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        self.words
            .iter()
            .all(|q| prose_words.iter().any(|w| w.starts_with(q.as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_words() {
        let mut f = Fuzzy::new("511");
        assert!(f.score("5.1-1").is_some());
        assert!(f.score("5.2-2").is_none());
        let f = Fuzzy::new("pass");
        assert!(f.words_match("All consumer IoT device passwords shall be unique"));
        assert!(!f.words_match("bypass the check"));
    }
}
