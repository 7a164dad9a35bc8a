//! Inlay hints: after a reference to a catalogued provision, its title
//! (or its clause's title, or the start of its text).

use crate::model::{FileId, Workspace};
use crate::syntax::TextRange;

use super::{OccurrenceKind, Symbol, occurrences};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint is shown (just after the reference).
    pub offset: usize,
    pub label: String,
    /// Markdown tooltip: the full text.
    pub tooltip: Option<String>,
}

const MAX_LABEL: usize = 48;

fn shorten(s: &str) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= MAX_LABEL {
        flat
    } else {
        let cut: String = flat.chars().take(MAX_LABEL - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The hints for references within `range`.
pub fn inlay_hints(ws: &Workspace, file: FileId, range: TextRange) -> Vec<InlayHint> {
    let mut out = Vec::new();
    for o in occurrences(&ws.file(file).parse.ast) {
        if o.kind != OccurrenceKind::Reference
            || o.range.end < range.start
            || o.range.start > range.end
        {
            continue;
        }
        let Symbol::Provision { document, id } = &o.symbol else {
            continue;
        };
        let Some(doc) = ws.index.document(document) else {
            continue;
        };
        let text = doc.provision(id).and_then(|p| p.text.clone());
        let label = doc
            .title_of(id)
            .map(str::to_owned)
            .or_else(|| text.clone())
            .map(|t| (t, text));
        if let Some((label, text)) = label {
            out.push(InlayHint {
                offset: o.range.end,
                label: shorten(&label),
                tooltip: text,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture::Fixture;

    /// The file with each hint written in at its place as `⟨label⟩`.
    fn check_in(fixture: &str, range: Option<TextRange>, expect: Expect) {
        let fx = Fixture::parse(fixture);
        let file = fx.main();
        let mut text = fx.ws.file(file).text.clone();
        let range = range.unwrap_or(0..text.len());
        let mut hints = inlay_hints(&fx.ws, file, range);
        hints.sort_by_key(|h| std::cmp::Reverse(h.offset));
        for h in hints {
            text.insert_str(h.offset, &format!("⟨{}⟩", h.label));
        }
        expect.assert_eq(&text);
    }

    fn check(fixture: &str, expect: Expect) {
        check_in(fixture, None, expect)
    }

    #[test]
    fn titles_then_clause_titles_then_text() {
        check(
            r#"
            document guide {
              title "Guide"
              clause 1 "Passwords" {
                provision 1.1 "Unique" {}
                provision 1.2 { text "Passwords can be changed by the user, at any time, from the device or the app." }
              }
              provision 2 { text "Short." }
            }
            document notes { title "Notes" }
            map notes:a -> guide:1.1, guide:1.2, guide:1, guide:2, guide:9, uk-cop-2018:1 {}
            map notes:a -> notes:b, uk-cop-2018 {}
            "#,
            expect![[r#"
                document guide {
                  title "Guide"
                  clause 1 "Passwords" {
                    provision 1.1 "Unique" {}
                    provision 1.2 { text "Passwords can be changed by the user, at any time, from the device or the app." }
                  }
                  provision 2 { text "Short." }
                }
                document notes { title "Notes" }
                map notes:a -> guide:1.1⟨Unique⟩, guide:1.2⟨Passwords⟩, guide:1⟨Passwords⟩, guide:2⟨Short.⟩, guide:9, uk-cop-2018:1⟨No default passwords⟩ {}
                map notes:a -> notes:b, uk-cop-2018 {}
            "#]],
        );
    }

    #[test]
    fn long_text_is_cut() {
        check(
            r#"
            document guide {
              title "Guide"
              provision 1 { text "Passwords can be changed by the user, at any time, from the device." }
            }
            map guide:1 -> guide:1 {}
            "#,
            expect![[r#"
                document guide {
                  title "Guide"
                  provision 1 { text "Passwords can be changed by the user, at any time, from the device." }
                }
                map guide:1⟨Passwords can be changed by the user, at any ti…⟩ -> guide:1⟨Passwords can be changed by the user, at any ti…⟩ {}
            "#]],
        );
    }

    #[test]
    fn only_within_the_range() {
        let fixture = "map x:1 -> uk-cop-2018:1 {}\nmap x:1 -> uk-cop-2018:2 {}\n";
        check_in(
            fixture,
            Some(28..55),
            expect![[r#"
                map x:1 -> uk-cop-2018:1 {}
                map x:1 -> uk-cop-2018:2⟨Implement a vulnerability disclosure policy⟩ {}
            "#]],
        );
    }
}
