//! "Did you mean" suggestions.

/// Up to three candidates close to `input`, best first. A candidate equal
/// to `input` ignoring case always comes first.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let lower = input.to_lowercase();
    let candidates: Vec<&str> = candidates.into_iter().collect();
    if let Some(same) = candidates
        .iter()
        .find(|c| **c != input && c.to_lowercase() == lower)
    {
        return vec![same.to_string()];
    }
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter(|c| *c != input)
        .map(|c| {
            let cl = c.to_lowercase();
            let score = if cl == lower {
                2.0
            } else if strsim::levenshtein(&lower, &cl) == 1 {
                // One character off, however short the id (`A-1` / `A-2`).
                strsim::jaro_winkler(&lower, &cl).max(0.9)
            } else {
                strsim::jaro_winkler(&lower, &cl)
            };
            (score, c)
        })
        .filter(|(score, _)| *score >= 0.85)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// Document ids close to `input` ([`did_you_mean`]), or else those that
/// have `input` as one of their words (`cra` → `eu-cra-2024`), at most
/// three, in order. The second kind is for help only, never a fix: a word
/// may be in several ids.
pub fn documents_like<'a>(
    input: &str,
    ids: impl IntoIterator<Item = &'a str> + Clone,
) -> Vec<String> {
    let close = did_you_mean(input, ids.clone());
    if !close.is_empty() || input.len() < 2 {
        return close;
    }
    let lower = input.to_lowercase();
    let mut words: Vec<&str> = ids
        .into_iter()
        .filter(|id| id.to_lowercase().split(['-', '_', '.']).any(|w| w == lower))
        .collect();
    words.sort_unstable();
    words.dedup();
    words.into_iter().take(3).map(str::to_string).collect()
}

/// "did you mean `a`, `b`?" or None.
pub fn help_did_you_mean(suggestions: &[String]) -> Option<String> {
    if suggestions.is_empty() {
        return None;
    }
    let list: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
    Some(format!("did you mean {}?", list.join(" or ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_ids() {
        let ids = ["5.1-1", "5.1-2", "5.1-3", "5.2-1", "GP-TM-23"];
        assert_eq!(did_you_mean("gp-tm-23", ids)[0], "GP-TM-23");
        assert!(did_you_mean("5.1-9", ids).contains(&"5.1-1".to_string()));
        assert!(did_you_mean("zzz", ids).is_empty());
        assert_eq!(
            did_you_mean("supserset-of", ["superset-of", "subset-of"])[0],
            "superset-of"
        );
    }

    #[test]
    fn documents_like_a_word_of_their_id() {
        let ids = [
            "eu-cra-2024",
            "uk-psti-2023",
            "uk-cop-2018",
            "etsi-en-303-645",
        ];
        assert_eq!(documents_like("uk-cop-2081", ids), ["uk-cop-2018"]);
        assert_eq!(documents_like("cra", ids), ["eu-cra-2024"]);
        assert_eq!(documents_like("uk", ids), ["uk-cop-2018", "uk-psti-2023"]);
        assert!(documents_like("x", ids).is_empty());
        assert!(documents_like("nothing", ids).is_empty());
    }
}
