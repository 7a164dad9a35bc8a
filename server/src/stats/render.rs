//! [`Stats`] as plain text (terminals) and Markdown (pull-request comments,
//! the published site).

use std::fmt::Write;

use super::{SourceDocument, Stats, TargetDocument};
use crate::model::status::Level;

use crate::plural::{noun, plural};

fn percent(part: usize, whole: usize) -> usize {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0)
}

/// "12 gaps", or "12 gaps (5 mandatory, 7 recommended)" when statuses
/// tell them apart.
fn gaps(gaps: usize, mandatory: usize, recommended: usize) -> String {
    let all = plural(gaps, "gap", "gaps");
    if mandatory + recommended == 0 {
        all
    } else {
        format!("{all} ({mandatory} mandatory, {recommended} recommended)")
    }
}

/// The gaps of a target by level: mandatory, recommended, then those
/// without a status; one group named "gaps" when no gap has a status.
fn gap_groups(t: &TargetDocument) -> Vec<(&'static str, Vec<&str>)> {
    if t.mandatory_gaps + t.recommended_gaps == 0 {
        return vec![("gaps", t.gaps.iter().map(String::as_str).collect())];
    }
    [
        ("mandatory gaps", Some(Level::Mandatory)),
        ("recommended gaps", Some(Level::Recommended)),
        ("gaps without a status", None),
    ]
    .into_iter()
    .map(|(name, level)| (name, t.gaps_of(level)))
    .filter(|(_, ids)| !ids.is_empty())
    .collect()
}

fn overview(stats: &Stats) -> String {
    let t = &stats.totals;
    let mut s = format!(
        "{} from {} ({})",
        plural(t.mappings, "mapping", "mappings"),
        plural(t.source_documents, "source document", "source documents"),
        plural(t.organisations, "organisation", "organisations"),
    );
    if t.no_relationship > 0 {
        let _ = write!(s, ", of which {} `no-relationship`", t.no_relationship);
    }
    let _ = write!(
        s,
        "; {}: {} of {} {} covered ({}%), {}.",
        plural(stats.targets.len(), "target document", "target documents"),
        t.covered,
        t.target_provisions,
        noun(t.target_provisions, "provision", "provisions"),
        percent(t.covered, t.target_provisions),
        gaps(t.gaps, t.mandatory_gaps, t.recommended_gaps),
    );
    s
}

fn target_line(t: &TargetDocument) -> String {
    format!(
        "{} of {} covered ({}%), {}",
        t.covered,
        plural(t.provisions.len(), "provision", "provisions"),
        percent(t.covered, t.provisions.len()),
        gaps(t.gaps.len(), t.mandatory_gaps, t.recommended_gaps),
    )
}

/// Plain text with aligned columns.
pub fn text(stats: &Stats) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", overview(stats));
    for t in &stats.targets {
        let _ = writeln!(out);
        let title = t
            .title
            .as_deref()
            .map_or(String::new(), |s| format!(" ({s})"));
        let _ = writeln!(out, "target {}{title}: {}", t.id, target_line(t));
        let rows: Vec<[String; 5]> = t
            .provisions
            .iter()
            .map(|p| {
                [
                    p.id.clone(),
                    p.clause.clone().unwrap_or_else(|| "-".into()),
                    p.mappings.to_string(),
                    p.via_clause.to_string(),
                    p.organisations.len().to_string(),
                ]
            })
            .collect();
        let header = [
            "provision",
            "clause",
            "mappings",
            "via clause",
            "organisations",
        ];
        let widths: Vec<usize> = (0..5)
            .map(|i| {
                rows.iter()
                    .map(|r| r[i].chars().count())
                    .chain([header[i].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: [&str; 5]| {
            let mut l = String::from("  ");
            for (i, c) in cells.iter().enumerate() {
                let pad = widths[i] - c.chars().count();
                if i < 2 {
                    l.push_str(c);
                    l.push_str(&" ".repeat(pad));
                } else {
                    l.push_str(&" ".repeat(pad));
                    l.push_str(c);
                }
                l.push_str("  ");
            }
            l.trim_end().to_string()
        };
        let _ = writeln!(out, "{}", line(header));
        for r in &rows {
            let _ = writeln!(out, "{}", line([&r[0], &r[1], &r[2], &r[3], &r[4]]));
        }
        for (name, ids) in gap_groups(t) {
            if !ids.is_empty() {
                let _ = writeln!(out, "  {name}: {}", ids.join(", "));
            }
        }
    }
    for s in &stats.sources {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "source {} ({}): {}",
            s.id,
            s.organisation,
            plural(s.mappings, "mapping", "mappings")
        );
        for c in &s.by_target {
            let _ = writeln!(out, "  {:>4}  {}", c.mappings, clause_label(c, false));
        }
    }
    out
}

fn clause_label(c: &super::ClauseCount, markdown: bool) -> String {
    let reference = if markdown {
        format!("`{}:{}`", c.document, c.clause)
    } else {
        format!("{}:{}", c.document, c.clause)
    };
    match &c.title {
        Some(t) if markdown => format!("{reference} {}", cell(t)),
        Some(t) => format!("{reference} {t}"),
        None => reference,
    }
}

/// A table cell: no line breaks, `|` escaped.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Markdown for a pull-request comment: an overview, then one collapsed
/// table per target document and one per source document.
pub fn markdown(stats: &Stats) -> String {
    let mut out = String::from("### Crosswalk coverage\n\n");
    let _ = writeln!(out, "{}", overview(stats));
    for t in &stats.targets {
        let title = t
            .title
            .as_deref()
            .map_or(String::new(), |s| format!(" {}", cell(s)));
        let _ = writeln!(out, "\n#### Target `{}`{title}\n", t.id);
        let _ = writeln!(out, "{}.\n", target_line(t));
        let _ = writeln!(
            out,
            "<details><summary>Provisions ({})</summary>\n",
            t.provisions.len()
        );
        let _ = writeln!(
            out,
            "| Provision | Clause | Mappings | Via clause | Organisations |\n|---|---|--:|--:|--:|"
        );
        for p in &t.provisions {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} |",
                p.id,
                p.clause.as_deref().map_or("".into(), |c| format!("`{c}`")),
                p.mappings,
                p.via_clause,
                p.organisations.len()
            );
        }
        let _ = writeln!(out, "\n</details>");
        for (name, ids) in gap_groups(t) {
            if ids.is_empty() {
                continue;
            }
            let list: Vec<String> = ids.iter().map(|g| format!("`{g}`")).collect();
            let mut name = name.to_string();
            name.replace_range(..1, &name[..1].to_uppercase());
            let _ = writeln!(out, "\n**{name} ({}):** {}", ids.len(), list.join(", "));
        }
    }
    if !stats.sources.is_empty() {
        let _ = writeln!(out, "\n#### Sources\n");
        let _ = writeln!(
            out,
            "| Source document | Organisation | Mappings |\n|---|---|--:|"
        );
        for s in &stats.sources {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                s.id,
                cell(&s.organisation),
                s.mappings
            );
        }
        for s in &stats.sources {
            source_details(&mut out, s);
        }
    }
    out
}

fn source_details(out: &mut String, s: &SourceDocument) {
    let _ = writeln!(
        out,
        "\n<details><summary><code>{}</code>: mappings per target clause</summary>\n",
        s.id
    );
    let _ = writeln!(out, "| Target clause | Mappings |\n|---|--:|");
    for c in &s.by_target {
        let _ = writeln!(out, "| {} | {} |", clause_label(c, true), c.mappings);
    }
    let _ = writeln!(out, "\n</details>");
}
