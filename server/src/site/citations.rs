//! The citation graph: which documents cite (`cites`) or supersede
//! (`supersedes`) which. A layered layout: citing documents to the left of
//! the documents they cite (columns by the longest chain of citations),
//! rows ordered by the barycentre of their neighbours to keep links short,
//! so that ~80 nodes stay readable. Documents with no link are listed
//! apart.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::Site;
use super::html::{esc, noun, plural, root, scroll_table, truncate};
use crate::interop::Export;
use crate::syntax::Value;

/// An edge: `from` cites (or supersedes) `to`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub supersedes: bool,
}

/// A placed node: its column and row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub id: String,
    pub column: usize,
    pub row: usize,
}

/// Lays out the nodes of `edges`: the column of a node is the length of
/// the longest chain of edges into it (cycles broken), rows within a
/// column by the barycentre of the neighbours, a few sweeps each way.
pub fn layout(edges: &[Edge]) -> Vec<Placed> {
    let nodes: BTreeSet<&str> = edges
        .iter()
        .flat_map(|e| [e.from.as_str(), e.to.as_str()])
        .collect();
    let index: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let names: Vec<&str> = nodes.iter().copied().collect();
    let n = names.len();
    let mut out_edges = vec![Vec::new(); n];
    for e in edges {
        let (a, b) = (index[e.from.as_str()], index[e.to.as_str()]);
        if a != b && !out_edges[a].contains(&b) {
            out_edges[a].push(b);
        }
    }
    // Break cycles: keep only edges of a depth-first forest (plus cross and
    // forward edges), dropping back edges.
    let mut state = vec![0u8; n]; // 0 new, 1 on the stack, 2 done
    let mut dag = vec![Vec::new(); n];
    fn dfs(v: usize, out: &[Vec<usize>], state: &mut [u8], dag: &mut [Vec<usize>]) {
        state[v] = 1;
        for &w in &out[v] {
            match state[w] {
                0 => {
                    dag[v].push(w);
                    dfs(w, out, state, dag);
                }
                2 => dag[v].push(w),
                _ => {} // a back edge
            }
        }
        state[v] = 2;
    }
    for v in 0..n {
        if state[v] == 0 {
            dfs(v, &out_edges, &mut state, &mut dag);
        }
    }
    // Longest path from a source: process in topological order.
    let mut indegree = vec![0usize; n];
    for list in &dag {
        for &w in list {
            indegree[w] += 1;
        }
    }
    let mut column = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).filter(|&v| indegree[v] == 0).rev().collect();
    while let Some(v) = ready.pop() {
        for &w in &dag[v] {
            column[w] = column[w].max(column[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.push(w);
            }
        }
    }
    let columns = column.iter().max().map_or(0, |m| m + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); columns];
    for v in 0..n {
        layers[column[v]].push(v);
    }
    // Neighbours (both directions) for the barycentre sweeps.
    let mut neighbours = vec![Vec::new(); n];
    for (v, list) in out_edges.iter().enumerate() {
        for &w in list {
            neighbours[v].push(w);
            neighbours[w].push(v);
        }
    }
    let mut row = vec![0usize; n];
    let set_rows = |layers: &Vec<Vec<usize>>, row: &mut Vec<usize>| {
        for layer in layers {
            for (i, &v) in layer.iter().enumerate() {
                row[v] = i;
            }
        }
    };
    set_rows(&layers, &mut row);
    for sweep in 0..8 {
        let order: Vec<usize> = if sweep % 2 == 0 {
            (1..columns).collect()
        } else {
            (0..columns.saturating_sub(1)).rev().collect()
        };
        for c in order {
            let mut keyed: Vec<(usize, usize, usize)> = layers[c]
                .iter()
                .map(|&v| {
                    let adjacent: Vec<usize> = neighbours[v]
                        .iter()
                        .filter(|&&w| column[w] != c)
                        .map(|&w| row[w])
                        .collect();
                    // Barycentre times 1000, to sort as integers; nodes
                    // with no neighbour keep their place.
                    let key = if adjacent.is_empty() {
                        row[v] * 1000
                    } else {
                        adjacent.iter().sum::<usize>() * 1000 / adjacent.len()
                    };
                    (key, row[v], v)
                })
                .collect();
            keyed.sort_unstable();
            layers[c] = keyed.into_iter().map(|(_, _, v)| v).collect();
            set_rows(&layers, &mut row);
        }
    }
    let mut placed: Vec<Placed> = (0..n)
        .map(|v| Placed {
            id: names[v].to_string(),
            column: column[v],
            row: row[v],
        })
        .collect();
    placed.sort_by_key(|p| (p.column, p.row));
    placed
}

/// The documents `id` cites, as written (`cites` fields).
pub fn cites_of(export: &Export, id: &str) -> Vec<String> {
    export
        .document_fields(id)
        .unwrap_or(&[])
        .iter()
        .filter(|f| f.name.text == "cites")
        .flat_map(|f| &f.values)
        .map(|v| match v {
            Value::Word(w) => w.text.to_string(),
            Value::String(s) => s.value.to_string(),
            Value::Reference(r) => r.document.text.to_string(),
        })
        .collect()
}

/// The edges of `documents` (the site's documents): every `cites` and
/// `supersedes` they declare, whether or not they have mappings, sorted.
pub fn edges(export: &Export, documents: &BTreeSet<&str>) -> Vec<Edge> {
    let mut edges = BTreeSet::new();
    for d in documents {
        for c in cites_of(export, d) {
            edges.insert(Edge {
                from: d.to_string(),
                to: c,
                supersedes: false,
            });
        }
        for s in export.document_texts(d, "supersedes") {
            edges.insert(Edge {
                from: d.to_string(),
                to: s.to_string(),
                supersedes: true,
            });
        }
        for f in export
            .document_fields(d)
            .unwrap_or(&[])
            .iter()
            .filter(|f| f.name.text == "supersedes")
        {
            for v in &f.values {
                if let Value::Reference(r) = v {
                    edges.insert(Edge {
                        from: d.to_string(),
                        to: r.document.text.to_string(),
                        supersedes: true,
                    });
                }
            }
        }
    }
    edges.into_iter().collect()
}

/// What `id` cites and what cites it (not `supersedes`), as `<dt>`/`<dd>`
/// pairs of a document's `dl.meta` on the page at `path`.
pub fn meta(site: &Site, path: &str, id: &str) -> String {
    let link = |d: &str| site.link(path, site.any_path(d), d);
    let cites: Vec<String> = site
        .edges
        .iter()
        .filter(|e| !e.supersedes && e.from == id)
        .map(|e| link(&e.to))
        .collect();
    let cited_by: Vec<String> = site
        .edges
        .iter()
        .filter(|e| !e.supersedes && e.to == id)
        .map(|e| link(&e.from))
        .collect();
    let mut h = String::new();
    for (label, list) in [("Cites", cites), ("Cited by", cited_by)] {
        if !list.is_empty() {
            let _ = writeln!(h, "<dt>{label}</dt><dd>{}</dd>", list.join(", "));
        }
    }
    h
}

pub fn page_path() -> &'static str {
    "citations.html"
}

pub fn page(site: &Site) -> String {
    let path = page_path();
    let r = root(path);
    let edges = &site.edges;
    let placed = layout(edges);
    let in_graph: BTreeSet<&str> = placed.iter().map(|p| p.id.as_str()).collect();
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<p class=\"lead\">Which documents cite which (<code>cites</code>), and which editions \
         supersede which (<code>supersedes</code>): {} between {}.</p>",
        plural(edges.len(), "link", "links"),
        plural(in_graph.len(), "document", "documents"),
    );
    if placed.is_empty() {
        b.push_str("<p>No document of this workspace cites another.</p>\n");
    } else {
        let (node_w, node_h, col_gap, row_gap) = (250usize, 26usize, 110usize, 12usize);
        let columns = placed.iter().map(|p| p.column).max().unwrap_or(0) + 1;
        let rows = placed.iter().map(|p| p.row).max().unwrap_or(0) + 1;
        let width = columns * node_w + (columns - 1) * col_gap + 20;
        let height = rows * (node_h + row_gap) + 20;
        let pos: BTreeMap<&str, (usize, usize)> = placed
            .iter()
            .map(|p| {
                (
                    p.id.as_str(),
                    (
                        10 + p.column * (node_w + col_gap),
                        10 + p.row * (node_h + row_gap),
                    ),
                )
            })
            .collect();
        b.push_str("<p class=\"legend-head\">Links:</p>\n<ul class=\"legend\">\n<li><svg width=\"36\" height=\"10\" aria-hidden=\"true\"><line x1=\"0\" y1=\"5\" x2=\"36\" y2=\"5\" class=\"edge\"></line></svg>cites</li>\n\
            <li><svg width=\"36\" height=\"10\" aria-hidden=\"true\"><line x1=\"0\" y1=\"5\" x2=\"36\" y2=\"5\" class=\"edge supersedes\"></line></svg>supersedes</li>\n</ul>\n");
        let _ = write!(
            b,
            "<figure class=\"chart graph\">\n<svg role=\"img\" aria-labelledby=\"cg-t cg-d\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" class=\"citations\">\n\
             <title id=\"cg-t\">Citation graph</title>\n<desc id=\"cg-d\">{} in {}, citing documents left of the documents they cite; the table below lists every link.</desc>\n\
             <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" class=\"arrowhead\"></path></marker></defs>\n<g class=\"edges\">\n",
            plural(placed.len(), "document", "documents"),
            plural(columns, "column", "columns"),
        );
        for e in edges {
            let (Some(&(x1, y1)), Some(&(x2, y2))) =
                (pos.get(e.from.as_str()), pos.get(e.to.as_str()))
            else {
                continue;
            };
            let (ya, yb) = (y1 + node_h / 2, y2 + node_h / 2);
            let d = if x2 > x1 {
                let (sx, tx) = (x1 + node_w, x2);
                let mid = (sx + tx) / 2;
                format!("M{sx} {ya}C{mid} {ya} {mid} {yb} {tx} {yb}")
            } else {
                // A link within a column (a broken cycle): loop out right.
                let sx = x1 + node_w;
                let out = sx + col_gap / 2;
                format!("M{sx} {ya}C{out} {ya} {out} {yb} {} {yb}", x2 + node_w)
            };
            let _ = writeln!(
                b,
                "<path class=\"edge{}\" d=\"{d}\" marker-end=\"url(#arrow)\"><title>{} {} {}</title></path>",
                if e.supersedes { " supersedes" } else { "" },
                esc(&e.from),
                if e.supersedes { "supersedes" } else { "cites" },
                esc(&e.to)
            );
        }
        b.push_str("</g>\n<g class=\"nodes\">\n");
        for p in &placed {
            let (x, y) = pos[p.id.as_str()];
            let title = site.title(&p.id);
            let link = site.any_path(&p.id);
            let (open, close) = match link {
                Some(l) => (format!("<a href=\"{r}{l}\">"), "</a>"),
                None => ("<g>".to_string(), "</g>"),
            };
            let _ = writeln!(
                b,
                "{open}<title>{} ({})</title><rect x=\"{x}\" y=\"{y}\" width=\"{node_w}\" height=\"{node_h}\" rx=\"4\"></rect>\
                 <text x=\"{}\" y=\"{}\">{}</text>{close}",
                esc(&title),
                esc(&p.id),
                x + 8,
                y + node_h / 2 + 5,
                esc(&truncate(&title, 34)),
            );
        }
        b.push_str("</g>\n</svg>\n</figure>\n");
    }

    // The table: every document, what it cites and what cites it.
    let mut cited_by: BTreeMap<&str, Vec<&Edge>> = BTreeMap::new();
    let mut cites: BTreeMap<&str, Vec<&Edge>> = BTreeMap::new();
    for e in edges {
        cites.entry(&e.from).or_default().push(e);
        cited_by.entry(&e.to).or_default().push(e);
    }
    let link_of = |id: &str| site.link(path, site.any_path(id), &truncate(&site.title(id), 60));
    let describe = |list: Option<&Vec<&Edge>>, other: &dyn Fn(&Edge) -> String| -> String {
        list.map(|l| {
            l.iter()
                .map(|e| {
                    let s = link_of(&other(e));
                    if e.supersedes {
                        format!("{s} (supersedes)")
                    } else {
                        s
                    }
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
    };
    let mut t = String::from(
        "<table class=\"list\">\n<caption>Documents with citations</caption>\n<thead><tr><th scope=\"col\">Document</th>\
         <th scope=\"col\">Cites</th><th scope=\"col\">Cited by</th></tr></thead>\n<tbody>\n",
    );
    for id in &in_graph {
        let _ = writeln!(
            t,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            link_of(id),
            describe(cites.get(id), &|e: &Edge| e.to.clone()),
            describe(cited_by.get(id), &|e: &Edge| e.from.clone()),
        );
    }
    t.push_str("</tbody>\n</table>\n");
    b.push_str("<h2 id=\"links\">Every link</h2>\n");
    b.push_str(&scroll_table("Citations", &t));
    let alone: Vec<&str> = site
        .documents
        .iter()
        .copied()
        .filter(|d| !in_graph.contains(d))
        .collect();
    if !alone.is_empty() {
        let _ = writeln!(
            b,
            "<h2 id=\"unlinked\">Documents that cite none of the others</h2>\n<p>{} no <code>cites</code> and {} cited by none:</p>\n<ul class=\"columns\">",
            plural(alone.len(), "document declares", "documents declare"),
            noun(alone.len(), "is", "are")
        );
        for d in alone {
            let _ = writeln!(b, "<li>{}</li>", link_of(d));
        }
        b.push_str("</ul>\n");
    }
    super::html::page(site, path, "Citations", "", &b)
}
