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
