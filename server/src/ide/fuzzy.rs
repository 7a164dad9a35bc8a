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

    #[test]
    fn case_is_ignored_and_better_matches_score_higher() {
        let mut f = Fuzzy::new("gptm");
        let exact = f.score("GP-TM-23").unwrap();
        let scattered = f.score("GP-PS-10-TAMPER-MONITOR");
        assert!(
            scattered.is_none_or(|s| s < exact),
            "{scattered:?} vs {exact}"
        );
        let mut f = Fuzzy::new("VENDOR");
        assert!(f.score("vendor-guide").is_some());
    }

    #[test]
    fn an_empty_query_matches_no_prose() {
        let f = Fuzzy::new("   ");
        assert!(f.is_empty());
        assert!(!f.words_match("anything at all"));
        assert!(!Fuzzy::new("x").is_empty());
    }

    #[test]
    fn every_query_word_must_start_a_word() {
        let f = Fuzzy::new("unique pass");
        assert!(f.words_match("Passwords shall be UNIQUE per device"));
        assert!(!f.words_match("Passwords shall be the same"));
        // Words are split on any non-alphanumeric character.
        assert!(Fuzzy::new("default").words_match("factory-default value"));
        // Unicode letters are part of words and compared without case.
        assert!(Fuzzy::new("éco").words_match("L’Écosystème"));
    }
}
