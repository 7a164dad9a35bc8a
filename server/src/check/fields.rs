//! Fields: `unknown-field`, `missing-field`, `duplicate-field`,
//! `invalid-value` and `unknown-relation`.

use std::borrow::Cow;

use super::suggest::{did_you_mean, help_did_you_mean};
use super::{Code, Diagnostic};
use crate::model::FileId;
use crate::model::schema::{self, BlockKind, FieldSpec, ValueKind};
use crate::syntax::{Clause, Document, Field, Map, TextRange, Value};

/// A block of fields with what it belongs to.
pub struct Block<'a> {
    pub kind: BlockKind,
    pub fields: &'a [Field],
    /// Where to point at the block as a whole (its id or head).
    pub anchor: TextRange,
    /// How to name the block in messages.
    pub label: Cow<'static, str>,
    /// The block holds a syntax error.
    pub has_error: bool,
}

/// The blocks of a document: its own, then its provisions and clauses.
fn document_blocks(doc: &Document) -> Vec<Block<'_>> {
    let mut out = vec![Block {
        kind: BlockKind::Document,
        fields: &doc.fields,
        anchor: doc.id.range(),
        label: Cow::Owned(format!("document `{}`", doc.id.text)),
        has_error: doc.has_error,
    }];
    for p in &doc.provisions {
        out.push(provision_block(p));
    }
    clause_blocks(&doc.clauses, &mut out);
    out
}

fn provision_block(p: &crate::syntax::Provision) -> Block<'_> {
    Block {
        kind: BlockKind::Provision,
        fields: &p.fields,
        anchor: p.id.range(),
        label: Cow::Owned(format!("provision `{}`", p.id.text)),
        has_error: p.has_error,
    }
}

fn clause_blocks<'a>(clauses: &'a [Clause], out: &mut Vec<Block<'a>>) {
    for c in clauses {
        out.push(Block {
            kind: BlockKind::Clause,
            fields: &c.fields,
            anchor: c.id.range(),
            label: Cow::Owned(format!("clause `{}`", c.id.text)),
            has_error: c.has_error,
        });
        for p in &c.provisions {
            out.push(provision_block(p));
        }
        clause_blocks(&c.clauses, out);
    }
}

/// The fields of a document and of its clauses and provisions.
pub fn document(file: FileId, doc: &Document, out: &mut Vec<Diagnostic>) {
    let mut empty_ids = Vec::new();
    crate::syntax::walk_provisions(&doc.clauses, &doc.provisions, &mut |p| {
        if p.id.text.trim().is_empty() {
            empty_ids.push(p.id.range());
        }
    });
    crate::syntax::walk_clauses(&doc.clauses, &mut |c| {
        if c.id.text.trim().is_empty() {
            empty_ids.push(c.id.range());
        }
    });
    for range in empty_ids {
        out.push(
            Diagnostic::new(Code::InvalidValue, file, range, "an id cannot be empty")
                .help("give the provision or clause an id, e.g. `provision 5.1-1`"),
        );
    }
    if let Some(own) = doc
        .fields
        .iter()
        .filter(|f| f.name.text == "supersedes")
        .flat_map(|f| &f.values)
        .find(|v| matches!(v, Value::Word(w) if w.text == doc.id.text))
    {
        out.push(
            Diagnostic::new(
                Code::InvalidValue,
                file,
                own.range(),
                format!("document `{}` cannot supersede itself", doc.id.text),
            )
            .help("name the earlier edition's document id"),
        );
    }
    if !schema::is_document_id(&doc.id.text) {
        let suggestion = doc.id.text.to_lowercase();
        let mut d = Diagnostic::new(
            Code::InvalidValue,
            file,
            doc.id.range(),
            format!("`{}` is not a valid document id", doc.id.text),
        )
        .help("document ids are lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit");
        // A guess: references spelling the id as declared would then
        // name no document.
        if schema::is_document_id(&suggestion) {
            d = d.guess(suggestion);
        }
        out.push(d);
    }
    for block in document_blocks(doc) {
        check_block(file, &block, out);
    }
}

/// The fields of a `map` block.
pub fn map(file: FileId, map: &Map, out: &mut Vec<Diagnostic>) {
    let block = Block {
        kind: BlockKind::Map,
        fields: &map.fields,
        anchor: map.head_range(),
        label: Cow::Borrowed("map"),
        has_error: map.has_error,
    };
    check_block(file, &block, out);
}

/// A clause's or provision's title is written in its head, after the id,
/// not as a field: the help for a `title` field in one says so.
fn head_title(kind: BlockKind, name: &str) -> Option<String> {
    let example = match kind {
        BlockKind::Clause => "5.1 \"No universal default passwords\"",
        BlockKind::Provision => "5.1-1 \"Unique passwords\"",
        BlockKind::Document | BlockKind::Map => return None,
    };
    let keyword = kind.as_str();
    (name == "title").then(|| {
        format!(
            "a {keyword}'s title follows its id: `{keyword} ID \"Title\" {{ ... }}`, e.g. `{keyword} {example}`"
        )
    })
}

fn check_block(file: FileId, block: &Block, out: &mut Vec<Diagnostic>) {
    let specs = schema::fields(block.kind);
    // A block has a handful of fields: a list beats a hash map (this runs
    // for each of a workspace's hundreds of thousands of blocks).
    let mut seen: smallvec::SmallVec<[(&str, &Field); 8]> = smallvec::SmallVec::new();
    for field in block.fields {
        let name = field.name.text.as_str();
        let Some(spec) = schema::lookup(block.kind, name) else {
            let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
            let help = head_title(block.kind, name)
                .or_else(|| help_did_you_mean(&did_you_mean(name, names.iter().copied())))
                .unwrap_or_else(|| {
                    format!(
                        "a {} block takes: {}",
                        block.kind.as_str(),
                        names.join(", ")
                    )
                });
            out.push(
                Diagnostic::new(
                    Code::UnknownField,
                    file,
                    field.name.range(),
                    format!("unknown field `{name}` in a {} block", block.kind.as_str()),
                )
                .help(help),
            );
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            if !spec.repeatable {
                out.push(
                    Diagnostic::new(
                        Code::DuplicateField,
                        file,
                        field.name.range(),
                        format!("`{name}` is given twice in {}", block.label),
                    )
                    .help("keep one; a field that takes several values lists them with commas")
                    .related(file, first.name.range(), "first given here"),
                );
                continue;
            }
        } else {
            seen.push((name, field));
        }
        if !spec.list && field.values.len() > 1 {
            out.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    file,
                    field.values_range(),
                    format!("`{name}` takes one value, not {}", field.values.len()),
                )
                .help("remove the extra values"),
            );
        }
        for value in &field.values {
            check_value(file, spec, value, out);
        }
    }
    for spec in specs.iter().filter(|s| s.required && !block.has_error) {
        if !seen.iter().any(|(n, _)| *n == spec.name) {
            out.push(
                Diagnostic::new(
                    Code::MissingField,
                    file,
                    block.anchor.clone(),
                    format!("{} has no `{}`", block.label, spec.name),
                )
                .help(format!(
                    "add `{} ...`: {}",
                    spec.name,
                    lowercase_first(spec.doc)
                )),
            );
        }
    }
}

fn invalid(file: FileId, value: &Value, message: String, help: &str) -> Diagnostic {
    Diagnostic::new(Code::InvalidValue, file, value.range(), message).help(help)
}

fn check_value(file: FileId, spec: &FieldSpec, value: &Value, out: &mut Vec<Diagnostic>) {
    let name = spec.name;
    match spec.kind {
        ValueKind::Text => {
            if let Value::String(text) = value
                && spec.required
                && text.value.trim().is_empty()
            {
                out.push(invalid(
                    file,
                    value,
                    format!("`{name}` is empty"),
                    "write the value, or remove the field",
                ));
            }
            if !matches!(value, Value::String(_)) {
                out.push(invalid(
                    file,
                    value,
                    format!("`{name}` takes a string, not {}", value.kind()),
                    "write the value in double quotes",
                ));
            }
        }
        ValueKind::Url => match value {
            Value::String(s) => {
                if let Err(why) = check_url(&s.value) {
                    out.push(invalid(
                        file,
                        value,
                        format!("`{}` is not a valid URL: {why}", s.value),
                        "write a full http:// or https:// address",
                    ));
                }
            }
            _ => out.push(invalid(
                file,
                value,
                format!("`{name}` takes a quoted URL"),
                "write the URL in double quotes",
            )),
        },
        ValueKind::Date => {
            let text = match value {
                Value::String(s) => Some(s.value.as_str()),
                Value::Word(w) => Some(w.text.as_str()),
                Value::Reference(_) => None,
            };
            if !text.is_some_and(is_date) {
                out.push(invalid(
                    file,
                    value,
                    format!("`{name}` must be a date: YYYY, YYYY-MM or YYYY-MM-DD"),
                    "e.g. published \"2020-06\"",
                ));
            }
        }
        ValueKind::DocumentId => match value {
            Value::Word(w) if schema::is_document_id(&w.text) => {}
            _ => out.push(invalid(
                file,
                value,
                format!("`{name}` takes document ids, e.g. `{name} etsi-ts-103-645`"),
                "document ids are written bare: lowercase letters, digits, `.`, `_` and `-`",
            )),
        },
        ValueKind::Reference => {
            if !matches!(value, Value::Reference(_)) {
                out.push(invalid(
                    file,
                    value,
                    format!("`{name}` takes references written DOC:ID"),
                    "e.g. replaces etsi-ts-103-645:4.1-1",
                ));
            }
        }
        ValueKind::Enum(allowed) => {
            let text = match value {
                Value::Word(w) => w.text.as_str(),
                Value::String(s) => s.value.as_str(),
                Value::Reference(_) => {
                    out.push(invalid(
                        file,
                        value,
                        format!("`{name}` takes one of: {}", allowed.join(", ")),
                        "write the value as a bare word",
                    ));
                    return;
                }
            };
            if allowed.contains(&text) {
                return;
            }
            let shown = text;
            let list = allowed.join(", ");
            let suggestions = did_you_mean(shown, allowed.iter().copied());
            let help = match help_did_you_mean(&suggestions) {
                Some(h) => format!("{h} The values are: {list}"),
                None => format!("the values are: {list}"),
            };
            let code = if name == "relation" {
                Code::UnknownRelation
            } else {
                Code::InvalidValue
            };
            let what = if code == Code::UnknownRelation {
                "relation"
            } else {
                name
            };
            let mut d = Diagnostic::new(
                code,
                file,
                value.range(),
                format!("unknown {what} `{shown}`"),
            )
            .help(help);
            if let Some(best) = suggestions.first() {
                d = d.guess(best.clone());
            }
            out.push(d);
        }
        ValueKind::Integer(lo, hi) => {
            let ok = match value {
                Value::Word(w) => w.text.parse::<u32>().is_ok_and(|n| (lo..=hi).contains(&n)),
                _ => false,
            };
            if !ok {
                let shown = match value {
                    Value::Word(w) => format!("`{}`", w.text),
                    other => other.kind().to_string(),
                };
                out.push(invalid(
                    file,
                    value,
                    format!("`{name}` must be a whole number from {lo} to {hi}, not {shown}"),
                    "NIST IR 8477: 10 equal, 7-9 mostly similar, 4-6 about half, 1-3 mostly dissimilar, 0 not related",
                ));
            }
        }
        ValueKind::Label => {
            if matches!(value, Value::Reference(_)) {
                out.push(invalid(
                    file,
                    value,
                    format!("`{name}` takes a string or a bare word"),
                    "write the value in double quotes",
                ));
            }
        }
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A light URL check: scheme, a host, no whitespace.
fn check_url(url: &str) -> Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("it must start with http:// or https://")?;
    if url.chars().any(char::is_whitespace) {
        return Err("it contains whitespace");
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with('.') || host.starts_with(':') {
        return Err("it has no host");
    }
    Ok(())
}

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| p.len() == len && p.chars().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [y] => num(y, 4),
        [y, m] => num(y, 4) && num(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => {
            num(y, 4)
                && num(m, 2)
                && num(d, 2)
                && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
                && (1..=31).contains(&d.parse::<u32>().unwrap_or(0))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for ok in ["2020", "2020-06", "2018-10-14"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in ["20", "2020-13", "2020-6", "2020-06-32", "June 2020", ""] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn urls() {
        assert!(check_url("https://www.etsi.org/x.pdf").is_ok());
        assert!(check_url("http://a.b").is_ok());
        assert!(check_url("www.etsi.org").is_err());
        assert!(check_url("https://").is_err());
        assert!(check_url("https://a b").is_err());
    }
}

#[cfg(test)]
mod annotated {
    use crate::fixture::check_fixture;

    #[test]
    fn unknown_missing_and_repeated_fields() {
        check_fixture(
            r#"
            document guide {
            #        ^^^^^ missing-field
              publisher "Acme"
              colour "blue"
            # ^^^^^^ unknown-field
              provision 1 {
                text "One."
                text "Two."
            #   ^^^^ duplicate-field
              }
            }
            "#,
        );
    }

    /// `title` inside a provision or clause block: the help gives the
    /// syntax of the head's title; elsewhere the usual list of fields.
    #[test]
    fn a_title_field_in_a_provision_points_at_the_head() {
        let fx = crate::fixture::Fixture::parse(
            "document guide {\n  title \"Guide\"\n  clause 5 { title \"Five\" }\n  provision 5.1 { title \"One\" text \"x\" }\n}\nmap guide:5.1 -> uk-cop-2018:1 { title \"t\" }\n",
        );
        let found: Vec<_> = crate::check::check(&fx.ws)
            .iter()
            .map(|d| {
                (
                    fx.show(d.file, &d.range),
                    d.help.clone().unwrap_or_default(),
                )
            })
            .collect();
        expect_test::expect![[r#"
            [
                (
                    "main.xwalk:3:14 `title`",
                    "a clause's title follows its id: `clause ID \"Title\" { ... }`, e.g. `clause 5.1 \"No universal default passwords\"`",
                ),
                (
                    "main.xwalk:4:19 `title`",
                    "a provision's title follows its id: `provision ID \"Title\" { ... }`, e.g. `provision 5.1-1 \"Unique passwords\"`",
                ),
                (
                    "main.xwalk:6:34 `title`",
                    "a map block takes: relation, excerpt, note, added, rationale, strength, url, derived",
                ),
            ]
        "#]]
        .assert_debug_eq(&found);
    }

    #[test]
    fn values_of_the_wrong_form() {
        check_fixture(
            r#"
            document notes { title "Notes" }
            map notes:x -> uk-cop-2018:1 {
              relation similar-to
            #          ^^^^^^^^^^ unknown-relation
              strength 11
            #          ^^ invalid-value
              excerpt "a", "b"
            #         ^^^^^^^^ invalid-value
            }
            "#,
        );
    }

    #[test]
    fn document_ids() {
        check_fixture(
            r#"
            document Guide_1 { title "Guide" }
            #        ^^^^^^^ invalid-value
            document guide-2 {
              title "Guide 2"
              supersedes guide-2
            #            ^^^^^^^ invalid-value
            }
            "#,
        );
    }
}
