//! A parse as stored by the parse cache (`model::cache`): the AST, the
//! syntax errors and what each top-level block produced while lowered,
//! without the tree-sitter tree.

use serde::{Deserialize, Serialize};

use super::reuse::ItemErrors;
use super::{Parse, SourceFile, SyntaxError};

#[derive(Serialize)]
struct Out<'a> {
    ast: &'a SourceFile,
    errors: &'a [SyntaxError],
    documents: &'a [(usize, SyntaxError)],
    maps: &'a [(usize, SyntaxError)],
}

#[derive(Deserialize)]
struct In {
    ast: SourceFile,
    errors: Vec<SyntaxError>,
    documents: Vec<(usize, SyntaxError)>,
    maps: Vec<(usize, SyntaxError)>,
}

/// The parse in postcard form.
pub fn encode(parse: &Parse) -> Option<Vec<u8>> {
    postcard::to_allocvec(&Out {
        ast: &parse.ast,
        errors: &parse.errors,
        documents: &parse.item_errors.documents,
        maps: &parse.item_errors.maps,
    })
    .ok()
}

/// A parse from [`encode`]; none when `bytes` do not decode. It has no tree.
pub fn decode(bytes: &[u8]) -> Option<Parse> {
    let stored: In = postcard::from_bytes(bytes).ok()?;
    Some(Parse {
        tree: None,
        ast: stored.ast,
        errors: stored.errors,
        item_errors: ItemErrors {
            documents: stored.documents,
            maps: stored.maps,
            // Both lists are restored: the parse may serve as the old one
            // of `reparse_reusing`.
            complete: true,
            ..ItemErrors::default()
        },
    })
}
