//! `xwalk import dcms` and `xwalk export` end to end, on the real DCMS open
//! data (the copy in mappings/sources/) and on broken inputs.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::common::ok;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn dcms_file() -> PathBuf {
    repo_root().join("mappings/sources/dcms-cop-mapping-v4.json")
}

fn xwalk(dir: &Path, args: &[&str]) -> Output {
    crate::common::run_xwalk(dir, args)
}

/// Imports the real file into `dir/out`.
fn import_real(dir: &Path) -> PathBuf {
    let out = dir.join("out");
    let file = dcms_file();
    ok(&xwalk(
        dir,
        &[
            "import",
            "dcms",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    out
}

/// Every file under `dir`, relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir(dir) {
        let rel = e.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        out.insert(rel, std::fs::read(&e).unwrap());
    }
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The records of a DCMS JSON file as a multiset of canonical strings.
fn records(v: &Value) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for r in &v.as_array().unwrap()[1..] {
        *out.entry(serde_json::to_string(r).unwrap()).or_default() += 1;
    }
    out
}

#[test]
fn dcms_round_trip_keeps_every_record_and_the_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let out = import_real(dir.path());
    let exported = ok(&xwalk(
        dir.path(),
        &["export", "--format", "dcms-json", out.to_str().unwrap()],
    ));
    let original: Value =
        serde_json::from_str(&std::fs::read_to_string(dcms_file()).unwrap()).unwrap();
    let exported: Value = serde_json::from_str(&exported).unwrap();
    let (a, b) = (original.as_array().unwrap(), exported.as_array().unwrap());
    assert_eq!(a.len(), 1156);
    assert_eq!(b.len(), 1156);
    assert_eq!(a[0], b[0], "the metadata object");
    // Every field string-equal, as a multiset (the two exact duplicates
    // count twice).
    let (ra, rb) = (records(&original), records(&exported));
    assert_eq!(ra.values().sum::<usize>(), 1155);
    assert_eq!(ra, rb);
}

#[test]
fn import_is_deterministic_and_laid_out_by_organisation() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    let a = tree(&import_real(one.path()));
    let b = tree(&import_real(two.path()));
    assert_eq!(a, b, "a second import gives byte-identical files");
    for (path, text) in &a {
        if path.ends_with(".xwalk") {
            let text = String::from_utf8(text.clone()).unwrap();
            assert_eq!(
                xwalk::format::format_source(&text).unwrap(),
                text,
                "{path} is in the layout of xwalk fmt"
            );
        }
    }
    assert_eq!(a.len(), 78, "{:?}", a.keys().collect::<Vec<_>>());
    assert!(a.contains_key("xwalk.toml"));
    assert!(a.contains_key("dcms-cop-mapping.xwalk"));
    assert!(
        a.contains_key("nist/nist-nistir-8259a-iot-device-cybersecurity-capability-core.xwalk")
    );
    let etsi = String::from_utf8(
        a["etsi/etsi-cyber-security-for-consumer-internet-of-things.xwalk"].clone(),
    )
    .unwrap();
    assert!(etsi.contains(
        "map etsi-cyber-security-for-consumer-internet-of-things:\"Provision 4.1-1\" -> uk-cop-2018:1 {\n  excerpt \"All IoT device passwords"
    ));
    // OTA principle 26 maps to three guidelines: one map, three targets
    // (a long head, wrapped as `xwalk fmt` does).
    let ota =
        String::from_utf8(a["ota/ota-iot-security-privacy-trust-framework-v2.5.xwalk"].clone())
            .unwrap();
    assert!(
        ota.contains("26 ->\n    uk-cop-2018:8,\n    uk-cop-2018:11,\n    uk-cop-2018:12 {"),
        "{ota}"
    );
}

#[test]
fn raw_import_reports_the_known_defects() {
    let dir = tempfile::tempdir().unwrap();
    let out = import_real(dir.path());
    let o = xwalk(
        dir.path(),
        &["check", "--format", "json", out.to_str().unwrap()],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "no errors, only warnings and infos"
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let diagnostics = v["diagnostics"].as_array().unwrap();
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for d in diagnostics {
        *by_code.entry(d["code"].as_str().unwrap()).or_default() += 1;
    }
    // The counts recorded in docs/data.md.
    let expected: BTreeMap<&str, usize> = [
        ("duplicate-mapping", 2),
        ("inconsistent-excerpt", 94),
        ("similar-document", 9),
        ("untidy-text", 26),
    ]
    .into_iter()
    .collect();
    assert_eq!(by_code, expected);
    assert_eq!(
        v["summary"],
        serde_json::json!({"files": 77, "documents": 77, "mappings": 1155, "errors": 0, "warnings": 37, "notes": 94})
    );
    let messages: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    // The two exact duplicate records (IoTSF 2.4.7.10 and 2.4.12.1).
    let duplicates: Vec<&&str> = messages
        .iter()
        .filter(|m| m.ends_with("is mapped twice"))
        .collect();
    assert_eq!(
        duplicates,
        vec![
            &"`iot-security-foundation-iot-security-compliance-framework:2.4.7.10` -> `uk-cop-2018:5` is mapped twice",
            &"`iot-security-foundation-iot-security-compliance-framework:2.4.12.1` -> `uk-cop-2018:8` is mapped twice",
        ]
    );
    // TS 103 645 clause 4.10's heading filed as `4.1`.
    assert!(messages.contains(
        &"`etsi-cyber-security-for-consumer-internet-of-things:4.1` is quoted with another excerpt than before (2 different so far)"
    ));
    // The three NISTIR 8259A spellings, the two CSA titles, AIOTI (2),
    // Atlantic Council, and three documents that repeat a built-in catalog
    // (ETSI TS 103 645, EN 303 645 written with a dot, ENISA's baseline).
    let similar: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d["code"] == "similar-document")
        .map(|d| d["file"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        similar,
        vec![
            "aioti-digitisation-of-industry-policy-recommendations.xwalk",
            "aioti-workshop-on-security-and-privacy-in-the-hyper.xwalk",
            "atlantic-council-scowcroft-smart-homes-and-the-internet.xwalk",
            "csa-future-proofing-the-connected-world-13-steps.xwalk",
            "enisa-baseline-security-recommendations-for-iot.xwalk",
            "etsi-cyber-security-for-consumer-internet-of-things.xwalk",
            "etsi-en-303.645-cyber-security-for-consumer-internet.xwalk",
            "nist-nistir-8259a-iot-device-cybersecurity-capability-core-3.xwalk",
            "nist-nistir-8259a-iot-device-cybersecurity-capability-core.xwalk",
        ]
    );
}

#[test]
fn csv_json_and_oscal_exports() {
    let dir = tempfile::tempdir().unwrap();
    let out = import_real(dir.path());
    let out = out.to_str().unwrap();

    let csv_text = ok(&xwalk(dir.path(), &["export", "--format", "csv", out]));
    assert!(csv_text.starts_with("Source Document,Organisation,Standard / Recommendation Name,"));
    assert!(csv_text.ends_with("\r\n"));
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.len(), 16);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1155);
    // Every DCMS record is a row: same strings, in the DCMS columns.
    let original: Value =
        serde_json::from_str(&std::fs::read_to_string(dcms_file()).unwrap()).unwrap();
    let mut from_csv: HashMap<String, usize> = HashMap::new();
    for r in &rows {
        assert_eq!(&r[8], "related");
        assert_eq!(&r[9], "uk-cop-2018");
        let record = serde_json::json!({
            "DCMS Code of Practice Guidelines Number": &r[10],
            "Organisation": &r[1],
            "Standard / Recommendation Name": &r[2],
            "Recommendation Number / Section": &r[3],
            "Recommendation Extracted from Linked Source": &r[4],
            "Web Link": &r[5],
            "Notes": &r[6],
            "Added at Version": &r[7],
        });
        *from_csv
            .entry(serde_json::to_string(&record).unwrap())
            .or_default() += 1;
    }
    assert_eq!(from_csv, records(&original));

    let json_text = ok(&xwalk(dir.path(), &["export", "--format", "json", out]));
    let v: Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(v["xwalk"], 1);
    assert_eq!(v["dataset"], "dcms-cop-mapping");
    assert_eq!(v["mappings"].as_array().unwrap().len(), 1155);
    let docs = v["documents"].as_array().unwrap();
    // 76 source documents, the dataset document and uk-cop-2018.
    assert_eq!(docs.len(), 78);
    let cop = docs.iter().find(|d| d["id"] == "uk-cop-2018").unwrap();
    assert_eq!(cop["builtin"], true);
    assert_eq!(cop["provisions"].as_array().unwrap().len(), 13);
    // The same export twice is the same text.
    assert_eq!(
        json_text,
        ok(&xwalk(dir.path(), &["export", "--format", "json", out]))
    );

    let target = dir.path().join("oscal.json");
    ok(&xwalk(
        dir.path(),
        &[
            "export",
            "--format",
            "oscal",
            out,
            "-o",
            target.to_str().unwrap(),
        ],
    ));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    let c = &v["mapping-collection"];
    assert_eq!(c["metadata"]["oscal-version"], "1.2.0");
    assert_eq!(c["metadata"]["version"], "4.0");
    assert_eq!(c["metadata"]["last-modified"], "2023-11-14T22:13:20Z");
    let sets = c["mappings"].as_array().unwrap();
    assert_eq!(
        sets.len(),
        76,
        "one mapping per source → target document pair"
    );
    let maps: usize = sets
        .iter()
        .map(|s| s["maps"].as_array().unwrap().len())
        .sum();
    assert_eq!(maps, 1155);
    let first = &sets[0]["maps"][0];
    assert_eq!(first["relationship"], "related");
    assert_eq!(first["ns"], "urn:xwalk:oscal");
    assert_eq!(oscal_allowed_values_errors(c), Vec::<String>::new());
    // The DCMS sources are uncatalogued documents: catalogs marked as such.
    assert_eq!(sets[0]["source-resource"]["type"], "catalog");
    assert_eq!(sets[0]["source-resource"]["props"][0]["name"], "catalogued");
    assert_eq!(sets[0]["source-resource"]["props"][0]["value"], "false");
    assert!(sets[0]["target-resource"].get("props").is_none());
}

/// Every value of the export outside the allowed values of the OSCAL 1.2.0
/// mapping metaschema (oscal_mapping-common_metaschema.xml), which
/// compliance-trestle does not check. tests/oscal_validate.py checks the
/// same list on the exports of the test suite.
fn oscal_allowed_values_errors(c: &Value) -> Vec<String> {
    let allowed = |kind: &str| -> &'static [&'static str] {
        match kind {
            "item" => &["control", "statement"],
            "resource" => &["catalog", "profile"],
            "relationship" => &[
                "equivalent-to",
                "equal-to",
                "subset-of",
                "superset-of",
                "intersects-with",
                "no-relationship",
            ],
            "method" => &["human", "automation"],
            "matching-rationale" => &["syntactic", "semantic", "functional"],
            "status" => &[
                "complete",
                "not-complete",
                "draft",
                "deprecated",
                "superseded",
            ],
            _ => unreachable!(),
        }
    };
    let mut errors = Vec::new();
    let mut check = |where_: &str, kind: &str, v: &Value| {
        if let Some(s) = v.as_str()
            && !allowed(kind).contains(&s)
        {
            errors.push(format!("{where_}: {kind} {s:?}"));
        }
    };
    let p = &c["provenance"];
    for k in ["method", "matching-rationale", "status"] {
        check("provenance", k, &p[k]);
    }
    for (i, m) in c["mappings"].as_array().unwrap().iter().enumerate() {
        for k in ["method", "matching-rationale", "status"] {
            check(&format!("mappings[{i}]"), k, &m[k]);
        }
        check(
            &format!("mappings[{i}]"),
            "resource",
            &m["source-resource"]["type"],
        );
        check(
            &format!("mappings[{i}]"),
            "resource",
            &m["target-resource"]["type"],
        );
        for (j, map) in m["maps"].as_array().unwrap().iter().enumerate() {
            let w = format!("mappings[{i}].maps[{j}]");
            check(&w, "matching-rationale", &map["matching-rationale"]);
            if map.get("ns").is_none() {
                check(&w, "relationship", &map["relationship"]);
            }
            for side in ["sources", "targets"] {
                for item in map[side].as_array().unwrap() {
                    check(&w, "item", &item["type"]);
                }
            }
        }
    }
    errors
}

#[test]
fn oscal_whole_documents_and_csv_titles_of_untitled_provisions() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.xwalk",
        r#"document guide {
  title "Guide"
}

map guide -> etsi-en-303-645:5.1-1

map guide:"2.1" -> etsi-en-303-645
"#,
    );
    let target = dir.path().join("oscal.json");
    ok(&xwalk(
        dir.path(),
        &[
            "export",
            "--format",
            "oscal",
            "a.xwalk",
            "-o",
            target.to_str().unwrap(),
        ],
    ));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    let c = &v["mapping-collection"];
    assert_eq!(oscal_allowed_values_errors(c), Vec::<String>::new());
    let maps = c["mappings"][0]["maps"].as_array().unwrap();
    let whole = &maps[0]["sources"][0];
    assert_eq!(whole["type"], "control");
    assert_eq!(whole["id-ref"], "guide");
    assert_eq!(whole["props"][0]["name"], "scope");
    assert_eq!(whole["props"][0]["value"], "document");
    let target_doc = &maps[1]["targets"][0];
    assert_eq!(target_doc["id-ref"], "etsi-en-303-645");
    assert_eq!(target_doc["props"][0]["value"], "document");
    assert!(maps[1]["sources"][0].get("props").is_none());

    let csv_text = ok(&xwalk(
        dir.path(),
        &["export", "--format", "csv", "a.xwalk"],
    ));
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // EN 303 645 provisions have no title: the clause's title is given.
    assert_eq!(&rows[0][10], "5.1-1");
    assert_eq!(&rows[0][11], "No universal default passwords");
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const META: &str = r#"{"Disclaimer": ["d"], "Copyright": "c", "Version": "4.0"}"#;

fn record(guideline: &str) -> String {
    format!(
        r#"{{"DCMS Code of Practice Guidelines Number": {guideline}, "Organisation": "Org (ORG)", "Standard / Recommendation Name": "Guide", "Recommendation Number / Section": "1.2", "Recommendation Extracted from Linked Source": "Text", "Web Link": "https://example.org", "Notes": "", "Added at Version": "1"}}"#
    )
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let good = record("\"1\"");
    let cases = [
        ("empty.json", String::new(), "the file is empty"),
        (
            "text.json",
            "<html>oops</html>".to_string(),
            "not valid JSON: expected value at line 1 column 1",
        ),
        (
            "missing.json",
            format!("[{META}, {good}, {}]", good.replace(r#", "Notes": """#, "")),
            "record 2: missing field `Notes`",
        ),
        (
            "extra.json",
            format!(
                "[{META}, {}]",
                good.replace(r#""Notes": """#, r#""Notes": "", "Colour": "red""#)
            ),
            "record 1: unknown field `Colour`",
        ),
        (
            "number.json",
            format!("[{META}, {good}, {good}, {}]", record("5")),
            "record 3, field `DCMS Code of Practice Guidelines Number`: expected a string, found a number (5)",
        ),
    ];
    for (name, text, message) in cases {
        let file = write(dir.path(), name, &text);
        let out = dir.path().join(format!("out-{name}"));
        let o = xwalk(
            dir.path(),
            &[
                "import",
                "dcms",
                file.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        );
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(message), "{name}: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: {}: ", file.display())),
            "{stderr}"
        );
        assert!(!out.exists(), "{name}: nothing may be written");
    }
    // Nothing left behind beside the output either.
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_non_empty_out_folder_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "d.json",
        &format!("[{META}, {}]", record("\"1\"")),
    );
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    write(&out, "keep.txt", "mine");
    let args = [
        "import",
        "dcms",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let o = xwalk(dir.path(), &args);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("the folder is not empty; use --force to replace its contents")
    );
    assert!(out.join("keep.txt").exists());
    let mut forced = args.to_vec();
    forced.push("--force");
    ok(&xwalk(dir.path(), &forced));
    assert!(
        !out.join("keep.txt").exists(),
        "--force replaces the folder"
    );
    assert!(out.join("org/org-guide.xwalk").exists());
    // An empty folder is fine without --force.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    ok(&xwalk(
        dir.path(),
        &[
            "import",
            "dcms",
            file.to_str().unwrap(),
            "--out",
            empty.to_str().unwrap(),
        ],
    ));
    assert_eq!(
        std::fs::read_to_string(empty.join("org/org-guide.xwalk")).unwrap(),
        "# Imported by `xwalk import dcms` from d.json (DCMS open data, Version 4.0).\n# Every string is kept exactly as in the DCMS file; see docs/data.md.\n\ndocument org-guide {\n  title \"Guide\"\n  publisher \"Org (ORG)\"\n  url \"https://example.org\"\n}\n\nmap org-guide:1.2 -> uk-cop-2018:1 {\n  excerpt \"Text\"\n  added \"1\"\n}\n"
    );
}

#[test]
fn export_refuses_files_with_syntax_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "m.xwalk", "map a:1 -> {\n");
    let o = xwalk(
        dir.path(),
        &["export", "--format", "csv", "m.xwalk", "-o", "out.csv"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("m.xwalk: syntax errors"));
    assert!(!dir.path().join("out.csv").exists());
}
