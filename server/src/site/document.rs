//! One page per source document: the visual mapping (source sections on
//! the left, target provisions on the right, one link per mapping,
//! coloured and dashed by relation), then the table of its mappings.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::html::{esc, esc_lines, page, plural, root, scroll_table, slug, truncate};
use super::{Site, relation_class};
use crate::interop::MappingRow;
use crate::model::index::EndpointKey;

/// The fragment id of a source section on its document's page.
pub fn section_anchor(id: Option<&str>) -> String {
    match id {
        Some(id) => format!("s-{}", slug(id)),
        None => "s--whole".into(),
    }
}

/// The relations in the legend, in this order.
pub const RELATIONS: [&str; 7] = [
    "related",
    "equal-to",
    "equivalent-to",
    "subset-of",
    "superset-of",
    "intersects-with",
    "no-relationship",
];

pub fn relation_legend(used: &[&str]) -> String {
    let mut h = String::from("<p class=\"legend-head\">Relations:</p>\n<ul class=\"legend\">\n");
    for r in RELATIONS.iter().filter(|r| used.contains(r)) {
        let _ = writeln!(
            h,
            "<li><svg width=\"36\" height=\"10\" aria-hidden=\"true\"><line x1=\"0\" y1=\"5\" x2=\"36\" y2=\"5\" class=\"link {}\"></line></svg>{r}</li>",
            relation_class(r)
        );
    }
    h.push_str("</ul>\n");
    h
}

pub fn pages(site: &Site) -> Vec<(String, String)> {
    let mut by_doc: BTreeMap<&str, Vec<&MappingRow>> = BTreeMap::new();
    for r in &site.rows {
        by_doc
            .entry(r.source().document.as_str())
            .or_default()
            .push(r);
    }
    by_doc
        .into_iter()
        .map(|(id, rows)| {
            let path = site.doc_path(id).expect("every source has a page");
            let text = document_page(site, &path, id, &rows);
            (path, text)
        })
        .collect()
}

/// The position of a target for ordering: document, place in it, id.
fn target_order(site: &Site, key: &EndpointKey) -> (String, usize, String) {
    let id = key.id.clone().unwrap_or_default();
    let pos = site
        .document(&key.document)
        .and_then(|d| {
            d.provision(&id)
                .map(|p| p.id_range.start)
                .or_else(|| d.clause(&id).map(|c| c.id_range.start))
        })
        .unwrap_or(usize::MAX);
    (key.document.clone(), pos, id)
}

fn target_title(site: &Site, key: &EndpointKey) -> Option<String> {
    let doc = site.document(&key.document)?;
    let id = key.id.as_deref()?;
    doc.provision(id)
        .and_then(|p| p.title.clone())
        .or_else(|| doc.clause(id).and_then(|c| c.title.clone()))
}

fn document_page(site: &Site, path: &str, id: &str, rows: &[&MappingRow]) -> String {
    let doc = site.document(id);
    let title = site.title(id);
    let r = root(path);
    let mut b = String::new();

    // About the document.
    b.push_str("<dl class=\"meta\">\n");
    let _ = writeln!(b, "<dt>Id</dt><dd><code>{}</code></dd>", esc(id));
    if let Some(d) = doc {
        if let Some(p) = &d.publisher {
            let _ = writeln!(b, "<dt>Organisation</dt><dd>{}</dd>", esc(p));
        }
        if let Some(v) = &d.version {
            let _ = writeln!(b, "<dt>Version</dt><dd>{}</dd>", esc(v));
        }
    }
    if let Some(url) = site.export.document_text(id, "url") {
        let _ = writeln!(
            b,
            "<dt>Source</dt><dd><a href=\"{}\" rel=\"external noopener\">{}</a></dd>",
            esc(url),
            esc(&truncate(url, 80))
        );
    }
    let cites = citations(site, id);
    if !cites.is_empty() {
        let links: Vec<String> = cites
            .iter()
            .map(|c| site.link(path, site.doc_path(c).or_else(|| site.target_index(c)), c))
            .collect();
        let _ = writeln!(b, "<dt>Cites</dt><dd>{}</dd>", links.join(", "));
    }
    if site.targets.contains(id) {
        let _ = writeln!(
            b,
            "<dt>As a target</dt><dd>{}</dd>",
            site.link(
                path,
                site.target_index(id),
                "its provisions and what maps to them"
            )
        );
    }
    b.push_str("</dl>\n");

    // Nodes of the visual mapping.
    let mut sources: Vec<Option<&str>> = Vec::new();
    for row in rows {
        let s = row.source().id.as_deref();
        if !sources.contains(&s) {
            sources.push(s);
        }
    }
    let mut targets: Vec<&EndpointKey> = rows.iter().map(|r| r.target()).collect();
    targets.sort_by_cached_key(|k| target_order(site, k));
    targets.dedup();
    let target_index: BTreeMap<&EndpointKey, usize> =
        targets.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    // Sections in the order of their first target (fewer crossings), then
    // of first appearance.
    let first_target = |s: Option<&str>| {
        rows.iter()
            .filter(|r| r.source().id.as_deref() == s)
            .map(|r| target_index[r.target()])
            .min()
            .unwrap_or(0)
    };
    let mut keyed: Vec<(usize, usize, Option<&str>)> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (first_target(*s), i, *s))
        .collect();
    keyed.sort_unstable();
    let sources: Vec<Option<&str>> = keyed.into_iter().map(|(_, _, s)| s).collect();
    let mut used: Vec<&str> = rows.iter().map(|r| r.relation()).collect();
    used.sort_unstable();
    used.dedup();

    let _ = writeln!(
        b,
        "<h2 id=\"visual\">Visual mapping</h2>\n<p>{} from {} onto {}.</p>",
        plural(rows.len(), "mapping", "mappings"),
        plural(sources.len(), "section", "sections"),
        plural(
            targets.len(),
            "target provision or clause",
            "target provisions and clauses"
        ),
    );
    b.push_str(&relation_legend(&used));
    let (row_h, width, left_w, right_x) = (22usize, 960usize, 330usize, 600usize);
    let n = sources.len().max(targets.len()).max(1);
    let height = n * row_h + 10;
    let ys = |count: usize, i: usize| -> usize {
        // Centre the shorter column.
        let offset = (n - count) * row_h / 2;
        offset + i * row_h + row_h / 2 + 5
    };
    let _ = write!(
        b,
        "<figure class=\"chart mapping\">\n<svg role=\"img\" aria-labelledby=\"vm-t vm-d\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" class=\"visual\">\n<title id=\"vm-t\">Visual mapping of {}</title>\n\
         <desc id=\"vm-d\">{} sections on the left linked to {} targets on the right by {}; the table below lists every mapping.</desc>\n\
         <g class=\"links\">\n",
        esc(&title),
        sources.len(),
        targets.len(),
        plural(rows.len(), "link", "links"),
    );
    for row in rows {
        let s = sources
            .iter()
            .position(|s| *s == row.source().id.as_deref())
            .expect("collected above");
        let t = target_index[row.target()];
        let (y1, y2) = (ys(sources.len(), s), ys(targets.len(), t));
        let (x1, x2) = (left_w + 6, right_x - 6);
        let mid = (x1 + x2) / 2;
        let _ = writeln!(
            b,
            "<path class=\"link {}\" d=\"M{x1} {y1}C{mid} {y1} {mid} {y2} {x2} {y2}\"><title>{} → {} ({})</title></path>",
            relation_class(row.relation()),
            esc(&row.source().to_string()),
            esc(&row.target().to_string()),
            esc(row.relation()),
        );
    }
    b.push_str("</g>\n<g class=\"nodes\">\n");
    for (i, s) in sources.iter().enumerate() {
        let y = ys(sources.len(), i);
        let label = s.unwrap_or("(whole document)");
        let _ = writeln!(
            b,
            "<a href=\"#{}\"><title>{}</title><circle cx=\"{}\" cy=\"{y}\" r=\"4\"></circle>\
             <text x=\"{left_w}\" y=\"{}\" text-anchor=\"end\">{}</text></a>",
            section_anchor(*s),
            esc(label),
            left_w + 4,
            y + 4,
            esc(&truncate(label, 44)),
        );
    }
    for (i, t) in targets.iter().enumerate() {
        let y = ys(targets.len(), i);
        let label = match target_title(site, t) {
            Some(title) => format!("{t} {title}"),
            None => t.to_string(),
        };
        let link =
            t.id.as_deref()
                .and_then(|id| site.target_path(&t.document, id));
        let (open, close) = match link {
            Some(l) => (format!("<a href=\"{r}{l}\">"), "</a>"),
            None => ("<g>".to_string(), "</g>"),
        };
        let _ = writeln!(
            b,
            "{open}<title>{}</title><circle cx=\"{}\" cy=\"{y}\" r=\"4\"></circle>\
             <text x=\"{right_x}\" y=\"{}\">{}</text>{close}",
            esc(&label),
            right_x - 4,
            y + 4,
            esc(&truncate(&label, 48)),
        );
    }
    b.push_str("</g>\n</svg>\n</figure>\n");

    // The table.
    let _ = writeln!(b, "<h2 id=\"mappings\">Mappings</h2>");
    let mut t = String::from(
        "<table class=\"mappings\">\n<caption>Every mapping of this document</caption>\n<thead><tr>\
         <th scope=\"col\">Section</th><th scope=\"col\">Target</th><th scope=\"col\">Relation</th>\
         <th scope=\"col\">Excerpt</th><th scope=\"col\">Note</th><th scope=\"col\">Added at version</th></tr></thead>\n<tbody>\n",
    );
    let mut anchored = std::collections::BTreeSet::new();
    for row in rows {
        let s = row.source().id.as_deref();
        let anchor = if anchored.insert(s) {
            format!(" id=\"{}\"", section_anchor(s))
        } else {
            String::new()
        };
        let target = row.target();
        let target_label = match target_title(site, target) {
            Some(title) => format!("{target} {title}"),
            None => target.to_string(),
        };
        let link = target
            .id
            .as_deref()
            .and_then(|id| site.target_path(&target.document, id));
        let _ = writeln!(
            t,
            "<tr{anchor}><th scope=\"row\">{}</th><td>{}</td><td><span class=\"rel {}\">{}</span></td>\
             <td class=\"text\">{}</td><td class=\"text\">{}</td><td>{}</td></tr>",
            esc(s.unwrap_or("(whole document)")),
            site.link(path, link, &target_label),
            relation_class(row.relation()),
            esc(row.relation()),
            row.excerpt.map(esc_lines).unwrap_or_default(),
            row.note.map(esc_lines).unwrap_or_default(),
            row.added.map(esc).unwrap_or_default(),
        );
    }
    t.push_str("</tbody>\n</table>\n");
    b.push_str(&scroll_table("Mappings", &t));
    page(site, path, &title, "", &b)
}

/// The documents `id` cites, as written (`cites` fields).
pub fn citations(site: &Site, id: &str) -> Vec<String> {
    site.export
        .document_fields(id)
        .unwrap_or(&[])
        .iter()
        .filter(|f| f.name.text == "cites")
        .flat_map(|f| &f.values)
        .map(|v| match v {
            crate::syntax::Value::Word(w) => w.text.to_string(),
            crate::syntax::Value::String(s) => s.value.to_string(),
            crate::syntax::Value::Reference(r) => r.document.text.to_string(),
        })
        .collect()
}
