//! Search without a server: a prebuilt index of documents, source
//! sections and target provisions (`assets/search-index.js`, JSON assigned
//! to a global so that it loads from `file://` too, where `fetch` cannot),
//! and a small dependency-free script that filters it.

use std::collections::BTreeSet;
use std::fmt::Write;

use serde::Serialize;

use super::Site;
use super::document::section_anchor;
use super::html::truncate;

/// One entry: what it is, its label, more text to match, its page.
#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub kind: &'static str,
    pub label: String,
    pub detail: String,
    pub url: String,
}

pub fn entries(site: &Site) -> Vec<Entry> {
    let mut out = BTreeSet::new();
    for id in &site.sources {
        let doc = site.document(id);
        out.insert(Entry {
            kind: "document",
            label: site.title(id),
            detail: format!(
                "{id} {}",
                doc.and_then(|d| d.publisher.as_deref()).unwrap_or("")
            )
            .trim()
            .to_string(),
            url: site.doc_path(id).expect("a source"),
        });
    }
    for r in &site.rows {
        let Some(section) = r.source().id.as_deref() else {
            continue;
        };
        let doc = &r.source().document;
        out.insert(Entry {
            kind: "section",
            label: section.to_string(),
            detail: format!("{} ({doc})", truncate(&site.title(doc), 80)),
            url: format!(
                "{}#{}",
                site.doc_path(doc).expect("a source"),
                section_anchor(Some(section))
            ),
        });
    }
    for t in &site.targets {
        let Some(doc) = site.document(t) else {
            continue;
        };
        out.insert(Entry {
            kind: "standard",
            label: site.title(t),
            detail: t.clone(),
            url: site.target_index(t).expect("a target"),
        });
        for p in &doc.provisions {
            if let Some(url) = site.target_path(t, &p.id) {
                let text = p.title.as_deref().or(p.text.as_deref()).unwrap_or("");
                out.insert(Entry {
                    kind: "provision",
                    label: format!("{t}:{}", p.id),
                    detail: truncate(text, 120),
                    url,
                });
            }
        }
        for c in &doc.clauses {
            if let Some(url) = site.target_path(t, &c.id) {
                out.insert(Entry {
                    kind: "clause",
                    label: format!("{t}:{}", c.id),
                    detail: c.title.clone().unwrap_or_default(),
                    url,
                });
            }
        }
    }
    out.into_iter().collect()
}

/// `assets/search-index.js`.
pub fn index(site: &Site) -> String {
    let json = serde_json::to_string(&entries(site)).expect("strings serialise");
    // `</` cannot end a script here, but keep the file safe to inline.
    format!("window.XWALK_INDEX = {};\n", json.replace("</", "<\\/"))
}

pub fn page(site: &Site) -> String {
    let mut b = String::new();
    let _ = write!(
        b,
        "<p class=\"lead\">Documents, their sections and the target provisions. Type part of \
         an id, a title or an organisation; every word must match.</p>\n\
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
