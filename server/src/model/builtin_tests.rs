//! The regulations shipped as built-in catalogs, checked against their
//! official structure and against the transcriptions their text was taken
//! from (`mappings/sources/`, provenance in `mappings/README.md`).

use super::files;
use crate::model::index::EndpointKey;
use crate::syntax::{Clause, Document, Field, Provision, Value};

/// The transcriptions, with line breaks read as spaces: a catalog writes a
/// sub-paragraph's list items on one line.
fn transcription(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

const CRA_SOURCE: &str = include_str!("../../../mappings/sources/eu-cra-2024-annex-i.txt");
const PSTI_SOURCE: &str = include_str!("../../../mappings/sources/uk-psti-2023-schedules.txt");
const V3_SOURCE: &str =
    include_str!("../../../mappings/sources/etsi-en-303-645-v3.1.3-clauses.csv");
const EN_18031_SOURCE: &str = include_str!("../../../mappings/sources/en-18031-result-summary.csv");
const NIST_8259A_SOURCE: &str =
    include_str!("../../../mappings/sources/nist-ir-8259a-core-baseline.txt");

fn document(id: &str) -> Document {
    files()
        .iter()
        .flat_map(|f| f.parse.ast.documents.iter())
        .find(|d| d.id.text.as_str() == id)
        .unwrap_or_else(|| panic!("no built-in document {id}"))
        .clone()
}

fn string_field<'a>(fields: &'a [Field], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|f| f.name.text.as_str() == name)
        .and_then(|f| match f.values.first() {
            Some(Value::String(s)) => Some(s.value.as_str()),
            _ => None,
        })
}

fn clause<'a>(clauses: &'a [Clause], id: &str) -> &'a Clause {
    clauses
        .iter()
        .find(|c| c.id.text.as_str() == id)
        .unwrap_or_else(|| panic!("no clause {id}"))
}

/// Every provision under a clause, at any depth, in file order.
fn provisions(c: &Clause) -> Vec<&Provision> {
    let mut out = Vec::new();
    crate::syntax::walk_provisions(&c.clauses, &c.provisions, &mut |p| out.push(p));
    out
}

fn ids(ps: &[&Provision]) -> Vec<String> {
    ps.iter().map(|p| p.id.text.to_string()).collect()
}

#[test]
fn cra_annex_i_has_every_point_of_parts_i_and_ii() {
    let cra = document("eu-cra-2024");
    let part_i = clause(&cra.clauses, "I");
    let part_ii = clause(&cra.clauses, "II");
    assert_eq!(cra.clauses.len(), 2, "Annex I has two parts");
    assert!(cra.provisions.is_empty());
    assert_eq!(
        part_i.title.as_ref().map(|t| t.value.as_str()),
        Some(
            "Cybersecurity requirements relating to the properties of products with digital elements"
        )
    );
    assert_eq!(
        part_ii.title.as_ref().map(|t| t.value.as_str()),
        Some("Vulnerability handling requirements")
    );
    // Part I: point (1), and point (2) with its thirteen points (a) to (m).
    let mut expected_i = vec!["I.1".to_string()];
    expected_i.extend(('a'..='m').map(|c| format!("I.2.{c}")));
    assert_eq!(ids(&provisions(part_i)), expected_i);
    assert_eq!(provisions(clause(&part_i.clauses, "I.2")).len(), 13);
    // Part II: points (1) to (8).
    let expected_ii: Vec<String> = (1..=8).map(|n| format!("II.{n}")).collect();
    assert_eq!(ids(&provisions(part_ii)), expected_ii);
}

#[test]
fn cra_texts_are_the_transcription_word_for_word() {
    let cra = document("eu-cra-2024");
    let source = transcription(CRA_SOURCE);
    let mut all = Vec::new();
    crate::syntax::walk_provisions(&cra.clauses, &cra.provisions, &mut |p| all.push(p));
    assert_eq!(all.len(), 22);
    for p in all {
        let text =
            string_field(&p.fields, "text").unwrap_or_else(|| panic!("{} has no text", p.id.text));
        // The point's label followed by its text, as transcribed.
        let label = p.id.text.rsplit('.').next().unwrap();
        let quoted = format!("({label}) {text}");
        assert!(
            source.contains(&quoted),
            "{}: not in the transcription",
            p.id.text
        );
    }
    // The introductory words of Part I (2) and Part II are clause texts.
    let part_i = clause(&cra.clauses, "I");
    for c in [clause(&part_i.clauses, "I.2"), clause(&cra.clauses, "II")] {
        let intro = string_field(&c.fields, "text").unwrap();
        assert!(
            intro.ends_with("shall:") && source.contains(intro),
            "{}",
            c.id.text
        );
    }
}

#[test]
fn psti_schedule_1_has_every_sub_paragraph_of_its_three_paragraphs() {
    let psti = document("uk-psti-2023");
    let headings: Vec<(String, String)> = psti
        .clauses
        .iter()
        .map(|c| {
            let title = c
                .title
                .as_ref()
                .map(|t| t.value.to_string())
                .unwrap_or_default();
            (c.id.text.to_string(), title)
        })
        .collect();
    assert_eq!(
        headings,
        [
            ("1".to_string(), "Passwords".to_string()),
            (
                "2".to_string(),
                "Information on how to report security issues".to_string()
            ),
            (
                "3".to_string(),
                "Information on minimum security update periods".to_string()
            ),
        ]
    );
    // Schedule 1 as made: paragraph 1 has five sub-paragraphs (the fifth
    // its definitions), paragraph 2 three, paragraph 3 seven (the seventh
    // its definitions).
    let shape: Vec<Vec<String>> = psti.clauses.iter().map(|c| ids(&provisions(c))).collect();
    let expected: Vec<Vec<String>> = [5, 3, 7]
        .iter()
        .zip(1..)
        .map(|(n, para)| (1..=*n).map(|m| format!("{para}.{m}")).collect())
        .collect();
    assert_eq!(shape, expected);
    // Every sub-paragraph has its text, word for word as transcribed, as
    // the paragraph's own: "N.—(1) …" for the first, "(M) …" for the rest,
    // within Schedule 1.
    let schedule_1 = {
        let start = PSTI_SOURCE
            .find("\nSchedule 1 Security requirements for manufacturers\n")
            .unwrap();
        let end = start + PSTI_SOURCE[start..].find("\n== ").unwrap();
        transcription(&PSTI_SOURCE[start..end])
    };
    for c in &psti.clauses {
        let paragraph = {
            let n: usize = c.id.text.parse().unwrap();
            let start = schedule_1.find(&format!("{n}.—(1) ")).unwrap();
            let end = schedule_1
                .find(&format!("{}.—(1) ", n + 1))
                .unwrap_or(schedule_1.len());
            &schedule_1[start..end]
        };
        for p in provisions(c) {
            let text = string_field(&p.fields, "text")
                .unwrap_or_else(|| panic!("{} has no text", p.id.text));
            let m = p.id.text.split('.').nth(1).unwrap();
            let quoted = transcription(&format!("({m}) {text}"));
            assert!(
                paragraph.contains(&quoted),
                "{}: not in the transcription of paragraph {}",
                p.id.text,
                c.id.text
            );
        }
    }
    assert!(
        !PSTI_SOURCE.contains("[…]"),
        "the transcription is complete"
    );
}

#[test]
fn psti_deemed_compliance_cites_what_schedule_2_cites() {
    // Schedule 2 of the transcription names, per paragraph, the provisions
    // of ETSI EN 303 645 and the ISO/IEC 29147 paragraphs; the shipped maps
    // are exactly those, onto the Schedule 1 paragraph of the same number.
    let maps = include_str!("../../../mappings/catalogs/uk-psti-2023-deemed-compliance.xwalk");
    let file = crate::syntax::parse(maps);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let got: Vec<(String, String)> = file
        .ast
        .maps
        .iter()
        .flat_map(|m| {
            let source = EndpointKey::of(&m.source).to_string();
            m.targets
                .iter()
                .map(move |t| (source.clone(), EndpointKey::of(t).to_string()))
        })
        .collect();
    let start = PSTI_SOURCE
        .find("\nSchedule 2 Conditions for Deemed Compliance")
        .unwrap();
    let schedule_2 = &PSTI_SOURCE[start..start + PSTI_SOURCE[start..].find("\n== ").unwrap()];
    let mut want = Vec::new();
    for para in 1..=3 {
        let from = schedule_2.find(&format!("\n{para}.—(1) ")).unwrap();
        let to = schedule_2
            .find(&format!("\n{}.—(1) ", para + 1))
            .unwrap_or(schedule_2.len());
        let text = &schedule_2[from..to];
        let target = format!("uk-psti-2023:{para}");
        for (i, _) in text.match_indices("provision 5.") {
            let id: String = text[i + "provision ".len()..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .collect();
            let pair = (format!("etsi-en-303-645:{id}"), target.clone());
            if !want.contains(&pair) {
                want.push(pair);
            }
        }
        for (i, _) in text.match_indices("i) paragraph ") {
            let id: String = text[i..]
                .split_once("paragraph ")
                .unwrap()
                .1
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect::<String>()
                .trim_end_matches('.')
                .to_string();
            let pair = (format!("iso-iec-29147-2018:{id}"), target.clone());
            if !want.contains(&pair) {
                want.push(pair);
            }
        }
    }
    want.sort();
    let mut got = got;
    got.sort();
    assert_eq!(got, want);
    assert_eq!(got.len(), 7);
}

/// The pinned V3.1.3 rows: (id, section, text), parsed as CSV (RFC 4180:
/// quoted fields, doubled quotes).
fn v3_rows() -> Vec<(String, String, String)> {
    let mut rows = Vec::new();
    for line in V3_SOURCE.lines().skip(1) {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => fields.push(std::mem::take(&mut field)),
                _ => field.push(c),
            }
        }
        fields.push(field);
        assert_eq!(fields.len(), 8, "{line}");
        assert_eq!(
            (fields[0].as_str(), fields[1].as_str()),
            ("ETSI EN 303 645", "V3.1.3")
        );
        rows.push((fields[3].clone(), fields[2].clone(), fields[5].clone()));
    }
    rows
}

#[test]
fn etsi_en_303_645_v3_has_78_provisions_with_the_pinned_text() {
    let v3 = document("etsi-en-303-645-v3");
    let mut all = Vec::new();
    crate::syntax::walk_provisions(&v3.clauses, &v3.provisions, &mut |p| all.push(p));
    // 15 clauses (5.0 to 5.13 and 6), 78 provisions.
    assert_eq!(v3.clauses.len(), 15);
    let per_clause: Vec<usize> = v3.clauses.iter().map(|c| provisions(c).len()).collect();
    assert_eq!(per_clause, [1, 6, 3, 19, 4, 8, 10, 2, 3, 3, 1, 4, 3, 2, 9]);
    let rows = v3_rows();
    assert_eq!(rows.len(), 78);
    assert_eq!(all.len(), 78);
    for (c, p) in v3
        .clauses
        .iter()
        .flat_map(|c| provisions(c).into_iter().map(move |p| (c, p)))
    {
        let row = rows
            .iter()
            .find(|r| r.0 == p.id.text.as_str())
            .unwrap_or_else(|| panic!("{} is not in the pinned file", p.id.text));
        let section = format!(
            "{} {}",
            c.id.text,
            c.title.as_ref().map(|t| t.value.as_str()).unwrap_or("")
        );
        assert_eq!(section, row.1, "{}", p.id.text);
        let text =
            string_field(&p.fields, "text").unwrap_or_else(|| panic!("{} has no text", p.id.text));
        assert_eq!(text, row.2, "{}", p.id.text);
    }
    // Same ids in the same order.
    assert_eq!(
        ids(&all),
        rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>()
    );
}

#[test]
fn en_18031_parts_have_ids_and_mechanism_names_only() {
    // (part, requirement count, mechanisms in order)
    let common = ["ACM", "AUM", "SUM", "SSM", "SCM", "CCK", "GEC", "CRY"];
    for (part, count, only) in [
        ("1", 33, vec!["RLM-1", "NMM-1", "TCM-1", "AUM-2"]),
        (
            "2",
            43,
            vec![
                "ACM-3", "ACM-6", "AUM-2-1", "AUM-2-2", "LGM-4", "DLM-1", "UNM-2", "GEC-7",
            ],
        ),
        (
            "3",
            37,
            vec!["AUM-1-3", "AUM-2-1", "AUM-2-2", "LGM-1", "GEC-8"],
        ),
    ] {
        let doc = document(&format!("en-18031-{part}"));
        let mut all = Vec::new();
        crate::syntax::walk_provisions(&doc.clauses, &doc.provisions, &mut |p| all.push(p));
        assert_eq!(all.len(), count, "part {part}");
        for p in &all {
            assert!(
                string_field(&p.fields, "text").is_none(),
                "{}: CEN text must not be shipped",
                p.id.text
            );
            // Every id names its mechanism: ACM-1 is in clause ACM.
            let clause = doc
                .clauses
                .iter()
                .find(|c| provisions(c).iter().any(|q| q.id.text == p.id.text))
                .unwrap();
            assert!(p.id.text.starts_with(&format!("{}-", clause.id.text)));
        }
        let mechanisms: Vec<&str> = doc.clauses.iter().map(|c| c.id.text.as_str()).collect();
        for m in common {
            assert!(mechanisms.contains(&m), "part {part} lacks {m}");
        }
        let names = ids(&all);
        for id in only {
            assert!(names.iter().any(|n| n == id), "part {part} lacks {id}");
        }
    }
    // Requirements of one part only are absent from the others.
    let part = |n: &str| {
        let doc = document(&format!("en-18031-{n}"));
        let mut all = Vec::new();
        crate::syntax::walk_provisions(&doc.clauses, &doc.provisions, &mut |p| all.push(p));
        ids(&all)
    };
    assert!(!part("1").contains(&"ACM-3".to_string()));
    assert!(!part("2").contains(&"RLM-1".to_string()));
    assert!(!part("3").contains(&"DLM-1".to_string()));
    assert!(!part("2").contains(&"AUM-2".to_string()));
    // Mechanism names as the source prints them (whitespace folded).
    let doc = document("en-18031-2");
    let cck = clause(&doc.clauses, "CCK");
    assert_eq!(
        cck.title.as_ref().map(|t| t.value.as_str()),
        Some("Confidential Cryptographic Keys")
    );
}

#[test]
fn nist_ir_8259a_has_the_six_capabilities_and_their_common_elements() {
    let baseline = document("nist-ir-8259a");
    assert!(baseline.provisions.is_empty());
    let mut shape = Vec::new();
    for c in &baseline.clauses {
        let title = c.title.as_ref().map(|t| t.value.to_string()).unwrap();
        let ps = provisions(c);
        // Element n of capability "x" is provision "x.n"; Software Update's
        // element 6 lists two items, "x.6.1" and "x.6.2".
        for p in &ps {
            assert!(
                p.id.text.starts_with(&format!("{}.", c.id.text)),
                "{}",
                p.id.text
            );
        }
        shape.push((title, ps.len()));
    }
    let expected = [
        ("Device Identification", 2),
        ("Device Configuration", 3),
        ("Data Protection", 3),
        ("Logical Access to Interfaces", 3),
        ("Software Update", 8),
        ("Cybersecurity State Awareness", 5),
    ];
    assert_eq!(shape, expected.map(|(t, n)| (t.to_string(), n)).to_vec());
    // Every element and every statement is the transcription's, word for word.
    let source = NIST_8259A_SOURCE;
    for c in &baseline.clauses {
        match string_field(&c.fields, "text") {
            Some(statement) => assert!(
                source.contains(&format!("Statement: {statement} [")),
                "{}",
                c.id.text
            ),
            None => panic!("{} has no statement", c.id.text),
        }
        for p in provisions(c) {
            let text = string_field(&p.fields, "text").unwrap();
            let n = &p.id.text[c.id.text.len() + 1..];
            assert!(
                source.contains(&format!("\n{n}. {text} [")),
                "{}: not in the transcription",
                p.id.text
            );
        }
    }
}

#[test]
fn transcriptions_match_the_digests_in_the_catalog_headers() {
    for (catalog, source) in [
        ("eu-cra-2024", CRA_SOURCE),
        ("uk-psti-2023", PSTI_SOURCE),
        ("nist-ir-8259a", NIST_8259A_SOURCE),
        ("etsi-en-303-645-v3", V3_SOURCE),
        ("en-18031-1", EN_18031_SOURCE),
        ("en-18031-2", EN_18031_SOURCE),
        ("en-18031-3", EN_18031_SOURCE),
    ] {
        let file = files()
            .into_iter()
            .find(|f| {
                f.parse
                    .ast
                    .documents
                    .iter()
                    .any(|d| d.id.text.as_str() == catalog)
            })
            .unwrap();
        let digest = sha256_hex(source.as_bytes());
        assert!(
            file.text.contains(&digest),
            "{catalog}: header digest is not {digest}"
        );
    }
}

/// SHA-256 (FIPS 180-4), for the digest check above: small enough not to
/// need a crate for one test.
fn sha256_hex(data: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

#[test]
fn sha256_of_known_inputs() {
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}
