//! What a provision says: its own text or, when the catalog lacks it, the
//! text of the provision it `replaces` (an earlier edition), labelled as
//! such. Hover, completion, inlay hints, code lens and the site all show a
//! provision's words through [`wording`], so that a catalog that lacks text
//! says so the same way everywhere and still shows the nearest official
//! wording there is.

use super::index::{DocumentInfo, Index, ProvisionInfo};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wording<'a> {
    /// The provision's own `text`.
    Own(&'a str),
    /// The text of an earlier edition's provision that this one replaces
    /// (directly, or through editions that lack text too).
    Replaced {
        document: &'a str,
        id: &'a str,
        /// The replaced document's version as far as its first space
        /// ("V2.1.1"; "version 2" when it is a bare number), or its id.
        edition: String,
        text: &'a str,
    },
}

impl<'a> Wording<'a> {
    pub fn text(&self) -> &'a str {
        match self {
            Wording::Own(t) => t,
            Wording::Replaced { text, .. } => text,
        }
    }

    /// "V2.1.1 text of 5.1-1, which this replaces"; `None` for own text.
    pub fn label(&self) -> Option<String> {
        match self {
            Wording::Own(_) => None,
            Wording::Replaced { edition, id, .. } => {
                Some(format!("{edition} text of {id}, which this replaces"))
            }
        }
    }

    /// A short prefix for a one-line place (an inlay hint, a completion
    /// detail): "V2.1.1: "; empty for own text.
    pub fn prefix(&self) -> String {
        match self {
            Wording::Own(_) => String::new(),
            Wording::Replaced { edition, .. } => format!("{edition}: "),
        }
    }
}

/// The words of `p`: its own text, else the text of the first provision it
/// replaces that has text, following `replaces` links through editions
/// without text. `None` when there is neither.
pub fn wording<'a>(index: &'a Index, p: &'a ProvisionInfo) -> Option<Wording<'a>> {
    if let Some(t) = &p.text {
        return Some(Wording::Own(t));
    }
    let mut frontier: Vec<&(String, String)> = p.replaces.iter().collect();
    let mut seen = Vec::new();
    // Bounded: a malformed workspace could make `replaces` links a cycle.
    while let Some((doc, id)) = (!frontier.is_empty()).then(|| frontier.remove(0)) {
        if seen.contains(&(doc, id)) || seen.len() > 64 {
            continue;
        }
        seen.push((doc, id));
        let Some(d) = index.documents.get(doc) else {
            continue;
        };
        let Some(older) = d.provision(id) else {
            continue;
        };
        match &older.text {
            Some(text) => {
                return Some(Wording::Replaced {
                    document: &d.id,
                    id: &older.id,
                    edition: edition(d),
                    text,
                });
            }
            None => frontier.extend(older.replaces.iter()),
        }
    }
    None
}

/// `text` on one line (whitespace runs folded to one space), cut to `width`
/// characters with "…".
///
/// Reads only as many words as the cut needs: completion shortens the text
/// of every provision of a catalog on each request, texts of hundreds of
/// words cut to 60 characters.
pub fn shorten(text: &str, width: usize) -> String {
    let mut flat = String::with_capacity(text.len().min(4 * width + 4));
    let mut chars = 0;
    for word in text.split_whitespace() {
        if !flat.is_empty() {
            flat.push(' ');
            chars += 1;
        }
        flat.push_str(word);
        chars += word.chars().count();
        if chars > width {
            // Longer than `width`: its first `width - 1` characters.
            let cut = (flat.char_indices())
                .nth(width.saturating_sub(1))
                .map_or(flat.len(), |(i, _)| i);
            flat.truncate(cut);
            flat.truncate(flat.trim_end().len());
            flat.push('…');
            return flat;
        }
    }
    flat
}

/// "V2.1.1" for version "V2.1.1 (2020-06)"; "version 2" for "2"; the
/// document id when it has no version.
fn edition(d: &DocumentInfo) -> String {
    match d
        .version
        .as_deref()
        .and_then(|v| v.split_whitespace().next())
    {
        Some(v) if v.starts_with(|c: char| c.is_ascii_digit()) => format!("version {v}"),
        Some(v) => v.to_string(),
        None => d.id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;

    fn words(fixture: &str, doc: &str, id: &str) -> Option<(String, Option<String>)> {
        let fx = Fixture::parse(fixture);
        let index = &fx.ws.index;
        let p = index.documents.get(doc)?.provision(id)?;
        wording(index, p).map(|w| (w.text().to_string(), w.label()))
    }

    const EDITIONS: &str = r#"
        document old { version "1 (2019)" provision 1 { text "Old words." } provision 2 {} }
        document mid { supersedes old provision 1 { replaces old:1 } provision 2 { replaces old:2 } }
        document new {
          supersedes mid
          provision 1 { replaces mid:1 }
          provision 2 { replaces mid:2 }
          provision 3 { text "New words." replaces mid:1 }
          provision 4 { replaces new:4 }
        }
    "#;

    #[test]
    fn own_text_first() {
        assert_eq!(
            words(EDITIONS, "new", "3"),
            Some(("New words.".to_string(), None))
        );
    }

    #[test]
    fn the_replaced_text_through_editions_without_text() {
        let label = Some("version 1 text of 1, which this replaces".to_string());
        assert_eq!(
            words(EDITIONS, "mid", "1"),
            Some(("Old words.".to_string(), label.clone()))
        );
        assert_eq!(
            words(EDITIONS, "new", "1"),
            Some(("Old words.".to_string(), label))
        );
    }

    #[test]
    fn nothing_when_no_edition_has_text_and_cycles_end() {
        assert_eq!(words(EDITIONS, "new", "2"), None);
        assert_eq!(words(EDITIONS, "new", "4"), None);
        assert_eq!(words(EDITIONS, "old", "2"), None);
    }

    /// `shorten` as first written: every word joined, then cut.
    fn shorten_whole(text: &str, width: usize) -> String {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.chars().count() <= width {
            flat
        } else {
            let cut: String = flat.chars().take(width.saturating_sub(1)).collect();
            format!("{}…", cut.trim_end())
        }
    }

    proptest::proptest! {
        /// Reading only the words the cut needs gives what joining every
        /// word and cutting gives (runs of spaces, tabs and line ends,
        /// characters of several bytes, a cut inside or right after a
        /// word, widths 0 and 1).
        #[test]
        fn shorten_reads_only_what_it_keeps(
            text in "([ \t\n]{0,3}(a|bc|défi|—|日本|x{1,9})){0,30}[ \n]{0,2}",
            width in 0usize..40,
        ) {
            proptest::prop_assert_eq!(shorten(&text, width), shorten_whole(&text, width));
        }
    }

    #[test]
    fn shorten_folds_and_cuts() {
        assert_eq!(shorten("  Secure\n  updates  ", 60), "Secure updates");
        assert_eq!(shorten("abc defg", 7), "abc de…");
        assert_eq!(shorten("abc defg", 5), "abc…");
        assert_eq!(shorten("abc defg", 8), "abc defg");
        assert_eq!(shorten("", 3), "");
    }
}
