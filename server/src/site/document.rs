//! One page per document that has a page of its own (`Site::pages`): what
//! it is, what it cites and what cites it; for a source document its
//! visual mapping and the table of its mappings; for a catalogued document
//! its provisions.
//!
//! The visual mapping lists the sections in the natural order of their ids
//! (`1.2` before `1.10`). Up to [`CURVES_MAX_MAPPINGS`] mappings and
//! [`CURVES_MAX_NODES`] sections or targets it draws one curve per
//! mapping, the targets ordered by the barycentre of the sections mapped
//! to them (fewer crossings). Beyond, curves are a tangle that no one can
//! follow, and it is a matrix instead: one row per section, one column per
//! target (grouped by target document and clause, in the standard's
//! order), a mark where the section maps to the target.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::html::{esc, esc_lines, page, plural, root, scroll_table, slug, truncate};
use super::{Site, relation_class};
use crate::interop::MappingRow;
use crate::model::index::EndpointKey;
use crate::stats::views::compare_versions;

/// Curves up to this many mappings (and [`CURVES_MAX_NODES`]); a matrix
/// beyond.
pub const CURVES_MAX_MAPPINGS: usize = 120;
/// Curves up to this many sections and this many targets; a matrix beyond.
pub const CURVES_MAX_NODES: usize = 60;

/// The fragment id of a source section on its document's page (the first
/// row of its mappings).
pub fn section_anchor(id: Option<&str>) -> String {
    match id {
        Some(id) => format!("s-{}", slug(id)),
        None => "s--whole".into(),
    }
}

/// The fragment id of the `n`-th mapping (from 1) of a document's table.
pub fn mapping_anchor(n: usize) -> String {
    format!("m-{n}")
}

/// The fragment id of a provision in a document's list of provisions.
pub fn provision_anchor(id: &str) -> String {
    format!("p-{}", slug(id))
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

/// The mark of a relation in the matrix (besides its colour).
fn relation_symbol(relation: &str) -> &'static str {
    match relation {
        "equal-to" => "=",
        "equivalent-to" => "≡",
        "subset-of" => "⊂",
        "superset-of" => "⊃",
        "intersects-with" => "∩",
        "no-relationship" => "×",
        _ => "•",
    }
}

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

fn matrix_legend(used: &[&str]) -> String {
    let mut h = String::from("<p class=\"legend-head\">Relations:</p>\n<ul class=\"legend\">\n");
    for r in RELATIONS.iter().filter(|r| used.contains(r)) {
        let _ = writeln!(
            h,
            "<li><svg width=\"16\" height=\"16\" aria-hidden=\"true\" class=\"matrix\"><g class=\"cell {}\">\
             <rect x=\"1\" y=\"1\" width=\"14\" height=\"14\"></rect><text x=\"8\" y=\"12\">{}</text></g></svg>{r}</li>",
            relation_class(r),
            relation_symbol(r)
        );
    }
    h.push_str("</ul>\n");
    h
}

/// The natural order of section ids, the whole document first.
pub fn section_order(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => compare_versions(a, b),
    }
}

/// The mappings of each source document, by section in natural order
/// (file order within a section): the order of its table, whose rows the
/// search links to.
pub fn rows_by_document<'s, 'a>(site: &'s Site<'a>) -> BTreeMap<&'a str, Vec<&'s MappingRow<'a>>> {
    let mut by_doc: BTreeMap<&'a str, Vec<&'s MappingRow<'a>>> = BTreeMap::new();
    for r in &site.rows {
        by_doc
            .entry(r.source().document.as_str())
            .or_default()
            .push(r);
    }
    for rows in by_doc.values_mut() {
        rows.sort_by(|a, b| section_order(a.source().id.as_deref(), b.source().id.as_deref()));
    }
    by_doc
}

pub fn pages(site: &Site) -> Vec<(String, String)> {
    let by_doc = rows_by_document(site);
    site.pages
        .iter()
        .map(|id| {
            let path = site.doc_path(id).expect("a document with a page");
            let rows = by_doc.get(id).map(Vec::as_slice).unwrap_or(&[]);
            let text = document_page(site, &path, id, rows);
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

fn target_label(site: &Site, key: &EndpointKey) -> String {
    match target_title(site, key) {
        Some(title) => format!("{key} {title}"),
        None => key.to_string(),
    }
}

/// The label of a section: its id, and the title or text of the provision
/// when the document catalogues it.
fn section_label(site: &Site, document: &str, id: Option<&str>) -> String {
    let Some(id) = id else {
        return "(whole document)".into();
    };
    let what = site.document(document).and_then(|d| {
        d.provision(id)
            .and_then(|p| p.title.as_deref().or(p.text.as_deref()))
            .or_else(|| d.clause(id).and_then(|c| c.title.as_deref()))
    });
    match what {
        Some(w) => format!("{id} {w}"),
        None => id.to_string(),
    }
}

/// The sections of `rows` (sorted by [`rows_by_document`]) in that order,
/// and their targets: in the barycentre order of their sections for
/// curves (ties in the standard's order), in the standard's order for the
/// matrix.
pub fn visual_order<'a>(
    site: &Site,
    rows: &[&MappingRow<'a>],
    barycentre: bool,
) -> (Vec<Option<&'a str>>, Vec<&'a EndpointKey>) {
    let mut sources: Vec<Option<&'a str>> = Vec::new();
    let mut seen = BTreeSet::new();
    for r in rows {
        let s = r.source().id.as_deref();
        if seen.insert(s) {
            sources.push(s);
        }
    }
    let index: BTreeMap<Option<&str>, usize> =
        sources.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    // Per target: the sum and number of its sections' positions.
    let mut at: BTreeMap<&'a EndpointKey, (usize, usize)> = BTreeMap::new();
    for r in rows {
        let e = at.entry(r.target()).or_default();
        e.0 += index[&r.source().id.as_deref()];
        e.1 += 1;
    }
    let mut targets: Vec<(usize, (String, usize, String), &'a EndpointKey)> = at
        .into_iter()
        .map(|(k, (sum, n))| {
            let key = if barycentre { sum * 1000 / n } else { 0 };
            (key, target_order(site, k), k)
        })
        .collect();
    targets.sort();
    (sources, targets.into_iter().map(|(_, _, k)| k).collect())
}

/// Does the visual mapping of `mappings` links between `sources` and
/// `targets` stay curves?
pub fn as_curves(mappings: usize, sources: usize, targets: usize) -> bool {
    mappings <= CURVES_MAX_MAPPINGS && sources <= CURVES_MAX_NODES && targets <= CURVES_MAX_NODES
}

fn document_page(site: &Site, path: &str, id: &str, rows: &[&MappingRow]) -> String {
    let doc = site.document(id);
    let title = site.title(id);
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
    b.push_str(&super::citations::meta(site, path, id));
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

    if rows.is_empty() {
        b.push_str("<p>No mapping starts from this document.</p>\n");
    } else {
        visual_mapping(site, path, id, &title, rows, &mut b);
        mapping_table(site, path, rows, &mut b);
        b.push_str(&super::derived::section(site, path, id));
    }
    if let Some(d) = doc.filter(|d| d.is_catalogued()) {
        provisions(site, path, d, rows, &mut b);
    }
    page(site, path, &title, "", &b)
}

fn visual_mapping(
    site: &Site,
    path: &str,
    id: &str,
    title: &str,
    rows: &[&MappingRow],
    b: &mut String,
) {
    let (sources, _) = visual_order(site, rows, false);
    let targets: BTreeSet<&EndpointKey> = rows.iter().map(|r| r.target()).collect();
    let mut used: Vec<&str> = rows.iter().map(|r| r.relation()).collect();
    used.sort_unstable();
    used.dedup();
    let curves = as_curves(rows.len(), sources.len(), targets.len());
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
    if curves {
        b.push_str(&relation_legend(&used));
        curves_svg(site, path, title, rows, b);
    } else {
        let _ = writeln!(
            b,
            "<p>Too many to draw as curves (more than {CURVES_MAX_MAPPINGS} mappings, or \
             {CURVES_MAX_NODES} sections or targets): a matrix, one row per section, one \
             column per target grouped by clause, a mark where the section maps to the target. \
             Its symbol and colour give the relation.</p>"
        );
        b.push_str(&matrix_legend(&used));
        matrix_svg(site, path, id, title, rows, b);
    }
}

/// One curve per mapping: sections on the left, targets on the right.
fn curves_svg(site: &Site, path: &str, title: &str, rows: &[&MappingRow], b: &mut String) {
    let r = root(path);
    let (sources, targets) = visual_order(site, rows, true);
    let source_index: BTreeMap<Option<&str>, usize> =
        sources.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let target_index: BTreeMap<&EndpointKey, usize> =
        targets.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let document = &rows[0].source().document;
    let (row_h, width, left_w, right_x) = (22usize, 960usize, 330usize, 600usize);
    let n = sources.len().max(targets.len()).max(1);
    let height = n * row_h + 10;
    // The longer column evenly, one node a row; each node of the shorter
    // one level with the mean of its neighbours, kept in order and a row
    // apart, so that most curves run level.
    let even = |i: usize| i * row_h + row_h / 2 + 5;
    let mean_of = |pairs: &mut dyn Iterator<Item = (usize, usize)>, count: usize, at: &[usize]| {
        let mut sum = vec![(0usize, 0usize); count];
        for (i, j) in pairs {
            sum[i].0 += at[j];
            sum[i].1 += 1;
        }
        sum.into_iter()
            .map(|(s, k)| s.checked_div(k).unwrap_or(0))
            .collect::<Vec<_>>()
    };
    let pairs: Vec<(usize, usize)> = rows
        .iter()
        .map(|r| {
            (
                source_index[&r.source().id.as_deref()],
                target_index[r.target()],
            )
        })
        .collect();
    let (sy, ty) = if sources.len() >= targets.len() {
        let sy: Vec<usize> = (0..sources.len()).map(even).collect();
        let wanted = mean_of(&mut pairs.iter().map(|&(s, t)| (t, s)), targets.len(), &sy);
        let ty = spread(&wanted, row_h, even(0), even(n - 1));
        (sy, ty)
    } else {
        let ty: Vec<usize> = (0..targets.len()).map(even).collect();
        let wanted = mean_of(&mut pairs.iter().copied(), sources.len(), &ty);
        (spread(&wanted, row_h, even(0), even(n - 1)), ty)
    };
    let _ = write!(
        b,
        "<figure class=\"chart mapping\">\n<svg role=\"img\" aria-labelledby=\"vm-t vm-d\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" class=\"visual curves\">\n<title id=\"vm-t\">Visual mapping of {}</title>\n\
         <desc id=\"vm-d\">{} on the left linked to {} on the right by {}; the table below lists every mapping.</desc>\n\
         <g class=\"links\">\n",
        esc(title),
        plural(sources.len(), "section", "sections"),
        plural(targets.len(), "target", "targets"),
        plural(rows.len(), "link", "links"),
    );
    for (row, &(s, t)) in rows.iter().zip(&pairs) {
        let (y1, y2) = (sy[s], ty[t]);
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
        let y = sy[i];
        let label = section_label(site, document, *s);
        let _ = writeln!(
            b,
            "<a href=\"#{}\"><title>{}</title><circle cx=\"{}\" cy=\"{y}\" r=\"4\"></circle>\
             <text x=\"{left_w}\" y=\"{}\" text-anchor=\"end\">{}</text></a>",
            section_anchor(*s),
            esc(&label),
            left_w + 4,
            y + 4,
            esc(&truncate(&label, 44)),
        );
    }
    for (i, t) in targets.iter().enumerate() {
        let y = ty[i];
        let label = target_label(site, t);
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
}

/// Positions as close to `wanted` as they can be while keeping their order
/// and `gap` apart, within `low..=high` (which holds them all).
pub fn spread(wanted: &[usize], gap: usize, low: usize, high: usize) -> Vec<usize> {
    let mut y: Vec<usize> = Vec::with_capacity(wanted.len());
    for &w in wanted {
        let min = y.last().map_or(low, |&p| p + gap);
        y.push(w.clamp(min, high.max(min)));
    }
    // Pushed past the end: move back up as little as needed.
    let mut limit = high;
    for p in y.iter_mut().rev() {
        if *p > limit {
            *p = limit;
        }
        limit = p.saturating_sub(gap);
    }
    y
}

/// The clause a target belongs to, for grouping the matrix's columns: the
/// provision's clause, or the clause itself.
fn target_clause<'s>(site: &'s Site, key: &'s EndpointKey) -> Option<&'s str> {
    let doc = site.document(&key.document)?;
    let id = key.id.as_deref()?;
    match doc.provision(id) {
        Some(p) => p.clause.as_deref(),
        None => doc.clause(id).map(|c| c.id.as_str()),
    }
}

/// The group of a section in the matrix (a line separates groups): its
/// clause when its document catalogues it (the clause itself for a
/// clause), else the first part of its id (`2` of `2.1.5`).
fn row_group<'s>(site: &'s Site, document: &str, id: Option<&'s str>) -> Option<&'s str> {
    let id = id?;
    let doc = site.document(document);
    if let Some(p) = doc.and_then(|d| d.provision(id)) {
        if let Some(c) = p.clause.as_deref() {
            return Some(c);
        }
    } else if let Some(c) = doc.and_then(|d| d.clause(id)) {
        return Some(c.id.as_str());
    }
    id.split(|c: char| !c.is_alphanumeric()).next()
}

/// Runs of equal keys: `(key, first index, count)`.
fn runs<K: PartialEq + Copy>(keys: &[K]) -> Vec<(K, usize, usize)> {
    let mut out: Vec<(K, usize, usize)> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        match out.last_mut() {
            Some((last, _, n)) if last == k => *n += 1,
            _ => out.push((*k, i, 1)),
        }
    }
    out
}

/// One row per section, one column per target: a cell per section and
/// target mapped, its colour and symbol the relation.
fn matrix_svg(
    site: &Site,
    path: &str,
    id: &str,
    title: &str,
    rows: &[&MappingRow],
    b: &mut String,
) {
    let r = root(path);
    let (sources, targets) = visual_order(site, rows, false);
    let source_index: BTreeMap<Option<&str>, usize> =
        sources.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let target_index: BTreeMap<&EndpointKey, usize> =
        targets.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    // The relations of each cell, in file order, without repeats.
    let mut cells: BTreeMap<(usize, usize), Vec<&str>> = BTreeMap::new();
    for row in rows {
        let key = (
            source_index[&row.source().id.as_deref()],
            target_index[row.target()],
        );
        let list = cells.entry(key).or_default();
        if !list.contains(&row.relation()) {
            list.push(row.relation());
        }
    }
    let cell = 16usize;
    let label_w = 300usize;
    let id_chars = targets
        .iter()
        .map(|t| {
            t.id.as_deref()
                .unwrap_or(&t.document)
                .chars()
                .count()
                .min(14)
        })
        .max()
        .unwrap_or(1);
    let (doc_band, clause_band) = (20usize, 18usize);
    let id_h = id_chars * 7 + 10;
    let top = doc_band + clause_band + id_h;
    let body = sources.len() * cell;
    let width = label_w + targets.len() * cell + 12;
    let height = top + body + id_h + 6;
    let x_of = |t: usize| label_w + t * cell;
    let y_of = |s: usize| top + s * cell;

    let _ = write!(
        b,
        "<figure class=\"chart matrix-chart\">\n<svg role=\"img\" aria-labelledby=\"vm-t vm-d\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" class=\"visual matrix\">\n<title id=\"vm-t\">Visual mapping of {}</title>\n\
         <desc id=\"vm-d\">A matrix of {} (rows, in the order of their ids) by {} (columns, grouped by target document and clause), \
         with {}: {}; the table below lists every mapping.</desc>\n",
        esc(title),
        plural(sources.len(), "section", "sections"),
        plural(targets.len(), "target", "targets"),
        plural(cells.len(), "marked cell", "marked cells"),
        plural(rows.len(), "mapping", "mappings"),
    );

    // Clause groups: alternate shading down the whole chart, the clause id
    // above when it fits.
    let groups: Vec<(&str, Option<&str>)> = targets
        .iter()
        .map(|t| (t.document.as_str(), target_clause(site, t)))
        .collect();
    b.push_str("<g class=\"clauses\">\n");
    for (n, ((doc, clause), first, count)) in runs(&groups).into_iter().enumerate() {
        let (x, w) = (x_of(first), count * cell);
        let label = clause.unwrap_or("");
        let text = if !label.is_empty() && label.chars().count() * 7 + 2 <= w {
            format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x + w / 2,
                doc_band + clause_band - 5,
                esc(label)
            )
        } else {
            String::new()
        };
        let tip = match clause.and_then(|c| site.document(doc)?.clause(c)) {
            Some(c) => format!(
                "{doc}:{}{}",
                c.id,
                c.title
                    .as_deref()
                    .map(|t| format!(" {t}"))
                    .unwrap_or_default()
            ),
            None => doc.to_string(),
        };
        let _ = writeln!(
            b,
            "<g class=\"band-{}\"><title>{}</title><rect x=\"{x}\" y=\"{doc_band}\" width=\"{w}\" height=\"{}\"></rect>{text}</g>",
            if n % 2 == 0 { "a" } else { "b" },
            esc(&tip),
            clause_band + id_h + body + id_h,
        );
    }
    b.push_str("</g>\n<g class=\"documents\">\n");
    let docs: Vec<&str> = targets.iter().map(|t| t.document.as_str()).collect();
    for (doc, first, count) in runs(&docs) {
        let (x, w) = (x_of(first), count * cell);
        let fits = w.saturating_sub(4) / 7;
        let label = if fits >= 3 {
            format!(
                "<text x=\"{}\" y=\"{}\">{}</text>",
                x + 2,
                doc_band - 6,
                esc(&truncate(doc, fits))
            )
        } else {
            String::new()
        };
        let (open, close) = match site.target_index(doc) {
            Some(l) => (format!("<a href=\"{r}{l}\">"), "</a>"),
            None => ("<g>".to_string(), "</g>"),
        };
        let _ = writeln!(
            b,
            "{open}<title>{}</title><line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" class=\"sep\"></line>{label}{close}",
            esc(&site.title(doc)),
            doc_band - 18,
            top + body,
        );
    }
    b.push_str("</g>\n<g class=\"columns\">\n");
    for (i, t) in targets.iter().enumerate() {
        let x = x_of(i) + cell / 2 + 4;
        let short = truncate(t.id.as_deref().unwrap_or("(whole)"), 14);
        let link =
            t.id.as_deref()
                .and_then(|id| site.target_path(&t.document, id));
        let (open, close) = match link {
            Some(l) => (format!("<a href=\"{r}{l}\">"), "</a>"),
            None => ("<g>".to_string(), "</g>"),
        };
        let y = top - 4;
        let y2 = top + body + 4;
        let _ = writeln!(
            b,
            "{open}<title>{}</title><text x=\"{x}\" y=\"{y}\" transform=\"rotate(-90 {x} {y})\">{}</text>{close}\
             <text x=\"{x}\" y=\"{y2}\" transform=\"rotate(-90 {x} {y2})\" text-anchor=\"end\" aria-hidden=\"true\">{}</text>",
            esc(&target_label(site, t)),
            esc(&short),
            esc(&short),
        );
    }
    b.push_str("</g>\n<g class=\"rows\">\n");
    let mut previous_top: Option<Option<&str>> = None;
    for (i, s) in sources.iter().enumerate() {
        let y = y_of(i);
        let label = section_label(site, id, *s);
        let part = row_group(site, id, *s);
        let separator = match previous_top {
            Some(p) if p != part => format!(
                "<line x1=\"0\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" class=\"sep\"></line>",
                width - 12
            ),
            _ => String::new(),
        };
        previous_top = Some(part);
        let _ = write!(
            b,
            "<g class=\"row\"><rect class=\"band\" x=\"0\" y=\"{y}\" width=\"{}\" height=\"{cell}\"></rect>{separator}\
             <a href=\"#{}\"><title>{}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text></a>",
            width - 12,
            section_anchor(*s),
            esc(&label),
            label_w - 6,
            y + cell - 4,
            esc(&truncate(&label, 42)),
        );
        for ((_, t), relations) in cells.range((i, 0)..(i + 1, 0)) {
            let target = targets[*t];
            let x = x_of(*t);
            let _ = write!(
                b,
                "<g class=\"cell {}\"><title>{} → {} ({})</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"></rect>\
                 <text x=\"{}\" y=\"{}\">{}</text></g>",
                relation_class(relations[0]),
                esc(&s.map_or_else(|| id.to_string(), |s| format!("{id}:{s}"))),
                esc(&target.to_string()),
                esc(&relations.join(", ")),
                x + 1,
                y + 1,
                cell - 2,
                cell - 2,
                x + cell / 2,
                y + cell - 4,
                relation_symbol(relations[0]),
            );
        }
        b.push_str("</g>\n");
    }
    b.push_str("</g>\n</svg>\n</figure>\n");
}

/// The table of every mapping, in the order of `rows`: the first row of a
/// section carries its anchor, every row a mapping anchor.
fn mapping_table(site: &Site, path: &str, rows: &[&MappingRow], b: &mut String) {
    let _ = writeln!(b, "<h2 id=\"mappings\">Mappings</h2>");
    let mut t = String::from(
        "<table class=\"mappings\">\n<caption>Every mapping of this document</caption>\n<thead><tr>\
         <th scope=\"col\">Section</th><th scope=\"col\">Target</th><th scope=\"col\">Relation</th>\
         <th scope=\"col\">Excerpt</th><th scope=\"col\">Note</th><th scope=\"col\">Added at version</th></tr></thead>\n<tbody>\n",
    );
    let mut anchored = BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        let s = row.source().id.as_deref();
        let anchor = if anchored.insert(s) {
            format!(" id=\"{}\"", section_anchor(s))
        } else {
            String::new()
        };
        let target = row.target();
        let link = target
            .id
            .as_deref()
            .and_then(|id| site.target_path(&target.document, id));
        let _ = writeln!(
            t,
            "<tr{anchor}><th scope=\"row\" id=\"{}\">{}</th><td>{}</td><td><span class=\"rel {}\">{}</span></td>\
             <td class=\"text\">{}</td><td class=\"text\">{}</td><td>{}</td></tr>",
            mapping_anchor(i + 1),
            esc(s.unwrap_or("(whole document)")),
            site.link(path, link, &target_label(site, target)),
            relation_class(row.relation()),
            match row.chain() {
                // A derived map of the workspace: marked, with its chain.
                Some(chain) => format!(
                    "{}</span> <span class=\"derived-mark\" title=\"{}\">derived",
                    esc(row.relation()),
                    esc(&chain.join(" > "))
                ),
                None => esc(row.relation()),
            },
            row.excerpt.map(esc_lines).unwrap_or_default(),
            row.note.map(esc_lines).unwrap_or_default(),
            row.added.map(esc).unwrap_or_default(),
        );
    }
    t.push_str("</tbody>\n</table>\n");
    b.push_str(&scroll_table("Mappings", &t));
}

/// The provisions of a catalogued document, each with its anchor, and how
/// many of the mappings start from it.
fn provisions(
    site: &Site,
    path: &str,
    doc: &crate::model::index::DocumentInfo,
    rows: &[&MappingRow],
    b: &mut String,
) {
    let mut from: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        if let Some(s) = r.source().id.as_deref() {
            *from.entry(s).or_default() += 1;
        }
    }
    let _ = writeln!(
        b,
        "<h2 id=\"provisions\">Provisions</h2>\n<p>{} in {}.</p>",
        plural(doc.provisions.len(), "provision", "provisions"),
        plural(doc.clauses.len(), "clause", "clauses"),
    );
    let mut t = String::from(
        "<table class=\"list\">\n<caption>The provisions of this document</caption>\n<thead><tr>\
         <th scope=\"col\">Provision</th><th scope=\"col\">Clause</th><th scope=\"col\">Title and text</th>\
         <th scope=\"col\">Mappings from it</th></tr></thead>\n<tbody>\n",
    );
    for p in &doc.provisions {
        let text = match (&p.title, &p.text) {
            (Some(t), Some(x)) => format!("<strong>{}</strong><br>{}", esc(t), esc_lines(x)),
            (Some(t), None) => format!("<strong>{}</strong>", esc(t)),
            (None, Some(x)) => esc_lines(x),
            (None, None) => String::new(),
        };
        let n = from.get(p.id.as_str()).copied().unwrap_or(0);
        let mapped = if n > 0 {
            format!(
                "<a href=\"#{}\">{}</a>",
                section_anchor(Some(p.id.as_str())),
                plural(n, "mapping", "mappings")
            )
        } else {
            "none".to_string()
        };
        let _ = writeln!(
            t,
            "<tr id=\"{}\"><th scope=\"row\">{}</th><td>{}</td><td class=\"text\">{}</td><td>{mapped}</td></tr>",
            provision_anchor(&p.id),
            site.link(path, site.target_path(&doc.id, &p.id), &p.id),
            esc(p.clause.as_deref().unwrap_or("")),
            text,
        );
    }
    t.push_str("</tbody>\n</table>\n");
    b.push_str(&scroll_table("Provisions", &t));
}
