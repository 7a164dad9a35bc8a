//! OpenCRE's import spreadsheet (the CRE CSV of MyOpenCRE,
//! docs/my-opencre-user-guide.md of OWASP/OpenCRE): a `CRE 0` column whose
//! cells are `CRE-ID|CRE name`, then three columns per standard,
//! `NAME|name`, `NAME|id` and `NAME|hyperlink`, for the section's name, id
//! and address. Each row links one section of one standard to one CRE.
//!
//! Crosswalk writes a row per mapping onto a CRE: a target of the document
//! that holds the CREs (`opencre` unless told otherwise) whose id is a CRE
//! id (`123-456`). The standard is the source document, named by its title.
//! See docs/interop.md.

use std::collections::BTreeMap;

use super::ingest::Losses;
use super::rows::Export;

/// The document whose provisions are CREs, unless told otherwise.
pub const CRE_DOCUMENT: &str = "opencre";

/// Is `id` a CRE id (`DDD-DDD`)?
pub fn is_cre_id(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 7
        && b[3] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 3 || c.is_ascii_digit())
}

/// The export as OpenCRE's import CSV, and what it could not carry.
pub fn export(export: &Export, cre_document: &str) -> (String, Losses) {
    let mut losses = Losses::default();
    let (rows, derived) = export.curated_rows();
    for _ in 0..derived {
        losses.add(
            "derived",
            "left out: derived mappings (`xwalk derive`) are not curated, and the format cannot mark them",
        );
    }
    // Standards by source document, in order of id; their column names.
    let mut standards: BTreeMap<&str, String> = BTreeMap::new();
    let mut lines: Vec<(&str, [String; 4])> = Vec::new();
    for row in &rows {
        let (s, t) = (row.source(), row.target());
        let Some(cre) =
            t.id.as_deref()
                .filter(|id| t.document == cre_document && is_cre_id(id))
        else {
            losses.add(
                "target",
                &format!("left out: not a CRE (`{cre_document}:DDD-DDD`)"),
            );
            continue;
        };
        for (field, present) in [
            ("relation", row.relation() != "related"),
            ("rationale", row.rationale.is_some()),
            ("strength", row.strength.is_some()),
            ("note", row.note.is_some()),
            ("added", row.added.is_some()),
        ] {
            if present {
                losses.add(field, "not exported: a CRE link has no such column");
            }
        }
        standards.entry(&s.document).or_insert_with(|| {
            export
                .document_text(&s.document, "title")
                .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_else(|| s.document.clone())
                .replace([',', '|'], " ")
        });
        let cre_name = export
            .ws
            .index
            .document(&t.document)
            .and_then(|d| d.title_of(cre))
            .map(|n| format!("{cre}|{n}"))
            .unwrap_or_else(|| cre.to_string());
        let section = row
            .excerpt
            .map(str::to_string)
            .or_else(|| {
                let id = s.id.as_deref()?;
                let doc = export.ws.index.document(&s.document)?;
                doc.title_of(id).map(str::to_string)
            })
            .unwrap_or_default();
        let link = row
            .url
            .or_else(|| export.document_text(&s.document, "url"))
            .unwrap_or_default();
        lines.push((
            &s.document,
            [
                cre_name,
                section,
                s.id.clone().unwrap_or_default(),
                link.to_string(),
            ],
        ));
    }
    let order: Vec<&str> = standards.keys().copied().collect();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header = vec!["CRE 0".to_string()];
    for name in standards.values() {
        for part in ["name", "id", "hyperlink"] {
            header.push(format!("{name}|{part}"));
        }
    }
    w.write_record(&header).expect("write to memory");
    for (doc, [cre, section, id, link]) in &lines {
        let k = order.iter().position(|d| d == doc).expect("listed");
        let mut record = vec![String::new(); header.len()];
        record[0] = cre.clone();
        record[1 + 3 * k] = section.clone();
        record[2 + 3 * k] = id.clone();
        record[3 + 3 * k] = link.clone();
        w.write_record(&record).expect("write to memory");
    }
    let text =
        String::from_utf8(w.into_inner().expect("flush to memory")).expect("UTF-8 in, UTF-8 out");
    (text, losses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cre_ids() {
        assert!(is_cre_id("123-456"));
        assert!(!is_cre_id("123-45"));
        assert!(!is_cre_id("1234567"));
        assert!(!is_cre_id("abc-def"));
    }
}
