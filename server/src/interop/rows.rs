//! The exported part of a workspace: its mappings as flat rows, with the
//! fields of their `map` block, and the documents they involve.

use std::collections::{BTreeMap, HashSet};

use crate::model::index::{DocumentInfo, EndpointKey, Mapping, field_text};
use crate::model::{FileId, Workspace};
use crate::syntax::{Field, Value};

/// The files of a workspace chosen for export.
pub struct Export<'a> {
    pub ws: &'a Workspace,
    files: HashSet<FileId>,
}

/// One source → target pair with the fields of its `map`.
#[derive(Clone, Copy, Debug)]
pub struct MappingRow<'a> {
    pub file: FileId,
    pub mapping: &'a Mapping,
    pub excerpt: Option<&'a str>,
    pub note: Option<&'a str>,
    pub added: Option<&'a str>,
    pub url: Option<&'a str>,
    pub rationale: Option<&'a str>,
    pub strength: Option<&'a str>,
    /// The `derived` field of a derived map (`xwalk derive`): the mapping
    /// is not curated, and this is its chain.
    pub derived: Option<&'a Field>,
}

impl<'a> MappingRow<'a> {
    pub fn source(&self) -> &'a EndpointKey {
        &self.mapping.source
    }

    pub fn target(&self) -> &'a EndpointKey {
        &self.mapping.target_key
    }

    pub fn relation(&self) -> &'a str {
        &self.mapping.relation
    }

    /// The chain of a derived mapping, `DOC:ID` each (ids quoted as in
    /// `.xwalk` when they must be), source first; `None` for a curated one.
    pub fn chain(&self) -> Option<Vec<String>> {
        let field = self.derived?;
        Some(
            field
                .values
                .iter()
                .filter_map(|v| match v {
                    Value::Reference(r) => Some(
                        EndpointKey::of(&crate::syntax::Endpoint::Reference((**r).clone()))
                            .to_string(),
                    ),
                    _ => None,
                })
                .collect(),
        )
    }
}

impl<'a> Export<'a> {
    /// Exports the given files of `ws` (normally the requested files of a
    /// load).
    pub fn new(ws: &'a Workspace, files: impl IntoIterator<Item = FileId>) -> Export<'a> {
        Export {
            ws,
            files: files.into_iter().collect(),
        }
    }

    /// Every exported mapping, in file order (files sorted by path, as the
    /// workspace holds them), then map and target order.
    pub fn rows(&self) -> Vec<MappingRow<'a>> {
        let ws = self.ws;
        ws.mappings()
            .filter(|(file, _)| self.files.contains(file))
            .map(|(file, m)| {
                let fields = &ws.file(file).parse.ast.maps[m.map].fields;
                MappingRow {
                    file,
                    mapping: m,
                    excerpt: field_text(fields, "excerpt"),
                    note: field_text(fields, "note"),
                    added: field_text(fields, "added"),
                    url: field_text(fields, "url"),
                    rationale: field_text(fields, "rationale"),
                    strength: field_text(fields, "strength"),
                    derived: fields.iter().find(|f| f.name.text == "derived"),
                }
            })
            .collect()
    }

    /// The curated rows only, and how many derived ones were left out:
    /// what a format that cannot mark a mapping derived exports, so that
    /// a derived link never passes for a curated one (docs/interop.md).
    pub fn curated_rows(&self) -> (Vec<MappingRow<'a>>, usize) {
        let (curated, derived): (Vec<_>, Vec<_>) =
            self.rows().into_iter().partition(|r| r.derived.is_none());
        (curated, derived.len())
    }

    /// The fields of the effective declaration of document `id`.
    pub fn document_fields(&self, id: &str) -> Option<&'a [Field]> {
        let doc = self.ws.index.document(id)?;
        let file = self.ws.file(doc.decl.file);
        Some(&file.parse.ast.documents[doc.decl.index].fields)
    }

    /// The first value of a document's field, as text.
    pub fn document_text(&self, id: &str, field: &str) -> Option<&'a str> {
        field_text(self.document_fields(id)?, field)
    }

    /// Every value of a repeatable text field of a document, in order.
    pub fn document_texts(&self, id: &str, field: &str) -> Vec<&'a str> {
        self.document_fields(id)
            .unwrap_or(&[])
            .iter()
            .filter(|f| f.name.text == field)
            .flat_map(|f| &f.values)
            .filter_map(|v| match v {
                Value::String(s) => Some(s.value.as_str()),
                Value::Word(w) => Some(w.text.as_str()),
                Value::Reference(_) => None,
            })
            .collect()
    }

    /// The document describing the mapping data: `dataset` in
    /// `xwalk.toml`, when that document is declared.
    pub fn dataset(&self) -> Option<&'a DocumentInfo> {
        let id = self.ws.config.dataset.as_deref()?;
        self.ws.index.document(id)
    }

    /// The documents declared in the exported files and those their
    /// mappings refer to, sorted by id.
    pub fn documents(&self, rows: &[MappingRow<'a>]) -> Vec<&'a DocumentInfo> {
        let mut out: BTreeMap<&str, &'a DocumentInfo> = BTreeMap::new();
        for (id, doc) in &self.ws.index.documents {
            if self.files.contains(&doc.decl.file) {
                out.insert(id, doc);
            }
        }
        for row in rows {
            for key in [row.source(), row.target()] {
                if let Some(doc) = self.ws.index.document(&key.document) {
                    out.insert(&doc.id, doc);
                }
            }
        }
        out.into_values().collect()
    }

    /// A file's path relative to the workspace root (with `/`), or its
    /// name as loaded when it is outside a workspace.
    pub fn file_label(&self, file: FileId) -> String {
        let f = self.ws.file(file);
        self.ws
            .root
            .as_ref()
            .and_then(|r| f.path.strip_prefix(r).ok())
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|| f.name.clone())
    }

    /// The workspace's name: `name` in `xwalk.toml`, else the root
    /// folder's name.
    pub fn workspace_name(&self) -> Option<String> {
        self.ws.config.name.clone().or_else(|| {
            self.ws
                .root
                .as_ref()
                .and_then(|r| r.file_name())
                .map(|n| n.to_string_lossy().into_owned())
        })
    }
}
