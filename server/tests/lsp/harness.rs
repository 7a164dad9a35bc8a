//! An in-process LSP client: drives the server's tower `Service` directly
//! (no stdio), answers the server's requests, and queues its notifications
//! for the test to consume. `finish` fails the test if the server sent a
//! notification the test never looked at (log messages and progress
//! excepted). Nothing waits out a fixed window: `settle` waits on the
//! server's own record of the edits whose diagnostics it has sent.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tower::{Service, ServiceExt};
use tower_lsp_server::jsonrpc::{Request, Response};
use xwalk::lsp::Ordered;

/// How long the harness waits for an answer or a notification: generous,
/// so that the verdict does not depend on the machine's load (a debug
/// build loading 300 files under the tests' CPU load can take many
/// seconds). Only a failing test waits this long.
const WAIT: Duration = Duration::from_secs(120);

pub struct Harness {
    service: Ordered,
    next_id: i64,
    notifications: Arc<Mutex<VecDeque<(String, Value)>>>,
    /// Requests the server sent to the client (method, params).
    server_requests: Arc<Mutex<Vec<(String, Value)>>>,
    pub root: PathBuf,
    versions: std::collections::HashMap<String, i32>,
    _dir: tempfile::TempDir,
}

/// The client capabilities of a VS Code-like client (UTF-16, push
/// diagnostics off in favour of pull, dynamic watched files).
pub fn vscode_capabilities() -> Value {
    json!({
        "general": { "positionEncodings": ["utf-16"] },
        "workspace": {
            "configuration": true,
            "didChangeWatchedFiles": { "dynamicRegistration": true },
            "workspaceFolders": true
        },
        "window": { "workDoneProgress": true },
        "textDocument": {
            "hover": { "contentFormat": ["markdown", "plaintext"] },
            "completion": { "completionItem": { "snippetSupport": true } },
            "publishDiagnostics": { "relatedInformation": true }
        }
    })
}

/// The capabilities of a Neovim 0.11-like client (UTF-8 offered, push
/// diagnostics).
pub fn neovim_capabilities() -> Value {
    json!({
        "general": { "positionEncodings": ["utf-8", "utf-16", "utf-32"] },
        "workspace": { "configuration": true, "didChangeWatchedFiles": { "dynamicRegistration": false } },
        "window": { "workDoneProgress": true },
        "textDocument": { "hover": { "contentFormat": ["markdown"] } }
    })
}

impl Harness {
    /// A server over a fresh workspace folder holding `files`
    /// (relative path, text); an `xwalk.toml` is added unless given.
    pub async fn start(files: &[(&str, &str)], capabilities: Value) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        if !files.iter().any(|(p, _)| *p == "xwalk.toml") {
            std::fs::write(root.join("xwalk.toml"), "[workspace]\nname = \"test\"\n").unwrap();
        }
        for (rel, text) in files {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let (service, socket) = xwalk::lsp::service();
        let notifications = Arc::new(Mutex::new(VecDeque::new()));
        let server_requests = Arc::new(Mutex::new(Vec::new()));
        let queue = notifications.clone();
        let requests = server_requests.clone();
        let cache = root.join(".cache");
        tokio::spawn(async move {
            let (mut stream, mut sink) = socket.split();
            while let Some(req) = stream.next().await {
                let (method, id, params) = req.into_parts();
                let params = params.unwrap_or(Value::Null);
                match id {
                    Some(id) => {
                        requests
                            .lock()
                            .unwrap()
                            .push((method.to_string(), params.clone()));
                        let result = match method.as_ref() {
                            "workspace/configuration" => json!([{ "cacheDir": cache }]),
                            _ => Value::Null,
                        };
                        let _ = sink.send(Response::from_ok(id, result)).await;
                    }
                    None => queue
                        .lock()
                        .unwrap()
                        .push_back((method.to_string(), params)),
                }
            }
        });
        let mut h = Harness {
            service,
            next_id: 1,
            notifications,
            server_requests,
            root: root.clone(),
            versions: Default::default(),
            _dir: dir,
        };
        let uri = uri(&root);
        let init = h
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": uri,
                    "workspaceFolders": [{ "uri": uri, "name": "test" }],
                    "capabilities": capabilities,
                    "initializationOptions": { "cacheDir": root.join(".cache") }
                }),
            )
            .await;
        assert!(init.get("capabilities").is_some(), "{init}");
        h.notify("initialized", json!({})).await;
        h
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn uri(&self, rel: &str) -> String {
        uri(&self.path(rel))
    }

    /// Sends a request and returns its result (panics on an error reply).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        match self.request_raw(method, params).await {
            Ok(v) => v,
            Err(e) => panic!("{method} failed: {e}"),
        }
    }

    /// Sends a request; the result or the error object.
    pub async fn request_raw(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        let req = Request::build(method.to_string())
            .id(id)
            .params(params)
            .finish();
        let svc = self.service.ready().await.expect("service ready");
        let response = tokio::time::timeout(WAIT, svc.call(req))
            .await
            .unwrap_or_else(|_| panic!("{method} timed out"))
            .expect("service alive")
            .expect("a request gets a response");
        let (_, body) = response.into_parts();
        body.map_err(|e| serde_json::to_value(e).unwrap())
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        let req = Request::build(method.to_string()).params(params).finish();
        let svc = self.service.ready().await.expect("service ready");
        let reply = svc.call(req).await.expect("service alive");
        assert!(reply.is_none(), "a notification got a reply: {reply:?}");
    }

    pub async fn open(&mut self, rel: &str, text: &str) {
        let uri = self.uri(rel);
        self.versions.insert(uri.clone(), 1);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "xwalk", "version": 1, "text": text } }),
        )
        .await;
    }

    /// Opens the file as it is on disk.
    pub async fn open_disk(&mut self, rel: &str) -> String {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        self.open(rel, &text).await;
        text
    }

    /// Replaces `range` (LSP positions) with `text`.
    pub async fn edit(&mut self, rel: &str, range: Value, text: &str) {
        let uri = self.uri(rel);
        let version = self.versions.get(&uri).copied().unwrap_or(0) + 1;
        self.versions.insert(uri.clone(), version);
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "range": range, "text": text }]
            }),
        )
        .await;
    }

    /// The methods of the requests the server sent to the client.
    pub fn server_request_methods(&self) -> Vec<String> {
        self.server_requests
            .lock()
            .unwrap()
            .iter()
            .map(|(m, _)| m.clone())
            .collect()
    }

    /// The next `method` notification whose params satisfy `pred`; earlier
    /// ones of that method that do not are consumed.
    pub async fn expect_matching(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            {
                let mut q = self.notifications.lock().unwrap();
                while let Some(i) = q.iter().position(|(m, _)| m == method) {
                    let (_, params) = q.remove(i).unwrap();
                    if pred(&params) {
                        return params;
                    }
                }
            }
            if tokio::time::Instant::now() > deadline {
                let q = self.notifications.lock().unwrap();
                panic!(
                    "no matching {method}; queued: {:?}",
                    q.iter().map(|(m, _)| m).collect::<Vec<_>>()
                );
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Waits until a `method` notification satisfying `pred` is queued,
    /// consuming nothing.
    pub async fn wait_queued(&self, method: &str, pred: impl Fn(&Value) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let found =
                (self.notifications.lock().unwrap().iter()).any(|(m, p)| m == method && pred(p));
            if found {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no matching {method} within {WAIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Every queued `method` notification, in the order it came; removed
    /// from the queue.
    pub fn take_all(&mut self, method: &str) -> Vec<Value> {
        let mut q = self.notifications.lock().unwrap();
        let (taken, kept): (VecDeque<_>, VecDeque<_>) = q.drain(..).partition(|(m, _)| m == method);
        *q = kept;
        taken.into_iter().map(|(_, p)| p).collect()
    }

    /// Diagnostics published for `rel` (waits for the next publication
    /// that satisfies `pred`).
    pub async fn diagnostics_for(
        &mut self,
        rel: &str,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let uri = self.uri(rel);
        let params = self
            .expect_matching("textDocument/publishDiagnostics", |p| {
                p["uri"] == uri.as_str()
                    && pred(
                        p["diagnostics"]
                            .as_array()
                            .map(Vec::as_slice)
                            .unwrap_or(&[]),
                    )
            })
            .await;
        params["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Waits until the server has sent the diagnostics of every edit so
    /// far (its own record, `Server::settled`), and until this client has
    /// read everything the server sent before that: a log message sent
    /// now comes through the same channel after all of it.
    pub async fn settle(&mut self) {
        let server = self.service.server().clone();
        tokio::time::timeout(WAIT, server.settled())
            .await
            .expect("the server sent the diagnostics of every edit in time");
        let marker = format!("xwalk test harness: settled {}", self.next_id);
        self.next_id += 1;
        server
            .client
            .log_message(tower_lsp_server::ls_types::MessageType::LOG, marker.clone())
            .await;
        self.expect_matching("window/logMessage", |p| p["message"] == marker.as_str())
            .await;
    }

    /// Shuts down, and fails if a notification was left unread.
    pub async fn finish(mut self) {
        self.settle().await;
        let _ = self.request("shutdown", Value::Null).await;
        let q = self.notifications.lock().unwrap();
        let unread: Vec<&(String, Value)> = q
            .iter()
            .filter(|(m, _)| m != "window/logMessage" && m != "$/progress")
            .collect();
        assert!(
            unread.is_empty(),
            "notifications the test did not consume: {unread:#?}"
        );
    }

    /// Drops queued diagnostics (for tests about something else), once
    /// the server has sent those of every edit so far (`settle`).
    pub async fn discard_diagnostics(&mut self) {
        self.settle().await;
        self.notifications
            .lock()
            .unwrap()
            .retain(|(m, _)| m != "textDocument/publishDiagnostics");
    }
}

pub fn uri(path: &Path) -> String {
    tower_lsp_server::ls_types::Uri::from_file_path(path)
        .unwrap()
        .to_string()
}

/// Splits a fixture at its `$0` cursor marker: (text, line, character in
/// UTF-16 units).
pub fn cursor(fixture: &str) -> (String, u32, u32) {
    let at = fixture.find("$0").expect("fixture has $0");
    let text = fixture.replacen("$0", "", 1);
    let before = &fixture[..at];
    let line = before.matches('\n').count() as u32;
    let col = before.rsplit('\n').next().unwrap().encode_utf16().count() as u32;
    (text, line, col)
}

pub fn pos(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}
