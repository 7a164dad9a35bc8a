//! Quick fixes for diagnostics: replace with the suggestion a diagnostic
//! carries (did-you-mean, the newer edition's id, the tidy text), or remove
//! a duplicate mapping.

use super::TextEdit;
use crate::check::{Code, Diagnostic};
use crate::model::Workspace;
use crate::syntax::lines;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    /// The diagnostic it fixes.
    pub diagnostic: Diagnostic,
    pub edits: Vec<TextEdit>,
    /// The obvious fix, safe to apply without reading it.
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
                Code::SupersededReference => format!("Map to `{fix}` instead"),
                _ => format!("Replace with `{fix}`"),
            };
            out.push(CodeAction {
                title,
                diagnostic: d.clone(),
                edits: vec![TextEdit {
                    file: d.file,
                    range: d.range.clone(),
                    new_text: fix.clone(),
                }],
                preferred: true,
            });
        }
        if d.code == Code::DuplicateMapping
            && let Some(edit) = remove_target(ws, d)
        {
            out.push(CodeAction {
                title: "Remove the duplicate mapping".into(),
                diagnostic: d.clone(),
                edits: vec![edit],
                preferred: true,
            });
        }
    }
    out
}

/// Removes the duplicated target: the whole `map` when it is the only
/// target, otherwise the target and its separating comma.
fn remove_target(ws: &Workspace, d: &Diagnostic) -> Option<TextEdit> {
    let file = ws.file(d.file);
    let text = &file.text;
    // Maps and their targets are in the order of the text: found by
    // binary search (a file of 100,000 duplicate maps, or a map of 39,000
    // duplicate targets, asks once per duplicate).
    let maps = &file.parse.ast.maps;
    let m = maps.partition_point(|m| m.range.start <= d.range.start);
    let map = maps[..m].last()?;
    let i = map
        .targets
        .partition_point(|t| t.range().start < d.range.start);
    if map.targets.get(i).is_none_or(|t| t.range() != d.range) {
        return None;
    }
    if map.targets.len() == 1 {
        let start = lines::start_of_line(text, map.range.start);
        let line_prefix_blank = text[start..map.range.start].trim().is_empty();
        let start = if line_prefix_blank {
            start
        } else {
            map.range.start
        };
        let end = lines::skip_break(text.as_bytes(), map.range.end);
        return Some(TextEdit {
            file: d.file,
            range: start..end,
            new_text: String::new(),
        });
    }
    let range = if i > 0 {
        map.targets[i - 1].range().end..d.range.end
    } else {
        d.range.start..map.targets[1].range().start
    };
    Some(TextEdit {
        file: d.file,
        range,
        new_text: String::new(),
    })
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

    #[test]
    fn did_you_mean_a_provision_of_a_built_in_catalog() {
        check(
            "map uk-cop-2018:1 -> etsi-en-303-645:5.1-l {}\n",
            expect![[r#"
                Replace with `5.1-1` [preferred] (unknown-provision at main.xwalk:1:38 `5.1-l`)
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
