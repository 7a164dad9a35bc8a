//! The built-in regulation catalogs (`eu-cra-2024`, `uk-psti-2023`,
//! `nist-ir-8259a`) in use: the shipped correspondences check clean, and
//! references into the catalogs are checked, hovered and completed like
//! those into the older catalogs.

use std::path::PathBuf;

use crate::common::repo;
use xwalk::model::{Config, FileInput, Workspace};

const FIXTURE: &str = "document vendor { title \"Vendor guide\" }\n\
map vendor:1 -> eu-cra-2024:I.2.c, uk-psti-2023:3.2, nist-ir-8259a:software-update.2\n\
map vendor:2 -> eu-cra-2024:I.2.n\n\
map vendor:3 -> eu-cra-2024:\n";

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

#[test]
fn the_shipped_mappings_with_the_correspondences_check_clean() {
    let (loads, errors) = xwalk::model::load::load_paths(&[repo().join("mappings")]);
    assert!(errors.is_empty());
    let ws = &loads[0].workspace;
    let diagnostics = xwalk::check::check(ws);
    let shown: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{}: {}", ws.file(d.file).name, d.message))
        .collect();
    assert!(shown.is_empty(), "{shown:#?}");
    // The correspondence files are part of the workspace.
    let names: Vec<&str> = ws.workspace_files().map(|(_, f)| f.name.as_str()).collect();
    for file in [
        "uk-psti-2023-deemed-compliance.xwalk",
        "uk-psti-2023-to-uk-cop-2018.xwalk",
    ] {
        assert!(names.iter().any(|n| n.ends_with(file)), "{file} not loaded");
    }
}

#[test]
fn references_into_the_regulations_resolve_and_typos_do_not() {
    let ws = workspace(FIXTURE);
    let diagnostics = xwalk::check::check(&ws);
    let unresolved: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "unknown-provision")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(unresolved.len(), 1, "{diagnostics:#?}");
    assert!(unresolved[0].contains("I.2.n"), "{unresolved:?}");
}

#[test]
fn hover_shows_the_quoted_text_of_a_regulation() {
    let ws = workspace(FIXTURE);
    let (file, f) = ws.workspace_files().next().unwrap();
    for (reference, quoted) in [
        (
            "I.2.c",
            "ensure that vulnerabilities can be addressed through security updates",
        ),
        (
            "software-update.2",
            "The ability to verify and authenticate any update before installing it",
        ),
    ] {
        let offset = f.text.find(reference).unwrap() + 2;
        let hover = xwalk::ide::hover::hover(&ws, file, offset).expect("a hover");
        assert!(hover.markdown.contains(quoted), "{}", hover.markdown);
    }
}

#[test]
fn completion_offers_the_points_of_annex_i() {
    let ws = workspace(FIXTURE);
    let (file, f) = ws.workspace_files().next().unwrap();
    let offset = f.text.rfind("eu-cra-2024:").unwrap() + "eu-cra-2024:".len();
    let labels: Vec<String> = xwalk::ide::completion::completions(&ws, file, offset)
        .into_iter()
        .map(|c| c.label)
        .collect();
    for id in ["I", "I.1", "I.2", "I.2.a", "I.2.m", "II", "II.8"] {
        assert!(
            labels.iter().any(|l| l == id),
            "{id} not offered: {labels:?}"
        );
    }
}
