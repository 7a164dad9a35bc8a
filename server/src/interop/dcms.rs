//! The DCMS open data: "Mapping of Code of Practice to recommendations and
//! standards" (JSON, schema v4). A JSON array: a metadata object
//! (`Disclaimer`, `Copyright`, `Version`), then one object per record with
//! eight string fields. A record says that a recommendation of some
//! organisation's document maps to a guideline of the UK Code of Practice
//! (`uk-cop-2018`).
//!
//! [`parse`] reads and validates the file, [`import`] turns it into `.xwalk`
//! files (one per source document, in a folder per organisation) that keep
//! every string exactly, and [`export`] turns a workspace back into records.
//! See docs/data.md.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde::Serialize;
use serde_json::Value as Json;

use super::rows::Export;
use crate::syntax::strings::{encode_comment, encode_quoted};

/// The eight fields of a record, in the order of the DCMS file.
pub const FIELDS: [&str; 8] = [
    "DCMS Code of Practice Guidelines Number",
    "Organisation",
    "Standard / Recommendation Name",
    "Recommendation Number / Section",
    "Recommendation Extracted from Linked Source",
    "Web Link",
    "Notes",
    "Added at Version",
];

/// The fields of the metadata object, in order.
pub const METADATA_FIELDS: [&str; 3] = ["Disclaimer", "Copyright", "Version"];

/// The document the guideline numbers refer to.
pub const TARGET_DOCUMENT: &str = "uk-cop-2018";

/// The id, title and publisher of the document that describes the dataset.
pub const DATASET_ID: &str = "dcms-cop-mapping";
pub const DATASET_TITLE: &str = "Mapping of Code of Practice to recommendations and standards";
pub const DATASET_PUBLISHER: &str = "Department for Digital, Culture, Media and Sport (DCMS)";

/// One record, every field exactly as in the file.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Record {
    #[serde(rename = "DCMS Code of Practice Guidelines Number")]
    pub guideline: String,
    #[serde(rename = "Organisation")]
    pub organisation: String,
    #[serde(rename = "Standard / Recommendation Name")]
    pub document: String,
    #[serde(rename = "Recommendation Number / Section")]
    pub section: String,
    #[serde(rename = "Recommendation Extracted from Linked Source")]
    pub text: String,
    #[serde(rename = "Web Link")]
    pub link: String,
    #[serde(rename = "Notes")]
    pub notes: String,
    #[serde(rename = "Added at Version")]
    pub added: String,
}

impl Record {
    fn field_mut(&mut self, i: usize) -> &mut String {
        match i {
            0 => &mut self.guideline,
            1 => &mut self.organisation,
            2 => &mut self.document,
            3 => &mut self.section,
            4 => &mut self.text,
            5 => &mut self.link,
            6 => &mut self.notes,
            _ => &mut self.added,
        }
    }
}

/// The metadata object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    #[serde(rename = "Disclaimer")]
    pub disclaimer: Vec<String>,
    #[serde(rename = "Copyright")]
    pub copyright: String,
    #[serde(rename = "Version")]
    pub version: String,
}

/// A whole DCMS file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dataset {
    pub metadata: Metadata,
    pub records: Vec<Record>,
}

/// Why a file is not valid DCMS v4 JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError(pub String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

fn kind(v: &Json) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => format!("a boolean ({b})"),
        Json::Number(n) => format!("a number ({n})"),
        Json::String(_) => "a string".into(),
        Json::Array(_) => "an array".into(),
        Json::Object(_) => "an object".into(),
    }
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses and validates a DCMS v4 file. Records are numbered as in the
/// array: the metadata object is element 0, the first record is record 1.
pub fn parse(text: &str) -> Result<Dataset, ParseError> {
    let err = |m: String| Err(ParseError(m));
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return err("the file is empty; expected a DCMS v4 JSON array (the metadata object, then the records)".into());
    }
    let json: Json = match serde_json::from_str(text) {
        Ok(j) => j,
        Err(e) => return err(format!("not valid JSON: {e}")),
    };
    let Json::Array(items) = json else {
        return err(format!(
            "expected a JSON array (the metadata object, then the records), found {}",
            kind(&json)
        ));
    };
    let mut items = items.into_iter();
    let Some(first) = items.next() else {
        return err("the array is empty; expected the metadata object, then the records".into());
    };
    let metadata = parse_metadata(first)?;
    let mut records = Vec::with_capacity(items.len());
    for (i, item) in items.enumerate() {
        records.push(parse_record(i + 1, item)?);
    }
    Ok(Dataset { metadata, records })
}

fn parse_metadata(v: Json) -> Result<Metadata, ParseError> {
    let at = "element 0 (the metadata object)";
    let Json::Object(map) = v else {
        return Err(ParseError(format!(
            "{at}: expected an object with the fields {}, found {}",
            list(&METADATA_FIELDS),
            kind(&v)
        )));
    };
    if let Some(extra) = map.keys().find(|k| !METADATA_FIELDS.contains(&k.as_str())) {
        return Err(ParseError(format!(
            "{at}: unknown field `{extra}`; the metadata fields are {}",
            list(&METADATA_FIELDS)
        )));
    }
    let get = |name: &str| {
        map.get(name)
            .ok_or_else(|| ParseError(format!("{at}: missing field `{name}`")))
    };
    let string = |name: &str| -> Result<String, ParseError> {
        match get(name)? {
            Json::String(s) => Ok(s.clone()),
            other => Err(ParseError(format!(
                "{at}, field `{name}`: expected a string, found {}",
                kind(other)
            ))),
        }
    };
    let disclaimer = match get("Disclaimer")? {
        Json::Array(parts) => parts
            .iter()
            .enumerate()
            .map(|(i, p)| match p {
                Json::String(s) => Ok(s.clone()),
                other => Err(ParseError(format!(
                    "{at}, field `Disclaimer`, paragraph {}: expected a string, found {}",
                    i + 1,
                    kind(other)
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?,
        other => {
            return Err(ParseError(format!(
                "{at}, field `Disclaimer`: expected an array of strings, found {}",
                kind(other)
            )));
        }
    };
    Ok(Metadata {
        disclaimer,
        copyright: string("Copyright")?,
        version: string("Version")?,
    })
}

fn parse_record(index: usize, v: Json) -> Result<Record, ParseError> {
    let Json::Object(map) = v else {
        return Err(ParseError(format!(
            "record {index}: expected an object, found {}",
            kind(&v)
        )));
    };
    if let Some(extra) = map.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(ParseError(format!(
            "record {index}: unknown field `{extra}`; a record has the fields {}",
            list(&FIELDS)
        )));
    }
    let mut record = Record::default();
    for (i, name) in FIELDS.iter().enumerate() {
        match map.get(*name) {
            None => {
                return Err(ParseError(format!(
                    "record {index}: missing field `{name}`"
                )));
            }
            Some(Json::String(s)) => *record.field_mut(i) = s.clone(),
            Some(other) => {
                return Err(ParseError(format!(
                    "record {index}, field `{name}`: expected a string, found {}",
                    kind(other)
                )));
            }
        }
    }
    Ok(record)
}

/// The dataset as DCMS v4 JSON: the metadata object, then the records,
/// fields in the DCMS order, indented by four spaces, LF line ends.
pub fn to_json(dataset: &Dataset) -> String {
    let mut buf = Vec::with_capacity(dataset.records.len() * 900 + 2048);
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    #[derive(Serialize)]
    #[serde(untagged)]
    enum Item<'a> {
        Metadata(&'a Metadata),
        Record(&'a Record),
    }
    let items: Vec<Item> = std::iter::once(Item::Metadata(&dataset.metadata))
        .chain(dataset.records.iter().map(Item::Record))
        .collect();
    items
        .serialize(&mut ser)
        .expect("serialising strings cannot fail");
    buf.push(b'\n');
    String::from_utf8(buf).expect("serde_json writes UTF-8")
}

// ---------------------------------------------------------------------
// Import

/// A file to write, relative to the output folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub text: String,
}

/// What the import wrote, for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub records: usize,
    pub documents: usize,
    pub maps: usize,
    pub files: usize,
}

/// One source document of the import: the records with the same
/// organisation and document name.
struct SourceDoc<'a> {
    organisation: &'a str,
    title: &'a str,
    id: String,
    folder: String,
    url: &'a str,
    blocks: Vec<Block<'a>>,
}

/// One `map` block: records that differ only in their guideline.
struct Block<'a> {
    first: &'a Record,
    guidelines: Vec<&'a str>,
}

/// Words that do not end an id.
const STOP_WORDS: &[&str] = &["a", "an", "and", "for", "in", "of", "on", "the", "to"];

/// Lowercase ASCII words of `s`: apostrophes and `&` vanish, a `.` between
/// digits stays (`2.1`, `303.645`), dotted initials join (`U.S.` → `us`),
/// anything else that is not a letter or digit separates words.
fn slug_words(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if matches!(c, '\'' | '’' | '&') {
            continue;
        } else if c == '.'
            && prev.is_some_and(|p| p.is_ascii_digit())
            && next.is_some_and(|n| n.is_ascii_digit())
        {
            word.push('.');
        } else if c == '.'
            && word.len() == 1
            && prev.is_some_and(|p| p.is_ascii_alphabetic())
            && (i < 2 || !chars[i - 2].is_ascii_alphanumeric())
            && next.is_some_and(|n| n.is_ascii_alphabetic())
            && chars.get(i + 2).is_some_and(|&c| c == '.')
        {
            // `U.S.`: the initials make one word.
            continue;
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Joins words with `-` into at most `max` characters (at least one word),
/// without ending on a stop word.
fn join_words(words: &[String], max: usize) -> String {
    let mut taken: Vec<&str> = Vec::new();
    let mut len = 0;
    for w in words {
        let add = if taken.is_empty() {
            w.len()
        } else {
            w.len() + 1
        };
        if !taken.is_empty() && len + add > max {
            break;
        }
        taken.push(w);
        len += add;
    }
    while taken.len() > 1 && taken.last().is_some_and(|w| STOP_WORDS.contains(w)) {
        taken.pop();
    }
    let mut out = taken.join("-");
    if out.len() > max {
        out.truncate(max);
        out = out.trim_end_matches(['-', '.']).to_string();
    }
    out
}

/// The short name of an organisation: its abbreviation in parentheses
/// (`... (NIST)` → `nist`), else the first words of its name.
pub fn organisation_key(organisation: &str) -> String {
    let abbreviation = organisation.match_indices('(').rev().find_map(|(i, _)| {
        let rest = &organisation[i + 1..];
        let inner = &rest[..rest.find(')')?];
        (!inner.is_empty() && inner.len() <= 12 && inner.chars().all(|c| c.is_ascii_alphanumeric()))
            .then_some(inner)
    });
    let key = match abbreviation {
        Some(a) => a.to_ascii_lowercase(),
        None => join_words(&slug_words(organisation), 28),
    };
    if key.is_empty() {
        "unknown".into()
    } else {
        key
    }
}

/// A readable document id: organisation key and title words, at most 60
/// characters.
fn document_id(org_key: &str, title: &str) -> String {
    let mut words = slug_words(title);
    if words.first().is_some_and(|w| w == org_key) {
        words.remove(0);
    }
    let mut all = vec![org_key.to_string()];
    all.extend(words);
    let id = join_words(&all, 60);
    // Ids start with a letter or digit (the key always does).
    id.trim_start_matches(['-', '.']).to_string()
}

fn quoted(s: &str) -> String {
    encode_quoted(s)
}

/// `DOC:ID`, with the id bare when it can be.
fn reference(doc: &str, id: &str) -> String {
    super::ingest::reference(&crate::model::index::EndpointKey {
        document: doc.to_string(),
        id: Some(id.to_string()),
    })
}

/// Turns a dataset into `.xwalk` files: `xwalk.toml`, the dataset document
/// `dcms-cop-mapping.xwalk`, and one file per source document under a
/// folder per organisation. `input_name` is named in the file headers.
/// Deterministic: the same dataset always gives the same files, in the
/// layout of `xwalk fmt`.
/// `reserved` are document ids the import must not use (the built-in
/// catalogs).
pub fn import(
    dataset: &Dataset,
    input_name: &str,
    reserved: &[&str],
) -> (Vec<OutputFile>, ImportSummary) {
    let mut docs: Vec<SourceDoc> = Vec::new();
    let mut by_key: HashMap<(&str, &str), usize> = HashMap::new();
    let mut taken: HashSet<String> = reserved.iter().map(|s| s.to_string()).collect();
    taken.insert(DATASET_ID.to_string());
    // Blocks of each document, by every field but the guideline.
    let mut open: Vec<HashMap<BlockKey, Vec<usize>>> = Vec::new();
    for r in &dataset.records {
        let d = *by_key
            .entry((r.organisation.as_str(), r.document.as_str()))
            .or_insert_with(|| {
                let folder = organisation_key(&r.organisation);
                let base = document_id(&folder, &r.document);
                let mut id = base.clone();
                let mut n = 2;
                while taken.contains(&id) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                taken.insert(id.clone());
                docs.push(SourceDoc {
                    organisation: &r.organisation,
                    title: &r.document,
                    id,
                    folder,
                    url: "",
                    blocks: Vec::new(),
                });
                open.push(HashMap::new());
                docs.len() - 1
            });
        let doc = &mut docs[d];
        let key = BlockKey::of(r);
        let candidates = open[d].entry(key).or_default();
        match candidates
            .iter()
            .copied()
            .find(|&b| !doc.blocks[b].guidelines.contains(&r.guideline.as_str()))
        {
            Some(b) => doc.blocks[b].guidelines.push(&r.guideline),
            None => {
                candidates.push(doc.blocks.len());
                doc.blocks.push(Block {
                    first: r,
                    guidelines: vec![&r.guideline],
                });
            }
        }
    }
    // Each document's url is its most frequent link (the first on a tie);
    // records with another link keep theirs in the map's `url`.
    for doc in &mut docs {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for b in &doc.blocks {
            let n = b.guidelines.len();
            match counts.iter_mut().find(|(l, _)| *l == b.first.link) {
                Some((_, c)) => *c += n,
                None => counts.push((&b.first.link, n)),
            }
        }
        let best = counts.iter().map(|c| c.1).max().unwrap_or(0);
        doc.url = counts.iter().find(|c| c.1 == best).map_or("", |c| c.0);
    }

    let mut files = Vec::new();
    let input_name = encode_comment(input_name);
    let header = format!(
        "# Imported by `xwalk import dcms` from {input_name} (DCMS open data, Version {}).\n# Every string is kept exactly as in the DCMS file; see docs/data.md.\n",
        encode_comment(&dataset.metadata.version)
    );
    files.push(OutputFile {
        path: "xwalk.toml".into(),
        text: format!(
            "# Written by `xwalk import dcms` from {input_name}.\n[workspace]\nname = \"{DATASET_ID}\"\ndataset = \"{DATASET_ID}\"\n"
        ),
    });
    files.push(OutputFile {
        path: format!("{DATASET_ID}.xwalk"),
        text: dataset_document(&header, &dataset.metadata),
    });
    let mut summary = ImportSummary {
        records: dataset.records.len(),
        documents: docs.len(),
        ..ImportSummary::default()
    };
    for doc in &docs {
        summary.maps += doc.blocks.len();
        files.push(OutputFile {
            path: format!("{}/{}.xwalk", doc.folder, doc.id),
            text: document_file(&header, doc),
        });
    }
    // The canonical layout of `xwalk fmt` (it wraps long map heads).
    {
        use rayon::prelude::*;
        files
            .par_iter_mut()
            .filter(|f| f.path.ends_with(".xwalk"))
            .for_each(|f| {
                if let Ok(text) = crate::format::format_source(&f.text) {
                    f.text = text;
                }
            });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    summary.files = files.len();
    (files, summary)
}

#[derive(PartialEq, Eq, Hash)]
struct BlockKey {
    section: String,
    text: String,
    link: String,
    notes: String,
    added: String,
}

impl BlockKey {
    fn of(r: &Record) -> BlockKey {
        BlockKey {
            section: r.section.clone(),
            text: r.text.clone(),
            link: r.link.clone(),
            notes: r.notes.clone(),
            added: r.added.clone(),
        }
    }
}

fn dataset_document(header: &str, m: &Metadata) -> String {
    let mut out = String::from(header);
    out.push('\n');
    out.push_str(&format!("document {DATASET_ID} {{\n"));
    out.push_str(&format!("  title {}\n", quoted(DATASET_TITLE)));
    out.push_str(&format!("  publisher {}\n", quoted(DATASET_PUBLISHER)));
    out.push_str(&format!("  version {}\n", quoted(&m.version)));
    out.push_str(&format!("  cites {TARGET_DOCUMENT}\n"));
    out.push_str(&format!("  copyright {}\n", quoted(&m.copyright)));
    for p in &m.disclaimer {
        out.push_str(&format!("  disclaimer {}\n", quoted(p)));
    }
    out.push_str("}\n");
    out
}

fn document_file(header: &str, doc: &SourceDoc) -> String {
    let mut out = String::with_capacity(doc.blocks.len() * 600 + 512);
    out.push_str(header);
    out.push('\n');
    out.push_str(&format!("document {} {{\n", doc.id));
    out.push_str(&format!("  title {}\n", quoted(doc.title)));
    out.push_str(&format!("  publisher {}\n", quoted(doc.organisation)));
    if !doc.url.is_empty() {
        out.push_str(&format!("  url {}\n", quoted(doc.url)));
    }
    out.push_str("}\n");
    for b in &doc.blocks {
        let r = b.first;
        out.push('\n');
        let source = if r.section.is_empty() {
            doc.id.clone()
        } else {
            reference(&doc.id, &r.section)
        };
        let targets: Vec<String> = b
            .guidelines
            .iter()
            .map(|g| reference(TARGET_DOCUMENT, g))
            .collect();
        out.push_str(&format!("map {source} -> {} {{\n", targets.join(", ")));
        if !r.text.is_empty() {
            out.push_str(&format!("  excerpt {}\n", quoted(&r.text)));
        }
        if r.link != doc.url {
            out.push_str(&format!("  url {}\n", quoted(&r.link)));
        }
        if !r.notes.is_empty() {
            out.push_str(&format!("  note {}\n", quoted(&r.notes)));
        }
        out.push_str(&format!("  added {}\n", quoted(&r.added)));
        out.push_str("}\n");
    }
    out
}

// ---------------------------------------------------------------------
// Export

/// What an export left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub records: usize,
    /// Mappings whose target is not a `uk-cop-2018` guideline: the DCMS
    /// schema has no place for them.
    pub skipped: usize,
    /// Derived mappings (`xwalk derive`), left out: the schema cannot
    /// mark them, and they are not curated.
    pub derived: usize,
}

/// The workspace's mappings onto `uk-cop-2018` as DCMS records, with the
/// metadata of the dataset document (`dataset` in `xwalk.toml`).
///
/// A record takes its organisation and document name from the source
/// document's `publisher` and `title`, its section from the source id
/// (empty for a whole-document source), its text from `excerpt`, its link
/// from the map's `url` or else the document's, its notes from `note` and
/// its version from `added`; absent fields are empty strings.
pub fn export(export: &Export) -> (Dataset, ExportSummary) {
    let (rows, derived) = export.curated_rows();
    let mut summary = ExportSummary {
        derived,
        ..ExportSummary::default()
    };
    let mut records = Vec::with_capacity(rows.len());
    let mut doc_cache: BTreeMap<&str, (&str, &str, &str)> = BTreeMap::new();
    for row in &rows {
        let target = row.target();
        let (true, Some(guideline)) = (target.document == TARGET_DOCUMENT, &target.id) else {
            summary.skipped += 1;
            continue;
        };
        let source = row.source();
        let (organisation, title, url) = *doc_cache.entry(&source.document).or_insert_with(|| {
            (
                export
                    .document_text(&source.document, "publisher")
                    .unwrap_or(""),
                export
                    .document_text(&source.document, "title")
                    .unwrap_or(""),
                export.document_text(&source.document, "url").unwrap_or(""),
            )
        });
        records.push(Record {
            guideline: guideline.clone(),
            organisation: organisation.to_string(),
            document: title.to_string(),
            section: source.id.clone().unwrap_or_default(),
            text: row.excerpt.unwrap_or("").to_string(),
            link: row.url.unwrap_or(url).to_string(),
            notes: row.note.unwrap_or("").to_string(),
            added: row.added.unwrap_or("").to_string(),
        });
    }
    summary.records = records.len();
    let metadata = match export.dataset() {
        Some(doc) => Metadata {
            disclaimer: export
                .document_texts(&doc.id, "disclaimer")
                .into_iter()
                .map(str::to_string)
                .collect(),
            copyright: export
                .document_text(&doc.id, "copyright")
                .unwrap_or("")
                .to_string(),
            version: doc.version.clone().unwrap_or_default(),
        },
        None => Metadata::default(),
    };
    (Dataset { metadata, records }, summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: &str = r#"{"Disclaimer": ["a ", "b"], "Copyright": "c", "Version": "4.0"}"#;

    fn record(extra: &str) -> String {
        format!(
            r#"{{"DCMS Code of Practice Guidelines Number": "1", "Organisation": "Org (ORG)", "Standard / Recommendation Name": "Guide", "Recommendation Number / Section": "1.2", "Recommendation Extracted from Linked Source": "Text", "Web Link": "https://example.org", "Notes": "", "Added at Version": "1"{extra}}}"#
        )
    }

    #[test]
    fn parses_metadata_and_records() {
        let d = parse(&format!("[{META}, {}]", record(""))).unwrap();
        assert_eq!(d.metadata.disclaimer, vec!["a ", "b"]);
        assert_eq!(d.records.len(), 1);
        assert_eq!(d.records[0].section, "1.2");
    }

    #[test]
    fn errors_name_the_record_and_field() {
        let e = parse(&format!(
            "[{META}, {}, {}]",
            record(""),
            record(r#", "X": "y""#)
        ))
        .unwrap_err();
        assert_eq!(
            e.0,
            "record 2: unknown field `X`; a record has the fields `DCMS Code of Practice Guidelines Number`, `Organisation`, `Standard / Recommendation Name`, `Recommendation Number / Section`, `Recommendation Extracted from Linked Source`, `Web Link`, `Notes`, `Added at Version`"
        );
        let bad = record("").replace(r#""Added at Version": "1""#, r#""Added at Version": 4"#);
        let e = parse(&format!("[{META}, {bad}]")).unwrap_err();
        assert_eq!(
            e.0,
            "record 1, field `Added at Version`: expected a string, found a number (4)"
        );
        let missing = record("").replace(r#", "Notes": """#, "");
        let e = parse(&format!("[{META}, {missing}]")).unwrap_err();
        assert_eq!(e.0, "record 1: missing field `Notes`");
        assert!(parse("").unwrap_err().0.starts_with("the file is empty"));
        assert!(parse("{").unwrap_err().0.starts_with("not valid JSON"));
        assert!(parse("[]").unwrap_err().0.starts_with("the array is empty"));
        assert!(parse("{}").unwrap_err().0.contains("found an object"));
    }

    #[test]
    fn ids_are_readable() {
        assert_eq!(
            organisation_key("US National Institute of Standards and Technology (NIST)"),
            "nist"
        );
        assert_eq!(organisation_key("Symantec "), "symantec");
        assert_eq!(organisation_key("AT&T"), "att");
        assert_eq!(
            organisation_key("U.S. Department of Homeland Security"),
            "us-department-of-homeland"
        );
        assert_eq!(
            document_id("ocf", "OCF Security Specification v2.1.2"),
            "ocf-security-specification-v2.1.2"
        );
        assert_eq!(
            document_id(
                "gsma",
                "GSMA IoT Security Guidelines Endpoint Ecosystem V2.2"
            ),
            "gsma-iot-security-guidelines-endpoint-ecosystem-v2.2"
        );
        assert_eq!(
            document_id("iotsf", "IoT Security Compliance Framework 2.1"),
            "iotsf-iot-security-compliance-framework-2.1"
        );
    }

    #[test]
    fn to_json_round_trips() {
        let d = parse(&format!("[{META}, {}]", record(""))).unwrap();
        assert_eq!(parse(&to_json(&d)).unwrap(), d);
    }
}
