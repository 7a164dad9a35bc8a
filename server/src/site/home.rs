//! The home page (counts, target standards, matrix heatmap, consensus,
//! gaps) and the list of source documents.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Site;
use super::html::{esc, noun, num, page, plural, scroll_table, truncate};

/// The heat class of a count: 0, 1, 2–3, 4–7, 8–15, 16 or more.
pub fn heat(n: usize) -> usize {
    match n {
        0 => 0,
        1 => 1,
        2..=3 => 2,
        4..=7 => 3,
        8..=15 => 4,
        _ => 5,
    }
}

const HEAT_LABELS: [&str; 6] = ["none", "1", "2–3", "4–7", "8–15", "16 or more"];

fn legend() -> String {
    let mut h = String::from(
        "<p class=\"legend-head\">Mappings per cell:</p>\n<ul class=\"legend heat-legend\">\n",
    );
    for (i, label) in HEAT_LABELS.iter().enumerate() {
        let _ = writeln!(
            h,
            "<li><span class=\"swatch h{i}\" aria-hidden=\"true\"></span>{label}</li>"
        );
    }
    h.push_str("</ul>\n");
    h
}

pub fn home(site: &Site) -> String {
    let path = "index.html";
    let t = &site.stats.totals;
    let mut b = String::new();
    if let Some(d) = site.export.dataset() {
        let mut bits = Vec::new();
        if let Some(p) = &d.publisher {
            bits.push(esc(p));
        }
        if let Some(v) = &d.version {
            bits.push(format!("version {}", esc(v)));
        }
        if !bits.is_empty() {
            let _ = writeln!(b, "<p class=\"lead\">{}.</p>", bits.join(", "));
        }
    }
    let _ = write!(
        b,
        "<ul class=\"figures\">\n<li><strong>{}</strong> {}</li>\n\
         <li><strong>{}</strong> {}</li>\n<li><strong>{}</strong> {}</li>\n\
         <li><strong>{}</strong> of {} covered</li>\n</ul>\n",
        num(t.source_documents),
        noun(t.source_documents, "source document", "source documents"),
        num(t.organisations),
        noun(t.organisations, "organisation", "organisations"),
        num(t.mappings - t.no_relationship),
        noun(t.mappings - t.no_relationship, "mapping", "mappings"),
        num(t.covered),
        plural(t.target_provisions, "target provision", "target provisions"),
    );
    if t.no_relationship > 0 {
        let _ = writeln!(
            b,
            "<p>Besides, {} record pairs that were examined and found unrelated (<code>no-relationship</code>).</p>",
            plural(t.no_relationship, "mapping", "mappings")
        );
    }

    // Target standards.
    b.push_str("<section aria-labelledby=\"targets\">\n<h2 id=\"targets\">Target standards</h2>\n<ul class=\"cards\">\n");
    for target in &site.stats.targets {
        let doc = site.document(&target.id);
        let _ = write!(
            b,
            "<li><h3>{}</h3>\n<p><code>{}</code>{}</p>\n<p>{} of {} covered, {}.</p></li>\n",
            site.link(path, site.target_index(&target.id), &site.title(&target.id)),
            esc(&target.id),
            doc.and_then(|d| d.publisher.as_deref())
                .map(|p| format!(", {}", esc(p)))
                .unwrap_or_default(),
            num(target.covered),
            plural(target.provisions.len(), "provision", "provisions"),
            super::target::gaps(target),
        );
    }
    b.push_str("</ul>\n</section>\n");

    // The matrix.
    let m = &site.matrix;
    b.push_str("<section aria-labelledby=\"matrix\">\n<h2 id=\"matrix\">Source documents × target clauses</h2>\n");
    let _ = writeln!(
        b,
        "<p>One row per source document, one column per target guideline or clause; a cell \
         gives the number of the document's mappings onto it (the colour repeats the number). \
         {}, {}.</p>",
        plural(m.rows.len(), "row", "rows"),
        plural(m.columns.len(), "column", "columns"),
    );
    b.push_str(&legend());
    let mut table = String::from(
        "<table class=\"matrix\" id=\"matrix-table\">\n<caption>Mappings per source document and target clause</caption>\n<thead>\n",
    );
    // Group header: one cell per target document.
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for c in &m.columns {
        match groups.last_mut() {
            Some((d, n)) if *d == c.document => *n += 1,
            _ => groups.push((&c.document, 1)),
        }
    }
    table.push_str("<tr><td colspan=\"2\"></td>");
    for (d, n) in &groups {
        let _ = write!(
            table,
            "<th scope=\"colgroup\" colspan=\"{n}\">{}</th>",
            site.link(path, site.target_index(d), d)
        );
    }
    table.push_str(
        "<td></td></tr>\n<tr><th scope=\"col\">Organisation</th><th scope=\"col\">Document</th>",
    );
    for c in &m.columns {
        let title = c
            .title
            .as_deref()
            .map(|t| format!("{}:{} {t}", c.document, c.clause))
            .unwrap_or_else(|| format!("{}:{}", c.document, c.clause));
        let _ = write!(
            table,
            "<th scope=\"col\" class=\"col\"><abbr title=\"{}\">{}</abbr></th>",
            esc(&title),
            esc(&c.clause)
        );
    }
    table.push_str("<th scope=\"col\">Total</th></tr>\n</thead>\n<tbody>\n");
    for row in &m.rows {
        let _ = write!(
            table,
            "<tr><td class=\"org\">{}</td><th scope=\"row\" class=\"doc\">{}</th>",
            esc(&truncate(&row.organisation, 40)),
            site.link(
                path,
                site.doc_path(&row.source),
                &truncate(&site.title(&row.source), 60)
            ),
        );
        for n in &row.counts {
            if *n == 0 {
                table.push_str("<td class=\"h0\"></td>");
            } else {
                let _ = write!(table, "<td class=\"h{}\">{n}</td>", heat(*n));
            }
        }
        let _ = writeln!(table, "<td class=\"total\">{}</td></tr>", row.mappings);
    }
    table.push_str("</tbody>\n<tfoot>\n<tr><td></td><th scope=\"row\">Total</th>");
    for c in &m.columns {
        let _ = write!(table, "<td class=\"total\">{}</td>", c.mappings);
    }
    let total: usize = m.rows.iter().map(|r| r.mappings).sum();
    let _ = writeln!(
        table,
        "<td class=\"total\">{total}</td></tr>\n</tfoot>\n</table>"
    );
    b.push_str(&scroll_table(
        "Matrix of source documents and target clauses",
        &table,
    ));
    b.push_str("</section>\n");

    // Consensus and gaps, per target document.
    b.push_str(
        "<section aria-labelledby=\"consensus\">\n<h2 id=\"consensus\">Consensus</h2>\n\
        <p>For each target provision, the number of independent organisations whose \
        recommendations map onto it (directly or through its clause), most first.</p>\n",
    );
    for target in &site.stats.targets {
        let entries: Vec<&super::views::Consensus> = site
            .consensus
            .iter()
            .filter(|c| c.document == target.id)
            .collect();
        let _ = writeln!(b, "<h3>{}</h3>", esc(&site.title(&target.id)));
        b.push_str(&consensus_chart(site, path, &target.id, &entries));
    }
    b.push_str("</section>\n");

    b.push_str("<section aria-labelledby=\"gaps\">\n<h2 id=\"gaps\">Gaps</h2>\n");
    let gaps: usize = site.stats.targets.iter().map(|t| t.gaps.len()).sum();
    if gaps == 0 {
        b.push_str("<p>Every provision of the target standards has at least one mapping.</p>\n");
    } else {
        let _ = writeln!(
            b,
            "<p class=\"callout\"><strong>{}</strong> that no recommendation maps to:</p>",
            plural(gaps, "target provision", "target provisions")
        );
        if site.stats.totals.mandatory_gaps + site.stats.totals.recommended_gaps > 0 {
            let _ = writeln!(b, "<p>{}</p>", esc(crate::model::status::NOTATION));
        }
        for target in site.stats.targets.iter().filter(|t| !t.gaps.is_empty()) {
            let doc = site.document(&target.id);
            let _ = writeln!(
                b,
                "<h3>{} <small>({} of {}{})</small></h3>\n<ul class=\"gaps\">",
                esc(&doc.map_or_else(
                    || site.title(&target.id),
                    |d| super::target::edition(site, d)
                )),
                target.gaps.len(),
                target.provisions.len(),
                if target.mandatory_gaps + target.recommended_gaps > 0 {
                    format!(
                        ": {} mandatory, {} recommended",
                        target.mandatory_gaps, target.recommended_gaps
                    )
                } else {
                    String::new()
                }
            );
            for g in &target.gaps {
                let status = doc
                    .and_then(|d| d.provision(g))
                    .and_then(|p| p.status.as_deref())
                    .map(|s| {
                        format!(
                            " <small title=\"{}\">{}</small>",
                            esc(&crate::model::status::describe(s)),
                            esc(s)
                        )
                    })
                    .unwrap_or_default();
                let title = doc
                    .and_then(|d| d.provision(g))
                    .and_then(|p| p.title.as_deref().or(p.text.as_deref()))
                    .map(|t| format!(" {}", esc(&truncate(t, 90))))
                    .unwrap_or_default();
                let _ = writeln!(
                    b,
                    "<li>{}{status}{title}</li>",
                    site.link(path, site.target_path(&target.id, g), g)
                );
            }
            b.push_str("</ul>\n");
        }
    }
    b.push_str("</section>\n");
    page(site, path, &site.name, "", &b)
}

/// A sorted horizontal bar chart of organisations per provision, with a
/// table of the same numbers as its text alternative.
fn consensus_chart(
    site: &Site,
    path: &str,
    document: &str,
    entries: &[&super::views::Consensus],
) -> String {
    let top = entries.iter().map(|e| e.organisations).max().unwrap_or(0);
    let max = top.max(1);
    let (bar_h, gap, label_w, chart_w) = (16, 4, 90, 520);
    let height = entries.len() * (bar_h + gap) + 24;
    let id = format!("consensus-{}", super::html::slug(document));
    let mut s = format!(
        "<figure class=\"chart\">\n<svg role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {w} {height}\" \
         width=\"{w}\" height=\"{height}\" class=\"bars\">\n<title id=\"{id}-t\">Organisations per provision of {doc}</title>\n\
         <desc id=\"{id}-d\">Bar chart, sorted: {n}; the most supported has {top}; the table below gives every value.</desc>\n",
        w = label_w + chart_w + 40,
        doc = esc(document),
        n = plural(entries.len(), "provision", "provisions"),
        top = plural(top, "organisation", "organisations"),
    );
    for (i, e) in entries.iter().enumerate() {
        let y = i * (bar_h + gap);
        let w = e.organisations * chart_w / max;
        let label = format!(
            "{}: {}",
            e.provision,
            plural(e.organisations, "organisation", "organisations")
        );
        let target = site.target_path(document, &e.provision);
        let open = match &target {
            Some(t) => format!("<a href=\"{}{t}\">", super::html::root(path)),
            None => "<g>".into(),
        };
        let close = if target.is_some() { "</a>" } else { "</g>" };
        let _ = writeln!(
            s,
            "{open}<title>{}</title><text x=\"{}\" y=\"{}\" class=\"label\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{bar_h}\" class=\"{}\"></rect>\
             <text x=\"{}\" y=\"{}\" class=\"value\">{}</text>{close}",
            esc(&label),
            label_w - 6,
            y + bar_h - 4,
            esc(&e.provision),
            if e.organisations == 0 {
                "bar gap"
            } else {
                "bar"
            },
            label_w + w + 4,
            y + bar_h - 4,
            if e.organisations == 0 {
                "gap".to_string()
            } else {
                e.organisations.to_string()
            },
        );
    }
    s.push_str("</svg>\n");
    let _ = write!(
        s,
        "<figcaption><details><summary>The numbers as a table</summary>\n\
         <table><thead><tr><th scope=\"col\">Provision</th><th scope=\"col\">Organisations</th>\
         <th scope=\"col\">Mappings</th></tr></thead><tbody>\n"
    );
    for e in entries {
        let _ = writeln!(
            s,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            esc(&e.provision),
            e.organisations,
            e.mappings
        );
    }
    s.push_str("</tbody></table></details></figcaption>\n</figure>\n");
    s
}

/// Every source document, by organisation.
pub fn documents(site: &Site) -> String {
    let path = "documents.html";
    let mut by_org: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for id in &site.sources {
        by_org
            .entry(site.ws.index.organisation(id).to_string())
            .or_default()
            .push(id);
    }
    let counts: BTreeMap<&str, usize> = site
        .matrix
        .rows
        .iter()
        .map(|r| (r.source.as_str(), r.mappings))
        .collect();
    let mut t = String::from(
        "<table class=\"list\">\n<caption>Source documents by organisation</caption>\n<thead><tr><th scope=\"col\">Organisation</th>\
         <th scope=\"col\">Document</th><th scope=\"col\">Id</th><th scope=\"col\">Mappings</th></tr></thead>\n<tbody>\n",
    );
    for (org, ids) in &by_org {
        for id in ids {
            let _ = writeln!(
                t,
                "<tr><td>{}</td><th scope=\"row\">{}</th><td><code>{}</code></td><td class=\"n\">{}</td></tr>",
                esc(org),
                site.link(path, site.doc_path(id), &site.title(id)),
                esc(id),
                counts.get(id).copied().unwrap_or(0)
            );
        }
    }
    t.push_str("</tbody>\n</table>\n");
    let lead = format!(
        "<p class=\"lead\">{} from {}.</p>\n",
        plural(site.sources.len(), "source document", "source documents"),
        plural(by_org.len(), "organisation", "organisations")
    );
    let mut body = scroll_table("Source documents", &t);
    // The documents with a page that no mapping starts from.
    let others: Vec<&str> = site
        .pages
        .iter()
        .copied()
        .filter(|d| !site.sources.contains(d))
        .collect();
    if !others.is_empty() {
        let _ = writeln!(
            body,
            "<h2 id=\"others\">Other documents</h2>\n<p>{} that no mapping starts from: \
             the description of the dataset, publications that cite others, catalogs that no \
             mapping uses.</p>",
            plural(others.len(), "document", "documents")
        );
        let mut t = String::from(
            "<table class=\"list\">\n<caption>Documents without mappings from them</caption>\n<thead><tr>\
             <th scope=\"col\">Organisation</th><th scope=\"col\">Document</th><th scope=\"col\">Id</th>\
             <th scope=\"col\">Provisions</th><th scope=\"col\">Cites</th></tr></thead>\n<tbody>\n",
        );
        for id in others {
            let cites = site
                .edges
                .iter()
                .filter(|e| !e.supersedes && e.from == id)
                .count();
            let _ = writeln!(
                t,
                "<tr><td>{}</td><th scope=\"row\">{}</th><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(site.ws.index.organisation(id)),
                site.link(path, site.doc_path(id), &site.title(id)),
                esc(id),
                site.document(id).map_or(0, |d| d.provisions.len()),
                cites
            );
        }
        t.push_str("</tbody>\n</table>\n");
        body.push_str(&scroll_table("Other documents", &t));
    }
    page(site, path, "Documents", &lead, &body)
}
