//! The downloads: the exports of `interop` (DCMS JSON, CSV, Crosswalk
//! JSON, OSCAL) as files of the site, and the downloads page with the
//! changelog built from the `added` versions.

use std::fmt::Write;

use super::html::{esc, num, plural, scroll_table};
use super::{Download, Site};
use crate::interop::{Export, csv, dcms, json, oscal};

/// The four exports. `last_modified` (seconds since the epoch) is the
/// OSCAL `last-modified`.
pub fn exports(export: &Export, last_modified: u64) -> Vec<Download> {
    let (dataset, _) = dcms::export(export);
    vec![
        Download {
            label: "DCMS JSON",
            file: "mappings.dcms.json".into(),
            description: "the DCMS open-data JSON (schema v4): the mappings onto the UK Code of Practice guidelines, one record per mapping",
            bytes: dcms::to_json(&dataset).into_bytes(),
        },
        Download {
            label: "CSV",
            file: "mappings.csv".into(),
            description: "RFC 4180 CSV, UTF-8: one row per source → target pair, with its relation, excerpt, note and version",
            bytes: csv::export(export).into_bytes(),
        },
        Download {
            label: "Crosswalk JSON",
            file: "mappings.json".into(),
            description: "Crosswalk's JSON: the documents, their provisions and every mapping",
            bytes: json::export(export).into_bytes(),
        },
        Download {
            label: "OSCAL",
            file: "mappings.oscal.json".into(),
            description: "an OSCAL 1.2 mapping collection (JSON)",
            bytes: oscal::export(export, &oscal::rfc3339(last_modified)).into_bytes(),
        },
    ]
}

fn size(bytes: usize) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{} KB", bytes.div_ceil(1000))
    }
}

pub fn page(site: &Site) -> String {
    let path = "downloads.html";
    let mut b = String::new();
    b.push_str(
        "<p class=\"lead\">The mapping data of this site as open data, in four formats \
         (<code>xwalk export</code> writes the same files).</p>\n",
    );
    let mut t = String::from(
        "<table class=\"list\">\n<caption>Downloads</caption>\n<thead><tr><th scope=\"col\">Format</th><th scope=\"col\">File</th>\
         <th scope=\"col\">Size</th><th scope=\"col\">What</th></tr></thead>\n<tbody>\n",
    );
    for d in &site.downloads {
        let _ = writeln!(
            t,
            "<tr><th scope=\"row\">{}</th><td><a href=\"data/{}\" download>{}</a></td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(d.label),
            d.file,
            d.file,
            size(d.bytes.len()),
            esc(d.description)
        );
    }
    t.push_str("</tbody>\n</table>\n");
    b.push_str(&scroll_table("Downloads", &t));
    if let Some(d) = site.export.dataset() {
        let disclaimers = site.export.document_texts(&d.id, "disclaimer");
        if site.copyright.is_some() || !disclaimers.is_empty() {
            b.push_str("<h2 id=\"terms\">Terms</h2>\n");
            if let Some(c) = &site.copyright {
                let _ = writeln!(b, "<p>{}</p>", esc(c));
            }
            for p in disclaimers {
                let _ = writeln!(b, "<p>{}</p>", esc(p));
            }
        }
    }

    b.push_str("<h2 id=\"changelog\">Changelog</h2>\n<p>The mappings by the version that added them (the <code>added</code> field), newest first.</p>\n");
    for a in &site.changelog {
        let (id, heading) = match &a.version {
            Some(v) => (
                format!("v-{}", super::html::slug(v)),
                format!("Version {}", esc(v)),
            ),
            None => ("v--none".to_string(), "No version given".to_string()),
        };
        let _ = writeln!(
            b,
            "<section>\n<h3 id=\"{id}\">{heading}</h3>\n<p>{} in {}.</p>",
            plural(a.mappings, "mapping", "mappings"),
            plural(a.documents.len(), "document", "documents")
        );
        let mut t = String::from(
            "<table class=\"list\">\n<thead><tr><th scope=\"col\">Document</th><th scope=\"col\">Mappings</th></tr></thead>\n<tbody>\n",
        );
        for (doc, n) in &a.documents {
            let _ = writeln!(
                t,
                "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td></tr>",
                site.link(path, site.doc_path(doc), &site.title(doc)),
                num(*n)
            );
        }
        t.push_str("</tbody>\n</table>\n");
        b.push_str(&scroll_table(
            &format!("Documents, {}", heading.to_lowercase()),
            &t,
        ));
        b.push_str("</section>\n");
    }
    super::html::page(site, path, "Downloads", "", &b)
}
