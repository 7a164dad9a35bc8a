//! Chained mappings in the editor (docs/chains.md): the hover's "Lands
//! in" section, where a provision lands in the current edition of EN 303
//! 645 and in the PSTI Regulations and through which chain; the hover of a
//! derived map; and the "Add derived map onto …" code actions, which add a
//! derived map with its chain after the map at the cursor.

use std::fmt::Write;

use super::TextEdit;
use super::suggested::Assist;
use crate::chains::{self, Derived, DerivedMapping, render};
use crate::model::{FileId, Workspace};
use crate::syntax::{Map, TextRange};

use crate::chains::LANDING;

/// How many landings the hover lists per document.
const SHOWN: usize = 4;
/// How many "Add derived map" actions per document.
const ACTIONS: usize = 3;

/// "**Lands in** …": where `(document, id)` lands in each [`LANDING`]
/// document in at most [`chains::DEFAULT_MAX_HOPS`] links, leaving out the
/// maps written from it. `None` when it lands nowhere.
pub fn landing_markdown(ws: &Workspace, document: &str, id: &str) -> Option<String> {
    let graph = crate::chains::graph(ws);
    let mut lines = String::new();
    for &onto in LANDING {
        if onto == document || ws.index.document(onto).is_none() {
            continue;
        }
        let found = chains::landed(ws, graph, (document, id), onto, chains::DEFAULT_MAX_HOPS);
        for d in found.iter().take(SHOWN) {
            lines.push_str("\n- ");
            landing(&mut lines, d);
        }
        if found.len() > SHOWN {
            let more = found.len() - SHOWN;
            let _ = write!(lines, "\n- … and {more} more in `{onto}`");
        }
    }
    if lines.is_empty() {
        return None;
    }
    Some(format!(
        "**Lands in** (derived, at most {} links; not curated):{lines}",
        chains::DEFAULT_MAX_HOPS,
    ))
}

/// "`etsi-en-303-645-v3:5.1-1` undetermined, via `uk-cop-2018:1` (mapped
/// to, related), `etsi-en-303-645:5.1-1` (mapped from, related)", written
/// to `out`.
fn landing(out: &mut String, m: &Derived) {
    let target = render::reference(&m.target);
    let Some(&(last_link, last_relation)) = m.links.last() else {
        let _ = write!(out, "`{target}`");
        return;
    };
    let _ = write!(out, "`{target}` {}", m.relation);
    let via = &m.chain[1..m.chain.len().saturating_sub(1).max(1)];
    for (i, (node, (link, relation))) in via.iter().zip(&m.links).enumerate() {
        let _ = write!(
            out,
            "{}`{}` ({}, {})",
            if i == 0 { ", via " } else { ", " },
            render::reference(node),
            link.as_str(),
            relation.field_value()
        );
    }
    let (link, relation) = (last_link.as_str(), last_relation.field_value());
    let _ = if via.is_empty() {
        write!(out, ", {link} it ({relation})")
    } else {
        write!(out, ", then {link} ({relation})")
    };
}

/// For a derived map: "*Derived, not curated*" with its chain.
pub fn derived_map_markdown(map: &Map) -> Option<String> {
    let field = map.fields.iter().find(|f| f.name.text == "derived")?;
    let chain: Vec<String> = field
        .values
        .iter()
        .filter_map(|v| match v {
            crate::syntax::Value::Reference(r) => Some(format!(
                "`{}`",
                crate::model::index::EndpointKey::of(&crate::syntax::Endpoint::Reference(
                    (**r).clone()
                ))
            )),
            _ => None,
        })
        .collect();
    let relation = crate::model::index::field_text(&map.fields, "relation").unwrap_or("related");
    let relation = chains::Relation::parse(relation);
    Some(format!(
        "*Derived, not curated* (`xwalk derive`): the composed relation is {relation}, through {}.",
        chain.join(" → ")
    ))
}

/// "Add derived map onto …" for the curated map whose text overlaps
/// `range`: the first [`ACTIONS`] places its source lands in each
/// [`LANDING`] document and is not mapped to, each a new derived map after
/// this one.
pub fn assists(ws: &Workspace, file: FileId, range: TextRange) -> Vec<Assist> {
    let Some(map) = ws
        .file(file)
        .parse
        .ast
        .maps
        .iter()
        .find(|m| m.range().start <= range.end && range.start <= m.range().end)
    else {
        return Vec::new();
    };
    let (document, Some(id)) = map.source.key() else {
        return Vec::new();
    };
    if chains::is_derived(map) || map.has_error {
        return Vec::new();
    }
    let graph = crate::chains::graph(ws);
    let mut out = Vec::new();
    for &onto in LANDING {
        if onto == document || ws.index.document(onto).is_none() {
            continue;
        }
        let found = chains::landed(ws, graph, (document, id), onto, chains::DEFAULT_MAX_HOPS);
        for d in found.iter().take(ACTIONS) {
            let m = DerivedMapping::of((document, id), d);
            let mut title = String::from("Add derived map onto ");
            landing(&mut title, d);
            out.push(Assist {
                title: title.replace('`', ""),
                edits: vec![TextEdit {
                    file,
                    range: map.range().end..map.range().end,
                    new_text: format!("\n\n{}", render::map_block(&m).trim_end()),
                }],
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture::Fixture;

    const VENDOR: &str = "document vendor { title \"Vendor\" }\n\
                          map etsi-en-303-645:5.1-1 -> uk-cop-2018:1 {}\n";

    fn hover(fixture: &str, expect: Expect) {
        let fx = Fixture::parse(&format!("{VENDOR}{fixture}"));
        let (file, offset) = fx.position();
        let actual = match crate::ide::hover::hover(&fx.ws, file, offset) {
            Some(h) => h.markdown,
            None => "nothing".to_string(),
        };
        // The section this module adds, and what follows it.
        let from = actual
            .find("**Lands in**")
            .or_else(|| actual.find("*Derived"));
        expect.assert_eq(from.map_or("no chains", |i| &actual[i..]));
    }

    #[test]
    fn a_source_lands_in_v3_and_psti() {
        hover(
            "map vendor:p$0w -> uk-cop-2018:1 {}\n",
            expect![[r#"
                **Lands in** (derived, at most 3 links; not curated):
                - `etsi-en-303-645-v3:5.1-1` undetermined, via `uk-cop-2018:1` (mapped to, related), `etsi-en-303-645:5.1-1` (mapped from, related), then replaced by (related)
                - `uk-psti-2023:1` undetermined, via `uk-cop-2018:1` (mapped to, related), then mapped from (related)

                ---

                | Source excerpt | related | Target |
                |---|---|---|
                | (no excerpt) | → | **uk-cop-2018:1** No default passwords: All IoT device passwords shall be unique and not resettable to any universal factory default value. |
            "#]],
        );
    }

    #[test]
    fn a_derived_map_says_so() {
        hover(
            r#"
            map vendor:pw -> uk-cop-2018:1 {}
            map vendor:p$0w -> uk-psti-2023:1 {
              relation related
              derived vendor:pw, uk-cop-2018:1, uk-psti-2023:1
            }
            "#,
            expect![[r#"
                *Derived, not curated* (`xwalk derive`): the composed relation is undetermined, through `vendor:pw` → `uk-cop-2018:1` → `uk-psti-2023:1`.

                ---

                | Source excerpt | related | Target |
                |---|---|---|
                | (no excerpt) | → | **uk-psti-2023:1** Passwords |
            "#]],
        );
    }

    #[test]
    fn nothing_where_no_chain_leads() {
        hover(
            "document lone { title \"Lone\" provision 1 {} }\nmap vendor:x -> lone:1$0 {}\n",
            expect!["no chains"],
        );
    }

    #[test]
    fn the_action_adds_a_derived_map_with_its_chain() {
        let fx = Fixture::parse(&format!("{VENDOR}map vendor:p$0w -> uk-cop-2018:1 {{}}\n"));
        let (file, offset) = fx.position();
        let actions = assists(&fx.ws, file, offset..offset);
        let titles: Vec<&str> = actions.iter().map(|a| a.title.as_str()).collect();
        expect![[r#"
            [
                "Add derived map onto etsi-en-303-645-v3:5.1-1 undetermined, via uk-cop-2018:1 (mapped to, related), etsi-en-303-645:5.1-1 (mapped from, related), then replaced by (related)",
                "Add derived map onto uk-psti-2023:1 undetermined, via uk-cop-2018:1 (mapped to, related), then mapped from (related)",
            ]
        "#]]
        .assert_debug_eq(&titles);
        let applied = fx.apply(&actions[1].edits);
        expect![[r#"
            //- main.xwalk
            document vendor { title "Vendor" }
            map etsi-en-303-645:5.1-1 -> uk-cop-2018:1 {}
            map vendor:pw -> uk-cop-2018:1 {}

            map vendor:pw -> uk-psti-2023:1 {
              relation related
              derived vendor:pw, uk-cop-2018:1, uk-psti-2023:1
              note "Derived, not curated: the composed relation is undetermined. Chain: vendor:pw (mapped to, related) uk-cop-2018:1 (mapped from, related) uk-psti-2023:1."
            }
        "#]]
        .assert_eq(&applied);
        // The result checks clean.
        let text = applied.strip_prefix("//- main.xwalk\n").unwrap();
        let again = Fixture::parse(text);
        assert_eq!(crate::check::check(&again.ws), Vec::new());
    }
}
