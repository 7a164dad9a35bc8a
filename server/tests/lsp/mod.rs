//! The language server, driven in process through its tower `Service`.

pub mod harness;
mod owner;
mod refresh;

use harness::{Harness, cursor, neovim_capabilities, pos, vscode_capabilities};
use serde_json::{Value, json};

pub const MAPPING: &str = "document vendor {\n  title \"Vendor Guide\"\n  publisher \"Vendor Ltd\"\n}\n\nmap vendor:\"1.1\" -> uk-cop-2018:1, etsi-en-303-645:5.1-1 {\n  excerpt \"Unique passwords per device.\"\n}\n";

pub fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_follow_edits_in_order() {
    let mut h = Harness::start(&[("maps.xwalk", MAPPING)], neovim_capabilities()).await;
    // Initially only the superseded target warns.
    let d = h.diagnostics_for("maps.xwalk", |d| !d.is_empty()).await;
    assert_eq!(codes(&d), vec!["superseded-reference"]);
    h.open_disk("maps.xwalk").await;
    // Break the reference: 5.1-1 → 5.1-9 (line 5, after "etsi-en-303-645:5.1-").
    let line = 5;
    let col = MAPPING.lines().nth(5).unwrap().find("5.1-1").unwrap() as u32 + 4;
    h.edit(
        "maps.xwalk",
        json!({ "start": pos(line, col), "end": pos(line, col + 1) }),
        "9",
    )
    .await;
    let d = h
        .diagnostics_for("maps.xwalk", |d| {
            codes(d).contains(&"unknown-provision".into())
        })
        .await;
    assert_eq!(d[0]["range"]["start"], pos(line, col - 4));
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `5.1-1`")
    );
    // Many quick edits in a row are applied in order: type "1", delete it,
    // type "1" again. The last state has the valid id.
    h.edit(
        "maps.xwalk",
        json!({ "start": pos(line, col), "end": pos(line, col + 1) }),
        "1",
    )
    .await;
    h.edit(
        "maps.xwalk",
        json!({ "start": pos(line, col), "end": pos(line, col + 1) }),
        "",
    )
    .await;
    h.edit(
        "maps.xwalk",
        json!({ "start": pos(line, col), "end": pos(line, col) }),
        "1",
    )
    .await;
    let d = h
        .diagnostics_for("maps.xwalk", |d| codes(d) == vec!["superseded-reference"])
        .await;
    assert_eq!(d.len(), 1);
    h.discard_diagnostics().await;
    h.finish().await;
}

/// The parse cache of earlier versions (`parses/` in the cache folder) is
/// removed when the server starts: nothing reads it any more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_old_parse_cache_is_removed() {
    let maps = "map src:1 -> uk-cop-2018:99\n";
    let mut h = Harness::start(
        &[
            ("maps.xwalk", maps),
            (".cache/parses/00112233aabbccdd.bin", "an old cache"),
            (".cache/builtin-catalogs-0.0.0/kept.xwalk", "kept"),
        ],
        neovim_capabilities(),
    )
    .await;
    let d = h.diagnostics_for("maps.xwalk", |d| !d.is_empty()).await;
    assert!(
        codes(&d).contains(&"unknown-provision".to_string()),
        "{d:?}"
    );
    assert!(!h.path(".cache/parses").exists());
    assert!(h.path(".cache/builtin-catalogs-0.0.0/kept.xwalk").exists());
    h.discard_diagnostics().await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_edit_reaches_the_files_that_use_it() {
    let catalog =
        "document vendor-spec {\n  title \"Spec\"\n  provision A-1 { text \"One.\" }\n}\n";
    let maps = "document src { title \"Src\" }\nmap src:1 -> vendor-spec:A-1\n";
    let mut h = Harness::start(
        &[("catalog.xwalk", catalog), ("maps.xwalk", maps)],
        neovim_capabilities(),
    )
    .await;
    h.open_disk("catalog.xwalk").await;
    // Rename the provision in the catalog: the mapping file goes red.
    h.edit(
        "catalog.xwalk",
        json!({ "start": pos(2, 12), "end": pos(2, 15) }),
        "A-2",
    )
    .await;
    let d = h.diagnostics_for("maps.xwalk", |d| !d.is_empty()).await;
    assert_eq!(codes(&d), vec!["unknown-provision"]);
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `A-2`?"),
        "{d:?}"
    );
    h.discard_diagnostics().await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_of_provisions_by_id_and_by_words() {
    let (text, line, col) = cursor("document v { title \"V\" }\nmap v:1 -> etsi-en-303-645:$0\n");
    let mut h = Harness::start(&[("m.xwalk", &text)], neovim_capabilities()).await;
    h.open("m.xwalk", &text).await;
    let uri = h.uri("m.xwalk");
    let r = h
        .request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": pos(line, col) }),
        )
        .await;
    let labels: Vec<&str> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"5.1-1"), "{labels:?}");
    assert_eq!(labels.len(), 68 + 15, "every provision and clause");
    // Type "pass": 5.1-1 (about passwords) is offered, with its text.
    h.edit(
        "m.xwalk",
        json!({ "start": pos(line, col), "end": pos(line, col) }),
        "pass",
    )
    .await;
    let r = h
        .request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": pos(line, col + 4) }),
        )
        .await;
    let items = r["items"].as_array().unwrap();
    let item = items
        .iter()
        .find(|i| i["label"] == "5.1-1")
        .expect("5.1-1 offered for `pass`");
    assert_eq!(
        item["textEdit"]["range"],
        json!({ "start": pos(line, col), "end": pos(line, col + 4) })
    );
    assert_eq!(item["textEdit"]["newText"], "5.1-1");
    assert!(
        item["documentation"]["value"]
            .as_str()
            .unwrap()
            .contains("passwords")
    );
    assert!(
        items.len() < 20,
        "only matching provisions: {}",
        items.len()
    );
    h.discard_diagnostics().await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_of_documents_fields_and_relations() {
    let text = "document v { title \"V\" }\nmap v:1 -> uk\nmap v:2 -> uk-cop-2018:1 {\n  rel\n  relation sub\n}\n";
    let mut h = Harness::start(&[("m.xwalk", text)], neovim_capabilities()).await;
    h.open("m.xwalk", text).await;
    let uri = h.uri("m.xwalk");
    let labels = |r: &Value| -> Vec<String> {
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let r = h
        .request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": pos(1, 13) }),
        )
        .await;
    assert_eq!(labels(&r)[0], "uk-cop-2018");
    let r = h
        .request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": pos(3, 5) }),
        )
        .await;
    assert!(
        labels(&r).contains(&"relation".to_string()),
        "{:?}",
        labels(&r)
    );
    assert!(!labels(&r).contains(&"title".to_string()));
    let r = h
        .request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": pos(4, 14) }),
        )
        .await;
    assert_eq!(labels(&r), vec!["subset-of"]);
    h.discard_diagnostics().await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_shows_text_status_and_counts() {
    let mut h = Harness::start(&[("m.xwalk", MAPPING)], vscode_capabilities()).await;
    h.open("m.xwalk", MAPPING).await;
    let uri = h.uri("m.xwalk");
    let col = MAPPING.lines().nth(5).unwrap().find("5.1-1").unwrap() as u32;
    let r = h
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": pos(5, col + 1) }),
        )
        .await;
    let md = r["contents"]["value"].as_str().unwrap();
    assert!(md.contains("**etsi-en-303-645:5.1-1**"), "{md}");
    assert!(
        md.contains("Status: `M C (1)` (mandatory, if condition 1 applies)"),
        "{md}"
    );
    assert!(md.contains("shall be unique per device"), "{md}");
    assert!(
        md.contains("Mapped by 1 source from 1 organisation"),
        "{md}"
    );
    assert!(
        md.contains("Replaced by `etsi-en-303-645-v3:5.1-1`"),
        "{md}"
    );
    // On the map source: the excerpt beside each target's text.
    let r = h
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": pos(5, 13) }),
        )
        .await;
    let md = r["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("| Unique passwords per device. | → | **uk-cop-2018:1**"),
        "{md}"
    );
    // V3.1.3 has its own text (issue 23); EN 18031 has none and says so.
    let text = "map x:1 -> etsi-en-303-645-v3:5.1-1, en-18031-1:ACM-1\n";
    h.open("v3.xwalk", text).await;
    let r = h
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": h.uri("v3.xwalk") }, "position": pos(0, 32) }),
        )
        .await;
    let md = r["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("> Where passwords are used to authenticate users against the device")
            && !md.contains("Text not included"),
        "{md}"
    );
    let r = h
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": h.uri("v3.xwalk") }, "position": pos(0, 50) }),
        )
        .await;
    let md = r["contents"]["value"].as_str().unwrap();
    assert!(md.contains("*Text not included in the catalog.*"), "{md}");
    h.discard_diagnostics().await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn definition_opens_the_builtin_catalog_and_references_rename_work() {
    let maps =
        "document src { title \"Src\" }\nmap src:1 -> uk-cop-2018:3\nmap src:2 -> uk-cop-2018:3\n";
    let mut h = Harness::start(&[("a.xwalk", maps)], vscode_capabilities()).await;
    h.open("a.xwalk", maps).await;
    let uri = h.uri("a.xwalk");
    let r = h
        .request(
            "textDocument/definition",
            json!({ "textDocument": { "uri": uri }, "position": pos(1, 25) }),
        )
        .await;
    let target = r["uri"].as_str().unwrap();
    assert!(target.ends_with("uk-cop-2018.xwalk"), "{target}");
    let path = target
        .parse::<tower_lsp_server::ls_types::Uri>()
        .unwrap()
        .to_file_path()
        .unwrap()
        .into_owned();
    let catalog = std::fs::read_to_string(&path).unwrap();
    let line = r["range"]["start"]["line"].as_u64().unwrap() as usize;
    assert!(
        catalog.lines().nth(line).unwrap().contains("provision 3"),
        "{}",
        catalog.lines().nth(line).unwrap()
    );
    // References to the provision: both maps.
    let r = h
        .request(
            "textDocument/references",
            json!({ "textDocument": { "uri": uri }, "position": pos(1, 25), "context": { "includeDeclaration": false } }),
        )
        .await;
    assert_eq!(r.as_array().unwrap().len(), 2);
    // Renaming a built-in id is refused; renaming the workspace document works.
    let e = h
        .request_raw(
            "textDocument/prepareRename",
            json!({ "textDocument": { "uri": uri }, "position": pos(1, 25) }),
        )
        .await
        .unwrap_err();
    assert!(e["message"].as_str().unwrap().contains("built-in"));
    let r = h
        .request(
            "textDocument/prepareRename",
            json!({ "textDocument": { "uri": uri }, "position": pos(0, 10) }),
        )
        .await;
    assert_eq!(r, json!({ "start": pos(0, 9), "end": pos(0, 12) }));
    let r = h
        .request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": pos(0, 10), "newName": "source-doc" }),
        )
        .await;
    let edits = r["changes"][&uri].as_array().unwrap();
    assert_eq!(edits.len(), 3, "declaration and two references: {edits:?}");
    assert!(edits.iter().all(|e| e["newText"] == "source-doc"));
    // A VS Code-like client gets the watched-files registration, a
    // configuration request and indexing progress.
    let asked = h.server_request_methods();
    for method in [
        "client/registerCapability",
        "workspace/configuration",
        "window/workDoneProgress/create",
    ] {
        assert!(
            asked.iter().any(|m| m == method),
            "{method} not sent: {asked:?}"
        );
    }
    h.discard_diagnostics().await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positions_in_utf8_and_utf16() {
    let text = "document d {\n  title \"Café ’🔒’\"\n}\nmap d:1 -> uk-cop-2018:99\n";
    for (caps, encoding) in [
        (neovim_capabilities(), "utf-8"),
        (vscode_capabilities(), "utf-16"),
    ] {
        let mut h = Harness::start(&[], caps).await;
        h.open("m.xwalk", text).await;
        let uri = h.uri("m.xwalk");
        let d = h
            .request(
                "textDocument/diagnostic",
                json!({ "textDocument": { "uri": uri } }),
            )
            .await;
        let items = d["items"].as_array().unwrap();
        assert_eq!(codes(items), vec!["unknown-provision"]);
        assert_eq!(items[0]["range"]["start"], pos(3, 23));
        // The closing quote of the title: after é, ’, 🔒 and ’, which are
        // 2+3+4+3 bytes but 1+1+2+1 UTF-16 units.
        let quote = if encoding == "utf-8" { 25 } else { 18 };
        let r = h
            .request_raw(
                "textDocument/hover",
                json!({ "textDocument": { "uri": uri }, "position": pos(1, quote) }),
            )
            .await;
        assert_eq!(r, Ok(Value::Null), "a string has no hover");
        // Selection ranges start at the token under the cursor: the string.
        let r = h
            .request(
                "textDocument/selectionRange",
                json!({ "textDocument": { "uri": uri }, "positions": [pos(1, quote)] }),
            )
            .await;
        assert_eq!(
            r[0]["range"],
            json!({ "start": pos(1, 8), "end": pos(1, quote + 1) }),
            "{encoding}"
        );
        h.discard_diagnostics().await;
        h.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn document_features() {
    let text = "# Notes\n# more\ndocument vendor {\n  title \"Vendor\"\n  url \"https://example.org/v\"\n  provision A-1 { text \"One.\" }\n}\nmap vendor:A-1 -> uk-cop-2018:1, uk-cop-2018:99 {\n  relation equal-to\n}\n";
    let mut h = Harness::start(&[], vscode_capabilities()).await;
    h.open("m.xwalk", text).await;
    let uri = h.uri("m.xwalk");
    let td = json!({ "uri": uri });

    let symbols = h
        .request("textDocument/documentSymbol", json!({ "textDocument": td }))
        .await;
    assert_eq!(symbols[0]["name"], "vendor");
    assert_eq!(symbols[0]["children"][0]["name"], "A-1");
    assert_eq!(symbols[1]["name"], "vendor:A-1");

    let folds = h
        .request("textDocument/foldingRange", json!({ "textDocument": td }))
        .await;
    let folds: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(folds, vec![(0, 1), (2, 6), (7, 9)]);

    let links = h
        .request("textDocument/documentLink", json!({ "textDocument": td }))
        .await;
    assert_eq!(links[0]["target"], "https://example.org/v");
    assert_eq!(
        links[0]["range"],
        json!({ "start": pos(4, 7), "end": pos(4, 28) })
    );

    let hints = h
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": td, "range": { "start": pos(0, 0), "end": pos(10, 0) } }),
        )
        .await;
    let labels: Vec<&str> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    // The source's own provision, then uk-cop-2018:1 (99 does not exist).
    assert_eq!(labels, vec!["One.", "No default passwords"]);

    let lenses = h
        .request("textDocument/codeLens", json!({ "textDocument": td }))
        .await;
    // `vendor` is a source catalog: its provision says what it maps to.
    assert_eq!(
        lenses[0]["command"]["title"],
        "maps to 2 provisions of 1 document"
    );

    let tokens = h
        .request(
            "textDocument/semanticTokens/full",
            json!({ "textDocument": td }),
        )
        .await;
    let data = tokens["data"].as_array().unwrap();
    assert_eq!(data.len() % 5, 0);
    // First token: the comment on line 0, column 0, 7 long, type comment (4).
    assert_eq!(
        &data[..5],
        &[json!(0), json!(0), json!(7), json!(4), json!(0)]
    );
    let id = tokens["resultId"].as_str().unwrap().to_string();
    h.edit(
        "m.xwalk",
        json!({ "start": pos(3, 10), "end": pos(3, 10) }),
        "X",
    )
    .await;
    let delta = h
        .request(
            "textDocument/semanticTokens/full/delta",
            json!({ "textDocument": td, "previousResultId": id }),
        )
        .await;
    assert!(delta["edits"].is_array(), "{delta}");

    let fixes = h
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": td, "range": { "start": pos(7, 33), "end": pos(7, 47) }, "context": { "diagnostics": [] } }),
        )
        .await;
    let fix = &fixes[0];
    assert_eq!(fix["kind"], "quickfix");
    let edit = &fix["edit"]["changes"][&uri][0];
    assert!(
        ["1", "9"].contains(&edit["newText"].as_str().unwrap()),
        "{fix}"
    );

    let symbols = h
        .request("workspace/symbol", json!({ "query": "GP-TM-23" }))
        .await;
    assert_eq!(
        symbols[0]["name"].as_str().unwrap().split(' ').next(),
        Some("GP-TM-23")
    );
    let d = h.diagnostics_for("m.xwalk", |d| !d.is_empty()).await;
    assert_eq!(codes(&d), vec!["unknown-provision"]);
    h.discard_diagnostics().await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survives_bad_input() {
    let mut h = Harness::start(&[], neovim_capabilities()).await;
    let uri = h.uri("never-opened.xwalk");
    // An edit to a document never opened is ignored (and logged).
    h.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": "x" }] }),
    )
    .await;
    // Requests about unknown documents answer null.
    let r = h
        .request_raw(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": pos(0, 0) }),
        )
        .await;
    assert_eq!(r, Ok(Value::Null));
    // Positions past the end of a line or file are clamped.
    h.open("m.xwalk", "map a:1 -> b:2\n").await;
    let m = h.uri("m.xwalk");
    for p in [pos(0, 999), pos(99, 0), pos(99, 99)] {
        let r = h
            .request_raw(
                "textDocument/completion",
                json!({ "textDocument": { "uri": m }, "position": p }),
            )
            .await;
        assert!(r.is_ok(), "{r:?}");
    }
    // An out-of-order (older) version is refused: the text stays.
    h.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": m, "version": 1 }, "contentChanges": [{ "text": "garbage {{{" }] }),
    )
    .await;
    let d = h
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": m } }),
        )
        .await;
    assert_eq!(d[0]["name"], "a:1");
    // Unknown methods get MethodNotFound.
    let e = h
        .request_raw("xwalk/noSuchMethod", json!({}))
        .await
        .unwrap_err();
    assert_eq!(e["code"], -32601);
    h.discard_diagnostics().await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn formatting_uses_the_formatter() {
    let messy = "document   v {\ntitle \"V\"\n    }\nmap v:1   ->   uk-cop-2018:1,uk-cop-2018:2 { relation related }\n";
    let mut h = Harness::start(&[], neovim_capabilities()).await;
    h.open("m.xwalk", messy).await;
    let td = json!({ "uri": h.uri("m.xwalk") });
    let opts = json!({ "tabSize": 2, "insertSpaces": true });
    let r = h
        .request(
            "textDocument/formatting",
            json!({ "textDocument": td, "options": opts }),
        )
        .await;
    let expected = xwalk::format::format_source(messy).unwrap();
    assert_eq!(r[0]["newText"].as_str().unwrap(), expected);
    assert_eq!(r[0]["range"]["start"], pos(0, 0));
    // Range formatting of the map only leaves the document alone.
    let r = h
        .request(
            "textDocument/rangeFormatting",
            json!({ "textDocument": td, "options": opts, "range": { "start": pos(3, 0), "end": pos(3, 5) } }),
        )
        .await;
    assert_eq!(r[0]["range"]["start"]["line"], 3, "{r}");
    // A file with a syntax error is not formatted.
    h.open("bad.xwalk", "document v {\n").await;
    let r = h
        .request_raw(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": h.uri("bad.xwalk") }, "options": opts }),
        )
        .await;
    assert_eq!(r, Ok(Value::Null));
    h.discard_diagnostics().await;
    h.finish().await;
}
