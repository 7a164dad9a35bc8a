//! The built-in catalogs, compiled into the binary from `mappings/catalogs/`.
//!
//! They are used whenever a document id is not declared by the workspace
//! itself: a workspace document with the same id replaces the built-in one.
//! Only `document` declarations of built-in files take part; their `map`
//! blocks (if any) are ignored.

use std::path::PathBuf;

use super::{Origin, SourceFile};

/// (file name, contents) of every built-in catalog.
pub const CATALOGS: &[(&str, &str)] = &[
    (
        "uk-cop-2018.xwalk",
        include_str!("../../../mappings/catalogs/uk-cop-2018.xwalk"),
    ),
    (
        "etsi-ts-103-645.xwalk",
        include_str!("../../../mappings/catalogs/etsi-ts-103-645.xwalk"),
    ),
    (
        "etsi-en-303-645.xwalk",
        include_str!("../../../mappings/catalogs/etsi-en-303-645.xwalk"),
    ),
    (
        "etsi-en-303-645-v3.xwalk",
        include_str!("../../../mappings/catalogs/etsi-en-303-645-v3.xwalk"),
    ),
    (
        "enisa-bsr-iot.xwalk",
        include_str!("../../../mappings/catalogs/enisa-bsr-iot.xwalk"),
    ),
    (
        "eu-cra-2024.xwalk",
        include_str!("../../../mappings/catalogs/eu-cra-2024.xwalk"),
    ),
    (
        "uk-psti-2023.xwalk",
        include_str!("../../../mappings/catalogs/uk-psti-2023.xwalk"),
    ),
    (
        "nist-ir-8259a.xwalk",
        include_str!("../../../mappings/catalogs/nist-ir-8259a.xwalk"),
    ),
    (
        "en-18031-1.xwalk",
        include_str!("../../../mappings/catalogs/en-18031-1.xwalk"),
    ),
    (
        "en-18031-2.xwalk",
        include_str!("../../../mappings/catalogs/en-18031-2.xwalk"),
    ),
    (
        "en-18031-3.xwalk",
        include_str!("../../../mappings/catalogs/en-18031-3.xwalk"),
    ),
];

/// Parses the built-in catalogs.
pub fn files() -> Vec<SourceFile> {
    CATALOGS
        .iter()
        .map(|(name, text)| {
            SourceFile::new(
                PathBuf::from(format!("builtin:{name}")),
                format!("builtin:{name}"),
                text.to_string(),
                Origin::Builtin,
            )
        })
        .collect()
}

#[cfg(test)]
#[path = "builtin_tests.rs"]
mod catalog_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogs_parse_cleanly() {
        for f in files() {
            assert!(
                f.parse.errors.is_empty(),
                "{}: {:?}",
                f.name,
                f.parse.errors
            );
            assert!(!f.parse.ast.documents.is_empty(), "{}", f.name);
        }
    }
}
