//! The stable diagnostic codes, their default severities and help text.
//! Every code is documented in docs/diagnostics.md; a test keeps the two in step.

use std::fmt;

/// How serious a diagnostic is. `Off` silences a code through `xwalk.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Off,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses a severity as written in `xwalk.toml`.
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "off" | "allow" => Severity::Off,
            "info" | "hint" => Severity::Info,
            "warn" | "warning" => Severity::Warning,
            "error" | "deny" => Severity::Error,
            _ => return None,
        })
    }
}

macro_rules! codes {
    ($($variant:ident = $name:literal, $severity:ident, $summary:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant),* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as written in output and in `xwalk.toml`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name),* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity),* }
            }

            /// One sentence on what the code means (used by SARIF and hovers).
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary),* }
            }

            pub fn from_name(name: &str) -> Option<Code> {
                match name { $($name => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    SyntaxError = "syntax-error", Error, "The file does not follow the .xwalk grammar.";
    UnknownDocument = "unknown-document", Error, "A document id is used but no document with that id is declared.";
    UnknownProvision = "unknown-provision", Error, "A reference names a provision or clause that its catalogued document does not declare.";
    DuplicateDocument = "duplicate-document", Error, "Two documents are declared with the same id.";
    DuplicateProvision = "duplicate-provision", Error, "A document declares the same provision or clause id twice.";
    DuplicateField = "duplicate-field", Error, "A field that takes one value is given more than once in the same block.";
    DuplicateMapping = "duplicate-mapping", Warning, "The same source, target and excerpt are mapped more than once.";
    ConflictingRelation = "conflicting-relation", Error, "The same source and target are mapped with different relations.";
    InconsistentExcerpt = "inconsistent-excerpt", Info, "The same source is quoted with different excerpts.";
    UnknownRelation = "unknown-relation", Error, "A relation is not one of the known relation names.";
    UnknownField = "unknown-field", Error, "A field name is not known in this kind of block.";
    MissingField = "missing-field", Error, "A required field is absent.";
    InvalidValue = "invalid-value", Error, "A field's value has the wrong form or is out of range.";
    SupersededReference = "superseded-reference", Warning, "A mapping targets a provision, or a clause, that a newer edition replaces.";
    SimilarDocument = "similar-document", Warning, "Two documents have titles that differ only in case, spacing or punctuation, or one title contains the other and both have the same publisher.";
    UntidyText = "untidy-text", Warning, "A title, name or id has leading, trailing or doubled whitespace.";
    GranularityMismatch = "granularity-mismatch", Warning, "A source maps to clauses and to provisions of one document, and the clauses of those provisions are not the clauses it maps to.";
}

impl Code {
    /// Where the code is documented.
    pub fn doc_url(self) -> String {
        format!("docs/diagnostics.md#{}", self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &code in Code::ALL {
            assert_eq!(Code::from_name(code.as_str()), Some(code));
        }
        assert_eq!(Code::from_name("nope"), None);
    }

    #[test]
    fn severities_parse() {
        assert_eq!(Severity::parse("warn"), Some(Severity::Warning));
        assert_eq!(Severity::parse("off"), Some(Severity::Off));
        assert_eq!(Severity::parse("loud"), None);
    }
}
