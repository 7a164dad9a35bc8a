//! Statistics of a small fixture, checked against values worked out by
//! hand (the comments give the working).

use std::path::PathBuf;

use super::*;
use crate::model::{Config, FileInput, Workspace};

const FIXTURE: &str = r#"
document tgt {
  title "Target"
  clause 1 "One" {
    provision 1.1
    provision 1.2
    clause 1.3 "Sub" {
      provision 1.3.1
    }
  }
  provision 2
  provision 3
}

document src-a {
  title "A"
  publisher "Org A"
}

document src-b {
  title "B"
  publisher "Org A"
}

document src-c {
  title "C"
}

map src-a:x -> tgt:1.1, tgt:2
map src-a:y -> tgt:1.1 { relation subset-of }
map src-b:z -> tgt:1
map src-c:w -> tgt:1.3.1, uk-cop-2018:1
map src-c:v -> tgt:3 { relation no-relationship }
"#;

/// A workspace of one file, `f.xwalk`.
fn workspace(text: &str) -> Workspace {
    Workspace::build(
        None,
        Config::default(),
        vec![FileInput {
            path: PathBuf::from("f.xwalk"),
            name: "f.xwalk".into(),
            text: text.into(),
        }],
    )
}

fn fixture() -> Stats {
    let ws = workspace(FIXTURE);
    assert!(crate::check::check(&ws).is_empty());
    compute(&ws, None)
}

fn provision(t: &TargetDocument, id: &str) -> (usize, usize, Vec<String>) {
    let p = t.provisions.iter().find(|p| p.id == id).unwrap();
    (p.mappings, p.via_clause, p.organisations.clone())
}

#[test]
fn totals() {
    let s = fixture();
    // 2 + 1 + 1 + 2 + 1 pairs; one is no-relationship.
    assert_eq!(s.totals.mappings, 7);
    assert_eq!(s.totals.no_relationship, 1);
    // src-a, src-b, src-c; organisations "Org A" (a and b) and "src-c"
    // (no publisher).
    assert_eq!(s.totals.source_documents, 3);
    assert_eq!(s.totals.organisations, 2);
    // tgt (5 provisions) and the built-in uk-cop-2018 (13).
    assert_eq!(s.totals.target_provisions, 18);
    assert_eq!(s.totals.covered, 4 + 1);
    assert_eq!(s.totals.gaps, 1 + 12);
}

#[test]
fn per_target_provision() {
    let s = fixture();
    let ids: Vec<&str> = s.targets.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["tgt", "uk-cop-2018"]);
    let tgt = &s.targets[0];
    let order: Vec<&str> = tgt.provisions.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(order, ["1.1", "1.2", "1.3.1", "2", "3"]);
    let org_a = || "Org A".to_string();
    // x and y name 1.1; z names its clause 1.
    assert_eq!(provision(tgt, "1.1"), (2, 1, vec![org_a()]));
    assert_eq!(provision(tgt, "1.2"), (0, 1, vec![org_a()]));
    // w names 1.3.1; z covers it through clause 1 (1.3 is inside 1).
    assert_eq!(
        provision(tgt, "1.3.1"),
        (1, 1, vec![org_a(), "src-c".into()])
    );
    assert_eq!(provision(tgt, "2"), (1, 0, vec![org_a()]));
    // v is no-relationship: 3 is a gap.
    assert_eq!(provision(tgt, "3"), (0, 0, vec![]));
    assert_eq!(tgt.gaps, ["3"]);
    assert_eq!(tgt.covered, 4);
    assert_eq!(tgt.provisions[2].clause.as_deref(), Some("1.3"));

    let cop = &s.targets[1];
    assert_eq!(cop.provisions.len(), 13);
    assert_eq!(provision(cop, "1"), (1, 0, vec!["src-c".into()]));
    assert_eq!(cop.gaps.len(), 12);
}

#[test]
fn per_source_document_and_target_clause() {
    let s = fixture();
    let rows = |i: usize| -> Vec<(String, String, usize)> {
        s.sources[i]
            .by_target
            .iter()
            .map(|c| (c.document.clone(), c.clause.clone(), c.mappings))
            .collect()
    };
    let r = |d: &str, c: &str, n| (d.to_string(), c.to_string(), n);
    assert_eq!(s.sources[0].id, "src-a");
    assert_eq!(s.sources[0].organisation, "Org A");
    assert_eq!(s.sources[0].mappings, 3);
    // x and y → 1.1 (clause 1); x → 2 (in no clause: counted as itself).
    assert_eq!(rows(0), [r("tgt", "1", 2), r("tgt", "2", 1)]);
    assert_eq!(s.sources[1].id, "src-b");
    assert_eq!(rows(1), [r("tgt", "1", 1)]);
    // The no-relationship pair is left out: 2 counted mappings.
    assert_eq!(s.sources[2].id, "src-c");
    assert_eq!(s.sources[2].organisation, "src-c");
    assert_eq!(s.sources[2].mappings, 2);
    assert_eq!(rows(2), [r("tgt", "1.3", 1), r("uk-cop-2018", "1", 1)]);
    assert_eq!(
        s.sources[2].by_target[1].title.as_deref(),
        Some("No default passwords")
    );
}

#[test]
fn renders_text_and_markdown() {
    let s = fixture();
    let t = text(&s);
    assert!(
        t.starts_with("7 mappings from 3 source documents (2 organisations), of which 1 `no-relationship`; 2 target documents: 5 of 18 provisions covered (28%), 13 gaps.\n"),
        "{t}"
    );
    assert!(
        t.contains("target tgt (Target): 4 of 5 provisions covered (80%), 1 gap\n"),
        "{t}"
    );
    assert!(
        t.contains("\n  1.3.1      1.3            1           1              2\n"),
        "{t}"
    );
    assert!(t.contains("\n  gaps: 3\n"), "{t}");
    assert!(
        t.contains("source src-a (Org A): 3 mappings\n     2  tgt:1 One\n     1  tgt:2\n"),
        "{t}"
    );
    let m = markdown(&s);
    assert!(m.starts_with("### Crosswalk coverage\n\n"), "{m}");
    assert!(m.contains("| `1.3.1` | `1.3` | 1 | 1 | 2 |\n"), "{m}");
    assert!(m.contains("**Gaps (1):** `3`\n"), "{m}");
    assert!(m.contains("| `src-c` | src-c | 2 |\n"), "{m}");
    assert!(
        m.contains("| `uk-cop-2018:1` No default passwords | 1 |\n"),
        "{m}"
    );
}

#[test]
fn natural_order_of_ids_and_versions() {
    use std::cmp::Ordering::{Greater, Less};
    let cmp = views::compare_versions;
    let mut ids = vec![
        "2.1.5", "4.3.2", "1.10", "1.2.3", "1.2", "A10", "A9", "GP-TM-23", "GP-TM-9", "1.2a", "10",
        "9", "1.02",
    ];
    ids.sort_by(|a, b| cmp(a, b));
    assert_eq!(
        ids,
        [
            "1.02", "1.2", "1.2.3", "1.2a", "1.10", "2.1.5", "4.3.2", "9", "10", "A9", "A10",
            "GP-TM-9", "GP-TM-23"
        ]
    );
    // Total: labels equal but for their separators still differ.
    assert_eq!(cmp("1-2", "1.2"), Less);
    assert_eq!(cmp("1.2", "1-2"), Greater);
    // Numbers of any length.
    assert_eq!(
        cmp("99999999999999999999999", "100000000000000000000000"),
        Less
    );
}

/// Gaps are told apart by the provision's status: mandatory (`M …`),
/// recommended (`R …`), and those without one, in text, Markdown and JSON.
#[test]
fn mandatory_and_recommended_gaps_apart() {
    let text_of = r#"
document std {
  title "Standard"
  provision 1 { status "M" }
  provision 2 { status "M C (3)" }
  provision 3 { status "R F (g)" }
  provision 4 { status "R" }
  provision 5
}
document src { title "Src" }
map src:a -> std:4
"#;
    let ws = workspace(text_of);
    let s = compute(&ws, None);
    // 1 and 2 are mandatory gaps, 3 a recommended one, 5 has no status;
    // 4 is covered.
    assert_eq!(
        (
            s.totals.gaps,
            s.totals.mandatory_gaps,
            s.totals.recommended_gaps
        ),
        (4, 2, 1)
    );
    let t = &s.targets[0];
    assert_eq!(t.gaps_of(Some(Level::Mandatory)), ["1", "2"]);
    assert_eq!(t.gaps_of(Some(Level::Recommended)), ["3"]);
    assert_eq!(t.gaps_of(None), ["5"]);
    let out = text(&s);
    assert!(
        out.contains("target std (Standard): 1 of 5 provisions covered (20%), 4 gaps (2 mandatory, 1 recommended)\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "\n  mandatory gaps: 1, 2\n  recommended gaps: 3\n  gaps without a status: 5\n"
        ),
        "{out}"
    );
    let m = markdown(&s);
    assert!(m.contains("\n**Mandatory gaps (2):** `1`, `2`\n"), "{m}");
    assert!(m.contains("\n**Recommended gaps (1):** `3`\n"), "{m}");
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["targets"][0]["provisions"][1]["status"], "M C (3)");
    assert_eq!(json["targets"][0]["mandatory_gaps"], 2);
}
