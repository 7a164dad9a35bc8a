//! The integration tests: one test binary for all of them, so that the
//! library and its dependencies are linked once rather than once per file
//! (most of a cold `cargo test` build was linking). Each module is one
//! suite; run one with a filter, e.g. `cargo test -p xwalk --test
//! integration lifecycle::`.

mod common;
mod lsp;

mod bad_input;
mod ci;
mod cli;
mod derive;
mod diagnostics;
mod diff;
mod docs;
mod edge_cases;
mod fast_parse;
mod fix_cli;
mod fmt_cli;
mod format;
mod incremental;
mod interop;
mod interop_formats;
mod lifecycle;
mod linear;
mod locality;
mod lsp_fix_all;
mod lsp_stdio;
mod recovery;
mod regulations;
mod reparse;
mod robustness;
mod suggest;
