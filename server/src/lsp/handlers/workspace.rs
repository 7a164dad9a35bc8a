//! Notifications about the workspace: settings, files on disk, folders.

use tower_lsp_server::ls_types::*;

use crate::lsp::convert::uri_path;
use crate::lsp::diagnostics::after_change;
use crate::lsp::lifecycle::{add_folder, ask, pull_configuration};
use crate::lsp::server::Server;

pub async fn did_change_configuration(s: &Server, p: DidChangeConfigurationParams) {
    match p.settings.get("xwalk") {
        Some(v) => s.update_settings(v),
        None => pull_configuration(s).await,
    }
    // Inlay hints and code lenses may have been switched on or off: ask
    // the client to fetch them again, if it said it takes such requests.
    let support = s.support();
    if support.inlay_hint_refresh {
        ask(s.client.inlay_hint_refresh()).await;
    }
    if support.code_lens_refresh {
        ask(s.client.code_lens_refresh()).await;
    }
}

pub async fn did_change_watched_files(s: &Server, p: DidChangeWatchedFilesParams) {
    tokio::task::block_in_place(|| {
        let mut state = s.state();
        for change in &p.changes {
            if let Some(path) = uri_path(&change.uri) {
                state.disk_changed(&path, change.typ == FileChangeType::DELETED);
            }
        }
    });
    after_change(s).await;
}

pub async fn did_change_workspace_folders(s: &Server, p: DidChangeWorkspaceFoldersParams) {
    for f in &p.event.added {
        if let Some(path) = uri_path(&f.uri) {
            add_folder(s, &path).await;
        }
    }
    after_change(s).await;
}
