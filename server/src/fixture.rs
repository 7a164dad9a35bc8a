//! Test fixtures for the `ide` and `check` modules (test builds only).
//!
//! A fixture is one raw string holding a small workspace:
//!
//! ```text
//! //- a.xwalk
//! document vendor-guide {
//!   provision 1 { text "Use unique passwords." }
//! }
//! //- b.xwalk
//! map vendor-guide:$01 -> uk-cop-2018:1 {}
//! //- xwalk.toml
//! [lint]
//! inconsistent-excerpt = "off"
//! ```
//!
//! * `//- NAME` on a line of its own starts a file (`/` cannot start a
//!   `.xwalk` token, so a header cannot clash with a file's text outside a
//!   `"""` string). A
//!   fixture without any header is one file, `main.xwalk`. Fixtures can be
//!   joined with `format!`: each file loses its own common indentation. A file named
//!   `xwalk.toml` is the workspace configuration, not a source file.
//! * The common indentation of each file is removed, so fixtures can be
//!   indented with the code around them.
//! * `$0` marks the cursor; two `$0` mark a selection (in one file). The
//!   markers are removed from the text.
//! * `# ^^^ text` on its own line marks a range of the nearest line above
//!   that is not itself an annotation: the carets stand under the marked
//!   columns (counted in characters). `#^^^`, with the `#` in the first
//!   column and no space, marks from the first column: its carets stand one
//!   column right of what they mark (a range starting in the second column
//!   cannot be annotated). A range that runs
//!   on past the end of its line is written as carets to the end of the
//!   line and text ending in `…L:C` (the 1-based end line and column). A
//!   range of no characters is one caret and text ending in `(empty)`. The
//!   annotation lines are `.xwalk` comments, so they stay in the file text.
//!
//! The workspace is built with [`Workspace::build`], the way the CLI and the
//! language server build theirs: the built-in catalogs are there too.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::model::{Config, FileId, FileInput, Workspace};
use crate::syntax::TextRange;

/// A parsed fixture and the workspace built from it.
pub struct Fixture {
    pub ws: Workspace,
    /// The cursor (`$0`), if there was one.
    pub cursor: Option<(FileId, usize)>,
    /// The selection (`$0…$0`), if there was one.
    pub selection: Option<(FileId, TextRange)>,
    /// Every `# ^^^ text` annotation.
    pub annotations: Vec<Annotation>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    pub file: FileId,
    pub range: TextRange,
    pub text: String,
}

/// Removes the indentation common to every non-blank line, and a first
/// line that is empty (the one after `r#"`).
fn trim_indent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            out.push_str(if line.ends_with('\n') { "\n" } else { "" });
        } else {
            out.push_str(&line[indent..]);
        }
    }
    // The line holding the closing `"#` only has indentation.
    if let Some(i) = out.rfind('\n')
        && out[i + 1..].trim().is_empty()
    {
        out.truncate(i + 1);
    }
    out
}

/// Splits a fixture into (name, text) pairs, each text without its
/// common indentation.
fn split_files(fixture: &str) -> Vec<(String, String)> {
    let is_header = |l: &str| l.trim_start().starts_with("//- ");
    if !fixture.lines().any(is_header) {
        return vec![("main.xwalk".to_string(), trim_indent(fixture))];
    }
    let mut files: Vec<(String, String)> = Vec::new();
    for line in fixture.split_inclusive('\n') {
        if is_header(line) {
            let name = line.trim_start()["//- ".len()..].trim();
            files.push((name.to_string(), String::new()));
        } else if let Some((_, text)) = files.last_mut() {
            text.push_str(line);
        } else {
            assert!(line.trim().is_empty(), "text before the first `//-` header");
        }
    }
    files
        .into_iter()
        .map(|(name, text)| (name, trim_indent(&text)))
        .collect()
}

/// An annotation line: the columns of its carets (start, end) and its
/// text.
fn parse_annotation_line(line: &str) -> Option<(usize, usize, String)> {
    let chars: Vec<char> = line.trim_end_matches(['\n', '\r']).chars().collect();
    let hash = chars.iter().position(|c| !c.is_whitespace())?;
    if chars[hash] != '#' {
        return None;
    }
    let first = chars[hash + 1..].iter().position(|c| !c.is_whitespace())? + hash + 1;
    if chars[first] != '^' {
        return None;
    }
    let end = chars[first..]
        .iter()
        .position(|&c| c != '^')
        .map_or(chars.len(), |n| first + n);
    let text: String = chars[end..].iter().collect();
    // `#^^^`: the carets stand one column right of what they mark.
    let shift = usize::from(hash == 0 && first == 1);
    Some((first - shift, end - shift, text.trim().to_string()))
}

/// The byte offset of 0-based character column `col` in `line` (which
/// starts at byte `line_start`), clamped to the line's end.
fn column_offset(line: &str, line_start: usize, col: usize) -> usize {
    let content = line.trim_end_matches(['\n', '\r']);
    line_start
        + content
            .char_indices()
            .nth(col)
            .map_or(content.len(), |(i, _)| i)
}

/// The annotations of a file's text.
fn annotations(file: FileId, text: &str) -> Vec<Annotation> {
    let mut out = Vec::new();
    let mut target: Option<(usize, &str)> = None;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        match parse_annotation_line(line) {
            Some((from, to, note)) => {
                let (line_start, marked) = target.expect("an annotation needs a line above it");
                let range_start = column_offset(marked, line_start, from);
                let (range_end, note) = if let Some(n) = note.strip_suffix("(empty)") {
                    (range_start, n.trim_end().to_string())
                } else if let Some((n, end)) = note.rsplit_once('…') {
                    let (l, c) = end.split_once(':').expect("…LINE:COL");
                    let (l, c): (usize, usize) = (l.parse().unwrap(), c.parse().unwrap());
                    let line = text.split_inclusive('\n').nth(l - 1).expect("end line");
                    let line_start = text
                        .split_inclusive('\n')
                        .take(l - 1)
                        .map(str::len)
                        .sum::<usize>();
                    (
                        column_offset(line, line_start, c - 1),
                        n.trim_end().to_string(),
                    )
                } else {
                    (column_offset(marked, line_start, to), note)
                };
                out.push(Annotation {
                    file,
                    range: range_start..range_end,
                    text: note,
                });
            }
            None => target = Some((start, line)),
        }
        start += line.len();
    }
    out
}

impl Fixture {
    pub fn parse(fixture: &str) -> Fixture {
        let mut config = Config::default();
        let mut inputs = Vec::new();
        let mut markers: Vec<(usize, usize)> = Vec::new();
        let mut texts = Vec::new();
        for (name, text) in split_files(fixture) {
            if name == crate::model::config::CONFIG_FILE {
                config = Config::parse(&text).expect("a valid xwalk.toml");
                continue;
            }
            let index = inputs.len();
            let mut clean = String::with_capacity(text.len());
            let mut rest = text.as_str();
            while let Some(i) = rest.find("$0") {
                clean.push_str(&rest[..i]);
                markers.push((index, clean.len()));
                rest = &rest[i + 2..];
            }
            clean.push_str(rest);
            texts.push(clean.clone());
            inputs.push(FileInput {
                path: PathBuf::from(&name),
                name,
                text: clean,
            });
        }
        let ws = Workspace::build(None, config, inputs);
        let (cursor, selection) = match markers.as_slice() {
            [] => (None, None),
            [(f, at)] => (Some((FileId(*f as u32), *at)), None),
            [(f, a), (g, b)] if f == g => (
                Some((FileId(*f as u32), *a)),
                Some((FileId(*f as u32), *a..*b)),
            ),
            _ => panic!("a fixture has one `$0` cursor or two `$0` around a selection"),
        };
        let annotations = texts
            .iter()
            .enumerate()
            .flat_map(|(i, t)| annotations(FileId(i as u32), t))
            .collect();
        Fixture {
            ws,
            cursor,
            selection,
            annotations,
        }
    }

    /// The cursor's file and offset.
    pub fn position(&self) -> (FileId, usize) {
        self.cursor.expect("the fixture has no `$0` cursor")
    }

    /// The first file of the fixture.
    pub fn main(&self) -> FileId {
        FileId(0)
    }

    /// The file with this name.
    pub fn file(&self, name: &str) -> FileId {
        self.ws
            .file_ids()
            .find(|&id| self.ws.file(id).name == name)
            .unwrap_or_else(|| panic!("no file `{name}` in the fixture"))
    }

    /// `NAME:LINE:COL` of an offset (1-based, columns in characters).
    pub fn at(&self, file: FileId, offset: usize) -> String {
        let f = self.ws.file(file);
        let (line, col) = f.line_index().line_col(&f.text, offset);
        format!("{}:{line}:{col}", f.name)
    }

    /// A range for a reader: where it starts, and its text (on one line,
    /// cut after 40 characters).
    pub fn show(&self, file: FileId, range: &TextRange) -> String {
        let text = &self.ws.file(file).text;
        let excerpt = text
            .get(range.clone())
            .unwrap_or("<not on char boundaries>");
        let flat: String = excerpt.replace('\n', "⏎");
        let cut: String = flat.chars().take(40).collect();
        let more = if cut.len() < flat.len() { "…" } else { "" };
        format!("{} `{cut}{more}`", self.at(file, range.start))
    }

    /// The files the edits change, each after its `//- NAME` header, with
    /// the edits applied (the fixture format, so a snapshot reads as the
    /// workspace after the change).
    pub fn apply(&self, edits: &[crate::ide::TextEdit]) -> String {
        let mut files: Vec<FileId> = edits.iter().map(|e| e.file).collect();
        files.sort();
        files.dedup();
        let mut out = String::new();
        for file in files {
            let mut text = self.ws.file(file).text.clone();
            let mut mine: Vec<_> = edits.iter().filter(|e| e.file == file).collect();
            mine.sort_by_key(|e| std::cmp::Reverse(e.range.start));
            for e in mine {
                text.replace_range(e.range.clone(), &e.new_text);
            }
            let _ = write!(out, "//- {}\n{text}", self.ws.file(file).name);
        }
        out
    }

    /// The annotation a range would need, rendered as the fixture line
    /// `# ^^^ text` under the line it starts on (used in failure messages).
    fn render(&self, a: &Annotation) -> String {
        let f = self.ws.file(a.file);
        let (line, col) = f.line_index().line_col(&f.text, a.range.start);
        let line_text = f.text.lines().nth(line - 1).unwrap_or("");
        let (end_line, end_col) = f.line_index().line_col(&f.text, a.range.end);
        let (carets, suffix) = if a.range.is_empty() {
            (1, " (empty)".to_string())
        } else if end_line != line {
            (
                line_text.chars().count() + 1 - col,
                format!(" …{end_line}:{end_col}"),
            )
        } else {
            (end_col - col, String::new())
        };
        let lead = if col == 1 {
            "#".to_string()
        } else {
            format!("#{}", " ".repeat(col - 2))
        };
        let carets = "^".repeat(carets.max(1));
        format!("{}:{line}: {lead}{carets} {}{suffix}", f.name, a.text)
    }
}

/// Runs `check::check` on the fixture and asserts that its diagnostics are
/// exactly the annotated ones (`# ^^^ code`): every diagnostic annotated,
/// every annotation matched.
#[track_caller]
pub fn check_fixture(fixture: &str) {
    let fx = Fixture::parse(fixture);
    let mut found: Vec<Annotation> = crate::check::check(&fx.ws)
        .into_iter()
        .map(|d| Annotation {
            file: d.file,
            range: d.range,
            text: d.code.as_str().to_string(),
        })
        .collect();
    let key = |a: &Annotation| (a.file, a.range.start, a.range.end, a.text.clone());
    found.sort_by_key(key);
    let mut expected = fx.annotations.clone();
    expected.sort_by_key(key);
    if found != expected {
        let mut msg = String::from("diagnostics differ from the annotations\n");
        for (label, list, other) in [
            ("reported but not annotated", &found, &expected),
            ("annotated but not reported", &expected, &found),
        ] {
            let missing: Vec<_> = list.iter().filter(|a| !other.contains(a)).collect();
            if !missing.is_empty() {
                let _ = writeln!(msg, "{label}:");
                for a in missing {
                    let _ = writeln!(msg, "  {}", fx.render(a));
                }
            }
        }
        panic!("{msg}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_cursor_and_config() {
        let fx = Fixture::parse(
            r#"
            //- a.xwalk
            document vendor-guide {
              provision 1 { text "x" }
            }
            //- b.xwalk
            map vendor-guide:$01 -> uk-cop-2018:1 {}
            //- xwalk.toml
            [lint]
            unknown-field = "off"
            "#,
        );
        let b = fx.file("b.xwalk");
        assert_eq!(
            fx.ws.file(b).text,
            "map vendor-guide:1 -> uk-cop-2018:1 {}\n"
        );
        assert_eq!(fx.position(), (b, 17));
        assert_eq!(fx.show(b, &(17..18)), "b.xwalk:1:18 `1`");
        assert_eq!(
            fx.ws.config.severity(crate::check::Code::UnknownField),
            crate::check::Severity::Off
        );
        // The built-in catalogs are there too.
        assert!(fx.ws.index.document("uk-cop-2018").is_some());
    }

    #[test]
    fn one_file_without_header_and_a_selection() {
        let fx = Fixture::parse("document $0a$0 {}\n");
        assert_eq!(fx.ws.file(fx.main()).name, "main.xwalk");
        assert_eq!(fx.selection, Some((FileId(0), 9..10)));
    }

    #[test]
    fn annotations_mark_columns() {
        let fx = Fixture::parse(
            "map a:1 -> b:2 {\n#   ^ one\n#          ^^^ two\n  relation x\n  #        ^ three (empty)\n}\n#^ four …6:2\n",
        );
        let t = |a: &Annotation| (fx.show(a.file, &a.range), a.text.clone());
        let got: Vec<_> = fx.annotations.iter().map(t).collect();
        assert_eq!(
            got,
            vec![
                ("main.xwalk:1:5 `a`".to_string(), "one".to_string()),
                ("main.xwalk:1:12 `b:2`".to_string(), "two".to_string()),
                ("main.xwalk:4:12 ``".to_string(), "three".to_string()),
                ("main.xwalk:6:1 `}`".to_string(), "four".to_string()),
            ]
        );
    }

    #[test]
    fn check_fixture_matches_exactly() {
        check_fixture(
            r#"
            map vendor-guide:1 -> uk-cop-2018:1 {}
            #   ^^^^^^^^^^^^ unknown-document
            "#,
        );
        let missed =
            std::panic::catch_unwind(|| check_fixture("map vendor-guide:1 -> uk-cop-2018:1 {}\n"));
        let message = *missed.unwrap_err().downcast::<String>().unwrap();
        assert!(
            message.contains("main.xwalk:1: #   ^^^^^^^^^^^^ unknown-document"),
            "{message}"
        );
    }
}
