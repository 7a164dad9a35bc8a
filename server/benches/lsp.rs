//! `cargo bench -p xwalk --bench lsp`: the language server over its real stdio
//! transport, driven by a scripted session like an editor's, on a generated
//! workspace of 100,000 mappings in 1,000 files (one of them 10,000 lines
//! long) plus the built-in catalogs. In the same run, yaml-language-server
//! 1.25 does completion and hover on the same mappings written as YAML with a
//! JSON Schema. Results go in docs/performance.md.
//!
//! Measured: time to ready (process start → the end of the indexing
//! `$/progress`) and to the end of the first check of the whole workspace
//! (the "checked" log line), over several starts; the server CPU time of
//! the background work that follows the first check (until the server is
//! idle, before typing starts); then keystroke →
//! `publishDiagnostics` for the new version of the 10,000-line file (push mode, Neovim-like capabilities,
//! no pull diagnostics), completion after `etsi-en-303-645:`, hover on a reference,
//! and the server's resident memory (VmRSS, VmHWM).
//!
//! Environment: `XWALK_BENCH_KEYSTROKES` (default 100), `XWALK_BENCH_REQUESTS`
//! (completion and hover requests each, default 200), `XWALK_BIN` (the
//! binary; default the one cargo built), `XWALK_BENCH_DIR` (write the
//! workspaces there and keep them; default a temporary folder),
//! `XWALK_BENCH_STARTS` (starts of the server for the time to ready,
//! default 5: the main session and short ones), `XWALK_BENCH_NO_YAML=1`
//! skips the
//! yaml-language-server comparison. yaml-language-server is installed with
//! `npm ci` into `server/benches/yaml-ls/` when missing; without npm the
//! comparison is skipped with a message.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use xwalk::model::{Config, FileInput, Workspace};

const FILES: usize = 1_000;
const PAIRS: usize = 100_000;
const BIG_LINES: usize = 10_000;
const TIMEOUT: Duration = Duration::from_secs(60);

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------------------
// The generated data, written both as .xwalk and as YAML.

/// EN 303 645 V2.1.1 provisions the generated mappings point at.
const EN: [&str; 20] = [
    "5.1-1", "5.1-2", "5.1-3", "5.1-4", "5.1-5", "5.2-1", "5.2-2", "5.3-1", "5.3-2", "5.3-3",
    "5.4-1", "5.4-2", "5.5-1", "5.6-1", "5.7-1", "5.8-1", "5.9-1", "5.10-1", "5.11-1", "5.13-1",
];

struct Map {
    source: String,
    targets: [String; 2],
    excerpt: String,
    note: String,
}

fn maps_of(n: usize, count: usize) -> Vec<Map> {
    (0..count)
        .map(|m| Map {
            source: format!("{m}.{}", m % 7),
            targets: [
                format!("uk-cop-2018:{}", m % 13 + 1),
                format!("etsi-en-303-645:{}", EN[(m + n) % EN.len()]),
            ],
            excerpt: format!(
                "Recommendation {m} of document {n}: devices should use unique credentials and update securely."
            ),
            note: format!("Section {m}"),
        })
        .collect()
}

const XWALK_HEADER_LINES: usize = 8;
const XWALK_MAP_LINES: usize = 6;

fn xwalk_text(id: &str, n: usize, maps: &[Map], pad_to: usize) -> String {
    let mut s = format!(
        "# Generated for the benchmark.\ndocument {id} {{\n  title \"Generated source document {n} (benchmark)\"\n  publisher \"Benchmark Organisation {}\"\n  url \"https://example.org/{n}\"\n  cites uk-cop-2018, etsi-en-303-645\n}}\n\n",
        n % 50
    );
    for m in maps {
        s.push_str(&format!(
            "map {id}:\"{}\" -> {}, {} {{\n  relation related\n  excerpt \"{}\"\n  note \"{}\"\n  added \"4\"\n}}\n",
            m.source, m.targets[0], m.targets[1], m.excerpt, m.note
        ));
    }
    let lines = XWALK_HEADER_LINES + XWALK_MAP_LINES * maps.len();
    for _ in lines..pad_to {
        s.push_str("# end of the generated mappings\n");
    }
    s
}

const YAML_HEADER_LINES: usize = 9;
const YAML_MAP_LINES: usize = 8;

fn yaml_text(schema: &str, id: &str, n: usize, maps: &[Map]) -> String {
    let mut s = format!(
        "# yaml-language-server: $schema={schema}\ndocument:\n  id: {id}\n  title: \"Generated source document {n} (benchmark)\"\n  publisher: \"Benchmark Organisation {}\"\n  url: \"https://example.org/{n}\"\n  cites: [uk-cop-2018, etsi-en-303-645]\n\nmappings:\n",
        n % 50
    );
    for m in maps {
        s.push_str(&format!(
            "  - source: \"{}\"\n    targets:\n      - {}\n      - {}\n    relation: related\n    excerpt: \"{}\"\n    note: \"{}\"\n    added: \"4\"\n",
            m.source, m.targets[0], m.targets[1], m.excerpt, m.note
        ));
    }
    s
}

/// The JSON Schema a curator would write for YAML mappings: every
/// `DOC:ID` of the catalogs as an enum, each with its clause text as the
/// description (for completion documentation and hover).
fn json_schema(catalogs: &[FileInput]) -> Value {
    let ws = Workspace::build(None, Config::default(), copy(catalogs));
    let mut docs: Vec<_> = ws.index.documents.values().collect();
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    let (mut refs, mut plain, mut markdown) = (Vec::new(), Vec::new(), Vec::new());
    for d in &docs {
        let title = d.title.clone().unwrap_or_default();
        for c in &d.clauses {
            let t = c.title.clone().unwrap_or_default();
            refs.push(format!("{}:{}", d.id, c.id));
            plain.push(format!("{title}, clause {} {t}", c.id));
            markdown.push(format!(
                "**{}:{}**\n\n*{title}*, clause {} {t}",
                d.id, c.id, c.id
            ));
        }
        for p in &d.provisions {
            let text = p
                .text
                .clone()
                .unwrap_or_else(|| "Text not included in the catalog.".into());
            let status = p.status.clone().unwrap_or_default();
            refs.push(format!("{}:{}", d.id, p.id));
            plain.push(text.clone());
            markdown.push(format!(
                "**{}:{}**\n\n*{title}*{}\n\nStatus: `{status}`\n\n> {text}",
                d.id,
                p.id,
                p.clause
                    .as_ref()
                    .map(|c| format!(", clause {c}"))
                    .unwrap_or_default(),
            ));
        }
    }
    let doc_ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Crosswalk mappings (YAML)",
        "type": "object",
        "required": ["document", "mappings"],
        "additionalProperties": false,
        "properties": {
            "document": {
                "type": "object",
                "required": ["id"],
                "additionalProperties": false,
                "properties": {
                    "id": { "type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$" },
                    "title": { "type": "string" },
                    "publisher": { "type": "string" },
                    "version": { "type": "string" },
                    "url": { "type": "string", "format": "uri" },
                    "cites": { "type": "array", "items": { "enum": doc_ids } }
                }
            },
            "mappings": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["source", "targets"],
                    "additionalProperties": false,
                    "properties": {
                        "source": { "type": "string", "description": "The section of this document." },
                        "targets": {
                            "type": "array",
                            "minItems": 1,
                            "items": { "$ref": "#/definitions/reference" }
                        },
                        "relation": {
                            "enum": ["related", "equal-to", "equivalent-to", "subset-of",
                                     "superset-of", "intersects-with", "no-relationship"]
                        },
                        "rationale": { "enum": ["syntactic", "semantic", "functional"] },
                        "strength": { "type": "integer", "minimum": 0, "maximum": 10 },
                        "excerpt": { "type": "string" },
                        "note": { "type": "string" },
                        "added": { "type": "string" }
                    }
                }
            }
        },
        "definitions": {
            "reference": {
                "description": "A provision or clause of a catalogued standard: DOC:ID.",
                "enum": refs,
                "enumDescriptions": plain,
                "markdownEnumDescriptions": markdown
            }
        }
    })
}

fn copy(files: &[FileInput]) -> Vec<FileInput> {
    files
        .iter()
        .map(|f| FileInput {
            path: f.path.clone(),
            name: f.name.clone(),
            text: f.text.clone(),
        })
        .collect()
}

/// The big file's maps and the number of maps of each other file, so that
/// the workspace holds `PAIRS` mappings (two targets per map) in `FILES`
/// files and the big file is `BIG_LINES` lines.
fn layout() -> (usize, Vec<usize>) {
    let big = (BIG_LINES - XWALK_HEADER_LINES) / XWALK_MAP_LINES;
    let rest = PAIRS / 2 - big;
    let others = FILES - 1;
    let counts = (0..others)
        .map(|i| rest / others + usize::from(i < rest % others))
        .collect();
    (big, counts)
}

// ---------------------------------------------------------------------------
// A minimal LSP client over stdio.

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<(Instant, Value)>,
    next_id: i64,
    /// The answer to `workspace/configuration` items, by section.
    settings: Value,
}

fn read_frames(stdout: impl Read + Send + 'static) -> Receiver<(Instant, Value)> {
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
            let Some(length) = length else { return };
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            // Time-stamped when the whole message has arrived.
            let at = Instant::now();
            let Ok(v) = serde_json::from_slice(&body) else {
                continue;
            };
            if tx.send((at, v)).is_err() {
                return;
            }
        }
    });
    rx
}

impl Client {
    fn start(mut command: Command, settings: Value) -> (Client, Instant) {
        let started = Instant::now();
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {command:?}: {e}"));
        let stdin = child.stdin.take().unwrap();
        let messages = read_frames(child.stdout.take().unwrap());
        let client = Client {
            child,
            stdin,
            messages,
            next_id: 1,
            settings,
        };
        (client, started)
    }

    fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(&body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request; returns its id.
    fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// A request and its response, timed from just before the send to the
    /// arrival of the response.
    fn request(&mut self, method: &str, params: Value) -> (Duration, Value) {
        let start = Instant::now();
        let id = self.send_request(method, params);
        let (at, m) = self
            .wait_for(|m| m["id"] == id && m.get("method").is_none())
            .unwrap_or_else(|| panic!("no answer to {method} within {TIMEOUT:?}"));
        (at - start, m)
    }

    /// Waits for a message, answering the server's requests on the way.
    fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Option<(Instant, Value)> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let (at, m) = self.messages.recv_timeout(left).ok()?;
            if pred(&m) {
                return Some((at, m));
            }
            self.answer(&m);
        }
    }

    /// Answers a request from the server (`workspace/configuration` with
    /// the settings, anything else with `null`).
    fn answer(&mut self, m: &Value) {
        if m.get("method").is_some() && m.get("id").is_some() {
            let result = if m["method"] == "workspace/configuration" {
                let items = m["params"]["items"].as_array().cloned().unwrap_or_default();
                Value::Array(
                    items
                        .iter()
                        .map(|i| {
                            i["section"]
                                .as_str()
                                .and_then(|s| self.settings.get(s))
                                .cloned()
                                .unwrap_or(Value::Null)
                        })
                        .collect(),
                )
            } else {
                Value::Null
            };
            let id = m["id"].clone();
            self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
        }
    }

    /// The CPU time the server has used so far (user and system, all
    /// threads; 10 ms ticks): unlike the clock, it does not grow when other
    /// processes take the cores, so A/B comparisons hold on a busy machine.
    fn cpu(&self) -> Duration {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // The fields after the command name (which may hold spaces).
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map_or("", |(_, rest)| rest)
            .split_whitespace()
            .collect();
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        // utime and stime are fields 14 and 15 of the line, 12 and 13 here.
        Duration::from_millis((ticks(11) + ticks(12)) * 10)
    }

    /// Waits until the server's CPU time has not grown for two ticks of
    /// the kernel's clock in a row (the background work that follows the
    /// first check runs at a lower priority and would otherwise be counted
    /// in the keystrokes'), at most `bound`. Returns the CPU time spent
    /// meanwhile.
    fn wait_idle(&mut self, bound: Duration) -> Duration {
        let start = self.cpu();
        let until = Instant::now() + bound;
        let mut last = start;
        let mut still = 0;
        while still < 2 && Instant::now() < until {
            // Answering the server's requests meanwhile (it may wait for
            // an answer before its background work starts).
            let window = Instant::now() + Duration::from_millis(50);
            while let Some(left) = window.checked_duration_since(Instant::now()) {
                if let Ok((_, m)) = self.messages.recv_timeout(left) {
                    self.answer(&m);
                }
            }
            let now = self.cpu();
            still = if now == last { still + 1 } else { 0 };
            last = now;
        }
        last - start
    }

    fn memory(&self) -> Memory {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .map_or(0.0, |kb| kb as f64 / 1024.0)
        };
        Memory {
            rss: field("VmRSS:"),
            hwm: field("VmHWM:"),
        }
    }

    fn finish(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Clone, Copy, Default)]
struct Memory {
    rss: f64,
    hwm: f64,
}

/// Neovim 0.11-like client capabilities: work-done progress, configuration,
/// UTF-8/16/32 positions, push diagnostics only (no `textDocument/diagnostic`).
fn neovim_capabilities() -> Value {
    json!({
        "general": { "positionEncodings": ["utf-8", "utf-16", "utf-32"] },
        "window": { "workDoneProgress": true, "showMessage": {}, "showDocument": { "support": true } },
        "workspace": {
            "applyEdit": true,
            "configuration": true,
            "workspaceFolders": true,
            "didChangeWatchedFiles": { "dynamicRegistration": false },
            "symbol": { "dynamicRegistration": false },
            "semanticTokens": { "refreshSupport": true },
            "inlayHint": { "refreshSupport": true }
        },
        "textDocument": {
            "synchronization": { "didSave": true, "willSave": true, "willSaveWaitUntil": true },
            "completion": {
                "completionItem": {
                    "snippetSupport": true,
                    "documentationFormat": ["markdown", "plaintext"],
                    "resolveSupport": { "properties": ["documentation", "detail"] }
                },
                "contextSupport": true
            },
            "hover": { "contentFormat": ["markdown", "plaintext"] },
            "publishDiagnostics": { "relatedInformation": true, "versionSupport": true,
                                    "tagSupport": { "valueSet": [1, 2] } },
            "definition": { "linkSupport": true },
            "rename": { "prepareSupport": true },
            "codeAction": { "codeActionLiteralSupport": { "codeActionKind": { "valueSet": ["quickfix"] } } },
            "documentSymbol": { "hierarchicalDocumentSymbolSupport": true }
        }
    })
}

fn file_uri(path: &Path) -> String {
    tower_lsp_server::ls_types::Uri::from_file_path(path)
        .unwrap()
        .to_string()
}

fn initialize_params(root: &Path) -> Value {
    json!({
        "processId": std::process::id(),
        "clientInfo": { "name": "Neovim", "version": "0.11.0" },
        "rootUri": file_uri(root),
        "workspaceFolders": [{ "uri": file_uri(root), "name": "bench" }],
        "capabilities": neovim_capabilities()
    })
}

// ---------------------------------------------------------------------------
// Statistics.

#[derive(Default)]
struct Stats {
    times: Vec<Duration>,
    /// Samples without an answer (e.g. no diagnostics within the timeout).
    missing: usize,
}

impl Stats {
    fn percentile(&self, p: usize) -> Option<f64> {
        let mut t = self.times.clone();
        if t.is_empty() {
            return None;
        }
        t.sort();
        let rank = (t.len() * p).div_ceil(100).max(1) - 1;
        Some(t[rank].as_secs_f64() * 1000.0)
    }
}

fn ms(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.2} ms"))
}

// ---------------------------------------------------------------------------

struct Positions {
    /// Line of each map's first line in the big file, and the column right
    /// after `etsi-en-303-645:` and at the end of the provision id there.
    lines: Vec<(u32, u32, u32)>,
}

fn positions(text: &str, first_line: usize, step: usize) -> Positions {
    let needle = "etsi-en-303-645:";
    let lines = text
        .lines()
        .enumerate()
        .filter(|(i, l)| {
            *i >= first_line && (*i - first_line).is_multiple_of(step) && l.contains(needle)
        })
        .map(|(i, l)| {
            let start = l.find(needle).unwrap() + needle.len();
            let end = start + l[start..].find([' ', ',', '{']).unwrap_or(l.len() - start);
            (i as u32, start as u32, end as u32)
        })
        .collect();
    Positions { lines }
}

struct XwalkResults {
    ready: Duration,
    /// Process start → the end of the first check of the whole workspace.
    checked: Duration,
    keystrokes: Stats,
    /// Server CPU time per keystroke (see `Client::cpu`).
    keystroke_cpu: Duration,
    /// Server CPU time from start to the end of the first check.
    checked_cpu: Duration,
    /// Server CPU time after the first check until it is idle (the
    /// background work: the suggestions' indexes of every file, the
    /// counts), before the keystrokes.
    background_cpu: Duration,
    completion: Stats,
    hover: Stats,
    first_completion: Duration,
    completion_items: usize,
    after_index: Memory,
    /// After the first check of the workspace, before the keystrokes.
    after_check: Memory,
    /// After the keystrokes, before the completions and hovers.
    after_typing: Memory,
    at_end: Memory,
    files: String,
}

fn run_xwalk(
    bin: &Path,
    root: &Path,
    big: &Path,
    big_text: &str,
    keystrokes: usize,
    requests: usize,
) -> XwalkResults {
    let mut command = Command::new(bin);
    command
        .arg("lsp")
        .env("XDG_CACHE_HOME", root.join(".cache"));
    let (mut c, started) = Client::start(command, json!({ "xwalk": {} }));
    c.request("initialize", initialize_params(root));
    c.notify("initialized", json!({}));
    let (at, msg) = c
        .wait_for(|m| {
            (m["method"] == "$/progress"
                && m["params"]["token"] == "xwalk/indexing"
                && m["params"]["value"]["kind"] == "end")
                || (m["method"] == "window/logMessage"
                    && m["params"]["message"]
                        .as_str()
                        .is_some_and(|s| s.starts_with("indexed ")))
        })
        .expect("the server reports the end of indexing");
    let ready = at - started;
    let files = msg["params"]["value"]["message"]
        .as_str()
        .or(msg["params"]["message"].as_str())
        .unwrap_or("")
        .to_string();
    let after_index = c.memory();
    // The first check of the whole workspace follows indexing; an edit
    // made before it ends waits for it. Typing starts once it is done, so
    // that the keystrokes measure an edit, not the first check.
    let (at, _) = c
        .wait_for(|m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("checked "))
        })
        .expect("the server reports the end of the first check");
    let checked = at - started;
    let checked_cpu = c.cpu();
    let after_check = c.memory();
    // The keystrokes start once the background work is done: the CPU
    // per keystroke is the keystrokes' own (the background work is
    // reported on its own line).
    let background_cpu = c.wait_idle(Duration::from_secs(30));

    let uri = file_uri(big);
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "xwalk", "version": 1, "text": big_text } }),
    );
    let pos = positions(big_text, XWALK_HEADER_LINES, XWALK_MAP_LINES);
    let n = pos.lines.len();

    // Keystrokes: type `x` after a provision id (the reference becomes an
    // unknown provision), then delete it again, at lines spread over the file.
    let mut keys = Stats::default();
    let mut version = 1;
    let cpu_before = c.cpu();
    for k in 0..keystrokes {
        let (line, _, end) = pos.lines[(n / 3 + (k / 2) * 7) % n];
        let (range, text) = if k % 2 == 0 {
            (
                json!({ "start": { "line": line, "character": end }, "end": { "line": line, "character": end } }),
                "x",
            )
        } else {
            (
                json!({ "start": { "line": line, "character": end }, "end": { "line": line, "character": end + 1 } }),
                "",
            )
        };
        version += 1;
        let start = Instant::now();
        c.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "range": range, "text": text }]
            }),
        );
        let v = version;
        let u = uri.clone();
        match c.wait_for(move |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == u.as_str()
                && m["params"]["version"] == v
        }) {
            Some((at, _)) => keys.times.push(at - start),
            None => keys.missing += 1,
        }
        // About 20 keystrokes a second at most.
        std::thread::sleep(Duration::from_millis(10));
    }

    let keystroke_cpu = (c.cpu() - cpu_before) / keystrokes.max(1) as u32;
    let after_typing = c.memory();

    // Completion right after `etsi-en-303-645:`, hover on the reference.
    let mut completion = Stats::default();
    let mut hover = Stats::default();
    let mut first_completion = Duration::ZERO;
    let mut completion_items = 0;
    for r in 0..requests {
        let (line, start, end) = pos.lines[(r * 13) % n];
        let (t, resp) = c.request(
            "textDocument/completion",
            json!({
                "textDocument": { "uri": uri },
                "position": { "line": line, "character": start },
                "context": { "triggerKind": 2, "triggerCharacter": ":" }
            }),
        );
        if r == 0 {
            first_completion = t;
            completion_items = count_items(&resp["result"]);
            sample("xwalk", "completion", &resp["result"]);
        }
        completion.times.push(t);
        let (t, resp) = c.request(
            "textDocument/hover",
            json!({
                "textDocument": { "uri": uri },
                "position": { "line": line, "character": (start + end) / 2 }
            }),
        );
        assert!(
            !resp["result"].is_null(),
            "xwalk hover answers on a reference"
        );
        if r == 0 {
            sample("xwalk", "hover", &resp["result"]["contents"]["value"]);
        }
        hover.times.push(t);
    }
    let at_end = c.memory();
    c.finish();
    XwalkResults {
        ready,
        checked,
        keystrokes: keys,
        keystroke_cpu,
        checked_cpu,
        background_cpu,
        completion,
        hover,
        first_completion,
        completion_items,
        after_index,
        after_check,
        after_typing,
        at_end,
        files,
    }
}

/// Prints the start of a response, to see what was measured.
fn sample(server: &str, what: &str, v: &Value) {
    let text = match v {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    let len = text.len();
    let text: String = text.chars().take(200).collect();
    println!(
        "{server} {what} ({len} bytes): {}",
        text.replace('\n', "\\n")
    );
}

fn count_items(result: &Value) -> usize {
    result
        .get("items")
        .or(Some(result))
        .and_then(Value::as_array)
        .map_or(0, Vec::len)
}

struct YamlResults {
    completion: Stats,
    hover: Stats,
    first_completion: Duration,
    completion_items: usize,
    at_end: Memory,
    version: String,
}

/// Installs yaml-language-server with `npm ci` when missing; `None` (with a
/// message) when that is not possible.
fn yaml_server() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/yaml-ls");
    let main = dir.join("node_modules/yaml-language-server/bin/yaml-language-server");
    if !main.exists() {
        eprintln!(
            "installing yaml-language-server with `npm ci` in {}",
            dir.display()
        );
        let ok = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok || !main.exists() {
            println!(
                "yaml-language-server comparison skipped: `npm ci` in {} failed or npm is not available",
                dir.display()
            );
            return None;
        }
    }
    if Command::new("node").arg("--version").output().is_err() {
        println!("yaml-language-server comparison skipped: node is not available");
        return None;
    }
    Some(main)
}

fn run_yaml(main: &Path, root: &Path, big: &Path, big_text: &str, requests: usize) -> YamlResults {
    let mut command = Command::new("node");
    command.arg(main).arg("--stdio");
    let settings = json!({
        "yaml": { "validate": true, "hover": true, "completion": true, "format": { "enable": false },
                  "schemaStore": { "enable": false }, "maxItemsComputed": 5000 },
        "[yaml]": {}, "editor": {}, "files": {}, "http": {}
    });
    let (mut c, _) = Client::start(command, settings.clone());
    let (_, init) = c.request("initialize", initialize_params(root));
    let version = init["result"]["serverInfo"]["version"]
        .as_str()
        .unwrap_or("?")
        .to_string();
    c.notify("initialized", json!({}));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": settings }),
    );
    let uri = file_uri(big);
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": big_text } }),
    );
    // The first validation (schema loaded, the file parsed) publishes.
    let u = uri.clone();
    c.wait_for(move |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u.as_str()
    });
    // Targets: the second item of each map's `targets`. Completion is asked
    // one character after `etsi-en-303-645:` (after `...:5`): right after the
    // colon, yaml-language-server reads a mapping key and offers nothing.
    let pos = positions(big_text, YAML_HEADER_LINES + 3, YAML_MAP_LINES);
    let n = pos.lines.len();
    let mut completion = Stats::default();
    let mut hover = Stats::default();
    let mut first_completion = Duration::ZERO;
    let mut completion_items = 0;
    for r in 0..requests {
        let (line, start, end) = pos.lines[(r * 13) % n];
        let (t, resp) = c.request(
            "textDocument/completion",
            json!({
                "textDocument": { "uri": uri },
                "position": { "line": line, "character": start + 1 },
                "context": { "triggerKind": 1 }
            }),
        );
        if r == 0 {
            first_completion = t;
            completion_items = count_items(&resp["result"]);
            sample("yaml-language-server", "completion", &resp["result"]);
        }
        completion.times.push(t);
        let (t, resp) = c.request(
            "textDocument/hover",
            json!({
                "textDocument": { "uri": uri },
                "position": { "line": line, "character": (start + end) / 2 }
            }),
        );
        if r == 0 {
            sample(
                "yaml-language-server",
                "hover",
                &resp["result"]["contents"]["value"],
            );
        }
        hover.times.push(t);
    }
    let at_end = c.memory();
    c.finish();
    YamlResults {
        completion,
        hover,
        first_completion,
        completion_items,
        at_end,
        version,
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` (or
    // `--all-targets`) runs the binary without it: do nothing then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("lsp benchmark: run it with `cargo bench -p xwalk --bench lsp`");
        return;
    }
    let keystrokes = env_usize("XWALK_BENCH_KEYSTROKES", 100);
    let requests = env_usize("XWALK_BENCH_REQUESTS", 200);
    let starts = env_usize("XWALK_BENCH_STARTS", 5).max(1);
    let bin = std::env::var_os("XWALK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_xwalk")));

    // The workspace: xwalk.toml, the built-in catalogs, 999 files and one
    // of 10,000 lines. Mapping the older edition on purpose: the
    // superseded-reference warning is off, so the workspace is clean.
    let dir = tempfile::tempdir().unwrap();
    let base =
        std::env::var_os("XWALK_BENCH_DIR").map_or_else(|| dir.path().to_path_buf(), PathBuf::from);
    let root = base.join("xwalk");
    let yaml_root = base.join("yaml");
    std::fs::create_dir_all(root.join("catalogs")).unwrap();
    std::fs::create_dir_all(root.join("gen")).unwrap();
    std::fs::create_dir_all(&yaml_root).unwrap();
    std::fs::write(
        root.join("xwalk.toml"),
        "[workspace]\nname = \"lsp-bench\"\n\n[lint]\nsuperseded-reference = \"off\"\n",
    )
    .unwrap();
    let catalog_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mappings/catalogs");
    let mut catalogs = Vec::new();
    for name in [
        "uk-cop-2018",
        "etsi-ts-103-645",
        "etsi-en-303-645",
        "etsi-en-303-645-v3",
        "enisa-bsr-iot",
    ] {
        let file = format!("{name}.xwalk");
        let text = std::fs::read_to_string(catalog_dir.join(&file)).unwrap();
        std::fs::write(root.join("catalogs").join(&file), &text).unwrap();
        catalogs.push(FileInput {
            path: PathBuf::from(format!("catalogs/{file}")),
            name: format!("catalogs/{file}"),
            text,
        });
    }
    let schema_path = yaml_root.join("xwalk-mappings.schema.json");
    std::fs::write(
        &schema_path,
        serde_json::to_string_pretty(&json_schema(&catalogs)).unwrap(),
    )
    .unwrap();
    let schema_uri = file_uri(&schema_path);

    let (big_maps, counts) = layout();
    let mut inputs = copy(&catalogs);
    let mut bytes = 0;
    let mut yaml_bytes = 0;
    let mut write = |n: usize, id: &str, maps: &[Map], pad: usize| {
        let name = format!("gen/{n:04}.xwalk");
        let text = xwalk_text(id, n, maps, pad);
        let yaml = yaml_text(&schema_uri, id, n, maps);
        std::fs::write(root.join(&name), &text).unwrap();
        std::fs::write(yaml_root.join(format!("{n:04}.yaml")), &yaml).unwrap();
        bytes += text.len();
        yaml_bytes += yaml.len();
        inputs.push(FileInput {
            path: root.join(&name),
            name,
            text: text.clone(),
        });
        (text, yaml)
    };
    let (big_text, big_yaml) = write(0, "source-0", &maps_of(0, big_maps), BIG_LINES);
    for (i, count) in counts.iter().enumerate() {
        let n = i + 1;
        write(n, &format!("source-{n}"), &maps_of(n, *count), 0);
    }
    let big = root.join("gen/0000.xwalk");
    let big_yaml_path = yaml_root.join("0000.yaml");

    // Sanity: the sizes, and a clean workspace (every diagnostic would be
    // published, which is not what is measured here).
    let ws = Workspace::build(Some(root.clone()), Config::default(), inputs);
    let pairs = ws.mapping_count();
    let unexpected: Vec<_> = xwalk::check::check(&ws)
        .into_iter()
        .filter(|d| d.code.as_str() != "superseded-reference")
        .collect();
    assert!(
        unexpected.is_empty(),
        "unexpected diagnostics: {:?}",
        unexpected.first()
    );
    drop(ws);
    assert_eq!(big_text.lines().count(), BIG_LINES);

    println!(
        "workspace: {} files + {} catalogs, {pairs} mappings, {:.1} MB of .xwalk ({:.1} MB as YAML); big file {} lines ({} as YAML)",
        FILES,
        catalogs.len(),
        bytes as f64 / 1e6,
        yaml_bytes as f64 / 1e6,
        big_text.lines().count(),
        big_yaml.lines().count(),
    );
    println!("binary: {}", bin.display());

    // The main session, then more starts (short sessions) for the time to
    // ready and to the first check, which have one sample a start.
    let _ = std::fs::remove_dir_all(root.join(".cache"));
    let x = run_xwalk(&bin, &root, &big, &big_text, keystrokes, requests);
    let more: Vec<XwalkResults> = (1..starts)
        .map(|_| run_xwalk(&bin, &root, &big, &big_text, 5, 5))
        .collect();
    let y = if std::env::var_os("XWALK_BENCH_NO_YAML").is_some() {
        println!("yaml-language-server comparison skipped (XWALK_BENCH_NO_YAML)");
        None
    } else {
        yaml_server().map(|main| run_yaml(&main, &yaml_root, &big_yaml_path, &big_yaml, requests))
    };

    println!(
        "xwalk lsp: {} ({})",
        x.files,
        ms(Some(x.ready.as_secs_f64() * 1000.0))
    );
    println!(
        "{keystrokes} keystrokes ({} without diagnostics within {TIMEOUT:?}), {requests} completions and hovers each",
        x.keystrokes.missing
    );
    println!(
        "server CPU time: {:.2} ms per keystroke; {:.0} ms to the end of the first check (p50 of {starts} starts)",
        x.keystroke_cpu.as_secs_f64() * 1000.0,
        {
            let mut cpu: Vec<Duration> = std::iter::once(&x)
                .chain(&more)
                .map(|r| r.checked_cpu)
                .collect();
            cpu.sort();
            cpu[cpu.len() / 2].as_secs_f64() * 1000.0
        }
    );
    println!(
        "server CPU time after the first check until idle (background work, before typing): {:.0} ms",
        x.background_cpu.as_secs_f64() * 1000.0
    );
    println!(
        "first completion: xwalk {:.2} ms ({} items){}",
        x.first_completion.as_secs_f64() * 1000.0,
        x.completion_items,
        y.as_ref().map_or(String::new(), |y| format!(
            ", yaml-language-server {} {:.2} ms ({} items)",
            y.version,
            y.first_completion.as_secs_f64() * 1000.0,
            y.completion_items
        ))
    );
    println!();
    println!(
        "| {:<34} | {:>10} | {:>10} | {:>14} | {:>14} | {:<9} |",
        "measure", "xwalk p50", "xwalk p99", "yaml-ls p50", "yaml-ls p99", "target"
    );
    println!(
        "|{:-<36}|{:-<12}|{:-<12}|{:-<16}|{:-<16}|{:-<11}|",
        "", "", "", "", "", ""
    );
    let none = || "–".to_string();
    let row = |name: &str, xs: &Stats, ys: Option<&Stats>, target: &str| {
        println!(
            "| {name:<34} | {:>10} | {:>10} | {:>14} | {:>14} | {target:<9} |",
            ms(xs.percentile(50)),
            ms(xs.percentile(99)),
            ys.map_or_else(none, |s| ms(s.percentile(50))),
            ys.map_or_else(none, |s| ms(s.percentile(99))),
        );
    };
    let all_starts = || std::iter::once(&x).chain(&more);
    let ready = Stats {
        times: all_starts().map(|r| r.ready).collect(),
        missing: 0,
    };
    row(
        &format!("time to ready ({starts} starts)"),
        &ready,
        None,
        "≤ 300 ms",
    );
    let checked = Stats {
        times: all_starts().map(|r| r.checked).collect(),
        missing: 0,
    };
    row(
        &format!("whole workspace checked ({starts} starts)"),
        &checked,
        None,
        "–",
    );
    row(
        "keystroke → publishDiagnostics",
        &x.keystrokes,
        None,
        "≤ 10 ms",
    );
    row(
        "completion after etsi-en-303-645:",
        &x.completion,
        y.as_ref().map(|y| &y.completion),
        "≤ 5 ms",
    );
    row(
        "hover on a reference",
        &x.hover,
        y.as_ref().map(|y| &y.hover),
        "≤ 2 ms",
    );
    println!();
    println!(
        "memory: xwalk after indexing VmRSS {:.0} MB (VmHWM {:.0} MB), at the end VmRSS {:.0} MB (VmHWM {:.0} MB); target ≤ 200 MB",
        x.after_index.rss, x.after_index.hwm, x.at_end.rss, x.at_end.hwm
    );
    println!(
        "memory: xwalk VmRSS after the first check {:.0} MB, after the keystrokes {:.0} MB (before the completions and hovers)",
        x.after_check.rss, x.after_typing.rss
    );
    if let Some(y) = &y {
        println!(
            "memory: yaml-language-server at the end VmRSS {:.0} MB (VmHWM {:.0} MB)",
            y.at_end.rss, y.at_end.hwm
        );
    }
}
