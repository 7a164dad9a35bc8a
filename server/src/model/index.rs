//! The index: every document declaration, the provisions and clauses of each
//! effective document, the `replaces` links between editions, and every
//! source → target mapping pair.

// FxHash: the index and the duplicate checks hash 100,000s of short keys;
// SipHash's DoS resistance buys nothing here.
use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;

use super::FileId;
use super::schema::DEFAULT_RELATION;
use crate::syntax::{Clause, Document, Endpoint, Field, Provision, TextRange, Value};

/// Where a document is declared: file and position in that file's AST.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocDecl {
    pub file: FileId,
    pub index: usize,
}

/// A document as the rest of the workspace sees it.
#[derive(Clone, Debug)]
pub struct DocumentInfo {
    pub id: String,
    pub decl: DocDecl,
    pub id_range: TextRange,
    pub title: Option<String>,
    pub version: Option<String>,
    pub publisher: Option<String>,
    pub provisions: Vec<ProvisionInfo>,
    pub clauses: Vec<ClauseInfo>,
    provision_ids: HashMap<String, usize>,
    clause_ids: HashMap<String, usize>,
}

impl DocumentInfo {
    /// A document with at least one provision is catalogued: references
    /// into it must resolve.
    pub fn is_catalogued(&self) -> bool {
        !self.provisions.is_empty()
    }

    pub fn provision(&self, id: &str) -> Option<&ProvisionInfo> {
        self.provision_ids.get(id).map(|&i| &self.provisions[i])
    }

    pub fn clause(&self, id: &str) -> Option<&ClauseInfo> {
        self.clause_ids.get(id).map(|&i| &self.clauses[i])
    }

    /// The title of a provision or clause: its own, or for a provision
    /// without one (as in EN 303 645) the title of the clause holding it.
    pub fn title_of(&self, id: &str) -> Option<&str> {
        match self.provision(id) {
            Some(p) => p.title.as_deref().or_else(|| {
                p.clause
                    .as_deref()
                    .and_then(|c| self.clause(c))
                    .and_then(|c| c.title.as_deref())
            }),
            None => self.clause(id).and_then(|c| c.title.as_deref()),
        }
    }

    /// Is `clause` the clause `inner` or one holding it?
    pub fn clause_holds(&self, clause: &str, inner: &str) -> bool {
        let mut at = Some(inner);
        // Bounded: a malformed document could declare a clause id twice.
        for _ in 0..=self.clauses.len() {
            match at {
                Some(c) if c == clause => return true,
                Some(c) => at = self.clause(c).and_then(|c| c.parent.as_deref()),
                None => return false,
            }
        }
        false
    }

    /// Does `id` name a provision or a clause of this document?
    pub fn resolves(&self, id: &str) -> bool {
        self.provision_ids.contains_key(id) || self.clause_ids.contains_key(id)
    }

    /// Label for messages: `id` with its title and version.
    pub fn describe(&self) -> String {
        match (&self.title, &self.version) {
            (Some(t), Some(v)) => format!("{} ({t}, {v})", self.id),
            (Some(t), None) => format!("{} ({t})", self.id),
            _ => self.id.clone(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct ProvisionInfo {
    pub id: String,
    pub file: FileId,
    pub id_range: TextRange,
    pub range: TextRange,
    /// The innermost clause holding the provision.
    pub clause: Option<String>,
    pub title: Option<String>,
    pub text: Option<String>,
    pub status: Option<String>,
    /// The `condition` texts, in order.
    pub conditions: Vec<String>,
    /// `replaces DOC:ID` links, as written.
    pub replaces: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct ClauseInfo {
    pub id: String,
    pub file: FileId,
    pub id_range: TextRange,
    pub title: Option<String>,
    /// The clause holding this one, if any.
    pub parent: Option<String>,
}

/// A document-and-id pair naming a mapping endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EndpointKey {
    pub document: String,
    pub id: Option<String>,
}

impl EndpointKey {
    pub fn of(endpoint: &Endpoint) -> EndpointKey {
        EndpointKey {
            document: endpoint.document().text.to_string(),
            id: endpoint.id().map(|n| n.text.to_string()),
        }
    }
}

impl std::fmt::Display for EndpointKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.id {
            None => f.write_str(&self.document),
            Some(id) if is_bare(id) => write!(f, "{}:{id}", self.document),
            Some(id) => write!(
                f,
                "{}:{}",
                self.document,
                crate::syntax::strings::encode_quoted(id)
            ),
        }
    }
}

/// Can `id` be written without quotes? (The lexical rule, re-exported.)
pub use crate::syntax::lexical::is_bare;

/// One source → target pair of a `map` block (the file it is in is given
/// alongside: see `Workspace::mappings`).
#[derive(Clone, Debug)]
pub struct Mapping {
    /// Index of the `map` in its file's AST.
    pub map: usize,
    /// Index of the target within the map.
    pub target: usize,
    pub source: EndpointKey,
    pub target_key: EndpointKey,
    /// The effective relation (`related` when none is given).
    pub relation: String,
    /// Derived (the `map` has a `derived` field: a chain `xwalk derive`
    /// wrote), not curated.
    pub derived: bool,
}

/// The mappings of one file. Computed once per parsed file, on first use
/// (see `SourceFile::mappings`), so that a workspace rebuilt after an edit
/// only computes those of the edited file.
#[derive(Default)]
pub struct FileMappings {
    /// Every source → target pair of the file, in source order.
    pub list: Vec<Mapping>,
}

/// Is the `map` derived (it has a `derived` field, the chain `xwalk derive`
/// wrote) rather than curated?
pub fn is_derived(map: &crate::syntax::Map) -> bool {
    map.fields.iter().any(|f| f.name.text == "derived")
}

/// A hash of a mapping endpoint, `DOC` or `DOC:ID`.
pub fn endpoint_hash(document: &str, id: Option<&str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    (document, id).hash(&mut h);
    h.finish()
}

/// Where a file maps each target: `(hash of the target, map, target)`,
/// sorted. Small (16 bytes a pair) and kept for every file, so that the
/// editor's "mapped by N sources" needs no table of the whole workspace.
pub fn target_table(ast: &crate::syntax::SourceFile) -> Box<[(u64, u32, u32)]> {
    let mut table: Vec<(u64, u32, u32)> = ast
        .maps
        .iter()
        .enumerate()
        .flat_map(|(m, map)| {
            map.targets.iter().enumerate().map(move |(t, target)| {
                let (document, id) = target.key();
                (endpoint_hash(document, id), m as u32, t as u32)
            })
        })
        .collect();
    table.sort_unstable();
    table.into_boxed_slice()
}

impl FileMappings {
    pub fn of(ast: &crate::syntax::SourceFile) -> FileMappings {
        let mut list = Vec::new();
        for (m, map) in ast.maps.iter().enumerate() {
            let relation = field_text(&map.fields, "relation")
                .unwrap_or(DEFAULT_RELATION)
                .to_string();
            let source = EndpointKey::of(&map.source);
            let derived = is_derived(map);
            for (t, target) in map.targets.iter().enumerate() {
                list.push(Mapping {
                    map: m,
                    target: t,
                    source: source.clone(),
                    target_key: EndpointKey::of(target),
                    relation: relation.clone(),
                    derived,
                });
            }
        }
        FileMappings { list }
    }
}

/// The documents of a workspace: what references resolve against. Shared
/// between the workspaces built after edits that declare nothing new.
#[derive(Default)]
pub struct Index {
    /// Every non-replaced declaration of each document id, in file order.
    pub declarations: HashMap<String, Vec<DocDecl>>,
    /// The effective document of each id (its first declaration).
    pub documents: HashMap<String, DocumentInfo>,
    /// `(doc, id)` → the provisions of newer editions that replace it.
    pub replaced_by: HashMap<(String, String), Vec<(String, String)>>,
    /// The documents of the keys of `replaced_by`.
    replaced_documents: rustc_hash::FxHashSet<String>,
    /// A hash of what was declared (ids, fields, provisions; not where):
    /// diagnostics that depend on the declarations only stay valid while
    /// it does not change.
    pub content_hash: u64,
}

/// The string value of the first field called `name`, if it is a string.
pub fn field_text<'a>(fields: &'a [Field], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|f| f.name.text == name)
        .and_then(|f| match f.values.first() {
            Some(Value::String(s)) => Some(s.value.as_str()),
            Some(Value::Word(w)) => Some(w.text.as_str()),
            _ => None,
        })
}

impl Index {
    pub fn build(files: &super::Files) -> Index {
        let mut index = Index::default();
        for (i, file) in files.iter().enumerate() {
            for (d, doc) in file.parse.ast.documents.iter().enumerate() {
                index
                    .declarations
                    .entry(doc.id.text.to_string())
                    .or_default()
                    .push(DocDecl {
                        file: FileId(i as u32),
                        index: d,
                    });
            }
        }
        // A workspace declaration replaces the built-in one with the same id.
        for decls in index.declarations.values_mut() {
            if decls.iter().any(|d| !files[d.file.0 as usize].is_builtin()) {
                decls.retain(|d| !files[d.file.0 as usize].is_builtin());
            }
        }
        // Read in parallel (a large workspace declares 10,000s of
        // documents), inserted in the order they always were.
        let declarations: Vec<(&String, &Vec<DocDecl>)> = index.declarations.iter().collect();
        let infos: Vec<DocumentInfo> = declarations
            .par_iter()
            .map(|(_, decls)| {
                let decl = decls[0];
                let doc = &files[decl.file.0 as usize].parse.ast.documents[decl.index];
                document_info(decl, doc)
            })
            .collect();
        for ((id, _), info) in declarations.into_iter().zip(infos) {
            index.documents.insert(id.clone(), info);
        }
        for doc in index.documents.values() {
            for p in &doc.provisions {
                for (d, id) in &p.replaces {
                    index
                        .replaced_by
                        .entry((d.clone(), id.clone()))
                        .or_default()
                        .push((doc.id.clone(), p.id.clone()));
                }
            }
        }
        for list in index.replaced_by.values_mut() {
            list.sort();
        }
        index.replaced_documents = index.replaced_by.keys().map(|k| k.0.clone()).collect();
        // Each file's hash is derived on first use: in parallel.
        (0..files.len()).into_par_iter().for_each(|i| {
            files[i].declarations_hash(false);
        });
        index.content_hash = declarations_hash(files, false);
        index
    }

    pub fn document(&self, id: &str) -> Option<&DocumentInfo> {
        self.documents.get(id)
    }

    /// Does a newer edition replace some provision of `document`?
    pub fn has_replaced(&self, document: &str) -> bool {
        self.replaced_documents.contains(document)
    }

    /// The organisation behind a document: its publisher, else its id.
    pub fn organisation<'a>(&'a self, document: &'a str) -> &'a str {
        self.document(document)
            .and_then(|d| d.publisher.as_deref())
            .unwrap_or(document)
    }
}

/// A hash of the `document` blocks of `files`, in order: of their text
/// only, or (`positions`) of their text and where it is. Two workspaces
/// with the same positional hash have the same index.
pub fn declarations_hash(files: &super::Files, positions: bool) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    for file in files {
        file.declarations_hash(positions).hash(&mut h);
    }
    h.finish()
}

fn document_info(decl: DocDecl, doc: &Document) -> DocumentInfo {
    let mut info = DocumentInfo {
        id: doc.id.text.to_string(),
        decl,
        id_range: doc.id.range(),
        title: field_text(&doc.fields, "title").map(str::to_string),
        version: field_text(&doc.fields, "version").map(str::to_string),
        publisher: field_text(&doc.fields, "publisher").map(str::to_string),
        provisions: Vec::new(),
        clauses: Vec::new(),
        provision_ids: HashMap::default(),
        clause_ids: HashMap::default(),
    };
    collect(&mut info, decl.file, None, &doc.clauses, &doc.provisions);
    // Keep provisions and clauses in source order.
    info.provisions.sort_by_key(|p| p.range.start);
    info.clauses.sort_by_key(|c| c.id_range.start);
    info.provision_ids.clear();
    for (i, p) in info.provisions.iter().enumerate() {
        info.provision_ids.entry(p.id.clone()).or_insert(i);
    }
    info.clause_ids.clear();
    for (i, c) in info.clauses.iter().enumerate() {
        info.clause_ids.entry(c.id.clone()).or_insert(i);
    }
    info
}

fn collect(
    info: &mut DocumentInfo,
    file: FileId,
    clause: Option<&str>,
    clauses: &[Clause],
    provisions: &[Provision],
) {
    for p in provisions {
        let replaces = p
            .fields
            .iter()
            .filter(|f| f.name.text == "replaces")
            .flat_map(|f| &f.values)
            .filter_map(|v| match v {
                Value::Reference(r) => Some((r.document.text.to_string(), r.id.text.to_string())),
                _ => None,
            })
            .collect();
        info.provisions.push(ProvisionInfo {
            id: p.id.text.to_string(),
            file,
            id_range: p.id.range(),
            range: p.range.clone(),
            clause: clause.map(str::to_string),
            title: p.title.as_ref().map(|t| t.value.to_string()),
            text: field_text(&p.fields, "text").map(str::to_string),
            status: field_text(&p.fields, "status").map(str::to_string),
            conditions: p
                .fields
                .iter()
                .filter(|f| f.name.text == "condition")
                .flat_map(|f| &f.values)
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.value.to_string()),
                    _ => None,
                })
                .collect(),
            replaces,
        });
    }
    for c in clauses {
        info.clauses.push(ClauseInfo {
            id: c.id.text.to_string(),
            file,
            id_range: c.id.range(),
            title: c.title.as_ref().map(|t| t.value.to_string()),
            parent: clause.map(str::to_string),
        });
        collect(info, file, Some(&c.id.text), &c.clauses, &c.provisions);
    }
}
