//! The published site (`xwalk site`): a static visual mapping of a
//! workspace with its open-data downloads.
//!
//! Pure: the model and the statistics in, the site's files (paths and
//! bytes) out, sorted by path. Building twice gives the same bytes; the
//! only date is `Options::date` (the CLI takes it from
//! `SOURCE_DATE_EPOCH`). The pages (docs/site.md):
//!
//! | file | what |
//! |---|---|
//! | `home.rs` | `index.html`: counts, target standards, the source × target matrix, consensus, gaps; `documents.html` |
//! | `document.rs` | `doc/ID.html`: one per document that is not only a target, its cites and cited by, the visual mapping (SVG curves, or a matrix when large) and its mappings, a catalog's provisions |
//! | `target.rs` | `target/DOC/…`: one per target document, clause and provision |
//! | `citations.rs` | `citations.html`: the `cites`/`supersedes` graph (layered SVG layout) |
//! | `downloads.rs` | `downloads.html` and `data/`: the exports of `interop`, the changelog |
//! | `search.rs` | `search.html` and the prebuilt index (`assets/search-index.js`): every document, section, provision and excerpt |
//!
//! Static HTML, CSS and inline SVG; one small script for the search. No
//! network requests: everything is relative, so the site works from
//! `file://` and from any static host.

mod citations;
mod derived;
mod document;
mod downloads;
mod home;
pub mod html;
mod search;
mod target;

use std::collections::{BTreeMap, BTreeSet};

use crate::interop::{Export, MappingRow};
use crate::model::index::DocumentInfo;
use crate::model::{FileId, Workspace};
use crate::stats::{self, Stats, views};

use html::slug;

/// The file that marks a folder as written by `xwalk site` (so that a
/// later build may replace it).
pub const MARKER: &str = ".xwalk-site";

/// One file of the site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteFile {
    /// Relative, with `/`.
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Seconds since the epoch to print as the build date and to use as
    /// the OSCAL `last-modified`; `None` prints no date (and OSCAL gets
    /// 1970-01-01T00:00:00Z).
    pub date: Option<u64>,
}

/// One downloadable export.
pub struct Download {
    pub label: &'static str,
    pub file: String,
    pub description: &'static str,
    pub bytes: Vec<u8>,
}

/// Everything the pages share.
pub struct Site<'a> {
    pub ws: &'a Workspace,
    pub export: Export<'a>,
    pub rows: Vec<MappingRow<'a>>,
    pub stats: Stats,
    pub matrix: views::Matrix,
    pub consensus: Vec<views::Consensus>,
    pub changelog: Vec<views::Added>,
    /// The site's name: the dataset's title, else the workspace's name.
    pub name: String,
    pub built: Option<String>,
    pub copyright: Option<String>,
    pub downloads: Vec<Download>,
    /// Source documents (every source of a mapping), by id.
    pub sources: BTreeSet<&'a str>,
    /// Documents with a page of their own (`doc/ID.html`): the sources,
    /// and every other document of the site that is not a target (the
    /// dataset document, publications that only cite, catalogs that no
    /// mapping uses).
    pub pages: BTreeSet<&'a str>,
    /// Target documents with pages (those of `stats.targets`).
    pub targets: BTreeSet<String>,
    /// The documents of the site: those declared in the published files,
    /// those the mappings name, and the targets.
    pub documents: BTreeSet<&'a str>,
    /// Every `cites` and `supersedes` link of those documents, sorted.
    pub edges: Vec<citations::Edge>,
    /// Where the mappings land in [`crate::chains::LANDING`], derived
    /// (see `derived.rs`).
    pub derived: Vec<crate::chains::DerivedMapping>,
}

impl<'a> Site<'a> {
    pub fn document(&self, id: &str) -> Option<&'a DocumentInfo> {
        self.ws.index.document(id)
    }

    /// The title of a document, else its id.
    pub fn title(&self, id: &str) -> String {
        self.document(id)
            .and_then(|d| d.title.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// The page of a document that has one (not a target's: see
    /// `target_index`).
    pub fn doc_path(&self, id: &str) -> Option<String> {
        self.pages
            .contains(id)
            .then(|| format!("doc/{}.html", slug(id)))
    }

    /// The page that presents a document: its own, else its target index.
    pub fn any_path(&self, id: &str) -> Option<String> {
        self.doc_path(id).or_else(|| self.target_index(id))
    }

    /// The page of a target document's clause or provision.
    pub fn target_path(&self, document: &str, id: &str) -> Option<String> {
        if !self.targets.contains(document) {
            return None;
        }
        let doc = self.document(document)?;
        if doc.provision(id).is_some() {
            Some(format!("target/{}/{}.html", slug(document), slug(id)))
        } else if doc.clause(id).is_some() {
            Some(format!(
                "target/{}/clause-{}.html",
                slug(document),
                slug(id)
            ))
        } else {
            None
        }
    }

    /// The index page of a target document.
    pub fn target_index(&self, document: &str) -> Option<String> {
        self.targets
            .contains(document)
            .then(|| format!("target/{}/index.html", slug(document)))
    }

    /// A link (relative to the page at `from`) to `to`, or plain text.
    pub fn link(&self, from: &str, to: Option<String>, text: &str) -> String {
        match to {
            Some(to) => format!(
                "<a href=\"{}{to}\">{}</a>",
                html::root(from),
                html::esc(text)
            ),
            None => html::esc(text),
        }
    }
}

/// The CSS class of a relation (one colour and dash pattern each).
pub fn relation_class(relation: &str) -> &'static str {
    match relation {
        "equal-to" => "rel-equal",
        "equivalent-to" => "rel-equivalent",
        "subset-of" => "rel-subset",
        "superset-of" => "rel-superset",
        "intersects-with" => "rel-intersects",
        "no-relationship" => "rel-none",
        _ => "rel-related",
    }
}

/// `YYYY-MM-DD` of a Unix time.
fn date(secs: u64) -> String {
    crate::interop::oscal::rfc3339(secs)[..10].to_string()
}

/// Builds the site of the mappings of `files` (normally the requested
/// files of a load): every file, sorted by path.
pub fn build(ws: &Workspace, files: &[FileId], options: &Options) -> Vec<SiteFile> {
    let export = Export::new(ws, files.iter().copied());
    let rows = export.rows();
    let stats = stats::compute(ws, Some(files));
    let matrix = views::matrix(ws, &stats);
    let consensus = views::consensus(&stats);
    let changelog = views::changelog(ws, Some(files));
    let dataset = export.dataset();
    let name = dataset
        .and_then(|d| d.title.clone())
        .or_else(|| export.workspace_name())
        .unwrap_or_else(|| "Crosswalk mappings".into());
    let copyright =
        dataset.and_then(|d| export.document_text(&d.id, "copyright").map(str::to_string));
    let sources: BTreeSet<&str> = rows.iter().map(|r| r.source().document.as_str()).collect();
    let targets: BTreeSet<String> = stats.targets.iter().map(|t| t.id.clone()).collect();
    let mut documents: BTreeSet<&str> = export
        .documents(&rows)
        .into_iter()
        .map(|d| d.id.as_str())
        .collect();
    documents.extend(
        targets
            .iter()
            .filter_map(|t| ws.index.document(t).map(|d| d.id.as_str())),
    );
    let pages: BTreeSet<&str> = documents
        .iter()
        .copied()
        .filter(|d| sources.contains(d) || !targets.contains(*d))
        .collect();
    let edges = citations::edges(&export, &documents);
    let downloads = downloads::exports(&export, options.date.unwrap_or(0));
    let site = Site {
        ws,
        export,
        rows,
        stats,
        matrix,
        consensus,
        changelog,
        name,
        built: options.date.map(date),
        copyright,
        downloads,
        sources,
        pages,
        targets,
        documents,
        edges,
        derived: derived::all(ws, files),
    };

    let mut out: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut add = |path: String, text: String| {
        out.insert(path, text.into_bytes());
    };
    add("index.html".into(), home::home(&site));
    add("documents.html".into(), home::documents(&site));
    for (path, text) in document::pages(&site) {
        add(path, text);
    }
    for (path, text) in target::pages(&site) {
        add(path, text);
    }
    add("citations.html".into(), citations::page(&site));
    add("downloads.html".into(), downloads::page(&site));
    add("search.html".into(), search::page(&site));
    add("assets/search-index.js".into(), search::index(&site));
    add("assets/search.js".into(), search::SCRIPT.into());
    add("assets/style.css".into(), STYLE.into());
    add(
        MARKER.into(),
        "This folder was written by `xwalk site`; the next build replaces it whole.\n".into(),
    );
    for d in &site.downloads {
        out.insert(format!("data/{}", d.file), d.bytes.clone());
    }
    out.into_iter()
        .map(|(path, bytes)| SiteFile { path, bytes })
        .collect()
}

const STYLE: &str = include_str!("style.css");

#[cfg(test)]
mod tests;
