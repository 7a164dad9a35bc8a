//! Semantic tokens: a classification of every token, from the tree.

use crate::model::{FileId, Workspace};
use crate::syntax::TextRange;

/// Token types, in the order of the legend the server announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenType {
    Keyword,
    Namespace,
    Property,
    String,
    Comment,
    EnumMember,
    Variable,
    Operator,
    Number,
}

impl TokenType {
    pub const LEGEND: &'static [&'static str] = &[
        "keyword",
        "namespace",
        "property",
        "string",
        "comment",
        "enumMember",
        "variable",
        "operator",
        "number",
    ];

    pub fn index(self) -> u32 {
        self as u32
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub range: TextRange,
    pub kind: TokenType,
}

/// The type of `node`, a leaf (or string) whose parent is `parent`; `field`
/// is the node's field name in its parent. Constant time: no walk up the
/// tree (`Node::parent` walks down from the root, quadratic in the depth).
fn classify(
    node: tree_sitter::Node,
    parent: tree_sitter::Node,
    field: Option<&str>,
    text: &str,
) -> Option<TokenType> {
    let field = |name: &str| field == Some(name);
    Some(match node.kind() {
        "comment" => TokenType::Comment,
        "string" | "block_string" => match parent.kind() {
            "reference" => TokenType::Variable,
            "clause" | "provision" if field("id") => TokenType::Variable,
            _ => TokenType::String,
        },
        "document" | "clause" | "provision" | "map" if !node.is_named() => TokenType::Keyword,
        "->" => TokenType::Operator,
        "identifier" => match parent.kind() {
            "document" => TokenType::Namespace,
            "reference" if field("document") => TokenType::Namespace,
            "reference" => TokenType::Variable,
            "clause" | "provision" => TokenType::Variable,
            "map" | "targets" => TokenType::Namespace,
            "field" if field("name") => TokenType::Property,
            "field" => {
                let name = parent
                    .child_by_field_name("name")
                    .map(|n| &text[n.byte_range()]);
                match name {
                    Some("supersedes" | "cites") => TokenType::Namespace,
                    Some("strength") => TokenType::Number,
                    _ => TokenType::EnumMember,
                }
            }
            _ => return None,
        },
        _ => return None,
    })
}

/// Every classified token of the file, in order. One walk with a cursor,
/// keeping the chain of parents: linear in the size of the tree, whatever
/// its depth.
pub fn semantic_tokens(ws: &Workspace, file: FileId) -> Vec<Token> {
    let f = ws.file(file);
    let mut out = Vec::new();
    let mut cursor = f.tree().walk();
    let mut parents: Vec<tree_sitter::Node> = Vec::new();
    let mut visit = true;
    loop {
        if visit {
            let node = cursor.node();
            if node.child_count() == 0 || matches!(node.kind(), "string" | "block_string") {
                if let Some(&parent) = parents.last()
                    && let Some(kind) = classify(node, parent, cursor.field_name(), &f.text)
                {
                    out.push(Token {
                        range: node.byte_range(),
                        kind,
                    });
                }
            } else if cursor.goto_first_child() {
                parents.push(node);
                continue;
            }
        }
        if cursor.goto_next_sibling() {
            visit = true;
        } else if cursor.goto_parent() {
            parents.pop();
            visit = false;
        } else {
            break;
        }
    }
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
        let actual: String = semantic_tokens(&fx.ws, file)
            .iter()
            .map(|t| format!("{:?} {}\n", t.kind, fx.show(file, &t.range)))
            .collect();
        expect.assert_eq(&actual);
    }

    #[test]
    fn every_kind_of_token() {
        check(
            r#"
            # A guide.
            document guide {
              title "Guide"
              supersedes old-guide
              clause 1 {
                provision "1 a" { replaces old-guide:1 }
              }
            }
            map guide:"1 a" -> uk-cop-2018:1, uk-cop-2018 {
              relation subset-of
              strength 8
            }
            "#,
            expect![[r#"
                Comment main.xwalk:1:1 `# A guide.`
                Keyword main.xwalk:2:1 `document`
                Namespace main.xwalk:2:10 `guide`
                Property main.xwalk:3:3 `title`
                String main.xwalk:3:9 `"Guide"`
                Property main.xwalk:4:3 `supersedes`
                Namespace main.xwalk:4:14 `old-guide`
                Keyword main.xwalk:5:3 `clause`
                Variable main.xwalk:5:10 `1`
                Keyword main.xwalk:6:5 `provision`
                Variable main.xwalk:6:15 `"1 a"`
                Property main.xwalk:6:23 `replaces`
                Namespace main.xwalk:6:32 `old-guide`
                Variable main.xwalk:6:42 `1`
                Keyword main.xwalk:9:1 `map`
                Namespace main.xwalk:9:5 `guide`
                Variable main.xwalk:9:11 `"1 a"`
                Operator main.xwalk:9:17 `->`
                Namespace main.xwalk:9:20 `uk-cop-2018`
                Variable main.xwalk:9:32 `1`
                Namespace main.xwalk:9:35 `uk-cop-2018`
                Property main.xwalk:10:3 `relation`
                EnumMember main.xwalk:10:12 `subset-of`
                Property main.xwalk:11:3 `strength`
                Number main.xwalk:11:12 `8`
            "#]],
        );
    }

    #[test]
    fn a_broken_file_is_still_classified() {
        // tree-sitter's recovery reads the `document` after a `->` with no
        // target as the target's document id.
        check(
            "map guide:1 -> \ndocument d { title \"D",
            expect![[r#"
                Keyword main.xwalk:1:1 `map`
                Namespace main.xwalk:1:5 `guide`
                Variable main.xwalk:1:11 `1`
                Operator main.xwalk:1:13 `->`
                Namespace main.xwalk:2:1 `document`
            "#]],
        );
    }

    #[test]
    fn a_block_left_open() {
        // The grammar reads what follows an unclosed `map {` as its fields,
        // so `document d` is classified as a field and its value.
        check(
            "map guide:1 -> uk-cop-2018:1 {\n  relation related\ndocument d { title \"D\" }\n",
            expect![[r#"
                Keyword main.xwalk:1:1 `map`
                Namespace main.xwalk:1:5 `guide`
                Variable main.xwalk:1:11 `1`
                Operator main.xwalk:1:13 `->`
                Namespace main.xwalk:1:16 `uk-cop-2018`
                Variable main.xwalk:1:28 `1`
                Property main.xwalk:2:3 `relation`
                EnumMember main.xwalk:2:12 `related`
                Property main.xwalk:3:1 `document`
                EnumMember main.xwalk:3:10 `d`
                Property main.xwalk:3:14 `title`
                String main.xwalk:3:20 `"D"`
            "#]],
        );
    }

    #[test]
    fn tokens_are_in_order_and_do_not_overlap() {
        let fx = Fixture::parse(
            "document d {\n  title \"\"\"\n    a # not a comment\n    \"\"\"\n}\n# c\n",
        );
        let tokens = semantic_tokens(&fx.ws, fx.main());
        assert!(
            tokens
                .windows(2)
                .all(|w| w[0].range.end <= w[1].range.start)
        );
        let kinds: Vec<_> = tokens.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                TokenType::Keyword,
                TokenType::Namespace,
                TokenType::Property,
                TokenType::String,
                TokenType::Comment
            ]
        );
        assert_eq!(
            TokenType::LEGEND.len(),
            TokenType::Number.index() as usize + 1
        );
    }
}
