//! Hover: what a document or provision is, its text and status, how much
//! of the workspace maps to it; on a map source, the excerpt beside each
//! target's text.

use super::{Symbol, symbol_at};
use crate::model::index::{DocumentInfo, EndpointKey, ProvisionInfo};
use crate::model::{FileId, Workspace};
use crate::syntax::{Endpoint, TextRange};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub range: TextRange,
    /// Markdown.
    pub markdown: String,
}

pub fn hover(ws: &Workspace, file: FileId, offset: usize) -> Option<Hover> {
    let occurrence = symbol_at(ws, file, offset)?;
    let mut markdown = match &occurrence.symbol {
        Symbol::Document(id) => document_markdown(ws, ws.index.document(id)?),
        Symbol::Provision { document, id } => provision_markdown(ws, document, id)?,
    };
    // On a map source: the excerpt beside each target's text.
    if let Some(side) = source_side_by_side(ws, file, &occurrence.range) {
        markdown.push_str("\n\n---\n\n");
        markdown.push_str(&side);
    }
    Some(Hover {
        range: occurrence.range,
        markdown,
    })
}

fn document_markdown(ws: &Workspace, doc: &DocumentInfo) -> String {
    let mut md = format!("**{}**", doc.title.as_deref().unwrap_or(&doc.id));
    md.push_str(&format!("\n\n`{}`", doc.id));
    if let Some(v) = &doc.version {
        md.push_str(&format!(" · {v}"));
    }
    if let Some(p) = &doc.publisher {
        md.push_str(&format!(" · {p}"));
    }
    if ws.file(doc.decl.file).is_builtin() {
        md.push_str(" · built-in catalog");
    }
    if doc.is_catalogued() {
        md.push_str(&format!(
            "\n\n{} provisions in {} clauses.",
            doc.provisions.len(),
            doc.clauses.len()
        ));
    } else {
        md.push_str("\n\nNot catalogued: any section id is accepted as a source.");
    }
    let (count, orgs) = ws.mapped_to(&EndpointKey {
        document: doc.id.clone(),
        id: None,
    });
    let as_target: usize = doc
        .provisions
        .iter()
        .map(|p| p.id.as_str())
        .chain(doc.clauses.iter().map(|c| c.id.as_str()))
        .map(|id| {
            ws.maps_to(&EndpointKey {
                document: doc.id.clone(),
                id: Some(id.to_string()),
            })
            .count()
        })
        .sum::<usize>()
        + count;
    let as_source: usize = ws
        .workspace_files()
        .flat_map(|(_, f)| &f.parse.ast.maps)
        .filter(|m| m.source.document().text == doc.id)
        .map(|m| m.targets.len())
        .sum();
    md.push_str(&format!(
        "\n\nIn this workspace: {as_source} mappings from it, {as_target} onto it{}.",
        if orgs > 0 {
            format!(" ({orgs} organisations map to the document itself)")
        } else {
            String::new()
        }
    ));
    md
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn provision_markdown(ws: &Workspace, document: &str, id: &str) -> Option<String> {
    let doc = ws.index.document(document)?;
    let key = EndpointKey {
        document: document.to_string(),
        id: Some(id.to_string()),
    };
    let mut md = String::new();
    let edition = match (&doc.title, &doc.version) {
        (Some(t), Some(v)) => format!("*{t}*, {v}"),
        (Some(t), None) => format!("*{t}*"),
        _ => format!("`{}`", doc.id),
    };
    if let Some(p) = doc.provision(id) {
        md.push_str(&format!("**{key}**"));
        if let Some(t) = &p.title {
            md.push_str(&format!(" — {t}"));
        }
        md.push_str(&format!("\n\n{edition}"));
        if let Some(clause) = p.clause.as_deref().and_then(|c| doc.clause(c)) {
            md.push_str(&format!(", clause {}", clause.id));
            if let Some(t) = &clause.title {
                md.push_str(&format!(" {t}"));
            }
        }
        status(&mut md, p);
        match &p.text {
            Some(text) => {
                md.push_str("\n\n");
                md.push_str(&quote(text));
            }
            None => md.push_str(
                "\n\n*Text not included in the catalog: no open transcription of this edition's provision text is available.*",
            ),
        }
        if let Some(newer) = ws
            .index
            .replaced_by
            .get(&(document.to_string(), id.to_string()))
        {
            let names: Vec<String> = newer
                .iter()
                .map(|(d, i)| {
                    format!(
                        "`{}`",
                        EndpointKey {
                            document: d.clone(),
                            id: Some(i.clone())
                        }
                    )
                })
                .collect();
            md.push_str(&format!(
                "\n\nReplaced by {} in a newer edition.",
                names.join(", ")
            ));
        }
    } else if let Some(c) = doc.clause(id) {
        md.push_str(&format!("**{key}** — clause"));
        if let Some(t) = &c.title {
            md.push_str(&format!(" {t}"));
        }
        md.push_str(&format!("\n\n{edition}"));
        let inside = doc
            .provisions
            .iter()
            .filter(|p| p.clause.as_deref() == Some(id))
            .count();
        md.push_str(&format!(
            "\n\n{}.",
            plural(inside, "provision", "provisions")
        ));
    } else if doc.is_catalogued() {
        return None;
    } else {
        md.push_str(&format!(
            "**{key}**\n\nA section of {edition} (not catalogued)."
        ));
    }
    let (count, orgs) = ws.mapped_to(&key);
    md.push_str(&format!(
        "\n\nMapped by {} from {} in this workspace.",
        plural(count, "source", "sources"),
        plural(orgs, "organisation", "organisations")
    ));
    Some(md)
}

fn status(md: &mut String, p: &ProvisionInfo) {
    if let Some(s) = &p.status {
        md.push_str(&format!("\n\nStatus: `{s}` ({})", describe_status(s)));
    }
    for c in &p.conditions {
        md.push_str(&format!("\n- {c}"));
    }
}

/// Reads EN 303 645 status notation: M mandatory, R recommended, C
/// conditional, F feature-dependent.
pub fn describe_status(status: &str) -> String {
    let mut parts = Vec::new();
    for word in status.split_whitespace() {
        match word {
            "M" => parts.push("mandatory"),
            "R" => parts.push("recommended"),
            "C" => parts.push("conditional"),
            "F" => parts.push("depends on a feature"),
            _ => {}
        }
    }
    if parts.is_empty() {
        "as printed".to_string()
    } else {
        parts.join(", ")
    }
}

fn quote(text: &str) -> String {
    text.lines()
        .map(|l| format!("> {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// When `range` is the id of a map's source: its excerpt beside the text
/// of each target, as a table.
fn source_side_by_side(ws: &Workspace, file: FileId, range: &TextRange) -> Option<String> {
    let ast = &ws.file(file).parse.ast;
    let map = ast.maps.iter().find(|m| {
        let source = &m.source;
        let id_range = match source {
            Endpoint::Document(n) => n.range.clone(),
            Endpoint::Reference(r) => r.id.range.clone(),
        };
        &id_range == range
    })?;
    let excerpt = crate::model::index::field_text(&map.fields, "excerpt").unwrap_or("(no excerpt)");
    let relation = crate::model::index::field_text(&map.fields, "relation").unwrap_or("related");
    let mut md = format!("| Source excerpt | {relation} | Target |\n|---|---|---|\n");
    for target in &map.targets {
        let key = EndpointKey::of(target);
        let target_text = key
            .id
            .as_deref()
            .and_then(|id| {
                let doc = ws.index.document(&key.document)?;
                doc.provision(id)
                    .map(|p| {
                        let title = p
                            .title
                            .as_deref()
                            .map(|t| format!("{t}: "))
                            .unwrap_or_default();
                        format!(
                            "{title}{}",
                            p.text.as_deref().unwrap_or("(text not included)")
                        )
                    })
                    .or_else(|| doc.clause(id).map(|c| c.title.clone().unwrap_or_default()))
            })
            .unwrap_or_default();
        md.push_str(&format!(
            "| {} | → | **{key}** {} |\n",
            cell(excerpt),
            cell(&target_text)
        ));
    }
    Some(md)
}
