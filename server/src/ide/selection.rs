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
/// Linear in the depth ([`crate::syntax::nodes_at`]).
pub fn selection_ranges(ws: &Workspace, file: FileId, offset: usize) -> Vec<TextRange> {
    let tree = ws.file(file).tree();
    let mut outer: Vec<TextRange> = Vec::new();
    for node in crate::syntax::nodes_at(tree, offset) {
        let r = node.byte_range();
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

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::fixture::Fixture;

    fn check(fixture: &str, expect: Expect) {
        let fx = Fixture::parse(fixture);
        let (file, offset) = fx.position();
        let actual: String = selection_ranges(&fx.ws, file, offset)
            .iter()
            .map(|r| fx.show(file, r) + "\n")
            .collect();
        expect.assert_eq(&actual);
    }

    #[test]
    fn from_a_reference_id_outwards() {
        check(
            r#"
            document d { title "D" }
            map d:1 -> uk-cop-2018:1$02, uk-cop-2018:3 {
              relation related
            }
            "#,
            expect![[r#"
                main.xwalk:2:24 `12`
                main.xwalk:2:12 `uk-cop-2018:12`
                main.xwalk:2:12 `uk-cop-2018:12, uk-cop-2018:3`
                main.xwalk:2:1 `map d:1 -> uk-cop-2018:12, uk-cop-2018:3…`
                main.xwalk:1:1 `document d { title "D" }⏎map d:1 -> uk-c…`
            "#]],
        );
    }

    #[test]
    fn in_a_string_and_at_the_end_of_the_file() {
        check(
            "document d {\n  title \"A $0title\"\n}\n",
            expect![[r#"
                main.xwalk:2:9 `"A title"`
                main.xwalk:2:3 `title "A title"`
                main.xwalk:1:12 `{⏎  title "A title"⏎}`
                main.xwalk:1:1 `document d {⏎  title "A title"⏎}`
                main.xwalk:1:1 `document d {⏎  title "A title"⏎}⏎`
            "#]],
        );
        check(
            "document d {}\n$0",
            expect![[r#"
                main.xwalk:1:1 `document d {}⏎`
            "#]],
        );
    }

    #[test]
    fn innermost_first_and_each_range_contains_the_one_before() {
        let fx = Fixture::parse("document d {\n  clause 1 {\n    provision 1$0.1 {}\n  }\n}\n");
        let (file, offset) = fx.position();
        let ranges = selection_ranges(&fx.ws, file, offset);
        assert!(ranges.len() >= 4, "{ranges:?}");
        assert!(ranges[0].start <= offset && offset <= ranges[0].end);
        for pair in ranges.windows(2) {
            assert!(pair[1].start <= pair[0].start && pair[0].end <= pair[1].end);
            assert_ne!(pair[0], pair[1]);
        }
    }
}
