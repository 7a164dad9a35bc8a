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
        let (start, end) = (node.start_position().row, node.end_position().row);
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
