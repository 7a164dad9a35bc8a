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
