//! OSCAL 1.2 `mapping-collection` import: the inverse of [`super::oscal`].
//!
//! Each `map` gives one mapping per (source item, target item) pair. A
//! `source-resource` or `target-resource` names a document through the
//! back-matter resource its `href` points at (`#UUID`): its Crosswalk
//! property `document-id`, else a built-in catalog with the same title,
//! else a new declared document named after its title. A resource outside
//! the back matter (an absolute `href`) becomes a document named after the
//! last part of its address. Everything the export writes is read back;
//! anything else the collection holds is counted in [`Losses`]. See
//! docs/interop.md.

use std::collections::HashMap;

use serde_json::Value;

use super::fields::{Obj, kind};
use super::ingest::{self, Ids, Imported, Losses, NewDocument, NewMapping};
use super::oscal::NS;
use crate::model::Workspace;
use crate::model::index::EndpointKey;
use crate::model::schema::{RELATIONS, is_document_id};

/// OSCAL's own namespace (the default of `ns`).
pub const OSCAL_NS: &str = "http://csrc.nist.gov/ns/oscal";

/// The relationships OSCAL 1.2 defines.
pub const OSCAL_RELATIONSHIPS: [&str; 6] = [
    "equivalent-to",
    "equal-to",
    "subset-of",
    "superset-of",
    "intersects-with",
    "no-relationship",
];

/// The metadata property (namespace [`NS`]) by which Crosswalk's export
/// says that each map states its own rationale, so that the provenance's
/// `matching-rationale` (required by OSCAL) is not inherited on import.
pub const PER_MAP_RATIONALE: &str = "map-rationale";

struct Resource {
    document: String,
    known: bool,
}

/// Reads a mapping collection (JSON text). `known` is the workspace of the
/// documents Crosswalk knows (the built-in catalogs).
pub fn import(text: &str, known: &Workspace) -> Result<(Imported, Losses), String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err("the file is empty; expected an OSCAL mapping-collection (JSON)".into());
    }
    let json: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let root = Obj::of(&json, "")?;
    let Some(collection) = root.get("mapping-collection") else {
        return Err(format!(
            "expected an object with `mapping-collection`, found {}",
            match &json {
                Value::Object(m) => format!(
                    "the keys {}",
                    m.keys()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                other => kind(other),
            }
        ));
    };
    let c = Obj::of(collection, "mapping-collection")?;
    let mut losses = Losses::default();
    let mut ids = Ids::default();
    for id in known.index.documents.keys() {
        ids.reserve(id);
    }

    // Metadata: the dataset document when Crosswalk wrote it.
    let metadata = Obj::of(c.required("metadata")?, "mapping-collection.metadata")?;
    let meta_props = props(&metadata, &mut losses, "metadata.props")?;
    let title = metadata.required_string("title")?;
    let per_map = meta_props.contains_key(PER_MAP_RATIONALE);
    let mut imported = Imported {
        name: ingest::slug(title, 60),
        ..Imported::default()
    };
    if let Some(id) = meta_props.get("document-id").filter(|i| is_document_id(i)) {
        let id = ids.fresh(id);
        imported.dataset = Some(id.clone());
        imported.documents.push(NewDocument {
            id,
            title: title.to_string(),
            publisher: meta_props.get("publisher").cloned(),
            version: metadata.string("version")?.map(str::to_string),
            url: first_link(&metadata)?,
            ..NewDocument::default()
        });
    }

    // Back matter: resources by UUID.
    let mut resources: HashMap<&str, Obj> = HashMap::new();
    let back_matter_path = "mapping-collection.back-matter.resources".to_string();
    let back_paths: Vec<String>;
    if let Some(bm) = c.get("back-matter") {
        let bm = Obj::of(bm, "mapping-collection.back-matter")?;
        let list = bm.array("resources")?;
        back_paths = (0..list.len())
            .map(|i| format!("{back_matter_path}[{i}]"))
            .collect();
        for (r, path) in list.iter().zip(&back_paths) {
            let r = Obj::of(r, path)?;
            resources.insert(r.required_string("uuid")?, r);
        }
    }
    let provenance = match c.get("provenance") {
        Some(p) => Some(Obj::of(p, "mapping-collection.provenance")?),
        None => None,
    };
    let default_rationale = match provenance {
        Some(p) if !per_map => p.string("matching-rationale")?,
        _ => None,
    };

    let mut by_href: HashMap<String, Resource> = HashMap::new();
    // OSCAL requires at least one mapping; an empty list (Crosswalk's
    // export of a workspace without mappings) is read as no mappings.
    c.required("mappings")?;
    let sets = c.array("mappings")?;
    let set_paths: Vec<String> = (0..sets.len())
        .map(|i| format!("mapping-collection.mappings[{i}]"))
        .collect();
    for (set, path) in sets.iter().zip(&set_paths) {
        let set = Obj::of(set, path)?;
        set.leftovers(
            "mappings[]",
            &[
                "uuid",
                "method",
                "matching-rationale",
                "status",
                "source-resource",
                "target-resource",
                "maps",
            ],
            &mut losses,
        );
        let mut ends = Vec::new();
        for side in ["source-resource", "target-resource"] {
            let at = set.at(side);
            let r = Obj::of(set.required(side)?, &at)?;
            let href = r.required_string("href")?;
            if !by_href.contains_key(href) {
                let resolved = resource(
                    href,
                    &r,
                    &resources,
                    known,
                    &mut ids,
                    &mut imported,
                    &mut losses,
                )?;
                by_href.insert(href.to_string(), resolved);
            }
            ends.push(href.to_string());
        }
        let set_rationale = set.string("matching-rationale")?.or(default_rationale);
        let maps = set.required_array("maps")?;
        for (j, map) in maps.iter().enumerate() {
            let map_path = format!("{path}.maps[{j}]");
            let map = Obj::of(map, &map_path)?;
            let (source, target) = (&by_href[&ends[0]], &by_href[&ends[1]]);
            read_map(
                &map,
                source,
                target,
                set_rationale,
                known,
                &mut imported,
                &mut losses,
            )?;
        }
    }
    Ok((imported, losses))
}

/// The document a resource reference names (declared on first use).
fn resource(
    href: &str,
    r: &Obj,
    resources: &HashMap<&str, Obj>,
    known: &Workspace,
    ids: &mut Ids,
    imported: &mut Imported,
    losses: &mut Losses,
) -> Result<Resource, String> {
    if let Some(uuid) = href.strip_prefix('#') {
        let res = resources.get(uuid).ok_or_else(|| {
            format!(
                "{}: `{href}` names no resource of the back matter",
                r.at("href")
            )
        })?;
        let p = props(res, losses, "back-matter.resources[].props")?;
        let title = res.string("title")?.unwrap_or(uuid);
        res.leftovers(
            "back-matter.resources[]",
            &["uuid", "title", "props", "rlinks"],
            losses,
        );
        if let Some(id) = p.get("document-id").filter(|i| is_document_id(i))
            && known.index.document(id).is_some()
        {
            return Ok(Resource {
                document: id.clone(),
                known: true,
            });
        }
        let hrefs: Vec<&str> = res
            .array("rlinks")?
            .iter()
            .filter_map(|l| l.get("href").and_then(Value::as_str))
            .collect();
        if let Some(id) = known_catalog(known, title, p.get("version"), &hrefs) {
            return Ok(Resource {
                document: id,
                known: true,
            });
        }
        let base = p
            .get("document-id")
            .filter(|i| is_document_id(i))
            .cloned()
            .unwrap_or_else(|| ingest::slug(title, 60));
        let id = ids.fresh(&base);
        let url = hrefs
            .iter()
            .find(|u| u.starts_with("http://") || u.starts_with("https://"))
            .map(|u| u.to_string());
        imported.documents.push(NewDocument {
            id: id.clone(),
            title: title.to_string(),
            publisher: p.get("publisher").cloned(),
            version: p.get("version").cloned(),
            url,
            ..NewDocument::default()
        });
        return Ok(Resource {
            document: id,
            known: false,
        });
    }
    // An address outside the collection: named after its last part.
    let last = href
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(href);
    let stem = last.split('.').next().unwrap_or(last);
    let id = ids.fresh(&ingest::slug(stem, 60));
    imported.documents.push(NewDocument {
        id: id.clone(),
        title: href.to_string(),
        url: (href.starts_with("http://") || href.starts_with("https://"))
            .then(|| href.to_string()),
        ..NewDocument::default()
    });
    Ok(Resource {
        document: id,
        known: false,
    })
}

/// The built-in catalog a back-matter resource stands for: the one at one
/// of its addresses, else the one with its title (and version, when two
/// share the title).
fn known_catalog(
    known: &Workspace,
    title: &str,
    version: Option<&String>,
    hrefs: &[&str],
) -> Option<String> {
    let docs: Vec<_> = known.index.documents.values().collect();
    let url = |d: &crate::model::index::DocumentInfo| {
        let f = known.file(d.decl.file);
        crate::model::index::field_text(&f.parse.ast.documents[d.decl.index].fields, "url")
    };
    let by_url: Vec<_> = docs
        .iter()
        .filter(|d| url(d).is_some_and(|u| hrefs.contains(&u)))
        .collect();
    if let [one] = by_url.as_slice() {
        return Some(one.id.clone());
    }
    let by_title: Vec<_> = docs
        .iter()
        .filter(|d| {
            d.title
                .as_deref()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case(title.trim()))
        })
        .filter(|d| version.is_none_or(|v| d.version.as_deref() == Some(v.as_str())))
        .collect();
    match by_title.as_slice() {
        [one] => Some(one.id.clone()),
        _ => None,
    }
}

/// The Crosswalk properties (namespace [`NS`]) of an object by name;
/// other properties are counted as not carried under `field`.
fn props(o: &Obj, losses: &mut Losses, field: &str) -> Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    for (i, p) in o.array("props")?.iter().enumerate() {
        let path = format!("{}[{i}]", o.at("props"));
        let p = Obj::of(p, &path)?;
        let name = p.required_string("name")?;
        let value = p.string("value")?.unwrap_or_default();
        if p.string("ns")? == Some(NS) {
            out.insert(name.to_string(), value.to_string());
        } else {
            losses.add(&format!("{field} `{name}`"), "not imported");
        }
    }
    Ok(out)
}

fn first_link(o: &Obj) -> Result<Option<String>, String> {
    Ok(o.array("links")?
        .iter()
        .find_map(|l| l.get("href").and_then(Value::as_str))
        .map(str::to_string))
}

fn endpoint(
    item: &Obj,
    resource: &Resource,
    known: &Workspace,
    losses: &mut Losses,
) -> Result<EndpointKey, String> {
    let id_ref = item.required_string("id-ref")?;
    let mut whole = false;
    for p in item.array("props")? {
        let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
        if p.get("ns").and_then(Value::as_str) == Some(NS) && name == "scope" {
            whole = p.get("value").and_then(Value::as_str) == Some("document");
        } else {
            losses.add(&format!("maps[] item props `{name}`"), "not imported");
        }
    }
    let id = if whole && id_ref == resource.document {
        None
    } else if resource.known {
        Some(ingest::known_id(known, &resource.document, id_ref))
    } else {
        Some(id_ref.to_string())
    };
    Ok(EndpointKey {
        document: resource.document.clone(),
        id,
    })
}

fn read_map(
    map: &Obj,
    source: &Resource,
    target: &Resource,
    inherited: Option<&str>,
    known: &Workspace,
    imported: &mut Imported,
    losses: &mut Losses,
) -> Result<(), String> {
    map.leftovers(
        "maps[]",
        &[
            "uuid",
            "ns",
            "matching-rationale",
            "relationship",
            "sources",
            "targets",
            "props",
            "links",
            "remarks",
        ],
        losses,
    );
    let relationship = map.required_string("relationship")?;
    let ns = map.string("ns")?.unwrap_or(OSCAL_NS);
    let relation = if ns == OSCAL_NS {
        if !OSCAL_RELATIONSHIPS.contains(&relationship) {
            return Err(format!(
                "{}: `{relationship}` is not an OSCAL relationship; expected one of {}",
                map.at("relationship"),
                OSCAL_RELATIONSHIPS.join(", ")
            ));
        }
        relationship.to_string()
    } else if ns == NS && RELATIONS.contains(&relationship) {
        relationship.to_string()
    } else {
        losses.add(
            &format!("maps[].relationship `{relationship}` (namespace {ns})"),
            "imported as `related`",
        );
        "related".to_string()
    };
    let rationale = match map.string("matching-rationale")?.or(inherited) {
        None => None,
        Some(r) => Some(ingest::rationale(r).ok_or_else(|| {
            format!(
                "{}: `{r}` is not a matching rationale; expected syntactic, semantic or functional",
                map.at("matching-rationale")
            )
        })?),
    };
    let mut added = None;
    let mut strength = None;
    for (i, p) in map.array("props")?.iter().enumerate() {
        let path = format!("{}[{i}]", map.at("props"));
        let p = Obj::of(p, &path)?;
        let name = p.required_string("name")?;
        let value = p.required_string("value")?;
        match (p.string("ns")? == Some(NS), name) {
            (true, "added") => added = Some(value.to_string()),
            (true, "strength") => {
                strength = Some(
                    value
                        .parse::<u8>()
                        .ok()
                        .filter(|s| *s <= 10)
                        .ok_or_else(|| {
                            format!("{path}: strength `{value}` is not a whole number from 0 to 10")
                        })?,
                )
            }
            _ => losses.add(&format!("maps[].props `{name}`"), "not imported"),
        }
    }
    let mut url = None;
    for l in map.array("links")? {
        let href = l.get("href").and_then(Value::as_str).unwrap_or_default();
        let web = href.starts_with("http://") || href.starts_with("https://");
        if url.is_none() && web {
            url = Some(href.to_string());
        } else {
            losses.add("maps[].links", "not imported");
        }
    }
    let note = map.string("remarks")?.map(str::to_string);
    let sources = map.required_array("sources")?;
    let targets = map.required_array("targets")?;
    let source_paths: Vec<String> = (0..sources.len())
        .map(|i| format!("{}[{i}]", map.at("sources")))
        .collect();
    let target_paths: Vec<String> = (0..targets.len())
        .map(|i| format!("{}[{i}]", map.at("targets")))
        .collect();
    let mut ends = Vec::new();
    for (s, sp) in sources.iter().zip(&source_paths) {
        let s = Obj::of(s, sp)?;
        s.leftovers(
            "maps[].sources[]",
            &["type", "id-ref", "props", "remarks"],
            losses,
        );
        ends.push((
            endpoint(&s, source, known, losses)?,
            s.string("remarks")?.map(str::to_string),
        ));
    }
    let mut target_keys = Vec::new();
    for (t, tp) in targets.iter().zip(&target_paths) {
        let t = Obj::of(t, tp)?;
        t.leftovers("maps[].targets[]", &["type", "id-ref", "props"], losses);
        target_keys.push(endpoint(&t, target, known, losses)?);
    }
    for (source_key, excerpt) in &ends {
        for target_key in &target_keys {
            imported.mappings.push(NewMapping {
                source: source_key.clone(),
                target: target_key.clone(),
                relation: relation.clone(),
                excerpt: excerpt.clone(),
                note: note.clone(),
                added: added.clone(),
                rationale: rationale.clone(),
                strength,
                url: url.clone(),
            });
        }
    }
    Ok(())
}
