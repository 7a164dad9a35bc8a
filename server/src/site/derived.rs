//! The derived links of the site: where each source document's mappings
//! land in the current edition of EN 303 645 and in the PSTI Regulations
//! ([`crate::chains::LANDING`]), found by following chains
//! (docs/chains.md), shown on the document's page in a table of their own,
//! marked and explained as derived, never mixed with the curated mappings.
//! Derived maps written into the workspace (`derived` field) are marked in
//! the mapping table too (`document.rs`).

use std::fmt::Write;

use super::Site;
use super::html::{esc, plural, scroll_table};
use crate::chains::{self, DerivedMapping, render};
use crate::model::{FileId, Workspace};

/// Every derived mapping of the published files onto each landing
/// document, at most [`chains::DEFAULT_MAX_HOPS`] links.
pub fn all(ws: &Workspace, files: &[FileId]) -> Vec<DerivedMapping> {
    chains::LANDING
        .iter()
        .filter(|onto| ws.index.document(onto).is_some())
        .flat_map(|onto| chains::derive(ws, files, None, onto, chains::DEFAULT_MAX_HOPS).mappings)
        .collect()
}

/// The "Derived links" section of a source document's page; empty when
/// none of its mappings lands anywhere.
pub fn section(site: &Site, path: &str, id: &str) -> String {
    let rows: Vec<&DerivedMapping> = site.derived.iter().filter(|m| m.source.0 == id).collect();
    if rows.is_empty() {
        return String::new();
    }
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h2 id=\"derived\">Derived links: EN 303 645 V3.1.3 and PSTI</h2>\n\
         <p class=\"derived-note\"><span class=\"derived-mark\">derived</span> {} of this \
         document's sections onto {}: <strong>not curated</strong>. Each follows the curated \
         mappings and the built-in correspondences (CoP guideline N and EN 303 645 clause 5.N, \
         PSTI Schedule 2, each V3.1.3 provision's <code>replaces</code>), at most {} links, and \
         its relation is theirs composed by set theory; <em>undetermined</em> when a link on \
         the way says only <code>related</code>. The chain column shows every step.</p>",
        plural(rows.len(), "link", "links"),
        chains::LANDING
            .iter()
            .map(|d| format!("<code>{}</code>", esc(d)))
            .collect::<Vec<_>>()
            .join(" and "),
        chains::DEFAULT_MAX_HOPS
    );
    let mut t = String::from(
        "<table class=\"mappings derived\">\n<caption>Derived links of this document (not curated)</caption>\n<thead><tr>\
         <th scope=\"col\">Section</th><th scope=\"col\">Lands in</th><th scope=\"col\">Relation</th>\
         <th scope=\"col\">Chain</th></tr></thead>\n<tbody>\n",
    );
    for m in rows {
        let target = site.link(
            path,
            site.target_path(&m.target.0, &m.target.1),
            &chains::plain(&m.target),
        );
        let _ = writeln!(
            t,
            "<tr class=\"derived\"><th scope=\"row\">{}</th><td>{target}</td>\
             <td><span class=\"rel {}\">{}</span> <span class=\"derived-mark\">derived</span></td>\
             <td class=\"text\">{}</td></tr>",
            esc(&m.source.1),
            super::relation_class(m.relation.field_value()),
            esc(m.relation.as_str()),
            esc(&render::chain_text(&m.chain, &m.links)),
        );
    }
    t.push_str("</tbody>\n</table>\n");
    b.push_str(&scroll_table("Derived links", &t));
    b
}
