//! What an import brings in, whatever its format: documents to declare and
//! mappings between `DOC:ID` endpoints with the fields of a `map` block.
//! [`files`] writes them as `.xwalk` files in the layout of `xwalk fmt`;
//! [`Losses`] counts, per field, the values one format cannot carry into
//! another, for the command to report.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::dcms::OutputFile;
use crate::model::index::EndpointKey;
use crate::model::schema::{DEFAULT_RELATION, RATIONALES, is_document_id};
use crate::model::{Config, Workspace};
use crate::syntax::lexical::is_bare;
use crate::syntax::strings::{encode_comment, encode_quoted};

/// A document the import declares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewDocument {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub version: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
}

/// One source → target pair and the fields of its `map`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NewMapping {
    pub source: EndpointKey,
    pub target: EndpointKey,
    pub relation: String,
    pub excerpt: Option<String>,
    pub note: Option<String>,
    pub added: Option<String>,
    pub rationale: Option<String>,
    pub strength: Option<u8>,
    pub url: Option<String>,
}

impl NewMapping {
    pub fn new(source: EndpointKey, target: EndpointKey) -> NewMapping {
        NewMapping {
            source,
            target,
            relation: DEFAULT_RELATION.to_string(),
            excerpt: None,
            note: None,
            added: None,
            rationale: None,
            strength: None,
            url: None,
        }
    }
}

/// Everything an import read.
#[derive(Clone, Debug, Default)]
pub struct Imported {
    /// The workspace name written in `xwalk.toml`.
    pub name: String,
    /// The document describing the data (`dataset` in `xwalk.toml`).
    pub dataset: Option<String>,
    pub documents: Vec<NewDocument>,
    pub mappings: Vec<NewMapping>,
    /// TOML tables appended to the written `xwalk.toml` (each ends with a
    /// line break).
    pub config: String,
}

/// Values of one field that a format cannot carry, by field: what became
/// of them and how many there were. Reported per field on stderr.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Losses {
    fields: BTreeMap<String, (String, usize)>,
}

impl Losses {
    /// Counts one value of `field`; `what` says what became of it.
    pub fn add(&mut self, field: &str, what: &str) {
        self.fields
            .entry(field.to_string())
            .or_insert_with(|| (what.to_string(), 0))
            .1 += 1;
    }

    /// How many values were not carried, in all.
    pub fn total(&self) -> usize {
        self.fields.values().map(|(_, n)| n).sum()
    }

    /// (field, what became of it, count), by field name.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str, usize)> {
        self.fields
            .iter()
            .map(|(f, (what, n))| (f.as_str(), what.as_str(), *n))
    }
}

/// The workspace of the built-in catalogs alone: the documents Crosswalk
/// knows without a declaration.
pub fn known() -> Workspace {
    Workspace::build(None, Config::default(), Vec::new())
}

/// The catalog id `id` stands for in document `doc` of `ws`: itself, or
/// the provision or clause that has the same id but for letter case.
pub fn known_id(ws: &Workspace, doc: &str, id: &str) -> String {
    let Some(info) = ws.index.document(doc) else {
        return id.to_string();
    };
    if info.resolves(id) {
        return id.to_string();
    }
    info.provisions
        .iter()
        .map(|p| &p.id)
        .chain(info.clauses.iter().map(|c| &c.id))
        .find(|p| p.eq_ignore_ascii_case(id))
        .cloned()
        .unwrap_or_else(|| id.to_string())
}

/// Lowercase ASCII words of `s` joined with `-`, at most `max` characters,
/// a valid document id (`doc` when nothing is left).
pub fn slug(s: &str, max: usize) -> String {
    let mut out = String::new();
    for word in s
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '.')
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
    {
        let add = if out.is_empty() { 0 } else { 1 } + word.len();
        if !out.is_empty() && out.len() + add > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    out.truncate(max);
    let out = out.trim_end_matches(['-', '.']).to_string();
    if is_document_id(&out) {
        out
    } else {
        "doc".to_string()
    }
}

/// Gives out document ids that are not taken yet: `base`, `base-2`, ...
#[derive(Default)]
pub struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    /// Ids that must not be given out (the built-in catalogs, say).
    pub fn reserve(&mut self, id: &str) {
        self.taken.insert(id.to_string());
    }

    pub fn fresh(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}

/// `DOC:ID` (the id bare when it can be), or `DOC` for a whole document.
pub fn reference(key: &EndpointKey) -> String {
    match key.id.as_deref() {
        None => key.document.clone(),
        Some(id) if is_bare(id) => format!("{}:{id}", key.document),
        Some(id) => format!("{}:{}", key.document, encode_quoted(id)),
    }
}

/// Checks a rationale value (case-insensitive) and returns it in the
/// spelling of the format (`syntactic`, `semantic`, `functional`).
pub fn rationale(value: &str) -> Option<String> {
    let v = value.trim().to_ascii_lowercase();
    RATIONALES.contains(&v.as_str()).then_some(v)
}

/// The import as files: `xwalk.toml`, one file per declared document
/// (`ID.xwalk`: its declaration and the mappings from it) and one per
/// other source document (`from-ID.xwalk`), in the layout of `xwalk fmt`.
/// `header` (comment lines) starts every `.xwalk` file.
pub fn files(imported: &Imported, header: &str) -> Vec<OutputFile> {
    let mut out = Vec::new();
    out.push(OutputFile {
        path: "xwalk.toml".into(),
        text: format!(
            "{}[workspace]\nname = {}\n{}{}{}",
            header,
            toml_string(&imported.name),
            imported
                .dataset
                .as_ref()
                .map(|d| format!("dataset = {}\n", toml_string(d)))
                .unwrap_or_default(),
            if imported.config.is_empty() { "" } else { "\n" },
            imported.config
        ),
    });
    let declared: HashMap<&str, &NewDocument> = imported
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d))
        .collect();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for d in &imported.documents {
        texts.insert(format!("{}.xwalk", d.id), declaration(header, d));
    }
    for m in &imported.mappings {
        let doc = m.source.document.as_str();
        let path = if declared.contains_key(doc) {
            format!("{doc}.xwalk")
        } else {
            format!("from-{doc}.xwalk")
        };
        let text = texts.entry(path).or_insert_with(|| header.to_string());
        text.push('\n');
        map_block(text, m);
    }
    for (path, text) in texts {
        let text = crate::format::format_source(&text).unwrap_or(text);
        out.push(OutputFile { path, text });
    }
    out
}

fn toml_string(s: &str) -> String {
    // TOML basic strings escape like JSON strings.
    serde_json::to_string(s).expect("strings serialise")
}

fn declaration(header: &str, d: &NewDocument) -> String {
    let mut out = format!("{header}\ndocument {} {{\n", d.id);
    out.push_str(&format!("  title {}\n", encode_quoted(&d.title)));
    for (name, value) in [
        ("publisher", &d.publisher),
        ("version", &d.version),
        ("url", &d.url),
        ("note", &d.note),
    ] {
        if let Some(v) = value {
            out.push_str(&format!("  {name} {}\n", encode_quoted(v)));
        }
    }
    out.push_str("}\n");
    out
}

fn map_block(out: &mut String, m: &NewMapping) {
    out.push_str(&format!(
        "map {} -> {}",
        reference(&m.source),
        reference(&m.target)
    ));
    let mut fields = Vec::new();
    if m.relation != DEFAULT_RELATION {
        fields.push(format!("relation {}", m.relation));
    }
    for (name, value) in [("excerpt", &m.excerpt), ("note", &m.note)] {
        if let Some(v) = value {
            fields.push(format!("{name} {}", encode_quoted(v)));
        }
    }
    if let Some(a) = &m.added {
        fields.push(format!("added {}", encode_quoted(a)));
    }
    if let Some(r) = &m.rationale {
        fields.push(format!("rationale {r}"));
    }
    if let Some(s) = m.strength {
        fields.push(format!("strength {s}"));
    }
    if let Some(u) = &m.url {
        fields.push(format!("url {}", encode_quoted(u)));
    }
    if fields.is_empty() {
        out.push('\n');
    } else {
        out.push_str(" {\n");
        for f in fields {
            out.push_str(&format!("  {f}\n"));
        }
        out.push_str("}\n");
    }
}

/// The header comment of imported files: which command wrote them from
/// which input.
pub fn header(command: &str, input_name: &str) -> String {
    format!(
        "# Imported by `xwalk import {command}` from {}; see docs/interop.md.\n",
        encode_comment(input_name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(d: &str, id: Option<&str>) -> EndpointKey {
        EndpointKey {
            document: d.into(),
            id: id.map(Into::into),
        }
    }

    #[test]
    fn slugs_and_fresh_ids() {
        assert_eq!(slug("ISO/IEC 27001:2022", 40), "iso-iec-27001-2022");
        assert_eq!(slug("NIST SP 800-53 Rev. 5", 40), "nist-sp-800-53-rev-5");
        assert_eq!(slug("  ", 40), "doc");
        let mut ids = Ids::default();
        ids.reserve("a");
        assert_eq!(ids.fresh("a"), "a-2");
        assert_eq!(ids.fresh("a"), "a-3");
        assert_eq!(ids.fresh("b"), "b");
    }

    #[test]
    fn writes_declarations_and_maps() {
        let mut m = NewMapping::new(key("guide", Some("1 a")), key("uk-cop-2018", Some("1")));
        m.relation = "subset-of".into();
        m.excerpt = Some("Say \"no\"".into());
        m.strength = Some(7);
        let imported = Imported {
            name: "w".into(),
            documents: vec![NewDocument {
                id: "guide".into(),
                title: "Guide".into(),
                ..NewDocument::default()
            }],
            mappings: vec![
                m,
                NewMapping::new(key("uk-cop-2018", None), key("guide", None)),
            ],
            ..Imported::default()
        };
        let files = files(&imported, "# h\n");
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["xwalk.toml", "from-uk-cop-2018.xwalk", "guide.xwalk"]
        );
        assert_eq!(files[0].text, "# h\n[workspace]\nname = \"w\"\n");
        assert_eq!(
            files[2].text,
            "# h\n\ndocument guide {\n  title \"Guide\"\n}\n\nmap guide:\"1 a\" -> uk-cop-2018:1 {\n  relation subset-of\n  excerpt \"Say \\\"no\\\"\"\n  strength 7\n}\n"
        );
        assert_eq!(files[1].text, "# h\n\nmap uk-cop-2018 -> guide\n");
    }

    #[test]
    fn known_ids_take_the_catalog_spelling() {
        let ws = known();
        assert_eq!(known_id(&ws, "etsi-en-303-645", "5.1-1"), "5.1-1");
        assert_eq!(known_id(&ws, "nope", "A.1"), "A.1");
        assert_eq!(rationale(" Semantic "), Some("semantic".into()));
        assert_eq!(rationale("vibes"), None);
    }
}
