//! Document symbols (documents › clauses › provisions; mappings) and
//! workspace symbols (fuzzy over every document and provision).

use super::fuzzy::Fuzzy;
use crate::model::index::EndpointKey;
use crate::model::{FileId, Workspace};
use crate::syntax::{Clause, Provision, TextRange};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Document,
    Clause,
    Provision,
    Mapping,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole construct.
    pub range: TextRange,
    /// The id.
    pub selection: TextRange,
    pub children: Vec<DocumentSymbol>,
}

fn provision_symbol(p: &Provision) -> DocumentSymbol {
    DocumentSymbol {
        name: p.id.text.to_string(),
        detail: p.title.as_ref().map(|t| t.value.to_string()),
        kind: SymbolKind::Provision,
        range: p.range.clone(),
        selection: p.id.range.clone(),
        children: Vec::new(),
    }
}

fn clause_symbol(c: &Clause) -> DocumentSymbol {
    let mut children: Vec<DocumentSymbol> = c.provisions.iter().map(provision_symbol).collect();
    children.extend(c.clauses.iter().map(clause_symbol));
    children.sort_by_key(|s| s.range.start);
    DocumentSymbol {
        name: c.id.text.to_string(),
        detail: c.title.as_ref().map(|t| t.value.to_string()),
        kind: SymbolKind::Clause,
        range: c.range.clone(),
        selection: c.id.range.clone(),
        children,
    }
}

pub fn document_symbols(ws: &Workspace, file: FileId) -> Vec<DocumentSymbol> {
    let ast = &ws.file(file).parse.ast;
    let mut out: Vec<DocumentSymbol> = ast
        .documents
        .iter()
        .map(|d| {
            let mut children: Vec<DocumentSymbol> =
                d.provisions.iter().map(provision_symbol).collect();
            children.extend(d.clauses.iter().map(clause_symbol));
            children.sort_by_key(|s| s.range.start);
            DocumentSymbol {
                name: d.id.text.to_string(),
                detail: crate::model::index::field_text(&d.fields, "title").map(str::to_string),
                kind: SymbolKind::Document,
                range: d.range.clone(),
                selection: d.id.range.clone(),
                children,
            }
        })
        .collect();
    out.extend(ast.maps.iter().map(|m| {
        let targets: Vec<String> = m
            .targets
            .iter()
            .map(|t| EndpointKey::of(t).to_string())
            .collect();
        DocumentSymbol {
            name: EndpointKey::of(&m.source).to_string(),
            detail: Some(format!("-> {}", targets.join(", "))),
            kind: SymbolKind::Mapping,
            range: m.range.clone(),
            selection: m.source.range(),
            children: Vec::new(),
        }
    }));
    out.sort_by_key(|s| s.range.start);
    out
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    /// The document a provision belongs to.
    pub container: Option<String>,
    pub file: FileId,
    pub range: TextRange,
}

/// Documents and provisions matching `query` (fuzzy on the id, by word on
/// the title), best first, at most `limit`.
pub fn workspace_symbols(ws: &Workspace, query: &str, limit: usize) -> Vec<WorkspaceSymbol> {
    let mut fuzzy = Fuzzy::new(query);
    let mut scored: Vec<(u32, WorkspaceSymbol)> = Vec::new();
    let mut docs: Vec<_> = ws.index.documents.values().collect();
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    for doc in docs {
        let mut consider = |name: &str,
                            title: Option<&str>,
                            kind,
                            container: Option<String>,
                            file,
                            range: TextRange| {
            let score = if fuzzy.is_empty() {
                Some(0)
            } else {
                fuzzy
                    .score(name)
                    .map(|s| s + 1000)
                    .or_else(|| title.filter(|t| fuzzy.words_match(t)).map(|_| 500))
            };
            if let Some(score) = score {
                let name = match title {
                    Some(t) => format!("{name} {t}"),
                    None => name.to_string(),
                };
                scored.push((
                    score,
                    WorkspaceSymbol {
                        name,
                        kind,
                        container,
                        file,
                        range,
                    },
                ));
            }
        };
        consider(
            &doc.id,
            doc.title.as_deref(),
            SymbolKind::Document,
            None,
            doc.decl.file,
            doc.id_range.clone(),
        );
        for p in &doc.provisions {
            consider(
                &p.id,
                p.title.as_deref(),
                SymbolKind::Provision,
                Some(doc.id.clone()),
                p.file,
                p.id_range.clone(),
            );
        }
        for c in &doc.clauses {
            consider(
                &c.id,
                c.title.as_deref(),
                SymbolKind::Clause,
                Some(doc.id.clone()),
                c.file,
                c.id_range.clone(),
            );
        }
    }
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    scored.into_iter().take(limit).map(|(_, s)| s).collect()
}
