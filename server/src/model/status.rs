//! The status notation of a provision, as ETSI EN 303 645 prints it in
//! Table B.1 (docs/glossary.md): `M` mandatory, `R` recommended, `C (n)`
//! conditional on condition n, `F (x)` for devices with feature x; e.g.
//! `M C (12)`, `R F (g)`, `M C (14) F (e)`.

/// Whether a provision must or should be met (the first letter of its
/// status).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Mandatory,
    Recommended,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Mandatory => "mandatory",
            Level::Recommended => "recommended",
        }
    }
}

/// `M …` mandatory, `R …` recommended, anything else unknown.
pub fn level(status: &str) -> Option<Level> {
    match status.split_whitespace().next()? {
        "M" => Some(Level::Mandatory),
        "R" => Some(Level::Recommended),
        _ => None,
    }
}

/// The ids in a parenthesised list: `(3, 4)` → `["3", "4"]`.
fn ids(list: &str) -> Vec<&str> {
    list.trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// "3", "3 and 4", "3, 4 and 9".
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A `C (…)` or `F (…)` in words: `none` without a list, `one` of a single
/// id, `many` of "3 and 4".
fn in_words(
    list: &str,
    none: &str,
    one: impl Fn(&str) -> String,
    many: impl Fn(&str) -> String,
) -> String {
    match ids(list).as_slice() {
        [] => none.to_string(),
        [id] => one(id),
        all => many(&and_list(all)),
    }
}

/// The status in words: `M C (12)` → "mandatory, if condition 12 applies";
/// `R F (g)` → "recommended, for devices with feature g". Words it does
/// not know are left out; a status of none of them reads "as printed".
pub fn describe(status: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut words = status.split_whitespace().peekable();
    while let Some(word) = words.next() {
        // A parenthesised list after C or F, possibly split by spaces.
        let mut list = || {
            let mut s = String::new();
            if words.peek().is_some_and(|w| w.starts_with('(')) {
                for w in words.by_ref() {
                    s.push_str(w);
                    if w.ends_with(')') {
                        break;
                    }
                }
            }
            s
        };
        match word {
            "M" => parts.push("mandatory".into()),
            "R" => parts.push("recommended".into()),
            "C" => parts.push(in_words(
                &list(),
                "conditional",
                |id| format!("if condition {id} applies"),
                |ids| format!("if conditions {ids} apply"),
            )),
            "F" => parts.push(in_words(
                &list(),
                "depends on a feature",
                |id| format!("for devices with feature {id}"),
                |ids| format!("for devices with features {ids}"),
            )),
            _ => {}
        }
    }
    if parts.is_empty() {
        "as printed".to_string()
    } else {
        parts.join(", ")
    }
}

/// One line on the notation, for hovers and the site.
pub const NOTATION: &str = "Status as in ETSI EN 303 645 Table B.1: M mandatory, R recommended, \
C (n) if condition n applies, F (x) for devices with feature x.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_in_words() {
        let cases = [
            ("M", "mandatory"),
            ("R", "recommended"),
            ("M C (1)", "mandatory, if condition 1 applies"),
            ("R C (3, 4)", "recommended, if conditions 3 and 4 apply"),
            ("R C (9,12)", "recommended, if conditions 9 and 12 apply"),
            ("R F (g)", "recommended, for devices with feature g"),
            (
                "M C (14) F (e)",
                "mandatory, if condition 14 applies, for devices with feature e",
            ),
            ("M C", "mandatory, conditional"),
            ("X", "as printed"),
            ("", "as printed"),
        ];
        for (status, words) in cases {
            assert_eq!(describe(status), words, "{status}");
        }
    }

    #[test]
    fn levels() {
        assert_eq!(level("M C (1)"), Some(Level::Mandatory));
        assert_eq!(level(" R"), Some(Level::Recommended));
        assert_eq!(level("C (1)"), None);
        assert_eq!(level(""), None);
    }
}
