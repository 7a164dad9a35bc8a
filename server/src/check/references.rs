//! References: `unknown-document`, `unknown-provision`,
//! `superseded-reference`, and targets that name no provision.

use super::suggest::{did_you_mean, documents_like, help_did_you_mean};
use super::{Code, Diagnostic};
use crate::model::index::EndpointKey;
use crate::model::{FileId, Workspace};
use crate::syntax::{Document, Endpoint, Field, Map, Name, Reference, Value};

/// The documents a document names (`supersedes`, `cites`) and the
/// provisions its provisions replace.
pub fn document(ws: &Workspace, file: FileId, doc: &Document, out: &mut Vec<Diagnostic>) {
    let mut cx = Cx { ws, file, out };
    for field in &doc.fields {
        if matches!(field.name.text.as_str(), "supersedes" | "cites") {
            for value in &field.values {
                if let Value::Word(w) = value {
                    cx.document(w);
                }
            }
        }
    }
    let mut provisions = Vec::new();
    crate::syntax::walk_provisions(&doc.clauses, &doc.provisions, &mut |p| provisions.push(p));
    for p in provisions {
        for value in replaces_values(&p.fields) {
            cx.reference(value);
        }
    }
}

/// The source and targets of a `map` block.
pub fn map(ws: &Workspace, file: FileId, map: &Map, out: &mut Vec<Diagnostic>) {
    let mut cx = Cx { ws, file, out };
    cx.endpoint(&map.source);
    for target in &map.targets {
        match target {
            Endpoint::Document(name) => {
                if cx.document(name) {
                    cx.out.push(
                        Diagnostic::new(
                            Code::InvalidValue,
                            file,
                            name.range(),
                            format!(
                                "a map target must name a provision or clause: `{}:ID`",
                                name.text
                            ),
                        )
                        .help("write the target as DOC:ID, e.g. uk-cop-2018:1"),
                    );
                }
            }
            Endpoint::Reference(r) => {
                if cx.reference(r) {
                    cx.superseded(r);
                }
            }
        }
    }
    derived_chain(&mut cx, map);
}

/// The chain of a derived map (`derived DOC:ID, ...`): every reference
/// resolves (an older edition on the way is no `superseded-reference`),
/// it starts at the map's source and ends at its one target, or at what
/// the target replaces (the target moved to a newer edition by the
/// `superseded-reference` fix).
fn derived_chain(cx: &mut Cx, map: &Map) {
    let Some(field) = map.fields.iter().find(|f| f.name.text == "derived") else {
        return;
    };
    let chain: Vec<&Reference> = field
        .values
        .iter()
        .filter_map(|v| match v {
            Value::Reference(r) => Some(&**r),
            _ => None,
        })
        .collect();
    for r in &chain {
        cx.reference(r);
    }
    let (Some(first), Some(last)) = (chain.first(), chain.last()) else {
        return;
    };
    let key = |r: &Reference| (r.document.text.to_string(), r.id.text.to_string());
    let problem = if map.targets.len() != 1 {
        Some("a derived map has one target, the end of its chain".to_string())
    } else if map.source.key() != (first.document.text.as_str(), Some(first.id.text.as_str())) {
        Some(format!(
            "the chain starts at `{}`, not at the map's source `{}`",
            EndpointKey::of(&Endpoint::Reference((*first).clone())),
            EndpointKey::of(&map.source)
        ))
    } else {
        let target = EndpointKey::of(&map.targets[0]);
        let end = key(last);
        let lands = target.id.as_ref() == Some(&end.1) && target.document == end.0
            || target.id.as_ref().is_some_and(|id| {
                let t = (target.document.clone(), id.clone());
                cx.ws
                    .index
                    .replaced_by
                    .get(&end)
                    .is_some_and(|n| n.contains(&t))
                    || clause_replacements(cx.ws, &end.0, &end.1).is_some_and(|n| n.contains(&t))
            });
        (!lands).then(|| {
            format!(
                "the chain ends at `{}`, not at the map's target `{target}`",
                EndpointKey::of(&Endpoint::Reference((*last).clone()))
            )
        })
    };
    if let Some(message) = problem {
        cx.out.push(
            Diagnostic::new(Code::InvalidValue, cx.file, field.values_range(), message).help(
                "derive it again with `xwalk derive`, or delete the `derived` field to make it a curated mapping",
            ),
        );
    }
}

fn replaces_values(fields: &[Field]) -> impl Iterator<Item = &Reference> {
    fields
        .iter()
        .filter(|f| f.name.text == "replaces")
        .flat_map(|f| &f.values)
        .filter_map(|v| match v {
            Value::Reference(r) => Some(&**r),
            _ => None,
        })
}

struct Cx<'a> {
    ws: &'a Workspace,
    file: FileId,
    out: &'a mut Vec<Diagnostic>,
}

impl Cx<'_> {
    /// Checks that a document id is declared; true when it is.
    fn document(&mut self, name: &Name) -> bool {
        if self.ws.index.document(&name.text).is_some() {
            return true;
        }
        let ids = self.ws.index.documents.keys().map(String::as_str);
        let suggestions = did_you_mean(&name.text, ids.clone());
        let help = help_did_you_mean(&suggestions)
            .or_else(|| help_did_you_mean(&documents_like(&name.text, ids)))
            .unwrap_or_else(|| format!("declare it: document {} {{ title \"...\" }}", name.text));
        let mut d = Diagnostic::new(
            Code::UnknownDocument,
            self.file,
            name.range(),
            format!("unknown document `{}`", name.text),
        )
        .help(help);
        if let Some(best) = suggestions.first() {
            d = d.guess(best.clone());
        }
        self.out.push(d);
        false
    }

    fn endpoint(&mut self, endpoint: &Endpoint) -> bool {
        match endpoint {
            Endpoint::Document(name) => self.document(name),
            Endpoint::Reference(r) => self.reference(r),
        }
    }

    /// Checks that a reference resolves; true when it does.
    fn reference(&mut self, r: &Reference) -> bool {
        // Looked up once (this runs for every endpoint); an unknown
        // document is reported by `document`.
        let Some(doc) = self.ws.index.document(&r.document.text) else {
            self.document(&r.document);
            return false;
        };
        if !doc.is_catalogued() || doc.resolves(&r.id.text) {
            return true;
        }
        let candidates = doc
            .provisions
            .iter()
            .map(|p| p.id.as_str())
            .chain(doc.clauses.iter().map(|c| c.id.as_str()));
        let suggestions = did_you_mean(&r.id.text, candidates);
        let help = help_did_you_mean(&suggestions).unwrap_or_else(|| {
            format!(
                "`{}` is catalogued: references into it must name one of its {} provisions or its clauses",
                doc.id,
                doc.provisions.len()
            )
        });
        let mut d = Diagnostic::new(
            Code::UnknownProvision,
            self.file,
            r.id.range(),
            format!("`{}` has no provision or clause `{}`", doc.id, r.id.text),
        )
        .help(help);
        if let Some(best) = suggestions.first() {
            d = d.guess(endpoint_id(best));
        }
        self.out.push(d);
        false
    }

    /// A target replaced by a newer edition gets a warning naming it: a
    /// provision that newer provisions `replaces`, or a clause some of
    /// whose provisions they replace (named by the clauses holding the
    /// newer provisions). One replacement is a quick fix.
    fn superseded(&mut self, r: &Reference) {
        // Most documents have no provision a newer edition replaces: then
        // there is nothing to look up (this runs for every target).
        if !self.ws.index.has_replaced(&r.document.text) {
            return;
        }
        // Often turned off (a workspace mapping an older edition on
        // purpose, or some of its files): then look nothing up.
        if super::severity(self.ws, self.file, Code::SupersededReference) == super::Severity::Off {
            return;
        }
        let key = (r.document.text.to_string(), r.id.text.to_string());
        let (newer, clause) = match self.ws.index.replaced_by.get(&key) {
            Some(newer) => (newer.clone(), false),
            None => match clause_replacements(self.ws, &key.0, &key.1) {
                Some(newer) => (newer, true),
                None => return,
            },
        };
        let names: Vec<String> = newer
            .iter()
            .map(|(d, id)| {
                EndpointKey {
                    document: d.clone(),
                    id: Some(id.clone()),
                }
                .to_string()
            })
            .collect();
        let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        let old = EndpointKey {
            document: key.0.clone(),
            id: Some(key.1.clone()),
        };
        let message = if clause {
            format!(
                "clause `{old}` is replaced by {} in a newer edition (the clause{} holding the provisions that replace its own)",
                listed.join(" and "),
                if names.len() == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "`{old}` is replaced by {} in a newer edition",
                listed.join(" and ")
            )
        };
        let mut d = Diagnostic::new(Code::SupersededReference, self.file, r.range(), message)
            .help(if clause {
                "map to the newer clause, or silence `superseded-reference` in xwalk.toml to keep mapping the older edition"
            } else {
                "map to the newer provision, or silence `superseded-reference` in xwalk.toml to keep mapping the older edition"
            });
        if names.len() == 1 {
            d = d.fix(names[0].clone());
        }
        self.out.push(d);
    }
}

/// The clauses of newer editions that replace clause `clause` of
/// `document`: those holding the provisions that replace the clause's
/// provisions (its own and its sub-clauses'), sorted. `None` when `clause`
/// is not a clause of `document` or none of its provisions is replaced.
pub fn clause_replacements(
    ws: &Workspace,
    document: &str,
    clause: &str,
) -> Option<Vec<(String, String)>> {
    let doc = ws.index.document(document)?;
    doc.clause(clause)?;
    let mut out: Vec<(String, String)> = Vec::new();
    for p in &doc.provisions {
        let Some(inner) = &p.clause else { continue };
        if !doc.clause_holds(clause, inner) {
            continue;
        }
        let Some(newer) = ws
            .index
            .replaced_by
            .get(&(document.to_string(), p.id.clone()))
        else {
            continue;
        };
        for (d, id) in newer {
            let Some(held_by) = ws
                .index
                .document(d)
                .and_then(|n| n.provision(id))
                .and_then(|n| n.clause.clone())
            else {
                continue;
            };
            out.push((d.clone(), held_by));
        }
    }
    out.sort();
    out.dedup();
    (!out.is_empty()).then_some(out)
}

/// An id as written after `DOC:` (quoted when it must be).
fn endpoint_id(id: &str) -> String {
    if crate::model::index::is_bare(id) {
        id.to_string()
    } else {
        crate::syntax::strings::encode_quoted(id)
    }
}

#[cfg(test)]
mod tests {
    use super::super::annotations::{assert_annotated, edited, workspace};
    use crate::check::{self, Code};
    use crate::fixture::check_fixture;

    #[test]
    fn unknown_documents_and_provisions() {
        check_fixture(
            r#"
            document guide {
              title "Guide"
              cites uk-cop-2018, nowhere
            #                    ^^^^^^^ unknown-document
              provision 1 {}
            }
            map guide:1 -> uk-cop-2018:99, nowhere:1, guide:1 {}
            #                          ^^ unknown-provision
            #                              ^^^^^^^ unknown-document
            "#,
        );
    }

    #[test]
    fn across_files_and_into_uncatalogued_documents() {
        check_fixture(
            r#"
            //- a.xwalk
            document guide {
              title "Guide"
              provision 1 {}
            }
            document notes { title "Notes" }
            //- b.xwalk
            map notes:any-section -> guide:1 {}
            map notes:x -> guide:2 {}
            #                    ^ unknown-provision
            "#,
        );
    }

    #[test]
    fn a_target_must_name_a_provision() {
        check_fixture(
            r#"
            document notes { title "Notes" }
            map notes:x -> uk-cop-2018 {}
            #              ^^^^^^^^^^^ invalid-value
            "#,
        );
    }

    #[test]
    fn replaced_provision_of_an_older_edition() {
        check_fixture(
            r#"
            document notes { title "Notes" }
            map notes:x -> etsi-en-303-645:5.1-1 {}
            #              ^^^^^^^^^^^^^^^^^^^^^ superseded-reference
            "#,
        );
    }

    #[test]
    fn a_workspace_document_replaces_the_built_in_one() {
        check_fixture(
            r#"
            document uk-cop-2018 {
              title "My copy"
              provision 1 {}
            }
            map uk-cop-2018:1 -> uk-cop-2018:2 {}
            #                                ^ unknown-provision
            "#,
        );
    }

    const EDITIONS: &str = r#"document old {
  title "Old"
  clause 1 "One" {
    provision 1-1 { text "a" }
    provision 1-2 { text "b" }
  }
  clause 2 "Two" {
    provision 2-1 { text "c" }
  }
}
document new {
  title "New"
  supersedes old
  clause 1 "One" {
    provision 1-1 {
      text "a"
      replaces old:1-1
    }
  }
  clause 3 "Three" {
    provision 3-1 {
      text "b"
      replaces old:1-2
    }
  }
}
document a { title "A" }
"#;

    #[test]
    fn clauses_of_a_superseded_edition() {
        let maps = r#"map a:1 -> etsi-ts-103-645:4.1, etsi-en-303-645:5.1, etsi-en-303-645-v3:5.1
#          ^^^^^^^^^^^^^^^^^^^ superseded-reference
#                               ^^^^^^^^^^^^^^^^^^^ superseded-reference
map a:2 -> old:1, old:2, new:1
#          ^^^^^ superseded-reference
"#;
        assert_annotated(
            &[("e.xwalk", EDITIONS), ("m.xwalk", maps)],
            "",
            &[Code::SupersededReference],
        );
    }

    /// `cra:1`: no close spelling, but an id with `cra` as a word: named
    /// in the help, never a fix. A close spelling is both (a guess: offered,
    /// never applied in bulk).
    #[test]
    fn an_unknown_document_names_the_ids_it_is_a_word_of() {
        let ws = workspace(
            &[(
                "m.xwalk",
                "map cra:1 -> uk-cop-2018:1
map uk-cop-2081:1 -> uk-cop-2018:1
",
            )],
            "",
        );
        let found = check::check(&ws);
        let got: Vec<_> = found
            .iter()
            .map(|d| {
                let fix = d.fix.as_ref().map(|f| (f.replacement.as_str(), f.kind));
                (d.help.as_deref().unwrap_or(""), fix)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("did you mean `eu-cra-2024`?", None),
                (
                    "did you mean `uk-cop-2018`?",
                    Some(("uk-cop-2018", check::FixKind::Guess))
                ),
            ]
        );
    }

    #[test]
    fn one_newer_clause_is_a_fix_several_are_listed() {
        let ws = workspace(
            &[
                ("e.xwalk", EDITIONS),
                ("m.xwalk", "map a:1 -> etsi-ts-103-645:4.1, old:1\n"),
            ],
            "",
        );
        let found = check::check(&ws);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(
            found[0].message,
            "clause `etsi-ts-103-645:4.1` is replaced by `etsi-en-303-645:5.1` in a newer edition (the clause holding the provisions that replace its own)"
        );
        assert_eq!(
            found[0].fix,
            Some(check::Fix {
                replacement: "etsi-en-303-645:5.1".into(),
                kind: check::FixKind::Sure
            })
        );
        assert_eq!(
            found[1].message,
            "clause `old:1` is replaced by `new:1` and `new:3` in a newer edition (the clauses holding the provisions that replace its own)"
        );
        assert_eq!(found[1].fix, None);
    }

    #[test]
    fn per_file_tables_silence_some_files_only() {
        let config = "[lint.per-file.\"isvs/**\"]\nsuperseded-reference = \"off\"\n";
        let map = "map a:1 -> old:2-1, etsi-en-303-645:5.1-1\n";
        let map_clause = "map a:1 -> etsi-ts-103-645:4.1\n";
        let ws = workspace(
            &[
                ("e.xwalk", EDITIONS),
                ("isvs/old.xwalk", map),
                ("isvs/sub/clause.xwalk", map_clause),
                ("main.xwalk", "map a:9 -> etsi-ts-103-645:4.1\n"),
            ],
            config,
        );
        let found = check::check(&ws);
        let names: Vec<&str> = found
            .iter()
            .map(|d| ws.file(d.file).name.as_str())
            .collect();
        assert_eq!(names, vec!["main.xwalk"], "{found:#?}");
        // The incremental analysis (the language server's) applies them
        // alike, and after an edit.
        let mut analysis = check::Analysis::new(&ws);
        assert_eq!(analysis.diagnostics(&ws), found);
        let edited_text = "map a:2 -> etsi-ts-103-645:4.1, etsi-en-303-645:5.1-1\n";
        let after = edited(&ws, 1, edited_text);
        analysis.update(&after);
        assert_eq!(analysis.diagnostics(&after), check::check(&after));
        assert_eq!(analysis.diagnostics(&after).len(), 1);
    }
}
