//! CISO Assistant mapping libraries: a YAML library whose
//! `objects.requirement_mapping_sets` each map the requirement nodes of one
//! framework onto another's (`source_requirement_urn`,
//! `target_requirement_urn`, `relationship`, `rationale`,
//! `strength_of_relationship`, `annotation`), as in the `mapping-*.yaml`
//! libraries of intuitem/ciso-assistant-community.
//!
//! A requirement URN is the base URN of its document's nodes, `:`, and the
//! provision id (lower case, other characters than letters, digits, `.`,
//! `_` and `-` percent-encoded). The base URN of a document is set in
//! `xwalk.toml` (`[ciso-assistant.urn]`); otherwise it is
//! `urn:xwalk:risk:req_node:DOC`. See docs/interop.md.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::Value;

use super::fields::Obj;
use super::ingest::{self, Ids, Imported, Losses, NewDocument, NewMapping};
use super::rows::Export;
use crate::model::Workspace;
use crate::model::index::EndpointKey;
use crate::model::schema::is_document_id;

/// Crosswalk relation → CISO Assistant relationship.
pub const RELATIONSHIPS: [(&str, &str); 5] = [
    ("equal-to", "equal"),
    ("subset-of", "subset"),
    ("superset-of", "superset"),
    ("intersects-with", "intersect"),
    ("no-relationship", "not_related"),
];

/// The base URN of a document's requirement nodes when `xwalk.toml` sets
/// none.
pub fn default_base(doc: &str) -> String {
    format!("urn:xwalk:risk:req_node:{doc}")
}

fn base(urns: &BTreeMap<String, String>, doc: &str) -> String {
    urns.get(doc).cloned().unwrap_or_else(|| default_base(doc))
}

/// The framework URN of a base URN: `req_node` becomes `framework`.
fn framework(base: &str) -> String {
    base.replacen(":req_node:", ":framework:", 1)
}

/// A provision id as the last part of a URN.
pub fn encode_node(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.to_ascii_lowercase().bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The inverse of [`encode_node`] (but for letter case).
pub fn decode_node(node: &str) -> String {
    let bytes = node.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = node
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Serialize)]
struct Library {
    urn: String,
    locale: &'static str,
    ref_id: String,
    name: String,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    copyright: Option<String>,
    version: u32,
    provider: String,
    packager: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    dependencies: Vec<String>,
    objects: Objects,
}

#[derive(Serialize)]
struct Objects {
    requirement_mapping_sets: Vec<MappingSet>,
}

#[derive(Serialize)]
struct MappingSet {
    urn: String,
    ref_id: String,
    name: String,
    description: String,
    source_framework_urn: String,
    target_framework_urn: String,
    requirement_mappings: Vec<RequirementMapping>,
}

#[derive(Serialize)]
struct RequirementMapping {
    source_requirement_urn: String,
    target_requirement_urn: String,
    relationship: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rationale: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    strength_of_relationship: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    annotation: Option<String>,
}

/// The export as a CISO Assistant mapping library (YAML), one
/// `requirement_mapping_set` per (source document, target document) pair,
/// and what it could not carry.
pub fn export(export: &Export) -> (String, Losses) {
    let urns = &export.ws.config.ciso_urns;
    let mut losses = Losses::default();
    let mut sets: Vec<MappingSet> = Vec::new();
    let mut set_of: HashMap<(String, String), usize> = HashMap::new();
    let (rows, derived) = export.curated_rows();
    for _ in 0..derived {
        losses.add(
            "derived",
            "left out: derived mappings (`xwalk derive`) are not curated, and the format cannot mark them",
        );
    }
    for row in rows {
        let (s, t) = (row.source(), row.target());
        let (Some(sid), Some(tid)) = (&s.id, &t.id) else {
            losses.add(
                "whole-document endpoint",
                "left out: a requirement mapping links two requirement nodes",
            );
            continue;
        };
        let relationship = match RELATIONSHIPS.iter().find(|(x, _)| *x == row.relation()) {
            Some((_, r)) => *r,
            None if row.relation() == "equivalent-to" => {
                losses.add("relation equivalent-to", "written as `equal`");
                "equal"
            }
            None => {
                losses.add(
                    &format!("relation {}", row.relation()),
                    "left out: CISO Assistant has no such relationship",
                );
                continue;
            }
        };
        for (field, value) in [
            ("excerpt", row.excerpt),
            ("added", row.added),
            ("url", row.url),
        ] {
            if value.is_some() {
                losses.add(
                    field,
                    "not exported: a requirement mapping has no such field",
                );
            }
        }
        for id in [sid, tid] {
            if id.to_ascii_lowercase() != *id {
                losses.add("id letter case", "lowered: URNs are lower case");
            }
        }
        let key = (s.document.clone(), t.document.clone());
        let i = *set_of.entry(key).or_insert_with(|| {
            let title = |d: &str| {
                export
                    .ws
                    .index
                    .document(d)
                    .and_then(|d| d.title.clone())
                    .unwrap_or_else(|| d.to_string())
            };
            let ref_id = format!("{}-to-{}", s.document, t.document);
            sets.push(MappingSet {
                urn: format!("urn:xwalk:risk:req_mapping_set:{ref_id}"),
                name: format!("{} -> {}", title(&s.document), title(&t.document)),
                description: format!(
                    "Mappings of {} onto {}, exported from Crosswalk (.xwalk) files.",
                    s.document, t.document
                ),
                ref_id,
                source_framework_urn: framework(&base(urns, &s.document)),
                target_framework_urn: framework(&base(urns, &t.document)),
                requirement_mappings: Vec::new(),
            });
            sets.len() - 1
        });
        sets[i].requirement_mappings.push(RequirementMapping {
            source_requirement_urn: format!("{}:{}", base(urns, &s.document), encode_node(sid)),
            target_requirement_urn: format!("{}:{}", base(urns, &t.document), encode_node(tid)),
            relationship,
            rationale: row.rationale.map(str::to_string),
            strength_of_relationship: row.strength.and_then(|s| s.parse().ok()),
            annotation: row.note.map(str::to_string),
        });
    }
    let name = export
        .workspace_name()
        .unwrap_or_else(|| "workspace".into());
    let slug = ingest::slug(&name, 60);
    let ref_id = if slug.starts_with("mapping-") {
        slug
    } else {
        format!("mapping-{slug}")
    };
    let dataset = export.dataset();
    let mut dependencies: Vec<String> = sets
        .iter()
        .flat_map(|s| [&s.source_framework_urn, &s.target_framework_urn])
        .filter(|u| !u.starts_with("urn:xwalk:"))
        .map(|u| u.replacen(":framework:", ":library:", 1))
        .collect();
    dependencies.sort();
    dependencies.dedup();
    let library = Library {
        urn: format!("urn:xwalk:risk:library:{ref_id}"),
        locale: "en",
        name: dataset
            .and_then(|d| d.title.clone())
            .unwrap_or_else(|| format!("Crosswalk mappings: {name}")),
        description: format!("Mappings of the Crosswalk workspace `{name}`."),
        ref_id,
        copyright: dataset
            .and_then(|d| export.document_text(&d.id, "copyright").map(str::to_string)),
        version: 1,
        provider: dataset
            .and_then(|d| d.publisher.clone())
            .unwrap_or_else(|| "Crosswalk".into()),
        packager: "xwalk",
        dependencies,
        objects: Objects {
            requirement_mapping_sets: sets,
        },
    };
    let text = serde_yaml_ng::to_string(&library).expect("strings serialise");
    (text, losses)
}

/// Where a requirement URN points: its document and provision id.
fn endpoint(
    urn: &str,
    at: &str,
    urns: &BTreeMap<String, String>,
    known: &Workspace,
) -> Result<(String, String, String), String> {
    let configured = urns
        .iter()
        .filter(|(_, b)| {
            urn.len() > b.len() + 1
                && urn.starts_with(b.as_str())
                && urn.as_bytes()[b.len()] == b':'
        })
        .max_by_key(|(_, b)| b.len());
    let (doc, base, node) = match configured {
        Some((doc, b)) => (doc.clone(), b.clone(), &urn[b.len() + 1..]),
        None => {
            let parts: Vec<&str> = urn.splitn(6, ':').collect();
            match parts.as_slice() {
                ["urn", _, _, _, framework, node]
                    if is_document_id(framework) && !node.is_empty() =>
                {
                    let base = parts[..5].join(":");
                    (framework.to_string(), base, *node)
                }
                _ => {
                    return Err(format!(
                        "{at}: `{urn}` is not a requirement URN (urn:PACKAGER:risk:req_node:FRAMEWORK:NODE) and no `[ciso-assistant.urn]` base matches it"
                    ));
                }
            }
        }
    };
    let id = ingest::known_id(known, &doc, &decode_node(node));
    Ok((doc, base, id))
}

/// Reads a mapping library (YAML text). `urns` is the
/// `[ciso-assistant.urn]` table to read URNs with; `known` the documents
/// Crosswalk knows.
pub fn import(
    text: &str,
    urns: &BTreeMap<String, String>,
    known: &Workspace,
) -> Result<(Imported, Losses), String> {
    if text.trim().is_empty() {
        return Err("the file is empty; expected a CISO Assistant library (YAML)".into());
    }
    let root: Value = serde_yaml_ng::from_str(text).map_err(|e| format!("not valid YAML: {e}"))?;
    let lib = Obj::of(&root, "")?;
    let mut losses = Losses::default();
    let objects = Obj::of(lib.required("objects")?, "objects")?;
    objects.leftovers(
        "objects",
        &["requirement_mapping_sets", "requirement_mapping_set"],
        &mut losses,
    );
    let mut sets: Vec<(String, &Value)> = Vec::new();
    for (i, s) in objects
        .array("requirement_mapping_sets")?
        .iter()
        .enumerate()
    {
        sets.push((format!("objects.requirement_mapping_sets[{i}]"), s));
    }
    if let Some(s) = objects.get("requirement_mapping_set") {
        sets.push(("objects.requirement_mapping_set".into(), s));
    }
    if sets.is_empty() {
        return Err("objects: no `requirement_mapping_sets`; this is not a mapping library".into());
    }
    let name = lib
        .string("ref_id")?
        .or(lib.string("name")?)
        .map_or_else(|| "ciso-assistant".to_string(), |n| ingest::slug(n, 60));
    let mut imported = Imported {
        name,
        ..Imported::default()
    };
    let mut bases: BTreeMap<String, String> = BTreeMap::new();
    // The (source, target) URN pairs read so far, to tell a reverse set.
    let mut pairs: std::collections::HashSet<(String, String)> = Default::default();
    for (path, set) in &sets {
        let set = Obj::of(set, path)?;
        set.required_string("source_framework_urn")?;
        set.required_string("target_framework_urn")?;
        let list = set.array("requirement_mappings")?;
        let urns_of = |m: &Value| {
            let s = m.get("source_requirement_urn").and_then(Value::as_str)?;
            let t = m.get("target_requirement_urn").and_then(Value::as_str)?;
            Some((s.to_string(), t.to_string()))
        };
        // A library carries each forward set with its reverse (targets and
        // sources swapped): a set all of whose mappings reverse mappings
        // already read adds nothing.
        let reverse = !list.is_empty()
            && list
                .iter()
                .all(|m| urns_of(m).is_some_and(|(s, t)| pairs.contains(&(t, s))));
        if reverse {
            for _ in list {
                losses.add(
                    "reverse mapping set",
                    "skipped: the reverse of mappings read before",
                );
            }
            continue;
        }
        pairs.extend(list.iter().filter_map(urns_of));
        set.leftovers(
            "requirement_mapping_sets[]",
            &[
                "urn",
                "ref_id",
                "name",
                "description",
                "source_framework_urn",
                "target_framework_urn",
                "requirement_mappings",
            ],
            &mut losses,
        );
        for (j, m) in list.iter().enumerate() {
            let mp = format!("{path}.requirement_mappings[{j}]");
            let m = Obj::of(m, &mp)?;
            m.leftovers(
                "requirement_mappings[]",
                &[
                    "source_requirement_urn",
                    "target_requirement_urn",
                    "relationship",
                    "rationale",
                    "strength_of_relationship",
                    "annotation",
                ],
                &mut losses,
            );
            let mut ends = Vec::new();
            for side in ["source_requirement_urn", "target_requirement_urn"] {
                let urn = m.required_string(side)?;
                let (doc, base, id) = endpoint(urn, &m.at(side), urns, known)?;
                bases.entry(doc.clone()).or_insert(base);
                ends.push(EndpointKey {
                    document: doc,
                    id: Some(id),
                });
            }
            let target = ends.pop().expect("two ends");
            let source = ends.pop().expect("two ends");
            let mut mapping = NewMapping::new(source, target);
            // CISO Assistant's default relationship is `not_related`.
            let relationship = m.string("relationship")?.unwrap_or("not_related");
            mapping.relation = RELATIONSHIPS
                .iter()
                .find(|(_, r)| *r == relationship)
                .map(|(x, _)| x.to_string())
                .ok_or_else(|| {
                    format!(
                        "{}: `{relationship}` is not a relationship; expected equal, subset, superset, intersect or not_related",
                        m.at("relationship")
                    )
                })?;
            if let Some(r) = m.string("rationale")? {
                mapping.rationale = Some(ingest::rationale(r).ok_or_else(|| {
                    format!(
                        "{}: `{r}` is not a rationale; expected syntactic, semantic or functional",
                        m.at("rationale")
                    )
                })?);
            }
            if let Some(s) = m.get("strength_of_relationship") {
                mapping.strength = Some(
                    s.as_u64()
                        .filter(|s| *s <= 10)
                        .map(|s| s as u8)
                        .ok_or_else(|| {
                            format!(
                                "{}: expected a whole number from 0 to 10, found {s}",
                                m.at("strength_of_relationship")
                            )
                        })?,
                );
            }
            mapping.note = m
                .string("annotation")?
                .filter(|a| !a.is_empty())
                .map(str::to_string);
            imported.mappings.push(mapping);
        }
    }
    // Documents: the built-in catalogs as they are, others declared.
    let mut ids = Ids::default();
    let mut config = String::new();
    for (doc, base) in &bases {
        ids.reserve(doc);
        if known.index.document(doc).is_none() {
            imported.documents.push(NewDocument {
                id: doc.clone(),
                title: doc.clone(),
                note: Some(format!("CISO Assistant framework {}", framework(base))),
                ..NewDocument::default()
            });
        }
        if *base != default_base(doc) {
            // Keys quoted: a document id may hold `.`, which TOML reads as
            // a dotted key.
            let q = |s: &str| serde_json::to_string(s).expect("strings serialise");
            config.push_str(&format!("{} = {}\n", q(doc), q(base)));
        }
    }
    if !config.is_empty() {
        imported.config = format!("[ciso-assistant.urn]\n{config}");
    }
    Ok((imported, losses))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_ids_round_trip_but_for_case() {
        assert_eq!(encode_node("A.5.1"), "a.5.1");
        assert_eq!(encode_node("Provision 4.1-1"), "provision%204.1-1");
        assert_eq!(decode_node("provision%204.1-1"), "provision 4.1-1");
        assert_eq!(decode_node("%zz"), "%zz");
        assert_eq!(decode_node(&encode_node("é: x")), "é: x");
    }

    #[test]
    fn urns_name_documents() {
        let known = ingest::known();
        let mut urns = BTreeMap::new();
        urns.insert(
            "iso".to_string(),
            "urn:intuitem:risk:req_node:iso27001-2022".to_string(),
        );
        let e = |u: &str| endpoint(u, "x", &urns, &known);
        assert_eq!(
            e("urn:intuitem:risk:req_node:iso27001-2022:a.5.1").unwrap(),
            (
                "iso".into(),
                "urn:intuitem:risk:req_node:iso27001-2022".into(),
                "a.5.1".into()
            )
        );
        assert_eq!(
            e("urn:xwalk:risk:req_node:etsi-en-303-645:5.1-1")
                .unwrap()
                .0,
            "etsi-en-303-645"
        );
        assert!(
            e("urn:bad")
                .unwrap_err()
                .starts_with("x: `urn:bad` is not a requirement URN")
        );
    }
}
