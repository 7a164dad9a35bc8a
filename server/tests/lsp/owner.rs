//! The owner of the server's state (`lsp/owner.rs`): changes applied in
//! order off the request path, a request seeing every change sent before
//! it, bursts coalesced, folders loaded off the critical path. Each test
//! runs with every core kept busy (`lifecycle::Load`) and waits for events
//! with generous bounds, never for a fixed window.

use std::time::Duration;

use serde_json::{Value, json};

use super::harness::{Harness, neovim_capabilities, pos, uri, vscode_capabilities};
use super::{MAPPING, codes};
use crate::lifecycle::Load;

const LOAD: Duration = Duration::from_secs(60);

/// The line and column of the `1` that ends `etsi-en-303-645:5.1-1`.
fn provision_digit() -> (u32, u32) {
    let col = MAPPING.lines().nth(5).unwrap().find("5.1-1").unwrap() as u32 + 4;
    (5, col)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_edits_is_published_once_with_the_last_version() {
    let _load = Load::start(LOAD);
    let mut h = Harness::start(&[("maps.xwalk", MAPPING)], neovim_capabilities()).await;
    h.open_disk("maps.xwalk").await;
    h.discard_diagnostics().await;
    // 41 edits sent back to back: the provision becomes 5.1-9 (unknown),
    // then 5.1-1 again, and so on; the last one leaves it unknown.
    let (line, col) = provision_digit();
    let edits = 41;
    for i in 0..edits {
        let digit = if i % 2 == 0 { "9" } else { "1" };
        h.edit(
            "maps.xwalk",
            json!({ "start": pos(line, col), "end": pos(line, col + 1) }),
            digit,
        )
        .await;
    }
    h.settle().await;
    let published: Vec<Value> = h
        .take_all("textDocument/publishDiagnostics")
        .into_iter()
        .filter(|p| p["uri"] == h.uri("maps.xwalk").as_str())
        .collect();
    let versions: Vec<i64> = published
        .iter()
        .map(|p| p["version"].as_i64().unwrap())
        .collect();
    // Only versions that were current when their check ended, in order,
    // ending with the last one and its diagnostics.
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    assert_eq!(versions.last(), Some(&(edits + 1)), "{versions:?}");
    let last = published.last().unwrap()["diagnostics"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        codes(&last).contains(&"unknown-provision".to_string()),
        "{last:?}"
    );
    // Coalesced: far fewer publications than edits.
    assert!(
        published.len() <= edits as usize / 2,
        "{} publications for {edits} edits: {versions:?}",
        published.len()
    );
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_right_after_an_edit_sees_the_edit() {
    let _load = Load::start(LOAD);
    let mut h = Harness::start(&[("maps.xwalk", MAPPING)], vscode_capabilities()).await;
    h.open_disk("maps.xwalk").await;
    let file = h.uri("maps.xwalk");
    let end = MAPPING.lines().count() as u32;
    for i in 0..20u32 {
        // A new line referencing a provision: hovered at once, before the
        // owner can have applied it unless the request waits for it.
        let k = 1 + i % 13;
        let text = format!("map vendor:\"2.{i}\" -> uk-cop-2018:{k}\n");
        let at = text.find("2018:").unwrap() as u32 + 5;
        h.edit(
            "maps.xwalk",
            json!({ "start": pos(end + i, 0), "end": pos(end + i, 0) }),
            &text,
        )
        .await;
        let hover = h
            .request(
                "textDocument/hover",
                json!({ "textDocument": { "uri": file }, "position": pos(end + i, at) }),
            )
            .await;
        assert_eq!(hover["range"]["start"]["line"], end + i, "{hover}");
        let md = hover["contents"]["value"].as_str().unwrap();
        assert!(md.contains(&format!("**uk-cop-2018:{k}**")), "{md}");
    }
    // A pull right after an edit gets that edit's diagnostics: the
    // reference is broken, then mended.
    let (line, col) = provision_digit();
    for (digit, broken) in [("9", true), ("1", false), ("9", true)] {
        h.edit(
            "maps.xwalk",
            json!({ "start": pos(line, col), "end": pos(line, col + 1) }),
            digit,
        )
        .await;
        let report = h
            .request(
                "textDocument/diagnostic",
                json!({ "textDocument": { "uri": file } }),
            )
            .await;
        let found = codes(report["items"].as_array().unwrap());
        assert_eq!(
            found.contains(&"unknown-provision".to_string()),
            broken,
            "{found:?}"
        );
    }
    h.discard_diagnostics().await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_added_while_typing_does_not_delay_the_edits_diagnostics() {
    let _load = Load::start(LOAD);
    let mut h = Harness::start(&[("maps.xwalk", MAPPING)], neovim_capabilities()).await;
    h.open_disk("maps.xwalk").await;
    h.discard_diagnostics().await;
    // Another folder: 300 files, each with an unknown provision.
    let extra = tempfile::tempdir().unwrap();
    let extra_root = extra.path().canonicalize().unwrap();
    std::fs::write(
        extra_root.join("xwalk.toml"),
        "[workspace]\nname = \"extra\"\n",
    )
    .unwrap();
    for n in 0..300 {
        let text = format!("map src:{n} -> uk-cop-2018:99\n");
        std::fs::write(extra_root.join(format!("f{n}.xwalk")), text).unwrap();
    }
    let extra_uri = uri(&extra_root);
    let in_extra = format!("{extra_uri}/");
    h.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": [{ "uri": extra_uri, "name": "extra" }], "removed": [] } }),
    )
    .await;
    // Typing goes on while the folder loads.
    let (line, col) = provision_digit();
    h.edit(
        "maps.xwalk",
        json!({ "start": pos(line, col), "end": pos(line, col + 1) }),
        "9",
    )
    .await;
    // Pushed in path order: f99 comes last.
    let last_extra = uri(&extra_root.join("f99.xwalk"));
    h.wait_queued("textDocument/publishDiagnostics", |p| {
        p["uri"] == last_extra.as_str()
    })
    .await;
    let published = h.take_all("textDocument/publishDiagnostics");
    let first = |pred: &dyn Fn(&Value) -> bool| published.iter().position(pred);
    let file = h.uri("maps.xwalk");
    let edit = first(&|p| {
        p["uri"] == file.as_str()
            && codes(p["diagnostics"].as_array().unwrap()).contains(&"unknown-provision".into())
    })
    .expect("the edit's diagnostics were published");
    let folder = first(&|p| p["uri"].as_str().unwrap().starts_with(&in_extra))
        .expect("the folder's diagnostics were published");
    assert!(
        edit < folder,
        "the edit's diagnostics came after the folder's ({edit} > {folder})"
    );
    // Every file of the folder was loaded and checked.
    let files = (published.iter())
        .filter(|p| p["uri"].as_str().unwrap().starts_with(&in_extra))
        .filter(|p| {
            codes(p["diagnostics"].as_array().unwrap()).contains(&"unknown-provision".into())
        })
        .count();
    assert_eq!(files, 300);
    h.discard_diagnostics().await;
    h.finish().await;
}

/// The trees the owner parses once the editor is quiet, while edits keep
/// coming before, during and after that parse, are the trees of their
/// versions: folding, semantic tokens and completion on the edited
/// document answer what they answer on the same text opened afresh.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trees_parsed_while_quiet_read_as_a_fresh_parse() {
    let _load = Load::start(LOAD);
    let mut h = Harness::start(&[("maps.xwalk", MAPPING)], vscode_capabilities()).await;
    let mut text = h.open_disk("maps.xwalk").await;
    let added = [
        "map vendor:\"2.0\" -> uk-cop-2018:1 {\n  note \"\"\"\n  a { b\n  \"\"\"\n}\n",
        "map vendor:\"2.1\" -> uk-cop-2018:\n",
        "# a comment {\n",
        "map vendor:\"2.2\" -> uk-cop-2018:2 { relation related }\n",
    ];
    for i in 0..8usize {
        let end = text.lines().count() as u32;
        let new = added[i % added.len()];
        h.edit(
            "maps.xwalk",
            json!({ "start": pos(end, 0), "end": pos(end, 0) }),
            new,
        )
        .await;
        text.push_str(new);
        // Pauses shorter and longer than the quiet deadline (300 ms): the
        // next edit comes before, during or after the parse it starts.
        tokio::time::sleep(Duration::from_millis([50, 320, 400][i % 3])).await;
    }
    h.open("fresh.xwalk", &text).await;
    let last = text.lines().count() as u32 - 1;
    let at = text.lines().last().unwrap().find("2018:").unwrap() as u32 + 5;
    let (edited, fresh) = (h.uri("maps.xwalk"), h.uri("fresh.xwalk"));
    let mut answers = Vec::new();
    for (method, position) in [
        ("textDocument/foldingRange", None),
        ("textDocument/semanticTokens/full", None),
        ("textDocument/completion", Some(pos(last, at))),
        ("textDocument/completion", Some(pos(4, 0))),
        ("textDocument/completion", Some(pos(10, 2))),
    ] {
        let params = |uri: &str| {
            let mut p = json!({ "textDocument": { "uri": uri } });
            if let Some(position) = &position {
                p["position"] = position.clone();
            }
            p
        };
        let mut of_edited = h.request(method, params(&edited)).await;
        let mut of_fresh = h.request(method, params(&fresh)).await;
        // Semantic tokens name each answer for later deltas.
        for answer in [&mut of_edited, &mut of_fresh] {
            if let Some(answer) = answer.as_object_mut() {
                answer.remove("resultId");
            }
        }
        assert_eq!(of_edited, of_fresh, "{method} at {position:?}");
        answers.push(of_edited);
    }
    // Not empty answers: the folds, the tokens, the provisions after
    // `uk-cop-2018:`, the keywords between blocks, nothing in a `"""` string.
    let sizes: Vec<usize> = answers
        .iter()
        .map(|a| {
            let list = a.get("items").or(a.get("data")).unwrap_or(a);
            list.as_array().map_or(0, Vec::len)
        })
        .collect();
    assert!(
        sizes[..4].iter().all(|&n| n > 0) && sizes[4] == 0,
        "{sizes:?}"
    );
    h.discard_diagnostics().await;
    h.finish().await;
}
