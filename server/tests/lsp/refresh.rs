//! Views computed from other files (inlay hints, code lenses) are asked
//! for again after an edit, when the client takes `*/refresh` requests.

use std::time::Duration;

use serde_json::{Value, json};

use super::harness::{Harness, pos, vscode_capabilities};

fn with_refresh() -> Value {
    let mut c = vscode_capabilities();
    c["workspace"]["inlayHint"] = json!({ "refreshSupport": true });
    c["workspace"]["codeLens"] = json!({ "refreshSupport": true });
    c
}

async fn labels(h: &mut Harness, rel: &str) -> Vec<String> {
    let hints = h
        .request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": h.uri(rel) },
                "range": { "start": pos(0, 0), "end": pos(10, 0) } }),
        )
        .await;
    hints
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| h["label"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Waits until the server has sent `method` more than `before` times.
async fn sent(h: &Harness, method: &str, before: usize) -> bool {
    let count = |h: &Harness| {
        h.server_request_methods()
            .iter()
            .filter(|m| *m == method)
            .count()
    };
    for _ in 0..400 {
        if count(h) > before {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    false
}

/// A rename applied by the client file by file (as VS Code applies a
/// workspace edit): the mapping file first, when the new id is not yet
/// declared, so its hints are empty; then the catalog. The mapping file
/// did not change again, so only a refresh makes the client ask for its
/// hints again, and then they show the provision's text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rename_across_files_refreshes_the_inlay_hints() {
    let catalog = "document spec {\n  title \"Spec\"\n  provision A-1 { text \"One.\" }\n}\n";
    let maps = "document src { title \"Src\" }\nmap src:1 -> spec:A-1\n";
    let mut h = Harness::start(
        &[("catalog.xwalk", catalog), ("maps.xwalk", maps)],
        with_refresh(),
    )
    .await;
    h.open_disk("catalog.xwalk").await;
    h.open_disk("maps.xwalk").await;
    assert_eq!(labels(&mut h, "maps.xwalk").await, ["One."]);

    h.edit(
        "maps.xwalk",
        json!({ "start": pos(1, 18), "end": pos(1, 21) }),
        "A-2",
    )
    .await;
    assert_eq!(labels(&mut h, "maps.xwalk").await, Vec::<String>::new());
    let hints_before = h
        .server_request_methods()
        .iter()
        .filter(|m| *m == "workspace/inlayHint/refresh")
        .count();
    let lenses_before = h
        .server_request_methods()
        .iter()
        .filter(|m| *m == "workspace/codeLens/refresh")
        .count();
    h.edit(
        "catalog.xwalk",
        json!({ "start": pos(2, 12), "end": pos(2, 15) }),
        "A-2",
    )
    .await;
    assert!(
        sent(&h, "workspace/inlayHint/refresh", hints_before).await,
        "{:?}",
        h.server_request_methods()
    );
    assert!(sent(&h, "workspace/codeLens/refresh", lenses_before).await);
    assert_eq!(labels(&mut h, "maps.xwalk").await, ["One."]);
    h.discard_diagnostics().await;
    h.finish().await;
}
