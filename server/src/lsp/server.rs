//! The `LanguageServer` implementation: converts between LSP and the `ide`
//! and `check` functions.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Bounded, Client, LanguageServer, NotCancellable, OngoingProgress};

use super::Shared;
use super::convert::{self, Encoding};
use super::ordered::uri_path;
use crate::check::{self, Severity};
use crate::ide::{self, FileRange};
use crate::model::{FileId, Workspace};

/// Settings from `initializationOptions` and `workspace/configuration`
/// (section `xwalk`). See docs/server.md.
#[derive(Clone, Debug)]
pub struct Settings {
    pub inlay_hints: bool,
    pub code_lens: bool,
    pub log_level: MessageType,
    pub cache_dir: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            inlay_hints: true,
            code_lens: true,
            log_level: MessageType::INFO,
            cache_dir: None,
        }
    }
}

impl Settings {
    fn update(&mut self, v: &Value) {
        if let Some(b) = v.get("inlayHints").and_then(Value::as_bool) {
            self.inlay_hints = b;
        }
        if let Some(b) = v.get("codeLens").and_then(Value::as_bool) {
            self.code_lens = b;
        }
        if let Some(l) = v.get("logLevel").and_then(Value::as_str) {
            self.log_level = match l {
                "error" => MessageType::ERROR,
                "warn" | "warning" => MessageType::WARNING,
                "debug" | "trace" | "log" => MessageType::LOG,
                _ => MessageType::INFO,
            };
        }
        if let Some(d) = v.get("cacheDir").and_then(Value::as_str) {
            self.cache_dir = Some(PathBuf::from(d));
        }
    }
}

/// What the client said it can do, as far as the server cares.
#[derive(Clone, Debug, Default)]
struct ClientSupport {
    pull_diagnostics: bool,
    diagnostic_refresh: bool,
    watched_files_dynamic: bool,
    configuration: bool,
    work_done_progress: bool,
}

/// The server; cheap to clone into background tasks.
#[derive(Clone)]
pub struct Backend(Arc<Inner>);

impl std::ops::Deref for Backend {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

pub struct Inner {
    client: Client,
    shared: Arc<Shared>,
    settings: Mutex<Settings>,
    support: Mutex<ClientSupport>,
    folders: Mutex<Vec<PathBuf>>,
    /// Last published diagnostics per file, to publish only changes.
    published: Mutex<HashMap<PathBuf, Vec<Diagnostic>>>,
    /// Last semantic tokens per document, for deltas.
    tokens: Mutex<HashMap<PathBuf, ResultTokens>>,
    next_result_id: std::sync::atomic::AtomicU64,
}

/// Semantic tokens with the result id they were sent under.
type ResultTokens = (u64, Vec<SemanticToken>);

/// Diagnostics published per file at most: a generated or pasted file
/// with a million problems must not flood the editor.
pub const MAX_PER_FILE: usize = 1000;

fn internal(message: impl Into<String>) -> Error {
    let mut e = Error::internal_error();
    e.message = message.into().into();
    e
}

impl Backend {
    pub fn new(client: Client, shared: Arc<Shared>) -> Backend {
        Backend(Arc::new(Inner {
            client,
            shared,
            settings: Mutex::new(Settings::default()),
            support: Mutex::new(ClientSupport::default()),
            folders: Mutex::new(Vec::new()),
            published: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            next_result_id: std::sync::atomic::AtomicU64::new(1),
        }))
    }

    /// After each edit (signalled by the ordered path): push diagnostics,
    /// or ask a pull client to refresh.
    fn spawn_diagnostics_task(&self) {
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                this.shared.changed.notified().await;
                this.after_change().await;
            }
        });
    }
}

impl Inner {
    fn settings(&self) -> Settings {
        self.settings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn support(&self) -> ClientSupport {
        self.support
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn encoding(&self) -> Encoding {
        self.shared.state().encoding
    }

    /// Logs to the client at or above the configured level; never to stdout.
    pub fn log(&self, level: MessageType, message: impl Into<String>) {
        // MessageType: ERROR=1 < WARNING=2 < INFO=3 < LOG=4.
        let max = self.settings().log_level;
        if level_rank(level) > level_rank(max) {
            return;
        }
        let client = self.client.clone();
        let message = message.into();
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move { client.log_message(level, message).await });
        }
    }

    /// Like [`Self::log`], but the message is sent before this returns, so
    /// it reaches the client ahead of anything the caller sends next (the
    /// indexing summary precedes the first diagnostics).
    pub async fn log_in_order(&self, level: MessageType, message: impl Into<String>) {
        if level_rank(level) > level_rank(self.settings().log_level) {
            return;
        }
        self.client.log_message(level, message.into()).await;
    }

    /// The workspace and file of a URI, if the server knows the file.
    fn locate(&self, uri: &Uri) -> Option<(Arc<Workspace>, FileId)> {
        let path = uri_path(uri)?;
        self.shared.state().locate(&path)
    }

    fn offset(&self, ws: &Workspace, file: FileId, pos: Position) -> usize {
        let f = ws.file(file);
        convert::offset(&f.text, &f.lines, pos, self.encoding())
    }

    fn range(&self, ws: &Workspace, file: FileId, r: &crate::syntax::TextRange) -> Range {
        convert::range(ws.file(file), r, self.encoding())
    }

    /// The URI of a file: its path, or for a built-in catalog, a read-only
    /// copy written to the cache folder.
    fn uri_of(&self, ws: &Workspace, file: FileId) -> Option<Uri> {
        let f = ws.file(file);
        if !f.is_builtin() {
            return Uri::from_file_path(&f.path);
        }
        let name = f.name.strip_prefix("builtin:")?;
        let dir = self
            .cache_dir()
            .join(format!("builtin-catalogs-{}", env!("CARGO_PKG_VERSION")));
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(f.text.as_str()) {
            std::fs::create_dir_all(&dir).ok()?;
            let tmp = dir.join(format!(".{name}.tmp"));
            std::fs::write(&tmp, &f.text).ok()?;
            std::fs::rename(&tmp, &path).ok()?;
            let mut perms = std::fs::metadata(&path).ok()?.permissions();
            perms.set_readonly(true);
            let _ = std::fs::set_permissions(&path, perms);
        }
        Uri::from_file_path(&path)
    }

    fn cache_dir(&self) -> PathBuf {
        if let Some(d) = self.settings().cache_dir {
            return d;
        }
        std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .unwrap_or_else(std::env::temp_dir)
            .join("xwalk")
    }

    fn location(&self, ws: &Workspace, fr: &FileRange) -> Option<Location> {
        Some(Location::new(
            self.uri_of(ws, fr.file)?,
            self.range(ws, fr.file, &fr.range),
        ))
    }

    fn lsp_diagnostic(&self, ws: &Workspace, d: &check::Diagnostic) -> Diagnostic {
        let severity = match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info | Severity::Off => DiagnosticSeverity::INFORMATION,
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let related: Vec<DiagnosticRelatedInformation> = d
            .related
            .iter()
            .filter_map(|r| {
                Some(DiagnosticRelatedInformation {
                    location: self.location(
                        ws,
                        &FileRange {
                            file: r.file,
                            range: r.range.clone(),
                        },
                    )?,
                    message: r.message.clone(),
                })
            })
            .collect();
        Diagnostic {
            range: self.range(ws, d.file, &d.range),
            severity: Some(severity),
            code: Some(NumberOrString::String(d.code.as_str().to_string())),
            code_description: None,
            source: Some("xwalk".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        }
    }

    /// One file's diagnostics in LSP form, at most [`MAX_PER_FILE`] (then
    /// one note saying how many more).
    fn lsp_diagnostics(
        &self,
        ws: &Workspace,
        file: FileId,
        ds: &[check::Diagnostic],
    ) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = ds
            .iter()
            .take(MAX_PER_FILE)
            .map(|d| self.lsp_diagnostic(ws, d))
            .collect();
        if ds.len() > MAX_PER_FILE {
            out.push(Diagnostic {
                range: self.range(ws, file, &(0..0)),
                severity: Some(DiagnosticSeverity::INFORMATION),
                source: Some("xwalk".into()),
                message: format!(
                    "{} more diagnostics in this file are not shown; run `xwalk check` for all of them",
                    ds.len() - MAX_PER_FILE
                ),
                ..Diagnostic::default()
            });
        }
        out
    }

    /// Runs `f` on the root's analysis, brought up to date with the
    /// root's current workspace, with the files whose diagnostics changed
    /// since they were last published and the versions of the open
    /// documents that workspace holds. `None` when the root is gone.
    fn with_diagnostics<R>(
        &self,
        root: usize,
        f: impl FnOnce(
            &Arc<Workspace>,
            &check::Analysis,
            &mut BTreeSet<PathBuf>,
            &HashMap<PathBuf, i32>,
        ) -> R,
    ) -> Option<R> {
        let holder = self.shared.state().roots.get(root)?.diagnostics.clone();
        tokio::task::block_in_place(|| {
            // Lock order: the root's diagnostics, then (briefly) the state.
            let mut diagnostics = holder.lock().unwrap_or_else(|e| e.into_inner());
            let (ws, versions) = {
                let mut state = self.shared.state();
                let versions = state
                    .open
                    .iter()
                    .map(|(p, d)| (p.clone(), d.version))
                    .collect();
                (state.roots.get_mut(root)?.workspace(), versions)
            };
            let (analysis, unpublished) = diagnostics.update(&ws);
            Some(f(&ws, analysis, unpublished, &versions))
        })
    }

    /// The workspace holding `path`, the file's id in it and its
    /// diagnostics, up to date.
    fn file_diagnostics(
        &self,
        path: &std::path::Path,
    ) -> Option<(Arc<Workspace>, FileId, Vec<check::Diagnostic>)> {
        let root = self.shared.state().root_index(path);
        self.with_diagnostics(root, |ws, analysis, _, _| {
            let file = ws.file_by_path(path)?;
            Some((ws.clone(), file, analysis.file_diagnostics(ws, file)))
        })
        .flatten()
    }

    /// Publishes the diagnostics of every file whose diagnostics changed
    /// since they were last published (and differ from what was).
    pub async fn publish_all(&self) {
        let roots = self.shared.state().root_count();
        for i in 0..roots {
            let updates = self.with_diagnostics(i, |ws, analysis, unpublished, versions| {
                let paths = std::mem::take(unpublished);
                paths
                    .iter()
                    .map(|path| {
                        // A path no longer in the workspace is cleared.
                        let now = match ws.file_by_path(path) {
                            Some(id) => {
                                self.lsp_diagnostics(ws, id, &analysis.file_diagnostics(ws, id))
                            }
                            None => Vec::new(),
                        };
                        (path.clone(), now, versions.get(path).copied())
                    })
                    .collect::<Vec<_>>()
            });
            let Some(updates) = updates else { break };
            let mut send = Vec::new();
            {
                let mut published = self.published.lock().unwrap_or_else(|e| e.into_inner());
                for (path, now, version) in updates {
                    let before = published.get(&path);
                    if before.map_or(now.is_empty(), |b| b == &now) {
                        continue;
                    }
                    if now.is_empty() {
                        published.remove(&path);
                    } else {
                        published.insert(path.clone(), now.clone());
                    }
                    if let Some(uri) = Uri::from_file_path(&path) {
                        send.push((uri, now, version));
                    }
                }
            }
            for (uri, diagnostics, version) in send {
                self.client
                    .publish_diagnostics(uri, diagnostics, version)
                    .await;
            }
        }
    }

    /// Indexes the workspace folders, reporting progress.
    async fn index_folders(&self) {
        let folders = self
            .folders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if folders.is_empty() {
            return;
        }
        let progress = self
            .begin_progress("xwalk/indexing", "Indexing mapping files")
            .await;
        let total = folders.len();
        // Earlier versions kept a parse cache in `parses/` of the cache
        // folder (up to tens of megabytes a workspace); nothing reads it now.
        let _ = std::fs::remove_dir_all(self.cache_dir().join("parses"));
        for (n, folder) in folders.iter().enumerate() {
            if let Some(p) = &progress {
                p.report_with_message(folder.display().to_string(), (100 * n / total) as u32)
                    .await;
            }
            let errors = self.shared.state().add_folder(folder);
            for e in errors {
                self.log(
                    MessageType::ERROR,
                    format!("{}: {}", e.path.display(), e.message),
                );
            }
        }
        let (roots, files) = {
            let state = self.shared.state();
            (
                state.roots.len() - 1,
                state.roots.iter().map(|r| r.files.len()).sum::<usize>(),
            )
        };
        if let Some(p) = progress {
            p.finish_with_message(format!("{files} files in {roots} workspaces"))
                .await;
        }
        self.log_in_order(
            MessageType::INFO,
            format!("indexed {files} files in {roots} workspaces"),
        )
        .await;
    }

    /// Starts a `$/progress` report, when the client takes them.
    async fn begin_progress(
        &self,
        token: &str,
        title: &str,
    ) -> Option<OngoingProgress<Bounded, NotCancellable>> {
        if !self.support().work_done_progress {
            return None;
        }
        let token = NumberOrString::String(token.into());
        self.client
            .create_work_done_progress(token.clone())
            .await
            .ok()?;
        Some(
            self.client
                .progress(token, title.to_string())
                .with_percentage(0)
                .begin()
                .await,
        )
    }

    /// The first check of every workspace, after indexing, reported as
    /// progress (`xwalk/checking`) and in the log ("checked N files in M
    /// ms"): until it ends, the first diagnostics are not out, and an edit
    /// waits for it.
    async fn check_all(&self) {
        let started = std::time::Instant::now();
        let progress = self
            .begin_progress("xwalk/checking", "Checking mapping files")
            .await;
        let roots = self.shared.state().root_count();
        let mut files = 0;
        for i in 0..roots {
            if let Some(p) = &progress {
                p.report((100 * i / roots.max(1)) as u32).await;
            }
            files += self
                .with_diagnostics(i, |ws, _, _, _| ws.workspace_files().count())
                .unwrap_or(0);
        }
        let ms = started.elapsed().as_millis();
        if let Some(p) = progress {
            p.finish_with_message(format!("{files} files")).await;
        }
        self.log_in_order(
            MessageType::INFO,
            format!("checked {files} files in {ms} ms"),
        )
        .await;
    }

    async fn pull_configuration(&self) {
        if !self.support().configuration {
            return;
        }
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("xwalk".into()),
        }];
        if let Ok(values) = self.client.configuration(items).await
            && let Some(v) = values.first()
        {
            self.settings
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .update(v);
        }
    }

    async fn after_change(&self) {
        let support = self.support();
        if support.pull_diagnostics {
            if support.diagnostic_refresh {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
        } else {
            self.publish_all().await;
        }
    }

    /// Computes a document's semantic tokens under a new result id and keeps
    /// them for the next delta; returns the id, the tokens and the ones kept
    /// before.
    fn record_tokens(
        &self,
        ws: &Workspace,
        file: FileId,
        uri: &Uri,
    ) -> (u64, Vec<SemanticToken>, Option<ResultTokens>) {
        let data = self.semantic_data(ws, file);
        let id = self
            .next_result_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let previous = uri_path(uri).and_then(|path| {
            self.tokens
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(path, (id, data.clone()))
        });
        (id, data, previous)
    }

    fn semantic_data(&self, ws: &Workspace, file: FileId) -> Vec<SemanticToken> {
        let f = ws.file(file);
        let enc = self.encoding();
        let mut data = Vec::new();
        let (mut prev_line, mut prev_start) = (0u32, 0u32);
        for token in ide::semantic_tokens::semantic_tokens(ws, file) {
            // Split multi-line tokens: not every client supports them.
            let mut start = token.range.start;
            while start < token.range.end {
                let line_end = f.text[start..token.range.end]
                    .find('\n')
                    .map_or(token.range.end, |i| start + i);
                if line_end > start {
                    let s = convert::position(&f.text, &f.lines, start, enc);
                    let e = convert::position(&f.text, &f.lines, line_end, enc);
                    let delta_line = s.line - prev_line;
                    let delta_start = if delta_line == 0 {
                        s.character - prev_start
                    } else {
                        s.character
                    };
                    data.push(SemanticToken {
                        delta_line,
                        delta_start,
                        length: e.character - s.character,
                        token_type: token.kind.index(),
                        token_modifiers_bitset: 0,
                    });
                    prev_line = s.line;
                    prev_start = s.character;
                }
                start = line_end + 1;
            }
        }
        data
    }
}

fn level_rank(t: MessageType) -> u8 {
    if t == MessageType::ERROR {
        1
    } else if t == MessageType::WARNING {
        2
    } else if t == MessageType::INFO {
        3
    } else {
        4
    }
}

fn completion_kind(k: ide::completion::CompletionKind) -> CompletionItemKind {
    use ide::completion::CompletionKind as K;
    match k {
        K::Document => CompletionItemKind::MODULE,
        K::Provision => CompletionItemKind::CONSTANT,
        K::Clause => CompletionItemKind::FOLDER,
        K::Field => CompletionItemKind::FIELD,
        K::Value => CompletionItemKind::ENUM_MEMBER,
        K::Keyword => CompletionItemKind::KEYWORD,
    }
}

fn symbol_kind(k: ide::symbols::SymbolKind) -> SymbolKind {
    match k {
        ide::symbols::SymbolKind::Document => SymbolKind::MODULE,
        ide::symbols::SymbolKind::Clause => SymbolKind::NAMESPACE,
        ide::symbols::SymbolKind::Provision => SymbolKind::CONSTANT,
        ide::symbols::SymbolKind::Mapping => SymbolKind::EVENT,
    }
}

fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

fn workspace_folders(params: &InitializeParams) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| uri_path(&f.uri))
        .collect();
    #[allow(deprecated)]
    if out.is_empty()
        && let Some(root) = params.root_uri.as_ref().and_then(uri_path)
    {
        out.push(root);
    }
    out
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = negotiate_encoding(&params);
        self.shared.state().encoding = encoding;
        if let Some(opts) = &params.initialization_options {
            self.settings
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .update(opts);
        }
        let caps = &params.capabilities;
        let support = ClientSupport {
            pull_diagnostics: caps
                .text_document
                .as_ref()
                .is_some_and(|t| t.diagnostic.is_some()),
            diagnostic_refresh: caps
                .workspace
                .as_ref()
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            watched_files_dynamic: caps
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            configuration: caps
                .workspace
                .as_ref()
                .and_then(|w| w.configuration)
                .unwrap_or(false),
            work_done_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
        };
        let pull = support.pull_diagnostics;
        *self.support.lock().unwrap_or_else(|e| e.into_inner()) = support;
        *self.folders.lock().unwrap_or_else(|e| e.into_inner()) = workspace_folders(&params);

        let legend = SemanticTokensLegend {
            token_types: ide::semantic_tokens::TokenType::LEGEND
                .iter()
                .map(|t| SemanticTokenType::new(t))
                .collect(),
            token_modifiers: Vec::new(),
        };
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "xwalk".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(match encoding {
                    Encoding::Utf8 => PositionEncodingKind::UTF8,
                    Encoding::Utf16 => PositionEncodingKind::UTF16,
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Kind(
                    TextDocumentSyncKind::INCREMENTAL,
                )),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec![":".into(), "\"".into()]),
                    ..CompletionOptions::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::REFACTOR,
                        ]),
                        ..CodeActionOptions::default()
                    },
                )),
                inlay_hint_provider: Some(OneOf::Left(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend,
                            full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                            range: Some(false),
                            work_done_progress_options: WorkDoneProgressOptions::default(),
                        },
                    ),
                ),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                }),
                document_formatting_provider: Some(OneOf::Left(true)),
                document_range_formatting_provider: Some(OneOf::Left(true)),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("xwalk".into()),
                        inter_file_dependencies: true,
                        workspace_diagnostics: true,
                        work_done_progress_options: WorkDoneProgressOptions::default(),
                    })
                }),
                ..ServerCapabilities::default()
            },
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.pull_configuration().await;
        if self.support().watched_files_dynamic {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: ["**/*.xwalk", "**/xwalk.toml"]
                    .iter()
                    .map(|g| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(g.to_string()),
                        kind: None,
                    })
                    .collect(),
            };
            let registration = Registration {
                id: "xwalk-watched-files".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                self.log(MessageType::WARNING, format!("could not watch files: {e}"));
            }
        }
        self.index_folders().await;
        self.check_all().await;
        self.after_change().await;
        self.spawn_diagnostics_task();
        // Hover and code lens count mappings from a table built once per
        // workspace (and derived after edits): build it now, not on the
        // first hover.
        let workspaces: Vec<Arc<Workspace>> = {
            let mut state = self.shared.state();
            state.roots.iter_mut().map(|r| r.workspace()).collect()
        };
        tokio::task::spawn_blocking(move || {
            for ws in workspaces {
                ws.target_counts();
            }
        });
    }

    async fn shutdown(&self) -> Result<()> {
        self.shared
            .shutdown
            .store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(())
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if let Some(v) = params.settings.get("xwalk") {
            self.settings
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .update(v);
        } else {
            self.pull_configuration().await;
        }
        let _ = self.client.inlay_hint_refresh().await;
        let _ = self.client.code_lens_refresh().await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        {
            let mut state = self.shared.state();
            for change in &params.changes {
                if let Some(path) = uri_path(&change.uri) {
                    state.disk_changed(&path, change.typ == FileChangeType::DELETED);
                }
            }
        }
        self.after_change().await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        for f in &params.event.added {
            if let Some(p) = uri_path(&f.uri) {
                let errors = self.shared.state().add_folder(&p);
                for e in errors {
                    self.log(
                        MessageType::ERROR,
                        format!("{}: {}", e.path.display(), e.message),
                    );
                }
            }
        }
        self.after_change().await;
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let pos = params.text_document_position;
        let Some((ws, file)) = self.locate(&pos.text_document.uri) else {
            return Ok(None);
        };
        let offset = self.offset(&ws, file, pos.position);
        let items: Vec<CompletionItem> = ide::completion::completions(&ws, file, offset)
            .into_iter()
            .map(|c| CompletionItem {
                label: c.label,
                label_details: c.detail.as_ref().map(|d| CompletionItemLabelDetails {
                    detail: None,
                    description: Some(d.clone()),
                }),
                kind: Some(completion_kind(c.kind)),
                detail: c.detail,
                documentation: c.documentation.map(|d| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: d,
                    })
                }),
                sort_text: Some(c.sort_text),
                filter_text: Some(c.filter_text),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range: self.range(&ws, file, &c.replace),
                    new_text: c.insert_text,
                })),
                ..CompletionItem::default()
            })
            .collect();
        Ok(Some(CompletionResponse::List(CompletionList {
            is_incomplete: true,
            items,
        })))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        let Some((ws, file)) = self.locate(&pos.text_document.uri) else {
            return Ok(None);
        };
        let offset = self.offset(&ws, file, pos.position);
        Ok(ide::hover::hover(&ws, file, offset).map(|h| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: h.markdown,
            }),
            range: Some(self.range(&ws, file, &h.range)),
        }))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let pos = params.text_document_position_params;
        let Some((ws, file)) = self.locate(&pos.text_document.uri) else {
            return Ok(None);
        };
        let offset = self.offset(&ws, file, pos.position);
        Ok(ide::definition::goto_definition(&ws, file, offset)
            .and_then(|fr| self.location(&ws, &fr))
            .map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let pos = params.text_document_position;
        let Some((ws, file)) = self.locate(&pos.text_document.uri) else {
            return Ok(None);
        };
        let offset = self.offset(&ws, file, pos.position);
        let found =
            ide::references::find_references(&ws, file, offset, params.context.include_declaration);
        Ok(Some(
            found
                .iter()
                .filter_map(|fr| self.location(&ws, fr))
                .collect(),
        ))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let Some((ws, file)) = self.locate(&params.text_document.uri) else {
            return Ok(None);
        };
        let offset = self.offset(&ws, file, params.position);
        match ide::rename::prepare_rename(&ws, file, offset) {
            Ok((fr, _)) => Ok(Some(PrepareRenameResponse::Range(
                self.range(&ws, file, &fr.range),
            ))),
            Err(e) => Err(Error::invalid_params(e.0)),
        }
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let pos = params.text_document_position;
        let Some((ws, file)) = self.locate(&pos.text_document.uri) else {
            return Ok(None);
        };
        let offset = self.offset(&ws, file, pos.position);
        let edits = ide::rename::rename(&ws, file, offset, &params.new_name)
            .map_err(|e| Error::invalid_params(e.0))?;
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        for e in edits {
            let uri = self
                .uri_of(&ws, e.file)
                .ok_or_else(|| internal("a file has no URI"))?;
            changes.entry(uri).or_default().push(TextEdit {
                range: self.range(&ws, e.file, &e.range),
                new_text: e.new_text,
            });
        }
        Ok(Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some((ws, file)) = self.locate(&params.text_document.uri) else {
            return Ok(None);
        };
        fn convert_symbol(
            b: &Inner,
            ws: &Workspace,
            file: FileId,
            s: ide::symbols::DocumentSymbol,
        ) -> DocumentSymbol {
            #[allow(deprecated)]
            DocumentSymbol {
                name: s.name,
                detail: s.detail,
                kind: symbol_kind(s.kind),
                tags: None,
                deprecated: None,
                range: b.range(ws, file, &s.range),
                selection_range: b.range(ws, file, &s.selection),
                children: Some(
                    s.children
                        .into_iter()
                        .map(|c| convert_symbol(b, ws, file, c))
                        .collect(),
                ),
            }
        }
        let symbols = ide::symbols::document_symbols(&ws, file)
            .into_iter()
            .map(|s| convert_symbol(self, &ws, file, s))
            .collect();
        Ok(Some(DocumentSymbolResponse::Nested(symbols)))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let roots = self.shared.state().root_count();
        let mut out = Vec::new();
        for i in 0..roots {
            let ws = self.shared.state().root_workspace(i);
            for s in ide::symbols::workspace_symbols(&ws, &params.query, 200) {
                let Some(location) = self.location(
                    &ws,
                    &FileRange {
                        file: s.file,
                        range: s.range.clone(),
                    },
                ) else {
                    continue;
                };
                #[allow(deprecated)]
                out.push(SymbolInformation {
                    name: s.name,
                    kind: symbol_kind(s.kind),
                    tags: None,
                    deprecated: None,
                    location,
                    container_name: s.container,
                });
            }
        }
        Ok(Some(WorkspaceSymbolResponse::Flat(out)))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let Some((ws, file, diagnostics)) =
            uri_path(&params.text_document.uri).and_then(|path| self.file_diagnostics(&path))
        else {
            return Ok(None);
        };
        let wanted = convert::text_range(ws.file(file), params.range, self.encoding());
        let diagnostics: Vec<check::Diagnostic> = diagnostics
            .into_iter()
            .filter(|d| d.range.start <= wanted.end && wanted.start <= d.range.end)
            .collect();
        let mut out = Vec::new();
        for action in ide::code_actions::quick_fixes(&ws, &diagnostics) {
            let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
            for e in &action.edits {
                if let Some(uri) = self.uri_of(&ws, e.file) {
                    changes.entry(uri).or_default().push(TextEdit {
                        range: self.range(&ws, e.file, &e.range),
                        new_text: e.new_text.clone(),
                    });
                }
            }
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: action.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![self.lsp_diagnostic(&ws, &action.diagnostic)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(action.preferred),
                ..CodeAction::default()
            }));
        }
        for assist in ide::suggested::assists(&ws, file, wanted) {
            let edits = assist.edits.iter().map(|e| TextEdit {
                range: self.range(&ws, e.file, &e.range),
                new_text: e.new_text.clone(),
            });
            if let Some(uri) = self.uri_of(&ws, file) {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: assist.title,
                    kind: Some(CodeActionKind::REFACTOR),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(uri, edits.collect())])),
                        ..WorkspaceEdit::default()
                    }),
                    ..CodeAction::default()
                }));
            }
        }
        Ok(Some(out))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        if !self.settings().inlay_hints {
            return Ok(Some(Vec::new()));
        }
        let Some((ws, file)) = self.locate(&params.text_document.uri) else {
            return Ok(None);
        };
        let range = convert::text_range(ws.file(file), params.range, self.encoding());
        let f = ws.file(file);
        Ok(Some(
            ide::inlay_hints::inlay_hints(&ws, file, range)
                .into_iter()
                .map(|h| InlayHint {
                    position: convert::position(&f.text, &f.lines, h.offset, self.encoding()),
                    label: InlayHintLabel::String(h.label),
                    kind: None,
                    text_edits: None,
                    tooltip: h.tooltip.map(InlayHintTooltip::String),
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
                .collect(),
        ))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        if !self.settings().code_lens {
            return Ok(Some(Vec::new()));
        }
        let Some((ws, file)) = self.locate(&params.text_document.uri) else {
            return Ok(None);
        };
        Ok(Some(
            ide::code_lens::code_lenses(&ws, file)
                .into_iter()
                .map(|l| CodeLens {
                    range: self.range(&ws, file, &l.range),
                    command: Some(Command {
                        title: l.title,
                        command: String::new(),
                        arguments: None,
                    }),
                    data: None,
                })
                .collect(),
        ))
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let Some((ws, file)) = self.locate(&params.text_document.uri) else {
            return Ok(None);
        };
        let (id, data, _) = self.record_tokens(&ws, file, &params.text_document.uri);
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: Some(id.to_string()),
            data,
        })))
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        let Some((ws, file)) = self.locate(&params.text_document.uri) else {
            return Ok(None);
        };
        let (id, data, previous) = self.record_tokens(&ws, file, &params.text_document.uri);
        let result = match previous {
            Some((prev_id, prev)) if prev_id.to_string() == params.previous_result_id => {
                SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                    result_id: Some(id.to_string()),
                    edits: token_edits(&prev, &data),
                })
            }
            _ => SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
                result_id: Some(id.to_string()),
                data,
            }),
        };
        Ok(Some(result))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let Some((ws, file)) = self.locate(&params.text_document.uri) else {
            return Ok(None);
        };
        Ok(Some(
            ide::folding::folding_ranges(&ws, file)
                .into_iter()
                .map(|f| FoldingRange {
                    start_line: f.start_line as u32,
                    end_line: f.end_line as u32,
                    kind: Some(match f.kind {
                        ide::folding::FoldKind::Region => FoldingRangeKind::Region,
                        ide::folding::FoldKind::Comment => FoldingRangeKind::Comment,
                    }),
                    ..FoldingRange::default()
                })
                .collect(),
        ))
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        let Some((ws, file)) = self.locate(&params.text_document.uri) else {
            return Ok(None);
        };
        let mut out = Vec::new();
        for pos in params.positions {
            let offset = self.offset(&ws, file, pos);
            let ranges = ide::selection::selection_ranges(&ws, file, offset);
            let mut parent: Option<Box<SelectionRange>> = None;
            for r in ranges.iter().rev() {
                parent = Some(Box::new(SelectionRange {
                    range: self.range(&ws, file, r),
                    parent,
                }));
            }
            out.push(parent.map(|b| *b).unwrap_or(SelectionRange {
                range: Range::new(pos, pos),
                parent: None,
            }));
        }
        Ok(Some(out))
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let Some((ws, file)) = self.locate(&params.text_document.uri) else {
            return Ok(None);
        };
        Ok(Some(
            ide::links::document_links(&ws, file)
                .into_iter()
                .map(|l| DocumentLink {
                    range: self.range(&ws, file, &l.range),
                    target: l.target.parse().ok(),
                    tooltip: Some(l.target),
                    data: None,
                })
                .collect(),
        ))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let Some((ws, file)) = self.locate(&params.text_document.uri) else {
            return Ok(None);
        };
        let f = ws.file(file);
        match crate::format::format_parse(&f.text, &f.parse) {
            Ok(formatted) if formatted == f.text => Ok(Some(Vec::new())),
            Ok(formatted) => Ok(Some(vec![TextEdit {
                range: self.range(&ws, file, &(0..f.text.len())),
                new_text: formatted,
            }])),
            Err(e) => {
                self.log(
                    MessageType::INFO,
                    format!("{}: not formatted: {e}", f.path.display()),
                );
                Ok(None)
            }
        }
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let Some((ws, file)) = self.locate(&params.text_document.uri) else {
            return Ok(None);
        };
        let f = ws.file(file);
        let range = convert::text_range(f, params.range, self.encoding());
        match crate::format::format_range_parse(&f.text, &f.parse, range) {
            Ok(Some(edit)) => Ok(Some(vec![TextEdit {
                range: self.range(&ws, file, &edit.range),
                new_text: edit.text,
            }])),
            Ok(None) => Ok(Some(Vec::new())),
            Err(e) => {
                self.log(
                    MessageType::INFO,
                    format!("{}: not formatted: {e}", f.path.display()),
                );
                Ok(None)
            }
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let items = match uri_path(&params.text_document.uri)
            .and_then(|path| self.file_diagnostics(&path))
        {
            Some((ws, file, diagnostics)) => self.lsp_diagnostics(&ws, file, &diagnostics),
            None => Vec::new(),
        };
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    async fn workspace_diagnostic(
        &self,
        _: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let roots = self.shared.state().root_count();
        let mut items = Vec::new();
        for i in 0..roots {
            let reports = self.with_diagnostics(i, |ws, analysis, _, versions| {
                ws.workspace_files()
                    .filter_map(|(id, f)| {
                        let uri = Uri::from_file_path(&f.path)?;
                        let diagnostics = analysis.file_diagnostics(ws, id);
                        Some(WorkspaceDocumentDiagnosticReport::Full(
                            WorkspaceFullDocumentDiagnosticReport {
                                uri,
                                version: versions.get(&f.path).map(|&v| v as i64),
                                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                                    result_id: None,
                                    items: self.lsp_diagnostics(ws, id, &diagnostics),
                                },
                            },
                        ))
                    })
                    .collect::<Vec<_>>()
            });
            items.extend(reports.into_iter().flatten());
        }
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ))
    }
}

/// The edit turning `old` into `new`: one replacement of the differing
/// middle (in units of u32, five per token, as LSP counts).
fn token_edits(old: &[SemanticToken], new: &[SemanticToken]) -> Vec<SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let old_mid = &old[prefix..old.len() - suffix];
    let new_mid = &new[prefix..new.len() - suffix];
    if old_mid.is_empty() && new_mid.is_empty() {
        return Vec::new();
    }
    vec![SemanticTokensEdit {
        start: (prefix * 5) as u32,
        delete_count: (old_mid.len() * 5) as u32,
        data: Some(new_mid.to_vec()),
    }]
}
