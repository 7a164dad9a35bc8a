//! Duplicates: `duplicate-document`, `duplicate-provision`,
//! `duplicate-mapping` and `conflicting-relation`.

// FxHash: the index and the duplicate checks hash 100,000s of short keys;
// SipHash's DoS resistance buys nothing here.
use rustc_hash::FxHashMap as HashMap;

use super::text::tidy;
use super::{Code, Diagnostic};
use crate::model::index::{EndpointKey, field_text};
use crate::model::{FileId, Workspace};
use crate::syntax::{TextRange, walk_clauses, walk_provisions};

/// The same document id declared more than once.
pub fn documents(ws: &Workspace) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (id, decls) in &ws.index.declarations {
        let Some((first, rest)) = decls.split_first() else {
            continue;
        };
        let first_range = ws.file(first.file).parse.ast.documents[first.index]
            .id
            .range
            .clone();
        for decl in rest {
            let range = ws.file(decl.file).parse.ast.documents[decl.index]
                .id
                .range
                .clone();
            out.push(
                Diagnostic::new(
                    Code::DuplicateDocument,
                    decl.file,
                    range,
                    format!("document `{id}` is declared twice"),
                )
                .help("give one of them another id, or merge them")
                .related(first.file, first_range.clone(), "first declared here"),
            );
        }
    }
    out
}

/// The same provision or clause id twice within one document.
pub fn provisions(ws: &Workspace, file: FileId) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in &ws.file(file).parse.ast.documents {
        let mut seen: HashMap<&str, (&'static str, TextRange)> = HashMap::default();
        let mut entries: Vec<(&str, &'static str, TextRange)> = Vec::new();
        walk_provisions(&doc.clauses, &doc.provisions, &mut |p| {
            entries.push((&p.id.text, "provision", p.id.range.clone()))
        });
        walk_clauses(&doc.clauses, &mut |c| {
            entries.push((&c.id.text, "clause", c.id.range.clone()))
        });
        entries.sort_by_key(|e| e.2.start);
        for (id, kind, range) in entries {
            if let Some((first_kind, first_range)) = seen.get(id) {
                out.push(
                    Diagnostic::new(
                        Code::DuplicateProvision,
                        file,
                        range,
                        format!(
                            "{kind} `{id}` is declared twice in document `{}`",
                            doc.id.text
                        ),
                    )
                    .help(format!(
                        "the first is a {first_kind}; references `{}:{id}` would be ambiguous",
                        doc.id.text
                    ))
                    .related(
                        file,
                        first_range.clone(),
                        format!("first declared here as a {first_kind}"),
                    ),
                );
            } else {
                seen.insert(id, (kind, range));
            }
        }
    }
    out
}

/// The excerpt of a map, whitespace folded: part of a mapping's identity.
fn excerpt_key(ws: &Workspace, file: FileId, map: usize) -> Option<String> {
    field_text(&ws.file(file).parse.ast.maps[map].fields, "excerpt").map(tidy)
}

/// The same mapping made again, with the same relation
/// (`duplicate-mapping`) or a different one (`conflicting-relation`). A
/// mapping is its source, its target and its excerpt (whitespace folded;
/// none when the map has none): a source that is a whole document or a
/// coarse section may be quoted for several recommendations, each mapped
/// on its own.
pub fn mappings(ws: &Workspace) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut excerpts: HashMap<(FileId, usize), Option<String>> = HashMap::default();
    for m in &ws.index.mappings {
        excerpts
            .entry((m.file, m.map))
            .or_insert_with(|| excerpt_key(ws, m.file, m.map));
    }
    let mut first: HashMap<(&EndpointKey, &EndpointKey, &Option<String>), usize> =
        HashMap::default();
    for (i, m) in ws.index.mappings.iter().enumerate() {
        let key = (&m.source, &m.target_key, &excerpts[&(m.file, m.map)]);
        let Some(&f) = first.get(&key) else {
            first.insert(key, i);
            continue;
        };
        let earlier = &ws.index.mappings[f];
        let range = target_range(ws, m.file, m.map, m.target);
        let earlier_range = target_range(ws, earlier.file, earlier.map, earlier.target);
        let pair = format!("`{}` -> `{}`", m.source, m.target_key);
        let d = if earlier.relation == m.relation {
            let same_map = earlier.file == m.file && earlier.map == m.map;
            Diagnostic::new(
                Code::DuplicateMapping,
                m.file,
                range,
                format!("{pair} is mapped twice"),
            )
            .help(if same_map {
                "the target is listed twice in this map; remove one"
            } else {
                "remove this mapping, or merge its fields into the first"
            })
            .related(earlier.file, earlier_range, "first mapped here")
        } else {
            Diagnostic::new(
                Code::ConflictingRelation,
                m.file,
                range,
                format!(
                    "{pair} is mapped as `{}` here but as `{}` before",
                    m.relation, earlier.relation
                ),
            )
            .help("a source relates to a target in one way: keep one relation")
            .related(
                earlier.file,
                earlier_range,
                format!("mapped as `{}` here", earlier.relation),
            )
        };
        out.push(d);
    }
    out
}

/// The same source (a provision, clause or section, not a whole document)
/// quoted with different excerpts: one id used for different texts, as
/// when a spreadsheet turns section `4.10` into `4.1`, or a coarse section
/// that holds several recommendations. Reported at each map that brings a
/// new excerpt, with the first map marked.
pub fn excerpts(ws: &Workspace) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Per source: the excerpts seen so far, and where the first was.
    let mut seen: HashMap<EndpointKey, (Vec<String>, FileId, TextRange)> = HashMap::default();
    for (file, f) in ws.workspace_files() {
        for map in &f.parse.ast.maps {
            if map.source.id().is_none() {
                continue;
            }
            let Some(field) = map.fields.iter().find(|f| f.name.text == "excerpt") else {
                continue;
            };
            let Some(text) = field_text(std::slice::from_ref(field), "excerpt") else {
                continue;
            };
            let folded = tidy(text);
            let range = field.values_range();
            let key = EndpointKey::of(&map.source);
            match seen.get_mut(&key) {
                None => {
                    seen.insert(key, (vec![folded], file, range));
                }
                Some((known, first_file, first_range)) => {
                    if known.contains(&folded) {
                        continue;
                    }
                    known.push(folded);
                    out.push(
                        Diagnostic::new(
                            Code::InconsistentExcerpt,
                            file,
                            range,
                            format!(
                                "`{key}` is quoted with another excerpt than before ({} different so far)",
                                known.len()
                            ),
                        )
                        .help("if these are different provisions or sections, give each its own id; if one quotation is wrong, correct it")
                        .related(*first_file, first_range.clone(), "first quoted here"),
                    );
                }
            }
        }
    }
    out
}

fn target_range(ws: &Workspace, file: FileId, map: usize, target: usize) -> TextRange {
    ws.file(file).parse.ast.maps[map].targets[target].range()
}
