//! Crosswalk (`xwalk`): a language server and toolkit for security-standard
//! mapping files.
//!
//! Data flows one way: [`syntax`] (tree-sitter tree → typed AST) →
//! [`model`] (workspace, catalogs, index) → [`check`] (diagnostics, pure
//! functions over the model) → [`cli`] (thin glue). Nothing lower imports
//! anything higher. See docs/architecture.md.

pub mod chains;
pub mod check;
pub mod cli;
pub mod codes;
pub mod diff;
#[cfg(test)]
mod fixture;
pub mod format;
pub mod ide;
pub mod interop;
pub mod lsp;
pub mod model;
pub mod plural;
pub mod site;
pub mod stats;
pub mod suggest;
pub mod syntax;
