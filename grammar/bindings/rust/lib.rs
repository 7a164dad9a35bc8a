//! Tree-sitter grammar for Crosswalk `.xwalk` files.
//!
//! ```
//! let mut parser = tree_sitter::Parser::new();
//! parser.set_language(&tree_sitter_xwalk::LANGUAGE.into()).unwrap();
//! let tree = parser.parse("document a { title \"A\" }", None).unwrap();
//! assert!(!tree.root_node().has_error());
//! ```

use tree_sitter_language::LanguageFn;

unsafe extern "C" {
    fn tree_sitter_xwalk() -> *const ();
}

/// The tree-sitter [`LanguageFn`] for `.xwalk` files.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_xwalk) };

/// The content of the `node-types.json` file for this grammar.
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// Syntax highlighting query.
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");
/// Folding query.
pub const FOLDS_QUERY: &str = include_str!("../../queries/folds.scm");
/// Local definitions and references query.
pub const LOCALS_QUERY: &str = include_str!("../../queries/locals.scm");

#[cfg(test)]
mod tests {
    #[test]
    fn loads_grammar_and_queries() {
        let language: tree_sitter::Language = super::LANGUAGE.into();
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&language).expect("load xwalk grammar");
        for (name, q) in [
            ("highlights", super::HIGHLIGHTS_QUERY),
            ("folds", super::FOLDS_QUERY),
            ("locals", super::LOCALS_QUERY),
        ] {
            tree_sitter::Query::new(&language, q)
                .unwrap_or_else(|e| panic!("{name}.scm does not compile: {e}"));
        }
    }
}
