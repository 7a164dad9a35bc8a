//! The site of a small fixture: pages, links, determinism; and the
//! analytics behind it (matrix, consensus, changelog) against values
//! worked out by hand, and against the real DCMS data's per-guideline
//! record counts.

use std::path::PathBuf;

use super::*;
use crate::model::{Config, FileInput, Workspace};
use crate::stats::views;

const FIXTURE: &str = r#"
document tgt {
  title "Target"
  clause 1 "One" {
    provision 1.1
    provision 1.2
  }
  provision 2
  provision 3
}

document src-a {
  title "A"
  publisher "Org A"
  cites src-b
}

document src-b {
  title "B"
  publisher "Org A"
}

document src-c {
  title "C"
  publisher "Org C"
}

map src-a:x -> tgt:1.1, tgt:2 { added "1" }
map src-a:y -> tgt:1.1 { relation subset-of added "2" }
map src-b:z -> tgt:1 { added "10" }
map src-c:w -> tgt:1.2, tgt:2 { relation intersects-with added "2" }
map src-c:v -> tgt:3 { relation no-relationship }
"#;

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

fn files(ws: &Workspace) -> Vec<FileId> {
    ws.workspace_files().map(|(id, _)| id).collect()
}

#[test]
fn matrix_of_the_fixture() {
    let ws = workspace(FIXTURE);
    assert!(crate::check::check(&ws).is_empty());
    let stats = stats::compute(&ws, None);
    let m = views::matrix(&ws, &stats);
    // Target clauses: tgt:1 (1.1, 1.2 and the clause itself), tgt:2 (in no
    // clause). tgt:3 has only the no-relationship pair: no column.
    let cols: Vec<(&str, &str, usize)> = m
        .columns
        .iter()
        .map(|c| (c.document.as_str(), c.clause.as_str(), c.mappings))
        .collect();
    // Column 1: x→1.1, y→1.1, z→1, w→1.2 = 4; column 2: x→2, w→2 = 2.
    assert_eq!(cols, [("tgt", "1", 4), ("tgt", "2", 2)]);
    // Rows by organisation then id: Org A (src-a, src-b), Org C (src-c).
    let rows: Vec<(&str, Vec<usize>, usize)> = m
        .rows
        .iter()
        .map(|r| (r.source.as_str(), r.counts.clone(), r.mappings))
        .collect();
    assert_eq!(
        rows,
        [
            ("src-a", vec![2, 1], 3),
            ("src-b", vec![1, 0], 1),
            ("src-c", vec![1, 1], 2),
        ]
    );
}

#[test]
fn consensus_and_gaps_of_the_fixture() {
    let ws = workspace(FIXTURE);
    let stats = stats::compute(&ws, None);
    let consensus = views::consensus(&stats);
    let c: Vec<(&str, usize, usize)> = consensus
        .iter()
        .map(|c| (c.provision.as_str(), c.organisations, c.mappings))
        .collect();
    // 1.1: x, y (Org A) + z via clause 1 (Org A) → 1 organisation, 3.
    // 1.2: w (Org C) + z via clause (Org A) → 2 organisations, 2.
    // 2: x (Org A), w (Org C) → 2, 2. 3: only no-relationship → a gap.
    // Sorted by organisations, ties in the target's order.
    assert_eq!(c, [("1.2", 2, 2), ("2", 2, 2), ("1.1", 1, 3), ("3", 0, 0)]);
    assert_eq!(stats.targets[0].gaps, ["3"]);
    assert_eq!(stats.totals.organisations, 2);
    assert_eq!(stats.totals.source_documents, 3);
    assert_eq!(stats.totals.mappings, 7);
}

#[test]
fn changelog_of_the_fixture() {
    let ws = workspace(FIXTURE);
    let log = views::changelog(&ws, None);
    type Entry<'a> = (Option<&'a str>, usize, Vec<(&'a str, usize)>);
    let got: Vec<Entry> = log
        .iter()
        .map(|a| {
            (
                a.version.as_deref(),
                a.mappings,
                a.documents.iter().map(|(d, n)| (d.as_str(), *n)).collect(),
            )
        })
        .collect();
    // Newest first, numerically (10 > 2 > 1); the no-relationship pair is
    // not counted.
    assert_eq!(
        got,
        [
            (Some("10"), 1, vec![("src-b", 1)]),
            (Some("2"), 3, vec![("src-a", 1), ("src-c", 2)]),
            (Some("1"), 2, vec![("src-a", 2)]),
        ]
    );
    assert_eq!(
        views::compare_versions("1.10", "1.2"),
        std::cmp::Ordering::Greater
    );
}

fn page<'a>(site: &'a [SiteFile], path: &str) -> &'a str {
    let f = site
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"));
    std::str::from_utf8(&f.bytes).unwrap()
}

#[test]
fn the_fixture_site() {
    let ws = workspace(FIXTURE);
    let site = build(&ws, &files(&ws), &Options::default());
    let paths: Vec<&str> = site.iter().map(|f| f.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "sorted by path");
    for p in [
        ".xwalk-site",
        "index.html",
        "documents.html",
        "citations.html",
        "downloads.html",
        "search.html",
        "doc/src-a.html",
        "doc/src-b.html",
        "doc/src-c.html",
        "target/tgt/index.html",
        "target/tgt/clause-1.html",
        "target/tgt/1.1.html",
        "target/tgt/3.html",
        "data/mappings.csv",
        "data/mappings.oscal.json",
        "assets/search-index.js",
    ] {
        assert!(paths.contains(&p), "{p} in {paths:?}");
    }
    let home = page(&site, "index.html");
    // One matrix row per source document.
    let tbody = home
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    assert_eq!(tbody.matches("<tr>").count(), 3);
    assert!(home.contains("<td class=\"h2\">2</td>"), "src-a → tgt:1: 2");
    // The gap is called out.
    assert!(home.contains("<a href=\"target/tgt/3.html\">3</a>"));
    // One SVG link per mapping on a document page, coloured by relation.
    let a = page(&site, "doc/src-a.html");
    assert_eq!(a.matches("<path class=\"link ").count(), 3);
    assert_eq!(a.matches("<path class=\"link rel-subset\"").count(), 1);
    let c = page(&site, "doc/src-c.html");
    assert_eq!(
        c.matches("<path class=\"link ").count(),
        3,
        "no-relationship too"
    );
    assert_eq!(c.matches("<path class=\"link rel-none\"").count(), 1);
    // Provision page: grouped by organisation, with the clause's mappings.
    let p = page(&site, "target/tgt/1.2.html");
    assert!(
        p.contains("<h3 class=\"org\">Org C <small>(1 mapping)</small></h3>"),
        "{p}"
    );
    assert!(p.contains("Through clause"), "{p}");
    // Citations: src-a cites src-b.
    let cites = page(&site, "citations.html");
    assert!(
        cites.contains("<title>src-a cites src-b</title>"),
        "{cites}"
    );
    // Downloads linked from every page; no date without one.
    assert!(home.contains("href=\"data/mappings.oscal.json\" download"));
    assert!(a.contains("href=\"../data/mappings.csv\" download"));
    assert!(!home.contains(" on 19"));
    // Search index entries.
    let index = page(&site, "assets/search-index.js");
    assert!(index.starts_with("window.XWALK_INDEX = {\"kinds\":["));
    assert!(index.contains(",\"tgt:1.1\","));
    // Plurals: one organisation is not "1 organisations".
    let one =
        workspace("document s { title \"S\" publisher \"P\" }\nmap s:1 -> uk-cop-2018:1 {}\n");
    let one_site = build(&one, &files(&one), &Options::default());
    let home = page(&one_site, "index.html");
    assert!(
        home.contains("<strong>1</strong> organisation</li>"),
        "{home}"
    );
    assert!(home.contains("<strong>1</strong> source document</li>"));
    assert!(home.contains("<strong>1</strong> mapping</li>"));
    assert!(home.contains("1 row, 1 column."));
    assert!(home.contains("the most supported has 1 organisation;"));
    assert!(!home.contains(" 1 organisations"));
    // Deterministic.
    assert_eq!(site, build(&ws, &files(&ws), &Options::default()));
    let dated = build(&ws, &files(&ws), &Options { date: Some(86_400) });
    assert!(page(&dated, "index.html").contains("on 1970-01-02"));
}

#[test]
fn slugs_are_injective_and_safe() {
    use super::html::slug;
    assert_eq!(slug("GP-TM-23"), "GP-TM-23");
    assert_eq!(slug("a_b"), "a__b");
    assert_eq!(slug("a b"), "a_20_b");
    assert_ne!(slug("a_20_b"), slug("a b"));
    assert_eq!(slug(".x"), "_.x");
    assert_eq!(slug("I1: x/y"), "I1_3a__20_x_2f_y");
}

#[test]
fn citation_layout_stays_readable_for_80_nodes() {
    use super::citations::{Edge, layout};
    // 80 documents: 20 cite 3 of 40 each, 40 cite one of 20 standards.
    let mut edges = Vec::new();
    for i in 0..20 {
        for k in 0..3 {
            edges.push(Edge {
                from: format!("a{i:02}"),
                to: format!("b{:02}", (i * 2 + k * 7) % 40),
                supersedes: false,
            });
        }
    }
    for j in 0..40 {
        edges.push(Edge {
            from: format!("b{j:02}"),
            to: format!("c{:02}", j / 2),
            supersedes: j % 5 == 0,
        });
    }
    // A cycle does not break the layout.
    edges.push(Edge {
        from: "c00".into(),
        to: "a00".into(),
        supersedes: false,
    });
    let placed = layout(&edges);
    assert_eq!(placed.len(), 80);
    let mut cells: Vec<(usize, usize)> = placed.iter().map(|p| (p.column, p.row)).collect();
    cells.sort();
    cells.dedup();
    assert_eq!(cells.len(), 80, "no two nodes in one place");
    let columns = placed.iter().map(|p| p.column).max().unwrap() + 1;
    assert_eq!(columns, 3, "citing documents left of the cited");
    let rows = placed.iter().map(|p| p.row).max().unwrap() + 1;
    assert_eq!(rows, 40, "as tall as the largest column");
    // Every kept edge points right.
    let col = |id: &str| placed.iter().find(|p| p.id == id).unwrap().column;
    for e in edges
        .iter()
        .filter(|e| e.from.starts_with('a') || e.from.starts_with('b'))
    {
        assert!(col(&e.from) < col(&e.to), "{e:?}");
    }
}

/// The raw import of the real DCMS file, in memory.
fn raw_import() -> Workspace {
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../mappings/sources/dcms-cop-mapping-v4.json"),
    )
    .unwrap();
    let dataset = crate::interop::dcms::parse(&text).unwrap();
    let reserved: Vec<&str> = crate::model::builtin::CATALOGS
        .iter()
        .map(|(name, _)| name.trim_end_matches(".xwalk"))
        .collect();
    let (out, _) = crate::interop::dcms::import(&dataset, "dcms.json", &reserved);
    let inputs = out
        .into_iter()
        .filter(|f| f.path.ends_with(".xwalk"))
        .map(|f| FileInput {
            path: PathBuf::from(&f.path),
            name: f.path,
            text: f.text,
        })
        .collect();
    Workspace::build(None, Config::default(), inputs)
}

/// The mappings onto each UK CoP guideline, 1 to 13.
fn per_guideline(stats: &Stats) -> Vec<usize> {
    let cop = stats
        .targets
        .iter()
        .find(|t| t.id == "uk-cop-2018")
        .unwrap();
    cop.provisions.iter().map(|p| p.mappings).collect()
}

#[test]
fn real_dataset_per_guideline_counts() {
    let ws = raw_import();
    let stats = stats::compute(&ws, None);
    // The DCMS v4 records per guideline (counted in the JSON itself).
    let raw = [95, 69, 153, 94, 190, 180, 75, 110, 46, 58, 34, 25, 26];
    assert_eq!(per_guideline(&stats), raw);
    assert_eq!(stats.totals.mappings, 1155);
    // Every guideline is covered; the matrix has one row per source
    // document, and its cells add up to the records.
    let cop = stats
        .targets
        .iter()
        .find(|t| t.id == "uk-cop-2018")
        .unwrap();
    assert!(cop.gaps.is_empty());
    let m = views::matrix(&ws, &stats);
    assert_eq!(m.rows.len(), stats.totals.source_documents);
    assert_eq!(m.rows.iter().map(|r| r.mappings).sum::<usize>(), 1155);
    let log = views::changelog(&ws, None);
    let by_version: Vec<(Option<&str>, usize)> = log
        .iter()
        .map(|a| (a.version.as_deref(), a.mappings))
        .collect();
    assert_eq!(
        by_version,
        [
            (Some("4"), 104),
            (Some("3"), 368),
            (Some("2"), 50),
            (Some("1"), 633)
        ]
    );
}

#[test]
fn real_dataset_curated_site() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../mappings");
    let (loads, errors) = crate::model::load::load_paths(std::slice::from_ref(&root));
    assert!(errors.is_empty());
    let loaded = &loads[0];
    let ws = &loaded.workspace;
    let stats = stats::compute(ws, Some(&loaded.requested));
    // The curation removed one exact duplicate under guideline 5 and one
    // under guideline 8 (docs/data.md); the PSTI correspondence maps
    // Schedule 1 paragraphs 1 to 3 onto guidelines 1 to 3, one each.
    let curated = [96, 70, 154, 94, 189, 180, 75, 109, 46, 58, 34, 25, 26];
    assert_eq!(per_guideline(&stats), curated);
    // 1,153 DCMS records, 13 CoP -> EN 303 645, 3 PSTI -> CoP and 7 from
    // PSTI Schedule 2.
    assert_eq!(stats.totals.mappings, 1176);
    let site = build(ws, &loaded.requested, &Options::default());
    let home = page(&site, "index.html");
    assert!(home.len() < 500_000, "home page {} bytes", home.len());
    let tbody = home
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    // One row per source document: 68, plus `uk-psti-2023` and
    // `iso-iec-29147-2018` (sources of the PSTI correspondences).
    assert_eq!(tbody.matches("<tr>").count(), 70);
    let enisa = page(&site, "doc/enisa-bsr-iot.html");
    assert!(enisa.contains("id=\"s-GP-TM-23\""));
}

/// The built-in regulation catalogs (EU CRA Annex I, UK PSTI Schedule 1,
/// NIST IR 8259A) as targets: each gets its target pages, down to a
/// provision nested two clauses deep and one declared without text.
#[test]
fn the_regulations_are_targets_with_their_pages() {
    let ws = workspace(
        r#"
document vendor { title "Vendor guide" publisher "Vendor" }
map vendor:1 -> eu-cra-2024:I.2.c, uk-psti-2023:3.2, nist-ir-8259a:software-update.2
map vendor:2 -> eu-cra-2024:II.5 { relation subset-of }
map vendor:3 -> uk-psti-2023:1
map vendor:4 -> uk-psti-2023:1.5
"#,
    );
    let site = build(&ws, &files(&ws), &Options::default());
    let cra = page(&site, "target/eu-cra-2024/index.html");
    assert!(cra.contains("2 of 22 provisions covered"), "{cra}");
    let point = page(&site, "target/eu-cra-2024/I.2.c.html");
    assert!(
        point.contains("ensure that vulnerabilities can be addressed through security updates")
    );
    page(&site, "target/eu-cra-2024/clause-I.2.html");
    page(&site, "target/eu-cra-2024/clause-II.html");
    // 15 sub-paragraphs: 1.1 to 1.5 covered through clause 1, 3.2
    // directly (1.5 also directly).
    let psti = page(&site, "target/uk-psti-2023/index.html");
    assert!(
        psti.contains("6 of 15 provisions covered, 9 gaps."),
        "{psti}"
    );
    assert!(page(&site, "target/uk-psti-2023/clause-1.html").contains("Passwords"));
    // The definitions are the text of 1(5).
    let definitions = page(&site, "target/uk-psti-2023/1.5.html");
    assert!(
        definitions.contains("“factory default state” means the state of the product"),
        "{definitions}"
    );
    let nist = page(&site, "target/nist-ir-8259a/index.html");
    assert!(nist.contains("1 of 24 provisions covered"), "{nist}");
}

/// A target page shows a provision's text; a provision without text says
/// so and shows the text of the provision it replaces, labelled; and the
/// EN 18031 catalogs (ids only) say their text is not included.
#[test]
fn target_pages_show_text_or_the_labelled_text_it_replaces() {
    let ws = workspace(
        r#"
document vendor { title "Vendor guide" publisher "Vendor" }
document draft-4 {
  title "Draft edition"
  version "4 (draft)"
  supersedes etsi-en-303-645-v3
  clause 5.1 "No universal default passwords" {
    provision 5.1-1 { replaces etsi-en-303-645-v3:5.1-1 }
    provision 5.1-2 { replaces etsi-en-303-645-v3:5.1-2 }
  }
}
map vendor:1 -> etsi-en-303-645-v3:5.1-3, draft-4:5.1-1, en-18031-1:ACM-1
"#,
    );
    let site = build(&ws, &files(&ws), &Options::default());
    let v3 = page(&site, "target/etsi-en-303-645-v3/5.1-3.html");
    assert!(
        v3.contains("<dt>Text</dt><dd class=\"quote\">Authentication mechanisms used to authenticate users against the consumer IoT device"),
        "{v3}"
    );
    let draft = page(&site, "target/draft-4/5.1-1.html");
    assert!(
        draft.contains("<dt>Text</dt><dd>Not included in the catalog. The V3.1.3 text of 5.1-1, which this replaces:</dd>\n<dd class=\"quote\">Where passwords are used to authenticate users"),
        "{draft}"
    );
    // Lists of provisions: the two differ, each marked with the edition.
    let clause = page(&site, "target/draft-4/clause-5.1.html");
    assert!(
        clause.contains("V3.1.3: Where passwords are used to authenticate"),
        "{clause}"
    );
    assert!(
        clause.contains("V3.1.3: Where pre-installed unique per device passwords"),
        "{clause}"
    );
    let en = page(&site, "target/en-18031-1/ACM-1.html");
    assert!(
        en.contains("<dt>Text</dt><dd>Not included in the catalog.</dd>"),
        "{en}"
    );
}

/// What a curator reading the target pages needs: the edition named (the
/// two EN 303 645 editions share a title), the recommendation's own text
/// when the map quotes no excerpt but its source provision has `text`,
/// the status in words, and the gaps told apart by status.
#[test]
fn target_pages_name_the_edition_quote_the_source_and_explain_the_status() {
    let ws = workspace(
        r#"
document guide {
  title "Vendor guide"
  publisher "Vendor"
  provision G-1 { text "Devices have unique passwords." }
  provision G-2 "Updates"
}
map guide:G-1 -> etsi-en-303-645:5.1-1
map guide:G-2 -> etsi-en-303-645:5.1-1
map guide:G-1 -> etsi-en-303-645:5.1-2 { excerpt "Quoted excerpt." }
"#,
    );
    let site = build(&ws, &files(&ws), &Options::default());
    let index = page(&site, "target/etsi-en-303-645/index.html");
    let title =
        "Cyber Security for Consumer Internet of Things: Baseline Requirements, V2.1.1 (2020-06)";
    assert!(index.contains(&format!("<h1>{title}</h1>")), "{index}");
    // 68 provisions, 2 covered: 66 gaps, told apart by status.
    let t = &site_stats(&ws).targets[0];
    let lead = format!(
        "66 gaps ({} mandatory, {} recommended).",
        t.mandatory_gaps, t.recommended_gaps
    );
    assert!(t.mandatory_gaps > 0 && t.recommended_gaps > 0);
    assert!(index.contains(&lead), "{lead} in {index}");
    let p = page(&site, "target/etsi-en-303-645/5.1-1.html");
    assert!(
        p.contains(&format!(
            "<li><a href=\"../../target/etsi-en-303-645/index.html\">{title}</a></li>"
        )),
        "{p}"
    );
    // 5.1-1 is "M C (1)" in Table B.1.
    assert!(
        p.contains("<dt>Status</dt><dd><code>M C (1)</code>: mandatory, if condition 1 applies <small>(Status as in ETSI EN 303 645 Table B.1:"),
        "{p}"
    );
    // The recommendation column: the source provision's text, else its title.
    assert!(
        p.contains("<td class=\"text\">Devices have unique passwords.</td>"),
        "{p}"
    );
    assert!(p.contains("<td class=\"text\">Updates</td>"), "{p}");
    let q = page(&site, "target/etsi-en-303-645/5.1-2.html");
    assert!(q.contains("<td class=\"text\">Quoted excerpt.</td>"), "{q}");
    let home = page(&site, "index.html");
    assert!(
        home.contains(&format!(
            "(66 of 68: {} mandatory, {} recommended)",
            t.mandatory_gaps, t.recommended_gaps
        )),
        "{home}"
    );
    assert!(
        home.contains("<small title=\"mandatory\">M</small>"),
        "{home}"
    );
}

fn site_stats(ws: &Workspace) -> Stats {
    crate::stats::compute(ws, Some(&files(ws)))
}

/// A workspace shaped like the trial that found issue 17: a dataset
/// document citing two publications, neither of which has mappings; one
/// publication citing three catalogs; a source catalog (`req`) of
/// `provisions` provisions, mapped three times each onto 69 provisions of
/// EN 303 645 V3.1.3, its maps written in a scrambled order. 2 + 3 + 4 = 9
/// `cites`.
pub fn trial(provisions: usize) -> Workspace {
    let en = Workspace::build(None, Config::default(), Vec::new());
    let targets: Vec<String> = en
        .index
        .document("etsi-en-303-645-v3")
        .unwrap()
        .provisions
        .iter()
        .take(69)
        .map(|p| p.id.clone())
        .collect();
    let mut text = String::from(
        r#"document trial { title "Trial dataset" publisher "Trial" cites pub-a, pub-b }
document pub-a { title "Publication A" publisher "Trial" cites cat-1, cat-2, cat-3 }
document pub-b { title "Publication B" publisher "Trial" cites cat-1, req, uk-cop-2018, etsi-en-303-645-v3 }
document cat-1 { title "Catalog one" provision c1 { text "One." } }
document cat-2 { title "Catalog two" provision c2 { text "Two." } }
document cat-3 { title "Catalog three" provision c3 { text "Three." } }
document req {
  title "Device requirements"
  publisher "Vendor"
"#,
    );
    let ids = trial_ids(provisions);
    for (i, id) in ids.iter().enumerate() {
        let words = match i % 3 {
            0 => "Bluetooth pairing needs the user's confirmation.",
            1 => "Passwords are unique per device.",
            _ => "Updates are signed.",
        };
        text.push_str(&format!(
            "  provision {id} {{ text \"Requirement {id}. {words}\" }}\n"
        ));
    }
    text.push_str("}\n");
    let relations = ["related", "subset-of", "intersects-with"];
    for n in 0..ids.len() {
        // A scrambled file order: 149 is prime, so n * 37 visits them all.
        let i = n * 37 % ids.len();
        for (k, relation) in relations.iter().enumerate() {
            let t = &targets[(i * 7 + k * 23) % targets.len()];
            text.push_str(&format!(
                "map req:{} -> etsi-en-303-645-v3:{t} {{ relation {relation} excerpt \"Excerpt {i}: passwords and keys.\" }}\n",
                ids[i]
            ));
        }
    }
    let config = Config {
        dataset: Some("trial".into()),
        ..Config::default()
    };
    Workspace::build(
        None,
        config,
        vec![FileInput {
            path: PathBuf::from("trial.xwalk"),
            name: "trial.xwalk".into(),
            text,
        }],
    )
}

/// `1.1.1` to `5.6.5` without `5.6.5`: 149 ids at most, in natural order.
fn trial_ids(n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for a in 1..=5 {
        for b in 1..=6 {
            for c in 1..=5 {
                ids.push(format!("{a}.{b}.{c}"));
            }
        }
    }
    ids.truncate(n.min(149));
    ids
}

#[test]
fn every_cite_appears_with_or_without_mappings() {
    let ws = trial(12);
    let site = build(&ws, &files(&ws), &Options::default());
    let cites = page(&site, "citations.html");
    // 2 from the dataset, 3 and 4 from the publications; and the target
    // EN 303 645 V3.1.3 supersedes V2.1.1.
    assert!(cites.contains("10 links between 10 documents."), "{cites}");
    assert!(cites.contains("<title>etsi-en-303-645-v3 supersedes etsi-en-303-645</title>"));
    for edge in [
        "trial cites pub-a",
        "trial cites pub-b",
        "pub-a cites cat-1",
        "pub-a cites cat-2",
        "pub-a cites cat-3",
        "pub-b cites cat-1",
        "pub-b cites req",
        "pub-b cites uk-cop-2018",
        "pub-b cites etsi-en-303-645-v3",
    ] {
        assert!(cites.contains(&format!("<title>{edge}</title>")), "{edge}");
    }
    // The documents without mappings have pages, with what they cite and
    // what cites them; the list of documents names them.
    let a = page(&site, "doc/pub-a.html");
    assert!(a.contains("<dt>Cites</dt><dd><a href=\"../doc/cat-1.html\">cat-1</a>, <a href=\"../doc/cat-2.html\">cat-2</a>, <a href=\"../doc/cat-3.html\">cat-3</a></dd>"), "{a}");
    assert!(
        a.contains("<dt>Cited by</dt><dd><a href=\"../doc/trial.html\">trial</a></dd>"),
        "{a}"
    );
    assert!(a.contains("No mapping starts from this document."));
    let req = page(&site, "doc/req.html");
    assert!(req.contains("<dt>Cited by</dt><dd><a href=\"../doc/pub-b.html\">pub-b</a></dd>"));
    let cat = page(&site, "doc/cat-1.html");
    assert!(cat.contains("<dt>Cited by</dt><dd><a href=\"../doc/pub-a.html\">pub-a</a>, <a href=\"../doc/pub-b.html\">pub-b</a></dd>"), "{cat}");
    let en = page(&site, "target/etsi-en-303-645-v3/index.html");
    assert!(
        en.contains("<dt>Cited by</dt><dd><a href=\"../../doc/pub-b.html\">pub-b</a></dd>"),
        "{en}"
    );
    let docs = page(&site, "documents.html");
    assert!(
        docs.contains("<h2 id=\"others\">Other documents</h2>\n<p>6 documents"),
        "{docs}"
    );
    assert!(!cites.contains("Documents that cite none of the others"));
}

#[test]
fn search_indexes_every_title_provision_and_excerpt() {
    let ws = trial(12);
    let site = build(&ws, &files(&ws), &Options::default());
    let js = page(&site, "assets/search-index.js");
    let json: serde_json::Value = serde_json::from_str(
        js.strip_prefix("window.XWALK_INDEX = ")
            .unwrap()
            .trim_end()
            .strip_suffix(';')
            .unwrap(),
    )
    .unwrap();
    let kinds = json["kinds"].as_array().unwrap();
    let pages = json["pages"].as_array().unwrap();
    let entries: Vec<(String, String, String, String)> = json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let page = &pages[e[3].as_u64().unwrap() as usize];
            let fragment = e[4].as_str().unwrap();
            let url = if fragment.is_empty() {
                page[0].as_str().unwrap().to_string()
            } else {
                format!("{}#{fragment}", page[0].as_str().unwrap())
            };
            (
                kinds[e[0].as_u64().unwrap() as usize]
                    .as_str()
                    .unwrap()
                    .to_string(),
                e[1].as_str().unwrap().to_string(),
                e[2].as_str().unwrap().to_string(),
                url,
            )
        })
        .collect();
    let find = |kind: &str, label: &str| {
        entries
            .iter()
            .find(|e| e.0 == kind && e.1 == label)
            .unwrap_or_else(|| panic!("no {kind} {label}"))
    };
    // Every document's title, with or without mappings.
    for (title, url) in [
        ("Trial dataset", "doc/trial.html"),
        ("Publication A", "doc/pub-a.html"),
        ("Catalog three", "doc/cat-3.html"),
        ("Device requirements", "doc/req.html"),
    ] {
        assert_eq!(find("document", title).3, url);
    }
    // The source catalog's provisions, with their text, to their row.
    let p = find("provision", "req:1.1.1");
    assert_eq!(
        p.2,
        "Requirement 1.1.1. Bluetooth pairing needs the user's confirmation."
    );
    assert_eq!(p.3, "doc/req.html#p-1.1.1");
    // Each excerpt once per section, to its mapping's row.
    let excerpts: Vec<_> = entries.iter().filter(|e| e.0 == "excerpt").collect();
    assert_eq!(
        excerpts.len(),
        12,
        "three maps of one section share their excerpt"
    );
    let x = find("excerpt", "1.1.2");
    assert_eq!(x.2, "Excerpt 1: passwords and keys.");
    // The targets' provisions link to their pages.
    assert!(
        find("provision", "etsi-en-303-645-v3:5.1-1")
            .3
            .starts_with("target/")
    );
    // Every fragment exists on its page.
    for e in &entries {
        if let Some((file, fragment)) = e.3.split_once('#') {
            let html = page(&site, file);
            assert!(html.contains(&format!(" id=\"{fragment}\"")), "{e:?}");
        }
    }
    // `bluetooth` finds the requirements that say it.
    let bluetooth = entries
        .iter()
        .filter(|e| e.2.to_lowercase().contains("bluetooth"))
        .count();
    assert_eq!(bluetooth, 4, "1.1.1, 1.1.4, 1.2.2, 1.2.5");
    // The row of the excerpt's anchor is the excerpt's mapping.
    let req = page(&site, "doc/req.html");
    let (_, anchor) = x.3.split_once('#').unwrap();
    let row = req.split(&format!("id=\"{anchor}\"")).nth(1).unwrap();
    let row = row.split("</tr>").next().unwrap();
    assert!(row.starts_with(">1.1.2</th>"), "{row}");
    assert!(row.contains("Excerpt 1: passwords and keys."), "{row}");
}

/// The section labels of a visual mapping, top to bottom, and the target
/// labels (their `<title>`).
fn svg_labels(page: &str, class: &str) -> Vec<String> {
    let svg = page.split("<svg role=\"img\"").nth(1).unwrap();
    svg.split(&format!("<{class}"))
        .skip(1)
        .filter_map(|a| a.split("<title>").nth(1))
        .map(|t| t.split("</title>").next().unwrap().to_string())
        .collect()
}

#[test]
fn curves_sort_sections_naturally_and_targets_by_barycentre() {
    let ws = workspace(
        r#"
document g { title "Guide" publisher "G" }
map g:"1.10" -> uk-cop-2018:1 {}
map g:"1.2" -> uk-cop-2018:5 {}
map g:2 -> uk-cop-2018:3 {}
map g:"1.2" -> uk-cop-2018:2 {}
map g:"1.9" -> uk-cop-2018:1 {}
"#,
    );
    let site = build(&ws, &files(&ws), &Options::default());
    let g = page(&site, "doc/g.html");
    assert!(g.contains("class=\"visual curves\""));
    // Sections in natural order, whatever the file order.
    let sections: Vec<String> = svg_labels(g, "a href=\"#s-");
    assert_eq!(sections, ["1.2", "1.9", "1.10", "2"]);
    // Targets by the mean position of their sections: 5 and 2 (from 1.2,
    // position 0; tie in the standard's order), 1 (from 1.9 and 1.10:
    // 1.5), 3 (from 2: 3).
    let targets: Vec<String> = svg_labels(g, "a href=\"../target/")
        .into_iter()
        .map(|t| t.split(' ').next().unwrap().to_string())
        .collect();
    assert_eq!(
        targets,
        [
            "uk-cop-2018:2",
            "uk-cop-2018:5",
            "uk-cop-2018:1",
            "uk-cop-2018:3"
        ]
    );
    // The table follows the sections' order.
    let table = g.split("<tbody>").nth(1).unwrap();
    let order: Vec<&str> = table
        .split("<th scope=\"row\" id=\"m-")
        .skip(1)
        .map(|r| r.split('>').nth(1).unwrap().split('<').next().unwrap())
        .collect();
    assert_eq!(order, ["1.2", "1.2", "1.9", "1.10", "2"]);
}

#[test]
fn a_large_visual_mapping_is_a_matrix() {
    use super::document::{CURVES_MAX_MAPPINGS, CURVES_MAX_NODES, as_curves};
    assert!(as_curves(
        CURVES_MAX_MAPPINGS,
        CURVES_MAX_NODES,
        CURVES_MAX_NODES
    ));
    assert!(!as_curves(CURVES_MAX_MAPPINGS + 1, 10, 10));
    assert!(!as_curves(10, CURVES_MAX_NODES + 1, 10));
    assert!(!as_curves(10, 10, CURVES_MAX_NODES + 1));
    // 17 sections, 51 mappings onto 51 targets: curves.
    let small = trial(17);
    let site = build(&small, &files(&small), &Options::default());
    let req = page(&site, "doc/req.html");
    assert!(req.contains("class=\"visual curves\""), "51 mappings");
    assert_eq!(req.matches("<path class=\"link ").count(), 51);

    // The trial: 149 sections, 447 mappings onto 69 targets.
    let ws = trial(149);
    let site = build(&ws, &files(&ws), &Options::default());
    let req = page(&site, "doc/req.html");
    assert!(req.contains("class=\"visual matrix\""));
    assert!(req.contains("447 mappings from 149 sections onto 69 target provisions and clauses."));
    assert_eq!(req.matches("<path class=\"link ").count(), 0);
    // One marked cell per section and target; 447 distinct pairs.
    let matrix = req.split("class=\"visual matrix\"").nth(1).unwrap();
    assert_eq!(matrix.matches("<g class=\"cell ").count(), 447);
    assert_eq!(matrix.matches("<g class=\"row\">").count(), 149);
    assert_eq!(matrix.matches("<g class=\"cell rel-subset\">").count(), 149);
    // Rows in natural order: 1.1.1, 1.1.2, ..., 1.1.5, 1.2.1, ... 5.6.4.
    let rows: Vec<String> = req
        .split("<g class=\"row\">")
        .skip(1)
        .map(|r| {
            let t = r.split("<title>").nth(1).unwrap();
            t.split(' ').next().unwrap().to_string()
        })
        .collect();
    assert_eq!(rows, trial_ids(149));
    // Columns in the standard's order: 5.0-1, 5.1-1, 5.1-2, ...
    let columns = req.split("<g class=\"columns\">").nth(1).unwrap();
    let at = |id: &str| columns.find(&format!(">{id}</text>")).unwrap();
    assert!(at("5.0-1") < at("5.1-1") && at("5.1-1") < at("5.1-2"));
    // A line between the top-level sections 1 | 2 | 3 | 4 | 5.
    let rows_part = req.split("<g class=\"rows\">").nth(1).unwrap();
    assert_eq!(rows_part.matches("class=\"sep\"").count(), 4);
}
