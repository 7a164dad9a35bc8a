//! What to suggest for: the provisions of a document that have `text`,
//! and the `map` blocks from it that quote an `excerpt`.

use crate::model::index::{EndpointKey, field_text};
use crate::model::{FileId, Workspace};
use crate::syntax::Map;

/// One piece of source text.
#[derive(Clone, Debug)]
pub struct Item<'a> {
    pub source: EndpointKey,
    pub text: String,
    /// The `map` it was quoted in (none for a provision's own text).
    pub map: Option<(FileId, &'a Map)>,
}

/// The text a map gives for its source: its excerpt, else the source
/// provision's `text` in its catalog.
pub fn map_text(ws: &Workspace, map: &Map) -> Option<String> {
    if let Some(e) = field_text(&map.fields, "excerpt") {
        return Some(e.to_string());
    }
    let (doc, Some(id)) = map.source.key() else {
        return None;
    };
    provision_text(ws, doc, id)
}

/// The `text` of provision `id` of `document` in its catalog.
pub fn provision_text(ws: &Workspace, document: &str, id: &str) -> Option<String> {
    ws.index.document(document)?.provision(id)?.text.clone()
}

/// Every map of the workspace's own files with a text for its source, in
/// file order.
pub fn mapped_items(ws: &Workspace) -> Vec<Item<'_>> {
    let mut out = Vec::new();
    for (file, f) in ws.workspace_files() {
        for map in &f.parse.ast.maps {
            if let Some(text) = map_text(ws, map) {
                out.push(Item {
                    source: EndpointKey::of(&map.source),
                    text,
                    map: Some((file, map)),
                });
            }
        }
    }
    out
}

/// The provisions of `document` (or only `id`) with `text`, then the maps
/// from it with an excerpt, without repeating a source's text.
pub fn items_for<'a>(ws: &'a Workspace, document: &str, id: Option<&str>) -> Vec<Item<'a>> {
    let mut out: Vec<Item> = Vec::new();
    if let Some(doc) = ws.index.document(document) {
        for p in &doc.provisions {
            if id.is_some_and(|id| id != p.id) {
                continue;
            }
            if let Some(text) = &p.text {
                out.push(Item {
                    source: EndpointKey {
                        document: document.to_string(),
                        id: Some(p.id.clone()),
                    },
                    text: text.clone(),
                    map: None,
                });
            }
        }
    }
    for (file, f) in ws.workspace_files() {
        for map in &f.parse.ast.maps {
            let (d, i) = map.source.key();
            if d != document || id.is_some_and(|id| Some(id) != i) {
                continue;
            }
            let Some(excerpt) = field_text(&map.fields, "excerpt") else {
                continue;
            };
            let source = EndpointKey::of(&map.source);
            if out
                .iter()
                .any(|it| it.source == source && it.text == excerpt)
            {
                continue;
            }
            out.push(Item {
                source,
                text: excerpt.to_string(),
                map: Some((file, map)),
            });
        }
    }
    out
}
