//! `cargo bench -p xwalk --bench check`: throughput of `xwalk check` on a
//! generated workspace of 100,000 mappings in 1,000 files, next to the raw
//! tree-sitter parse of the same bytes, and `xwalk diff` of it against a
//! copy with 1% of its mappings changed. Results go in docs/performance.md.
//!
//! Set `XWALK_BENCH_FILES` / `XWALK_BENCH_MAPS` to change the size (the
//! documented runs: the default, 100,000 mappings, and
//! `XWALK_BENCH_FILES=10000`, 1,000,000 mappings). With
//! `XWALK_BENCH_WRITE=DIR` the benchmark writes the generated workspace
//! to `DIR` (`NNNN.xwalk`) and stops, for timing `xwalk check DIR` as a
//! whole process (`/usr/bin/time -v`: wall time and peak memory).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

/// tree-sitter's tree walked to the AST, as the differential tests do.
#[path = "../tests/common/tree_walk.rs"]
mod tree_walk;
use xwalk::model::{Config, FileInput, Workspace};

const RUNS: usize = 5;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One file: an uncatalogued source document and `maps` mappings onto the
/// built-in catalogs, with the fields real mappings carry.
fn generate_file(n: usize, maps: usize) -> String {
    let v3 = [
        "5.1-1", "5.1-2", "5.2-1", "5.3-1", "5.3-2", "5.4-1", "5.5-1", "5.6-1", "5.7-1", "5.8-1",
        "5.9-1", "5.10-1", "5.11-1", "5.12-1", "5.13-1A",
    ];
    let mut s = format!(
        "# Generated for the benchmark.\ndocument source-{n} {{\n  title \"Generated source document {n} (benchmark)\"\n  publisher \"Benchmark Organisation {}\"\n  url \"https://example.org/{n}\"\n  cites uk-cop-2018\n}}\n\n",
        n % 50
    );
    for m in 0..maps {
        s.push_str(&format!(
            "map source-{n}:\"{m}.{}\" -> uk-cop-2018:{}, etsi-en-303-645-v3:{} {{\n  relation related\n  excerpt \"Recommendation {m} of document {n}: devices should use unique credentials and update securely.\"\n  note \"Section {m}\"\n  added \"4\"\n}}\n",
            m % 7,
            m % 13 + 1,
            v3[m % v3.len()],
        ));
    }
    s
}

/// The generated files as workspace inputs, `gen/NNNN.xwalk`.
fn inputs_of(texts: &[String]) -> Vec<FileInput> {
    texts
        .iter()
        .enumerate()
        .map(|(n, t)| FileInput {
            path: PathBuf::from(format!("gen/{n:04}.xwalk")),
            name: format!("gen/{n:04}.xwalk"),
            text: t.clone(),
        })
        .collect()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The median time of `f`, up to the moment it returns: what it returns is
/// dropped afterwards, untimed (freeing a whole workspace, one thread, is
/// not part of checking it; the raw parses free their trees as they go).
fn time<T>(mut f: impl FnMut() -> T) -> Duration {
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let result = std::hint::black_box(f());
        times.push(start.elapsed());
        drop(result);
    }
    median(times)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not run us.
    let files = env_usize("XWALK_BENCH_FILES", 1_000);
    let maps = env_usize("XWALK_BENCH_MAPS", 50);
    let texts: Vec<String> = (0..files).map(|n| generate_file(n, maps)).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mb = bytes as f64 / 1_000_000.0;
    let inputs = || inputs_of(&texts);
    if let Ok(dir) = std::env::var("XWALK_BENCH_WRITE") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (n, t) in texts.iter().enumerate() {
            std::fs::write(dir.join(format!("{n:04}.xwalk")), t).unwrap();
        }
        println!("wrote {files} files ({mb:.1} MB) to {}", dir.display());
        return;
    }

    // Sanity: the generated workspace is valid and has the expected size.
    let ws = Workspace::build(None, Config::default(), inputs());
    let pairs = ws.mapping_count();
    let diagnostics = xwalk::check::check(&ws);
    let superseded = diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "superseded-reference")
        .count();
    assert_eq!(
        diagnostics.len(),
        superseded,
        "unexpected diagnostics: {:?}",
        diagnostics.first()
    );
    drop(ws);

    let language: tree_sitter::Language = tree_sitter_xwalk::LANGUAGE.into();
    let parse_one = |t: &String| {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&language).unwrap();
        parser.parse(t, None).unwrap()
    };
    // The trees are kept until timed, like the workspaces below.
    let raw_seq = time(|| texts.iter().map(parse_one).collect::<Vec<_>>());
    let raw_par = time(|| texts.par_iter().map(parse_one).collect::<Vec<_>>());
    // The two readings of the same bytes into the AST: tree-sitter's parse
    // and a walk over its tree (the differential tests' walk,
    // `tests/common/tree_walk.rs`; the crate no longer lowers the tree),
    // and the hand parser (`syntax::parser::read`, what every file takes).
    let lowered = time(|| {
        texts
            .par_iter()
            .map(|t| tree_walk::lower(t, &xwalk::syntax::parse_tree(t)))
            .collect::<Vec<_>>()
    });
    let hand = time(|| {
        texts
            .par_iter()
            .map(|t| xwalk::syntax::parser::read(t.as_str()))
            .collect::<Vec<_>>()
    });
    // The same files, each with one syntax error in its middle (a map's
    // `}` dropped): recovery reads the damaged piece.
    let broken: Vec<String> = texts
        .iter()
        .map(|t| {
            let at = t[t.len() / 2..]
                .find("\n}\n")
                .map_or(t.len(), |i| t.len() / 2 + i);
            let mut b = t.clone();
            b.replace_range(at..(at + 3).min(t.len()), "\n");
            b
        })
        .collect();
    let hand_broken = time(|| {
        broken
            .par_iter()
            .map(|t| {
                let read = xwalk::syntax::parser::read(t.as_str());
                assert_eq!(read.1.len(), 1, "one error per file");
                read
            })
            .collect::<Vec<_>>()
    });
    let build = time(|| Workspace::build(None, Config::default(), inputs()));
    let full = time(|| {
        let ws = Workspace::build(None, Config::default(), inputs());
        let found = xwalk::check::check(&ws).len();
        (ws, found)
    });

    let dir = tempfile::tempdir().unwrap();
    for (n, t) in texts.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{n:04}.xwalk")), t).unwrap();
    }
    let paths = vec![dir.path().to_path_buf()];
    let from_disk = time(|| {
        let (loads, errors) = xwalk::model::load::load_paths(&paths);
        assert!(errors.is_empty());
        let found = loads
            .iter()
            .map(|l| xwalk::check::check(&l.workspace).len())
            .sum::<usize>();
        (loads, found)
    });

    // One edited file in a loaded workspace: what the language server does
    // per keystroke (reparse one file, rebuild the index, check).
    let base = Workspace::build(None, Config::default(), inputs());
    let shared = base.own_files();
    let edited_text = texts[0].replacen("relation related", "relation subset-of", 1);
    let reindex = time(|| {
        let mut files = shared.clone();
        files[0] = std::sync::Arc::new(xwalk::model::SourceFile::new(
            PathBuf::from("gen/0000.xwalk"),
            "gen/0000.xwalk".into(),
            edited_text.clone(),
            xwalk::model::Origin::Workspace,
        ));
        Workspace::from_files(None, Config::default(), files)
    });
    let edited = {
        let mut files = shared.clone();
        files[0] = std::sync::Arc::new(xwalk::model::SourceFile::new(
            PathBuf::from("gen/0000.xwalk"),
            "gen/0000.xwalk".into(),
            edited_text.clone(),
            xwalk::model::Origin::Workspace,
        ));
        Workspace::from_files(None, Config::default(), files)
    };
    let recheck = time(|| xwalk::check::check(&edited).len());
    drop((base, edited, shared));

    // `xwalk diff`: the workspace against a copy with 1% of its mappings
    // changed (the relation of 5 of the 50 maps of every tenth file: 10 of
    // its 100 pairs).
    let head_texts: Vec<String> = texts
        .iter()
        .enumerate()
        .map(|(n, t)| {
            if n % 10 == 0 {
                t.replacen("relation related", "relation subset-of", 5)
            } else {
                t.clone()
            }
        })
        .collect();
    let head_inputs = || inputs_of(&head_texts);
    let base_ws = Workspace::build(None, Config::default(), inputs());
    let head_ws = Workspace::build(None, Config::default(), head_inputs());
    let ids = |ws: &Workspace| ws.workspace_files().map(|(id, _)| id).collect::<Vec<_>>();
    let (base_ids, head_ids) = (ids(&base_ws), ids(&head_ws));
    let compare = || {
        xwalk::diff::compute(
            xwalk::diff::Side {
                workspace: &base_ws,
                files: &base_ids,
            },
            xwalk::diff::Side {
                workspace: &head_ws,
                files: &head_ids,
            },
        )
    };
    let changed = files.div_ceil(10) * 5.min(maps) * 2;
    let d = compare();
    assert_eq!(
        d.summary.mappings.changed, changed,
        "{:?}",
        d.summary.mappings
    );
    assert_eq!(d.summary.mappings.added + d.summary.mappings.removed, 0);
    let diff = time(compare);
    let diff_built = time(|| {
        let (b, h) = rayon::join(
            || Workspace::build(None, Config::default(), inputs()),
            || Workspace::build(None, Config::default(), head_inputs()),
        );
        let (bi, hi) = (ids(&b), ids(&h));
        let d = xwalk::diff::compute(
            xwalk::diff::Side {
                workspace: &b,
                files: &bi,
            },
            xwalk::diff::Side {
                workspace: &h,
                files: &hi,
            },
        );
        (b, h, d)
    });

    let threads = rayon::current_num_threads();
    println!(
        "workspace: {files} files, {pairs} mappings, {mb:.1} MB; {threads} threads; median of {RUNS} runs"
    );
    let row = |name: &str, d: Duration| {
        let s = d.as_secs_f64();
        println!(
            "{name:<40} {:>8.1} ms {:>8.1} MB/s {:>12.0} mappings/s",
            s * 1000.0,
            mb / s,
            pairs as f64 / s
        );
    };
    row("raw tree-sitter parse, 1 thread", raw_seq);
    row("raw tree-sitter parse, all threads", raw_par);
    row("tree-sitter parse + walk to the AST, all threads", lowered);
    row("hand parser to the AST, all threads", hand);
    row(
        "hand parser, one syntax error per file, all threads",
        hand_broken,
    );
    row("parse + lower + index (Workspace::build)", build);
    row("check, in memory (build + all rules)", full);
    row("check, from disk (load_paths + rules)", from_disk);
    row("one file edited: reparse it + index", reindex);
    row("one file edited: check the workspace", recheck);
    row("diff, 1% changed: compare (both checked)", diff);
    row("diff, 1% changed: build both + compare", diff_built);
    println!(
        "check / raw parse (all threads): {:.2}x",
        full.as_secs_f64() / raw_par.as_secs_f64()
    );
}
