//! Hover: what a document or provision is, its text and status, how much
//! of the workspace maps to it; on a map source, the excerpt beside each
//! target's text.

use super::{Symbol, symbol_at};
use crate::model::index::{DocumentInfo, EndpointKey, ProvisionInfo};
use crate::model::wording::wording;
use crate::model::{FileId, Workspace};
use crate::plural::plural;
use crate::syntax::{Endpoint, Map, TextRange};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub range: TextRange,
    /// Markdown.
    pub markdown: String,
}

pub fn hover(ws: &Workspace, file: FileId, offset: usize) -> Option<Hover> {
    let occurrence = symbol_at(ws, file, offset)?;
    let mut markdown = match &occurrence.symbol {
        Symbol::Document(id) => document_markdown(ws, ws.index.document(id)?),
        Symbol::Provision { document, id } => provision_markdown(ws, document, id)?,
    };
    let source = source_map(ws, file, &occurrence.range);
    // Where it lands in the current edition and in PSTI (a derived map:
    // its chain instead).
    if let Symbol::Provision { document, id } = &occurrence.symbol {
        let derived = source.and_then(super::chains::derived_map_markdown);
        if let Some(md) = derived.or_else(|| super::chains::landing_markdown(ws, document, id)) {
            markdown.push_str("\n\n");
            markdown.push_str(&md);
        }
    }
    // On a map source: the excerpt beside each target's text.
    if let Some(side) = source.map(|map| source_side_by_side(ws, map)) {
        markdown.push_str("\n\n---\n\n");
        markdown.push_str(&side);
    }
    Some(Hover {
        range: occurrence.range,
        markdown,
    })
}

fn document_markdown(ws: &Workspace, doc: &DocumentInfo) -> String {
    let mut md = format!("**{}**", doc.title.as_deref().unwrap_or(&doc.id));
    md.push_str(&format!("\n\n`{}`", doc.id));
    if let Some(v) = &doc.version {
        md.push_str(&format!(" · {v}"));
    }
    if let Some(p) = &doc.publisher {
        md.push_str(&format!(" · {p}"));
    }
    if ws.file(doc.decl.file).is_builtin() {
        md.push_str(" · built-in catalog");
    }
    if doc.is_catalogued() {
        md.push_str(&format!(
            "\n\n{} in {}. Catalogued: a reference into it must name one of them.",
            plural(doc.provisions.len(), "provision", "provisions"),
            plural(doc.clauses.len(), "clause", "clauses")
        ));
    } else {
        md.push_str("\n\nNot catalogued: any section id is accepted as a source.");
    }
    let (count, orgs) = ws.mapped_to(&EndpointKey {
        document: doc.id.clone(),
        id: None,
    });
    let as_target: usize = doc
        .provisions
        .iter()
        .map(|p| p.id.as_str())
        .chain(doc.clauses.iter().map(|c| c.id.as_str()))
        .map(|id| {
            ws.maps_to(&EndpointKey {
                document: doc.id.clone(),
                id: Some(id.to_string()),
            })
            .count()
        })
        .sum::<usize>()
        + count;
    let as_source: usize = ws
        .workspace_files()
        .flat_map(|(_, f)| &f.parse.ast.maps)
        .filter(|m| m.source.document().text == doc.id)
        .map(|m| m.targets.len())
        .sum();
    md.push_str(&format!(
        "\n\nIn this workspace: {} from it, {as_target} onto it{}.",
        plural(as_source, "mapping", "mappings"),
        if orgs > 0 {
            format!(
                " ({} to the document itself)",
                plural(orgs, "organisation maps", "organisations map")
            )
        } else {
            String::new()
        }
    ));
    md
}

fn provision_markdown(ws: &Workspace, document: &str, id: &str) -> Option<String> {
    let doc = ws.index.document(document)?;
    let key = EndpointKey {
        document: document.to_string(),
        id: Some(id.to_string()),
    };
    let mut md = String::new();
    let edition = match (&doc.title, &doc.version) {
        (Some(t), Some(v)) => format!("*{t}*, {v}"),
        (Some(t), None) => format!("*{t}*"),
        _ => format!("`{}`", doc.id),
    };
    if let Some(p) = doc.provision(id) {
        md.push_str(&format!("**{key}**"));
        if let Some(t) = &p.title {
            md.push_str(&format!(" — {t}"));
        }
        md.push_str(&format!("\n\n{edition}"));
        if let Some(clause) = p.clause.as_deref().and_then(|c| doc.clause(c)) {
            md.push_str(&format!(", clause {}", clause.id));
            if let Some(t) = &clause.title {
                md.push_str(&format!(" {t}"));
            }
        }
        status(&mut md, p);
        match wording(&ws.index, p) {
            Some(w) => {
                if let Some(label) = w.label() {
                    md.push_str(&format!(
                        "\n\n*Text not included in the catalog. The {label}:*"
                    ));
                }
                md.push_str("\n\n");
                md.push_str(&quote(w.text()));
            }
            None => md.push_str("\n\n*Text not included in the catalog.*"),
        }
        if let Some(newer) = ws
            .index
            .replaced_by
            .get(&(document.to_string(), id.to_string()))
        {
            let names: Vec<String> = newer
                .iter()
                .map(|(d, i)| {
                    format!(
                        "`{}`",
                        EndpointKey {
                            document: d.clone(),
                            id: Some(i.clone())
                        }
                    )
                })
                .collect();
            md.push_str(&format!(
                "\n\nReplaced by {} in a newer edition.",
                names.join(", ")
            ));
        }
    } else if let Some(c) = doc.clause(id) {
        md.push_str(&format!("**{key}** — clause"));
        if let Some(t) = &c.title {
            md.push_str(&format!(" {t}"));
        }
        md.push_str(&format!("\n\n{edition}"));
        let inside = doc
            .provisions
            .iter()
            .filter(|p| p.clause.as_deref() == Some(id))
            .count();
        md.push_str(&format!(
            "\n\n{}.",
            plural(inside, "provision", "provisions")
        ));
    } else if doc.is_catalogued() {
        return None;
    } else {
        md.push_str(&format!(
            "**{key}**\n\nA section of {edition} (not catalogued)."
        ));
    }
    let (count, orgs) = ws.mapped_to(&key);
    let from = super::code_lens::targets_from(ws, document);
    let targets = from.get(&Some(id));
    // A source catalog (mapped from, never to) says only what it maps to.
    let source_only = count == 0 && !from.is_empty() && !super::code_lens::is_mapped_to(ws, doc);
    if !source_only {
        md.push_str(&format!(
            "\n\nMapped by {} from {} in this workspace.",
            plural(count, "source", "sources"),
            plural(orgs, "organisation", "organisations")
        ));
    }
    if let Some(targets) = targets {
        let mut maps = super::code_lens::describe_targets(ws, targets);
        // "maps to" → "Maps to".
        maps.replace_range(..1, "M");
        const SHOWN: usize = 8;
        let names: Vec<String> = targets
            .iter()
            .take(SHOWN)
            .map(|t| format!("`{t}`"))
            .collect();
        md.push_str(&format!(
            "\n\n{maps} in this workspace: {}{}.",
            names.join(", "),
            if targets.len() > SHOWN { ", …" } else { "" }
        ));
    }
    Some(md)
}

fn status(md: &mut String, p: &ProvisionInfo) {
    if let Some(s) = &p.status {
        md.push_str(&format!(
            "\n\nStatus: `{s}` ({})",
            crate::model::status::describe(s)
        ));
    }
    for c in &p.conditions {
        md.push_str(&format!("\n- {c}"));
    }
}

fn quote(text: &str) -> String {
    crate::syntax::lines::lines(text)
        .map(|l| format!("> {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// The map whose source's id (or document, for a whole document) is at
/// `range`.
fn source_map<'a>(ws: &'a Workspace, file: FileId, range: &TextRange) -> Option<&'a Map> {
    let maps = &ws.file(file).parse.ast.maps;
    // Maps are in source order and do not overlap (as `symbol_at` reads
    // them): only those around `range`.
    let first = maps.partition_point(|m| m.block_range().end < range.start);
    maps[first..]
        .iter()
        .take_while(|m| m.block_range().start <= range.start)
        .find(|m| {
            let id_range = match &m.source {
                Endpoint::Document(n) => n.range(),
                Endpoint::Reference(r) => r.id.range(),
            };
            &id_range == range
        })
        .map(|m| &**m)
}

/// On the id of a `map`'s source: its excerpt beside the text of each
/// target, as a table.
fn source_side_by_side(ws: &Workspace, map: &Map) -> String {
    let excerpt = crate::model::index::field_text(&map.fields, "excerpt").unwrap_or("(no excerpt)");
    let relation = crate::model::index::field_text(&map.fields, "relation").unwrap_or("related");
    let mut md = format!("| Source excerpt | {relation} | Target |\n|---|---|---|\n");
    for target in &map.targets {
        let key = EndpointKey::of(target);
        let target_text = key
            .id
            .as_deref()
            .and_then(|id| {
                let doc = ws.index.document(&key.document)?;
                doc.provision(id)
                    .map(|p| {
                        let title = p
                            .title
                            .as_deref()
                            .map(|t| format!("{t}: "))
                            .unwrap_or_default();
                        let words = match wording(&ws.index, p) {
                            Some(w) => match w.label() {
                                Some(label) => format!("({label}) {}", w.text()),
                                None => w.text().to_string(),
                            },
                            None => "(text not included)".to_string(),
                        };
                        format!("{title}{words}")
                    })
                    .or_else(|| doc.clause(id).map(|c| c.title.clone().unwrap_or_default()))
            })
            .unwrap_or_default();
        md.push_str(&format!(
            "| {} | → | **{key}** {} |\n",
            cell(excerpt),
            cell(&target_text)
        ));
    }
    md
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture::Fixture;

    const GUIDE: &str = r#"
        //- a.xwalk
        document vendor-guide {
          title "Vendor guide"
          publisher "Acme"
          version "2"
          clause 1 "Passwords" {
            provision 1.1 "Unique passwords" {
              status "M C (2)"
              text "Every device has its own password."
            }
            provision 1.2 {}
          }
        }
        document notes {
          title "Field notes"
        }
    "#;

    fn check(fixture: &str, expect: Expect) {
        let fx = Fixture::parse(&format!("{GUIDE}{fixture}"));
        let (file, offset) = fx.position();
        let actual = match hover(&fx.ws, file, offset) {
            Some(h) => format!("{}\n{}", fx.show(file, &h.range), h.markdown),
            None => "nothing".to_string(),
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn provision_with_status_clause_and_counts() {
        check(
            "//- b.xwalk\nmap notes:x -> vendor-guide:1.1$0 {}\nmap notes:y -> vendor-guide:1.1 {}\n",
            expect![[r#"
                b.xwalk:1:29 `1.1`
                **vendor-guide:1.1** — Unique passwords

                *Vendor guide*, 2, clause 1 Passwords

                Status: `M C (2)` (mandatory, if condition 2 applies)

                > Every device has its own password.

                Mapped by 2 sources from 1 organisation in this workspace."#]],
        );
    }

    #[test]
    fn provision_without_text_and_clause() {
        check(
            "//- b.xwalk\nmap notes:x -> vendor-guide:$01.2 {}\n",
            expect![[r#"
                b.xwalk:1:29 `1.2`
                **vendor-guide:1.2**

                *Vendor guide*, 2, clause 1 Passwords

                *Text not included in the catalog.*

                Mapped by 1 source from 1 organisation in this workspace."#]],
        );
        check(
            "//- b.xwalk\nmap notes:x -> vendor-guide:1$0 {}\n",
            expect![[r#"
                b.xwalk:1:29 `1`
                **vendor-guide:1** — clause Passwords

                *Vendor guide*, 2

                2 provisions.

                Mapped by 1 source from 1 organisation in this workspace."#]],
        );
    }

    #[test]
    fn documents_workspace_and_built_in() {
        check(
            "//- b.xwalk\nmap notes:x -> $0vendor-guide:1.1 {}\n",
            expect![[r#"
                b.xwalk:1:16 `vendor-guide`
                **Vendor guide**

                `vendor-guide` · 2 · Acme

                2 provisions in 1 clause. Catalogued: a reference into it must name one of them.

                In this workspace: 0 mappings from it, 1 onto it."#]],
        );
        check(
            "//- b.xwalk\nmap $0notes:x -> uk-cop-2018 {}\n",
            expect![[r#"
                b.xwalk:1:5 `notes`
                **Field notes**

                `notes`

                Not catalogued: any section id is accepted as a source.

                In this workspace: 1 mapping from it, 0 onto it."#]],
        );
    }

    #[test]
    fn map_source_shows_the_excerpt_beside_each_target() {
        check(
            r#"//- b.xwalk
map notes:$0x -> uk-cop-2018:1, vendor-guide:1 {
  relation subset-of
  excerpt "Passwords | unique"
}
"#,
            expect![[r#"
                b.xwalk:1:11 `x`
                **notes:x**

                A section of *Field notes* (not catalogued).

                Maps to 1 provision and 1 clause of 2 documents in this workspace: `uk-cop-2018:1`, `vendor-guide:1`.

                **Lands in** (derived, at most 3 links; not curated):
                - `uk-psti-2023:1` undetermined, via `uk-cop-2018:1` (mapped to, subset-of), then mapped from (related)

                ---

                | Source excerpt | subset-of | Target |
                |---|---|---|
                | Passwords \| unique | → | **uk-cop-2018:1** No default passwords: All IoT device passwords shall be unique and not resettable to any universal factory default value. |
                | Passwords \| unique | → | **vendor-guide:1** Passwords |
            "#]],
        );
    }

    #[test]
    fn a_source_catalog_says_what_it_maps_to() {
        // `req` is mapped from and never to: no "Mapped by 0 sources".
        let req = r#"//- b.xwalk
document req {
  title "Requirements"
  provision 2.1 { text "Pair over Bluetooth only with user consent." }
  provision 2.2 {}
}
map req:2.1 -> uk-cop-2018:1, vendor-guide:1.1 {}
"#;
        check(
            &format!("{req}map req:2.$01 -> uk-cop-2018:2, vendor-guide:1 {{}}\n"),
            expect![[r#"
                b.xwalk:7:9 `2.1`
                **req:2.1**

                *Requirements*

                > Pair over Bluetooth only with user consent.

                Maps to 3 provisions and 1 clause of 2 documents in this workspace: `uk-cop-2018:1`, `uk-cop-2018:2`, `vendor-guide:1`, `vendor-guide:1.1`.

                **Lands in** (derived, at most 3 links; not curated):
                - `uk-psti-2023:1` undetermined, via `uk-cop-2018:1` (mapped to, related), then mapped from (related)
                - `uk-psti-2023:2` undetermined, via `uk-cop-2018:2` (mapped to, related), then mapped from (related)

                ---

                | Source excerpt | related | Target |
                |---|---|---|
                | (no excerpt) | → | **uk-cop-2018:2** Implement a vulnerability disclosure policy: All companies that provide internet-connected devices and services shall provide a public point of contact as part of a vulnerability disclosure policy in order that security researchers and others are able to report issues. Disclosed vulnerabilities should be acted on in a timely manner. |
                | (no excerpt) | → | **vendor-guide:1** Passwords |
            "#]],
        );
        // A provision that maps to nothing yet says nothing of mappings.
        check(
            &req.replace("provision 2.2", "provision 2.$02"),
            expect![[r#"
                b.xwalk:4:13 `2.2`
                **req:2.2**

                *Requirements*

                *Text not included in the catalog.*"#]],
        );
    }

    #[test]
    fn a_provision_without_text_shows_the_text_it_replaces_labelled() {
        check(
            r#"//- b.xwalk
document vendor-guide-3 {
  title "Vendor guide"
  version "3"
  supersedes etsi-en-303-645
  clause 1 "Passwords" {
    provision 1.1 { replaces etsi-en-303-645:5.1-1 }
  }
}
map notes:x -> vendor-guide-3:1.$01 {}
"#,
            expect![[r#"
                b.xwalk:9:31 `1.1`
                **vendor-guide-3:1.1**

                *Vendor guide*, 3, clause 1 Passwords

                *Text not included in the catalog. The V2.1.1 text of 5.1-1, which this replaces:*

                > Where passwords are used and in any state other than the factory default, all consumer IoT device passwords shall be unique per device or defined by the user.

                Mapped by 1 source from 1 organisation in this workspace.

                **Lands in** (derived, at most 3 links; not curated):
                - `etsi-en-303-645-v3:5.1-1` undetermined, via `etsi-en-303-645:5.1-1` (replaces, related), then replaced by (related)
                - `uk-psti-2023:1` undetermined, via `etsi-en-303-645:5.1-1` (replaces, related), then mapped to (related)"#]],
        );
    }

    #[test]
    fn v3_provisions_have_their_own_text() {
        check(
            "//- b.xwalk\nmap notes:x -> etsi-en-303-645-v3:5.1-$05 {}\n",
            expect![[r#"
                b.xwalk:1:35 `5.1-5`
                **etsi-en-303-645-v3:5.1-5**

                *Cyber Security for Consumer Internet of Things: Baseline Requirements*, V3.1.3 (2024-09), clause 5.1 No universal default passwords

                Status: `M C (14) F (e)` (mandatory, if condition 14 applies, for devices with feature e)
                - 14: the consumer IoT device has no resource constraint determined by the use case that prevents the implementation of a mechanism which makes successful brute-force attacks on authentication mechanisms via network interfaces impracticable
                - feature e: authentication mechanisms can be used for authenticating users or devices via network interfaces

                > The consumer IoT device shall have a mechanism available which makes successful brute-force attacks on authentication mechanisms via network interfaces impracticable unless the device has a resource constraint determined by the use case that prevents the implementation.

                Mapped by 1 source from 1 organisation in this workspace."#]],
        );
    }

    #[test]
    fn nothing_for_unknown_provisions_strings_and_comments() {
        check(
            "//- b.xwalk\nmap notes:x -> vendor-guide:$09 {}\n",
            expect!["nothing"],
        );
        check(
            "//- b.xwalk\nmap notes:x -> vendor-guide:1 {\n  note \"vendor-$0guide\"\n}\n",
            expect!["nothing"],
        );
        check("//- b.xwalk\n# vendor-$0guide:1\n", expect!["nothing"]);
    }
}
