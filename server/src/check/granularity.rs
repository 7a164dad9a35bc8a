//! `granularity-mismatch`: a source that maps both to clauses and to
//! provisions of one document must map to the clauses of the provisions it
//! maps to, and to provisions of the clauses it maps to.
//!
//! A mapping written as two tables (one clause by clause, one provision by
//! provision) drifts apart when one is corrected and the other is not: the
//! clause table says guideline 8 corresponds to clause 5.8, the provision
//! table maps guideline 8 to provisions of clause 6 as well. The rule
//! compares the two within each source and target document, across files
//! (the groups of `duplicates::Groups`, keyed by source and target
//! document).

use super::{Code, Diagnostic};
use crate::model::index::{DocumentInfo, EndpointKey};
use crate::model::{FileId, Workspace};
use crate::syntax::TextRange;

/// One target of the source, resolved in its catalogued document.
struct Target<'a> {
    file: FileId,
    range: TextRange,
    id: &'a str,
    /// The innermost clause holding a provision; `None` for a provision
    /// outside any clause.
    clause: Option<&'a str>,
    /// Is the target a clause (else a provision)?
    is_clause: bool,
}

/// The findings among `group`: maps `(file, map)` whose source and some
/// target's document hash alike (several sources and documents when
/// hashes collide), in file order.
pub fn check(ws: &Workspace, group: u64, members: &[(FileId, u32)]) -> Vec<Diagnostic> {
    // (source, target document) → its targets, in file order.
    let mut by_key: Vec<((EndpointKey, &str), Vec<Target>)> = Vec::new();
    for &(file, m) in members {
        let map = &ws.file(file).parse.ast.maps[m as usize];
        let source = EndpointKey::of(&map.source);
        for target in &map.targets {
            let (document, Some(id)) = target.key() else {
                continue;
            };
            // Only the group's own document: a map with targets in two
            // documents is in two groups, and each reports its own.
            if super::duplicates::granular_hash(map, &target.document().text) != group {
                continue;
            }
            let Some(doc) = ws.index.document(document) else {
                continue;
            };
            let Some(resolved) = resolve(doc, id, file, target.range()) else {
                continue;
            };
            let key = (source.clone(), doc.id.as_str());
            match by_key.iter_mut().find(|(k, _)| *k == key) {
                Some((_, list)) => list.push(resolved),
                None => by_key.push((key, vec![resolved])),
            }
        }
    }
    let mut out = Vec::new();
    for ((source, document), targets) in &by_key {
        let doc = ws.index.document(document).expect("resolved above");
        compare(doc, source, targets, &mut out);
    }
    out
}

fn resolve<'a>(
    doc: &'a DocumentInfo,
    id: &str,
    file: FileId,
    range: TextRange,
) -> Option<Target<'a>> {
    if let Some(p) = doc.provision(id) {
        return Some(Target {
            file,
            range,
            id: &p.id,
            clause: p.clause.as_deref(),
            is_clause: false,
        });
    }
    let c = doc.clause(id)?;
    Some(Target {
        file,
        range,
        id: &c.id,
        clause: Some(&c.id),
        is_clause: true,
    })
}

/// `DOC:ID` as written in a mapping.
fn name(doc: &DocumentInfo, id: &str) -> String {
    EndpointKey {
        document: doc.id.clone(),
        id: Some(id.to_string()),
    }
    .to_string()
}

/// At most `n` names in backquotes, then how many more.
fn list(names: &[String], n: usize) -> String {
    let mut s: Vec<String> = names.iter().take(n).map(|x| format!("`{x}`")).collect();
    if names.len() > n {
        s.push(format!("{} more", names.len() - n));
    }
    s.join(", ")
}

fn compare(
    doc: &DocumentInfo,
    source: &EndpointKey,
    targets: &[Target],
    out: &mut Vec<Diagnostic>,
) {
    let clauses: Vec<&Target> = targets.iter().filter(|t| t.is_clause).collect();
    let provisions: Vec<&Target> = targets.iter().filter(|t| !t.is_clause).collect();
    if clauses.is_empty() || provisions.is_empty() {
        return;
    }
    let mut clause_names: Vec<String> = clauses.iter().map(|t| name(doc, t.id)).collect();
    clause_names.dedup();
    let holds = |clause: &str, p: &Target| {
        p.clause
            .is_some_and(|inner| doc.clause_holds(clause, inner))
    };
    for &p in &provisions {
        if clauses.iter().any(|c| holds(c.id, p)) {
            continue;
        }
        let of = match p.clause {
            Some(c) => format!("clause `{}`", name(doc, c)),
            None => "no clause".to_string(),
        };
        out.push(
            Diagnostic::new(
                Code::GranularityMismatch,
                p.file,
                p.range.clone(),
                format!(
                    "`{source}` maps to provision `{}` (in {of}), but not to its clause: the clauses it maps to are {}",
                    name(doc, p.id),
                    list(&clause_names, 5)
                ),
            )
            .help(match p.clause {
                Some(c) => format!(
                    "map `{source}` to `{}` as well, or correct whichever table is wrong",
                    name(doc, c)
                ),
                None => "correct whichever table is wrong".to_string(),
            })
            .related(clauses[0].file, clauses[0].range.clone(), "a clause it maps to"),
        );
    }
    let mut provision_names: Vec<String> = provisions.iter().map(|t| name(doc, t.id)).collect();
    provision_names.dedup();
    for &c in &clauses {
        if provisions.iter().any(|&p| holds(c.id, p)) {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::GranularityMismatch,
                c.file,
                c.range.clone(),
                format!(
                    "`{source}` maps to clause `{}`, but to none of its provisions: the provisions it maps to are {}",
                    name(doc, c.id),
                    list(&provision_names, 5)
                ),
            )
            .help(format!(
                "map `{source}` to the provisions of `{}` it corresponds to, or correct whichever table is wrong",
                name(doc, c.id)
            ))
            .related(
                provisions[0].file,
                provisions[0].range.clone(),
                "a provision it maps to",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::annotations::{assert_annotated, edited, workspace};
    use crate::check::{self, Analysis, Code};

    /// A catalogued target with two levels of clauses.
    const SPEC: &str = r#"document spec {
  title "Spec"
  clause 5 "Top" {
    clause 5.1 "One" {
      provision 5.1-1 { text "a" }
      provision 5.1-2 { text "b" }
    }
    clause 5.2 "Two" {
      provision 5.2-1 { text "c" }
    }
  }
  clause 6 "Six" {
    provision 6-1 { text "d" }
  }
  clause 7 "Seven" {
    provision 7-1 { text "e" }
  }
}
document guide { title "Guide" }
"#;

    const G: &[Code] = &[Code::GranularityMismatch];

    #[test]
    fn provisions_outside_the_mapped_clauses_and_clauses_without_provisions() {
        let maps = r#"map guide:8 -> spec:5.1, spec:7
#                        ^^^^^^ granularity-mismatch
map guide:8 -> spec:5.1-1, spec:6-1
#                          ^^^^^^^^ granularity-mismatch
"#;
        assert_annotated(&[("spec.xwalk", SPEC), ("maps.xwalk", maps)], "", G);
    }

    #[test]
    fn the_two_tables_may_be_in_different_files() {
        let clauses = r#"map guide:8 -> spec:5.2
#              ^^^^^^^^ granularity-mismatch
"#;
        let provisions = r#"map guide:8 -> spec:6-1
#              ^^^^^^^^ granularity-mismatch
map guide:9 -> spec:6-1
"#;
        assert_annotated(
            &[
                ("spec.xwalk", SPEC),
                ("clauses.xwalk", clauses),
                ("provisions.xwalk", provisions),
            ],
            "",
            G,
        );
    }

    #[test]
    fn agreeing_tables_and_one_granularity_are_quiet() {
        // Clause 5 holds 5.1 which holds 5.1-2; 6 and 6-1 agree.
        let maps = r#"map guide:1 -> spec:5, spec:6
map guide:1 -> spec:5.1-2, spec:6-1
map guide:2 -> spec:5.1, spec:7
map guide:3 -> spec:5.1-1, spec:7-1
map guide:4 -> spec:5.1-1, other:6
map spec:6-1 -> spec:7, spec:5.2-1
#                       ^^^^^^^^^^ granularity-mismatch
#               ^^^^^^ granularity-mismatch
"#;
        let other =
            "document other { title \"O\"\n  clause 6 \"x\" { provision 6-9 { text \"y\" } } }\n";
        assert_annotated(
            &[
                ("spec.xwalk", SPEC),
                ("maps.xwalk", maps),
                ("other.xwalk", other),
            ],
            "",
            G,
        );
    }

    #[test]
    fn a_map_with_targets_in_two_documents_reports_each_finding_once() {
        // Two groups hold this map (guide:8 → spec, guide:8 → other): each
        // compares its own document's targets only.
        let maps = r#"map guide:8 -> spec:5.1, spec:6-1, other:6, other:6-9
#                        ^^^^^^^^ granularity-mismatch
#              ^^^^^^^^ granularity-mismatch
"#;
        let other =
            "document other { title \"O\"\n  clause 6 \"x\" { provision 6-9 { text \"y\" } } }\n";
        assert_annotated(
            &[
                ("spec.xwalk", SPEC),
                ("maps.xwalk", maps),
                ("other.xwalk", other),
            ],
            "",
            G,
        );
    }

    #[test]
    fn message_names_the_clauses_and_the_help_the_fix() {
        let ws = workspace(
            &[
                ("spec.xwalk", SPEC),
                ("m.xwalk", "map guide:8 -> spec:5.1, spec:6-1\n"),
            ],
            "",
        );
        let found = check::check(&ws);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(
            found[0].message,
            "`guide:8` maps to clause `spec:5.1`, but to none of its provisions: the provisions it maps to are `spec:6-1`"
        );
        assert_eq!(
            found[1].message,
            "`guide:8` maps to provision `spec:6-1` (in clause `spec:6`), but not to its clause: the clauses it maps to are `spec:5.1`"
        );
        assert_eq!(
            found[1].help.as_deref(),
            Some("map `guide:8` to `spec:6` as well, or correct whichever table is wrong")
        );
    }

    #[test]
    fn an_edited_target_is_seen_by_the_incremental_analysis() {
        // Same source, same document, same number of targets: only an id
        // changes, from an agreeing clause to a disagreeing one.
        let before = workspace(
            &[
                ("spec.xwalk", SPEC),
                ("m.xwalk", "map guide:8 -> spec:5.1, spec:5.1-1\n"),
            ],
            "",
        );
        let mut analysis = Analysis::new(&before);
        assert!(analysis.diagnostics(&before).is_empty());
        let after = edited(&before, 1, "map guide:8 -> spec:7, spec:5.1-1\n");
        analysis.update(&after);
        assert_eq!(analysis.diagnostics(&after).len(), 2);
        assert_eq!(analysis.diagnostics(&after), check::check(&after));
    }

    #[test]
    fn a_moved_provision_is_seen_by_the_incremental_analysis() {
        let maps = "map guide:8 -> spec:5.1, spec:6-1\n";
        let before = workspace(&[("spec.xwalk", SPEC), ("m.xwalk", maps)], "");
        // 6-1 moves into clause 5.1: the maps did not change, the
        // declarations did.
        let moved = SPEC
            .replace("    provision 6-1 { text \"d\" }\n", "")
            .replace(
                "      provision 5.1-2 { text \"b\" }\n",
                "      provision 5.1-2 { text \"b\" }\n      provision 6-1 { text \"d\" }\n",
            );
        let mut analysis = Analysis::new(&before);
        assert_eq!(analysis.diagnostics(&before).len(), 2);
        let after = edited(&before, 0, &moved);
        analysis.update(&after);
        assert_eq!(analysis.diagnostics(&after), check::check(&after));
        assert!(
            check::check(&after).is_empty(),
            "{:#?}",
            check::check(&after)
        );
    }
}
