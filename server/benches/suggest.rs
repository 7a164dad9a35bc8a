//! `cargo bench -p xwalk --bench suggest`: suggestions on a workspace of
//! 100,000 mappings in 1,000 files whose excerpts are the shipped DCMS
//! excerpts (each used about 90 times, with the document's number added,
//! so the vocabulary and its frequencies are real ones). Results go in
//! docs/performance.md and docs/suggest.md.
//!
//! Set `XWALK_BENCH_FILES` / `XWALK_BENCH_MAPS` to change the size, and
//! `XWALK_BENCH_SLOWEST=N` to see the N slowest texts.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use xwalk::model::{Config, FileInput, Origin, SourceFile, Workspace, index::field_text, load};
use xwalk::suggest::{self, Request, Weights};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The excerpts and CoP targets of the shipped mappings.
fn shipped() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mappings");
    let (loads, errors) = load::load_paths(&[root]);
    assert!(errors.is_empty());
    let ws = &loads[0].workspace;
    let mut out = Vec::new();
    for (_, f) in ws.workspace_files() {
        for map in &f.parse.ast.maps {
            if let (Some(e), Some(t)) = (field_text(&map.fields, "excerpt"), map.targets.first()) {
                out.push((e.to_string(), t.key().1.unwrap_or("1").to_string()));
            }
        }
    }
    out
}

fn generate_file(n: usize, maps: usize, pool: &[(String, String)]) -> String {
    let mut s = format!(
        "document source-{n} {{\n  title \"Generated source document {n}\"\n  publisher \"Benchmark Organisation {}\"\n}}\n\n",
        n % 50
    );
    for m in 0..maps {
        let (excerpt, target) = &pool[(n * maps + m) % pool.len()];
        s.push_str(&format!(
            "map source-{n}:\"{m}\" -> uk-cop-2018:{target} {{\n  excerpt {}\n}}\n",
            xwalk::syntax::strings::encode_quoted(&format!("{excerpt} (document {n})"))
        ));
    }
    s
}

fn percentile<T: Copy>(sorted: &[T], p: usize) -> T {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn main() {
    let files = env_usize("XWALK_BENCH_FILES", 1_000);
    let maps = env_usize("XWALK_BENCH_MAPS", 100);
    let slowest = env_usize("XWALK_BENCH_SLOWEST", 0);
    // The first file is as long as the language-server benchmark's big
    // file, for the cost of an edit to it.
    let big = env_usize("XWALK_BENCH_BIG_MAPS", 1_700);
    let pool = shipped();
    let inputs: Vec<FileInput> = (0..files)
        .map(|n| FileInput {
            path: PathBuf::from(format!("gen/{n:04}.xwalk")),
            name: format!("gen/{n:04}.xwalk"),
            text: generate_file(n, if n == 0 { big } else { maps }, &pool),
        })
        .collect();
    let ws = Workspace::build(None, Config::default(), inputs);
    println!(
        "workspace: {files} files, {} mappings; {} threads",
        ws.mapping_count(),
        rayon::current_num_threads()
    );

    let start = Instant::now();
    suggest::directory::of(&ws);
    println!(
        "index the excerpts (first request)          {:>8.1} ms",
        ms(start.elapsed())
    );

    for target in ["uk-cop-2018", "etsi-en-303-645"] {
        let mut times = Vec::new();
        for (i, (excerpt, _)) in pool.iter().enumerate().step_by(5) {
            let req = Request {
                text: excerpt,
                target,
                exclude: Some("source-0"),
                weights: Weights::DEFAULT,
            };
            let start = Instant::now();
            let got = std::hint::black_box(suggest::suggest(&ws, &req, 5));
            times.push((start.elapsed(), i));
            assert!(i > 0 || !got.is_empty());
        }
        times.sort();
        for (time, i) in times.iter().rev().take(slowest) {
            let words = suggest::text::Query::new(&pool[*i].0).terms.len();
            println!("  {:.2} ms, {words} terms: {}", ms(*time), pool[*i].0);
        }
        let times: Vec<Duration> = times.into_iter().map(|(t, _)| t).collect();
        println!(
            "one excerpt onto {target:<16} ({} excerpts)  median {:.2} ms  p99 {:.2} ms  max {:.2} ms",
            times.len(),
            ms(percentile(&times, 50)),
            ms(percentile(&times, 99)),
            ms(*times.last().unwrap())
        );
    }

    // The big file edited, again and again: the next request indexes it,
    // from its previous version's index (the unchanged excerpts keep their
    // terms), as every version does (`model::incremental`).
    {
        let mut ws = Arc::new(ws_clone(&ws));
        let mut times = Vec::new();
        for (edit, (query, _)) in pool.iter().enumerate().take(20) {
            let old = ws.files[0].clone();
            // One excerpt changed, another each time.
            let at = old
                .text
                .match_indices("excerpt \"")
                .nth(edit * 7 % big)
                .map_or(0, |(i, _)| i + "excerpt \"".len());
            let text = format!("{}Edited: {}", &old.text[..at], &old.text[at..]);
            let new = Arc::new(SourceFile::new(
                old.path.clone(),
                old.name.clone(),
                text,
                Origin::Workspace,
            ));
            let mut files = ws.own_files();
            files[0] = new;
            ws = Arc::new(Workspace::with_changed_files(&ws, files));
            let req = Request {
                text: query,
                target: "uk-cop-2018",
                exclude: None,
                weights: Weights::DEFAULT,
            };
            let start = Instant::now();
            suggest::directory::of(&ws);
            let indexed = start.elapsed();
            std::hint::black_box(suggest::suggest(&ws, &req, 5));
            times.push((start.elapsed(), indexed));
        }
        times.sort();
        let mut indexing: Vec<Duration> = times.iter().map(|t| t.1).collect();
        indexing.sort();
        println!(
            "after an edit of the {big}-map file: index it median {:.2} ms; + suggest median {:.2} ms  max {:.2} ms",
            ms(percentile(&indexing, 50)),
            ms(percentile(&times, 50).0),
            ms(times.last().unwrap().0)
        );
    }
}

/// The workspace again, sharing every file (and so every file's index).
fn ws_clone(ws: &Workspace) -> Workspace {
    Workspace::with_changed_files(ws, ws.own_files())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
