//! Folding ranges: blocks, multi-line strings and runs of comment lines.

use crate::model::{FileId, Workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    Region,
    Comment,
}

/// A fold from one 0-based line to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fold {
    pub start_line: usize,
    pub end_line: usize,
    pub kind: FoldKind,
}

pub fn folding_ranges(ws: &Workspace, file: FileId) -> Vec<Fold> {
    let f = ws.file(file);
    let mut out = Vec::new();
    let mut cursor = f.tree().walk();
    let mut comment_run: Option<(usize, usize)> = None;
    let mut stack = vec![f.tree().root_node()];
    let mut comments = Vec::new();
    while let Some(node) = stack.pop() {
        let (start, end) = (
            f.line_index().line(node.start_byte()),
            f.line_index().line(node.end_byte()),
        );
        match node.kind() {
            "document" | "clause" | "provision" | "map" | "block_string" if end > start => out
                .push(Fold {
                    start_line: start,
                    end_line: end,
                    kind: FoldKind::Region,
                }),
            "comment" => comments.push(start),
            _ => {}
        }
        stack.extend(node.children(&mut cursor));
    }
    comments.sort_unstable();
    for line in comments {
        comment_run = match comment_run {
            Some((s, e)) if line == e + 1 => Some((s, line)),
            Some((s, e)) => {
                if e > s {
                    out.push(Fold {
                        start_line: s,
                        end_line: e,
                        kind: FoldKind::Comment,
                    });
                }
                Some((line, line))
            }
            None => Some((line, line)),
        };
    }
    if let Some((s, e)) = comment_run
        && e > s
    {
        out.push(Fold {
            start_line: s,
            end_line: e,
            kind: FoldKind::Comment,
        });
    }
    out.sort_by_key(|f| (f.start_line, f.end_line));
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture::Fixture;

    fn check(fixture: &str, expect: Expect) {
        let fx = Fixture::parse(fixture);
        let file = fx.main();
        let lines: Vec<&str> = fx.ws.file(file).text.lines().collect();
        let actual: String = folding_ranges(&fx.ws, file)
            .iter()
            .map(|f| {
                format!(
                    "{:?} {}..{} `{}` .. `{}`\n",
                    f.kind,
                    f.start_line + 1,
                    f.end_line + 1,
                    lines[f.start_line].trim(),
                    lines.get(f.end_line).map_or("", |l| l.trim()),
                )
            })
            .collect();
        expect.assert_eq(&actual);
    }

    #[test]
    fn blocks_block_strings_and_comment_runs() {
        check(
            r#"
            # The guide.
            # Two lines of comment.
            document guide {
              title "Guide"
              clause 1 {
                provision 1.1 { text "one line" }
                provision 1.2 {
                  text """
                    Two
                    lines
                    """
                }
              }
            }
            # one comment line: no fold
            map guide:1.1 -> uk-cop-2018:1 {
              relation related
            }
            "#,
            expect![[r#"
                Comment 1..2 `# The guide.` .. `# Two lines of comment.`
                Region 3..14 `document guide {` .. `}`
                Region 5..13 `clause 1 {` .. `}`
                Region 7..12 `provision 1.2 {` .. `}`
                Region 8..11 `text """` .. `"""`
                Region 16..18 `map guide:1.1 -> uk-cop-2018:1 {` .. `}`
            "#]],
        );
    }

    #[test]
    fn unclosed_block_folds_to_the_end() {
        check(
            "document guide {\n  title \"Guide\"\n  clause 1 {\n    provision 1.1 {}\n",
            expect![[r#"
                Region 1..4 `document guide {` .. `provision 1.1 {}`
                Region 3..4 `clause 1 {` .. `provision 1.1 {}`
            "#]],
        );
    }

    #[test]
    fn empty_file() {
        check("", expect![""]);
    }
}
