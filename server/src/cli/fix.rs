//! `xwalk check --fix` and `xwalk check --diff`: thin glue over
//! `ide::fix_all`, which decides what to change.

use std::io::Write;

use super::fmt::{unified_diff, write_atomic};
use super::{CheckArgs, EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK};
use crate::check::FixKind;
use crate::ide::fix_all::{self, FixOutcome, MAX_ROUNDS};
use crate::model::load::{self, Loaded};

/// Fixes the files of `args`. With `--diff`, prints the changes and
/// returns the exit status; otherwise writes them and returns `None` for
/// `check` to check the files again (or a status when writing failed).
pub fn run(args: &CheckArgs) -> Option<u8> {
    let (loads, load_errors) = load::load_paths(&args.paths);
    let outcomes: Vec<(&Loaded, FixOutcome)> = loads
        .iter()
        .map(|l| (l, fix_all::fix_all(&l.workspace, &l.requested)))
        .collect();
    let mut stderr = std::io::stderr().lock();
    if args.diff {
        let mut out = std::io::stdout().lock();
        let mut written = Ok(());
        for (_, o) in &outcomes {
            for (id, old) in &o.changed {
                let f = o.workspace.file(*id);
                written = written
                    .and_then(|_| out.write_all(unified_diff(&f.name, old, &f.text).as_bytes()));
            }
        }
        let _ = written.and_then(|_| out.flush());
        summary(&mut stderr, &outcomes, true);
        for e in &load_errors {
            let _ = writeln!(stderr, "error: {}: {}", e.path.display(), e.message);
        }
        let changed = outcomes.iter().any(|(_, o)| !o.changed.is_empty());
        return Some(if !load_errors.is_empty() {
            EXIT_FAILURE
        } else if changed {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        });
    }
    let mut failed = false;
    for (_, o) in &outcomes {
        for (id, _) in &o.changed {
            let f = o.workspace.file(*id);
            if let Err(e) = write_atomic(&f.path, &f.text) {
                let _ = writeln!(stderr, "error: {}: not fixed: {e}", f.name);
                failed = true;
            }
        }
    }
    summary(&mut stderr, &outcomes, false);
    // Load errors are reported by the check that follows.
    failed.then_some(EXIT_FAILURE)
}

/// What was fixed (each fix, where) and what was left.
fn summary(out: &mut impl Write, outcomes: &[(&Loaded, FixOutcome)], preview: bool) {
    let fixed: usize = outcomes.iter().map(|(_, o)| o.fixed.len()).sum();
    let files: usize = outcomes.iter().map(|(_, o)| o.changed.len()).sum();
    let rounds = outcomes.iter().map(|(_, o)| o.rounds).max().unwrap_or(0);
    let left: usize = outcomes.iter().map(|(_, o)| o.left.len()).sum();
    use crate::plural::plural;
    let _ = writeln!(
        out,
        "{} {} in {} ({}){}",
        if preview { "would fix" } else { "fixed" },
        plural(fixed, "problem", "problems"),
        plural(files, "file", "files"),
        plural(rounds, "round", "rounds"),
        if fixed > 0 { ":" } else { "" }
    );
    for (_, o) in outcomes {
        for f in &o.fixed {
            let _ = writeln!(
                out,
                "  {}:{}:{}: {}: {} (was `{}`)",
                o.workspace.file(f.file).name,
                f.line_col.0,
                f.line_col.1,
                f.code,
                f.title,
                f.old_text
            );
        }
    }
    if outcomes.iter().any(|(_, o)| !o.converged) {
        let _ = writeln!(
            out,
            "stopped after {MAX_ROUNDS} rounds: fixes still apply (replacements that lead back to each other?)"
        );
    }
    if left == 0 {
        let _ = writeln!(out, "left: nothing");
        return;
    }
    let guesses: usize = outcomes
        .iter()
        .flat_map(|(_, o)| &o.left)
        .filter(|d| d.fix.as_ref().is_some_and(|f| f.kind == FixKind::Guess))
        .count();
    let review = if guesses == 0 {
        String::new()
    } else {
        format!(
            ", {} to review",
            plural(guesses, "guessed fix", "guessed fixes")
        )
    };
    if !preview {
        let _ = writeln!(
            out,
            "left: {}{review} (listed below)",
            plural(left, "problem", "problems")
        );
        return;
    }
    let _ = writeln!(
        out,
        "left: {}{review}:",
        plural(left, "problem", "problems")
    );
    for (_, o) in outcomes {
        for d in &o.left {
            let f = o.workspace.file(d.file);
            let (line, col) = f.line_index().line_col(&f.text, d.range.start);
            let _ = write!(out, "  {}:{line}:{col}: {}: {}", f.name, d.code, d.message);
            let _ = match &d.fix {
                Some(fix) if fix.kind == FixKind::Guess => {
                    writeln!(out, " (guess, not applied: `{}`)", fix.replacement)
                }
                _ => writeln!(out),
            };
        }
    }
}
