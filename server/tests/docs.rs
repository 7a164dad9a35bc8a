//! The documentation stays in step with the code.

use std::path::{Path, PathBuf};

use xwalk::codes::Code;
use xwalk::model::schema::{self, BlockKind};
use xwalk::model::{Config, FileInput, Workspace};

fn repo(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn every_code_is_documented_with_examples() {
    let doc = repo("docs/diagnostics.md");
    for code in Code::ALL {
        let heading = format!("\n## {}\n", code.as_str());
        let start = doc
            .find(&heading)
            .unwrap_or_else(|| panic!("docs/diagnostics.md has no `## {code}`"));
        let section = &doc[start + heading.len()..];
        let section = &section[..section.find("\n## ").unwrap_or(section.len())];
        assert!(
            section.contains(code.as_str()),
            "{code}: the section shows no output naming the code"
        );
        assert!(
            section.matches("```").count() >= 4,
            "{code}: needs a failing and a passing example"
        );
    }
}

#[test]
fn every_field_is_in_the_format_spec() {
    let doc = repo("docs/format.md");
    for kind in [
        BlockKind::Document,
        BlockKind::Clause,
        BlockKind::Provision,
        BlockKind::Map,
    ] {
        for field in schema::fields(kind) {
            assert!(
                doc.contains(&format!("`{}`", field.name)),
                "docs/format.md does not mention `{}`",
                field.name
            );
        }
    }
    for relation in schema::RELATIONS {
        assert!(
            doc.contains(&format!("`{relation}`")),
            "docs/format.md does not mention `{relation}`"
        );
    }
}

#[test]
fn readme_example_is_clean() {
    let readme = repo("README.md");
    let start = readme.find("```\n# Vendor").expect("README example") + 4;
    let end = start + readme[start..].find("```").unwrap();
    let ws = Workspace::build(
        None,
        Config::default(),
        vec![FileInput {
            path: PathBuf::from("README.xwalk"),
            name: "README.xwalk".into(),
            text: readme[start..end].to_string(),
        }],
    );
    assert!(ws.mapping_count() == 3);
    let diagnostics = xwalk::check::check(&ws);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
}
