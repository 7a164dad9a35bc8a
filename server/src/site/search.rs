//! Search without a server: a prebuilt index of every document of the site
//! (title, id, organisation), the sections mappings start from, every
//! provision and clause (of the target standards and of the source
//! catalogs, with their text) and every excerpt, in
//! `assets/search-index.js` (JSON assigned to a global so that it loads
//! from `file://` too, where `fetch` cannot), and a small dependency-free
//! script that filters it.
//!
//! The index is compact: each page is listed once, with its title, and
//! an entry is `[kind, label, text, page, fragment]` with the kind and the
//! page as numbers; an excerpt quoted by several mappings of one section
//! is indexed once.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde::Serialize;

use super::Site;
use super::document::{mapping_anchor, provision_anchor, rows_by_document, section_anchor};

/// The kinds of entries, in the order results of equal rank are listed.
pub const KINDS: [&str; 6] = [
    "document",
    "standard",
    "section",
    "provision",
    "clause",
    "excerpt",
];

/// One entry: its kind (an index into [`KINDS`]), label, more text to
/// match, page and fragment (empty for the top of the page).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub kind: usize,
    pub label: String,
    pub detail: String,
    pub url: String,
    pub fragment: String,
}

fn kind(name: &str) -> usize {
    KINDS.iter().position(|k| *k == name).expect("a known kind")
}

/// Every entry, sorted by kind, then label.
pub fn entries(site: &Site) -> Vec<Entry> {
    let mut out = BTreeSet::new();
    let mut add = |k: &str, label: String, detail: String, url: String, fragment: String| {
        out.insert(Entry {
            kind: kind(k),
            label,
            detail,
            url,
            fragment,
        });
    };
    // Every document with a page: its title, id and organisation; a target
    // standard's own page too.
    for id in &site.documents {
        let doc = site.document(id);
        let detail = format!(
            "{id} {}",
            doc.and_then(|d| d.publisher.as_deref()).unwrap_or("")
        )
        .trim()
        .to_string();
        for (k, url) in [
            ("document", site.doc_path(id)),
            ("standard", site.target_index(id)),
        ] {
            if let Some(url) = url {
                add(k, site.title(id), detail.clone(), url, String::new());
            }
        }
    }
    // The sections mappings start from, and each distinct excerpt of each.
    for (doc, rows) in rows_by_document(site) {
        let url = site.doc_path(doc).expect("a source has a page");
        let mut excerpts: BTreeSet<(Option<&str>, &str)> = BTreeSet::new();
        for (i, r) in rows.iter().enumerate() {
            let section = r.source().id.as_deref();
            if let Some(s) = section {
                add(
                    "section",
                    s.to_string(),
                    String::new(),
                    url.clone(),
                    section_anchor(Some(s)),
                );
            }
            if let Some(text) = r.excerpt
                && excerpts.insert((section, text))
            {
                add(
                    "excerpt",
                    section.unwrap_or("(whole document)").to_string(),
                    text.split_whitespace().collect::<Vec<_>>().join(" "),
                    url.clone(),
                    mapping_anchor(i + 1),
                );
            }
        }
    }
    // Provisions and clauses: of a target, its own pages; of a document
    // with a page (a source catalog), the list on that page.
    for id in &site.documents {
        let Some(doc) = site.document(id) else {
            continue;
        };
        let own = site.doc_path(id);
        for p in &doc.provisions {
            let (url, fragment) = match (site.target_path(id, &p.id), &own) {
                (Some(url), _) => (url, String::new()),
                (None, Some(page)) => (page.clone(), provision_anchor(&p.id)),
                (None, None) => continue,
            };
            let text = [p.title.as_deref(), p.text.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            add(
                "provision",
                format!("{id}:{}", p.id),
                text.split_whitespace().collect::<Vec<_>>().join(" "),
                url,
                fragment,
            );
        }
        for c in &doc.clauses {
            if let Some(url) = site.target_path(id, &c.id) {
                add(
                    "clause",
                    format!("{id}:{}", c.id),
                    c.title.clone().unwrap_or_default(),
                    url,
                    String::new(),
                );
            }
        }
    }
    out.into_iter().collect()
}

#[derive(Serialize)]
struct Index<'a> {
    kinds: [&'static str; 6],
    /// Every page results link to: path and title.
    pages: Vec<(&'a str, String)>,
    /// `[kind, label, text, page, fragment]`.
    entries: Vec<(usize, &'a str, &'a str, usize, &'a str)>,
}

/// The title shown beside the results of each page: its document's.
fn page_titles(site: &Site) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for t in &site.targets {
        let Some(doc) = site.document(t) else {
            continue;
        };
        let title = site.title(t);
        let ids = doc.provisions.iter().map(|p| &p.id);
        for id in ids.chain(doc.clauses.iter().map(|c| &c.id)) {
            if let Some(url) = site.target_path(t, id) {
                out.insert(url, title.clone());
            }
        }
    }
    for d in &site.documents {
        for url in [site.doc_path(d), site.target_index(d)]
            .into_iter()
            .flatten()
        {
            out.insert(url, site.title(d));
        }
    }
    out
}

/// `assets/search-index.js`.
pub fn index(site: &Site) -> String {
    let entries = entries(site);
    let mut pages: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &entries {
        let n = pages.len();
        pages.entry(e.url.as_str()).or_insert(n);
    }
    let titles = page_titles(site);
    let mut list: Vec<(&str, String)> = vec![("", String::new()); pages.len()];
    for (url, &n) in &pages {
        list[n] = (url, titles.get(*url).cloned().unwrap_or_default());
    }
    let index = Index {
        kinds: KINDS,
        pages: list,
        entries: entries
            .iter()
            .map(|e| {
                (
                    e.kind,
                    e.label.as_str(),
                    e.detail.as_str(),
                    pages[e.url.as_str()],
                    e.fragment.as_str(),
                )
            })
            .collect(),
    };
    let json = serde_json::to_string(&index).expect("strings serialise");
    // `</` cannot end a script here, but keep the file safe to inline.
    format!("window.XWALK_INDEX = {};\n", json.replace("</", "<\\/"))
}

pub fn page(site: &Site) -> String {
    let mut b = String::new();
    let _ = write!(
        b,
        "<p class=\"lead\">Documents, the sections their mappings start from, the provisions of \
         every catalog and the excerpts of the mappings. Type part of an id, a title, an \
         organisation or words of the text; every word must match.</p>\n\
         <form class=\"search-page\" action=\"search.html\" method=\"get\" role=\"search\">\n\
         <label for=\"search-query\">Search</label>\n\
         <input id=\"search-query\" name=\"q\" type=\"search\" autocomplete=\"off\">\n\
         <button type=\"submit\">Search</button>\n</form>\n\
         <p id=\"search-status\" role=\"status\" aria-live=\"polite\"></p>\n\
         <ol id=\"search-results\" class=\"results\"></ol>\n\
         <noscript><p>The search needs JavaScript. The <a href=\"documents.html\">list of documents</a> \
         and the <a href=\"index.html#targets\">target standards</a> work without it.</p></noscript>\n"
    );
    super::html::page(site, "search.html", "Search", "", &b)
}

/// `assets/search.js`: no dependencies, no network.
pub const SCRIPT: &str = include_str!("search.js");
