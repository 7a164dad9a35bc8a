//! The built-in regulation catalogs (EU CRA Annex I, UK PSTI Schedule 1) as
//! targets of a small workspace: each gets its target pages, down to a
//! provision nested two clauses deep and a provision declared without text.

use std::path::PathBuf;

use super::*;
use crate::model::{Config, FileInput, Workspace};

const FIXTURE: &str = r#"
document vendor {
  title "Vendor guide"
  publisher "Vendor"
}

map vendor:1 -> eu-cra-2024:I.2.c, uk-psti-2023:3.2 { relation related }
map vendor:2 -> eu-cra-2024:II.5 { relation subset-of }
map vendor:3 -> uk-psti-2023:1 { relation related }
map vendor:4 -> uk-psti-2023:1.5
"#;

fn site() -> Vec<SiteFile> {
    let ws = Workspace::build(
        None,
        Config::default(),
        vec![FileInput {
            path: PathBuf::from("f.xwalk"),
            name: "f.xwalk".into(),
            text: FIXTURE.into(),
        }],
    );
    let files: Vec<FileId> = ws.workspace_files().map(|(id, _)| id).collect();
    build(&ws, &files, &Options::default())
}

fn page<'a>(site: &'a [SiteFile], path: &str) -> &'a str {
    let f = site
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"));
    std::str::from_utf8(&f.bytes).unwrap()
}

#[test]
fn the_regulations_are_targets_with_their_pages() {
    let site = site();
    let cra = page(&site, "target/eu-cra-2024/index.html");
    // All 22 points of Annex I are listed, 2 of them covered.
    assert!(cra.contains("2 of 22 provisions covered"), "{cra}");
    let point = page(&site, "target/eu-cra-2024/I.2.c.html");
    assert!(
        point.contains("ensure that vulnerabilities can be addressed through security updates")
    );
    assert!(point.contains("Vendor guide") || point.contains("vendor"));
    page(&site, "target/eu-cra-2024/clause-I.2.html");
    page(&site, "target/eu-cra-2024/clause-II.html");

    let psti = page(&site, "target/uk-psti-2023/index.html");
    // 10 provisions declared: 1.1 to 1.5 covered through clause 1, 3.2
    // directly (1.5, declared without text, also directly).
    assert!(
        psti.contains("6 of 10 provisions covered, 4 gaps."),
        "{psti}"
    );
    let clause = page(&site, "target/uk-psti-2023/clause-1.html");
    assert!(clause.contains("Passwords"));
    // A provision without text still has its page.
    page(&site, "target/uk-psti-2023/1.5.html");
}
