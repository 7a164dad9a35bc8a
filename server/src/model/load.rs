//! Finding workspaces and their files on disk, and reading files.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use super::config::{CONFIG_FILE, Config, ConfigError};
use crate::syntax::lines;

/// A file or folder that could not be used, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub path: PathBuf,
    pub message: String,
}

impl LoadError {
    fn new(path: &Path, message: impl Into<String>) -> LoadError {
        LoadError {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

/// The folder holding `xwalk.toml`, searching from `start` upwards.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    let start = if start.is_dir() {
        start
    } else {
        start.parent()?
    };
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

/// Folders never searched for `.xwalk` files.
fn skipped_dir(name: &str) -> bool {
    name.starts_with('.') || name == "target" || name == "node_modules"
}

fn is_xwalk(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "xwalk")
}

fn walk(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_type().is_dir() && skipped_dir(&e.file_name().to_string_lossy()))
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            LoadError::new(
                &path,
                e.io_error()
                    .map_or_else(|| e.to_string(), |io| io.to_string()),
            )
        })?;
        if entry.file_type().is_file() && is_xwalk(entry.path()) {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

/// The `.xwalk` files under `path` (or `path` itself when it is a file).
/// A folder without any is an error.
pub fn expand(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let meta = std::fs::metadata(path).map_err(|e| LoadError::new(path, e.to_string()))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let files = walk(path)?;
    if files.is_empty() {
        return Err(LoadError::new(path, "no .xwalk files in this folder"));
    }
    Ok(files)
}

fn glob_set(globs: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for g in globs {
        builder.add(Glob::new(g).map_err(|e| format!("invalid glob `{g}`: {e}"))?);
    }
    builder.build().map_err(|e| e.to_string())
}

/// Every file of the workspace at `root`, after its include/exclude globs.
pub fn workspace_files(root: &Path, config: &Config) -> Result<Vec<PathBuf>, LoadError> {
    select(root, config, walk(root)?)
}

/// The files of the workspace at `root` among `files` (paths below `root`,
/// e.g. the files of a git revision): `.xwalk` files outside the folders
/// never searched, after the include/exclude globs.
pub fn select(
    root: &Path,
    config: &Config,
    files: Vec<PathBuf>,
) -> Result<Vec<PathBuf>, LoadError> {
    let include = glob_set(&config.include_globs()).map_err(|m| LoadError::new(root, m))?;
    let exclude = glob_set(&config.exclude).map_err(|m| LoadError::new(root, m))?;
    Ok(files
        .into_iter()
        .filter(|p| {
            let rel = p.strip_prefix(root).unwrap_or(p);
            is_searched(rel) && include.is_match(rel) && !exclude.is_match(rel)
        })
        .collect())
}

/// Is `rel` (relative to the folder searched) an `.xwalk` file outside the
/// folders never searched?
pub fn is_searched(rel: &Path) -> bool {
    is_xwalk(rel)
        && rel
            .parent()
            .is_none_or(|dir| !dir.iter().any(|c| skipped_dir(&c.to_string_lossy())))
}

/// Reads a file as UTF-8; a file that is not gets a located error.
pub fn read(path: &Path) -> Result<String, LoadError> {
    let bytes = std::fs::read(path).map_err(|e| LoadError::new(path, e.to_string()))?;
    decode(path, bytes)
}

/// The bytes of a file as UTF-8; bytes that are not get a located error.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, LoadError> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = String::from_utf8_lossy(&bytes[..valid]);
        let line = lines::count(&before) + 1;
        let col = before[lines::start_of_line(&before, before.len())..].chars().count() + 1;
        LoadError::new(
            path,
            format!(
                "not valid UTF-8: byte 0x{:02x} at line {line}, column {col}; .xwalk files are UTF-8",
                bytes[valid]
            ),
        )
    })
}

/// A workspace loaded for some requested paths.
pub struct Loaded {
    pub workspace: super::Workspace,
    /// The files that were asked for (the rest give context only).
    pub requested: Vec<super::FileId>,
}

/// How a path is shown in output: relative to the current folder when it
/// is below it, otherwise as it is.
pub fn display_name(path: &Path, cwd: Option<&Path>) -> String {
    cwd.and_then(|c| path.strip_prefix(c).ok())
        .filter(|rel| !rel.as_os_str().is_empty())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// An error of the `xwalk.toml` at `config_path`, located as
/// `xwalk.toml:LINE:COLUMN` when its position is known.
pub fn config_error(config_path: &Path, cwd: Option<&Path>, e: ConfigError) -> LoadError {
    let at = e
        .position
        .map_or(String::new(), |(l, c)| format!(":{l}:{c}"));
    LoadError {
        path: PathBuf::from(format!("{}{at}", display_name(config_path, cwd))),
        message: e.message,
    }
}

/// The errors of a workspace's `xwalk.toml` that only its files can show
/// (see [`super::Workspace::config_errors`]), as load errors. The command
/// line and the language server both report them.
pub fn workspace_config_errors(ws: &super::Workspace, cwd: Option<&Path>) -> Vec<LoadError> {
    let Some(root) = &ws.root else {
        return Vec::new();
    };
    ws.config_errors()
        .into_iter()
        .map(|e| config_error(&root.join(CONFIG_FILE), cwd, e))
        .collect()
}

/// Loads the workspaces of `paths`: each path is checked in the context of
/// the workspace holding it (or with the built-in catalogs alone when it is
/// in none). Paths in the same workspace share one load. Every problem
/// reading a path, a file or a config is returned; the rest still loads.
pub fn load_paths(paths: &[PathBuf]) -> (Vec<Loaded>, Vec<LoadError>) {
    use rustc_hash::FxHashSet;
    use std::collections::BTreeMap;

    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| c.canonicalize().ok());
    let mut errors = Vec::new();
    let mut groups: BTreeMap<Option<PathBuf>, Vec<PathBuf>> = BTreeMap::new();
    for path in paths {
        match path.canonicalize() {
            Ok(canon) => groups.entry(find_root(&canon)).or_default().push(canon),
            Err(e) => errors.push(LoadError::new(path, e.to_string())),
        }
    }
    let mut loaded = Vec::new();
    for (root, requested_paths) in groups {
        let mut config = Config::default();
        // Gathered, then sorted once (a walk gives each folder's files in
        // order already): cheaper than a `BTreeSet` of 10,000s of paths.
        let mut files: Vec<PathBuf> = Vec::new();
        let mut requested: FxHashSet<PathBuf> = FxHashSet::default();
        if let Some(root) = &root {
            let config_path = root.join(CONFIG_FILE);
            match Config::load(&config_path) {
                Ok(c) => config = c,
                Err(e) => {
                    errors.push(config_error(&config_path, cwd.as_deref(), e));
                    continue;
                }
            }
            match workspace_files(root, &config) {
                Ok(list) => files.extend(list),
                Err(e) => errors.push(e),
            }
        }
        for path in &requested_paths {
            if path.is_file() {
                files.push(path.clone());
                requested.insert(path.clone());
                continue;
            }
            let under: Vec<PathBuf> = if root.is_some() {
                files
                    .iter()
                    .filter(|f| f.starts_with(path))
                    .cloned()
                    .collect()
            } else {
                match expand(path) {
                    Ok(list) => list,
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                }
            };
            if under.is_empty() {
                let excluded = root.is_some() && expand(path).is_ok();
                let message = if excluded {
                    "every .xwalk file in this folder is excluded by the workspace's xwalk.toml"
                } else {
                    "no .xwalk files in this folder"
                };
                errors.push(LoadError::new(path, message));
            }
            if root.is_none() {
                // (In a workspace they are among its files already.)
                files.extend(under.iter().cloned());
            }
            requested.extend(under);
        }
        files.sort();
        files.dedup();
        // Read in parallel (in the files' order): on a large workspace the
        // reads are a tenth of a check.
        let read: Vec<_> = Vec::from_iter(&files)
            .into_par_iter()
            .map(|path| read(path).map(|text| (path, text)))
            .collect();
        let mut inputs = Vec::with_capacity(read.len());
        for result in read {
            match result {
                Ok((path, text)) => inputs.push(super::FileInput {
                    name: display_name(path, cwd.as_deref()),
                    path: path.clone(),
                    text,
                }),
                Err(mut e) => {
                    e.path = PathBuf::from(display_name(&e.path, cwd.as_deref()));
                    errors.push(e);
                }
            }
        }
        let workspace = super::Workspace::build(root, config, inputs);
        errors.extend(workspace_config_errors(&workspace, cwd.as_deref()));
        let requested = workspace
            .workspace_files()
            .filter(|(_, f)| requested.contains(&f.path))
            .map(|(id, _)| id)
            .collect();
        loaded.push(Loaded {
            workspace,
            requested,
        });
    }
    (loaded, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_files_and_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join(CONFIG_FILE),
            "[workspace]\nexclude = [\"drafts/**\"]\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::create_dir_all(root.join("drafts")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        for f in [
            "a/one.xwalk",
            "a/b/two.xwalk",
            "drafts/d.xwalk",
            ".git/x.xwalk",
            "a/notes.txt",
        ] {
            std::fs::write(root.join(f), "").unwrap();
        }
        assert_eq!(
            find_root(&root.join("a/b/two.xwalk")).as_deref(),
            Some(root)
        );
        let config = Config::load(&root.join(CONFIG_FILE)).unwrap();
        let files = workspace_files(root, &config).unwrap();
        let rel: Vec<_> = files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            rel,
            vec![PathBuf::from("a/b/two.xwalk"), PathBuf::from("a/one.xwalk")]
        );
        assert_eq!(expand(&root.join("drafts")).unwrap().len(), 1);
        let err = expand(&root.join("a/b/..")).map(|v| v.len());
        assert_eq!(err, Ok(2));
    }

    #[test]
    fn empty_folder_and_missing_path_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let e = expand(dir.path()).unwrap_err();
        assert!(e.message.contains("no .xwalk files"));
        let e = expand(&dir.path().join("nope")).unwrap_err();
        assert!(!e.message.is_empty());
    }

    #[test]
    fn non_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.xwalk");
        std::fs::write(&p, b"document a {\n  title \"\xff\"\n}\n").unwrap();
        let e = read(&p).unwrap_err();
        assert!(e.message.contains("line 2, column 10"), "{}", e.message);
    }
}
