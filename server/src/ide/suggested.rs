//! Suggested targets in the editor: the confident candidates of `suggest`
//! for the `map` at the cursor (those at least
//! [`suggest::calibration::THRESHOLD`] likely to be accepted), ranked
//! first by completion after `DOC:` with their calibrated score, and the
//! "Add suggested target …" code actions; when none is confident, a
//! disabled action says so and why.

use super::TextEdit;
use crate::model::index::EndpointKey;
use crate::model::{FileId, Workspace};
use crate::suggest::{self, Ranking, Request, Suggestion, Weights, sources};
use crate::syntax::{Map, TextRange};

/// How many suggestions completion ranks first.
pub const COMPLETION_TOP: usize = 3;
/// How many "Add suggested target" actions a map gets.
pub const ACTION_TOP: usize = 3;

/// The `map` whose text holds `offset` (its end included; the first of
/// two that touch there).
///
/// Found by binary search on where the blocks are: maps are in source
/// order and do not overlap, so the first whose end is not before
/// `offset` is the only one that can hold it. Only that block is read
/// whole (a moved block is copied when read: see `syntax::MapAt`); a scan
/// read every block before the cursor, each behind its own pointer.
pub fn map_at(ws: &Workspace, file: FileId, offset: usize) -> Option<&Map> {
    let maps = &ws.file(file).parse.ast.maps;
    let first = maps.partition_point(|m| m.block_range().end < offset);
    maps.get(first)
        .filter(|m| m.block_range().start <= offset)
        .map(|m| &**m)
}

/// The best confident candidates of `target` for the map's text (its
/// excerpt, or its source provision's `text`), leaving out those it
/// already maps to and the mappings of its own source document.
pub fn for_map(ws: &Workspace, map: &Map, target: &str, top: usize) -> Vec<Suggestion> {
    ranking_for_map(ws, map, target)
        .map(|r| r.confident(top))
        .unwrap_or_default()
}

/// Every candidate of `target` for the map's text but those it maps to,
/// with the evidence; `None` when the map has no text.
fn ranking_for_map(ws: &Workspace, map: &Map, target: &str) -> Option<Ranking> {
    let text = sources::map_text(ws, map)?;
    let req = Request {
        text: &text,
        target,
        exclude: Some(map.source.key().0),
        weights: Weights::DEFAULT,
    };
    let mapped: Vec<&str> = map
        .targets
        .iter()
        .filter_map(|t| match t.key() {
            (d, Some(id)) if d == target => Some(id),
            _ => None,
        })
        .collect();
    let mut ranking = suggest::ranking(ws, &req);
    ranking
        .candidates
        .retain(|s| !mapped.contains(&s.id.as_str()));
    Some(ranking)
}

/// The suggestions completion ranks first after `target:` at `offset`.
pub fn for_completion(
    ws: &Workspace,
    file: FileId,
    offset: usize,
    target: &str,
) -> Vec<Suggestion> {
    let Some(map) = map_at(ws, file, offset).filter(|m| offset <= m.head_range().end) else {
        return while_typing(ws, file, offset, target);
    };
    // The target being typed is not yet a mapping to leave out.
    let mut out = for_map(ws, map, target, COMPLETION_TOP + map.targets.len());
    let typed: Vec<&str> = map
        .targets
        .iter()
        .filter(|t| t.range().start <= offset && offset <= t.range().end)
        .filter_map(|t| t.key().1)
        .collect();
    out.retain(|s| !typed.contains(&s.id.as_str()));
    out.truncate(COMPLETION_TOP);
    out
}

/// A map whose head is being typed (`map S:1 -> DOC:` is not yet a map of
/// the AST), read from the text: its source from the line, its text the
/// excerpt of the block opened on that line (never a later map's), else
/// the source provision's `text`.
fn while_typing(ws: &Workspace, file: FileId, offset: usize, target: &str) -> Vec<Suggestion> {
    let text = &ws.file(file).text;
    let line_start = crate::syntax::lines::start_of_line(text, offset);
    let Some(head) = text[line_start..offset].trim_start().strip_prefix("map ") else {
        return Vec::new();
    };
    let source = head.split_whitespace().next().unwrap_or("");
    let (document, id) = match source.split_once(':') {
        Some((d, id)) => (d, Some(id.trim_matches('"'))),
        None => (source, None),
    };
    let line_end = crate::syntax::lines::end_of_line(text, offset);
    let excerpt = text[offset..line_end]
        .find('{')
        .and_then(|open| block_excerpt(&text[offset + open..]));
    let Some(source_text) =
        excerpt.or_else(|| id.and_then(|id| sources::provision_text(ws, document, id)))
    else {
        return Vec::new();
    };
    let req = Request {
        text: &source_text,
        target,
        exclude: Some(document),
        weights: Weights::DEFAULT,
    };
    suggest::ranking(ws, &req).confident(COMPLETION_TOP)
}

/// The first `excerpt "…"` of the block that `block` (from its `{`)
/// opens, decoded: read to the matching `}`, or to the first line that
/// starts at the margin (the next declaration, when the block is not
/// closed yet), skipping strings and comments.
fn block_excerpt(block: &str) -> Option<String> {
    let bytes = block.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return None;
                }
            }
            // To the line end, which is looked at next.
            b'#' => i = crate::syntax::lines::end_of_line(block, i) - 1,
            b'"' => i += quoted_len(&block[i..]).max(1) - 1,
            b'\n' | b'\r'
                if bytes
                    .get(i + 1)
                    .is_some_and(|&b| !b.is_ascii_whitespace() && b != b'}') =>
            {
                return None;
            }
            _ if depth == 1
                && i > 0
                && bytes[i - 1].is_ascii_whitespace()
                && block[i..].starts_with("excerpt")
                && matches!(bytes.get(i + "excerpt".len()), Some(b' ' | b'\t')) =>
            {
                let quoted = block[i + "excerpt".len()..].trim_start_matches([' ', '\t']);
                let raw = &quoted[..quoted_len(quoted)];
                return if raw.len() >= 6 && raw.starts_with("\"\"\"") && raw.ends_with("\"\"\"") {
                    Some(crate::syntax::strings::decode_block(raw))
                } else if raw.len() > 1 && !raw.starts_with("\"\"\"") && raw.ends_with('"') {
                    Some(crate::syntax::strings::decode_quoted(raw).0)
                } else {
                    None
                };
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The length of the string `text` starts with (its closing quote
/// included): a `"""` block to its closing `"""` (or the end), a
/// one-line string to its closing quote (or the end of its line); 0 when
/// `text` does not start with a quote.
fn quoted_len(text: &str) -> usize {
    if let Some(body) = text.strip_prefix("\"\"\"") {
        return body.find("\"\"\"").map_or(text.len(), |end| end + 6);
    }
    if !text.starts_with('"') {
        return 0;
    }
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return i + 1,
            '\n' | '\r' => return i,
            _ => escaped = false,
        }
    }
    text.len()
}

/// A code action that is not a fix for a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assist {
    pub title: String,
    pub edits: Vec<TextEdit>,
}

/// An action shown but not applicable, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disabled {
    pub title: String,
    pub reason: String,
}

/// The map whose text overlaps `range`, and the catalogued documents it
/// maps to.
fn map_and_documents(ws: &Workspace, file: FileId, range: TextRange) -> Option<(&Map, Vec<&str>)> {
    let map = ws
        .file(file)
        .parse
        .ast
        .maps
        .iter()
        .find(|m| m.range().start <= range.end && range.start <= m.range().end)?;
    let mut documents: Vec<&str> = map
        .targets
        .iter()
        .map(|t| t.key().0)
        .filter(|d| ws.index.document(d).is_some_and(|d| d.is_catalogued()))
        .collect();
    documents.dedup();
    Some((map, documents))
}

/// "Add suggested target …" for the map whose text overlaps `range`: the
/// best confident candidates in each catalogued document it maps to, not
/// yet mapped, each added after the last target.
pub fn assists(ws: &Workspace, file: FileId, range: TextRange) -> Vec<Assist> {
    let Some((map, documents)) = map_and_documents(ws, file, range) else {
        return Vec::new();
    };
    let Some(last) = map.targets.last() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for document in documents {
        for s in for_map(ws, map, document, ACTION_TOP) {
            let key = EndpointKey {
                document: document.to_string(),
                id: Some(s.id.clone()),
            };
            let percent = 100.0 * s.confidence;
            let title = match &s.title {
                Some(t) => format!(
                    "Add suggested target {key} “{t}” ({percent:.0}%: {})",
                    s.why
                ),
                None => format!("Add suggested target {key} ({percent:.0}%: {})", s.why),
            };
            out.push(Assist {
                title,
                edits: vec![TextEdit {
                    file,
                    range: last.range().end..last.range().end,
                    new_text: format!(", {key}"),
                }],
            });
        }
    }
    out
}

/// For the map whose text overlaps `range`, each catalogued document it
/// maps to in which no candidate is confident: a disabled "Add suggested
/// target" saying what evidence was missing.
pub fn not_confident(ws: &Workspace, file: FileId, range: TextRange) -> Vec<Disabled> {
    let Some((map, documents)) = map_and_documents(ws, file, range) else {
        return Vec::new();
    };
    documents
        .into_iter()
        .filter_map(|document| {
            let ranking = ranking_for_map(ws, map, document)?;
            ranking.confident(1).is_empty().then(|| Disabled {
                title: format!("Add suggested target in {document}"),
                reason: ranking.why_not_confident(document),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::completion::completions;
    use crate::model::{Config, FileInput};

    const CATALOG: &str = r#"
document tgt {
  title "Target"
  provision 1 "No default passwords" {
    text "All device passwords shall be unique and not resettable to any universal factory default value."
  }
  provision 2 "Keep software updated" {
    text "Software components should be securely updateable. Updates shall be timely."
  }
  provision 3 "Communicate securely" {
    text "Security-sensitive data should be encrypted in transit."
  }
}
document org-a { publisher "Org A" }
document org-b { publisher "Org B" }
document law {
  title "A law with text"
  provision 1 "Updates" {
    text "Firmware is signed and delivered over the air."
  }
}
map org-a:1 -> tgt:2 {
  excerpt "Firmware images are signed and delivered over the air."
}
map org-b:7 -> tgt:2 {
  excerpt "Signed firmware delivered over the air to every device."
}
"#;

    /// The workspace of the catalog and `fixture`, and the offset of `$0`.
    fn workspace(fixture: &str) -> (Workspace, FileId, usize) {
        let offset = fixture.find("$0").unwrap_or(0);
        let text = fixture.replace("$0", "");
        let input = |name: &str, text: &str| FileInput {
            path: format!("/ws/{name}").into(),
            name: name.into(),
            text: text.into(),
        };
        let ws = Workspace::build(
            None,
            Config::default(),
            vec![input("catalog.xwalk", CATALOG), input("mine.xwalk", &text)],
        );
        (ws, FileId(1), offset)
    }

    /// The labels and details, the calibrated score written `NN%` (its
    /// value is the shipped model's: `suggest::tests` checks it).
    fn labels(ws: &Workspace, file: FileId, offset: usize) -> Vec<String> {
        completions(ws, file, offset)
            .into_iter()
            .map(|i| percent(&format!("{} {}", i.label, i.detail.unwrap_or_default())))
            .collect()
    }

    /// `text` with each `★ 41%` and `(41%:` written with `NN`.
    fn percent(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('%') {
            let digits = rest[..at]
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .count();
            out.push_str(&rest[..at - digits]);
            out.push_str(if digits > 0 { "NN%" } else { "%" });
            rest = &rest[at + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The map at each offset of `ws`'s file 1, by a scan of its blocks
    /// from the first (what `map_at` finds by binary search).
    fn scanned(ws: &Workspace) -> Vec<Option<TextRange>> {
        let f = ws.file(FileId(1));
        (0..=f.text.len())
            .map(|offset| {
                (f.parse.ast.maps.iter())
                    .find(|m| m.range().start <= offset && offset <= m.range().end)
                    .map(|m| m.range())
            })
            .collect()
    }

    /// `map_at` finds what a scan finds at every offset: between maps,
    /// where one ends as the next starts (the first), and in a version
    /// edited before them, whose blocks have moved.
    #[test]
    fn map_at_finds_the_map_a_scan_finds() {
        let text = "map a:1 -> tgt:1\n\n# x\nmap a:2 -> tgt:2 { note \"n\" }map a:3 -> tgt:3 {\n}\nmap a:4 -> tgt:1";
        let (ws, file, _) = workspace(text);
        let found = |ws: &Workspace| {
            (0..=ws.file(file).text.len())
                .map(|offset| map_at(ws, file, offset).map(|m| m.range()))
                .collect::<Vec<_>>()
        };
        let expected = scanned(&ws);
        assert_eq!(found(&ws), expected);
        let touching = text.find("}map").unwrap() + 1;
        assert_eq!(
            expected[touching],
            Some(text.find("map a:2").unwrap()..touching)
        );
        assert_eq!(
            expected.iter().filter(|m| m.is_none()).count(),
            "\n\n# x\n".len() - 1
        );

        // An edit in the first map moves every block after it.
        let old = ws.files[1].clone();
        let mut editor =
            crate::syntax::edit::Editor::new(&old.text, &old.parse, old.tree_to_edit());
        editor.replace(4..4, "xy");
        let mut files = ws.own_files();
        files[1] = std::sync::Arc::new(crate::model::SourceFile::edited(&old, editor.finish()));
        let edited = Workspace::with_changed_files(&ws, files);
        assert!(edited.file(file).text.starts_with("map xya:1"));
        let found_edited = found(&edited);
        let (fresh, _, _) = workspace(&edited.file(file).text);
        assert_eq!(found_edited, scanned(&fresh));
    }

    #[test]
    fn completion_ranks_the_suggestions_first_with_their_reason() {
        let (ws, file, offset) = workspace(
            "map mine:1 -> tgt:$0 {\n  excerpt \"Our firmware is signed and delivered over the air.\"\n}\n",
        );
        assert_eq!(
            labels(&ws, file, offset),
            [
                "2 ★ NN% suggested: mapped this way by 2 similar recommendations from 2 organisations",
                "1 No default passwords",
                "3 Communicate securely",
            ]
        );
    }

    /// The head being typed at the end of the file, no block yet: the
    /// source provision's `text` is what the suggestions go on.
    #[test]
    fn completion_while_typing_goes_on_the_source_provisions_text() {
        let (ws, file, offset) = workspace(
            "document mine {\n  provision 1 { text \"Our firmware is signed and delivered over the air.\" }\n}\nmap mine:1 -> tgt:$0",
        );
        assert_eq!(
            labels(&ws, file, offset)[0],
            "2 ★ NN% suggested: mapped this way by 2 similar recommendations from 2 organisations"
        );
        // A source without text: nothing to go on, the catalog's order.
        let (ws, file, offset) =
            workspace("document mine {\n  provision 1 {}\n}\nmap mine:1 -> tgt:$0");
        assert_eq!(labels(&ws, file, offset)[0], "1 No default passwords");
    }

    #[test]
    fn completion_is_unchanged_without_text_to_go_on() {
        let (ws, file, offset) = workspace("map mine:1 -> tgt:$0 {\n  note \"No excerpt\"\n}\n");
        assert_eq!(
            labels(&ws, file, offset),
            [
                "1 No default passwords",
                "2 Keep software updated",
                "3 Communicate securely"
            ]
        );
    }

    /// The completion labels at `$0`, with their details, one a line.
    fn check_completion(fixture: &str, expect: Expect) {
        let (ws, file, offset) = workspace(fixture);
        expect.assert_eq(&(labels(&ws, file, offset).join("\n") + "\n"));
    }

    const NO_SUGGESTION: &str =
        "1 No default passwords\n2 Keep software updated\n3 Communicate securely\n";

    #[test]
    fn a_map_being_typed_reads_only_its_own_block() {
        // Each map being typed has no text of its own (`mine` has no
        // catalog): the excerpt of another map is never its text.
        let excerpt = "map mine:9 -> tgt:3 {\n  excerpt \"Our firmware is signed and delivered over the air.\"\n}\n";
        let fixtures = [
            // One-line maps before a map with an excerpt.
            format!("map mine:1 -> tgt:$0\nmap mine:2 -> tgt:1\n{excerpt}"),
            // After it.
            format!("{excerpt}map mine:1 -> tgt:$0\nmap mine:2 -> tgt:\nmap mine:3 -> tgt:\n"),
            // An empty block on the line.
            format!("map mine:1 -> tgt:$0 {{}}\n{excerpt}"),
            // A block not closed yet, then the next map.
            format!("map mine:1 -> tgt:$0 {{\n  note \"x\"\n{excerpt}"),
            // An excerpt in a comment, or in a note's text.
            "map mine:1 -> tgt:$0 {\n  # excerpt \"Firmware delivered over the air\"\n}\n".into(),
            "map mine:1 -> tgt:$0 { note \"excerpt \\\"Firmware delivered over the air\\\"\" }\n"
                .into(),
        ];
        for fixture in fixtures {
            let (ws, file, offset) = workspace(&fixture);
            assert_eq!(
                labels(&ws, file, offset).join("\n") + "\n",
                NO_SUGGESTION,
                "{fixture}"
            );
        }
    }

    #[test]
    fn a_map_being_typed_reads_its_excerpt() {
        // One-line, `"""` and a commented block.
        check_completion(
            "map mine:1 -> tgt:$0 { excerpt \"Our firmware is signed and delivered over the air.\" }\nmap mine:2 -> tgt:1\n",
            expect![[r#"
                2 ★ NN% suggested: mapped this way by 2 similar recommendations from 2 organisations
                1 No default passwords
                3 Communicate securely
            "#]],
        );
        check_completion(
            "map mine:1 -> tgt:$0 {\n  # } {\n  excerpt \"\"\"\n    Our firmware is signed\n    and delivered over the air.\n    \"\"\"\n}\n",
            expect![[r#"
                2 ★ NN% suggested: mapped this way by 2 similar recommendations from 2 organisations
                1 No default passwords
                3 Communicate securely
            "#]],
        );
    }

    #[test]
    fn a_map_being_typed_is_suggested_for_from_its_source_provisions_text() {
        check_completion(
            "map law:1 -> tgt:$0\n",
            expect![[r#"
                2 ★ NN% suggested: mapped this way by 2 similar recommendations from 2 organisations
                1 No default passwords
                3 Communicate securely
            "#]],
        );
        // With a block but no excerpt, and once the map parses.
        check_completion(
            "map law:1 -> tgt:$0 {\n  note \"No excerpt\"\n}\n",
            expect![[r#"
                2 ★ NN% suggested: mapped this way by 2 similar recommendations from 2 organisations
                1 No default passwords
                3 Communicate securely
            "#]],
        );
        check_completion(
            "map law:1 -> tgt:$03\n",
            expect![[r#"
                2 ★ NN% suggested: mapped this way by 2 similar recommendations from 2 organisations
                1 No default passwords
                3 Communicate securely
            "#]],
        );
    }

    #[test]
    fn code_action_adds_a_suggested_target_after_the_last() {
        let fixture = "map mine:1 -> tgt:3 {\n  excerpt \"Our firmware is signed and delivered over the air.\"\n}\n";
        let (ws, file, _) = workspace(fixture);
        let got = assists(&ws, file, 0..0);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!(
            percent(&got[0].title),
            "Add suggested target tgt:2 “Keep software updated” (NN%: mapped this way by 2 \
             similar recommendations from 2 organisations)"
        );
        let at = fixture.find("tgt:3").unwrap() + "tgt:3".len();
        assert_eq!(
            got[0].edits,
            [TextEdit {
                file,
                range: at..at,
                new_text: ", tgt:2".into()
            }]
        );
        // Outside any map: nothing.
        let end = fixture.len();
        assert!(assists(&ws, file, end..end).is_empty());
    }
}
