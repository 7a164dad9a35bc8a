//! Derived mappings as `.xwalk` text: one `map` per derived link, each
//! with its composed relation, its chain in a `derived` field (source
//! first, target last) and a note spelling the chain out, in the canonical
//! layout (`xwalk fmt --check` passes). Every value is written with
//! [`encode_quoted`] or as a reference that needs no quotes.
//!
//! ```xwalk
//! map owasp-iot-top-10:"I1" -> etsi-en-303-645-v3:5.1-1 {
//!   relation related
//!   derived owasp-iot-top-10:"I1", uk-cop-2018:1, etsi-en-303-645:5.1-1, etsi-en-303-645-v3:5.1-1
//!   note "Derived, not curated: the composed relation is undetermined. ..."
//! }
//! ```

use super::{DerivedMapping, Link, Relation};
use crate::model::index::EndpointKey;
use crate::syntax::strings::{encode_comment, encode_quoted};

/// `DOC:ID` as a reference in `.xwalk` text (the id quoted when it must be).
pub fn reference(node: &(String, String)) -> String {
    EndpointKey {
        document: node.0.clone(),
        id: Some(node.1.clone()),
    }
    .to_string()
}

/// "A (mapped to, related) B (replaced by, equal-to) C": a chain for
/// people.
pub fn chain_text(chain: &[(String, String)], links: &[(Link, Relation)]) -> String {
    let mut out = String::new();
    for (i, node) in chain.iter().enumerate() {
        if i > 0 {
            let (link, relation) = links[i - 1];
            out.push_str(&format!(
                " ({}, {}) ",
                link.as_str(),
                relation.field_value()
            ));
        }
        out.push_str(&super::plain(node));
    }
    out
}

/// The note of a derived `map`.
pub fn note(m: &DerivedMapping) -> String {
    let outcome = if m.relation.is_determined() {
        format!("the composed relation is {}", m.relation)
    } else {
        "the composed relation is undetermined".to_string()
    };
    format!(
        "Derived, not curated: {outcome}. Chain: {}.",
        chain_text(&m.chain, &m.links)
    )
}

/// One derived `map` block, in the canonical layout.
pub fn map_block(m: &DerivedMapping) -> String {
    let text = raw_block(m);
    crate::format::format_source(&text).unwrap_or(text)
}

fn raw_block(m: &DerivedMapping) -> String {
    let chain: Vec<String> = m.chain.iter().map(reference).collect();
    format!(
        "map {} -> {} {{\n  relation {}\n  derived {}\n  note {}\n}}\n",
        reference(&m.source),
        reference(&m.target),
        m.relation.field_value(),
        chain.join(", "),
        encode_quoted(&note(m)),
    )
}

/// A whole file of derived mappings, `header` lines first as comments.
pub fn xwalk(mappings: &[DerivedMapping], header: &[String]) -> String {
    let mut text = String::new();
    for line in header {
        text.push_str("# ");
        text.push_str(&encode_comment(line));
        text.push('\n');
    }
    for m in mappings {
        text.push('\n');
        text.push_str(&raw_block(m));
    }
    // The blocks are well formed by construction; should formatting ever
    // refuse them, the text as written is still valid.
    crate::format::format_source(&text).unwrap_or(text)
}
