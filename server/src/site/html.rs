//! HTML building blocks: escaping, file names, the page frame (header,
//! navigation, footer with the downloads) and small formatting helpers.

use std::fmt::Write;

use super::Site;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    crate::syntax::strings::escape_html(s)
}

/// Text with its line breaks as `<br>`.
pub fn esc_lines(s: &str) -> String {
    s.split('\n').map(esc).collect::<Vec<_>>().join("<br>")
}

/// A file-name (and fragment) safe, injective spelling of an id: ASCII
/// letters, digits, `.` and `-` stay; `_` doubles; anything else becomes
/// `_HEX_`.
pub fn slug(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
            out.push(c);
        } else if c == '_' {
            out.push_str("__");
        } else {
            let _ = write!(out, "_{:x}_", c as u32);
        }
    }
    if out.starts_with('.') || out.is_empty() {
        out.insert(0, '_');
    }
    out
}

/// `s` cut to at most `n` characters, with an ellipsis when cut.
pub fn truncate(s: &str, n: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// `1,234`.
pub fn num(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 mapping`, `2 mappings`, `1,234 mappings`: `crate::plural` with the
/// number's thousands separated.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", num(n), noun(n, one, many))
}

pub use crate::plural::noun;

/// The navigation entries: file and label.
const NAV: [(&str, &str); 5] = [
    ("index.html", "Overview"),
    ("documents.html", "Documents"),
    ("citations.html", "Citations"),
    ("downloads.html", "Downloads"),
    ("search.html", "Search"),
];

/// A whole page. `path` is the page's path in the site (for the relative
/// links), `title` its `<title>` and `<h1>`, `body` the main content after
/// the heading.
pub fn page(site: &Site, path: &str, title: &str, lead: &str, body: &str) -> String {
    let root = root(path);
    let mut h = String::with_capacity(body.len() + 4096);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · {name}</title>\n\
         <link rel=\"stylesheet\" href=\"{root}assets/style.css\">\n</head>\n<body>\n\
         <a class=\"skip\" href=\"#main\">Skip to content</a>\n\
         <header class=\"site\">\n<p class=\"brand\"><a href=\"{root}index.html\">{name}</a></p>\n\
         <nav aria-label=\"Site\">\n<ul>\n",
        title = esc(title),
        name = esc(&site.name),
    );
    for (file, label) in NAV {
        let current = if file == path {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = writeln!(h, "<li><a href=\"{root}{file}\"{current}>{label}</a></li>");
    }
    let _ = write!(
        h,
        "</ul>\n</nav>\n\
         <form class=\"search\" action=\"{root}search.html\" method=\"get\" role=\"search\">\n\
         <label for=\"q\" class=\"visually-hidden\">Search documents and provisions</label>\n\
         <input id=\"q\" name=\"q\" type=\"search\" placeholder=\"Search, e.g. GP-TM-23\">\n\
         <button type=\"submit\">Search</button>\n</form>\n</header>\n\
         <main id=\"main\">\n<h1>{}</h1>\n{lead}{body}</main>\n\
         <footer class=\"site\">\n<p>Open data: ",
        esc(title)
    );
    let links: Vec<String> = site
        .downloads
        .iter()
        .map(|d| {
            format!(
                "<a href=\"{root}data/{}\" download>{}</a>",
                d.file,
                esc(d.label)
            )
        })
        .collect();
    h.push_str(&links.join(" · "));
    let _ = write!(
        h,
        " (<a href=\"{root}downloads.html\">about the downloads</a>).</p>\n<p>Built by \
         <code>xwalk site</code> from the mapping files{}.</p>\n",
        site.built
            .as_deref()
            .map(|d| format!(" on {d}"))
            .unwrap_or_default()
    );
    if let Some(c) = &site.copyright {
        let _ = writeln!(h, "<p>{}</p>", esc(c));
    }
    h.push_str("</footer>\n");
    if path == "search.html" {
        let _ = write!(
            h,
            "<script src=\"{root}assets/search-index.js\"></script>\n\
             <script src=\"{root}assets/search.js\"></script>\n"
        );
    }
    h.push_str("</body>\n</html>\n");
    h
}

/// The relative prefix from `path` to the site's root (`../` per folder).
pub fn root(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A table wrapped in a scrollable, keyboard-focusable region.
pub fn scroll_table(label: &str, table: &str) -> String {
    format!(
        "<section class=\"scroll\" aria-label=\"{}\" tabindex=\"0\">\n{table}</section>\n",
        esc(label)
    )
}
