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

/// The release's files as the docs name them (the Mason package of
/// docs/editors.md, the table of docs/install.md) are those the release
/// workflow builds, and the GitHub Action downloads: one archive per target
/// of the workflow's `binaries` matrix, holding `xwalk-TARGET/xwalk`.
#[test]
fn release_files_in_the_docs_are_those_the_workflow_builds() {
    let workflow = repo(".github/workflows/release.yml");
    let binaries = &workflow[workflow.find("\n  binaries:\n").expect("a binaries job")..];
    let binaries = &binaries[..binaries.find("\n  wheels:\n").expect("then wheels")];
    let targets: Vec<&str> = binaries
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- { target: "))
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(targets.len(), 5, "{targets:?}");
    assert!(workflow.contains("dir=\"xwalk-$TARGET\""));
    assert!(workflow.contains("\"dist/$dir.zip\"") && workflow.contains("\"dist/$dir.tar.gz\""));
    let archive = |t: &str| {
        let ext = if t.contains("windows") {
            "zip"
        } else {
            "tar.gz"
        };
        format!("xwalk-{t}.{ext}")
    };

    let editors = repo("docs/editors.md");
    let mason = &editors[editors.find("### Mason").unwrap()..];
    let yaml = &mason[mason.find("```yaml\n").unwrap()..];
    let yaml = &yaml[..yaml[8..].find("```").unwrap()];
    let files: Vec<&str> = yaml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("file: "))
        .collect();
    let bins: Vec<&str> = yaml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("bin: "))
        .collect();
    let mut wanted: Vec<String> = targets.iter().map(|t| archive(t)).collect();
    wanted.sort();
    let mut named: Vec<String> = files.iter().map(|f| f.to_string()).collect();
    named.sort();
    assert_eq!(named, wanted, "the Mason package's files");
    for (file, bin) in files.iter().zip(&bins) {
        let dir = file.trim_end_matches(".tar.gz").trim_end_matches(".zip");
        let exe = if file.ends_with(".zip") {
            "xwalk.exe"
        } else {
            "xwalk"
        };
        assert_eq!(*bin, format!("{dir}/{exe}"));
    }

    let install = repo("docs/install.md");
    let action = repo("tools/xwalk-action-install");
    for t in &targets {
        assert!(
            install.contains(&format!("`{}`", archive(t))),
            "docs/install.md names {}",
            archive(t)
        );
        assert!(
            action.contains(&format!("target={t}")),
            "tools/xwalk-action-install knows {t}"
        );
    }
}
