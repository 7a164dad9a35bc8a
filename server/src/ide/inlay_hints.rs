//! Inlay hints: after a reference to a catalogued provision, its title,
//! else the start of its text (or of the text it replaces, marked with that
//! edition: "V2.1.1: …"), else its clause's title; after a clause, its
//! title. Short (48 characters) so that an ordinary line does not wrap, and
//! different for each provision of a clause that has text.

use crate::model::wording::{shorten, wording};
use crate::model::{FileId, Workspace};
use crate::syntax::TextRange;

use super::{OccurrenceKind, Symbol, occurrences};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint is shown (just after the reference).
    pub offset: usize,
    pub label: String,
    /// Tooltip (plain text): the full text, or the labelled text of the
    /// provision it replaces.
    pub tooltip: Option<String>,
}

const MAX_LABEL: usize = 48;

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
        let label = match doc.provision(id) {
            Some(p) => {
                let words = wording(&ws.index, p);
                let tooltip = words.as_ref().map(|w| match w.label() {
                    Some(label) => format!("{label}: {}", w.text()),
                    None => w.text().to_string(),
                });
                let label = match (&p.title, &words) {
                    (Some(t), _) => Some(t.clone()),
                    (None, Some(w)) => Some(format!("{}{}", w.prefix(), w.text())),
                    (None, None) => doc.title_of(id).map(str::to_owned),
                };
                label.map(|l| (l, tooltip))
            }
            None => doc.title_of(id).map(|t| (t.to_owned(), None)),
        };
        if let Some((label, tooltip)) = label {
            out.push(InlayHint {
                offset: o.range.end,
                label: shorten(&label, MAX_LABEL),
                tooltip,
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
                map notes:a -> guide:1.1⟨Unique⟩, guide:1.2⟨Passwords can be changed by the user, at any ti…⟩, guide:1⟨Passwords⟩, guide:2⟨Short.⟩, guide:9, uk-cop-2018:1⟨No default passwords⟩ {}
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
    fn provisions_of_one_clause_differ_and_a_missing_text_is_marked() {
        check(
            r#"
            document draft-4 {
              title "Draft"
              version "4 (draft)"
              clause 5.1 "No universal default passwords" {
                provision 5.1-1 { replaces etsi-en-303-645-v3:5.1-1 }
                provision 5.1-9 {}
              }
            }
            map draft-4:5.1-1 -> etsi-en-303-645-v3:5.1-3, etsi-en-303-645-v3:5.1-5 {}
            map draft-4:5.1-9 -> en-18031-1:ACM-1, en-18031-1:ACM-2 {}
            "#,
            expect![[r#"
                document draft-4 {
                  title "Draft"
                  version "4 (draft)"
                  clause 5.1 "No universal default passwords" {
                    provision 5.1-1 { replaces etsi-en-303-645-v3:5.1-1⟨Where passwords are used to authenticate users…⟩ }
                    provision 5.1-9 {}
                  }
                }
                map draft-4:5.1-1⟨V3.1.3: Where passwords are used to authenticat…⟩ -> etsi-en-303-645-v3:5.1-3⟨Authentication mechanisms used to authenticate…⟩, etsi-en-303-645-v3:5.1-5⟨The consumer IoT device shall have a mechanism…⟩ {}
                map draft-4:5.1-9⟨No universal default passwords⟩ -> en-18031-1:ACM-1⟨Access Control Mechanism⟩, en-18031-1:ACM-2⟨Access Control Mechanism⟩ {}
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
