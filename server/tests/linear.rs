//! Every phase costs time linear (or n log n) in its input: the inputs
//! fuzzing found super-linear, made large, each phase of `xwalk check`,
//! `xwalk fmt --check` and `xwalk check --fix` bounded by the CPU time of
//! its process (not the wall clock: the suites run beside load tests). The
//! language server's phases on the same inputs are in
//! `lifecycle::long_lines_and_many_lines_answer_every_request_in_linear_time`.
//!
//! The bound is generous for a debug build of a linear phase (about a
//! second for each input here) and far below what the super-linear ones
//! took: a 948 KB line of errors ran `check` for over a minute, `--fix` of
//! 100,000 duplicate maps did not end in five.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The most CPU time one phase may take on one input.
pub const BOUND: Duration = Duration::from_secs(20);

/// The large inputs: (name, text).
pub fn inputs() -> Vec<(&'static str, String)> {
    vec![
        // 3 MB on one line, a syntax error every 13 bytes (`1->` reads as
        // the id `1-`: every error asks for the id-before-arrow help).
        ("one-line-errors", "map a:1->b:2 ".repeat(240_000)),
        // 3 MB on one line, error-free.
        (
            "one-line-maps",
            format!(
                "document d {{ title \"D\" provision 1 }} {}",
                "map d:1 -> uk-cop-2018:1 { relation related } ".repeat(65_000)
            ),
        ),
        // 100,000 lines of duplicate maps (100,000 quick fixes).
        ("many-lines", {
            let mut s = String::from("document d {\n  title \"D\"\n  provision 1\n}\n");
            for i in 0..100_000 {
                s.push_str(&format!("map d:1 -> uk-cop-2018:{}\n", i % 13 + 1));
            }
            s
        }),
        // One map with 39,000 duplicate targets.
        (
            "duplicate-targets",
            format!(
                "document d {{\n  title \"D\"\n  provision 1\n}}\nmap d:1 -> {}\n",
                vec!["uk-cop-2018:1"; 39_000].join(", ")
            ),
        ),
        // 12,000 levels of nesting on one line.
        (
            "one-line-nesting",
            format!(
                "document a {{ {}{} }}",
                "clause 1 { ".repeat(12_000),
                "}".repeat(12_000)
            ),
        ),
    ]
}

/// The CPU time of running `xwalk args` in `dir` to its end.
// The child is reaped by `wait4`, which also gives its CPU time.
#[allow(clippy::zombie_processes)]
fn cpu_of(dir: &Path, args: &[&str]) -> Duration {
    let child = Command::new(env!("CARGO_BIN_EXE_xwalk"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run xwalk");
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: waits for our own child, which nothing else waits for.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4");
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

#[test]
fn every_cli_phase_is_linear_in_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut slow = Vec::new();
    for (name, text) in inputs() {
        let file = format!("{name}.xwalk");
        std::fs::write(dir.path().join(&file), &text).unwrap();
        for args in [
            vec!["check", file.as_str()],
            vec!["fmt", "--check", file.as_str()],
            vec!["check", "--fix", file.as_str()],
        ] {
            let took = cpu_of(dir.path(), &args);
            if took > BOUND {
                slow.push(format!("{name}: xwalk {}: {took:?}", args.join(" ")));
            }
        }
    }
    assert!(slow.is_empty(), "over {BOUND:?} of CPU: {slow:#?}");
}
