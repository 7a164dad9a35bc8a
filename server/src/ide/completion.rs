//! Completion: document ids, provision ids (fuzzy on the id, by word on
//! the title and text), field names, relation values and keywords.

use super::completion_context::{enclosing_block, in_block_string};
use super::fuzzy::Fuzzy;
use crate::model::index::{DocumentInfo, Index, ProvisionInfo, is_bare};
use crate::model::schema::{self, BlockKind, RATIONALES, RELATIONS};
use crate::model::wording::{Wording, shorten, wording};
use crate::model::{FileId, Workspace};
use crate::suggest::Suggestion;
use crate::syntax::TextRange;
use crate::syntax::strings::encode_quoted;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Document,
    Provision,
    Clause,
    Field,
    Value,
    Keyword,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    /// Shown beside the label (a title).
    pub detail: Option<String>,
    /// Markdown shown in the documentation panel.
    pub documentation: Option<String>,
    /// The range the insertion replaces (the partial token).
    pub replace: TextRange,
    pub insert_text: String,
    /// Sorts best first.
    pub sort_text: String,
    /// What the client filters on.
    pub filter_text: String,
}

fn is_id_char(c: char) -> bool {
    crate::syntax::lexical::is_word_char(c)
}

/// The completions at `offset` in `file`.
pub fn completions(ws: &Workspace, file: FileId, offset: usize) -> Vec<CompletionItem> {
    let f = ws.file(file);
    let text = &f.text;
    let offset = crate::model::line_index::clamp_to_char_boundary(text, offset);
    let line_start = crate::syntax::lines::start_of_line(text, offset);
    let prefix = &text[line_start..offset];
    // Inside a comment: nothing.
    if in_comment(prefix) {
        return Vec::new();
    }
    // Inside a string (a title, a note): nothing, but in a quoted id after
    // `DOC:`.
    if open_string(prefix).is_some_and(|quote| !prefix[..quote].ends_with(':'))
        || in_block_string(ws, file, offset)
    {
        return Vec::new();
    }
    // The partial token before the cursor, and what follows it on the line.
    let partial_start = offset
        - prefix
            .chars()
            .rev()
            .take_while(|&c| is_id_char(c))
            .map(char::len_utf8)
            .sum::<usize>();
    let partial = &text[partial_start..offset];
    let token_end = offset
        + text[offset..]
            .chars()
            .take_while(|&c| is_id_char(c))
            .map(char::len_utf8)
            .sum::<usize>();
    let before = &text[line_start..partial_start];

    // DOC:partial or DOC:"partial
    if let Some(items) = provision_context(ws, file, line_start, partial_start, offset, token_end) {
        return items;
    }
    let trimmed = before.trim_end();
    let replace = partial_start..token_end;
    let last_word = trimmed
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("");
    let head_of_line = trimmed.trim_start();
    let in_map_head = head_of_line.starts_with("map ") || head_of_line == "map";
    if trimmed.ends_with("->")
        || last_word == "map" && head_of_line == "map"
        || last_word == "supersedes"
        || last_word == "cites"
        || (trimmed.ends_with(',') && (in_map_head || head_of_line.starts_with("cites ")))
    {
        return documents(ws, partial, replace);
    }
    if last_word == "relation" && head_of_line == "relation" {
        return values(RELATIONS, partial, replace, "relation");
    }
    if last_word == "rationale" && head_of_line == "rationale" {
        return values(RATIONALES, partial, replace, "rationale");
    }
    if trimmed.is_empty() {
        return match enclosing_block(ws, file, offset) {
            Some(kind) => fields(kind, partial, replace),
            None => keywords(&["document", "map"], partial, replace),
        };
    }
    Vec::new()
}

fn in_comment(prefix: &str) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    for c in prefix.chars() {
        match c {
            '\\' if in_string && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => in_string = !in_string,
            '#' if !in_string => return true,
            _ => {}
        }
        escaped = false;
    }
    false
}

/// Where the string that `prefix` (a line's text before the cursor) ends
/// inside opens: the offset of its quote.
fn open_string(prefix: &str) -> Option<usize> {
    let mut open = None;
    let mut escaped = false;
    for (i, c) in prefix.char_indices() {
        match c {
            '\\' if open.is_some() && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => open = if open.is_some() { None } else { Some(i) },
            '#' if open.is_none() => return None,
            _ => {}
        }
        escaped = false;
    }
    open
}

/// Completion after `DOC:` (bare or with an opening quote).
fn provision_context(
    ws: &Workspace,
    file: FileId,
    line_start: usize,
    partial_start: usize,
    offset: usize,
    token_end: usize,
) -> Option<Vec<CompletionItem>> {
    let text = &ws.file(file).text;
    let before = &text[line_start..partial_start];
    let (quoted, colon_at) = if let Some(b) = before.strip_suffix(":\"") {
        (true, line_start + b.len())
    } else if let Some(b) = before.strip_suffix(':') {
        (false, line_start + b.len())
    } else {
        return None;
    };
    let doc_start = text[line_start..colon_at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_id_char(c))
        .last()
        .map(|(i, _)| line_start + i)?;
    let doc_id = &text[doc_start..colon_at];
    let doc = ws.index.document(doc_id)?;
    let partial = &text[partial_start..offset];
    // Replace from the quote (if any) to the end of the id (and a closing quote).
    let start = if quoted {
        partial_start - 1
    } else {
        partial_start
    };
    let mut end = token_end;
    if quoted && text[end..].starts_with('"') {
        end += 1;
    }
    let suggested = super::suggested::for_completion(ws, file, offset, doc_id);
    Some(provisions(&ws.index, doc, partial, start..end, &suggested))
}

/// How many characters of a provision's words the detail beside its
/// label shows.
const DETAIL_WIDTH: usize = 60;

/// The provisions and clauses of `doc`; those `suggested` for the map at
/// the cursor first, with the reason as their detail.
fn provisions(
    index: &Index,
    doc: &DocumentInfo,
    partial: &str,
    replace: TextRange,
    suggested: &[Suggestion],
) -> Vec<CompletionItem> {
    let mut fuzzy = Fuzzy::new(partial);
    let mut scored: Vec<(u32, usize, CompletionItem)> = Vec::new();
    let entries = doc
        .provisions
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                p.title.as_deref(),
                wording(index, p),
                Some(p),
                CompletionKind::Provision,
            )
        })
        .chain(doc.clauses.iter().map(|c| {
            (
                c.id.as_str(),
                c.title.as_deref(),
                None,
                None,
                CompletionKind::Clause,
            )
        }));
    for (order, (id, title, words, provision, kind)) in entries.enumerate() {
        let body = words.as_ref().map(|w| w.text());
        let score = if fuzzy.is_empty() {
            Some(0)
        } else if let Some(s) = fuzzy.score(id) {
            Some(10_000 + s)
        } else if title.is_some_and(|t| fuzzy.words_match(t)) {
            Some(5_000)
        } else if body.is_some_and(|t| fuzzy.words_match(t)) {
            Some(1_000)
        } else {
            None
        };
        let Some(mut score) = score else { continue };
        let id_matched = fuzzy.is_empty() || score >= 10_000;
        let suggestion = suggested.iter().position(|s| s.id == id);
        if let Some(rank) = suggestion {
            score = 1_000_000 - rank as u32;
        }
        let documentation = provision_documentation(doc, id, title, provision, words.as_ref());
        // Beside the label: the provision's title, else the start of its
        // words (different for each provision of a clause), else its
        // clause's title.
        let about = title.map(str::to_string).or_else(|| {
            let p = provision?;
            match &words {
                Some(w) => {
                    let short = shorten(w.text(), DETAIL_WIDTH);
                    Some(match w {
                        Wording::Own(_) => short,
                        Wording::Replaced { .. } => format!("{}{short}", w.prefix()),
                    })
                }
                None => p
                    .clause
                    .as_deref()
                    .and_then(|c| doc.clause(c))
                    .and_then(|c| c.title.clone()),
            }
        });
        let insert_text = if is_bare(id) {
            id.to_string()
        } else {
            encode_quoted(id)
        };
        scored.push((
            score,
            order,
            CompletionItem {
                label: id.to_string(),
                kind,
                detail: match suggestion {
                    Some(rank) => Some(format!(
                        "★ {:.0}% suggested: {}",
                        100.0 * suggested[rank].confidence,
                        suggested[rank].why
                    )),
                    None => about,
                },
                documentation: Some(documentation),
                replace: replace.clone(),
                insert_text,
                sort_text: String::new(),
                // Keep word matches visible to clients that filter on the id.
                filter_text: if id_matched {
                    id.to_string()
                } else {
                    partial.to_string()
                },
            },
        ));
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .enumerate()
        .map(|(rank, (_, _, mut item))| {
            item.sort_text = format!("{rank:05}");
            item
        })
        .collect()
}

/// The Markdown of a provision's or clause's documentation panel: its
/// title, its clause, its status and its words. Written into one string
/// sized for it (a request writes one for every provision of a catalog).
fn provision_documentation(
    doc: &DocumentInfo,
    id: &str,
    title: Option<&str>,
    provision: Option<&ProvisionInfo>,
    words: Option<&Wording>,
) -> String {
    use std::fmt::Write;
    let clause = provision
        .and_then(|p| p.clause.as_deref())
        .and_then(|c| doc.clause(c));
    let len = |s: Option<&str>| s.map_or(0, str::len);
    let mut out = String::with_capacity(
        doc.id.len()
            + id.len()
            + len(title)
            + clause.map_or(0, |c| c.id.len() + len(c.title.as_deref()))
            + len(provision.and_then(|p| p.status.as_deref()))
            + len(words.map(Wording::text))
            + 160,
    );
    // Writing to a `String` does not fail.
    let _ = write!(out, "**{}:{}**", doc.id, id);
    if let Some(t) = title {
        let _ = write!(out, " — {t}");
    }
    let Some(p) = provision else {
        return out;
    };
    if let Some(c) = clause {
        let _ = write!(out, "\n\nClause {}", c.id);
        if let Some(t) = &c.title {
            let _ = write!(out, " {t}");
        }
    }
    if let Some(s) = &p.status {
        let _ = write!(out, "\n\nStatus: `{s}`");
    }
    match words {
        Some(w) => {
            if let Some(label) = w.label() {
                let _ = write!(out, "\n\n*Text not included in the catalog. The {label}:*");
            }
            out.push_str("\n\n");
            out.push_str(w.text());
        }
        None => out.push_str("\n\n*Text not included in the catalog.*"),
    }
    out
}

fn documents(ws: &Workspace, partial: &str, replace: TextRange) -> Vec<CompletionItem> {
    let mut fuzzy = Fuzzy::new(partial);
    let mut docs: Vec<(u32, &DocumentInfo)> = ws
        .index
        .documents
        .values()
        .filter_map(|d| {
            if fuzzy.is_empty() {
                Some((0, d))
            } else {
                fuzzy.score(&d.id).map(|s| (s + 1000, d)).or_else(|| {
                    d.title
                        .as_deref()
                        .filter(|t| fuzzy.words_match(t))
                        .map(|_| (0, d))
                })
            }
        })
        .collect();
    docs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    docs.into_iter()
        .enumerate()
        .map(|(rank, (_, d))| {
            let mut documentation = format!("**{}**", d.title.as_deref().unwrap_or(&d.id));
            if let Some(v) = &d.version {
                documentation.push_str(&format!("\n\nVersion: {v}"));
            }
            if let Some(p) = &d.publisher {
                documentation.push_str(&format!("\n\nPublisher: {p}"));
            }
            if d.is_catalogued() {
                documentation.push_str(&format!(
                    "\n\n{} catalogued.",
                    crate::plural::plural(d.provisions.len(), "provision", "provisions")
                ));
            }
            CompletionItem {
                label: d.id.clone(),
                kind: CompletionKind::Document,
                detail: d.title.clone(),
                documentation: Some(documentation),
                replace: replace.clone(),
                insert_text: d.id.clone(),
                sort_text: format!("{rank:05}"),
                filter_text: d.id.clone(),
            }
        })
        .collect()
}

fn values(allowed: &[&str], partial: &str, replace: TextRange, what: &str) -> Vec<CompletionItem> {
    let mut fuzzy = Fuzzy::new(partial);
    allowed
        .iter()
        .enumerate()
        .filter(|(_, v)| fuzzy.is_empty() || fuzzy.score(v).is_some())
        .map(|(i, v)| CompletionItem {
            label: v.to_string(),
            kind: CompletionKind::Value,
            detail: Some(what.to_string()),
            documentation: relation_doc(v).map(str::to_string),
            replace: replace.clone(),
            insert_text: v.to_string(),
            sort_text: format!("{i:05}"),
            filter_text: v.to_string(),
        })
        .collect()
}

/// What each relation means, for completion documentation and hovers.
pub fn relation_doc(relation: &str) -> Option<&'static str> {
    Some(match relation {
        "related" => {
            "The source and target are related; the kind of relation is not stated (a crosswalk). The default."
        }
        "equal-to" => "The source and target say the same thing in the same words.",
        "equivalent-to" => "The source and target mean the same thing, in different words.",
        "subset-of" => "Everything the source asks is asked by the target, which asks more.",
        "superset-of" => "The source asks everything the target asks, and more.",
        "intersects-with" => {
            "The source and target overlap; each asks something the other does not."
        }
        "no-relationship" => "The source and target are not related (recorded on purpose).",
        "syntactic" => "The relation rests on the wording.",
        "semantic" => "The relation rests on the meaning.",
        "functional" => "The relation rests on what implementing each achieves.",
        _ => return None,
    })
}

fn fields(kind: BlockKind, partial: &str, replace: TextRange) -> Vec<CompletionItem> {
    let mut fuzzy = Fuzzy::new(partial);
    let mut items: Vec<CompletionItem> = schema::fields(kind)
        .iter()
        .filter(|f| fuzzy.is_empty() || fuzzy.score(f.name).is_some())
        .enumerate()
        .map(|(i, f)| CompletionItem {
            label: f.name.to_string(),
            kind: CompletionKind::Field,
            detail: Some(format!("{} field", kind.as_str())),
            documentation: Some(f.doc.to_string()),
            replace: replace.clone(),
            insert_text: format!("{} ", f.name),
            sort_text: format!("{i:05}"),
            filter_text: f.name.to_string(),
        })
        .collect();
    let nested: &[&str] = match kind {
        BlockKind::Document | BlockKind::Clause => &["clause", "provision"],
        _ => &[],
    };
    let mut more = keywords(nested, partial, replace);
    for (i, k) in more.iter_mut().enumerate() {
        k.sort_text = format!("{:05}", items.len() + i);
    }
    items.extend(more);
    items
}

fn keywords(words: &[&str], partial: &str, replace: TextRange) -> Vec<CompletionItem> {
    let mut fuzzy = Fuzzy::new(partial);
    words
        .iter()
        .filter(|w| fuzzy.is_empty() || fuzzy.score(w).is_some())
        .enumerate()
        .map(|(i, w)| CompletionItem {
            label: w.to_string(),
            kind: CompletionKind::Keyword,
            detail: None,
            documentation: None,
            replace: replace.clone(),
            insert_text: format!("{w} "),
            sort_text: format!("{i:05}"),
            filter_text: w.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture::Fixture;

    const GUIDE: &str = r#"
        //- a.xwalk
        document vendor-guide {
          title "Vendor security guide"
          clause 1 "Passwords" {
            provision 1.1 "Unique passwords" { text "Every device has its own password." }
            provision "1.2 b" { text "Passwords can be changed." status "R" }
          }
        }
    "#;

    /// The first `limit` items: label, kind, the text they replace and
    /// what they insert.
    fn check_limit(fixture: &str, limit: usize, expect: Expect) {
        let fx = Fixture::parse(&format!("{GUIDE}{fixture}"));
        let (file, offset) = fx.position();
        let items = completions(&fx.ws, file, offset);
        let mut actual: String = items
            .iter()
            .take(limit)
            .map(|i| {
                let replaced = &fx.ws.file(file).text[i.replace.clone()];
                format!(
                    "{:?} {}{} replaces `{replaced}` with `{}`\n",
                    i.kind,
                    i.label,
                    i.detail
                        .as_deref()
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default(),
                    i.insert_text
                )
            })
            .collect();
        if items.len() > limit {
            actual.push_str(&format!("… {} more\n", items.len() - limit));
        }
        expect.assert_eq(&actual);
    }

    fn check(fixture: &str, expect: Expect) {
        check_limit(fixture, 8, expect)
    }

    #[test]
    fn provisions_and_clauses_of_a_workspace_document() {
        check(
            "//- b.xwalk\nmap vendor-guide:$0 -> uk-cop-2018:1 {}\n",
            expect![[r#"
                Provision 1.1 (Unique passwords) replaces `` with `1.1`
                Provision 1.2 b (Passwords can be changed.) replaces `` with `"1.2 b"`
                Clause 1 (Passwords) replaces `` with `1`
            "#]],
        );
    }

    #[test]
    fn provision_id_fuzzy_and_quoted() {
        check(
            "//- b.xwalk\nmap vendor-guide:12$0 -> uk-cop-2018:1 {}\n",
            expect![[r#"
                Provision 1.2 b (Passwords can be changed.) replaces `12` with `"1.2 b"`
            "#]],
        );
        check(
            "//- b.xwalk\nmap vendor-guide:\"1.$0\" -> uk-cop-2018:1 {}\n",
            expect![[r#"
                Provision 1.1 (Unique passwords) replaces `"1."` with `1.1`
                Provision 1.2 b (Passwords can be changed.) replaces `"1."` with `"1.2 b"`
            "#]],
        );
    }

    /// Label, detail and documentation of the items at the cursor.
    fn check_docs(fixture: &str, limit: usize, expect: Expect) {
        let fx = Fixture::parse(&format!("{GUIDE}{fixture}"));
        let (file, offset) = fx.position();
        let actual: String = completions(&fx.ws, file, offset)
            .iter()
            .take(limit)
            .map(|i| {
                format!(
                    "{:?} {} ({})\n{}\n---\n",
                    i.kind,
                    i.label,
                    i.detail.as_deref().unwrap_or(""),
                    i.documentation.as_deref().unwrap_or("")
                )
            })
            .collect();
        expect.assert_eq(&actual);
    }

    #[test]
    fn v3_provisions_read_as_provisions_with_their_own_words() {
        // No titles in the standard: the detail is the start of the text,
        // different for each provision of the clause.
        check_docs(
            "//- b.xwalk\nmap memo:1 -> etsi-en-303-645-v3:5.1-$0 {}\n",
            2,
            expect![[r#"
                Provision 5.1-1 (Where passwords are used to authenticate users against the…)
                **etsi-en-303-645-v3:5.1-1**

                Clause 5.1 No universal default passwords

                Status: `M F (a)`

                Where passwords are used to authenticate users against the device or for machine-to-machine authentication, and in any state other than the factory default, all consumer IoT device passwords shall be unique per device or defined by the user.
                ---
                Provision 5.1-2 (Where pre-installed unique per device passwords are used to…)
                **etsi-en-303-645-v3:5.1-2**

                Clause 5.1 No universal default passwords

                Status: `M F (b)`

                Where pre-installed unique per device passwords are used to authenticate users against the device or for machine-to-machine authentication, these shall be generated with a mechanism that reduces the risk of automated attacks against a class or type of consumer IoT device.
                ---
            "#]],
        );
    }

    #[test]
    fn a_provision_without_text_offers_the_text_it_replaces_labelled() {
        check_docs(
            r#"//- b.xwalk
document draft-4 {
  title "Draft"
  version "4 (draft)"
  clause 5.1 "No universal default passwords" {
    provision 5.1-1 { status "M" replaces etsi-en-303-645-v3:5.1-1 }
    provision 5.1-9 {}
  }
}
map memo:1 -> draft-4:5.1-$0 {}
"#,
            2,
            expect![[r#"
                Provision 5.1-1 (V3.1.3: Where passwords are used to authenticate users against the…)
                **draft-4:5.1-1**

                Clause 5.1 No universal default passwords

                Status: `M`

                *Text not included in the catalog. The V3.1.3 text of 5.1-1, which this replaces:*

                Where passwords are used to authenticate users against the device or for machine-to-machine authentication, and in any state other than the factory default, all consumer IoT device passwords shall be unique per device or defined by the user.
                ---
                Provision 5.1-9 (No universal default passwords)
                **draft-4:5.1-9**

                Clause 5.1 No universal default passwords

                *Text not included in the catalog.*
                ---
            "#]],
        );
    }

    #[test]
    fn provision_by_title_and_text_words_in_a_built_in_catalog() {
        check(
            "//- b.xwalk\nmap vendor-guide:1.1 -> uk-cop-2018:vulner$0 {}\n",
            expect![[r#"
                Provision 2 (Implement a vulnerability disclosure policy) replaces `vulner` with `2`
            "#]],
        );
    }

    #[test]
    fn documents_after_the_arrow_and_at_the_start_of_a_map() {
        check_limit(
            "//- b.xwalk\nmap vendor-guide:1.1 -> vend$0\n",
            3,
            expect![[r#"
                Document vendor-guide (Vendor security guide) replaces `vend` with `vendor-guide`
            "#]],
        );
        check_limit(
            "//- b.xwalk\nmap uk$0\n",
            3,
            expect![[r#"
                Document uk-cop-2018 (Code of Practice for Consumer IoT Security) replaces `uk` with `uk-cop-2018`
                Document uk-psti-2023 (The Product Security and Telecommunications Infrastructure (Security Requirements for Relevant Connectable Products) Regulations 2023, Schedule 1: Security requirements for manufacturers) replaces `uk` with `uk-psti-2023`
            "#]],
        );
    }

    #[test]
    fn fields_relations_and_keywords() {
        check(
            "//- b.xwalk\nmap vendor-guide:1.1 -> uk-cop-2018:1 {\n  rel$0\n}\n",
            expect![[r#"
                Field relation (map field) replaces `rel` with `relation `
            "#]],
        );
        check(
            "//- b.xwalk\nmap vendor-guide:1.1 -> uk-cop-2018:1 {\n  relation sub$0\n}\n",
            expect![[r#"
                Value subset-of (relation) replaces `sub` with `subset-of`
            "#]],
        );
        check(
            "//- b.xwalk\ndocument d {\n  title \"D\"\n  clause 1 {\n    $0\n  }\n}\n",
            expect![[r#"
                Field text (clause field) replaces `` with `text `
                Field note (clause field) replaces `` with `note `
                Keyword clause replaces `` with `clause `
                Keyword provision replaces `` with `provision `
            "#]],
        );
        check(
            "//- b.xwalk\n$0\n",
            expect![[r#"
            Keyword document replaces `` with `document `
            Keyword map replaces `` with `map `
        "#]],
        );
    }

    #[test]
    fn nothing_in_comments_strings_and_unknown_documents() {
        check("//- b.xwalk\n# map vendor-guide:$0\n", expect![""]);
        check(
            "//- b.xwalk\nmap a:1 -> uk-cop-2018:1 {\n  note \"see vendor-guide:$0\"\n}\n",
            expect![""],
        );
        check(
            "//- b.xwalk\nmap a:1 -> uk-cop-2018:1 {\n  note \"\"\"\n  rel$0\n  \"\"\"\n}\n",
            expect![""],
        );
        // Escaped quotes do not end a string: after this one, ids again.
        check(
            r#"//- b.xwalk
map a:1 -> uk-cop-2018:1 { excerpt "say \"hi\"" } map a:2 -> vendor-guide:1.$0
"#,
            expect![[r#"
                Provision 1.1 (Unique passwords) replaces `1.` with `1.1`
                Provision 1.2 b (Passwords can be changed.) replaces `1.` with `"1.2 b"`
            "#]],
        );
        check("//- b.xwalk\nmap nowhere:$0\n", expect![""]);
    }

    #[test]
    fn at_the_end_of_the_file_and_on_a_multi_byte_character() {
        // The map being typed has its source provision's text to suggest
        // from ("Every device has its own password.").
        check(
            "//- b.xwalk\nmap vendor-guide:1.1 -> uk-cop-2018:$0",
            expect![[r#"
                Provision 1 (★ 48% suggested: shares the words “password”, “device”) replaces `` with `1`
                Provision 4 (★ 25% suggested: shares the words “password”, “device”) replaces `` with `4`
                Provision 2 (Implement a vulnerability disclosure policy) replaces `` with `2`
                Provision 3 (Keep software updated) replaces `` with `3`
                Provision 5 (Communicate securely) replaces `` with `5`
                Provision 6 (Minimise exposed attack surfaces) replaces `` with `6`
                Provision 7 (Ensure software integrity) replaces `` with `7`
                Provision 8 (Ensure that personal data is protected) replaces `` with `8`
                … 5 more
            "#]],
        );
        let fx = Fixture::parse("document d {\n  title \"é\"\n}\n");
        let inside = fx.ws.file(fx.main()).text.find('é').unwrap() + 1;
        assert_eq!(completions(&fx.ws, fx.main(), inside), vec![]);
    }
}
