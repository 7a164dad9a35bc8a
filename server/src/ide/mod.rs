//! IDE features: pure functions over the model, in byte offsets, with no
//! LSP types (the `lsp` module converts). One file per feature.

pub mod chains;
pub mod code_actions;
pub mod code_lens;
pub mod completion;
mod completion_context;
pub mod definition;
pub mod fix_all;
pub mod folding;
mod fuzzy;
pub mod hover;
pub mod inlay_hints;
pub mod links;
mod locate;
pub mod references;
pub mod rename;
pub mod selection;
pub mod semantic_tokens;
pub mod suggested;
pub mod symbols;

pub use locate::{Occurrence, OccurrenceKind, Symbol, occurrences, symbol_at};

use crate::model::FileId;
use crate::syntax::TextRange;

/// A range in one file of the workspace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FileRange {
    pub file: FileId,
    pub range: TextRange,
}

/// A text replacement in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub file: FileId,
    pub range: TextRange,
    pub new_text: String,
}

#[cfg(test)]
mod tests {
    //! Every feature at every offset of valid, broken and random files: no
    //! panic, and the ranges each returns make sense where it was asked.

    use proptest::prelude::*;

    use crate::fixture::Fixture;

    fn on_char_boundaries(text: &str, r: &crate::syntax::TextRange) -> bool {
        r.start <= r.end && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
    }

    fn every_feature_everywhere(text: &str) {
        let fx = Fixture::parse(&format!("//- a.xwalk\n{text}"));
        let (ws, file) = (&fx.ws, fx.main());
        let text = ws.file(file).text.as_str();
        let in_file = |r: &crate::syntax::TextRange| on_char_boundaries(text, r);
        for t in super::semantic_tokens::semantic_tokens(ws, file) {
            assert!(in_file(&t.range), "token {t:?}");
        }
        super::folding::folding_ranges(ws, file);
        super::symbols::document_symbols(ws, file);
        super::links::document_links(ws, file);
        super::code_lens::code_lenses(ws, file);
        super::inlay_hints::inlay_hints(ws, file, 0..text.len());
        let diagnostics = crate::check::check(ws);
        super::code_actions::quick_fixes(ws, &diagnostics);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            if let Some(h) = super::hover::hover(ws, file, offset) {
                assert!(h.range.start <= offset && offset <= h.range.end);
            }
            if let Some(d) = super::definition::goto_definition(ws, file, offset) {
                assert!(on_char_boundaries(&ws.file(d.file).text, &d.range));
            }
            for r in super::references::find_references(ws, file, offset, true) {
                assert!(on_char_boundaries(&ws.file(r.file).text, &r.range));
            }
            let _ = super::rename::prepare_rename(ws, file, offset);
            for item in super::completion::completions(ws, file, offset) {
                assert!(in_file(&item.replace), "{item:?}");
                assert!(item.replace.start <= offset && offset <= item.replace.end);
            }
            let ranges = super::selection::selection_ranges(ws, file, offset);
            for pair in ranges.windows(2) {
                assert!(pair[1].start <= pair[0].start && pair[0].end <= pair[1].end);
            }
        }
    }

    #[test]
    fn valid_broken_and_multi_byte_files() {
        for text in [
            "document d {\n  title \"Dé\"\n  clause 1 { provision 1.1 \"T\" { text \"\"\"\n    x\n    \"\"\" } }\n}\nmap d:1.1 -> uk-cop-2018:1, d:1 {\n  relation subset-of # c\n}\n",
            "map d:1 -> uk-cop-2018:",
            "document d {\n  title \"unterminated\n  provision \"é\n",
            "map \"quoted id\":x -> \"\":\"\" {}\n}}}{{{",
            "# only a comment é",
            "",
        ] {
            every_feature_everywhere(text);
        }
    }

    fn token() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("document d ".to_string()),
            Just("map ".to_string()),
            Just("clause 1 ".to_string()),
            Just("provision 1.1 ".to_string()),
            Just("{".to_string()),
            Just("}\n".to_string()),
            Just(" -> ".to_string()),
            Just(", ".to_string()),
            Just(":".to_string()),
            Just("\"".to_string()),
            Just("\"\"\"\n".to_string()),
            Just("# c\n".to_string()),
            Just("uk-cop-2018:1".to_string()),
            Just("d:1.1".to_string()),
            Just("title \"T\" ".to_string()),
            Just("url \"https://e.org\" ".to_string()),
            Just("relation ".to_string()),
            "\\PC{0,3}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn random_files(tokens in proptest::collection::vec(token(), 0..24)) {
            every_feature_everywhere(&tokens.concat());
        }
    }
}
