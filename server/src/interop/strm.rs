//! The NIST IR 8477 set theory relationship mapping (STRM) spreadsheet, the
//! columns of the NIST OLIR focal-document templates: Focal Document
//! Element, its description, Rationale, Relationship, Reference Document
//! Element, its description, Strength of Relationship, Notes. Crosswalk
//! adds two columns, `Focal Document` and `Reference Document`, with the
//! document ids, so that one sheet holds any number of document pairs.
//! Read and written as CSV (RFC 4180) and XLSX (one sheet,
//! `Relationships`). See docs/interop.md.

use std::collections::HashSet;

use super::ingest::{self, Imported, Losses, NewDocument, NewMapping};
use super::rows::Export;
use crate::model::Workspace;
use crate::model::index::EndpointKey;
use crate::model::schema::is_document_id;

/// The columns written, in order.
pub const COLUMNS: [&str; 10] = [
    "Focal Document Element",
    "Focal Document Element Description",
    "Rationale",
    "Relationship",
    "Reference Document Element",
    "Reference Document Element Description",
    "Strength of Relationship",
    "Notes",
    "Focal Document",
    "Reference Document",
];

/// The name of the sheet written in XLSX.
pub const SHEET: &str = "Relationships";

/// Crosswalk relation → IR 8477 relationship. `related` (a crosswalk that
/// states no relationship) is a blank cell.
pub const RELATIONSHIPS: [(&str, &str); 6] = [
    ("related", ""),
    ("equal-to", "equal"),
    ("subset-of", "subset of"),
    ("superset-of", "superset of"),
    ("intersects-with", "intersects with"),
    ("no-relationship", "no relationship"),
];

/// Other spellings read: the NIST IR 8278A Rev. 1 (OLIR) vocabulary and
/// Crosswalk's own.
const ALSO_READ: [(&str, &str); 2] = [
    ("not related to", "no-relationship"),
    ("no relationship", "no-relationship"),
];

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The export as rows of [`COLUMNS`], and what it could not carry.
pub fn rows(export: &Export) -> (Vec<[String; 10]>, Losses) {
    let mut losses = Losses::default();
    let mut out = Vec::new();
    let (rows, derived) = export.curated_rows();
    for _ in 0..derived {
        losses.add(
            "derived",
            "left out: derived mappings (`xwalk derive`) are not curated, and the format cannot mark them",
        );
    }
    for row in rows {
        let (s, t) = (row.source(), row.target());
        let relationship = match RELATIONSHIPS.iter().find(|(x, _)| *x == row.relation()) {
            Some((_, r)) => *r,
            None => {
                losses.add("relation equivalent-to", "written as `equal`");
                "equal"
            }
        };
        for (field, value) in [("added", row.added), ("url", row.url)] {
            if value.is_some() {
                losses.add(field, "not exported: the spreadsheet has no such column");
            }
        }
        let target_text = t.id.as_deref().and_then(|id| {
            let doc = export.ws.index.document(&t.document)?;
            doc.provision(id)
                .and_then(|p| p.text.as_deref().or(p.title.as_deref()))
                .or_else(|| doc.title_of(id))
        });
        out.push([
            s.id.clone().unwrap_or_default(),
            row.excerpt.unwrap_or_default().to_string(),
            row.rationale.map(capitalised).unwrap_or_default(),
            relationship.to_string(),
            t.id.clone().unwrap_or_default(),
            target_text.unwrap_or_default().to_string(),
            row.strength.unwrap_or_default().to_string(),
            row.note.unwrap_or_default().to_string(),
            s.document.clone(),
            t.document.clone(),
        ]);
    }
    (out, losses)
}

/// The rows as CSV (CRLF line ends, UTF-8, quoted where needed).
pub fn to_csv(rows: &[[String; 10]]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(COLUMNS).expect("write to memory");
    for r in rows {
        w.write_record(r).expect("write to memory");
    }
    String::from_utf8(w.into_inner().expect("flush to memory")).expect("UTF-8 in, UTF-8 out")
}

/// The rows as an XLSX workbook with one sheet, [`SHEET`]; strengths are
/// numbers.
pub fn to_xlsx(rows: &[[String; 10]]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let e = |e: rust_xlsxwriter::XlsxError| format!("writing XLSX: {e}");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET).map_err(e)?;
    let bold = Format::new().set_bold().set_text_wrap();
    for (c, h) in COLUMNS.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, *h, &bold)
            .map_err(e)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, value) in row.iter().enumerate() {
            if value.is_empty() {
                continue;
            }
            match (c, value.parse::<f64>()) {
                (6, Ok(n)) => sheet.write_number(r, c as u16, n),
                _ => sheet.write_string(r, c as u16, value),
            }
            .map_err(|x| format!("row {} ({}): {}", r + 1, COLUMNS[c], e(x)))?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(e)?;
    book.save_to_buffer().map_err(e)
}

/// A table read from a file: rows of cells, and how to name row `i`.
pub struct Table {
    pub rows: Vec<Vec<String>>,
    /// `line` (CSV) or `sheet "NAME", row` (XLSX): rows are named
    /// `{place} {n}`, 1-based.
    pub place: String,
}

/// Reads CSV text into a table.
pub fn read_csv(text: &str) -> Result<Table, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for r in reader.records() {
        let r = r.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            format!("line {line}: {e}")
        })?;
        rows.push(r.iter().map(str::to_string).collect());
    }
    Ok(Table {
        rows,
        place: "line".into(),
    })
}

/// Reads the sheet of an XLSX workbook that has the STRM columns (the one
/// named [`SHEET`] first).
pub fn read_xlsx(bytes: Vec<u8>) -> Result<Table, String> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a readable XLSX workbook: {e}"))?;
    let mut names = book.sheet_names();
    names.sort_by_key(|n| n != SHEET);
    for name in &names {
        let range = book
            .worksheet_range(name)
            .map_err(|e| format!("sheet \"{name}\": {e}"))?;
        let start = range.start().map_or(0, |(r, _)| r as usize);
        let mut rows: Vec<Vec<String>> = vec![Vec::new(); start];
        for (i, row) in range.rows().enumerate() {
            let mut cells = Vec::with_capacity(row.len());
            for (c, cell) in row.iter().enumerate() {
                cells.push(match cell {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    Data::Float(f) => f.to_string(),
                    Data::Int(n) => n.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::Error(err) => {
                        return Err(format!(
                            "sheet \"{name}\", row {}, column {}: the cell holds an error ({err})",
                            start + i + 1,
                            c + 1
                        ));
                    }
                    other => other.to_string(),
                });
            }
            rows.push(cells);
        }
        if header_row(&rows).is_some() {
            return Ok(Table {
                rows,
                place: format!("sheet \"{name}\", row"),
            });
        }
    }
    Err(format!(
        "no sheet has the columns `Focal Document Element` and `Reference Document Element` (sheets: {})",
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// A header cell as compared: lower case, one space between words,
/// without `(Optional)` or `(ID)`.
fn normal(h: &str) -> String {
    let lower = h
        .to_lowercase()
        .replace("(optional)", "")
        .replace("(id)", "");
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The header row: the first of the first 30 with both element columns.
fn header_row(rows: &[Vec<String>]) -> Option<usize> {
    rows.iter().take(30).position(|r| {
        let n: Vec<String> = r.iter().map(|h| normal(h)).collect();
        n.iter().any(|h| h == "focal document element")
            && n.iter().any(|h| h == "reference document element")
    })
}

/// Documents of the sheet when it has no document columns.
#[derive(Clone, Debug, Default)]
pub struct Defaults {
    pub focal: Option<String>,
    pub reference: Option<String>,
}

/// Reads a STRM table into mappings. `file_name` names the workspace.
pub fn import(
    table: &Table,
    defaults: &Defaults,
    file_name: &str,
    known: &Workspace,
) -> Result<(Imported, Losses), String> {
    let Some(h) = header_row(&table.rows) else {
        return Err(
            "no header row with the columns `Focal Document Element` and `Reference Document Element` in the first 30 rows".into(),
        );
    };
    let header: Vec<String> = table.rows[h].iter().map(|c| normal(c)).collect();
    let col = |names: &[&str]| header.iter().position(|c| names.contains(&c.as_str()));
    let focal = col(&["focal document element"]).expect("header row has it");
    let reference = col(&["reference document element"]).expect("header row has it");
    let focal_text = col(&["focal document element description"]);
    let reference_text = col(&["reference document element description"]);
    let rationale = col(&["rationale"]);
    let relationship = col(&["relationship"]);
    let strength = col(&["strength of relationship"]);
    let notes = col(&["notes", "comments"]);
    let focal_doc = col(&["focal document"]);
    let reference_doc = col(&["reference document"]);
    let read: Vec<usize> = [
        Some(focal),
        Some(reference),
        focal_text,
        reference_text,
        rationale,
        relationship,
        strength,
        notes,
        focal_doc,
        reference_doc,
    ]
    .into_iter()
    .flatten()
    .collect();
    let missing = |what: &str, option: &str| {
        format!(
            "no `{what}` column: give the {} document's id with {option}",
            what.trim_end_matches(" Document").to_lowercase()
        )
    };
    if focal_doc.is_none() && defaults.focal.is_none() {
        return Err(missing("Focal Document", "--focal"));
    }
    if reference_doc.is_none() && defaults.reference.is_none() {
        return Err(missing("Reference Document", "--reference"));
    }
    let mut losses = Losses::default();
    let mut imported = Imported {
        name: ingest::slug(file_name, 60),
        ..Imported::default()
    };
    let mut declared: HashSet<String> = HashSet::new();
    let has_doc_columns = focal_doc.is_some() && reference_doc.is_some();
    for (i, row) in table.rows.iter().enumerate().skip(h + 1) {
        let at = format!("{} {}", table.place, i + 1);
        let cell = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .map(|s| s.trim())
                .unwrap_or_default()
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let doc = |c: Option<usize>, default: &Option<String>, what: &str| {
            let v = cell(c);
            let v = if v.is_empty() {
                default.as_deref().unwrap_or_default()
            } else {
                v
            };
            if is_document_id(v) {
                Ok(v.to_string())
            } else {
                Err(format!(
                    "{at}: `{v}` is not a {what} document id (lowercase letters, digits, `.`, `_`, `-`)"
                ))
            }
        };
        let source_doc = doc(focal_doc, &defaults.focal, "focal")?;
        let target_doc = doc(reference_doc, &defaults.reference, "reference")?;
        let (f, r) = (cell(Some(focal)), cell(Some(reference)));
        if !has_doc_columns && (f.is_empty() || r.is_empty()) {
            losses.add(
                "row without a focal or reference element",
                "skipped: no mapping",
            );
            continue;
        }
        let id = |doc: &str, v: &str| (!v.is_empty()).then(|| ingest::known_id(known, doc, v));
        let source = EndpointKey {
            id: id(&source_doc, f),
            document: source_doc,
        };
        let target = EndpointKey {
            id: id(&target_doc, r),
            document: target_doc,
        };
        let mut m = NewMapping::new(source, target);
        let rel = cell(relationship).to_lowercase();
        let rel = rel.split_whitespace().collect::<Vec<_>>().join(" ");
        m.relation = RELATIONSHIPS
            .iter()
            .find(|(x, r)| *r == rel || *x == rel)
            .map(|(x, _)| *x)
            .or_else(|| ALSO_READ.iter().find(|(r, _)| *r == rel).map(|(_, x)| *x))
            .ok_or_else(|| {
                format!(
                    "{at}: `{}` is not a relationship; expected subset of, intersects with, equal, superset of, no relationship (or blank)",
                    cell(relationship)
                )
            })?
            .to_string();
        let r = cell(rationale);
        if !r.is_empty() {
            m.rationale = Some(ingest::rationale(r).ok_or_else(|| {
                format!(
                    "{at}: `{r}` is not a rationale; expected Syntactic, Semantic or Functional"
                )
            })?);
        }
        let s = cell(strength);
        if !s.is_empty() {
            m.strength = Some(s.parse::<u8>().ok().filter(|n| *n <= 10).ok_or_else(|| {
                format!("{at}: strength `{s}` is not a whole number from 0 to 10")
            })?);
        }
        let text = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .filter(|s| !s.is_empty())
                .cloned()
        };
        m.excerpt = text(focal_text);
        m.note = text(notes);
        if let Some(t) = text(reference_text) {
            let same = m.target.id.as_deref().is_some_and(|id| {
                known.index.document(&m.target.document).is_some_and(|d| {
                    d.provision(id)
                        .and_then(|p| p.text.as_deref().or(p.title.as_deref()))
                        .or_else(|| d.title_of(id))
                        == Some(t.as_str())
                })
            });
            if !same {
                losses.add(
                    "Reference Document Element Description",
                    "not imported: the reference document's catalog holds its text",
                );
            }
        }
        for (c, v) in row.iter().enumerate() {
            if !read.contains(&c) && !v.trim().is_empty() {
                let name = table.rows[h].get(c).map_or("", |s| s.as_str());
                losses.add(&format!("column `{}`", normal(name)), "not imported");
            }
        }
        for d in [&m.source.document, &m.target.document] {
            if known.index.document(d).is_none() && declared.insert(d.clone()) {
                imported.documents.push(NewDocument {
                    id: d.clone(),
                    title: d.clone(),
                    ..NewDocument::default()
                });
            }
        }
        imported.mappings.push(m);
    }
    Ok((imported, losses))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_found_as_nist_writes_them() {
        let rows = vec![
            vec!["Title".to_string()],
            vec![
                "Focal Document\nElement".to_string(),
                "Reference Document\nElement".to_string(),
                "Strength of\nRelationship\n(Optional)".to_string(),
            ],
        ];
        assert_eq!(header_row(&rows), Some(1));
        assert_eq!(
            normal("Strength of\nRelationship\n(Optional)"),
            "strength of relationship"
        );
    }

    #[test]
    fn reads_the_relationship_vocabularies() {
        let known = ingest::known();
        let table = read_csv(
            "Focal Document Element,Relationship,Reference Document Element,Rationale\r\nA-1,Subset Of,5.1-1,Semantic\r\nA-2,not related to,5.1-2,\r\nA-3,,5.1-3,\r\n",
        )
        .unwrap();
        let defaults = Defaults {
            focal: Some("guide".into()),
            reference: Some("etsi-en-303-645".into()),
        };
        let (imported, losses) = import(&table, &defaults, "x.csv", &known).unwrap();
        let rel: Vec<&str> = imported
            .mappings
            .iter()
            .map(|m| m.relation.as_str())
            .collect();
        assert_eq!(rel, ["subset-of", "no-relationship", "related"]);
        assert_eq!(imported.mappings[0].rationale.as_deref(), Some("semantic"));
        assert_eq!(
            imported.documents.len(),
            1,
            "guide is declared, EN 303 645 is known"
        );
        assert_eq!(losses.total(), 0);
        let bad =
            read_csv("Focal Document Element,Relationship,Reference Document Element\nA,maybe,B\n")
                .unwrap();
        assert_eq!(
            import(&bad, &defaults, "x", &known).unwrap_err(),
            "line 2: `maybe` is not a relationship; expected subset of, intersects with, equal, superset of, no relationship (or blank)"
        );
    }
}
