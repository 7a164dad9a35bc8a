//! tree-sitter's tree of a file, for the editor features (formatter,
//! folding, semantic tokens, selection): the AST is read by
//! [`super::parser`], never from this tree.

use tree_sitter::{Parser, Tree};

thread_local! {
    static PARSER: std::cell::RefCell<Parser> = std::cell::RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_xwalk::LANGUAGE.into())
        .expect("the bundled grammar matches the tree-sitter runtime");
    parser
}

/// The concrete tree of a file.
pub fn parse_tree(text: &str) -> Tree {
    PARSER
        .with(|p| p.borrow_mut().parse(text, None))
        .unwrap_or_else(empty_tree)
}

/// The tree of `text` after an edit: `edited` is the tree of the old text
/// adjusted with [`Tree::edit`] for every change. tree-sitter reuses its
/// unchanged nodes; on text with syntax errors its recovery after an
/// incremental parse may differ from a fresh parse's, so such a text is
/// parsed afresh: the editor keeps the tree a fresh parse gives.
pub fn reparse_tree(text: &str, edited: &Tree) -> Tree {
    match PARSER.with(|p| p.borrow_mut().parse(text, Some(edited))) {
        Some(tree) if !tree.root_node().has_error() => tree,
        _ => parse_tree(text),
    }
}

fn empty_tree() -> Tree {
    new_parser().parse("", None).expect("empty parse")
}
