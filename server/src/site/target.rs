//! The target pages: one per target document (its provisions and their
//! coverage), clause and provision (its text and status, and every
//! recommendation mapped to it, grouped by organisation).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::document::section_anchor;
use super::html::{esc, esc_lines, page, plural, scroll_table, truncate};
use super::{Site, relation_class};
use crate::interop::MappingRow;
use crate::model::index::{DocumentInfo, ProvisionInfo};
use crate::model::wording::wording;

/// The document's title and edition (its `version`): the editions of one
/// standard often share a title (EN 303 645 V2.1.1 and V3.1.3).
pub fn edition(site: &Site, doc: &DocumentInfo) -> String {
    match &doc.version {
        Some(v) => format!("{}, {v}", site.title(&doc.id)),
        None => site.title(&doc.id),
    }
}

/// "N gaps", with how many are mandatory and recommended when the
/// provisions have a status.
pub fn gaps(target: &crate::stats::TargetDocument) -> String {
    let all = plural(target.gaps.len(), "gap", "gaps");
    if target.mandatory_gaps + target.recommended_gaps == 0 {
        all
    } else {
        format!(
            "{all} ({} mandatory, {} recommended)",
            target.mandatory_gaps, target.recommended_gaps
        )
    }
}

pub fn pages(site: &Site) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for target in &site.stats.targets {
        let Some(doc) = site.document(&target.id) else {
            continue;
        };
        out.push((
            site.target_index(&target.id).expect("a target"),
            index_page(site, doc, target),
        ));
        for c in &doc.clauses {
            if let Some(path) = site.target_path(&doc.id, &c.id) {
                if out.iter().any(|(p, _)| *p == path) {
                    continue; // a duplicate clause id
                }
                let text = clause_page(site, &path, doc, &c.id);
                out.push((path, text));
            }
        }
        for p in &target.provisions {
            if let Some(path) = site.target_path(&doc.id, &p.id) {
                let text = provision_page(site, &path, doc, p);
                out.push((path, text));
            }
        }
    }
    out
}

fn index_page(site: &Site, doc: &DocumentInfo, target: &crate::stats::TargetDocument) -> String {
    let path = site.target_index(&doc.id).expect("a target");
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<p class=\"lead\"><code>{}</code>{}{}: {} of {} covered, {}.</p>",
        esc(&doc.id),
        doc.publisher
            .as_deref()
            .map(|p| format!(", {}", esc(p)))
            .unwrap_or_default(),
        doc.version
            .as_deref()
            .map(|v| format!(", {}", esc(v)))
            .unwrap_or_default(),
        target.covered,
        plural(target.provisions.len(), "provision", "provisions"),
        gaps(target),
    );
    let cites = super::citations::meta(site, &path, &doc.id);
    if !cites.is_empty() {
        let _ = write!(b, "<dl class=\"meta\">\n{cites}</dl>\n");
    }
    let mut t = String::from(
        "<table class=\"list\">\n<caption>Provisions and their coverage</caption>\n<thead><tr><th scope=\"col\">Provision</th>\
         <th scope=\"col\">Clause</th><th scope=\"col\">Title or text</th><th scope=\"col\">Mappings</th>\
         <th scope=\"col\">Via clause</th><th scope=\"col\">Organisations</th></tr></thead>\n<tbody>\n",
    );
    for p in &target.provisions {
        let info = doc.provision(&p.id);
        let label = info
            .and_then(|i| title_or_words(&site.ws.index, i))
            .map(|t| truncate(&t, 100))
            .unwrap_or_default();
        let clause = p
            .clause
            .as_deref()
            .map(|c| site.link(&path, site.target_path(&doc.id, c), c))
            .unwrap_or_default();
        let _ = writeln!(
            t,
            "<tr{}><th scope=\"row\">{}</th><td>{clause}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            if p.is_gap() { " class=\"gap\"" } else { "" },
            site.link(&path, site.target_path(&doc.id, &p.id), &p.id),
            esc(&label),
            p.mappings,
            p.via_clause,
            if p.is_gap() {
                "gap".to_string()
            } else {
                p.organisations.len().to_string()
            },
        );
    }
    t.push_str("</tbody>\n</table>\n");
    b.push_str(&scroll_table("Provisions", &t));
    if site.sources.contains(doc.id.as_str()) {
        let _ = writeln!(
            b,
            "<p>This document also maps onto other documents: {}.</p>",
            site.link(&path, site.doc_path(&doc.id), "its visual mapping")
        );
    }
    page(site, &path, &edition(site, doc), "", &b)
}

/// The rows whose target is `doc:id`.
fn rows_to<'s, 'a>(site: &'s Site<'a>, doc: &str, id: &str) -> Vec<&'s MappingRow<'a>> {
    site.rows
        .iter()
        .filter(|r| r.target().document == doc && r.target().id.as_deref() == Some(id))
        .collect()
}

/// What a mapping's recommendation says: its excerpt, or else the text
/// (or the title) of the source provision it maps from.
fn recommendation<'a>(site: &Site<'a>, r: &MappingRow<'a>) -> Option<&'a str> {
    r.excerpt.or_else(|| {
        let source = r.source();
        let p = site
            .ws
            .index
            .document(&source.document)?
            .provision(source.id.as_deref()?)?;
        p.text.as_deref().or(p.title.as_deref())
    })
}

/// The mappings grouped by organisation: a heading per organisation, a
/// table of its recommendations.
fn by_organisation(
    site: &Site,
    path: &str,
    rows: &[&MappingRow],
    level: u8,
    context: &str,
) -> String {
    let mut groups: BTreeMap<&str, Vec<&MappingRow>> = BTreeMap::new();
    for r in rows {
        groups
            .entry(site.ws.index.organisation(&r.source().document))
            .or_default()
            .push(r);
    }
    let mut b = String::new();
    for (org, list) in groups {
        let _ = writeln!(
            b,
            "<h{level} class=\"org\">{} <small>({})</small></h{level}>",
            esc(org),
            plural(list.len(), "mapping", "mappings")
        );
        let mut t = String::from(
            "<table class=\"mappings\">\n<thead><tr><th scope=\"col\">Document</th><th scope=\"col\">Section</th>\
             <th scope=\"col\">Relation</th><th scope=\"col\">Recommendation</th><th scope=\"col\">Added at version</th></tr></thead>\n<tbody>\n",
        );
        for r in list {
            let d = &r.source().document;
            let section = r.source().id.as_deref();
            let section_link = site
                .doc_path(d)
                .map(|p| format!("{p}#{}", section_anchor(section)));
            let _ = writeln!(
                t,
                "<tr><td>{}</td><th scope=\"row\">{}</th><td><span class=\"rel {}\">{}</span></td><td class=\"text\">{}</td><td>{}</td></tr>",
                site.link(path, site.doc_path(d), &truncate(&site.title(d), 70)),
                site.link(path, section_link, section.unwrap_or("(whole document)")),
                relation_class(r.relation()),
                esc(r.relation()),
                recommendation(site, r).map(esc_lines).unwrap_or_default(),
                r.added.map(esc).unwrap_or_default(),
            );
        }
        t.push_str("</tbody>\n</table>\n");
        b.push_str(&scroll_table(&format!("Mappings from {org}{context}"), &t));
    }
    b
}

fn breadcrumb(site: &Site, path: &str, doc: &DocumentInfo, clause: Option<&str>) -> String {
    let mut parts = vec![site.link(path, site.target_index(&doc.id), &edition(site, doc))];
    if let Some(c) = clause {
        parts.push(site.link(path, site.target_path(&doc.id, c), &format!("clause {c}")));
    }
    format!(
        "<nav aria-label=\"Breadcrumb\" class=\"breadcrumb\"><ol>{}</ol></nav>\n",
        parts
            .iter()
            .map(|p| format!("<li>{p}</li>"))
            .collect::<String>()
    )
}

fn provision_page(
    site: &Site,
    path: &str,
    doc: &DocumentInfo,
    coverage: &crate::stats::ProvisionCoverage,
) -> String {
    let info = doc.provision(&coverage.id).expect("a provision");
    let title = match &info.title {
        Some(t) => format!("{}:{} {t}", doc.id, info.id),
        None => format!("{}:{}", doc.id, info.id),
    };
    let mut b = breadcrumb(site, path, doc, info.clause.as_deref());
    b.push_str("<dl class=\"meta\">\n");
    match wording(&site.ws.index, info) {
        Some(w) => {
            if let Some(label) = w.label() {
                let _ = writeln!(
                    b,
                    "<dt>Text</dt><dd>Not included in the catalog. The {}:</dd>",
                    esc(&label)
                );
            } else {
                b.push_str("<dt>Text</dt>");
            }
            let _ = writeln!(b, "<dd class=\"quote\">{}</dd>", esc_lines(w.text()));
        }
        None => b.push_str("<dt>Text</dt><dd>Not included in the catalog.</dd>\n"),
    }
    if let Some(status) = &info.status {
        let _ = writeln!(
            b,
            "<dt>Status</dt><dd><code>{}</code>: {} <small>({})</small></dd>",
            esc(status),
            esc(&crate::model::status::describe(status)),
            esc(crate::model::status::NOTATION),
        );
    }
    for c in &info.conditions {
        let _ = writeln!(b, "<dt>Condition</dt><dd>{}</dd>", esc(c));
    }
    let replaced: Vec<String> = site
        .ws
        .index
        .replaced_by
        .get(&(doc.id.clone(), info.id.clone()))
        .map(|l| l.iter().map(|(d, p)| format!("{d}:{p}")).collect())
        .unwrap_or_default();
    if !replaced.is_empty() {
        let _ = writeln!(
            b,
            "<dt>Replaced by</dt><dd>{}</dd>",
            esc(&replaced.join(", "))
        );
    }
    b.push_str("</dl>\n");
    let direct = rows_to(site, &doc.id, &info.id);
    let counted = direct
        .iter()
        .filter(|r| r.relation() != crate::stats::NO_RELATIONSHIP)
        .count();
    let _ = writeln!(
        b,
        "<h2 id=\"mapped\">Recommendations mapped to it</h2>\n<p>{} from {}{}.</p>",
        plural(counted, "mapping", "mappings"),
        plural(
            coverage.organisations.len(),
            "organisation",
            "organisations"
        ),
        if coverage.via_clause > 0 {
            format!(
                " (counting {} onto its clauses)",
                plural(coverage.via_clause, "mapping", "mappings")
            )
        } else {
            String::new()
        }
    );
    if direct.is_empty() && coverage.via_clause == 0 {
        b.push_str("<p class=\"callout\">A gap: no recommendation maps to this provision.</p>\n");
    }
    b.push_str(&by_organisation(site, path, &direct, 3, ""));
    // Through the clauses holding it.
    let mut clause = info.clause.clone();
    while let Some(c) = clause {
        let rows = rows_to(site, &doc.id, &c);
        if !rows.is_empty() {
            let _ = writeln!(
                b,
                "<h2 id=\"via-{}\">Through clause {}</h2>",
                super::html::slug(&c),
                site.link(path, site.target_path(&doc.id, &c), &c)
            );
            b.push_str(&by_organisation(
                site,
                path,
                &rows,
                3,
                &format!(", through clause {c}"),
            ));
        }
        clause = parent_clause(site, doc, &c);
    }
    page(site, path, &title, "", &b)
}

/// The clause holding clause `id`, if any.
fn parent_clause(site: &Site, doc: &DocumentInfo, id: &str) -> Option<String> {
    crate::stats::clause_parents(site.ws, doc)
        .get(id)
        .copied()
        .flatten()
        .map(str::to_string)
}

fn clause_page(site: &Site, path: &str, doc: &DocumentInfo, id: &str) -> String {
    let info = doc.clause(id).expect("a clause");
    let title = match &info.title {
        Some(t) => format!("{}:{} {t}", doc.id, id),
        None => format!("{}:{}", doc.id, id),
    };
    let mut b = breadcrumb(site, path, doc, parent_clause(site, doc, id).as_deref());
    let provisions: Vec<_> = doc
        .provisions
        .iter()
        .filter(|p| p.clause.as_deref() == Some(id))
        .collect();
    if !provisions.is_empty() {
        b.push_str("<h2 id=\"provisions\">Provisions</h2>\n<ul>\n");
        for p in provisions {
            let label = title_or_words(&site.ws.index, p)
                .map(|t| format!(" {}", esc(&truncate(&t, 110))))
                .unwrap_or_default();
            let _ = writeln!(
                b,
                "<li>{}{label}</li>",
                site.link(path, site.target_path(&doc.id, &p.id), &p.id)
            );
        }
        b.push_str("</ul>\n");
    }
    let rows = rows_to(site, &doc.id, id);
    let _ = writeln!(
        b,
        "<h2 id=\"mapped\">Recommendations mapped to the clause</h2>\n<p>{}; each covers every provision of the clause.</p>",
        plural(rows.len(), "mapping", "mappings")
    );
    b.push_str(&by_organisation(site, path, &rows, 3, ""));
    page(site, path, &title, "", &b)
}

/// A provision's title, else its words (the text it replaces marked with
/// that edition, "V2.1.1: …"), for lists.
fn title_or_words(index: &crate::model::index::Index, p: &ProvisionInfo) -> Option<String> {
    p.title
        .clone()
        .or_else(|| wording(index, p).map(|w| format!("{}{}", w.prefix(), w.text())))
}
