//! A cache of parsed files on disk, so that opening a workspace again
//! does not parse every file again.
//!
//! One file per workspace root, in the cache folder the caller gives (the
//! language server's is `$XDG_CACHE_HOME/xwalk`, or `xwalk.cacheDir`):
//! `parses/<hash of the root's path>.bin`. It holds, per `.xwalk` file, a
//! hash of the text and the lowered AST with its syntax errors (not the
//! tree-sitter tree, which files read from disk do not keep). A file is
//! taken from the cache only when the hash of its current text matches; a
//! cache written by another build (the header holds a fingerprint of the
//! grammar and of the syntax code) or that cannot be read is ignored. It
//! is only ever an accelerator: deleting it loses nothing.
//!
//! Written with `postcard` (compact, no field names), atomically (a
//! temporary file renamed over the old one).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::syntax::{self, Parse};

/// Bumped when the layout of this file changes.
const FORMAT: u32 = 1;

/// Identifies the code that produced the ASTs: a cache written by another
/// build of the grammar or of the lowering is not read.
fn fingerprint() -> String {
    format!(
        "{FORMAT}/{}/{}",
        env!("CARGO_PKG_VERSION"),
        env!("XWALK_SYNTAX_FINGERPRINT")
    )
}

/// A hash of a file's text, the cache key.
pub fn text_hash(text: &str) -> u64 {
    // SipHash: the key must not collide for different texts of one path.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

#[derive(Serialize, Deserialize)]
struct Entry {
    path: PathBuf,
    hash: u64,
    /// `syntax::stored::encode` of the parse, decoded only when the hash
    /// matches.
    parse: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    fingerprint: String,
    entries: Vec<Entry>,
}

/// The parses of one workspace root, as last cached.
#[derive(Default)]
pub struct ParseCache {
    entries: HashMap<PathBuf, (u64, Vec<u8>)>,
}

/// Where the cache of `root` lives under `dir`.
pub fn cache_path(dir: &Path, root: &Path) -> PathBuf {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut h);
    dir.join("parses").join(format!("{:016x}.bin", h.finish()))
}

impl ParseCache {
    /// Reads the cache at `path`; an empty cache when there is none, or
    /// when it is unreadable or from another build.
    pub fn read(path: &Path) -> ParseCache {
        let Ok(bytes) = std::fs::read(path) else {
            return ParseCache::default();
        };
        match postcard::from_bytes::<CacheFile>(&bytes) {
            Ok(file) if file.fingerprint == fingerprint() => ParseCache {
                entries: file
                    .entries
                    .into_iter()
                    .map(|e| (e.path, (e.hash, e.parse)))
                    .collect(),
            },
            _ => ParseCache::default(),
        }
    }

    /// The cached parse of `path`, if its text still hashes to `hash` and
    /// the entry decodes. The parse has no tree.
    pub fn get(&self, path: &Path, hash: u64) -> Option<Parse> {
        let (cached, bytes) = self.entries.get(path)?;
        if *cached != hash {
            return None;
        }
        syntax::stored::decode(bytes)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Writes the parses of `files` (path, text hash, parse) as the cache at
/// `path`, replacing it atomically. On the calling thread only: it runs in
/// the background, beside work an editor waits for.
pub fn write(path: &Path, files: &[(PathBuf, u64, &Parse)]) -> std::io::Result<()> {
    let entries: Vec<Entry> = files
        .iter()
        .filter_map(|(p, hash, parse)| {
            let bytes = syntax::stored::encode(parse)?;
            Some(Entry {
                path: p.clone(),
                hash: *hash,
                parse: bytes,
            })
        })
        .collect();
    let file = CacheFile {
        fingerprint: fingerprint(),
        entries,
    };
    let bytes = postcard::to_allocvec(&file).map_err(std::io::Error::other)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, &bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_invalidation() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_path(dir.path(), Path::new("/some/root"));
        let text =
            "document d {\n  title \"T\"\n}\nmap d:\"1\" -> uk-cop-2018:1 { excerpt \"a\\qb\" }\n";
        let parse = syntax::parse(text);
        assert_eq!(parse.errors.len(), 1, "the bad escape is kept");
        let p = PathBuf::from("/some/root/a.xwalk");
        write(&cache, &[(p.clone(), text_hash(text), &parse)]).unwrap();

        let read = ParseCache::read(&cache);
        assert_eq!(read.len(), 1);
        let got = read.get(&p, text_hash(text)).expect("a hit");
        assert_eq!(format!("{:?}", got.ast), format!("{:?}", parse.ast));
        assert_eq!(got.errors, parse.errors);
        assert!(got.tree.is_none());
        // Another text, another path: misses.
        assert!(read.get(&p, text_hash("document d {}")).is_none());
        assert!(
            read.get(Path::new("/other.xwalk"), text_hash(text))
                .is_none()
        );
    }

    #[test]
    fn unreadable_or_foreign_caches_are_empty() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("c.bin");
        assert!(ParseCache::read(&cache).is_empty(), "missing");
        std::fs::write(&cache, b"not a cache").unwrap();
        assert!(ParseCache::read(&cache).is_empty(), "garbage");
        let other = CacheFile {
            fingerprint: "0/another build".into(),
            entries: vec![Entry {
                path: "/a.xwalk".into(),
                hash: 1,
                parse: vec![],
            }],
        };
        std::fs::write(&cache, postcard::to_allocvec(&other).unwrap()).unwrap();
        assert!(ParseCache::read(&cache).is_empty(), "another build");
    }
}
