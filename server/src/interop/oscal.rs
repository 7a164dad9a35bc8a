//! OSCAL 1.2 `mapping-collection` export.
//!
//! One `mapping` per (source document, target document) pair, in order of
//! first appearance; one `map` entry per source → target pair, with the
//! relation as `relationship` (`related`, which OSCAL does not define, is
//! qualified by the Crosswalk namespace [`NS`]). Documents become
//! back-matter resources that `source-resource` and `target-resource`
//! point at. Metadata comes from the workspace's dataset document (or its
//! name); provenance states that the mappings were made by people.
//!
//! UUIDs are version 5 (name-based), so the same workspace always gives the
//! same UUIDs; the collection's UUID changes when any mapping changes.
//! OSCAL strings that must be one line without outer whitespace (titles,
//! ids, property values) get their whitespace folded; excerpts and notes
//! are kept exactly, in `remarks`.

use std::collections::HashMap;

use serde::Serialize;
use uuid::Uuid;

use super::rows::{Export, MappingRow};
use crate::model::index::{DocumentInfo, EndpointKey};
use crate::plural::plural;

/// The OSCAL version written in `metadata.oscal-version`.
pub const OSCAL_VERSION: &str = "1.2.0";

/// Namespace of Crosswalk's own property names and of the `related`
/// relationship.
pub const NS: &str = "urn:xwalk:oscal";

/// The namespace of every UUID Crosswalk derives.
const UUID_NAMESPACE: Uuid = Uuid::from_u128(0xe5a0_0593_8a5c_4b45_88b1_825a_9d91_6d4c);

fn uuid(name: &str) -> String {
    Uuid::new_v5(&UUID_NAMESPACE, name.as_bytes())
        .hyphenated()
        .to_string()
}

/// `s` on one line, whitespace runs made one space, ends trimmed.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Serialize)]
pub struct Root {
    #[serde(rename = "mapping-collection")]
    pub mapping_collection: Collection,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Collection {
    pub uuid: String,
    pub metadata: Metadata,
    pub provenance: Provenance,
    pub mappings: Vec<MappingSet>,
    pub back_matter: BackMatter,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Metadata {
    pub title: String,
    pub last_modified: String,
    pub version: String,
    pub oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Provenance {
    pub method: &'static str,
    pub matching_rationale: String,
    pub status: &'static str,
    pub mapping_description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Serialize)]
pub struct Prop {
    pub name: &'static str,
    pub ns: &'static str,
    pub value: String,
}

#[derive(Serialize)]
pub struct Link {
    pub href: String,
    pub rel: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct MappingSet {
    pub uuid: String,
    pub method: &'static str,
    pub source_resource: Resource,
    pub target_resource: Resource,
    pub maps: Vec<Map>,
}

#[derive(Serialize)]
pub struct Resource {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub href: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Map {
    pub uuid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matching_rationale: Option<String>,
    pub relationship: String,
    pub sources: Vec<Item>,
    pub targets: Vec<Item>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Item {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id_ref: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Serialize)]
pub struct BackMatter {
    pub resources: Vec<BackMatterResource>,
}

#[derive(Serialize)]
pub struct BackMatterResource {
    pub uuid: String,
    pub title: String,
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rlinks: Vec<Rlink>,
}

#[derive(Serialize)]
pub struct Rlink {
    pub href: String,
}

fn prop(name: &'static str, value: &str) -> Option<Prop> {
    let value = one_line(value);
    (!value.is_empty()).then_some(Prop {
        name,
        ns: NS,
        value,
    })
}

/// The OSCAL mapping item of an endpoint: a control (a provision or clause,
/// `id-ref` its id). OSCAL 1.2 allows only `control` and `statement` here,
/// so a whole document is a `control` whose `id-ref` is the document id,
/// marked by the property `scope` = `document` (namespace [`NS`]).
fn item(key: &EndpointKey, remarks: Option<&str>) -> Item {
    let id = key.id.as_deref().map(one_line).unwrap_or_default();
    let (id_ref, props) = if id.is_empty() {
        (
            one_line(&key.document),
            prop("scope", "document").into_iter().collect(),
        )
    } else {
        (id, Vec::new())
    };
    Item {
        kind: "control",
        id_ref,
        props,
        remarks: remarks.filter(|r| !r.is_empty()).map(str::to_string),
    }
}

fn map_entry(row: &MappingRow, ordinal: usize) -> Map {
    let relation = row.relation();
    let name = format!(
        "map\0{}\0{}\0{relation}\0{}\0{ordinal}",
        row.source(),
        row.target(),
        row.excerpt.unwrap_or("")
    );
    let known = crate::model::schema::RELATIONS.contains(&relation) && relation != "related";
    Map {
        uuid: uuid(&name),
        ns: (!known).then_some(NS),
        matching_rationale: row.rationale.map(str::to_string),
        relationship: relation.to_string(),
        sources: vec![item(row.source(), row.excerpt)],
        targets: vec![item(row.target(), None)],
        props: [
            row.added.and_then(|a| prop("added", a)),
            row.strength.and_then(|s| prop("strength", s)),
            // A derived mapping (`xwalk derive`): its chain, ` > ` between
            // the nodes; curated mappings have no such property.
            row.chain().and_then(|c| prop("derived", &c.join(" > "))),
        ]
        .into_iter()
        .flatten()
        .collect(),
        links: row
            .url
            .map(|u| Link {
                href: u.to_string(),
                rel: "reference",
            })
            .into_iter()
            .collect(),
        remarks: row.note.filter(|n| !n.is_empty()).map(str::to_string),
    }
}

fn resource_uuid(doc: &str) -> String {
    uuid(&format!("document\0{doc}"))
}

fn back_matter_resource(
    export: &Export,
    id: &str,
    doc: Option<&DocumentInfo>,
) -> BackMatterResource {
    let title = doc
        .and_then(|d| d.title.as_deref())
        .map(one_line)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| id.to_string());
    let props = [
        prop("document-id", id),
        doc.and_then(|d| d.publisher.as_deref())
            .and_then(|p| prop("publisher", p)),
        doc.and_then(|d| d.version.as_deref())
            .and_then(|v| prop("version", v)),
    ]
    .into_iter()
    .flatten()
    .collect();
    BackMatterResource {
        uuid: resource_uuid(id),
        title,
        props,
        rlinks: export
            .document_text(id, "url")
            .map(|u| Rlink {
                href: u.to_string(),
            })
            .into_iter()
            .collect(),
    }
}

/// The export as an OSCAL mapping collection. `last_modified` is the
/// RFC 3339 timestamp to write in the metadata.
pub fn build(export: &Export, last_modified: &str) -> Root {
    let rows = export.rows();
    let mut sets: Vec<MappingSet> = Vec::new();
    let mut set_of: HashMap<(&str, &str), usize> = HashMap::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut rationales: HashMap<&str, usize> = HashMap::new();
    let mut documents: Vec<&str> = Vec::new();
    // OSCAL 1.2 allows only `catalog` (and `profile`) as the type of a
    // mapped resource: every document is written as a catalog, and one that
    // the workspace does not catalogue (no provisions or clauses declared)
    // says so in the property `catalogued` = `false` (namespace NS).
    let resource = |export: &Export, doc: &str| Resource {
        kind: "catalog",
        href: format!("#{}", resource_uuid(doc)),
        props: if export
            .ws
            .index
            .document(doc)
            .is_some_and(|d| d.is_catalogued())
        {
            Vec::new()
        } else {
            prop("catalogued", "false").into_iter().collect()
        },
    };
    for row in &rows {
        let (s, t) = (&row.source().document, &row.target().document);
        let i = *set_of.entry((s, t)).or_insert_with(|| {
            for d in [s, t] {
                if !documents.contains(&d.as_str()) {
                    documents.push(d);
                }
            }
            sets.push(MappingSet {
                uuid: uuid(&format!("mapping\0{s}\0{t}")),
                method: "human",
                source_resource: resource(export, s),
                target_resource: resource(export, t),
                maps: Vec::new(),
            });
            sets.len() - 1
        });
        let key = format!(
            "{}\0{}\0{}\0{}",
            row.source(),
            row.target(),
            row.relation(),
            row.excerpt.unwrap_or("")
        );
        let n = seen.entry(key).or_insert(0);
        *n += 1;
        sets[i].maps.push(map_entry(row, *n));
        if let Some(r) = row.rationale {
            *rationales.entry(r).or_default() += 1;
        }
    }
    documents.sort_unstable();
    let resources = documents
        .iter()
        .map(|id| back_matter_resource(export, id, export.ws.index.document(id)))
        .collect();

    let dataset = export.dataset();
    let name = export.workspace_name();
    let title = dataset
        .and_then(|d| d.title.as_deref())
        .map(one_line)
        .filter(|t| !t.is_empty())
        .or_else(|| name.clone().map(|n| format!("Crosswalk mappings: {n}")))
        .unwrap_or_else(|| "Crosswalk mappings".to_string());
    let version = dataset
        .and_then(|d| d.version.as_deref())
        .map(one_line)
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "unversioned".to_string());
    // Each map states its own rationale: the provenance's (which OSCAL
    // requires) is not to be inherited by the maps that state none.
    let mut metadata_props: Vec<Prop> = prop(super::oscal_import::PER_MAP_RATIONALE, "per-map")
        .into_iter()
        .collect();
    let mut links = Vec::new();
    let mut remarks = Vec::new();
    if let Some(d) = dataset {
        metadata_props.extend(prop("document-id", &d.id));
        metadata_props.extend(d.publisher.as_deref().and_then(|p| prop("publisher", p)));
        if let Some(url) = export.document_text(&d.id, "url") {
            links.push(Link {
                href: url.to_string(),
                rel: "reference",
            });
        }
        remarks.extend(export.document_text(&d.id, "copyright").map(str::to_string));
        remarks.extend(
            export
                .document_texts(&d.id, "disclaimer")
                .into_iter()
                .map(str::to_string),
        );
    }
    let total = rows.len();
    let given: usize = rationales.values().sum();
    let (matching_rationale, provenance_remarks) = match rationales.len() {
        1 if given == total => (rationales.keys().next().unwrap().to_string(), None),
        _ => (
            "semantic".to_string(),
            Some(format!(
                "{given} of {} state a rationale (given per map where stated); `semantic` is the collection's default.",
                plural(total, "mapping", "mappings")
            )),
        ),
    };
    let description = format!(
        "{} between {}{}, exported from Crosswalk (.xwalk) files.",
        plural(total, "mapping", "mappings"),
        plural(documents.len(), "document", "documents"),
        name.map(|n| format!(" of the workspace `{n}`"))
            .unwrap_or_default()
    );
    let content: String = sets
        .iter()
        .flat_map(|s| s.maps.iter().map(|m| m.uuid.as_str()))
        .chain([title.as_str(), version.as_str()])
        .collect();
    Root {
        mapping_collection: Collection {
            uuid: uuid(&format!("collection\0{content}")),
            metadata: Metadata {
                title,
                last_modified: last_modified.to_string(),
                version,
                oscal_version: OSCAL_VERSION,
                props: metadata_props,
                links,
                remarks: (!remarks.is_empty()).then(|| remarks.join("\n\n")),
            },
            provenance: Provenance {
                method: "human",
                matching_rationale,
                status: "draft",
                mapping_description: description,
                remarks: provenance_remarks,
            },
            mappings: sets,
            back_matter: BackMatter { resources },
        },
    }
}

/// The export as pretty-printed OSCAL JSON, with a final newline.
pub fn export(export: &Export, last_modified: &str) -> String {
    let mut s =
        serde_json::to_string_pretty(&build(export, last_modified)).expect("strings serialise");
    s.push('\n');
    s
}

/// Formats seconds since the Unix epoch as an RFC 3339 UTC timestamp.
pub fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn uuids_are_v5_and_stable() {
        let a = uuid("x");
        assert_eq!(a, uuid("x"));
        assert_eq!(&a[14..15], "5");
    }
}
