//! Selection ranges: from the token under the cursor outwards through every
//! enclosing node of the tree.

use crate::model::{FileId, Workspace};
use crate::syntax::TextRange;

/// Ranges from innermost to outermost around `offset`.
pub fn selection_ranges(ws: &Workspace, file: FileId, offset: usize) -> Vec<TextRange> {
    let tree = ws.file(file).tree();
    let mut out: Vec<TextRange> = Vec::new();
    let mut node = tree.root_node().descendant_for_byte_range(offset, offset);
    while let Some(n) = node {
        let r = n.byte_range();
        if out.last() != Some(&r) {
            out.push(r);
        }
        node = n.parent();
    }
    out
}
