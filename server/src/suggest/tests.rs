//! The engine on a small workspace whose answers can be worked out by hand.

use super::*;
use crate::model::{Config, FileInput};

const FIXTURE: &str = r#"
document tgt {
  title "Target"
  provision 1 "No default passwords" {
    text "All device passwords shall be unique and not resettable to any universal factory default value."
  }
  provision 2 "Keep software updated" {
    text "Software components should be securely updateable. Updates shall be timely."
  }
  provision 3 "Communicate securely" {
    text "Security-sensitive data should be encrypted in transit."
  }
}

document newer {
  title "Newer edition"
  clause N "Updates" {
    provision N-1 {
      text "Firmware shall be updateable."
      replaces tgt:2
    }
  }
}

document org-a { publisher "Org A" }
document org-b { publisher "Org B" }
document org-c { publisher "Org C" }

map org-a:1 -> tgt:2 {
  excerpt "Firmware images are signed and delivered over the air."
}

map org-b:7 -> tgt:2 {
  excerpt "Signed firmware delivered over the air to every device."
}

map org-c:2 -> newer:N-1 {
  excerpt "Over the air firmware delivery with signature checks."
}

map org-c:3 -> tgt:3 {
  excerpt "Telemetry is encrypted in transit."
}
"#;

fn workspace() -> Workspace {
    Workspace::build(
        None,
        Config::default(),
        vec![FileInput {
            path: "/ws/a.xwalk".into(),
            name: "a.xwalk".into(),
            text: FIXTURE.into(),
        }],
    )
}

fn request<'a>(text: &'a str, target: &'a str, exclude: Option<&'a str>) -> Request<'a> {
    Request {
        text,
        target,
        exclude,
        weights: Weights::DEFAULT,
    }
}

fn show(s: &[Suggestion]) -> Vec<String> {
    s.iter()
        .map(|s| format!("{} {:.3} {}", s.id, s.score, s.why))
        .collect()
}

#[test]
fn neighbours_vote_directly_and_through_replaces() {
    let ws = workspace();
    let got = suggest(
        &ws,
        &request(
            "The vendor delivers signed firmware over the air.",
            "tgt",
            None,
        ),
        3,
    );
    // No word of the text is in tgt's own text: all the evidence is the
    // three firmware excerpts, one of them mapped to the newer edition.
    assert_eq!(
        show(&got),
        [
            "2 0.850 mapped this way by 3 similar recommendations from 3 organisations \
          (1 of them through newer:N-1)"
        ]
    );
}

#[test]
fn the_source_document_is_never_evidence() {
    let ws = workspace();
    let got = suggest(
        &ws,
        &request(
            "The vendor delivers signed firmware over the air.",
            "tgt",
            Some("org-c"),
        ),
        3,
    );
    assert_eq!(
        show(&got),
        ["2 0.850 mapped this way by 2 similar recommendations from 2 organisations"]
    );
    // Nor are the correspondences that touch it.
    let got = suggest(&ws, &request("firmware", "tgt", Some("newer")), 3);
    assert_eq!(
        got[0].why,
        "mapped this way by 2 similar recommendations from 2 organisations"
    );
}

#[test]
fn lexical_similarity_names_the_shared_words() {
    let ws = workspace();
    let got = suggest(
        &ws,
        &request(
            "Passwords must be unique; no universal default.",
            "tgt",
            None,
        ),
        3,
    );
    assert_eq!(
        show(&got),
        ["1 0.150 shares the words “passwords”, “default”, “unique”, “universal”"]
    );
}

#[test]
fn both_parts_add_up_and_rank_in_order() {
    let ws = workspace();
    let got = rank(
        &ws,
        &request("Updates of firmware are encrypted in transit.", "tgt", None),
    );
    let ids: Vec<&str> = got.iter().map(|s| s.id.as_str()).collect();
    // The telemetry excerpt shares two rare words, the firmware ones one
    // each: cubed, its vote outweighs theirs; the title word "updates"
    // adds to 2 a little.
    assert_eq!(ids, ["3", "2"], "{:#?}", show(&got));
    assert_eq!(
        show(&got)[0],
        "3 0.996 mapped this way by 1 similar recommendation from 1 organisation; \
         shares the words “encrypted”, “transit”"
    );
    assert!(got[1].why.ends_with("shares the words “updates”"));
    // Lexical only: the text's words decide.
    let lexical = rank(
        &ws,
        &Request {
            weights: Weights::LEXICAL,
            ..request("Updates of firmware are encrypted in transit.", "tgt", None)
        },
    );
    assert!(lexical.iter().all(|s| !s.why.contains("mapped")));
}

#[test]
fn a_provision_inherits_its_clauses_votes_and_clauses_are_candidates() {
    let ws = workspace();
    // Onto `newer`: the maps to tgt:2 lead to newer:N-1 through `replaces`.
    let got = rank(&ws, &request("signed firmware over the air", "newer", None));
    assert_eq!(got[0].id, "N-1", "{:#?}", show(&got));
    assert!(
        got[0].why.starts_with("mapped this way by 3 similar recommendations from 3 organisations (2 of them through tgt:2)"),
        "{}",
        got[0].why
    );
}

#[test]
fn nothing_for_an_uncatalogued_target_or_wordless_text() {
    let ws = workspace();
    assert!(rank(&ws, &request("firmware", "org-a", None)).is_empty());
    assert!(rank(&ws, &request("firmware", "nowhere", None)).is_empty());
    assert!(rank(&ws, &request("the of 2018 …", "tgt", None)).is_empty());
}

#[test]
fn the_excerpt_index_is_kept_with_the_file() {
    let ws = workspace();
    let f = &ws.files[0];
    assert!(f.derived::<excerpts::FileExcerpts>().is_none());
    let a = excerpts::of(&ws, crate::model::FileId(0));
    let b = excerpts::of_file(f);
    assert!(Arc::ptr_eq(&a, &b));
    assert_eq!(a.len(), 4);
}

/// Two editions whose clauses hold provisions that replace each other,
/// an older code mapped to the first edition's clause, and mappings only
/// onto the older code.
const EDITIONS: &str = r#"
document code {
  title "Code"
  provision 1 "Updates" { text "Keep software updated." }
  provision 2 "Passwords" { text "No default passwords." }
}

document v2 {
  title "Edition 2"
  clause 5.3 "Keep software updated" {
    provision 5.3-1 { text "All software components should be securely updateable." }
    provision 5.3-2 { text "The manufacturer shall publish the support period." }
  }
}

document v3 {
  title "Edition 3"
  supersedes v2
  clause 5.3 "Keep software updated" {
    provision 5.3-1 { replaces v2:5.3-1 }
    provision 5.3-2 { text "The defined support period shall be published." replaces v2:5.3-2 }
    provision 5.3-3 { text "Updates shall be timely." }
  }
}

map code:1 -> v2:5.3 {}

document org-a { publisher "Org A" }
document org-b { publisher "Org B" }

map org-a:1 -> code:1 {
  excerpt "Firmware images are signed and delivered over the air."
}

map org-b:7 -> code:1 {
  excerpt "Signed firmware delivered over the air to every device."
}
"#;

fn editions() -> Workspace {
    Workspace::build(
        None,
        Config::default(),
        vec![FileInput {
            path: "/ws/e.xwalk".into(),
            name: "e.xwalk".into(),
            text: EDITIONS.into(),
        }],
    )
}

/// Code guideline 1 → v2 clause 5.3 (a correspondence) → v3 clause 5.3
/// (whose provisions replace v2's): the evidence reaches the newer
/// edition's clause, and its provisions inherit it, ordered by their words.
#[test]
fn evidence_travels_from_a_clause_to_the_next_editions_clause() {
    let ws = editions();
    let got = rank(
        &ws,
        &request(
            "Signed firmware over the air; publish the support period.",
            "v3",
            None,
        ),
    );
    let provisions: Vec<&str> = got
        .iter()
        .filter(|s| !s.is_clause)
        .map(|s| s.id.as_str())
        .collect();
    // Every provision of 5.3 inherits the clause's votes; the words of
    // 5.3-2 break the tie.
    assert_eq!(provisions[0], "5.3-2", "{:#?}", show(&got));
    let first = got.iter().find(|s| s.id == "5.3-2").unwrap();
    assert!(
        got.iter().any(|s| s.id == "5.3"
            && s.why.starts_with(
                "mapped this way by 2 similar recommendations from 2 organisations (through "
            )),
        "{:#?}",
        show(&got)
    );
    assert!(first.features.inherited > 0.99, "{:?}", first.features);
}

/// A provision without text of its own is matched on the text of what it
/// replaces, and the reason says so.
#[test]
fn a_provision_without_text_borrows_what_it_replaces() {
    let ws = editions();
    let got = rank(
        &ws,
        &Request {
            weights: Weights::LEXICAL,
            ..request(
                "Software components must be securely updateable.",
                "v3",
                None,
            )
        },
    );
    assert_eq!(got[0].id, "5.3-1", "{:#?}", show(&got));
    assert!(
        got[0]
            .why
            .ends_with("with the v2 text of 5.3-1, which this replaces"),
        "{}",
        got[0].why
    );
}

/// With nothing that leads to the target and no word in common, no
/// candidate is confident, and the engine says what was missing.
#[test]
fn no_confident_suggestion_names_the_missing_evidence() {
    let ws = editions();
    // Nothing reaches a target nothing is mapped to (the code's
    // correspondence is left out with the code).
    let req = request(
        "Signed firmware delivered over the air.",
        "v2",
        Some("code"),
    );
    let ranking = super::ranking(&ws, &req);
    assert_eq!(ranking.evidence.neighbours, 2);
    assert_eq!(ranking.evidence.reaching, 0);
    assert!(ranking.confident(5).is_empty(), "{:#?}", ranking.candidates);
    assert_eq!(
        ranking.why_not_confident("v2"),
        "no confident suggestion: none of the 2 most similar mapped recommendations was \
         mapped to v2 or to anything known to correspond to it; no word of the text is in \
         v2's text"
    );
    // A text no excerpt shares a word with.
    let ranking = super::ranking(&ws, &request("Tamper logs.", "v3", None));
    assert!(
        ranking
            .why_not_confident("v3")
            .contains("no mapped recommendation shares a word with the text"),
        "{}",
        ranking.why_not_confident("v3")
    );
    // What is shown is at or above the threshold.
    let req = request("Signed firmware delivered over the air.", "v3", None);
    let shown = super::ranking(&ws, &req).confident(5);
    assert!(shown.iter().all(|s| s.confidence >= calibration::THRESHOLD));
}

/// The calibrated score is the shipped model's probability of the
/// features, and more of the neighbours' votes make it higher.
#[test]
fn confidence_follows_the_evidence() {
    let ws = workspace();
    let got = rank(
        &ws,
        &request(
            "The vendor delivers signed firmware over the air.",
            "tgt",
            None,
        ),
    );
    for s in &got {
        assert!((0.0..=1.0).contains(&s.confidence));
        let p = calibration::probability(&s.features);
        assert_eq!(s.confidence, (p * 1000.0).round() / 1000.0);
    }
    assert!(got[0].features.first && got[0].features.reached);
    assert!(got.iter().skip(1).all(|s| !s.features.first));
    let with = |neighbours: f64| {
        calibration::probability(&calibration::Features {
            neighbours,
            ..got[0].features
        })
    };
    assert!(with(0.9) > with(0.5) && with(0.5) > with(0.1));
}
