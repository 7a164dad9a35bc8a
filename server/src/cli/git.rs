//! A git revision's workspace, read into memory with the git CLI
//! (`git rev-parse`, `git ls-tree`, `git cat-file --batch`): no checkout,
//! nothing written to the repository.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use crate::model::config::{CONFIG_FILE, Config};
use crate::model::load::{self, LoadError, Loaded};
use crate::model::{FileInput, Workspace};

/// A git repository, by the folder at its top.
pub struct Repo {
    top: PathBuf,
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(dir);
    // Never prompt, never page, never take a user's replacement objects.
    c.env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_NO_REPLACE_OBJECTS", "1")
        .stdin(Stdio::null());
    c
}

/// Runs git; its standard output, or its message as the error.
fn output(mut command: Command) -> Result<Vec<u8>, String> {
    let out = command
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let message = String::from_utf8_lossy(&out.stderr).trim().to_string();
        Err(if message.is_empty() {
            format!("git failed ({})", out.status)
        } else {
            message
        })
    }
}

/// `path` made absolute without touching the file system: joined to the
/// current folder, `.` and `..` resolved.
pub fn absolute(path: &Path) -> PathBuf {
    if let Ok(canon) = path.canonicalize() {
        return canon;
    }
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| c.canonicalize().ok())
        .unwrap_or_default();
    let mut out = PathBuf::new();
    for c in cwd.join(path).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

impl Repo {
    /// The repository holding `path` (which may not exist in the working
    /// tree: the nearest folder above it that does is asked).
    pub fn of(path: &Path) -> Result<Repo, String> {
        let dir = path
            .ancestors()
            .find(|d| d.is_dir())
            .unwrap_or(Path::new("."));
        let mut c = git(dir);
        c.args(["rev-parse", "--show-toplevel"]);
        let top =
            output(c).map_err(|e| format!("{}: not in a git repository ({e})", dir.display()))?;
        let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end_matches(['\n', '\r']));
        let top = top.canonicalize().unwrap_or(top);
        Ok(Repo { top })
    }

    /// The commit `rev` names; an unknown revision is an error saying so.
    pub fn resolve(&self, rev: &str) -> Result<String, String> {
        let mut c = git(&self.top);
        c.args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
            .arg(format!("{rev}^{{commit}}"));
        match output(c) {
            Ok(sha) => Ok(String::from_utf8_lossy(&sha).trim().to_string()),
            Err(_) => Err(format!(
                "unknown revision `{rev}`: not a commit of the repository at {}",
                self.top.display()
            )),
        }
    }

    /// The `.xwalk` and `xwalk.toml` files of `commit`: absolute path (as
    /// in the working tree) → contents.
    fn files(&self, commit: &str) -> Result<BTreeMap<PathBuf, Vec<u8>>, String> {
        let mut c = git(&self.top);
        c.args(["ls-tree", "-r", "-z", "--full-tree", commit]);
        let listing = output(c)?;
        let mut wanted = Vec::new();
        for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut meta = meta.split(' ');
            let (mode, kind, object) = (meta.next(), meta.next(), meta.next());
            // Blobs only: no symbolic links (mode 120000), no submodules.
            if kind != Some("blob") || mode == Some("120000") {
                continue;
            }
            let name = path.rsplit('/').next().unwrap_or(path);
            if name.ends_with(".xwalk") || name == CONFIG_FILE {
                wanted.push((object.unwrap_or("").to_string(), self.top.join(path)));
            }
        }
        let blobs = self.cat(wanted.iter().map(|(o, _)| o.as_str()))?;
        Ok(wanted.into_iter().map(|(_, p)| p).zip(blobs).collect())
    }

    /// The contents of the objects, through one `git cat-file --batch`.
    fn cat<'a>(&self, objects: impl Iterator<Item = &'a str>) -> Result<Vec<Vec<u8>>, String> {
        let request: String = objects.map(|o| format!("{o}\n")).collect();
        let count = request.lines().count();
        let mut child = git(&self.top)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not run git: {e}"))?;
        let mut stdin = child.stdin.take().ok_or("git cat-file: no input")?;
        // Written from a thread: git answers while it reads.
        let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
        let mut reader = BufReader::new(child.stdout.take().ok_or("git cat-file: no output")?);
        let mut blobs = Vec::with_capacity(count);
        let mut header = String::new();
        for _ in 0..count {
            header.clear();
            reader
                .read_line(&mut header)
                .map_err(|e| format!("git cat-file: {e}"))?;
            let size: usize = header
                .trim_end()
                .rsplit(' ')
                .next()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| {
                    format!("git cat-file: unexpected answer `{}`", header.trim_end())
                })?;
            let mut blob = vec![0; size];
            reader
                .read_exact(&mut blob)
                .map_err(|e| format!("git cat-file: {e}"))?;
            let mut newline = [0u8; 1];
            reader
                .read_exact(&mut newline)
                .map_err(|e| format!("git cat-file: {e}"))?;
            blobs.push(blob);
        }
        let _ = writer.join();
        let _ = child.wait();
        Ok(blobs)
    }

    /// The workspace of `path` as it is at `commit` (`rev` names it in
    /// messages), chosen as `xwalk check` chooses on disk: the folder with
    /// `xwalk.toml` above `path` gives the workspace and its globs, the
    /// files under `path` are the ones compared.
    pub fn load(&self, rev: &str, commit: &str, path: &Path) -> Result<Loaded, Vec<LoadError>> {
        let one = |p: &Path, m: String| {
            vec![LoadError {
                path: p.to_path_buf(),
                message: m,
            }]
        };
        let mut blobs = self.files(commit).map_err(|m| one(path, m))?;
        let cwd = std::env::current_dir()
            .ok()
            .and_then(|c| c.canonicalize().ok());
        let name = |p: &Path| load::display_name(p, cwd.as_deref());
        let at_rev = |p: &Path| PathBuf::from(format!("{rev}:{}", name(p)));
        let is_file = blobs.contains_key(path) && path.extension().is_some_and(|e| e == "xwalk");
        let start = if is_file {
            path.parent().unwrap_or(path)
        } else {
            path
        };
        let root = start
            .ancestors()
            .take_while(|d| d.starts_with(&self.top))
            .find(|d| blobs.contains_key(&d.join(CONFIG_FILE)))
            .map(Path::to_path_buf);
        let mut config = Config::default();
        let mut files = Vec::new();
        match &root {
            Some(root) => {
                let config_path = root.join(CONFIG_FILE);
                let text = load::decode(&at_rev(&config_path), blobs[&config_path].clone())
                    .map_err(|e| vec![e])?;
                config = Config::parse(&text).map_err(|e| {
                    let at = e
                        .position
                        .map_or(String::new(), |(l, c)| format!(":{l}:{c}"));
                    one(
                        &PathBuf::from(format!("{}{at}", at_rev(&config_path).display())),
                        e.message,
                    )
                })?;
                let under: Vec<PathBuf> = blobs
                    .keys()
                    .filter(|p| p.starts_with(root))
                    .cloned()
                    .collect();
                files = load::select(root, &config, under).map_err(|e| vec![e])?;
            }
            None => {
                files.extend(
                    blobs
                        .keys()
                        .filter(|p| p.strip_prefix(start).is_ok_and(load::is_searched))
                        .cloned(),
                );
            }
        }
        let requested: std::collections::BTreeSet<PathBuf> = if is_file {
            if !files.contains(&path.to_path_buf()) {
                files.push(path.to_path_buf());
            }
            [path.to_path_buf()].into()
        } else {
            files
                .iter()
                .filter(|f| f.starts_with(path))
                .cloned()
                .collect()
        };
        if requested.is_empty() {
            return Err(one(
                &at_rev(path),
                "no .xwalk files here at this revision".into(),
            ));
        }
        let mut inputs = Vec::new();
        let mut errors = Vec::new();
        for p in files {
            let bytes = blobs.remove(&p).unwrap_or_default();
            match load::decode(&at_rev(&p), bytes) {
                Ok(text) => inputs.push(FileInput {
                    name: name(&p),
                    path: p,
                    text,
                }),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let workspace = Workspace::build(root, config, inputs);
        let requested = workspace
            .workspace_files()
            .filter(|(_, f)| requested.contains(&f.path))
            .map(|(id, _)| id)
            .collect();
        Ok(Loaded {
            workspace,
            requested,
        })
    }
}
