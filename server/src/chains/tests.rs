//! The walk and the derivation on small workspaces whose chains can be
//! read off by hand.

use expect_test::{Expect, expect};

use super::*;
use crate::fixture::Fixture;

/// Two editions (1-1 kept word for word, 1-2 reworded), a guide between a
/// vendor's recommendations and the old edition.
const EDITIONS: &str = r#"
    document old {
      title "Old"
      clause 1 "One" {
        provision 1-1 { text "Same words." }
        provision 1-2 { text "Old words." }
      }
    }
    document new {
      title "New"
      supersedes old
      clause 1 "One" {
        provision 1-1 { text "Same  words." replaces old:1-1 }
        provision 1-2 { text "New words." replaces old:1-2 }
      }
    }
    document guide { title "Guide" provision a {} provision b {} }
    document vendor { title "Vendor" }
    map vendor:x -> guide:a { relation subset-of }
    map guide:a -> old:1-1 { relation subset-of }
    map old:1-2 -> guide:b { relation equal-to }
    map vendor:y -> guide:b { relation superset-of }
"#;

fn walk(fixture: &str, from: (&str, &str), onto: &str, hops: usize, expect: Expect) {
    let fx = Fixture::parse(fixture);
    let graph = Graph::build(&fx.ws);
    let text: Vec<String> = graph
        .walk(from, onto, hops)
        .iter()
        .map(|d| {
            format!(
                "{} {}: {}",
                plain(&d.target),
                d.relation,
                render::chain_text(&d.chain, &d.links)
            )
        })
        .collect();
    expect.assert_eq(&text.join("\n"));
}

#[test]
fn subset_then_subset_then_the_same_words() {
    walk(
        EDITIONS,
        ("vendor", "x"),
        "new",
        3,
        expect![
            "new:1-1 subset-of: vendor:x (mapped to, subset-of) guide:a (mapped to, subset-of) old:1-1 (replaced by, equal-to) new:1-1"
        ],
    );
}

#[test]
fn a_reworded_edition_is_undetermined() {
    walk(
        EDITIONS,
        ("vendor", "y"),
        "new",
        3,
        expect![
            "new:1-2 undetermined: vendor:y (mapped to, superset-of) guide:b (mapped from, equal-to) old:1-2 (replaced by, related) new:1-2"
        ],
    );
}

#[test]
fn no_further_than_the_bound() {
    walk(EDITIONS, ("vendor", "x"), "new", 2, expect![""]);
    // A chain ends at the first node of the target it reaches: old:1-1,
    // not on to the clause holding it.
    walk(
        EDITIONS,
        ("guide", "a"),
        "old",
        3,
        expect!["old:1-1 subset-of: guide:a (mapped to, subset-of) old:1-1"],
    );
}

#[test]
fn nothing_from_the_target_itself_or_an_unknown_node() {
    walk(EDITIONS, ("new", "1-1"), "new", 3, expect![""]);
    walk(EDITIONS, ("vendor", "nowhere"), "new", 3, expect![""]);
}

#[test]
fn the_shortest_chain_then_the_most_determined() {
    let two_ways = r#"
        map p:s -> q:m1 { relation related }
        map q:m1 -> t:1 { relation equal-to }
        map p:s -> q:m2 { relation subset-of }
        map q:m2 -> t:1 { relation subset-of }
        map p:s -> q:m3 { relation superset-of }
        map q:m3 -> t:1 { relation subset-of }
    "#;
    walk(
        two_ways,
        ("p", "s"),
        "t",
        3,
        expect!["t:1 subset-of: p:s (mapped to, subset-of) q:m2 (mapped to, subset-of) t:1"],
    );
    let shorter =
        format!("{two_ways}\nmap p:s -> r:1 {{}}\nmap r:1 -> t:1 {{}}\nmap p:s -> t:2 {{}}\n");
    walk(
        &shorter,
        ("p", "s"),
        "t",
        3,
        expect![[r#"
            t:1 subset-of: p:s (mapped to, subset-of) q:m2 (mapped to, subset-of) t:1
            t:2 undetermined: p:s (mapped to, related) t:2"#]],
    );
}

#[test]
fn reverse_links_take_the_inverse_and_no_relationship_is_no_bridge() {
    let fixture = r#"
        map t:1 -> q:1 { relation superset-of }
        map p:s -> q:1 { relation subset-of }
        map p:s -> q:2 { relation no-relationship }
        map t:2 -> q:2 { relation equal-to }
    "#;
    // p:s ⊂ q:1 and t:1 ⊃ q:1, so q:1 ⊂ t:1: p:s ⊂ t:1.
    walk(
        fixture,
        ("p", "s"),
        "t",
        3,
        expect!["t:1 subset-of: p:s (mapped to, subset-of) q:1 (mapped from, subset-of) t:1"],
    );
}

#[test]
fn not_through_a_source_to_another_of_its_targets() {
    // s:1 maps to g:1 and to t:1: that links neither g:1 to t:1 nor p:x
    // (mapped to g:1) to t:1. Through a common target it goes on (p:x and
    // s:1 both map to g:1).
    let fixture = r#"
        map p:x -> g:1 {}
        map s:1 -> g:1 {}
        map s:1 -> t:1 {}
    "#;
    walk(fixture, ("g", "1"), "t", 3, expect![""]);
    walk(
        fixture,
        ("p", "x"),
        "g",
        3,
        expect!["g:1 undetermined: p:x (mapped to, related) g:1"],
    );
}

#[test]
fn derived_maps_are_not_links() {
    let fixture = r#"
        map p:s -> q:1 { relation equal-to }
        map q:1 -> t:1 { relation equal-to derived q:1, r:1, t:1 }
    "#;
    walk(fixture, ("p", "s"), "t", 3, expect![""]);
}

#[test]
fn the_built_in_correspondences_lead_to_v3_and_psti() {
    let fixture = r#"
        document vendor { title "Vendor" }
        map vendor:pw -> uk-cop-2018:1 {}
        map etsi-en-303-645:5.1-1 -> uk-cop-2018:1 {}
    "#;
    walk(
        fixture,
        ("vendor", "pw"),
        "uk-psti-2023",
        3,
        expect![
            "uk-psti-2023:1 undetermined: vendor:pw (mapped to, related) uk-cop-2018:1 (mapped from, related) uk-psti-2023:1"
        ],
    );
    walk(
        fixture,
        ("vendor", "pw"),
        "etsi-en-303-645-v3",
        3,
        expect![
            "etsi-en-303-645-v3:5.1-1 undetermined: vendor:pw (mapped to, related) uk-cop-2018:1 (mapped from, related) etsi-en-303-645:5.1-1 (replaced by, related) etsi-en-303-645-v3:5.1-1"
        ],
    );
}

#[test]
fn derive_leaves_out_what_is_mapped_and_writes_a_clean_file() {
    let fixture = r#"
        //- a.xwalk
        document vendor { title "Vendor" }
        map vendor:pw -> uk-cop-2018:1 {}
        map vendor:"2 Reports" -> uk-cop-2018:2, uk-psti-2023:2 {}
        map etsi-en-303-645:5.1-1 -> uk-cop-2018:1 {}
    "#;
    let fx = Fixture::parse(fixture);
    let files = [fx.file("a.xwalk")];
    let d = derive(&fx.ws, &files, None, "uk-psti-2023", 3);
    assert_eq!(
        (d.sources, d.unreached, d.already_mapped),
        (3, 0, 2),
        "{:?}",
        d.mappings
    );
    let text = render::xwalk(&d.mappings, &["Derived onto uk-psti-2023.".to_string()]);
    expect![[r#"
        # Derived onto uk-psti-2023.

        map vendor:pw -> uk-psti-2023:1 {
          relation related
          derived vendor:pw, uk-cop-2018:1, uk-psti-2023:1
          note "Derived, not curated: the composed relation is undetermined. Chain: vendor:pw (mapped to, related) uk-cop-2018:1 (mapped from, related) uk-psti-2023:1."
        }
    "#]]
    .assert_eq(&text);
    // The file checks clean next to the workspace and is formatted.
    assert_eq!(crate::format::format_source(&text).unwrap(), text);
    let with = Fixture::parse(&format!("{fixture}\n//- derived.xwalk\n{text}"));
    let diagnostics = crate::check::check(&with.ws);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    // The model marks them derived; derived maps are not sources again.
    let derived = with.file("derived.xwalk");
    assert!(
        with.ws
            .file(derived)
            .mappings()
            .list
            .iter()
            .all(|m| m.derived)
    );
    let again = derive(&with.ws, &[derived], None, "uk-psti-2023", 3);
    assert_eq!(again.sources, 0);
}

#[test]
fn for_one_document_only() {
    let fixture = r#"
        document vendor { title "Vendor" }
        document other { title "Other" }
        map vendor:pw -> uk-cop-2018:1 {}
        map other:pw -> uk-cop-2018:1 {}
    "#;
    let fx = Fixture::parse(fixture);
    let d = derive(&fx.ws, &[fx.main()], Some("other"), "uk-psti-2023", 3);
    let got: Vec<String> = d
        .mappings
        .iter()
        .map(|m| format!("{} -> {}", plain(&m.source), plain(&m.target)))
        .collect();
    assert_eq!(got, ["other:pw -> uk-psti-2023:1"]);
}

#[test]
fn a_superseded_derived_target_moves_and_its_chain_stays_valid() {
    // Derived onto V2.1.1: `superseded-reference` offers V3.1.3; after the
    // fix the chain ends at what the target replaces, which check accepts.
    // A chain that ends elsewhere is an `invalid-value`.
    let before = r#"
        document vendor { title "Vendor" }
        map vendor:pw -> uk-cop-2018:1 {}
        map etsi-en-303-645:5.1-1 -> uk-cop-2018:1 {}
        map vendor:pw -> etsi-en-303-645:5.1-1 {
          derived vendor:pw, uk-cop-2018:1, etsi-en-303-645:5.1-1
        }
    "#;
    let fx = Fixture::parse(before);
    let d = crate::check::check(&fx.ws);
    let codes: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["superseded-reference"], "{d:?}");
    let fix = d[0].fix.as_ref().unwrap();
    let file = &fx.ws.file(fx.main()).text;
    let after = format!(
        "{}{}{}",
        &file[..d[0].range.start],
        fix.replacement,
        &file[d[0].range.end..]
    );
    assert!(after.contains("-> etsi-en-303-645-v3:5.1-1 {"), "{after}");
    let fx = Fixture::parse(&after);
    assert_eq!(crate::check::check(&fx.ws), Vec::new());
    let elsewhere = after.replace("-> etsi-en-303-645-v3:5.1-1 {", "-> uk-psti-2023:2 {");
    let fx = Fixture::parse(&elsewhere);
    let d = crate::check::check(&fx.ws);
    let messages: Vec<String> = d
        .iter()
        .map(|d| format!("{}: {}", d.code.as_str(), d.message))
        .collect();
    assert_eq!(
        messages,
        [
            "invalid-value: the chain ends at `etsi-en-303-645:5.1-1`, not at the map's target `uk-psti-2023:2`"
        ]
    );
}

/// `landed` reads the graph's kept walk: the chains of `derive_from`, in
/// the order the target document declares its ids (not the ids' order),
/// unknown ids last by id, what the source is mapped to left out.
#[test]
fn landed_is_derive_from_in_the_declared_order() {
    let fixture = r#"
        document onto {
          title "Onto"
          provision 10 {}
          provision 2 {}
          clause 3 "Three" { provision 3-1 {} }
        }
        document mid { title "Mid" }
        document src { title "Src" }
        map src:a -> mid:1, mid:2, mid:3, mid:4, mid:5
        map mid:1 -> onto:10
        map mid:2 -> onto:2
        map mid:3 -> onto:3
        map mid:4 -> onto:zz, onto:aa
        map mid:5 -> onto:3-1
        map src:a -> onto:3-1
    "#;
    let fx = Fixture::parse(fixture);
    let graph = graph(&fx.ws);
    let found = landed(&fx.ws, graph, ("src", "a"), "onto", 3);
    let targets: Vec<&str> = found.iter().map(|d| d.target.1.as_str()).collect();
    assert_eq!(targets, ["10", "2", "3", "aa", "zz"]);
    // The same chains as derive_from's, and as the walk's.
    let derived = derive_from(&fx.ws, graph, ("src", "a"), "onto", 3);
    assert_eq!(found.len(), derived.len());
    for (d, m) in found.iter().zip(&derived) {
        assert_eq!(DerivedMapping::of(("src", "a"), d), *m);
        assert!(graph.walk(("src", "a"), "onto", 3).contains(d));
    }
    // The order is that of a table of the declarations' positions.
    let doc = fx.ws.index.document("onto").unwrap();
    let mut starts: Vec<(usize, &str)> = doc
        .provisions
        .iter()
        .map(|p| (p.range.start, p.id.as_str()))
        .chain(
            doc.clauses
                .iter()
                .map(|c| (c.id_range.start, c.id.as_str())),
        )
        .collect();
    starts.sort();
    let position = |id: &str| {
        (
            starts
                .iter()
                .position(|(_, i)| *i == id)
                .unwrap_or(usize::MAX),
            id.to_string(),
        )
    };
    let mut by_table = targets.clone();
    by_table.sort_by_key(|id| position(id));
    assert_eq!(targets, by_table);
    // Nothing for a source the graph does not know.
    assert!(landed(&fx.ws, graph, ("src", "nowhere"), "onto", 3).is_empty());
}
