//! The real binary over stdio: a whole session, then abuse — malformed
//! JSON-RPC, unknown methods, cancellation storms, a 50 MB document, a file
//! on disk that is not UTF-8. The server answers with errors and keeps going.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

struct Session {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
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
            if tx
                .send(serde_json::from_slice(&body).expect("server sends JSON"))
                .is_err()
            {
                return;
            }
        }
    });
    rx
}

impl Session {
    fn start(root: &std::path::Path) -> Session {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xwalk"))
            .arg("lsp")
            .env("XDG_CACHE_HOME", root.join(".cache"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start xwalk lsp");
        let stdin = child.stdin.take().unwrap();
        let messages = read_frames(child.stdout.take().unwrap());
        Session {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, msg: Value) {
        self.send_raw(&serde_json::to_vec(&msg).unwrap());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response, answering the server's
    /// own requests on the way. Returns the whole response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = self
                .messages
                .recv_timeout(Duration::from_secs(30))
                .expect("the server answers within 30 s");
            if std::env::var_os("XWALK_TEST_TRACE").is_some() {
                eprintln!("<- {}", m.to_string().chars().take(200).collect::<String>());
            }
            if pred(&m) {
                return m;
            }
            if m.get("method").is_some() && m.get("id").is_some() {
                // A request from the server: answer it.
                let id = m["id"].clone();
                self.send(json!({ "jsonrpc": "2.0", "id": id, "result": null }));
            }
        }
    }
}

fn uri(path: &std::path::Path) -> String {
    tower_lsp_server::ls_types::Uri::from_file_path(path)
        .unwrap()
        .to_string()
}

#[test]
fn a_whole_session_and_abuse() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("xwalk.toml"), "[workspace]\nname = \"e2e\"\n").unwrap();
    std::fs::write(
        root.join("latin1.xwalk"),
        b"document a { title \"caf\xe9\" }\n",
    )
    .unwrap();
    let file = root.join("m.xwalk");
    let text = "document v {\n  title \"V\"\n}\nmap v:1 -> uk-cop-2018:1\n";
    std::fs::write(&file, text).unwrap();
    let file_uri = uri(&file);
    let mut s = Session::start(&root);

    let init = s.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri(&root),
            "capabilities": { "general": { "positionEncodings": ["utf-16"] } }
        }),
    );
    assert_eq!(init["result"]["serverInfo"]["name"], "xwalk");
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    s.notify("initialized", json!({}));
    // The non-UTF-8 file is reported in the log, not fatal.
    let log = s.wait_for(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("latin1.xwalk")
    });
    assert!(
        log["params"]["message"]
            .as_str()
            .unwrap()
            .contains("not valid UTF-8")
    );

    s.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": file_uri, "languageId": "xwalk", "version": 1, "text": text } }),
    );
    s.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": file_uri, "version": 2 },
            "contentChanges": [{ "range": { "start": { "line": 3, "character": 23 }, "end": { "line": 3, "character": 24 } }, "text": "99" }]
        }),
    );
    let diags = s.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == file_uri.as_str()
            && !m["params"]["diagnostics"].as_array().unwrap().is_empty()
    });
    assert_eq!(
        diags["params"]["diagnostics"][0]["code"],
        "unknown-provision"
    );

    let completion = s.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": file_uri }, "position": { "line": 3, "character": 23 } }),
    );
    assert!(!completion["result"]["items"].as_array().unwrap().is_empty());
    let hover = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": file_uri }, "position": { "line": 3, "character": 13 } }),
    );
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Code of Practice")
    );
    let rename = s.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": file_uri }, "position": { "line": 0, "character": 9 }, "newName": "vendor" }),
    );
    assert_eq!(
        rename["result"]["changes"][&file_uri]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Malformed JSON: a Parse error with a null id, and the server goes on.
    s.send_raw(b"{this is not json");
    let err = s.wait_for(|m| m["error"]["code"] == -32700);
    assert_eq!(err["id"], Value::Null);
    // JSON that is not JSON-RPC: Invalid Request, with its id.
    s.send(json!({ "id": 77, "hello": "world" }));
    let err = s.wait_for(|m| m["error"]["code"] == -32600);
    assert_eq!(err["id"], 77);
    // Unknown method: Method not found.
    let r = s.request("xwalk/unknown", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    // A storm of requests and cancellations: every request is answered.
    let first = s.next_id;
    for i in 0..200 {
        let id = first + i;
        s.send(json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
            "params": { "textDocument": { "uri": file_uri }, "position": { "line": 3, "character": 25 } } }));
        s.notify("$/cancelRequest", json!({ "id": id }));
    }
    s.next_id += 200;
    let mut answered = std::collections::HashSet::new();
    while answered.len() < 200 {
        let m = s.wait_for(|m| m.get("id").is_some() && m.get("method").is_none());
        answered.insert(m["id"].as_i64().unwrap());
    }
    // A 50 MB document: opened, hovered, and still answering.
    let big_line =
        "map v:1 -> uk-cop-2018:1 { note \"padding padding padding padding padding padding\" }\n";
    let size: usize = std::env::var("XWALK_BIG_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
        * 1_000_000;
    let big: String = big_line.repeat(size / big_line.len());
    let big_uri = uri(&root.join("big.xwalk"));
    s.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": big_uri, "languageId": "xwalk", "version": 1, "text": big } }),
    );
    let r = s.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": big_uri }, "position": { "line": 1000, "character": 13 } }),
    );
    assert!(r["result"]["contents"]["value"].as_str().is_some(), "{r}");

    let r = s.request("shutdown", Value::Null);
    assert_eq!(r["result"], Value::Null);
    s.notify("exit", Value::Null);
    let status = s.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}
