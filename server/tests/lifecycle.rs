//! The language server's lifecycle, over the real binary and plain pipes
//! (Content-Length framing, no LSP library), with both cores kept busy by
//! the test itself: quick start/stop sessions, stdin closed at random
//! points, a client that answers none of the server's requests, a Neovim
//! client pulling diagnostics before indexing ends, refresh requests the
//! client did not advertise, and 6,000 levels of nesting for every kind
//! of request.
//!
//! Every wait is bounded: a server that hangs fails the test (and is
//! killed) instead of hanging the suite.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Keeps every core busy until dropped (at most `limit`): what an editor's
/// machine looks like while it builds something.
pub(crate) struct Load {
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    pub(crate) fn start(limit: Duration) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let threads = (0..cores)
            .map(|_| {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    let end = Instant::now() + limit;
                    let mut x: u64 = 1;
                    while !stop.load(Ordering::Relaxed) && Instant::now() < end {
                        for _ in 0..10_000 {
                            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                        }
                        std::hint::black_box(x);
                    }
                })
            })
            .collect();
        Load { stop, threads }
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// A workspace folder with two files: `b.xwalk` maps a provision that
/// `a.xwalk` declares.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("xwalk.toml"), "[workspace]\nname = \"life\"\n").unwrap();
    std::fs::write(root.join("a.xwalk"), A).unwrap();
    std::fs::write(root.join("b.xwalk"), B).unwrap();
    (dir, root)
}

const A: &str =
    "document vendor-guide {\n  title \"Vendor guide\"\n  provision 1 \"Passwords\"\n}\n";
const B: &str = "map vendor-guide:1 -> uk-cop-2018:1\n";

fn uri(path: &Path) -> String {
    tower_lsp_server::ls_types::Uri::from_file_path(path)
        .unwrap()
        .to_string()
}

fn frame(msg: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(msg).unwrap();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend(body);
    out
}

/// How long a test waits for the process to end after `exit` (or the end
/// of its input) before it calls the server hung. Generous: the suites run
/// beside load tests on a 2-core machine, and what is tested is that the
/// process ends, not how soon the machine schedules it.
const EXIT_BOUND: Duration = Duration::from_secs(10);

/// How long a test waits for a message it expects: generous, because the
/// verdict must not depend on the machine's load (the long-lines test's
/// requests take seconds of CPU each in a debug build, and a shared 2-core
/// machine can stretch that several times in wall-clock time). What a test
/// bounds is CPU time, never this.
const WAIT_BOUND: Duration = Duration::from_secs(120);

struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Every message the server sent, in order.
    seen: Vec<Value>,
    next_id: i64,
    /// Answer the server's requests (a well-behaved client) or not.
    answer: bool,
}

fn read_frames(stdout: impl Read + Send + 'static) -> Receiver<Value> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim();
                if line.is_empty() {
                    break;
                }
                if let Some(v) = line.strip_prefix("Content-Length:") {
                    length = v.trim().parse::<usize>().ok();
                }
            }
            let mut body = vec![0; length.expect("Content-Length")];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let value = serde_json::from_slice(&body).unwrap_or_else(|_| too_deep(&body));
            if tx.send(value).is_err() {
                return;
            }
        }
    });
    rx
}

/// A body nested deeper than serde_json reads by default (a response of
/// 64 levels of symbols): its id, and a note in place of the result. Panics
/// on a body that is not JSON at all.
fn too_deep(body: &[u8]) -> Value {
    let text = std::str::from_utf8(body).expect("the server sends UTF-8");
    let id = text.rsplit_once("\"id\":").map(|(_, tail)| {
        tail.chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
    });
    assert!(
        text.starts_with('{') && text.ends_with('}') && id.is_some(),
        "the server sent a body that is not JSON: {text:.200}"
    );
    let id = id.unwrap();
    json!({ "id": id.parse::<i64>().unwrap(), "result": "(nested too deep to read here)" })
}

impl Session {
    fn start(root: &Path) -> Session {
        Session::start_with(root, &[])
    }

    fn start_with(root: &Path, env: &[(&str, &str)]) -> Session {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xwalk"))
            .arg("lsp")
            .envs(env.iter().copied())
            .env("XDG_CACHE_HOME", root.join(".cache"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start xwalk lsp");
        let stdin = child.stdin.take();
        let messages = read_frames(child.stdout.take().unwrap());
        Session {
            child,
            stdin,
            messages,
            seen: Vec::new(),
            next_id: 1,
            answer: true,
        }
    }

    fn send(&mut self, msg: Value) {
        if let Some(stdin) = self.stdin.as_mut() {
            // The server may be gone already: that is for the caller to see.
            let _ = stdin.write_all(&frame(&msg)).and_then(|_| stdin.flush());
        }
    }

    /// Writes `messages` to the server in one write.
    fn send_all(&mut self, messages: &[Value]) {
        let bytes: Vec<u8> = messages.iter().flat_map(frame).collect();
        if let Some(stdin) = self.stdin.as_mut() {
            let _ = stdin.write_all(&bytes).and_then(|_| stdin.flush());
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.wait_for(&format!("the answer to {method}"), |m| {
            m["id"] == id && m.get("method").is_none()
        })
    }

    /// The next message satisfying `pred`, within [`WAIT_BOUND`] (the
    /// server is killed and the test fails otherwise).
    fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT_BOUND;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let m = match self.messages.recv_timeout(left) {
                Ok(m) => m,
                Err(e) => {
                    let _ = self.child.kill();
                    panic!("waiting for {what}: {e:?}");
                }
            };
            self.seen.push(m.clone());
            // A request of the server's is answered, even the one waited
            // for: the server may wait for that answer before it goes on.
            if self.answer && m.get("method").is_some() && m.get("id").is_some() {
                let id = m["id"].clone();
                let result = match m["method"].as_str() {
                    Some("workspace/configuration") => json!([{}]),
                    _ => Value::Null,
                };
                self.send(json!({ "jsonrpc": "2.0", "id": id, "result": result }));
            }
            if pred(&m) {
                return m;
            }
        }
    }

    fn initialize(&mut self, root: &Path, capabilities: Value) -> Value {
        let init = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "workspaceFolders": [{ "uri": uri(root), "name": "life" }],
                "capabilities": capabilities,
            }),
        );
        self.notify("initialized", json!({}));
        init
    }

    fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// The exit status, if the process ends within `limit` (it is killed
    /// otherwise).
    fn ends_within(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Every message the server sent, once it has ended (its output closed):
    /// a complete record, with no window to wait out.
    fn all_sent(&mut self) -> &[Value] {
        while let Ok(m) = self.messages.recv_timeout(EXIT_BOUND) {
            self.seen.push(m);
        }
        &self.seen
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Neovim 0.11's capabilities, as far as the server reads them: UTF-8,
/// pull diagnostics, no refresh of any kind, no dynamic watchers.
fn neovim() -> Value {
    json!({
        "general": { "positionEncodings": ["utf-8", "utf-16", "utf-32"] },
        "workspace": {
            "configuration": true,
            "didChangeWatchedFiles": { "dynamicRegistration": false },
            "workspaceFolders": true
        },
        "window": { "workDoneProgress": true },
        "textDocument": {
            "diagnostic": { "dynamicRegistration": false },
            "hover": { "contentFormat": ["markdown"] }
        }
    })
}

/// VS Code's: dynamic watchers, work-done progress, configuration, and
/// every refresh.
fn vscode() -> Value {
    json!({
        "general": { "positionEncodings": ["utf-16"] },
        "workspace": {
            "configuration": true,
            "didChangeWatchedFiles": { "dynamicRegistration": true },
            "workspaceFolders": true,
            "codeLens": { "refreshSupport": true },
            "inlayHint": { "refreshSupport": true },
            "diagnostics": { "refreshSupport": true }
        },
        "window": { "workDoneProgress": true },
        "textDocument": { "diagnostic": { "dynamicRegistration": true } }
    })
}

/// Initialize, initialized, then at once shutdown and exit, as an editor
/// does when a window is closed right after it opened.
fn quick_session(root: &Path, capabilities: Value) -> Result<(), String> {
    let mut s = Session::start(root);
    s.initialize(root, capabilities);
    let r = s.request("shutdown", Value::Null);
    if r.get("error").is_some() {
        return Err(format!("shutdown failed: {r}"));
    }
    s.notify("exit", Value::Null);
    match s.ends_within(EXIT_BOUND) {
        Some(status) if status.success() => Ok(()),
        Some(status) => Err(format!("ended with {status:?} after shutdown")),
        None => Err("still running 1 s after exit".into()),
    }
}

#[test]
fn a_hundred_quick_sessions_under_load_all_end() {
    let (_dir, root) = workspace();
    let _load = Load::start(Duration::from_secs(120));
    let failures: Vec<String> = (0..100)
        .filter_map(|i| {
            let caps = if i % 2 == 0 { neovim() } else { vscode() };
            quick_session(&root, caps)
                .err()
                .map(|e| format!("session {i}: {e}"))
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn closing_stdin_at_any_point_ends_the_server_within_a_second() {
    let (_dir, root) = workspace();
    let b = uri(&root.join("b.xwalk"));
    let script: Vec<u8> = [
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": { "processId": null, "rootUri": uri(&root), "capabilities": vscode() } }),
        json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": { "textDocument": { "uri": b, "languageId": "xwalk", "version": 1, "text": B } } }),
        json!({ "jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
            "params": { "textDocument": { "uri": b }, "position": { "line": 0, "character": 25 } } }),
        json!({ "jsonrpc": "2.0", "id": 3, "method": "textDocument/diagnostic",
            "params": { "textDocument": { "uri": b } } }),
        json!({ "jsonrpc": "2.0", "id": 4, "method": "shutdown" }),
    ]
    .iter()
    .flat_map(frame)
    .collect();
    let _load = Load::start(Duration::from_secs(60));
    // A fixed sequence of cut points (a linear congruential generator), so
    // a failure can be replayed.
    let mut seed: u64 = 12345;
    let mut failures = Vec::new();
    for i in 0..30 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let cut = (seed >> 33) as usize % (script.len() + 1);
        let mut s = Session::start(&root);
        // The server may answer with requests of its own, unanswered.
        s.answer = false;
        if let Some(stdin) = s.stdin.as_mut() {
            let _ = stdin.write_all(&script[..cut]);
            let _ = stdin.flush();
        }
        std::thread::sleep(Duration::from_millis((seed >> 40) % 50));
        s.close_stdin();
        let closed = Instant::now();
        match s.ends_within(EXIT_BOUND) {
            // Status 0 only when `shutdown` came first: it is the last
            // message, so only the whole script may end with 0.
            Some(status) if status.success() && cut < script.len() => failures.push(format!(
                "session {i} (cut {cut}): status 0 without shutdown"
            )),
            Some(_) => {}
            None => failures.push(format!(
                "session {i} (cut {cut} of {}): still running {:?} after stdin closed",
                script.len(),
                closed.elapsed()
            )),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn a_client_that_answers_no_server_request_still_gets_answers_and_exits() {
    let (_dir, root) = workspace();
    let b = uri(&root.join("b.xwalk"));
    for _ in 0..5 {
        let mut s = Session::start(&root);
        s.answer = false;
        s.initialize(&root, vscode());
        s.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": b, "languageId": "xwalk", "version": 1, "text": B } }),
        );
        let hover = s.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": b }, "position": { "line": 0, "character": 25 } }),
        );
        assert!(
            hover["result"]["contents"]["value"]
                .as_str()
                .is_some_and(|v| v.contains("Code of Practice")),
            "{hover}"
        );
        // The server did ask (and got no answer).
        let asked: Vec<&str> = s
            .seen
            .iter()
            .filter(|m| m.get("id").is_some())
            .filter_map(|m| m["method"].as_str())
            .collect();
        assert!(
            asked.contains(&"workspace/configuration"),
            "the server asked nothing: {asked:?}"
        );
        s.request("shutdown", Value::Null);
        s.notify("exit", Value::Null);
        let status = s.ends_within(EXIT_BOUND);
        assert!(
            status.is_some_and(|s| s.success()),
            "status after shutdown and exit: {status:?}"
        );
    }
}

#[test]
fn neovim_pulling_before_indexing_ends_sees_no_false_diagnostic() {
    let (_dir, root) = workspace();
    let b = uri(&root.join("b.xwalk"));
    let _load = Load::start(Duration::from_secs(60));
    for i in 0..10 {
        let mut s = Session::start(&root);
        s.initialize(&root, neovim());
        // The first messages after `initialized`: open the file, pull.
        s.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": b, "languageId": "xwalk", "version": 1, "text": B } }),
        );
        let r = s.request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": b } }),
        );
        assert_eq!(r["result"]["kind"], "full", "{r}");
        assert_eq!(
            r["result"]["items"],
            json!([]),
            "try {i}: a diagnostic `xwalk check` does not report"
        );
        s.request("shutdown", Value::Null);
        s.notify("exit", Value::Null);
        assert!(s.ends_within(EXIT_BOUND).is_some());
    }
}

/// The `*/refresh` requests a session sends.
fn refreshes(messages: &[Value]) -> Vec<String> {
    messages
        .iter()
        .filter_map(|m| m["method"].as_str())
        .filter(|m| m.ends_with("/refresh"))
        .map(str::to_string)
        .collect()
}

/// A session that changes the settings and edits a file, and the
/// refreshes the server sent in it. The refreshes `expected` are waited
/// for (each with `wait_for`'s bound, the client answering each); then the
/// session ends and every message the server ever sent is read, so that
/// an unexpected refresh is seen whenever it came.
fn refresh_session(root: &Path, capabilities: Value, expected: &[&str]) -> Vec<String> {
    let b = uri(&root.join("b.xwalk"));
    let mut s = Session::start(root);
    s.initialize(root, capabilities);
    s.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": b, "languageId": "xwalk", "version": 1, "text": B } }),
    );
    s.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": b } }),
    );
    s.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "xwalk": { "codeLens": false } } }),
    );
    s.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": b, "version": 2 },
            "contentChanges": [{ "text": "map vendor-guide:2 -> uk-cop-2018:1\n" }] }),
    );
    s.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": b } }),
    );
    for &method in expected {
        if !refreshes(&s.seen).iter().any(|m| m == method) {
            s.wait_for(method, |m| m["method"] == method);
        }
    }
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    assert!(s.ends_within(EXIT_BOUND).is_some());
    refreshes(s.all_sent())
}

#[test]
fn refreshes_only_what_the_client_advertised() {
    let (_dir, root) = workspace();
    assert_eq!(refresh_session(&root, neovim(), &[]), Vec::<String>::new());
    let all = [
        "workspace/codeLens/refresh",
        "workspace/diagnostic/refresh",
        "workspace/inlayHint/refresh",
    ];
    let mut sent = refresh_session(&root, vscode(), &all);
    sent.sort();
    sent.dedup();
    assert_eq!(
        sent,
        [
            "workspace/codeLens/refresh",
            "workspace/diagnostic/refresh",
            "workspace/inlayHint/refresh"
        ]
    );
}

/// `levels` nested clauses inside a document (the lowering reports the
/// nesting past 64 as an error; the syntax tree keeps every level).
fn nested(levels: usize) -> String {
    let mut s = String::from("document d {\n  title \"D\"\n");
    for _ in 0..levels {
        s.push_str("clause c {\n");
    }
    s.push_str(&"}\n".repeat(levels + 1));
    s
}

/// The CPU time (user and system) the process `pid` has used so far.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/PID/stat");
    // The fields after the command name (which may hold spaces), from the
    // third on: utime and stime are the 14th and 15th.
    let rest = &stat[stat.rfind(')').expect("a command name") + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    // SAFETY: sysconf only reads a configuration value.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Duration::from_millis(ticks * 1000 / per_second)
}

#[test]
fn six_thousand_levels_of_nesting_answer_every_request_quickly() {
    let (_dir, root) = workspace();
    let text = nested(6000);
    assert!(text.len() > 70_000);
    let deep = root.join("deep.xwalk");
    let u = uri(&deep);
    let mut s = Session::start(&root);
    s.initialize(&root, neovim());
    s.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": u, "languageId": "xwalk", "version": 1, "text": text } }),
    );
    let td = json!({ "uri": u });
    let mid = json!({ "line": 3002, "character": 3 });
    let whole =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 12004, "character": 0 } });
    let requests = [
        ("textDocument/diagnostic", json!({ "textDocument": td })),
        (
            "textDocument/selectionRange",
            json!({ "textDocument": td, "positions": [mid] }),
        ),
        (
            "textDocument/semanticTokens/full",
            json!({ "textDocument": td }),
        ),
        (
            "textDocument/hover",
            json!({ "textDocument": td, "position": mid }),
        ),
        (
            "textDocument/completion",
            json!({ "textDocument": td, "position": mid }),
        ),
        (
            "textDocument/definition",
            json!({ "textDocument": td, "position": mid }),
        ),
        (
            "textDocument/references",
            json!({ "textDocument": td, "position": mid, "context": { "includeDeclaration": true } }),
        ),
        (
            "textDocument/prepareRename",
            json!({ "textDocument": td, "position": mid }),
        ),
        ("textDocument/documentSymbol", json!({ "textDocument": td })),
        ("textDocument/foldingRange", json!({ "textDocument": td })),
        ("textDocument/documentLink", json!({ "textDocument": td })),
        (
            "textDocument/inlayHint",
            json!({ "textDocument": td, "range": whole }),
        ),
        ("textDocument/codeLens", json!({ "textDocument": td })),
        (
            "textDocument/codeAction",
            json!({ "textDocument": td, "range": whole, "context": { "diagnostics": [] } }),
        ),
        (
            "textDocument/formatting",
            json!({ "textDocument": td, "options": { "tabSize": 2, "insertSpaces": true } }),
        ),
        (
            "textDocument/rangeFormatting",
            json!({ "textDocument": td, "range": whole, "options": { "tabSize": 2, "insertSpaces": true } }),
        ),
        ("workspace/symbol", json!({ "query": "c" })),
    ];
    // The first pull also builds the workspace: not timed.
    s.request(requests[0].0, requests[0].1.clone());
    // Timed by the server's CPU time, not the wall clock: the suites run
    // side by side with busy loops, and what this test is after is the
    // work a request costs (a quadratic walk took seconds), not how long
    // the machine took to schedule it.
    let pid = s.child.id();
    let mut slow = Vec::new();
    for (method, params) in requests {
        let started = Instant::now();
        let cpu = cpu_time(pid);
        let r = s.request(method, params);
        let (took, wall) = (cpu_time(pid).saturating_sub(cpu), started.elapsed());
        assert!(
            r.get("result").is_some() || r["error"]["code"] == -32602,
            "{method}: {r}"
        );
        if took > Duration::from_millis(50) {
            slow.push(format!("{method}: {took:?} of CPU ({wall:?} on the clock)"));
        }
    }
    let selection = s.request(
        "textDocument/selectionRange",
        json!({ "textDocument": td, "positions": [mid] }),
    );
    let mut depth = 0;
    let mut at = &selection["result"][0];
    while at.is_object() {
        depth += 1;
        at = &at["parent"];
    }
    assert!((2..=100).contains(&depth), "a selection chain of {depth}");
    assert!(slow.is_empty(), "slower than 50 ms: {slow:#?}");
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    assert!(s.ends_within(EXIT_BOUND).is_some_and(|s| s.success()));
}

/// A client that writes `initialize`, `initialized`, `didOpen` and a
/// request in one go, without waiting for the answer to `initialize`
/// (found by fuzzing: half the runs never got an answer, `initialized`
/// being dropped as arriving before the server was initialized).
#[test]
fn messages_written_before_initialize_is_answered_are_handled_in_order() {
    let (_dir, root) = workspace();
    let b = uri(&root.join("b.xwalk"));
    let _load = Load::start(Duration::from_secs(120));
    for i in 0..20 {
        let mut s = Session::start(&root);
        s.send_all(&[
            json!({ "jsonrpc": "2.0", "id": 1001, "method": "initialize", "params": {
                "processId": null, "rootUri": uri(&root), "capabilities": neovim(),
                "workspaceFolders": [{ "uri": uri(&root), "name": "life" }] } }),
            json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
            json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                "textDocument": { "uri": b, "languageId": "xwalk", "version": 1, "text": B } } }),
            json!({ "jsonrpc": "2.0", "id": 1002, "method": "textDocument/diagnostic", "params": {
                "textDocument": { "uri": b } } }),
        ]);
        let answer = |id: i64| move |m: &Value| m["id"] == id && m.get("method").is_none();
        let init = s.wait_for("the answer to initialize", answer(1001));
        assert!(
            init["result"]["capabilities"].is_object(),
            "try {i}: {init}"
        );
        let pulled = s.wait_for("the answer to the pull", answer(1002));
        assert_eq!(pulled["result"]["kind"], "full", "try {i}: {pulled}");
        s.request("shutdown", Value::Null);
        s.notify("exit", Value::Null);
        let status = s.ends_within(EXIT_BOUND);
        assert!(status.is_some_and(|s| s.success()), "try {i}: {status:?}");
    }
}

/// `shutdown` and `exit` in one write: the process ends with status 0
/// (found by fuzzing: status 1, `exit` being read before `shutdown` was
/// handled).
#[test]
fn shutdown_and_exit_in_one_write_end_with_status_0() {
    let (_dir, root) = workspace();
    let _load = Load::start(Duration::from_secs(120));
    for i in 0..20 {
        let mut s = Session::start(&root);
        s.initialize(&root, vscode());
        s.send_all(&[
            json!({ "jsonrpc": "2.0", "id": 100, "method": "shutdown" }),
            json!({ "jsonrpc": "2.0", "method": "exit" }),
        ]);
        let status = s.ends_within(EXIT_BOUND);
        assert!(status.is_some_and(|s| s.success()), "try {i}: {status:?}");
    }
}

/// A handler that panics is logged and answered with an internal error,
/// and the server goes on answering.
#[test]
fn a_panicking_handler_is_logged_and_answered_and_the_server_goes_on() {
    let (_dir, root) = workspace();
    let b = uri(&root.join("b.xwalk"));
    let mut s = Session::start_with(&root, &[("XWALK_LSP_PANIC_ON", "textDocument/hover")]);
    s.initialize(&root, neovim());
    s.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": b, "languageId": "xwalk", "version": 1, "text": B } }),
    );
    let at = json!({ "textDocument": { "uri": b }, "position": { "line": 0, "character": 25 } });
    let r = s.request("textDocument/hover", at.clone());
    assert_eq!(r["error"]["code"], -32603, "{r}");
    let message = r["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        message.starts_with("internal error in textDocument/hover: XWALK_LSP_PANIC_ON"),
        "{message}"
    );
    s.wait_for("the panic in the log", |m| {
        m["method"] == "window/logMessage" && m["params"]["message"] == message.as_str()
    });
    let d = s.request("textDocument/definition", at);
    assert!(d.get("result").is_some(), "the server goes on: {d}");
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    assert!(s.ends_within(EXIT_BOUND).is_some_and(|s| s.success()));
}

/// The language server's phases on the inputs of `linear.rs` (3 MB on
/// one line, 100,000 lines, 39,000 duplicate targets, 12,000 levels on one
/// line): every request costs CPU time linear in the file (positions of
/// semantic tokens were counted from the line start for every token; the
/// quick fixes looked each duplicate up among all targets).
#[test]
fn long_lines_and_many_lines_answer_every_request_in_linear_time() {
    let (_dir, root) = workspace();
    let mut slow = Vec::new();
    for (name, text) in crate::linear::inputs() {
        let u = uri(&root.join(format!("{name}.xwalk")));
        let mut s = Session::start(&root);
        s.initialize(&root, neovim());
        let pid = s.child.id();
        let cpu = cpu_time(pid);
        s.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": u, "languageId": "xwalk", "version": 1, "text": text } }),
        );
        let td = json!({ "uri": u });
        let whole = json!({ "start": { "line": 0, "character": 0 },
            "end": { "line": 200_000, "character": 0 } });
        let end = json!({ "line": 0, "character": 3_000_000 });
        let first = ("textDocument/diagnostic", json!({ "textDocument": td }));
        let requests = [
            first.clone(),
            (
                "textDocument/semanticTokens/full",
                json!({ "textDocument": td }),
            ),
            (
                "textDocument/codeAction",
                json!({ "textDocument": td, "range": whole, "context": { "diagnostics": [] } }),
            ),
            (
                "textDocument/codeAction",
                json!({ "textDocument": td, "range": whole,
                    "context": { "diagnostics": [], "only": ["source.fixAll.xwalk"] } }),
            ),
            ("textDocument/foldingRange", json!({ "textDocument": td })),
            ("textDocument/documentSymbol", json!({ "textDocument": td })),
            (
                "textDocument/inlayHint",
                json!({ "textDocument": td, "range": whole }),
            ),
            ("textDocument/codeLens", json!({ "textDocument": td })),
            (
                "textDocument/formatting",
                json!({ "textDocument": td, "options": { "tabSize": 2, "insertSpaces": true } }),
            ),
            (
                "textDocument/hover",
                json!({ "textDocument": td, "position": end }),
            ),
            (
                "textDocument/selectionRange",
                json!({ "textDocument": td, "positions": [end] }),
            ),
        ];
        for (i, (method, params)) in requests.into_iter().enumerate() {
            // The first also counts opening and checking the file.
            let before = if i == 0 { cpu } else { cpu_time(pid) };
            let r = s.request(method, params);
            let took = cpu_time(pid).saturating_sub(before);
            let shown: String = r.to_string().chars().take(300).collect();
            assert!(
                r.get("result").is_some() || r["error"]["code"] == -32602,
                "{name}: {method}: {shown}"
            );
            if took > crate::linear::BOUND {
                slow.push(format!("{name}: {method}: {took:?} of CPU"));
            }
        }
        s.request("shutdown", Value::Null);
        s.notify("exit", Value::Null);
        assert!(s.ends_within(EXIT_BOUND).is_some());
    }
    assert!(
        slow.is_empty(),
        "over {:?}: {slow:#?}",
        crate::linear::BOUND
    );
}
