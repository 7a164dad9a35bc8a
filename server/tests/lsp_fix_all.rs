//! The language server's side of the edition workflow: `[lint.per-file]`
//! tables apply as in `xwalk check`, and `source.fixAll.xwalk` applies
//! every preferred quick fix of a file.

use crate::lsp::harness::{Harness, neovim_capabilities};
use serde_json::{Value, json};

const CONFIG: &str =
    "[workspace]\nname = \"t\"\n\n[lint.per-file.\"isvs/**\"]\nsuperseded-reference = \"off\"\n";
const STALE: &str =
    "document a { title \"A\" }\n\nmap a:1 -> etsi-ts-103-645:4.1-1, etsi-en-303-645:5.13-1\n";
const KEPT: &str = "map a:2 -> etsi-en-303-645:5.1-1\n";

async fn pulled(h: &mut Harness, rel: &str) -> Vec<Value> {
    let uri = h.uri(rel);
    let r = h
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri } }),
        )
        .await;
    r["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_file_tables_and_fix_all() {
    let mut h = Harness::start(
        &[
            ("xwalk.toml", CONFIG),
            ("maps.xwalk", STALE),
            ("isvs/kept.xwalk", KEPT),
        ],
        neovim_capabilities(),
    )
    .await;
    let d = h.diagnostics_for("maps.xwalk", |d| !d.is_empty()).await;
    assert_eq!(d.len(), 2, "{d:#?}");
    h.discard_diagnostics().await;
    // The same target is silent under isvs/.
    assert!(pulled(&mut h, "isvs/kept.xwalk").await.is_empty());
    assert_eq!(pulled(&mut h, "maps.xwalk").await.len(), 2);

    let uri = h.uri("maps.xwalk");
    let td = json!({ "uri": uri });
    let range =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } });
    // Not offered unless asked for by kind (it checks the workspace again).
    let plain = h
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": td, "range": range, "context": { "diagnostics": [] } }),
        )
        .await;
    assert!(
        plain
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["kind"] != "source.fixAll.xwalk"),
        "{plain}"
    );
    let actions = h
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": td, "range": range, "context": { "diagnostics": [], "only": ["source.fixAll"] } }),
        )
        .await;
    let fix_all: Vec<&Value> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "source.fixAll.xwalk")
        .collect();
    assert_eq!(fix_all.len(), 1, "{actions}");
    // Two rounds (TS 103 645 → EN V2.1.1 → V3.1.3) in one edit of the
    // changed line; the split provision 5.13-1 is left as it is.
    let edits = &fix_all[0]["edit"]["changes"][&uri];
    assert_eq!(
        edits,
        &json!([{
            "range": { "start": { "line": 2, "character": 0 }, "end": { "line": 3, "character": 0 } },
            "newText": "map a:1 -> etsi-en-303-645-v3:5.1-1, etsi-en-303-645:5.13-1\n"
        }]),
        "{actions}"
    );
    h.discard_diagnostics().await;
    h.finish().await;
}

/// Found by fuzzing: on a file with lone-CR line ends `source.fixAll`
/// answered an internal error, and every diagnostic sat on line 1. A lone
/// CR ends a line, as LSP counts lines.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lone_cr_files_have_lines_and_fix_all() {
    let text = "document a {\r  title \" A\"\r}\rmap a:1 -> etsi-en-303-645:5.1-1\r";
    let mut h = Harness::start(&[("cr.xwalk", text)], neovim_capabilities()).await;
    h.discard_diagnostics().await;
    let mut d = pulled(&mut h, "cr.xwalk").await;
    d.sort_by_key(|d| d["range"]["start"]["line"].as_u64());
    let at: Vec<(u64, u64)> = d
        .iter()
        .map(|d| {
            let s = &d["range"]["start"];
            (
                s["line"].as_u64().unwrap(),
                s["character"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(at, [(1, 8), (3, 11)], "{d:#?}");
    let uri = h.uri("cr.xwalk");
    let range =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } });
    let actions = h
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": range,
                "context": { "diagnostics": [], "only": ["source.fixAll"] } }),
        )
        .await;
    let edits = &actions[0]["edit"]["changes"][&uri];
    assert_eq!(
        edits,
        &json!([
            {
                "range": { "start": { "line": 1, "character": 0 }, "end": { "line": 2, "character": 0 } },
                "newText": "  title \"A\"\r"
            },
            {
                "range": { "start": { "line": 3, "character": 0 }, "end": { "line": 4, "character": 0 } },
                "newText": "map a:1 -> etsi-en-303-645-v3:5.1-1\r"
            }
        ]),
        "{actions}"
    );
    h.discard_diagnostics().await;
    h.finish().await;
}
