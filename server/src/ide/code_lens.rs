//! Code lens on each catalogued provision: how many sources, from how many
//! organisations, map to it; and what it maps to when it is itself a
//! source. On a *source* catalog (one that is mapped from and never to) a
//! provision says only what it maps to ("maps to 3 provisions of 2
//! documents"), and nothing when it maps to nothing yet.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::model::index::EndpointKey;
use crate::model::wording::wording;
use crate::model::{FileId, Workspace};
use crate::plural::plural;
use crate::syntax::{TextRange, walk_clauses, walk_provisions};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeLens {
    pub range: TextRange,
    pub title: String,
    /// Pairs mapped to the provision, and their organisations.
    pub mappings: usize,
    pub organisations: usize,
    /// Distinct targets the provision maps to.
    pub targets: usize,
}

/// The targets of a document's mappings, by source id (`None`: from the
/// document as a whole).
pub type Targets<'a> = HashMap<Option<&'a str>, BTreeSet<&'a EndpointKey>>;

/// The targets of the workspace's mappings from each of `documents`. One
/// pass over the mappings, however many documents.
pub fn targets_from_each<'a>(
    ws: &'a Workspace,
    documents: &[&str],
) -> HashMap<&'a str, Targets<'a>> {
    let wanted: HashSet<&str> = documents.iter().copied().collect();
    let mut out: HashMap<&str, Targets> = HashMap::new();
    // Only the files that map from one of them (a hover must not read
    // every file's mappings).
    let mut files: Vec<FileId> = wanted
        .iter()
        .flat_map(|d| ws.files_mapping_from(d))
        .copied()
        .collect();
    files.sort_unstable();
    files.dedup();
    let files = files
        .into_iter()
        .map(|id| ws.file(id))
        .filter(|f| !f.is_builtin());
    for f in files {
        for m in &f.mappings().list {
            if wanted.contains(m.source.document.as_str()) {
                out.entry(m.source.document.as_str())
                    .or_default()
                    .entry(m.source.id.as_deref())
                    .or_default()
                    .insert(&m.target_key);
            }
        }
    }
    out
}

/// The targets of the workspace's mappings from `document`.
pub fn targets_from<'a>(ws: &'a Workspace, document: &str) -> Targets<'a> {
    targets_from_each(ws, &[document])
        .into_values()
        .next()
        .unwrap_or_default()
}

/// "maps to 3 provisions of 2 documents": what a set of targets is, by
/// kind (provisions, clauses, whole documents) and document.
pub fn describe_targets(ws: &Workspace, targets: &BTreeSet<&EndpointKey>) -> String {
    let (mut provisions, mut clauses, mut wholes) = (0, 0, 0);
    let mut documents: BTreeSet<&str> = BTreeSet::new();
    for t in targets {
        match t.id.as_deref() {
            None => wholes += 1,
            Some(id) => {
                documents.insert(&t.document);
                let is_clause = ws
                    .index
                    .document(&t.document)
                    .is_some_and(|d| d.provision(id).is_none() && d.clause(id).is_some());
                if is_clause {
                    clauses += 1;
                } else {
                    provisions += 1;
                }
            }
        }
    }
    let mut parts = Vec::new();
    if provisions > 0 {
        parts.push(plural(provisions, "provision", "provisions"));
    }
    if clauses > 0 {
        parts.push(plural(clauses, "clause", "clauses"));
    }
    let mut s = String::from("maps to ");
    if !parts.is_empty() {
        s.push_str(&parts.join(" and "));
        s.push_str(" of ");
        s.push_str(&plural(documents.len(), "document", "documents"));
    }
    if wholes > 0 {
        if !parts.is_empty() {
            s.push_str(" and to ");
        }
        s.push_str(&plural(wholes, "document", "documents"));
        s.push_str(" as a whole");
    }
    s
}

/// Does anything in the workspace map to `document`, to itself, one of
/// its clauses or one of its provisions?
pub fn is_mapped_to(ws: &Workspace, document: &crate::model::index::DocumentInfo) -> bool {
    let key = |id: Option<&str>| EndpointKey {
        document: document.id.clone(),
        id: id.map(str::to_string),
    };
    std::iter::once(None)
        .chain(document.provisions.iter().map(|p| Some(p.id.as_str())))
        .chain(document.clauses.iter().map(|c| Some(c.id.as_str())))
        .any(|id| ws.mapped_to(&key(id)).0 > 0)
}

/// For a provision declared without text whose hover and completion show
/// the text of the provision it replaces: "; no text: shows the V2.1.1 text
/// of 5.1-1, which this replaces". Nothing otherwise: a catalog being
/// written would get the same words on every provision.
fn without_text(ws: &Workspace, document: &str, id: &str) -> String {
    let Some(p) = ws.index.document(document).and_then(|d| d.provision(id)) else {
        return String::new();
    };
    match wording(&ws.index, p).and_then(|w| w.label()) {
        Some(label) => format!("; no text: shows the {label}"),
        None => String::new(),
    }
}

pub fn code_lenses(ws: &Workspace, file: FileId) -> Vec<CodeLens> {
    let mut out = Vec::new();
    let documents = &ws.file(file).parse.ast.documents;
    let ids: Vec<&str> = documents.iter().map(|d| d.id.text.as_str()).collect();
    let from_each = targets_from_each(ws, &ids);
    let none = Targets::new();
    for doc in documents {
        let id = doc.id.text.as_str();
        let key = |p: Option<&str>| EndpointKey {
            document: id.to_string(),
            id: p.map(str::to_string),
        };
        let mut provisions = Vec::new();
        walk_provisions(&doc.clauses, &doc.provisions, &mut |p| provisions.push(p));
        if provisions.is_empty() {
            continue;
        }
        let from = from_each.get(id).unwrap_or(&none);
        let counts: Vec<(usize, usize)> = provisions
            .iter()
            .map(|p| ws.mapped_to(&key(Some(p.id.text.as_str()))))
            .collect();
        let mut clauses = Vec::new();
        walk_clauses(&doc.clauses, &mut |c| clauses.push(c));
        // A source catalog: mapped from, never to.
        let source_only = !from.is_empty()
            && counts.iter().all(|c| c.0 == 0)
            && ws.mapped_to(&key(None)).0 == 0
            && clauses
                .iter()
                .all(|c| ws.mapped_to(&key(Some(c.id.text.as_str()))).0 == 0);
        for (p, (mappings, organisations)) in provisions.into_iter().zip(counts) {
            let targets = from.get(&Some(p.id.text.as_str()));
            let maps = targets.map(|t| describe_targets(ws, t));
            let title = match (source_only, maps) {
                (true, None) => continue,
                (true, Some(maps)) => maps,
                (false, maps) => {
                    let mut t = format!(
                        "mapped by {} from {}",
                        plural(mappings, "source", "sources"),
                        plural(organisations, "organisation", "organisations")
                    );
                    if let Some(maps) = maps {
                        t.push_str("; ");
                        t.push_str(&maps);
                    }
                    t.push_str(&without_text(ws, id, p.id.text.as_str()));
                    t
                }
            };
            out.push(CodeLens {
                range: p.id.range(),
                title,
                mappings,
                organisations,
                targets: targets.map_or(0, BTreeSet::len),
            });
        }
    }
    out.sort_by_key(|l| l.range.start);
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture::Fixture;

    fn check(fixture: &str, expect: Expect) {
        let fx = Fixture::parse(fixture);
        let file = fx.main();
        let actual: String = code_lenses(&fx.ws, file)
            .iter()
            .map(|l| format!("{} {}\n", fx.show(file, &l.range), l.title))
            .collect();
        expect.assert_eq(&actual);
    }

    #[test]
    fn counts_sources_and_organisations_across_files() {
        check(
            r#"
            //- a.xwalk
            document guide {
              title "Guide"
              clause 1 {
                provision 1.1 {}
                provision "1.2 b" {}
              }
              provision 2 {}
            }
            //- b.xwalk
            document acme { title "A" publisher "Acme" }
            document acme-2 { title "A2" publisher "Acme" }
            document other { title "O" }
            map acme:x -> guide:1.1 {}
            map acme-2:y -> guide:1.1, guide:"1.2 b" {}
            map other:z -> guide:1.1 {}
            map other:z -> guide:1 {}
            "#,
            expect![[r#"
                a.xwalk:4:15 `1.1` mapped by 3 sources from 2 organisations
                a.xwalk:5:15 `"1.2 b"` mapped by 1 source from 1 organisation
                a.xwalk:7:13 `2` mapped by 0 sources from 0 organisations
            "#]],
        );
    }

    #[test]
    fn a_source_catalog_says_what_it_maps_to() {
        // `req` is mapped from and never to: its provisions say what they
        // map to; one that maps to nothing has no lens.
        check(
            r#"
            //- a.xwalk
            document req {
              title "Requirements"
              clause 2 {
                provision 2.1 {}
                provision 2.2 {}
              }
              provision 3 {}
            }
            //- b.xwalk
            map req:2.1 -> uk-cop-2018:1, uk-cop-2018:2, etsi-en-303-645:5.1 {}
            map req:2.1 -> etsi-en-303-645:5.1-1 { relation subset-of }
            map req:3 -> uk-cop-2018:1 {}
            map req:3 -> uk-cop-2018 {}
            "#,
            expect![[r#"
                a.xwalk:4:15 `2.1` maps to 3 provisions and 1 clause of 2 documents
                a.xwalk:7:13 `3` maps to 1 provision of 1 document and to 1 document as a whole
            "#]],
        );
    }

    #[test]
    fn a_provision_without_text_names_the_text_it_shows() {
        check(
            r#"
            //- a.xwalk
            document guide-2 {
              title "Guide"
              version "2"
              supersedes etsi-en-303-645
              provision 1 { replaces etsi-en-303-645:5.1-1 }
              provision 2 { text "Own words." replaces etsi-en-303-645:5.1-2 }
              provision 3 {}
            }
            "#,
            expect![[r#"
                a.xwalk:5:13 `1` mapped by 0 sources from 0 organisations; no text: shows the V2.1.1 text of 5.1-1, which this replaces
                a.xwalk:6:13 `2` mapped by 0 sources from 0 organisations
                a.xwalk:7:13 `3` mapped by 0 sources from 0 organisations
            "#]],
        );
    }

    #[test]
    fn a_provision_both_mapped_to_and_from() {
        // `guide` is a target, so every provision keeps its count; the one
        // that is also a source says both.
        check(
            r#"
            //- a.xwalk
            document guide {
              title "Guide"
              provision 1 {}
              provision 2 {}
            }
            //- b.xwalk
            document notes { title "N" publisher "Acme" }
            map notes:x -> guide:1 {}
            map guide:1 -> uk-cop-2018:3 {}
            "#,
            expect![[r#"
                a.xwalk:3:13 `1` mapped by 1 source from 1 organisation; maps to 1 provision of 1 document
                a.xwalk:4:13 `2` mapped by 0 sources from 0 organisations
            "#]],
        );
    }

    #[test]
    fn none_without_provisions() {
        check(
            "document guide {\n  title \"Guide\"\n  clause 1 {}\n}\nmap guide:1 -> uk-cop-2018:1 {}\n",
            expect![""],
        );
    }
}
