//! Quick fixes for diagnostics: replace with the suggestion a diagnostic
//! carries (did-you-mean, the newer edition's id, the tidy text), or remove
//! a duplicate mapping. Preferred (and applied by fix-all) only when sure:
//! a did-you-mean is a guess that may change what a mapping means.

use super::TextEdit;
use crate::check::{Code, Diagnostic, FixKind};
use crate::model::{FileId, Workspace};
use crate::syntax::{Map, lines};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    /// The diagnostic it fixes.
    pub diagnostic: Diagnostic,
    pub edits: Vec<TextEdit>,
    /// The one fix that keeps the meaning, safe to apply without reading
    /// it (fix-all applies these only).
    pub preferred: bool,
}

/// Quick fixes for the given diagnostics (those of one file, overlapping
/// the range the client asked about).
pub fn quick_fixes(ws: &Workspace, diagnostics: &[Diagnostic]) -> Vec<CodeAction> {
    let mut out = Vec::new();
    for d in diagnostics {
        if let Some(fix) = &d.fix {
            let title = match d.code {
                Code::UntidyText => "Tidy whitespace".to_string(),
                Code::SupersededReference => format!("Map to `{}` instead", fix.replacement),
                _ => format!("Replace with `{}`", fix.replacement),
            };
            out.push(CodeAction {
                title,
                diagnostic: d.clone(),
                edits: vec![TextEdit {
                    file: d.file,
                    range: d.range.clone(),
                    new_text: fix.replacement.clone(),
                }],
                preferred: fix.kind == FixKind::Sure,
            });
        }
        if d.code == Code::DuplicateMapping
            && let Some((edit, exact)) = remove_target(ws, d)
        {
            out.push(CodeAction {
                title: "Remove the duplicate mapping".into(),
                diagnostic: d.clone(),
                edits: vec![edit],
                preferred: exact,
            });
        }
    }
    out
}

/// Removes the duplicated target: the whole `map` when it is the only
/// target, otherwise the target and its separating comma. True with it
/// when the duplicate is exact: every field of its map besides the
/// relation and excerpt they share (a `note`, a `rationale`) is in the
/// first mapping's map too, so that nothing said about it is lost.
fn remove_target(ws: &Workspace, d: &Diagnostic) -> Option<(TextEdit, bool)> {
    let file = ws.file(d.file);
    let text = &file.text;
    // Maps and their targets are in the order of the text: found by
    // binary search (a file of 100,000 duplicate maps, or a map of 39,000
    // duplicate targets, asks once per duplicate).
    let maps = &file.parse.ast.maps;
    let m = maps.partition_point(|m| m.block_range().start <= d.range.start);
    let map = maps[..m].last()?;
    let i = map
        .targets
        .partition_point(|t| t.range().start < d.range.start);
    if map.targets.get(i).is_none_or(|t| t.range() != d.range) {
        return None;
    }
    let exact = d
        .related
        .first()
        .and_then(|r| map_at(ws, r.file, r.range.start))
        .is_some_and(|(first, first_text)| {
            // The relation and the excerpt are equal: a duplicate's identity.
            map.fields
                .iter()
                .filter(|f| !matches!(f.name.text.as_str(), "relation" | "excerpt"))
                .all(|f| {
                    first.fields.iter().any(|g| {
                        g.name.text == f.name.text
                            && words(&first_text[g.values_range()])
                                .eq(words(&text[f.values_range()]))
                    })
                })
        });
    if map.targets.len() == 1 {
        let start = lines::start_of_line(text, map.range().start);
        let line_prefix_blank = text[start..map.range().start].trim().is_empty();
        let start = if line_prefix_blank {
            start
        } else {
            map.range().start
        };
        let end = lines::skip_break(text.as_bytes(), map.range().end);
        return Some((
            TextEdit {
                file: d.file,
                range: start..end,
                new_text: String::new(),
            },
            exact,
        ));
    }
    let range = if i > 0 {
        map.targets[i - 1].range().end..d.range.end
    } else {
        d.range.start..map.targets[1].range().start
    };
    Some((
        TextEdit {
            file: d.file,
            range,
            new_text: String::new(),
        },
        exact,
    ))
}

/// The map of `file` whose text holds `offset`, and the file's text.
fn map_at(ws: &Workspace, file: FileId, offset: usize) -> Option<(&Map, &str)> {
    let f = ws.file(file);
    let maps = &f.parse.ast.maps;
    let m = maps.partition_point(|m| m.block_range().start <= offset);
    Some((maps[..m].last()?, &f.text))
}

/// The words of a field's values as written (whitespace folded).
fn words(text: &str) -> std::str::SplitWhitespace<'_> {
    text.split_whitespace()
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture::Fixture;

    /// Every quick fix for the fixture's diagnostics: its title, the
    /// diagnostic, and the files after applying it.
    fn check(fixture: &str, expect: Expect) {
        let fx = Fixture::parse(fixture);
        let diagnostics = crate::check::check(&fx.ws);
        let actual: String = quick_fixes(&fx.ws, &diagnostics)
            .iter()
            .map(|a| {
                format!(
                    "{}{} ({} at {})\n{}\n",
                    a.title,
                    if a.preferred { " [preferred]" } else { "" },
                    a.diagnostic.code.as_str(),
                    fx.show(a.diagnostic.file, &a.diagnostic.range),
                    fx.apply(&a.edits)
                )
            })
            .collect();
        expect.assert_eq(&actual);
    }

    /// A did-you-mean is a guess: offered, never preferred (fix-all
    /// applies preferred fixes only), since the nearest name may mean
    /// something else (`subset-of` for `superset-of`).
    #[test]
    fn did_you_mean_a_document_or_a_relation_is_not_preferred() {
        check(
            "map uk-cop-2018:1 -> etsi-ts:5.1-1 { relation supset-of }\n",
            expect![[r#"
                Replace with `etsi-ts-103-645` (unknown-document at main.xwalk:1:22 `etsi-ts`)
                //- main.xwalk
                map uk-cop-2018:1 -> etsi-ts-103-645:5.1-1 { relation supset-of }

                Replace with `subset-of` (unknown-relation at main.xwalk:1:47 `supset-of`)
                //- main.xwalk
                map uk-cop-2018:1 -> etsi-ts:5.1-1 { relation subset-of }

            "#]],
        );
    }

    #[test]
    fn did_you_mean_a_provision_of_a_built_in_catalog() {
        check(
            "map uk-cop-2018:1 -> etsi-en-303-645:5.1-l {}\n",
            expect![[r#"
                Replace with `5.1-1` (unknown-provision at main.xwalk:1:38 `5.1-l`)
                //- main.xwalk
                map uk-cop-2018:1 -> etsi-en-303-645:5.1-1 {}

            "#]],
        );
    }

    #[test]
    fn duplicate_mapping_removes_the_target_or_the_whole_map() {
        check(
            r#"
            document d { title "D" }
            map d:1 -> uk-cop-2018:1 {}
            map d:1 -> uk-cop-2018:2, uk-cop-2018:1 {}
            map d:1 -> uk-cop-2018:1, uk-cop-2018:3 {}
            "#,
            expect![[r#"
                Remove the duplicate mapping [preferred] (duplicate-mapping at main.xwalk:3:27 `uk-cop-2018:1`)
                //- main.xwalk
                document d { title "D" }
                map d:1 -> uk-cop-2018:1 {}
                map d:1 -> uk-cop-2018:2 {}
                map d:1 -> uk-cop-2018:1, uk-cop-2018:3 {}

                Remove the duplicate mapping [preferred] (duplicate-mapping at main.xwalk:4:12 `uk-cop-2018:1`)
                //- main.xwalk
                document d { title "D" }
                map d:1 -> uk-cop-2018:1 {}
                map d:1 -> uk-cop-2018:2, uk-cop-2018:1 {}
                map d:1 -> uk-cop-2018:3 {}

            "#]],
        );
    }

    #[test]
    fn a_duplicate_with_more_to_say_is_not_removed_in_bulk() {
        // Its note is not in the first: removing it is offered, not
        // preferred.
        check(
            r#"
            document d { title "D" }
            map d:1 -> uk-cop-2018:1 { note "Same" }
            map d:1 -> uk-cop-2018:1 { note "Same" }
            map d:1 -> uk-cop-2018:1 { note "Also for firmware" }
            "#,
            expect![[r#"
                Remove the duplicate mapping [preferred] (duplicate-mapping at main.xwalk:3:12 `uk-cop-2018:1`)
                //- main.xwalk
                document d { title "D" }
                map d:1 -> uk-cop-2018:1 { note "Same" }
                map d:1 -> uk-cop-2018:1 { note "Also for firmware" }

                Remove the duplicate mapping (duplicate-mapping at main.xwalk:4:12 `uk-cop-2018:1`)
                //- main.xwalk
                document d { title "D" }
                map d:1 -> uk-cop-2018:1 { note "Same" }
                map d:1 -> uk-cop-2018:1 { note "Same" }

            "#]],
        );
    }

    #[test]
    fn duplicate_mapping_with_one_target_removes_its_lines() {
        check(
            r#"
            document d { title "D" }
            map d:1 -> uk-cop-2018:1 {}
            map d:1 -> uk-cop-2018:1 {
              relation related
            }
            document e { title "E" }
            "#,
            expect![[r#"
                Remove the duplicate mapping [preferred] (duplicate-mapping at main.xwalk:3:12 `uk-cop-2018:1`)
                //- main.xwalk
                document d { title "D" }
                map d:1 -> uk-cop-2018:1 {}
                document e { title "E" }

            "#]],
        );
    }

    #[test]
    fn superseded_target_maps_to_the_newer_edition() {
        check(
            "document d { title \"D\" }\nmap d:1 -> etsi-en-303-645:5.1-1 {}\n",
            expect![[r#"
                Map to `etsi-en-303-645-v3:5.1-1` instead [preferred] (superseded-reference at main.xwalk:2:12 `etsi-en-303-645:5.1-1`)
                //- main.xwalk
                document d { title "D" }
                map d:1 -> etsi-en-303-645-v3:5.1-1 {}

            "#]],
        );
    }

    #[test]
    fn untidy_text() {
        check(
            "document d {\n  title \"D  title \"\n}\n",
            expect![[r#"
                Tidy whitespace [preferred] (untidy-text at main.xwalk:2:9 `"D  title "`)
                //- main.xwalk
                document d {
                  title "D title"
                }

            "#]],
        );
    }

    #[test]
    fn no_fix_without_a_suggestion() {
        check("map nowhere:1 -> uk-cop-2018:1 {}\n", expect![""]);
    }
}
