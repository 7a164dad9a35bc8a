//! Counts with their noun: `1 mapping`, `2 mappings`, `0 mappings`. The
//! one helper for every count that the command line, the editor features
//! and the site print, so that none says "1 organisations". It sits at the
//! bottom beside `codes`: it knows nothing but English.

/// The noun for `n` things: `one` when `n` is 1, else `many`.
pub fn noun<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// `n` and its noun: `1 mapping`, `2 mappings`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", noun(n, one, many))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_and_the_others() {
        assert_eq!(plural(0, "mapping", "mappings"), "0 mappings");
        assert_eq!(plural(1, "organisation", "organisations"), "1 organisation");
        assert_eq!(plural(2, "quick fix", "quick fixes"), "2 quick fixes");
        assert_eq!(noun(1, "provision", "provisions"), "provision");
        assert_eq!(noun(11, "provision", "provisions"), "provisions");
    }
}
