//! CSV export: one row per source → target pair (RFC 4180: CRLF line
//! ends, fields with a comma, quote or line break in double quotes, quotes
//! doubled; UTF-8 without a byte-order mark).
//!
//! The columns are the DCMS spreadsheet's, named after what they hold,
//! then the ids and the relation. See docs/cli.md.

use std::collections::HashMap;

use super::rows::Export;

/// The header row.
pub const COLUMNS: [&str; 16] = [
    "Source Document",
    "Organisation",
    "Standard / Recommendation Name",
    "Recommendation Number / Section",
    "Recommendation Extracted from Linked Source",
    "Web Link",
    "Notes",
    "Added at Version",
    "Relation",
    "Target Document",
    "Target Provision",
    "Target Title",
    "Rationale",
    "Strength",
    "File",
    "Derived Chain",
];

fn push_field(out: &mut String, value: &str) {
    if value.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

fn push_row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, f);
    }
    out.push_str("\r\n");
}

/// The exported mappings as CSV text.
pub fn export(export: &Export) -> String {
    let rows = export.rows();
    let mut out = String::with_capacity(rows.len() * 700 + 256);
    push_row(&mut out, COLUMNS);
    let mut docs: HashMap<&str, [&str; 3]> = HashMap::new();
    let mut target_titles: HashMap<(&str, &str), &str> = HashMap::new();
    let mut files: HashMap<crate::model::FileId, String> = HashMap::new();
    for row in &rows {
        let source = row.source();
        let target = row.target();
        let [publisher, title, url] = *docs.entry(&source.document).or_insert_with(|| {
            [
                export
                    .document_text(&source.document, "publisher")
                    .unwrap_or(""),
                export
                    .document_text(&source.document, "title")
                    .unwrap_or(""),
                export.document_text(&source.document, "url").unwrap_or(""),
            ]
        });
        let target_id = target.id.as_deref().unwrap_or("");
        let target_title = *target_titles
            .entry((&target.document, target_id))
            .or_insert_with(|| {
                let doc = export.ws.index.document(&target.document);
                doc.and_then(|d| d.title_of(target_id)).unwrap_or("")
            });
        let file = files
            .entry(row.file)
            .or_insert_with(|| export.file_label(row.file));
        // A derived mapping's chain, ` > ` between its nodes; empty for a
        // curated one.
        let chain = row.chain().map(|c| c.join(" > ")).unwrap_or_default();
        push_row(
            &mut out,
            [
                source.document.as_str(),
                publisher,
                title,
                source.id.as_deref().unwrap_or(""),
                row.excerpt.unwrap_or(""),
                row.url.unwrap_or(url),
                row.note.unwrap_or(""),
                row.added.unwrap_or(""),
                row.relation(),
                target.document.as_str(),
                target_id,
                target_title,
                row.rationale.unwrap_or(""),
                row.strength.unwrap_or(""),
                file.as_str(),
                chain.as_str(),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        let mut s = String::new();
        push_row(&mut s, ["a", "b,c", "say \"hi\"", "x\ny", ""]);
        assert_eq!(s, "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\",\r\n");
    }
}
