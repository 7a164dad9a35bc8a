//! Damage stays local: a syntax error affects at most the top-level block
//! it is in. Over every shipped `.xwalk` file, each block is damaged in each
//! of the ways a person typing damages one (its `}` dropped, a quote
//! dropped, the `->` doubled, `->` written without spaces, an unterminated
//! `"""` string), and the damaged file is compared with the same file in
//! which the damaged block's piece (from its keyword to the next block) is
//! blanked out, as if it were not there:
//!
//! * every other block parses to exactly the same AST (ranges included),
//!   and every syntax error lies in the damaged piece;
//! * every other block gets exactly the same diagnostics of the rules that
//!   look at one block (and, when the damaged block is a `map`, which
//!   declares nothing, of the reference rules too). The rules that compare
//!   blocks (duplicates, conflicting relations, excerpts) may rightly see
//!   what survives of the damaged block, and are left out.

use std::path::PathBuf;

use crate::common::{repo, xwalk_files};
use xwalk::check::{self, Diagnostic};
use xwalk::model::{Config, FileInput, Workspace};
use xwalk::syntax;

/// The codes whose diagnostics depend on one block only.
const LOCAL: &[&str] = &[
    "syntax-error",
    "unknown-field",
    "missing-field",
    "duplicate-field",
    "invalid-value",
    "unknown-relation",
    "untidy-text",
];

/// The codes that also depend on what other blocks declare.
const REFERENCES: &[&str] = &[
    "unknown-document",
    "unknown-provision",
    "superseded-reference",
];

/// Every case: a block of a shipped file damaged one way. At most this many
/// blocks of one file are damaged (the first, the last and evenly spaced
/// ones between: a deterministic sample, as every block of every file would
/// take minutes), so that the test takes seconds; the count of cases run,
/// 2,265 over the 79 shipped files, is asserted below.
const BLOCKS_PER_FILE: usize = 8;

/// A damage: the damaged block text, or `None` when it does not apply to
/// this block.
type Damage = fn(&str) -> Option<String>;

/// The damages, by name.
const DAMAGES: &[(&str, Damage)] = &[
    ("drop its `}`", |b| {
        b.ends_with('}').then(|| b[..b.len() - 1].to_string())
    }),
    ("drop a quote", |b| b.find('"').map(|i| cut(b, i, 1, ""))),
    ("double the `->`", |b| {
        b.find(" -> ").map(|i| cut(b, i, 4, " -> -> "))
    }),
    ("`->` without spaces", |b| {
        b.find(" -> ").map(|i| cut(b, i, 4, "->"))
    }),
    ("an unterminated `\"\"\"`", |b| {
        match b.rfind("\"\"\"") {
            // The closing `"""` of the block's last block string.
            Some(i) if b[..i].contains("\"\"\"") => Some(cut(b, i, 3, "")),
            // Else the block's first string opened as a block string.
            _ => b.find('"').map(|i| cut(b, i, 1, "\"\"\"")),
        }
    }),
];

fn cut(text: &str, at: usize, len: usize, with: &str) -> String {
    format!("{}{with}{}", &text[..at], &text[at + len..])
}

fn check_one(text: &str) -> (Workspace, Vec<Diagnostic>) {
    let ws = Workspace::build(
        None,
        Config::parse("").unwrap(),
        vec![FileInput {
            path: PathBuf::from("f.xwalk"),
            name: "f.xwalk".into(),
            text: text.to_string(),
        }],
    );
    let diagnostics = check::check(&ws);
    (ws, diagnostics)
}

/// The top-level blocks of a parse, in source order: start, end, whether a
/// `map`, and the block's AST printed.
fn blocks(parse: &syntax::Parse) -> Vec<(usize, usize, bool, String)> {
    let documents = parse
        .ast
        .documents
        .iter()
        .map(|d| (d.range.start, d.range.end, false, format!("{d:?}")));
    let maps = parse
        .ast
        .maps
        .iter()
        .map(|m| (m.range().start, m.range().end, true, format!("{m:?}")));
    let mut all: Vec<_> = documents.chain(maps).collect();
    all.sort();
    all
}

/// The diagnostics outside `piece` whose code is one of `codes`, printed.
fn outside(
    diagnostics: &[Diagnostic],
    piece: &std::ops::Range<usize>,
    codes: &[&str],
) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| codes.contains(&d.code.as_str()))
        .filter(|d| d.range.end <= piece.start || d.range.start >= piece.end)
        .map(|d| {
            format!(
                "{} {:?} {} {:?}",
                d.code.as_str(),
                d.range,
                d.message,
                d.help
            )
        })
        .collect()
}

/// Damages block `i` of `text` with `damage`; checks the properties and
/// returns whether the case applied.
fn case(
    text: &str,
    original: &[(usize, usize, bool, String)],
    i: usize,
    damage: fn(&str) -> Option<String>,
) -> bool {
    let block = original[i].clone();
    let Some(damaged_block) = damage(&text[block.0..block.1]) else {
        return false;
    };
    let damaged = format!("{}{damaged_block}{}", &text[..block.0], &text[block.1..]);
    let delta = damaged.len() as isize - text.len() as isize;
    // The damaged block's piece: up to where the next block starts.
    let next = original.get(i + 1).map_or(text.len(), |b| b.0);
    let piece = block.0..next.saturating_add_signed(delta);
    let mut blank = damaged.clone().into_bytes();
    for b in &mut blank[piece.clone()] {
        if *b != b'\n' {
            *b = b' ';
        }
    }
    let blank = String::from_utf8(blank).unwrap();
    let context = || format!("--- damaged text ---\n{damaged}");

    let got = syntax::parse(&damaged);
    let want = syntax::parse(&blank);
    for error in &got.errors {
        assert!(
            error.range.start >= piece.start && error.range.end <= piece.end,
            "an error outside the damaged piece {piece:?}: {error:?}\n{}",
            context()
        );
    }
    let others: Vec<_> = blocks(&got)
        .into_iter()
        .filter(|b| b.1 <= piece.start || b.0 >= piece.end)
        .map(|b| b.3)
        .collect();
    let want_blocks: Vec<_> = blocks(&want).into_iter().map(|b| b.3).collect();
    assert!(
        others == want_blocks,
        "the other blocks differ\n{}",
        context()
    );

    let (_, got) = check_one(&damaged);
    let (_, want) = check_one(&blank);
    let mut codes = LOCAL.to_vec();
    if block.2 {
        codes.extend(REFERENCES);
    }
    assert_eq!(
        outside(&got, &piece, &codes),
        outside(&want, &piece, &codes),
        "the other blocks' diagnostics differ\n{}",
        context()
    );
    true
}

#[test]
fn damage_to_one_block_leaves_the_others_alone() {
    let mut files = Vec::new();
    xwalk_files(&repo(), &mut files);
    files.sort();
    let mut cases = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let parse = syntax::parse(&text);
        if !parse.errors.is_empty() {
            continue;
        }
        let original = blocks(&parse);
        let n = original.len();
        let chosen: Vec<usize> = if n <= BLOCKS_PER_FILE {
            (0..n).collect()
        } else {
            let mut c: Vec<usize> = (0..BLOCKS_PER_FILE)
                .map(|k| k * (n - 1) / (BLOCKS_PER_FILE - 1))
                .collect();
            c.dedup();
            c
        };
        for &i in &chosen {
            for (name, damage) in DAMAGES {
                let applied = std::panic::catch_unwind(|| case(&text, &original, i, *damage))
                    .unwrap_or_else(|_| panic!("{}: block {i}, {name}", path.display()));
                cases += applied as usize;
            }
        }
    }
    // Recorded so that a change to the shipped files or to the sampling is
    // seen: every case here ran and held.
    assert_eq!(cases, 2279, "cases run");
}
