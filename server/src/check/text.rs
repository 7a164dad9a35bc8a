//! Text quality: `untidy-text` and `similar-document`.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{Code, Diagnostic};
use crate::model::{FileId, Workspace};
use crate::syntax::{
    Document, Endpoint, Map, Name, StringValue, Value, walk_clauses, walk_provisions,
};

/// The value with runs of whitespace made one space and the ends trimmed.
pub fn tidy(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What is untidy about `s`, if anything.
fn untidiness(s: &str) -> Option<&'static str> {
    if s.starts_with(char::is_whitespace) {
        Some("leading whitespace")
    } else if s.ends_with(char::is_whitespace) {
        Some("trailing whitespace")
    } else if s.contains(['\n', '\r']) {
        Some("a line break")
    } else if s.contains(char::is_whitespace) && tidy(s) != s {
        Some("doubled or unusual whitespace")
    } else {
        None
    }
}

struct Untidy<'a> {
    file: FileId,
    out: &'a mut Vec<Diagnostic>,
}

impl Untidy<'_> {
    fn check(&mut self, what: &str, value: &str, range: crate::syntax::TextRange, quoted: bool) {
        let Some(problem) = untidiness(value) else {
            return;
        };
        let tidy = tidy(value);
        let mut d = Diagnostic::new(
            Code::UntidyText,
            self.file,
            range,
            format!("{what} has {problem}"),
        )
        .help(format!(
            "write {}",
            crate::syntax::strings::encode_quoted(&tidy)
        ));
        if quoted {
            d = d.fix(crate::syntax::strings::encode_quoted(&tidy));
        }
        self.out.push(d);
    }

    fn string(&mut self, what: &str, s: &StringValue) {
        if !s.block() {
            self.check(what, &s.value, s.range(), true);
        }
    }

    fn name(&mut self, what: &str, n: &Name) {
        if n.quoted() {
            self.check(what, &n.text, n.range(), true);
        }
    }
}

/// Titles, names and quoted ids with leading, trailing or doubled whitespace.
pub fn untidy_document(file: FileId, doc: &Document, out: &mut Vec<Diagnostic>) {
    let mut u = Untidy { file, out };
    for f in &doc.fields {
        if matches!(f.name.text.as_str(), "title" | "publisher") {
            for v in &f.values {
                if let Value::String(s) = v {
                    u.string(&format!("the {}", f.name.text), s);
                }
            }
        }
    }
    walk_clauses(&doc.clauses, &mut |c| {
        u.name("the clause id", &c.id);
        if let Some(t) = &c.title {
            u.string("the clause title", t);
        }
    });
    walk_provisions(&doc.clauses, &doc.provisions, &mut |p| {
        u.name("the provision id", &p.id);
        if let Some(t) = &p.title {
            u.string("the provision title", t);
        }
    });
}

/// Quoted ids with leading, trailing or doubled whitespace in a map's
/// source and targets.
pub fn untidy_map(file: FileId, map: &Map, out: &mut Vec<Diagnostic>) {
    let mut u = Untidy { file, out };
    for e in std::iter::once(&map.source).chain(&map.targets) {
        if let Endpoint::Reference(r) = e {
            u.name("the referenced id", &r.id);
        }
    }
}

/// A title folded for comparison: lowercase letters and digits only.
pub fn fold_title(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The shortest folded title that may be found inside another one.
const MIN_CONTAINED: usize = 16;

/// Documents whose titles are equal after folding case, whitespace and
/// punctuation, or, for two documents with the same publisher (folded the
/// same way), where one folded title contains the other (of at least
/// [`MIN_CONTAINED`] characters). Editions are exempt: documents linked by
/// `supersedes`, or that both give a `version` and the versions differ.
pub fn similar_documents(ws: &Workspace) -> Vec<Diagnostic> {
    let mut docs: Vec<_> = ws.index.documents.values().collect();
    // Built-in catalogs first: the warning lands on the later document, and
    // it must land on the workspace's, the one a curator can change.
    // Each key once: a file by id is a search of a persistent vector.
    docs.sort_by_cached_key(|d| {
        (
            !ws.file(d.decl.file).is_builtin(),
            d.decl.file,
            d.id_range.start,
        )
    });
    let mut by_title: HashMap<String, Vec<&crate::model::index::DocumentInfo>> = HashMap::new();
    // Each document's folded title and publisher, in parallel (a large
    // workspace declares 10,000s of documents).
    let folded: Vec<Option<(String, String)>> = docs
        .par_iter()
        .map(|doc| {
            let folded = fold_title(doc.title.as_deref()?);
            let publisher = doc.publisher.as_deref().map(fold_title);
            (!folded.is_empty()).then(|| (folded, publisher.unwrap_or_default()))
        })
        .collect();
    // A searcher of each title long enough to be found in another: built
    // once, not once per pair (a publisher's every pair is compared).
    let finders: Vec<Option<memchr::memmem::Finder<'static>>> = folded
        .par_iter()
        .map(|f| {
            let (title, _) = f.as_ref()?;
            (title.len() >= MIN_CONTAINED).then(|| memchr::memmem::Finder::new(title).into_owned())
        })
        .collect();
    // Per folded publisher, its documents in order; for each document,
    // how many of them come before it.
    let mut by_publisher: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut before = vec![0; docs.len()];
    for (i, f) in folded.iter().enumerate() {
        if let Some((_, publisher)) = f {
            let list = by_publisher.entry(publisher.as_str()).or_default();
            before[i] = list.len();
            list.push(i);
        }
    }
    // The first earlier document of the same publisher whose title holds
    // this one's or is held by it, in parallel (every pair of a publisher's
    // documents is compared).
    let contained: Vec<Option<&crate::model::index::DocumentInfo>> = (0..docs.len())
        .into_par_iter()
        .map(|i| {
            let (folded_i, publisher) = folded[i].as_ref()?;
            if publisher.is_empty() {
                return None;
            }
            let earlier = &by_publisher[publisher.as_str()][..before[i]];
            earlier.iter().find_map(|&j| {
                let (t, e) = (&folded[j].as_ref()?.0, docs[j]);
                // The shorter title's searcher, over the longer title.
                let (short, long) = if t.len() <= folded_i.len() {
                    (&finders[j], folded_i)
                } else {
                    (&finders[i], t)
                };
                let short = short.as_ref()?;
                (short.needle().len() < long.len()
                    && short.find(long.as_bytes()).is_some()
                    && !are_editions(ws, e, docs[i]))
                .then_some(e)
            })
        })
        .collect();
    let mut out = Vec::new();
    for ((doc, folded), contained) in docs.iter().copied().zip(folded).zip(contained) {
        let Some((folded, _)) = folded else {
            continue;
        };
        let earlier = by_title.entry(folded).or_default();
        if let Some(first) = earlier.iter().find(|e| !are_editions(ws, e, doc)) {
            let first_range = title_range(ws, first).unwrap_or(first.id_range.clone());
            let range = title_range(ws, doc).unwrap_or(doc.id_range.clone());
            out.push(
                Diagnostic::new(
                    Code::SimilarDocument,
                    doc.decl.file,
                    range,
                    format!("document `{}` has the same title as `{}`", doc.id, first.id),
                )
                .help(format!(
                    "if they are one publication, keep one document and point every reference at `{}`; if they are editions, give each a `version`",
                    first.id
                ))
                .related(first.decl.file, first_range, format!("`{}` declared here", first.id)),
            );
        } else if let Some(first) = contained {
            let first_range = title_range(ws, first).unwrap_or(first.id_range.clone());
            let range = title_range(ws, doc).unwrap_or(doc.id_range.clone());
            out.push(
                Diagnostic::new(
                    Code::SimilarDocument,
                    doc.decl.file,
                    range,
                    format!(
                        "document `{}` has a title like `{}`'s: one contains the other, and the publisher is the same",
                        doc.id, first.id
                    ),
                )
                .help(format!(
                    "if they are one publication, keep one document and point every reference at `{}`; if they are editions, give each a `version`",
                    first.id
                ))
                .related(first.decl.file, first_range, format!("`{}` declared here", first.id)),
            );
        }
        earlier.push(doc);
    }
    out
}

fn are_editions(
    ws: &Workspace,
    a: &crate::model::index::DocumentInfo,
    b: &crate::model::index::DocumentInfo,
) -> bool {
    if let (Some(va), Some(vb)) = (&a.version, &b.version)
        && fold_title(va) != fold_title(vb)
    {
        return true;
    }
    supersedes_chain(ws, &a.id, &b.id) || supersedes_chain(ws, &b.id, &a.id)
}

/// Does `newer` supersede `older`, directly or through other editions?
fn supersedes_chain(ws: &Workspace, newer: &str, older: &str) -> bool {
    let mut current = newer.to_string();
    for _ in 0..64 {
        let Some(doc) = ws.index.document(&current) else {
            return false;
        };
        let ast = &ws.file(doc.decl.file).parse.ast.documents[doc.decl.index];
        let Some(next) = crate::model::index::field_text(&ast.fields, "supersedes") else {
            return false;
        };
        if next == older {
            return true;
        }
        current = next.to_string();
    }
    false
}

fn title_range(
    ws: &Workspace,
    doc: &crate::model::index::DocumentInfo,
) -> Option<crate::syntax::TextRange> {
    let ast = &ws.file(doc.decl.file).parse.ast.documents[doc.decl.index];
    ast.fields
        .iter()
        .find(|f| f.name.text == "title")
        .map(|f| f.values_range())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untidiness_kinds() {
        assert_eq!(untidiness("ok text"), None);
        assert_eq!(untidiness(" x"), Some("leading whitespace"));
        assert_eq!(untidiness("x "), Some("trailing whitespace"));
        assert_eq!(untidiness("a\nb"), Some("a line break"));
        assert_eq!(untidiness("a  b"), Some("doubled or unusual whitespace"));
        assert_eq!(untidiness("a\tb"), Some("doubled or unusual whitespace"));
    }

    #[test]
    fn folding() {
        assert_eq!(
            fold_title("NISTIR 8259A  IoT Device—Cybersecurity"),
            fold_title("nistir 8259a iot device cybersecurity")
        );
    }
}

#[cfg(test)]
mod annotated {
    use crate::fixture::check_fixture;

    #[test]
    fn untidy_titles() {
        check_fixture(
            r#"
            document guide {
              title " Guide  one"
            #       ^^^^^^^^^^^^^ untidy-text
            }
            "#,
        );
    }

    #[test]
    fn similar_documents() {
        check_fixture(
            r#"
            //- a.xwalk
            document guide-a { title "The Guide" }
            //- b.xwalk
            document guide-b { title "the guide." }
            #                        ^^^^^^^^^^^^ similar-document
            "#,
        );
    }
}
