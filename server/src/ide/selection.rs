//! Selection ranges: from the token under the cursor outwards through every
//! enclosing node of the tree.

use crate::model::{FileId, Workspace};
use crate::syntax::TextRange;

/// The longest chain returned: the innermost ranges, then the whole file.
/// Nothing an editor shows needs more, and a deeper chain (a file of
/// thousands of nested blocks) would only cost time and stack to encode.
pub const MAX_CHAIN: usize = 100;

/// Ranges from innermost to outermost around `offset`.
///
/// The tree is walked down from the root with a cursor, so the cost grows
/// with the depth, not its square (`Node::parent` walks from the root).
pub fn selection_ranges(ws: &Workspace, file: FileId, offset: usize) -> Vec<TextRange> {
    let tree = ws.file(file).tree();
    let mut cursor = tree.walk();
    // Outermost first: every node that spans `offset` (start <= offset <
    // end), as `Node::descendant_for_byte_range(offset, offset)` picks them.
    let mut outer: Vec<TextRange> = vec![cursor.node().byte_range()];
    while cursor.goto_first_child_for_byte(offset).is_some() {
        let r = cursor.node().byte_range();
        if r.start > offset {
            break;
        }
        if outer.last() != Some(&r) {
            outer.push(r);
        }
    }
    if outer.len() > MAX_CHAIN {
        let root = outer[0].clone();
        outer.drain(..outer.len() - (MAX_CHAIN - 1));
        outer.insert(0, root);
    }
    outer.reverse();
    outer
}
