//! `[lint.per-file."GLOB"]`: lint severities for the files a glob matches,
//! in the style of ruff's `per-file-ignores`.
//!
//! ```toml
//! [lint]
//! superseded-reference = "warn"
//!
//! [lint.per-file."isvs/**"]      # relative to the workspace root
//! superseded-reference = "off"   # these files map the older edition on purpose
//! ```
//!
//! A file takes the `[lint]` severities, then those of every per-file table
//! whose glob matches its path relative to the workspace root, in the order
//! the tables are written (a later table wins).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};

use super::config::{Config, ConfigError, lint_table, position};
use crate::codes::{Code, Severity};

/// One `[lint.per-file."GLOB"]` table.
#[derive(Clone, Debug)]
pub struct PerFileLint {
    /// The glob as written.
    pub glob: String,
    matcher: globset::GlobMatcher,
    pub lint: BTreeMap<Code, Severity>,
}

impl PartialEq for PerFileLint {
    fn eq(&self, other: &PerFileLint) -> bool {
        self.glob == other.glob && self.lint == other.lint
    }
}

impl Eq for PerFileLint {}

impl PerFileLint {
    /// Does the glob match `relative` (a path relative to the root)?
    pub fn matches(&self, relative: &Path) -> bool {
        self.matcher.is_match(relative)
    }
}

impl Config {
    /// The severity of every code (in `Code::ALL` order) for a file at
    /// `relative` (its path relative to the workspace root; `None` for a
    /// file outside any root, which only `[lint]` applies to).
    pub fn severities_for(&self, relative: Option<&Path>) -> Vec<Severity> {
        let mut out: Vec<Severity> = Code::ALL.iter().map(|&c| self.severity(c)).collect();
        let Some(relative) = relative else {
            return out;
        };
        for table in self.per_file.iter().filter(|t| t.matches(relative)) {
            for (&code, &severity) in &table.lint {
                out[code as usize] = severity;
            }
        }
        out
    }

    /// The severity of `code` for a file at `relative` (see
    /// [`Config::severities_for`]).
    pub fn severity_in(&self, relative: Option<&Path>, code: Code) -> Severity {
        let Some(relative) = relative else {
            return self.severity(code);
        };
        self.per_file
            .iter()
            .rev()
            .filter(|t| t.matches(relative))
            .find_map(|t| t.lint.get(&code).copied())
            .unwrap_or_else(|| self.severity(code))
    }
}

/// `path` relative to `root`, when both are given and `path` is under it.
pub fn relative_to<'a>(root: Option<&Path>, path: &'a Path) -> Option<&'a Path> {
    path.strip_prefix(root?).ok()
}

/// `code = "severity"` entries, in the order written.
pub(super) type RawEntries = Vec<(String, toml::Spanned<String>)>;

/// `[lint.per-file."GLOB"]` tables: the glob and its entries.
pub(super) type RawTables = Vec<(toml::Spanned<String>, RawEntries)>;

/// The `[lint]` table as read: `code = "severity"` entries and the
/// `per-file` tables, each in the order written, with their positions.
#[derive(Default)]
pub(super) struct RawLint {
    pub codes: RawEntries,
    pub per_file: RawTables,
}

/// A TOML table read in the order written (serde's `flatten` and `untagged`
/// would lose the positions of the values).
struct Ordered<K, V>(Vec<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Ordered<K, V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for V2<K, V> {
            type Value = Ordered<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key()? {
                    out.push((k, map.next_value()?));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V2(PhantomData))
    }
}

impl<'de> Deserialize<'de> for RawLint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawLint;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of `code = \"severity\"` entries and `per-file` tables")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawLint, A::Error> {
                let mut raw = RawLint::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "per-file" {
                        let tables: Ordered<toml::Spanned<String>, Ordered<String, _>> =
                            map.next_value()?;
                        raw.per_file
                            .extend(tables.0.into_iter().map(|(glob, t)| (glob, t.0)));
                    } else {
                        raw.codes.push((key, map.next_value()?));
                    }
                }
                Ok(raw)
            }
        }
        d.deserialize_map(V)
    }
}

/// Validates the per-file tables: each glob compiles, each code and
/// severity is known. Errors are located at the glob or the value.
pub(super) fn parse(text: &str, raw: RawTables) -> Result<Vec<PerFileLint>, ConfigError> {
    let mut out = Vec::new();
    for (glob, entries) in raw {
        let matcher = globset::Glob::new(glob.get_ref())
            .map_err(|e| ConfigError {
                message: format!(
                    "invalid glob `{}` in `[lint.per-file]`: {e}",
                    glob.get_ref()
                ),
                position: Some(position(text, glob.span().start)),
            })?
            .compile_matcher();
        out.push(PerFileLint {
            glob: glob.into_inner(),
            matcher,
            lint: lint_table(text, entries)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"[lint]
superseded-reference = "error"
untidy-text = "off"

[lint.per-file."isvs/**"]
superseded-reference = "off"

[lint.per-file."isvs/keep/**"]
superseded-reference = "warn"
"#;

    #[test]
    fn per_file_tables_override_lint_in_order() {
        let c = Config::parse(CONFIG).unwrap();
        assert_eq!(c.per_file.len(), 2);
        assert_eq!(c.per_file[0].glob, "isvs/**");
        let at = |p: &str| c.severity_in(Some(Path::new(p)), Code::SupersededReference);
        assert_eq!(at("main.xwalk"), Severity::Error);
        assert_eq!(at("isvs/a.xwalk"), Severity::Off);
        // The later table wins.
        assert_eq!(at("isvs/keep/b.xwalk"), Severity::Warning);
        // Outside a root only [lint] applies.
        assert_eq!(
            c.severity_in(None, Code::SupersededReference),
            Severity::Error
        );
        // Codes a table does not name keep the [lint] severity.
        assert_eq!(
            c.severity_in(Some(Path::new("isvs/a.xwalk")), Code::UntidyText),
            Severity::Off
        );
        let all = c.severities_for(Some(Path::new("isvs/keep/b.xwalk")));
        assert_eq!(all[Code::SupersededReference as usize], Severity::Warning);
        assert_eq!(all[Code::UntidyText as usize], Severity::Off);
        assert_eq!(all[Code::SyntaxError as usize], Severity::Error);
    }

    #[test]
    fn unknown_code_in_a_per_file_table_is_located() {
        let e =
            Config::parse("[lint.per-file.\"a/**\"]\nsuperseded-refrence = \"off\"\n").unwrap_err();
        assert!(
            e.message.contains("unknown lint `superseded-refrence`"),
            "{}",
            e.message
        );
        assert_eq!(e.position, Some((2, 23)));
    }

    #[test]
    fn bad_glob_is_located_at_the_glob() {
        let e = Config::parse("[lint]\n\n[lint.per-file.\"a/{b\"]\nuntidy-text = \"off\"\n")
            .unwrap_err();
        assert!(e.message.contains("invalid glob `a/{b`"), "{}", e.message);
        assert_eq!(e.position, Some((3, 16)));
    }

    #[test]
    fn bad_severity_and_non_table_are_errors() {
        let e = Config::parse("[lint.per-file.\"a/**\"]\nuntidy-text = \"loud\"\n").unwrap_err();
        assert!(
            e.message.contains("unknown severity `loud`"),
            "{}",
            e.message
        );
        assert_eq!(e.position, Some((2, 15)));
        let e = Config::parse("[lint]\nper-file = \"off\"\n").unwrap_err();
        assert_eq!(e.position.map(|p| p.0), Some(2), "{}", e.message);
    }

    #[test]
    fn relative_paths() {
        let root = Path::new("/w");
        assert_eq!(
            relative_to(Some(root), Path::new("/w/isvs/a.xwalk")),
            Some(Path::new("isvs/a.xwalk"))
        );
        assert_eq!(
            relative_to(Some(root), Path::new("/elsewhere/a.xwalk")),
            None
        );
        assert_eq!(relative_to(None, Path::new("/w/a.xwalk")), None);
    }
}
