//! `xwalk.toml`: the workspace configuration.
//!
//! ```toml
//! [workspace]
//! name = "uk-iot-security-mapping"
//! include = ["**/*.xwalk"]      # globs relative to the workspace root
//! exclude = ["drafts/**"]
//! dataset = "dcms-cop-mapping"  # the document describing the mapping data
//!
//! [lint]
//! similar-document = "warn"     # error | warn | info | off
//!
//! [lint.per-file."isvs/**"]     # overrides for the files a glob matches
//! superseded-reference = "off"
//!
//! [ciso-assistant.urn]           # requirement URNs of documents (docs/interop.md)
//! iso27001-2022 = "urn:intuitem:risk:req_node:iso27001-2022"
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::codes::{Code, Severity};

pub const CONFIG_FILE: &str = "xwalk.toml";

/// A parsed, validated `xwalk.toml`.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub name: Option<String>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// The id of the document that describes the workspace's mapping data
    /// (its title, version, publisher, copyright), used by `xwalk export`.
    pub dataset: Option<String>,
    /// Where `dataset`'s value is in `xwalk.toml` (1-based line, column).
    pub dataset_at: Option<(usize, usize)>,
    pub lint: BTreeMap<Code, Severity>,
    /// `[lint.per-file."GLOB"]` tables, in the order written.
    pub per_file: Vec<super::per_file::PerFileLint>,
    /// `[ciso-assistant.urn]`: document id → the base URN of its
    /// requirement nodes in CISO Assistant.
    pub ciso_urns: BTreeMap<String, String>,
}

impl Config {
    /// The severity of a code after the `[lint]` table.
    pub fn severity(&self, code: Code) -> Severity {
        self.lint
            .get(&code)
            .copied()
            .unwrap_or(code.default_severity())
    }

    /// Globs used when none are configured.
    pub fn include_globs(&self) -> Vec<String> {
        if self.include.is_empty() {
            vec!["**/*.xwalk".to_string()]
        } else {
            self.include.clone()
        }
    }
}

/// An error in `xwalk.toml`, with the line and column where known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    /// 1-based line and column.
    pub position: Option<(usize, usize)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    workspace: RawWorkspace,
    #[serde(default)]
    lint: super::per_file::RawLint,
    #[serde(default, rename = "ciso-assistant")]
    ciso_assistant: RawCiso,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCiso {
    #[serde(default)]
    urn: BTreeMap<String, toml::Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWorkspace {
    name: Option<String>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    dataset: Option<toml::Spanned<String>>,
}

pub(super) fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// A `[lint]` table (`code = "severity"`), validated; errors at the value.
pub(super) fn lint_table(
    text: &str,
    entries: Vec<(String, toml::Spanned<String>)>,
) -> Result<BTreeMap<Code, Severity>, ConfigError> {
    let mut lint = BTreeMap::new();
    for (name, value) in entries {
        let at = Some(position(text, value.span().start));
        let code = Code::from_name(&name).ok_or_else(|| ConfigError {
            message: format!(
                "unknown lint `{name}`; the codes are: {}",
                Code::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            position: at,
        })?;
        let severity = Severity::parse(value.get_ref()).ok_or_else(|| ConfigError {
            message: format!(
                "unknown severity `{}` for `{name}`; use error, warn, info or off",
                value.get_ref()
            ),
            position: at,
        })?;
        lint.insert(code, severity);
    }
    Ok(lint)
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError {
            message: e.message().to_string(),
            position: e.span().map(|s| position(text, s.start)),
        })?;
        let lint = lint_table(text, raw.lint.codes)?;
        let per_file = super::per_file::parse(text, raw.lint.per_file)?;
        for glob in raw.workspace.include.iter().chain(&raw.workspace.exclude) {
            globset::Glob::new(glob).map_err(|e| ConfigError {
                message: format!("invalid glob `{glob}`: {e}"),
                position: None,
            })?;
        }
        let dataset_at = raw
            .workspace
            .dataset
            .as_ref()
            .map(|d| position(text, d.span().start));
        if let Some(id) = &raw.workspace.dataset
            && !super::schema::is_document_id(id.get_ref())
        {
            return Err(ConfigError {
                message: format!(
                    "`dataset` must be a document id (lowercase letters, digits, `.`, `_`, `-`), not `{}`",
                    id.get_ref()
                ),
                position: dataset_at,
            });
        }
        let mut ciso_urns = BTreeMap::new();
        for (doc, urn) in raw.ciso_assistant.urn {
            let at = Some(position(text, urn.span().start));
            if !super::schema::is_document_id(&doc) {
                return Err(ConfigError {
                    message: format!(
                        "`[ciso-assistant.urn]`: `{doc}` is not a document id (lowercase letters, digits, `.`, `_`, `-`)"
                    ),
                    position: at,
                });
            }
            let urn = urn.into_inner();
            if !urn.starts_with("urn:") || urn.ends_with(':') || urn.contains(char::is_whitespace) {
                return Err(ConfigError {
                    message: format!(
                        "`[ciso-assistant.urn]`: `{urn}` is not a base URN such as `urn:intuitem:risk:req_node:iso27001-2022`"
                    ),
                    position: at,
                });
            }
            ciso_urns.insert(doc, urn);
        }
        Ok(Config {
            name: raw.workspace.name,
            include: raw.workspace.include,
            exclude: raw.workspace.exclude,
            dataset: raw.workspace.dataset.map(toml::Spanned::into_inner),
            dataset_at,
            lint,
            per_file,
            ciso_urns,
        })
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            message: e.to_string(),
            position: None,
        })?;
        Config::parse(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_config() {
        let c = Config::parse(
            "[workspace]\nname = \"w\"\ninclude = [\"a/**\"]\n[lint]\nsimilar-document = \"off\"\nuntidy-text = \"error\"\n",
        )
        .unwrap();
        assert_eq!(c.name.as_deref(), Some("w"));
        assert_eq!(c.severity(Code::SimilarDocument), Severity::Off);
        assert_eq!(c.severity(Code::UntidyText), Severity::Error);
        assert_eq!(c.severity(Code::UnknownDocument), Severity::Error);
    }

    #[test]
    fn ciso_assistant_urns() {
        let c = Config::parse(
            "[ciso-assistant.urn]\n\"iso.27001\" = \"urn:intuitem:risk:req_node:iso27001-2022\"\n",
        )
        .unwrap();
        assert_eq!(
            c.ciso_urns.get("iso.27001").map(String::as_str),
            Some("urn:intuitem:risk:req_node:iso27001-2022")
        );
        let e = Config::parse("[ciso-assistant.urn]\nx = \"iso\"\n").unwrap_err();
        assert_eq!(
            e.message,
            "`[ciso-assistant.urn]`: `iso` is not a base URN such as `urn:intuitem:risk:req_node:iso27001-2022`"
        );
        assert_eq!(e.position, Some((2, 5)));
        let e = Config::parse("[ciso-assistant.urn]\nISO = \"urn:a:b\"\n").unwrap_err();
        assert!(
            e.message.contains("`ISO` is not a document id"),
            "{}",
            e.message
        );
    }

    #[test]
    fn dataset_names_a_document() {
        let c = Config::parse("[workspace]\ndataset = \"dcms-cop-mapping\"\n").unwrap();
        assert_eq!(c.dataset.as_deref(), Some("dcms-cop-mapping"));
        let e = Config::parse("[workspace]\ndataset = \"DCMS\"\n").unwrap_err();
        assert!(
            e.message.contains("`dataset` must be a document id"),
            "{}",
            e.message
        );
    }

    #[test]
    fn dataset_position_is_kept() {
        let c = Config::parse("[workspace]\nname = \"w\"\ndataset = \"x\"\n").unwrap();
        assert_eq!(c.dataset_at, Some((3, 11)));
        let e = Config::parse("[workspace]\n\ndataset = \"Bad\"\n").unwrap_err();
        assert_eq!(e.position, Some((3, 11)));
    }

    #[test]
    fn empty_config_is_valid() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.include_globs(), vec!["**/*.xwalk"]);
    }

    #[test]
    fn rejects_unknown_lint_with_position() {
        let e = Config::parse("[lint]\nno-such-code = \"warn\"\n").unwrap_err();
        assert!(
            e.message.contains("unknown lint `no-such-code`"),
            "{}",
            e.message
        );
        assert_eq!(e.position, Some((2, 16)));
    }

    #[test]
    fn rejects_bad_severity_and_unknown_keys() {
        let e = Config::parse("[lint]\nuntidy-text = \"loud\"\n").unwrap_err();
        assert!(e.message.contains("unknown severity"));
        let e = Config::parse("[workspace]\nnmae = \"x\"\n").unwrap_err();
        assert!(e.message.contains("nmae"), "{}", e.message);
        assert_eq!(e.position.map(|p| p.0), Some(2));
    }
}
