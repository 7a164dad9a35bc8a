//! References: `unknown-document`, `unknown-provision`,
//! `superseded-reference`, and targets that name no provision.

use super::suggest::{did_you_mean, help_did_you_mean};
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
                            name.range.clone(),
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
}

fn replaces_values(fields: &[Field]) -> impl Iterator<Item = &Reference> {
    fields
        .iter()
        .filter(|f| f.name.text == "replaces")
        .flat_map(|f| &f.values)
        .filter_map(|v| match v {
            Value::Reference(r) => Some(r),
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
        let suggestions = did_you_mean(&name.text, ids);
        let help = help_did_you_mean(&suggestions)
            .unwrap_or_else(|| format!("declare it: document {} {{ title \"...\" }}", name.text));
        let mut d = Diagnostic::new(
            Code::UnknownDocument,
            self.file,
            name.range.clone(),
            format!("unknown document `{}`", name.text),
        )
        .help(help);
        if let Some(best) = suggestions.first() {
            d = d.fix(best.clone());
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
        if !self.document(&r.document) {
            return false;
        }
        let Some(doc) = self.ws.index.document(&r.document.text) else {
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
            r.id.range.clone(),
            format!("`{}` has no provision or clause `{}`", doc.id, r.id.text),
        )
        .help(help);
        if let Some(best) = suggestions.first() {
            d = d.fix(endpoint_id(best));
        }
        self.out.push(d);
        false
    }

    /// A target replaced by a newer edition gets a warning naming it.
    fn superseded(&mut self, r: &Reference) {
        // Often turned off (a workspace mapping an older edition on
        // purpose): then skip the lookup and the message.
        if self.ws.config.severity(Code::SupersededReference) == super::Severity::Off {
            return;
        }
        let key = (r.document.text.to_string(), r.id.text.to_string());
        let Some(newer) = self.ws.index.replaced_by.get(&key) else {
            return;
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
        let mut d = Diagnostic::new(
            Code::SupersededReference,
            self.file,
            r.range.clone(),
            format!(
                "`{}` is replaced by {} in a newer edition",
                EndpointKey {
                    document: key.0.clone(),
                    id: Some(key.1.clone()),
                },
                listed.join(" and ")
            ),
        )
        .help("map to the newer provision, or silence `superseded-reference` in xwalk.toml to keep mapping the older edition");
        if names.len() == 1 {
            d = d.fix(names[0].clone());
        }
        self.out.push(d);
    }
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
}
