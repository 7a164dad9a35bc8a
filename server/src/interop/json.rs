//! Crosswalk's own JSON: the documents (with their clauses and provisions)
//! and the mappings of a workspace, in a stable order. The shape is
//! documented in docs/cli.md ("xwalk export").

use serde::Serialize;

use super::rows::{Export, MappingRow};
use crate::model::index::DocumentInfo;

/// The version of this JSON shape; raised on incompatible changes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct Output<'a> {
    pub xwalk: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset: Option<&'a str>,
    pub documents: Vec<Document<'a>>,
    pub mappings: Vec<Mapping<'a>>,
}

#[derive(Serialize)]
pub struct Document<'a> {
    pub id: &'a str,
    /// Declared by a built-in catalog rather than the workspace.
    pub builtin: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copyright: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub disclaimer: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub clauses: Vec<Clause<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provisions: Vec<Provision<'a>>,
}

#[derive(Serialize)]
pub struct Clause<'a> {
    pub id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Provision<'a> {
    pub id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Endpoint<'a> {
    pub document: &'a str,
    /// Absent when the source is a whole document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Mapping<'a> {
    pub source: Endpoint<'a>,
    pub target: Endpoint<'a>,
    pub relation: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub added: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rationale: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strength: Option<u32>,
    /// The file the `map` is written in, relative to the workspace root.
    pub file: String,
    /// A derived mapping's chain (`DOC:ID` each, source first); absent
    /// for a curated one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived: Option<Vec<String>>,
}

fn document<'a>(export: &Export<'a>, d: &'a DocumentInfo) -> Document<'a> {
    let text = |f: &str| export.document_text(&d.id, f);
    Document {
        id: &d.id,
        builtin: export.ws.file(d.decl.file).is_builtin(),
        title: d.title.as_deref(),
        publisher: d.publisher.as_deref(),
        version: d.version.as_deref(),
        published: text("published"),
        url: text("url"),
        supersedes: text("supersedes"),
        cites: export
            .document_fields(&d.id)
            .unwrap_or(&[])
            .iter()
            .filter(|f| f.name.text == "cites")
            .flat_map(|f| &f.values)
            .filter_map(|v| match v {
                crate::syntax::Value::Word(w) => Some(w.text.as_str()),
                _ => None,
            })
            .collect(),
        note: text("note"),
        copyright: text("copyright"),
        disclaimer: export.document_texts(&d.id, "disclaimer"),
        clauses: d
            .clauses
            .iter()
            .map(|c| Clause {
                id: &c.id,
                title: c.title.as_deref(),
            })
            .collect(),
        provisions: d
            .provisions
            .iter()
            .map(|p| Provision {
                id: &p.id,
                clause: p.clause.as_deref(),
                title: p.title.as_deref(),
                status: p.status.as_deref(),
                text: p.text.as_deref(),
            })
            .collect(),
    }
}

fn mapping<'a>(export: &Export<'a>, row: &MappingRow<'a>) -> Mapping<'a> {
    let endpoint = |k: &'a crate::model::index::EndpointKey| Endpoint {
        document: &k.document,
        id: k.id.as_deref(),
    };
    Mapping {
        source: endpoint(row.source()),
        target: endpoint(row.target()),
        relation: row.relation(),
        excerpt: row.excerpt,
        note: row.note,
        added: row.added,
        url: row.url,
        rationale: row.rationale,
        strength: row.strength.and_then(|s| s.parse().ok()),
        file: export.file_label(row.file),
        derived: row.chain(),
    }
}

/// The export as a value ready to serialise.
pub fn build<'a>(export: &Export<'a>) -> Output<'a> {
    let rows = export.rows();
    let documents = export.documents(&rows);
    Output {
        xwalk: FORMAT_VERSION,
        workspace: export.workspace_name(),
        dataset: export.dataset().map(|d| d.id.as_str()),
        documents: documents.into_iter().map(|d| document(export, d)).collect(),
        mappings: rows.iter().map(|r| mapping(export, r)).collect(),
    }
}

/// The export as pretty-printed JSON text, with a final newline.
pub fn export(export: &Export) -> String {
    let mut s = serde_json::to_string_pretty(&build(export)).expect("strings serialise");
    s.push('\n');
    s
}
