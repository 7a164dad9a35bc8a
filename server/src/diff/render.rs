//! The diff as text for a terminal and as Markdown for a pull-request
//! comment (the JSON is the serialised [`Diff`]).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Counts, Diff, FieldChange, Provisions, document_of};
use crate::syntax::strings::encode_quoted;

/// Items listed per section of the Markdown before "and N more".
pub const MARKDOWN_ITEMS: usize = 20;
/// Source documents given a section of their own in the Markdown.
pub const MARKDOWN_SECTIONS: usize = 30;
/// Characters of a value shown in the Markdown.
const MARKDOWN_VALUE: usize = 160;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn counts(c: &Counts) -> String {
    format!(
        "{} added, {} removed, {} changed",
        c.added, c.removed, c.changed
    )
}

fn diagnostics_line(diff: &Diff) -> String {
    let s = &diff.summary;
    format!(
        "{} introduced ({}), {} fixed",
        s.diagnostics_introduced,
        plural(s.errors_introduced, "error", "errors"),
        s.diagnostics_fixed
    )
}

fn quoted(value: &Option<String>) -> String {
    value.as_deref().map_or("(none)".into(), encode_quoted)
}

fn text_fields(out: &mut String, indent: &str, fields: &BTreeMap<String, FieldChange>) {
    for (name, c) in fields {
        let _ = writeln!(
            out,
            "{indent}{name}: {} -> {}",
            quoted(&c.before),
            quoted(&c.after)
        );
    }
}

/// The documents' counts, with the renamed ones when there are some.
fn document_counts(diff: &Diff) -> String {
    let s = &diff.summary;
    match s.documents_renamed {
        0 => counts(&s.documents),
        n => format!("{}, {n} renamed", counts(&s.documents)),
    }
}

/// Text for a terminal: the counts, then every difference.
pub fn text(diff: &Diff) -> String {
    let mut out = String::new();
    let s = &diff.summary;
    let _ = writeln!(out, "Mappings: {}", counts(&s.mappings));
    let _ = writeln!(
        out,
        "Documents: {} (provisions: {})",
        document_counts(diff),
        counts(&s.provisions)
    );
    let _ = writeln!(out, "Diagnostics: {}", diagnostics_line(diff));
    if diff.is_empty() {
        return out;
    }
    for m in &diff.added {
        let _ = writeln!(
            out,
            "\n+ {} -> {}  ({}:{})",
            m.source, m.target, m.location.file, m.location.line
        );
    }
    for m in &diff.removed {
        let _ = writeln!(
            out,
            "\n- {} -> {}  ({}:{})",
            m.source, m.target, m.location.file, m.location.line
        );
    }
    for m in &diff.changed {
        let _ = writeln!(
            out,
            "\n~ {} -> {}  ({}:{})",
            m.source, m.target, m.head.file, m.head.line
        );
        text_fields(&mut out, "    ", &m.fields);
    }
    let d = &diff.documents;
    for doc in &d.added {
        let _ = writeln!(
            out,
            "\n+ document {}  ({}:{})",
            doc.id, doc.location.file, doc.location.line
        );
    }
    for doc in &d.removed {
        let _ = writeln!(
            out,
            "\n- document {}  ({}:{})",
            doc.id, doc.location.file, doc.location.line
        );
    }
    for doc in &d.renamed {
        let _ = writeln!(
            out,
            "\n~ document {} renamed to {}  ({}:{})",
            doc.from, doc.to, doc.head.file, doc.head.line
        );
        text_document(&mut out, &doc.fields, &doc.provisions);
    }
    for doc in &d.changed {
        let _ = writeln!(
            out,
            "\n~ document {}  ({}:{})",
            doc.id, doc.head.file, doc.head.line
        );
        text_document(&mut out, &doc.fields, &doc.provisions);
    }
    for (title, list) in [
        ("introduced", &diff.diagnostics.introduced),
        ("fixed", &diff.diagnostics.fixed),
    ] {
        if !list.is_empty() {
            let _ = writeln!(out, "\nDiagnostics {title}:");
        }
        for d in list {
            let _ = writeln!(
                out,
                "  {}[{}] {}:{}:{}: {}",
                d.severity, d.code, d.file, d.line, d.column, d.message
            );
        }
    }
    out
}

fn text_document(out: &mut String, fields: &BTreeMap<String, FieldChange>, p: &Provisions) {
    text_fields(out, "    ", fields);
    for p in &p.added {
        let _ = writeln!(out, "    + provision {}", p.id);
    }
    for p in &p.removed {
        let _ = writeln!(out, "    - provision {}", p.id);
    }
    for p in &p.changed {
        let _ = writeln!(out, "    ~ provision {}", p.id);
        text_fields(out, "        ", &p.fields);
    }
}

/// Escapes text for HTML (and so for Markdown inside an HTML element).
pub fn html(s: &str) -> String {
    crate::syntax::strings::escape_html(s)
}

/// A Markdown code span of `s` on one line, cut to a readable length:
/// nothing in it is Markdown, HTML or a mention.
pub fn code(s: &str) -> String {
    let mut one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MARKDOWN_VALUE + 1)
        .collect();
    if one_line.chars().count() > MARKDOWN_VALUE {
        one_line = one_line.chars().take(MARKDOWN_VALUE - 1).collect();
        one_line.push('…');
    }
    let longest = one_line
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if one_line.starts_with(['`', ' ']) || one_line.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{one_line}{pad}{fence}")
}

fn md_value(value: &Option<String>) -> String {
    value.as_deref().map_or("*none*".into(), code)
}

fn md_fields(fields: &BTreeMap<String, FieldChange>) -> String {
    fields
        .iter()
        .map(|(name, c)| {
            format!(
                "{} {} → {}",
                html(name),
                md_value(&c.before),
                md_value(&c.after)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn at(file: &str, line: usize) -> String {
    code(&format!("{file}:{line}"))
}

/// A changed or renamed document's fields and provisions, as parts of one
/// Markdown item.
fn md_document(fields: &BTreeMap<String, FieldChange>, p: &Provisions) -> Vec<String> {
    let mut parts = Vec::new();
    if !fields.is_empty() {
        parts.push(md_fields(fields));
    }
    for (verb, list) in [("added", &p.added), ("removed", &p.removed)] {
        if !list.is_empty() {
            let ids: Vec<String> = list.iter().take(10).map(|p| code(&p.id)).collect();
            let more = list.len().saturating_sub(10);
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            parts.push(format!("provisions {verb}: {}{tail}", ids.join(", ")));
        }
    }
    for pc in p.changed.iter().take(10) {
        parts.push(format!(
            "provision {}: {}",
            code(&pc.id),
            md_fields(&pc.fields)
        ));
    }
    if p.changed.len() > 10 {
        parts.push(format!(
            "and {} more provisions changed",
            p.changed.len() - 10
        ));
    }
    parts
}

/// Writes the items, at most [`MARKDOWN_ITEMS`] of them, then "and N more".
fn capped(out: &mut String, items: Vec<String>) {
    let more = items.len().saturating_sub(MARKDOWN_ITEMS);
    for item in items.into_iter().take(MARKDOWN_ITEMS) {
        let _ = writeln!(out, "- {item}");
    }
    if more > 0 {
        let _ = writeln!(out, "- … and {more} more");
    }
}

/// Markdown for a pull-request comment: a table of counts, one collapsed
/// section per source document with its mappings changed, removed and
/// added (in that order), then the documents and the diagnostics. Long lists are cut
/// ("and N more"); the JSON has everything.
pub fn markdown(diff: &Diff) -> String {
    let s = &diff.summary;
    let mut out = String::from("### Crosswalk diff\n\n");
    if diff.is_empty() {
        out.push_str("No differences in the mappings, documents or diagnostics.\n");
        return out;
    }
    out.push_str("| | Added | Removed | Changed |\n|---|--:|--:|--:|\n");
    for (name, c) in [
        ("Mappings", &s.mappings),
        ("Documents", &s.documents),
        ("Provisions", &s.provisions),
    ] {
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} |",
            c.added, c.removed, c.changed
        );
    }
    let _ = writeln!(out, "\n**Diagnostics:** {}.", diagnostics_line(diff));

    // One section per source document.
    let mut by_source: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for m in &diff.changed {
        by_source
            .entry(document_of(&m.source))
            .or_default()
            .push(format!(
                "changed {} → {} at {}: {}",
                code(&m.source),
                code(&m.target),
                at(&m.head.file, m.head.line),
                md_fields(&m.fields)
            ));
    }
    for m in &diff.removed {
        by_source
            .entry(document_of(&m.source))
            .or_default()
            .push(format!(
                "removed {} → {} (was at {})",
                code(&m.source),
                code(&m.target),
                at(&m.location.file, m.location.line)
            ));
    }
    for m in &diff.added {
        by_source
            .entry(document_of(&m.source))
            .or_default()
            .push(format!(
                "added {} → {} ({}) at {}",
                code(&m.source),
                code(&m.target),
                code(m.fields.get("relation").map_or("", String::as_str)),
                at(&m.location.file, m.location.line)
            ));
    }
    let sections = by_source.len();
    for (source, items) in by_source.into_iter().take(MARKDOWN_SECTIONS) {
        let c = s.by_source.get(source).copied().unwrap_or_default();
        let _ = writeln!(
            out,
            "\n<details><summary><code>{}</code>: {}</summary>\n",
            html(source),
            counts(&c)
        );
        capped(&mut out, items);
        out.push_str("\n</details>\n");
    }
    if sections > MARKDOWN_SECTIONS {
        let _ = writeln!(
            out,
            "\n… and {} more source documents (`xwalk diff --format json` lists every one).",
            sections - MARKDOWN_SECTIONS
        );
    }

    let d = &diff.documents;
    if s.documents.total() > 0 || s.documents_renamed > 0 {
        let mut items = Vec::new();
        for doc in &d.renamed {
            let parts = md_document(&doc.fields, &doc.provisions);
            items.push(format!(
                "renamed {} to {} at {}{}",
                code(&doc.from),
                code(&doc.to),
                at(&doc.head.file, doc.head.line),
                if parts.is_empty() {
                    String::new()
                } else {
                    format!(": {}", parts.join("; "))
                }
            ));
        }
        for doc in &d.added {
            items.push(format!(
                "added {} {} at {}",
                code(&doc.id),
                doc.title.as_deref().map_or(String::new(), code),
                at(&doc.location.file, doc.location.line)
            ));
        }
        for doc in &d.removed {
            items.push(format!(
                "removed {} (was at {})",
                code(&doc.id),
                at(&doc.location.file, doc.location.line)
            ));
        }
        for doc in &d.changed {
            let parts = md_document(&doc.fields, &doc.provisions);
            items.push(format!(
                "changed {} at {}: {}",
                code(&doc.id),
                at(&doc.head.file, doc.head.line),
                parts.join("; ")
            ));
        }
        let _ = writeln!(
            out,
            "\n<details><summary>Documents: {}</summary>\n",
            document_counts(diff)
        );
        capped(&mut out, items);
        out.push_str("\n</details>\n");
    }

    for (title, list) in [
        ("introduced", &diff.diagnostics.introduced),
        ("fixed", &diff.diagnostics.fixed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n<details><summary>Diagnostics {title}: {}</summary>\n",
            list.len()
        );
        let items = list
            .iter()
            .map(|d| {
                format!(
                    "{} {} at {}: {}",
                    html(&d.severity),
                    code(&d.code),
                    at(&d.file, d.line),
                    code(&d.message)
                )
            })
            .collect();
        capped(&mut out, items);
        out.push_str("\n</details>\n");
    }
    out
}
