//! Where the cursor stands, for completion: inside a `"""` string or not,
//! and in the braces of which kind of block.
//!
//! Read from the AST when the file has no syntax error: the AST then holds
//! every block and every string the grammar reads (`syntax::parser` reads
//! exactly what tree-sitter's grammar reads on such a text), so completion
//! does not make the server parse the tree of a file just edited (after a
//! burst of keystrokes, a reparse of a tree that carries every edit: see
//! `model::SourceFile::tree`). A file with a syntax error is read from the
//! tree, whose error recovery is what the other editor features show.

use crate::model::schema::BlockKind;
use crate::model::{FileId, Workspace};
use crate::syntax::{Clause, Field, Provision, SourceFile, StringValue, TextRange, Value};

/// Is `offset` inside a `"""` string (whose lines are prose, not fields)?
pub fn in_block_string(ws: &Workspace, file: FileId, offset: usize) -> bool {
    let f = ws.file(file);
    if f.parse.errors.is_empty() {
        block_string_in_ast(&f.parse.ast, offset)
    } else {
        block_string_in_tree(f.tree(), offset)
    }
}

/// The kind of block whose braces hold `offset`.
pub fn enclosing_block(ws: &Workspace, file: FileId, offset: usize) -> Option<BlockKind> {
    let f = ws.file(file);
    if f.parse.errors.is_empty() {
        block_in_ast(&f.text, &f.parse.ast, offset)
    } else {
        block_in_tree(f.tree(), offset)
    }
}

/// The item of `items` (in the order of the text, not overlapping) whose
/// range holds `offset`: found by binary search, since a file may hold
/// thousands of blocks and a block thousands of items. `range` gives an
/// item's range by value: a map's is asked of the block as it was read
/// ([`crate::syntax::MapAt::block_range`]), so that the blocks the search
/// probes in an edited file are not copied to where they now are.
fn holding<T>(items: &[T], offset: usize, range: impl Fn(&T) -> TextRange) -> Option<&T> {
    let after = items.partition_point(|i| range(i).start <= offset);
    let item = &items[after.checked_sub(1)?];
    range(item).contains(&offset).then_some(item)
}

fn inside_block_string(s: &StringValue, offset: usize) -> bool {
    s.block() && s.range().start < offset && offset < s.range().end
}

fn block_string_in_fields(fields: &[Field], offset: usize) -> bool {
    holding(fields, offset, |f| f.range()).is_some_and(|f| {
        f.values
            .iter()
            .any(|v| matches!(v, Value::String(s) if inside_block_string(s, offset)))
    })
}

fn block_string_in_items(
    fields: &[Field],
    clauses: &[Clause],
    provisions: &[Provision],
    offset: usize,
) -> bool {
    let titled = |title: &Option<StringValue>| {
        title
            .as_ref()
            .is_some_and(|t| inside_block_string(t, offset))
    };
    block_string_in_fields(fields, offset)
        || holding(clauses, offset, |c| c.range.clone()).is_some_and(|c| {
            titled(&c.title) || block_string_in_items(&c.fields, &c.clauses, &c.provisions, offset)
        })
        || holding(provisions, offset, |p| p.range.clone())
            .is_some_and(|p| titled(&p.title) || block_string_in_fields(&p.fields, offset))
}

fn block_string_in_ast(ast: &SourceFile, offset: usize) -> bool {
    holding(&ast.documents, offset, |d| d.range.clone())
        .is_some_and(|d| block_string_in_items(&d.fields, &d.clauses, &d.provisions, offset))
        || holding(&ast.maps, offset, |m| m.block_range())
            .is_some_and(|m| block_string_in_fields(&m.fields, offset))
}

/// Where the block of an item spanning `head_end..end` opens: the first
/// `{` after its head that is not in a comment (between the head and the
/// block there is only whitespace and comments), if it has a block.
fn brace(text: &str, head_end: usize, end: usize) -> Option<usize> {
    let bytes = &text.as_bytes()[..end];
    let mut at = head_end;
    while at < bytes.len() {
        match bytes[at] {
            b'{' => return Some(at),
            b'#' => {
                while at < bytes.len() && !matches!(bytes[at], b'\n' | b'\r') {
                    at += 1;
                }
            }
            _ => at += 1,
        }
    }
    None
}

/// Do the braces of the block of an item spanning `head_end..end` hold
/// `offset` (after the `{`, up to the `}`)?
fn in_braces(text: &str, head_end: usize, end: usize, offset: usize) -> bool {
    brace(text, head_end, end).is_some_and(|open| open < offset && offset < end)
}

/// The innermost block of a clause or provision of `clauses` and
/// `provisions` whose braces hold `offset`, else `outer`.
fn block_in_items(
    text: &str,
    clauses: &[Clause],
    provisions: &[Provision],
    offset: usize,
    outer: BlockKind,
) -> BlockKind {
    let head_end = |id: &TextRange, title: &Option<StringValue>| {
        title.as_ref().map_or(id.end, |t| t.range().end)
    };
    if let Some(c) = holding(clauses, offset, |c| c.range.clone())
        && in_braces(text, head_end(&c.id.range(), &c.title), c.range.end, offset)
    {
        return block_in_items(text, &c.clauses, &c.provisions, offset, BlockKind::Clause);
    }
    if let Some(p) = holding(provisions, offset, |p| p.range.clone())
        && in_braces(text, head_end(&p.id.range(), &p.title), p.range.end, offset)
    {
        return BlockKind::Provision;
    }
    outer
}

fn block_in_ast(text: &str, ast: &SourceFile, offset: usize) -> Option<BlockKind> {
    if let Some(d) = holding(&ast.documents, offset, |d| d.range.clone())
        && in_braces(text, d.id.range().end, d.range.end, offset)
    {
        return Some(block_in_items(
            text,
            &d.clauses,
            &d.provisions,
            offset,
            BlockKind::Document,
        ));
    }
    holding(&ast.maps, offset, |m| m.block_range())
        .filter(|m| in_braces(text, m.head_range().end, m.range().end, offset))
        .map(|_| BlockKind::Map)
}

fn block_string_in_tree(tree: &tree_sitter::Tree, offset: usize) -> bool {
    let nodes = crate::syntax::nodes_at(tree, offset);
    match nodes.iter().rev().find(|n| n.kind() == "block_string") {
        Some(n) => n.start_byte() < offset && offset < n.end_byte(),
        None => false,
    }
}

fn block_in_tree(tree: &tree_sitter::Tree, offset: usize) -> Option<BlockKind> {
    let nodes = crate::syntax::nodes_at(tree, offset);
    // Innermost first; a block's parent is the node before it in `nodes`.
    for (i, node) in nodes.iter().enumerate().rev() {
        if node.kind() == "block" && node.start_byte() < offset {
            let closed = node
                .child(node.child_count().saturating_sub(1))
                .is_some_and(|c| c.kind() == "}" && !c.is_missing());
            if !closed || offset < node.end_byte() {
                let parent = i.checked_sub(1).map(|p| nodes[p])?;
                return match parent.kind() {
                    "document" => Some(BlockKind::Document),
                    "clause" => Some(BlockKind::Clause),
                    "provision" => Some(BlockKind::Provision),
                    "map" => Some(BlockKind::Map),
                    _ => None,
                };
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::syntax;

    /// At every offset of `text`, what the AST tells is what the tree
    /// tells, when the text has no syntax error.
    fn ast_reads_as_tree(text: &str) -> Result<(), TestCaseError> {
        let parse = syntax::parse(text);
        let tree = parse.tree.as_ref().expect("a tree");
        prop_assert!(
            parse.errors.is_empty(),
            "{text:?} has errors: {:?}",
            parse.errors
        );
        prop_assert!(!tree.root_node().has_error(), "{text:?}");
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            prop_assert_eq!(
                block_string_in_ast(&parse.ast, offset),
                block_string_in_tree(tree, offset),
                "in a block string at {} of {:?}",
                offset,
                text
            );
            prop_assert_eq!(
                block_in_ast(text, &parse.ast, offset),
                block_in_tree(tree, offset),
                "the block at {} of {:?}",
                offset,
                text
            );
        }
        Ok(())
    }

    #[test]
    fn blocks_strings_and_comments_read_as_the_tree_reads_them() {
        for text in [
            "document d {\n  title \"\"\"\n  a { b\n  \"\"\"\n  clause 1 \"\"\"T\"\"\" # {\n  {\n    provision 1.1 { text \"\"\"x\"\"\" }\n    provision 1.2 \"t\"\n  }\n}\n",
            "map d:1 -> e:2 # {\r\n{ note \"\"\"\r\n  }\r\n\"\"\", \"x\" }\nmap d:2 -> e\n",
            "# \"\"\" not a string\nmap a:\"1 {\" -> b:\"}\" { }\n\n",
            "\u{feff}document d { title \"é\" }",
            "",
        ] {
            ast_reads_as_tree(text).unwrap();
        }
    }

    /// A generated text without syntax errors: blocks nested in blocks,
    /// titles and values that hold braces, quotes and comment signs, with
    /// line ends of every kind.
    fn space() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![" ", "\n", "\r\n", "\r", " # { \"\"\" }\n", "\t"])
    }

    fn string() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("\"s\"".to_string()),
            Just("\"{ # }\"".to_string()),
            Just("\"\"\"\"\"\"".to_string()),
            Just("\"\"\"\n  a { \"b\" }\n  # c\n\"\"\"".to_string()),
            Just("\"\"\"é\r\n\"\"\"".to_string()),
        ]
    }

    fn field() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec!["text", "note", "relation", "x"]),
            prop::collection::vec(
                prop_oneof![string(), Just("w".to_string()), Just("d:1".to_string())],
                1..3,
            ),
            space(),
        )
            .prop_map(|(name, values, s)| format!("{name} {}{s}", values.join(", ")))
    }

    fn items(depth: u32) -> BoxedStrategy<String> {
        let leaf = prop::collection::vec(field(), 0..3).prop_map(|f| f.concat());
        leaf.prop_recursive(depth, 24, 4, |inner| {
            prop::collection::vec(
                prop_oneof![
                    field(),
                    (
                        prop::sample::select(vec!["clause", "provision"]),
                        prop::option::of(string()),
                        prop::option::of(inner),
                        space(),
                    )
                        .prop_map(|(kw, title, body, s)| {
                            let title = title.map(|t| format!(" {t}")).unwrap_or_default();
                            // A provision holds fields only.
                            let body = body.filter(|b| {
                                kw == "clause" || !b.contains("clause") && !b.contains("provision")
                            });
                            let body = body.map(|b| format!("{s}{{{s}{b}}}")).unwrap_or_default();
                            format!("{kw} 1{title}{body}{s}")
                        }),
                ],
                0..4,
            )
            .prop_map(|i| i.concat())
        })
        .boxed()
    }

    fn file() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                (items(3), space()).prop_map(|(b, s)| format!("document d{s}{{{s}{b}}}{s}")),
                (prop::collection::vec(field(), 0..3), space(), any::<bool>()).prop_map(
                    |(f, s, block)| {
                        let body = if block {
                            format!("{s}{{{s}{}}}", f.concat())
                        } else {
                            String::new()
                        };
                        format!("map d:1 -> e:2, f{body}{s}")
                    }
                ),
                space().prop_map(str::to_string),
            ],
            0..5,
        )
        .prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn generated_files_read_as_the_tree_reads_them(text in file()) {
            ast_reads_as_tree(&text)?;
        }
    }
}
