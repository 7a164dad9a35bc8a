//! The diff on small workspaces built in memory; the shipped mappings and
//! git revisions are in `server/tests/diff.rs`.

use std::path::PathBuf;

use super::*;
use crate::model::{Config, FileInput, Workspace};

fn workspace(files: &[(&str, &str)]) -> Workspace {
    let inputs = files
        .iter()
        .map(|(name, text)| FileInput {
            path: PathBuf::from(name),
            name: name.to_string(),
            text: text.to_string(),
        })
        .collect();
    Workspace::build(None, Config::default(), inputs)
}

fn diff_of(base: &[(&str, &str)], head: &[(&str, &str)]) -> Diff {
    let (b, h) = (workspace(base), workspace(head));
    let bf: Vec<_> = b.workspace_files().map(|(id, _)| id).collect();
    let hf: Vec<_> = h.workspace_files().map(|(id, _)| id).collect();
    compute(
        Side {
            workspace: &b,
            files: &bf,
        },
        Side {
            workspace: &h,
            files: &hf,
        },
    )
}

const DOC: &str = "document src {\n  title \"Source\"\n}\n";

#[test]
fn moved_reformatted_and_regrouped_maps_are_not_changes() {
    let base = format!(
        "{DOC}\nmap src:a -> uk-cop-2018:1, uk-cop-2018:2 {{\n  excerpt \"one two three four\"\n  note \"n\"\n}}\n\nmap src:b -> uk-cop-2018:3 {{\n  relation equal-to\n}}\n"
    );
    // The maps swapped, into another file, the targets split into two
    // maps, the excerpt reflowed into a block string, the default relation
    // written out, a comment added.
    let head_a = "map src:b -> uk-cop-2018:3 { relation equal-to }\n# moved\nmap src:a -> uk-cop-2018:2 {\n  relation related\n  excerpt \"\"\"\n    one two\n    three   four\n    \"\"\"\n  note \"n\"\n}\n";
    let head_b = format!(
        "{DOC}map src:a -> uk-cop-2018:1 {{ excerpt \"one  two three\\nfour\" note \"n\" }}\n"
    );
    let diff = diff_of(
        &[("a.xwalk", &base)],
        &[("b.xwalk", head_a), ("c.xwalk", &head_b)],
    );
    assert_eq!(diff, Diff::default(), "{diff:#?}");
    assert!(diff.is_empty());
}

#[test]
fn added_removed_and_changed_with_fields_before_and_after() {
    let base = format!(
        "{DOC}map src:a -> uk-cop-2018:1 {{ relation subset-of excerpt \"old\" }}\nmap src:b -> uk-cop-2018:2\n"
    );
    let head = format!(
        "{DOC}map src:a -> uk-cop-2018:1 {{ excerpt \"new\" strength 5 }}\nmap src:c -> uk-cop-2018:2\n"
    );
    let diff = diff_of(&[("m.xwalk", &base)], &[("m.xwalk", &head)]);
    let json = serde_json::to_string_pretty(&serde_json::json!({
        "added": diff.added,
        "removed": diff.removed,
        "changed": diff.changed,
    }))
    .unwrap();
    assert_eq!(
        json,
        r#"{
  "added": [
    {
      "fields": {
        "relation": "related"
      },
      "file": "m.xwalk",
      "line": 5,
      "source": "src:c",
      "target": "uk-cop-2018:2"
    }
  ],
  "changed": [
    {
      "base": {
        "file": "m.xwalk",
        "line": 4
      },
      "fields": {
        "excerpt": {
          "after": "new",
          "before": "old"
        },
        "relation": {
          "after": "related",
          "before": "subset-of"
        },
        "strength": {
          "after": "5",
          "before": null
        }
      },
      "head": {
        "file": "m.xwalk",
        "line": 4
      },
      "source": "src:a",
      "target": "uk-cop-2018:1"
    }
  ],
  "removed": [
    {
      "fields": {
        "relation": "related"
      },
      "file": "m.xwalk",
      "line": 5,
      "source": "src:b",
      "target": "uk-cop-2018:2"
    }
  ]
}"#
    );
    let s = &diff.summary;
    assert_eq!(
        (s.mappings.added, s.mappings.removed, s.mappings.changed),
        (1, 1, 1)
    );
    assert_eq!(
        s.by_source["src"],
        Counts {
            added: 1,
            removed: 1,
            changed: 1
        }
    );
    assert_eq!(s.by_target["uk-cop-2018"].total(), 3);
}

#[test]
fn several_mappings_of_one_identity_match_by_fields_then_excerpt_then_order() {
    let map = |excerpt: &str, note: &str| {
        format!("map src:a -> uk-cop-2018:1 {{ excerpt \"{excerpt}\" note \"{note}\" }}\n")
    };
    // Two excerpts of one pair: one goes, the other's note changes.
    let base = format!("{DOC}{}{}", map("A", "n"), map("B", "n"));
    let head = format!("{DOC}{}", map("B", "m"));
    let diff = diff_of(&[("m.xwalk", &base)], &[("m.xwalk", &head)]);
    assert_eq!(diff.removed.len(), 1);
    assert_eq!(diff.removed[0].fields["excerpt"], "A");
    assert_eq!(diff.changed.len(), 1);
    assert_eq!(
        diff.changed[0].fields.keys().collect::<Vec<_>>(),
        ["note"],
        "matched by excerpt, so only the note changed"
    );
    assert!(diff.added.is_empty());

    // An exact repeat that goes away is one removal, whichever of the two.
    let base = format!("{DOC}{}{}{}", map("A", "n"), map("B", "n"), map("A", "n"));
    let head = format!("{DOC}{}{}", map("B", "n"), map("A", "n"));
    let diff = diff_of(&[("m.xwalk", &base)], &[("m.xwalk", &head)]);
    assert_eq!(
        (diff.added.len(), diff.removed.len(), diff.changed.len()),
        (0, 1, 0)
    );
    assert_eq!(diff.removed[0].location.line, 6, "the last of the repeats");

    // No excerpt in common: paired in source order, the rest added.
    let base = format!("{DOC}{}", map("A", "n"));
    let head = format!("{DOC}{}{}", map("C", "n"), map("D", "n"));
    let diff = diff_of(&[("m.xwalk", &base)], &[("m.xwalk", &head)]);
    assert_eq!(diff.changed.len(), 1);
    assert_eq!(
        diff.changed[0].fields["excerpt"].after.as_deref(),
        Some("C")
    );
    assert_eq!(diff.added.len(), 1);
    assert_eq!(diff.added[0].fields["excerpt"], "D");
}

#[test]
fn documents_and_provisions() {
    let catalog = |title: &str, text: &str, status: &str, extra: &str| {
        format!(
            "document cat {{\n  title \"{title}\"\n  version \"1\"\n  clause c \"C\" {{\n    provision p1 {{ text \"{text}\" status \"{status}\" }}\n{extra}  }}\n}}\n"
        )
    };
    let base = [
        (
            "cat.xwalk",
            catalog("Cat", "Do it.", "M", "    provision p2 { text \"Two\" }\n"),
        ),
        (
            "gone.xwalk",
            "document gone { title \"Gone\" }\n".to_string(),
        ),
        (
            "moved.xwalk",
            "document stays { title \"Same\" }\n".to_string(),
        ),
    ];
    let head = [
        (
            "cat.xwalk",
            catalog(
                "Cat 2",
                "Do  it\\nnow.",
                "R",
                "    provision p3 { text \"Three\" }\n",
            ),
        ),
        ("new.xwalk", "document new { title \"New\" }\n".to_string()),
        (
            "other.xwalk",
            "\n\n# moved here\ndocument stays {\n  title \"Same\"\n}\n".to_string(),
        ),
    ];
    let as_refs = |v: &[(&'static str, String)]| -> Vec<(&'static str, String)> { v.to_vec() };
    let (b, h) = (as_refs(&base), as_refs(&head));
    let b: Vec<(&str, &str)> = b.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let h: Vec<(&str, &str)> = h.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let diff = diff_of(&b, &h);
    let d = &diff.documents;
    assert_eq!(
        d.added.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["new"]
    );
    assert_eq!(
        d.removed.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["gone"]
    );
    assert_eq!(
        d.changed.len(),
        1,
        "the moved document is not changed: {d:#?}"
    );
    let cat = &d.changed[0];
    assert_eq!(cat.id, "cat");
    assert_eq!(
        cat.fields["title"],
        FieldChange {
            before: Some("Cat".into()),
            after: Some("Cat 2".into())
        }
    );
    assert_eq!(cat.provisions.added[0].id, "p3");
    assert_eq!(cat.provisions.removed[0].id, "p2");
    let p1 = &cat.provisions.changed[0];
    assert_eq!(p1.id, "p1");
    assert_eq!(
        p1.fields.keys().collect::<Vec<_>>(),
        ["status", "text"],
        "text and status changed"
    );
    assert_eq!(p1.fields["text"].after.as_deref(), Some("Do  it\nnow."));
    assert_eq!(
        diff.summary.provisions,
        Counts {
            added: 1,
            removed: 1,
            changed: 1
        }
    );
    assert_eq!(diff.summary.documents.total(), 3);
}

#[test]
fn diagnostics_introduced_and_fixed_not_moved() {
    let bad = "map src:x -> uk-cop-2018:99\n";
    let fixed = "map src:y -> uk-cop-2018:1 { relation same }\n";
    let base = format!("{DOC}{bad}{fixed}");
    // `bad` moves below a new map with a new error; `fixed` is fixed.
    let head = format!(
        "{DOC}map src:z -> uk-cop-2018:1 {{ strength 11 }}\n\n{bad}map src:y -> uk-cop-2018:1\n"
    );
    let diff = diff_of(&[("m.xwalk", &base)], &[("m.xwalk", &head)]);
    let codes = |list: &[DiagnosticEntry]| -> Vec<String> {
        list.iter()
            .map(|d| format!("{}@{}", d.code, d.line))
            .collect()
    };
    assert_eq!(codes(&diff.diagnostics.introduced), ["invalid-value@4"]);
    assert_eq!(codes(&diff.diagnostics.fixed), ["unknown-relation@5"]);
    assert_eq!(diff.summary.errors_introduced, 1);
}

#[test]
fn markdown_escapes_values_and_cuts_long_lists() {
    let mut head = DOC.to_string();
    head.push_str(
        "map src:a -> uk-cop-2018:1 { note \"</details> @someone `x` | <b>bold</b>\" }\n",
    );
    for i in 0..25 {
        head.push_str(&format!("map src:n{i} -> uk-cop-2018:2\n"));
    }
    let base = format!("{DOC}map src:a -> uk-cop-2018:1 {{ note \"old\" }}\n");
    let diff = diff_of(&[("m.xwalk", &base)], &[("m.xwalk", &head)]);
    let md = markdown(&diff);
    assert!(
        md.contains("note `old` → ``</details> @someone `x` | <b>bold</b>``"),
        "{md}"
    );
    // The only HTML is ours: every line that starts a tag is one we wrote
    // (the note's `</details>` is inside a code span).
    for line in md.lines().filter(|l| l.starts_with('<')) {
        assert!(
            line == "</details>" || line.starts_with("<details><summary>"),
            "{line}"
        );
    }
    assert_eq!(md.matches("\n</details>\n").count(), 1, "{md}");
    assert!(md.contains("- … and 6 more\n"), "{md}");
    assert!(md.starts_with(
        "### Crosswalk diff\n\n| | Added | Removed | Changed |\n|---|--:|--:|--:|\n| Mappings | 25 | 0 | 1 |\n"
    ));
    assert!(
        md.contains("<details><summary><code>src</code>: 25 added, 0 removed, 1 changed</summary>")
    );
}

#[test]
fn code_spans_hold_any_text() {
    assert_eq!(render::code("a"), "`a`");
    assert_eq!(render::code("a`b"), "``a`b``");
    assert_eq!(render::code("`x`"), "`` `x` ``");
    assert_eq!(render::code("line\nbreak"), "`line break`");
    let long = "x".repeat(500);
    assert_eq!(render::code(&long).chars().count(), 160 + 2);
    assert_eq!(
        render::html("<a href=\"x\">&'"),
        "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
    );
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    /// A `map` of a few sources, targets, excerpts and relations, so that
    /// identities repeat.
    fn map_text((s, t, e, r): (u8, u8, u8, u8)) -> String {
        let excerpt = if e == 0 {
            String::new()
        } else {
            format!(" excerpt \"e{e}\"")
        };
        let relation = ["related", "subset-of", "equal-to"][r as usize % 3];
        format!("map src:{s} -> uk-cop-2018:{t} {{{excerpt} relation {relation} }}\n")
    }

    fn maps() -> impl Strategy<Value = Vec<(u8, u8, u8, u8)>> {
        prop::collection::vec((0u8..3, 1u8..4, 0u8..3, 0u8..3), 0..12)
    }

    fn file(maps: &[(u8, u8, u8, u8)]) -> String {
        let mut text = DOC.to_string();
        for &m in maps {
            text.push_str(&map_text(m));
        }
        text
    }

    proptest! {
        #[test]
        fn counts_add_up_and_the_diff_is_symmetric(a in maps(), b in maps()) {
            let (fa, fb) = (file(&a), file(&b));
            let there = diff_of(&[("m.xwalk", &fa)], &[("m.xwalk", &fb)]);
            let back = diff_of(&[("m.xwalk", &fb)], &[("m.xwalk", &fa)]);
            // Every pair of a side is matched or added/removed.
            prop_assert_eq!(a.len() - there.removed.len(), b.len() - there.added.len());
            prop_assert_eq!(there.added.len(), back.removed.len());
            prop_assert_eq!(there.removed.len(), back.added.len());
            prop_assert_eq!(there.changed.len(), back.changed.len());
            prop_assert_eq!(
                there.diagnostics.introduced.len(),
                back.diagnostics.fixed.len()
            );
        }

        #[test]
        fn reordering_and_splitting_files_is_no_change(a in maps(), cut in 0usize..12) {
            let mut reordered = a.clone();
            reordered.reverse();
            let cut = cut.min(reordered.len());
            let first = file(&reordered[..cut]);
            let rest: String = reordered[cut..].iter().map(|&m| map_text(m)).collect();
            let diff = diff_of(&[("m.xwalk", &file(&a))], &[("x.xwalk", &first), ("y.xwalk", &rest)]);
            // Mappings and documents only: which of several maps of one
            // identity the checker reports (a repeat, a conflict) depends on
            // their order, and the diff shows that faithfully.
            prop_assert_eq!(
                diff.summary.mappings.total() + diff.summary.documents.total(),
                0,
                "{:#?}",
                diff
            );
        }
    }
}

/// A document id renamed, with its maps following it: one rename, and only
/// what else changed in its mappings (here one map added, one excerpt
/// changed), not every mapping removed under the old id and added under
/// the new one.
#[test]
fn a_renamed_document_is_one_rename_not_its_mappings_removed_and_added() {
    let maps = |id: &str, extra: &str| {
        let mut s = format!("document {id} {{\n  title \"Vendor Guide\"\n}}\n");
        for n in 1..=6 {
            s.push_str(&format!(
                "map {id}:a{n} -> uk-cop-2018:{n} {{ excerpt \"e{n}\" }}\n"
            ));
        }
        s + extra
    };
    let base = maps("vendor", "");
    let head = maps("vendor-guide", "map vendor-guide:a7 -> uk-cop-2018:7\n")
        .replace("\"e2\"", "\"e2 edited\"");
    let diff = diff_of(&[("v.xwalk", &base)], &[("v.xwalk", &head)]);
    let d = &diff.documents;
    assert!(d.added.is_empty() && d.removed.is_empty(), "{d:#?}");
    assert_eq!(d.renamed.len(), 1);
    assert_eq!(
        (d.renamed[0].from.as_str(), d.renamed[0].to.as_str()),
        ("vendor", "vendor-guide")
    );
    assert_eq!(diff.summary.documents_renamed, 1);
    let added: Vec<_> = diff
        .added
        .iter()
        .map(|m| (&*m.source, &*m.target))
        .collect();
    assert_eq!(added, [("vendor-guide:a7", "uk-cop-2018:7")]);
    assert!(diff.removed.is_empty(), "{:#?}", diff.removed);
    let changed: Vec<_> = diff
        .changed
        .iter()
        .map(|m| {
            (
                &*m.source,
                m.fields.keys().map(String::as_str).collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(changed, [("vendor-guide:a2", vec!["excerpt"])]);
    expect_test::expect![[r#"
        Mappings: 1 added, 0 removed, 1 changed
        Documents: 0 added, 0 removed, 0 changed, 1 renamed (provisions: 0 added, 0 removed, 0 changed)
        Diagnostics: 0 introduced (0 errors), 0 fixed

        + vendor-guide:a7 -> uk-cop-2018:7  (v.xwalk:10)

        ~ vendor-guide:a2 -> uk-cop-2018:2  (v.xwalk:5)
            excerpt: "e2" -> "e2 edited"

        ~ document vendor renamed to vendor-guide  (v.xwalk:1)
    "#]]
    .assert_eq(&text(&diff));
    assert!(
        markdown(&diff).contains("renamed `vendor` to `vendor-guide` at `v.xwalk:1`"),
        "{}",
        markdown(&diff)
    );
}

/// Renames need evidence: a document removed and an unrelated one added
/// (different mappings, different title) stay a removal and an addition;
/// a document without mappings is renamed only under the same title.
#[test]
fn unrelated_documents_removed_and_added_are_not_a_rename() {
    let base = "document old { title \"Old\" }\nmap old:1 -> uk-cop-2018:1\nmap old:2 -> uk-cop-2018:2\ndocument bare { title \"Same\" }\n";
    let head = "document new { title \"New\" }\nmap new:1 -> uk-cop-2018:5\nmap new:2 -> uk-cop-2018:6\ndocument bare2 { title \"Same\" }\n";
    let diff = diff_of(&[("a.xwalk", base)], &[("a.xwalk", head)]);
    let d = &diff.documents;
    let renamed: Vec<_> = d.renamed.iter().map(|r| (&*r.from, &*r.to)).collect();
    assert_eq!(renamed, [("bare", "bare2")]);
    let ids = |l: &[DocumentEntry]| l.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&d.removed), ["old"]);
    assert_eq!(ids(&d.added), ["new"]);
    assert_eq!((diff.added.len(), diff.removed.len()), (2, 2));
}
