//! The server's state and its one entry point, [`Server::handle`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::str::FromStr;

use lsp_types as lsp;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::convert::{self, uri_to_path};
use super::message::{Message, Notification, Request, RequestId, Response, error_code};
use super::settings;
use crate::diagnostic::{Diagnostic, Severity};
use crate::settings::options::Options;
use crate::text::edit::Edit;
use crate::text::line_index::{Encoding, LineIndex};
use crate::text::split;

/// The name of the configuration file the server looks for, from a document's directory up.
pub const CONFIG_NAME: &str = "idemsql.toml";
/// `source` of every diagnostic, and the suffix of the fix-all code action kind.
pub const SOURCE: &str = "idemsql";
/// The code action kind that applies every fix in a file.
pub const FIX_ALL_KIND: &str = "source.fixAll.idemsql";

/// Where the server is in the protocol's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShutDown,
}

/// What a request the server sent to the client was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Configuration,
    Registration,
}

/// What the client can do, as far as the server cares.
#[derive(Debug, Clone, Default)]
struct ClientCaps {
    document_changes: bool,
    configuration: bool,
    watch_registration: bool,
}

/// An open document.
#[derive(Debug, Clone)]
struct Document {
    text: String,
    version: i32,
    /// The path of a `file:` document.
    path: Option<String>,
    /// The options the last check ran with.
    options: Option<Options>,
    /// The diagnostics of the last check, for code actions and hover.
    diagnostics: Vec<Diagnostic>,
    /// What was last published, to publish again only on change.
    published: Option<Vec<lsp::Diagnostic>>,
}

/// The options for a document, once every file they come from has been read.
enum Resolved {
    Ready(Options),
    /// Files were asked for (see [`Server::file_requests`]); check again when they arrive.
    Waiting,
    Failed(String),
}

/// The language server's protocol core: a state machine from incoming LSP messages to outgoing
/// ones. It does no I/O: the transport hands it messages and sends what it returns, and the
/// files it needs (`idemsql.toml` and schema files) are asked for through
/// [`Server::file_requests`] and answered with [`Server::provide_file`].
///
/// ```
/// use idemsql::lsp::{Message, Server};
/// use serde_json::json;
///
/// let mut server = Server::new();
/// let out = server.handle(Message::request(1, "initialize", json!({"capabilities": {}})));
/// assert!(matches!(&out[0], Message::Response(r) if r.result.is_some()));
/// server.handle(Message::notification("initialized", json!({})));
/// let out = server.handle(Message::notification("textDocument/didOpen", json!({
///     "textDocument": {"uri": "untitled:a.sql", "languageId": "sql", "version": 1,
///                      "text": "INSERT INTO t (id) VALUES (1);"}})));
/// assert!(server.file_requests().is_empty()); // no file, no workspace: nothing to read
/// let Message::Notification(n) = &out[0] else { panic!() };
/// assert_eq!(n.method, "textDocument/publishDiagnostics");
/// assert_eq!(n.params["diagnostics"][0]["code"], "IDEM001");
/// ```
#[derive(Debug)]
pub struct Server {
    phase: Phase,
    encoding: Encoding,
    caps: ClientCaps,
    /// Workspace folder paths.
    roots: Vec<String>,
    /// Client settings, camelCase, or why they could not be read.
    settings: Result<Map<String, Value>, String>,
    /// Whether `initializationOptions` carried settings.
    had_init_settings: bool,
    docs: BTreeMap<String, Document>,
    /// Files read so far (`None`: absent or unreadable).
    files: BTreeMap<String, Option<String>>,
    /// Files asked for and not answered yet.
    asked: BTreeSet<String>,
    /// Files to ask for at the next [`Server::file_requests`].
    queue: Vec<String>,
    next_id: i64,
    pending: HashMap<RequestId, Pending>,
    /// Error messages already shown, so each is shown once.
    shown: BTreeSet<String>,
    exit_code: Option<i32>,
}

impl Default for Server {
    fn default() -> Self {
        Server::new()
    }
}

impl Server {
    pub fn new() -> Self {
        Server {
            phase: Phase::Uninitialized,
            encoding: Encoding::Utf16,
            caps: ClientCaps::default(),
            roots: Vec::new(),
            settings: Ok(Map::new()),
            had_init_settings: false,
            docs: BTreeMap::new(),
            files: BTreeMap::new(),
            asked: BTreeSet::new(),
            queue: Vec::new(),
            next_id: 1,
            pending: HashMap::new(),
            shown: BTreeSet::new(),
            exit_code: None,
        }
    }

    /// After the `exit` notification: the process's exit code (0 after a `shutdown`
    /// request, 1 without one). `None` while the server runs.
    pub fn exit_code(&self) -> Option<i32> {
        self.exit_code
    }

    /// The position encoding agreed with the client.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Paths of files the server needs (`idemsql.toml` candidates, schema files), each asked
    /// for once. Answer every one with [`Server::provide_file`] (`None` when the file does
    /// not exist or cannot be read); documents waiting for them are checked when they arrive.
    pub fn file_requests(&mut self) -> Vec<String> {
        std::mem::take(&mut self.queue)
    }

    /// The contents of a file the server asked for (or of one it read before that changed).
    /// Returns the diagnostics that change because of it.
    pub fn provide_file(&mut self, path: &str, contents: Option<String>) -> Vec<Message> {
        self.asked.remove(path);
        let changed = self.files.get(path) != Some(&contents);
        self.files.insert(path.to_string(), contents);
        if changed || self.docs.values().any(|d| d.published.is_none()) {
            self.refresh_all()
        } else {
            Vec::new()
        }
    }

    /// Handle one incoming message; return the messages to send, in order.
    pub fn handle(&mut self, message: Message) -> Vec<Message> {
        match message {
            Message::Request(r) => self.request(r),
            Message::Notification(n) => self.notification(n),
            Message::Response(r) => self.response(r),
        }
    }

    fn request(&mut self, r: Request) -> Vec<Message> {
        let id = r.id.clone();
        match (self.phase, r.method.as_str()) {
            (Phase::Uninitialized, "initialize") => {
                let offset_encoding: Vec<String> = r.params["capabilities"]["offsetEncoding"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                match parse::<lsp::InitializeParams>(r.params) {
                    Ok(params) => {
                        let result = self.initialize(params, &offset_encoding);
                        self.phase = Phase::Running;
                        vec![Message::ok(id, result)]
                    }
                    Err(e) => vec![Message::error(id, error_code::INVALID_PARAMS, e)],
                }
            }
            (Phase::Uninitialized, _) => vec![Message::error(
                id,
                error_code::SERVER_NOT_INITIALIZED,
                "the server is not initialized",
            )],
            (Phase::ShutDown, _) => vec![Message::error(
                id,
                error_code::INVALID_REQUEST,
                "the server is shut down",
            )],
            (Phase::Running, "initialize") => vec![Message::error(
                id,
                error_code::INVALID_REQUEST,
                "the server is already initialized",
            )],
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShutDown;
                vec![Message::ok(id, Value::Null)]
            }
            (Phase::Running, "textDocument/codeAction") => {
                match parse::<lsp::CodeActionParams>(r.params) {
                    Ok(p) => vec![Message::ok(id, self.code_actions(p))],
                    Err(e) => vec![Message::error(id, error_code::INVALID_PARAMS, e)],
                }
            }
            (Phase::Running, "textDocument/hover") => match parse::<lsp::HoverParams>(r.params) {
                Ok(p) => vec![Message::ok(id, self.hover(p))],
                Err(e) => vec![Message::error(id, error_code::INVALID_PARAMS, e)],
            },
            (Phase::Running, method) => vec![Message::error(
                id,
                error_code::METHOD_NOT_FOUND,
                format!("idemsql does not handle `{method}`"),
            )],
        }
    }

    fn notification(&mut self, n: Notification) -> Vec<Message> {
        if n.method == "exit" {
            self.exit_code = Some(if self.phase == Phase::ShutDown { 0 } else { 1 });
            return Vec::new();
        }
        if self.phase != Phase::Running {
            return Vec::new();
        }
        match n.method.as_str() {
            "initialized" => self.initialized(),
            "textDocument/didOpen" => match parse::<lsp::DidOpenTextDocumentParams>(n.params) {
                Ok(p) => {
                    let uri = p.text_document.uri.as_str().to_string();
                    self.docs.insert(
                        uri.clone(),
                        Document {
                            path: uri_to_path(&uri),
                            text: p.text_document.text,
                            version: p.text_document.version,
                            options: None,
                            diagnostics: Vec::new(),
                            published: None,
                        },
                    );
                    self.refresh(&uri, true)
                }
                Err(e) => vec![log(&format!("didOpen: {e}"))],
            },
            "textDocument/didChange" => match parse::<lsp::DidChangeTextDocumentParams>(n.params) {
                Ok(p) => {
                    let uri = p.text_document.uri.as_str().to_string();
                    let encoding = self.encoding;
                    let Some(doc) = self.docs.get_mut(&uri) else {
                        return vec![log(&format!("didChange for a document not open: {uri}"))];
                    };
                    for change in p.content_changes {
                        match change.range {
                            None => doc.text = change.text,
                            Some(range) => {
                                let index = LineIndex::new(&doc.text);
                                let start = convert::offset(&index, range.start, encoding);
                                let end = convert::offset(&index, range.end, encoding);
                                convert::splice(&mut doc.text, start, end, &change.text);
                            }
                        }
                    }
                    doc.version = p.text_document.version;
                    self.refresh(&uri, true)
                }
                Err(e) => vec![log(&format!("didChange: {e}"))],
            },
            "textDocument/didSave" => match parse::<lsp::DidSaveTextDocumentParams>(n.params) {
                Ok(p) => {
                    let uri = p.text_document.uri.as_str().to_string();
                    if let (Some(text), Some(doc)) = (p.text, self.docs.get_mut(&uri)) {
                        doc.text = text;
                    }
                    // A saved file may be a schema file other documents read.
                    let mut out = Vec::new();
                    if let Some(path) = uri_to_path(&uri) {
                        if self.files.contains_key(&path) {
                            out.extend(self.invalidate(&path));
                        }
                    }
                    if self.docs.contains_key(&uri) {
                        out.extend(self.refresh(&uri, true));
                    }
                    out
                }
                Err(e) => vec![log(&format!("didSave: {e}"))],
            },
            "textDocument/didClose" => match parse::<lsp::DidCloseTextDocumentParams>(n.params) {
                Ok(p) => {
                    let uri = p.text_document.uri.as_str().to_string();
                    self.docs.remove(&uri);
                    vec![publish(&uri, Vec::new(), None)]
                }
                Err(e) => vec![log(&format!("didClose: {e}"))],
            },
            "workspace/didChangeConfiguration" => {
                let settings = n.params.get("settings").cloned().unwrap_or(Value::Null);
                let empty = match &settings {
                    Value::Null => true,
                    Value::Object(o) => o.is_empty(),
                    Value::Array(a) => a.is_empty(),
                    _ => false,
                };
                if empty && self.caps.configuration {
                    // The client wants to be asked (the pull model).
                    return vec![self.ask_configuration()];
                }
                self.settings = settings::client_settings(&settings);
                self.refresh_all()
            }
            "workspace/didChangeWatchedFiles" => {
                match parse::<lsp::DidChangeWatchedFilesParams>(n.params) {
                    Ok(p) => {
                        let mut out = Vec::new();
                        for change in p.changes {
                            if let Some(path) = uri_to_path(change.uri.as_str()) {
                                if self.files.contains_key(&path) {
                                    out.extend(self.invalidate(&path));
                                }
                            }
                        }
                        out
                    }
                    Err(e) => vec![log(&format!("didChangeWatchedFiles: {e}"))],
                }
            }
            "workspace/didChangeWorkspaceFolders" => {
                match parse::<lsp::DidChangeWorkspaceFoldersParams>(n.params) {
                    Ok(p) => {
                        for removed in p.event.removed {
                            if let Some(path) = uri_to_path(removed.uri.as_str()) {
                                self.roots.retain(|r| *r != path);
                            }
                        }
                        for added in p.event.added {
                            if let Some(path) = uri_to_path(added.uri.as_str()) {
                                self.roots.push(path);
                            }
                        }
                        self.refresh_all()
                    }
                    Err(e) => vec![log(&format!("didChangeWorkspaceFolders: {e}"))],
                }
            }
            // `$/cancelRequest`, `$/setTrace` and anything else: nothing to do.
            _ => Vec::new(),
        }
    }

    fn response(&mut self, r: Response) -> Vec<Message> {
        match self.pending.remove(&r.id) {
            Some(Pending::Configuration) => {
                if let Some(e) = r.error {
                    return vec![log(&format!(
                        "workspace/configuration failed: {}",
                        e.message
                    ))];
                }
                let first = match r.result {
                    Some(Value::Array(mut items)) if !items.is_empty() => items.swap_remove(0),
                    _ => Value::Null,
                };
                self.settings = settings::client_settings(&first);
                self.refresh_all()
            }
            Some(Pending::Registration) | None => Vec::new(),
        }
    }

    /// `offset_encoding`: clangd's `capabilities.offsetEncoding` extension, which Neovim
    /// before 0.9 sends instead of `general.positionEncodings`; answered in kind.
    fn initialize(&mut self, params: lsp::InitializeParams, offset_encoding: &[String]) -> Value {
        let caps = &params.capabilities;
        let offered: Vec<String> = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .map(|v| v.iter().map(|k| k.as_str().to_string()).collect())
            .unwrap_or_default();
        self.encoding = if offered.iter().chain(offset_encoding).any(|e| e == "utf-8") {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        let workspace = caps.workspace.as_ref();
        self.caps = ClientCaps {
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            watch_registration: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
        };
        if let Some(folders) = &params.workspace_folders {
            self.roots = folders
                .iter()
                .filter_map(|f| uri_to_path(f.uri.as_str()))
                .collect();
        }
        #[allow(deprecated)]
        if self.roots.is_empty() {
            if let Some(root) = params
                .root_uri
                .as_ref()
                .and_then(|u| uri_to_path(u.as_str()))
            {
                self.roots.push(root);
            } else if let Some(root) = &params.root_path {
                self.roots.push(root.replace('\\', "/"));
            }
        }
        if let Some(init) = &params.initialization_options {
            self.had_init_settings = !init.is_null();
            self.settings = settings::client_settings(init);
        }
        let encoding_name = match self.encoding {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 | Encoding::Utf32 => "utf-16",
        };
        let capabilities = lsp::ServerCapabilities {
            position_encoding: Some(lsp::PositionEncodingKind::from(encoding_name.to_string())),
            text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                lsp::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                    will_save: None,
                    will_save_wait_until: None,
                    save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                        lsp::SaveOptions {
                            include_text: Some(false),
                        },
                    )),
                },
            )),
            code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                lsp::CodeActionOptions {
                    code_action_kinds: Some(vec![
                        lsp::CodeActionKind::QUICKFIX,
                        lsp::CodeActionKind::from(FIX_ALL_KIND.to_string()),
                    ]),
                    work_done_progress_options: Default::default(),
                    resolve_provider: Some(false),
                },
            )),
            hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
            workspace: Some(lsp::WorkspaceServerCapabilities {
                workspace_folders: Some(lsp::WorkspaceFoldersServerCapabilities {
                    supported: Some(true),
                    change_notifications: Some(lsp::OneOf::Left(true)),
                }),
                file_operations: None,
            }),
            ..Default::default()
        };
        let result = lsp::InitializeResult {
            capabilities,
            server_info: Some(lsp::ServerInfo {
                name: SOURCE.to_string(),
                version: Some(crate::version().to_string()),
            }),
        };
        let mut value = serde_json::to_value(result).unwrap_or(Value::Null);
        if !offset_encoding.is_empty() {
            value["offsetEncoding"] = json!(encoding_name);
        }
        value
    }

    fn initialized(&mut self) -> Vec<Message> {
        let mut out = Vec::new();
        if self.caps.watch_registration {
            let id = self.new_request_id(Pending::Registration);
            out.push(Message::request(
                id,
                "client/registerCapability",
                json!({
                    "registrations": [{
                        "id": "idemsql-watched-files",
                        "method": "workspace/didChangeWatchedFiles",
                        "registerOptions": {
                            "watchers": [
                                {"globPattern": format!("**/{CONFIG_NAME}")},
                                {"globPattern": "**/*.sql"}
                            ]
                        }
                    }]
                }),
            ));
        }
        if self.caps.configuration && !self.had_init_settings {
            out.push(self.ask_configuration());
        }
        out
    }

    fn new_request_id(&mut self, what: Pending) -> RequestId {
        let id = RequestId::String(format!("idemsql-{}", self.next_id));
        self.next_id += 1;
        self.pending.insert(id.clone(), what);
        id
    }

    fn ask_configuration(&mut self) -> Message {
        let id = self.new_request_id(Pending::Configuration);
        Message::request(
            id,
            "workspace/configuration",
            json!({"items": [{"section": SOURCE}]}),
        )
    }

    /// Forget a file read before and check again every document.
    fn invalidate(&mut self, path: &str) -> Vec<Message> {
        self.files.remove(path);
        self.refresh_all()
    }

    fn want(&mut self, path: &str) {
        if !self.files.contains_key(path) && self.asked.insert(path.to_string()) {
            self.queue.push(path.to_string());
        }
    }

    /// The file's contents, `Err(())` while it is not known yet (and then it is asked for).
    fn file(&mut self, path: &str) -> Result<Option<String>, ()> {
        match self.files.get(path) {
            Some(c) => Ok(c.clone()),
            None => {
                self.want(path);
                Err(())
            }
        }
    }

    /// The workspace folder holding `path`, or else the first folder.
    fn root_for(&self, path: Option<&str>) -> Option<String> {
        path.and_then(|p| {
            self.roots
                .iter()
                .filter(|r| convert::is_inside(p, r))
                .max_by_key(|r| r.len())
                .cloned()
        })
        .or_else(|| self.roots.first().cloned())
    }

    /// The options for a document at `path`: the nearest `idemsql.toml` (from the document's
    /// directory up), its schema files, then the client's settings over them.
    fn resolve(&mut self, path: Option<&str>) -> Resolved {
        let root = self.root_for(path);
        let start_dir = match path {
            Some(p) => convert::parent_dir(p).map(str::to_string),
            None => root.clone(),
        };
        let mut waiting = false;
        let mut base = Options::default();
        let mut dir = start_dir;
        while let Some(d) = dir {
            let candidate = convert::join(&d, CONFIG_NAME);
            match self.file(&candidate) {
                Err(()) => waiting = true,
                Ok(None) => {}
                Ok(Some(text)) => {
                    if waiting {
                        break;
                    }
                    base = match Options::from_toml(&text) {
                        Ok(o) => o,
                        Err(e) => return Resolved::Failed(format!("{candidate}: {e}")),
                    };
                    for f in std::mem::take(&mut base.schema_files) {
                        let p = convert::join(&d, &f);
                        match self.file(&p) {
                            Err(()) => waiting = true,
                            Ok(None) => {
                                return Resolved::Failed(format!(
                                    "{p} (schema-files in {candidate}) could not be read"
                                ));
                            }
                            Ok(Some(ddl)) => {
                                base.schema.push_str(&ddl);
                                base.schema.push_str("\n;\n");
                            }
                        }
                    }
                    break;
                }
            }
            dir = convert::parent_dir(&d).map(str::to_string);
        }
        let client = match &self.settings {
            Ok(s) => s.clone(),
            Err(e) => return Resolved::Failed(format!("editor settings: {e}")),
        };
        let names = match settings::schema_files(&client) {
            Ok(n) => n,
            Err(e) => return Resolved::Failed(format!("editor settings: {e}")),
        };
        let base_dir = root
            .clone()
            .or_else(|| path.and_then(convert::parent_dir).map(str::to_string))
            .unwrap_or_else(|| "/".into());
        let mut extra = String::new();
        for name in names {
            let p = convert::join(&base_dir, &name);
            match self.file(&p) {
                Err(()) => waiting = true,
                Ok(None) => {
                    return Resolved::Failed(format!(
                        "{p} (schemaFiles in the editor settings) could not be read"
                    ));
                }
                Ok(Some(ddl)) => {
                    if !extra.is_empty() {
                        extra.push_str("\n;\n");
                    }
                    extra.push_str(&ddl);
                }
            }
        }
        if waiting {
            return Resolved::Waiting;
        }
        match settings::overlay(&base, &client, &extra) {
            Ok(o) => Resolved::Ready(o),
            Err(e) => Resolved::Failed(format!("editor settings: {e}")),
        }
    }

    fn refresh_all(&mut self) -> Vec<Message> {
        let uris: Vec<String> = self.docs.keys().cloned().collect();
        uris.iter().flat_map(|u| self.refresh(u, false)).collect()
    }

    /// Check a document again; publish its diagnostics when `force` or when they changed.
    fn refresh(&mut self, uri: &str, force: bool) -> Vec<Message> {
        let Some(path) = self.docs.get(uri).map(|d| d.path.clone()) else {
            return Vec::new();
        };
        let resolved = self.resolve(path.as_deref());
        let encoding = self.encoding;
        let mut out = Vec::new();
        let Some(doc) = self.docs.get_mut(uri) else {
            return out;
        };
        let (diagnostics, options, failure) = match resolved {
            Resolved::Waiting => return out,
            Resolved::Ready(options) => match guarded(|| crate::check(&doc.text, &options)) {
                Ok(d) => (d, Some(options), None),
                Err(e) => (Vec::new(), None, Some(e)),
            },
            Resolved::Failed(e) => (Vec::new(), None, Some(e)),
        };
        let index = LineIndex::new(&doc.text);
        let lsp_diagnostics: Vec<lsp::Diagnostic> = diagnostics
            .iter()
            .map(|d| to_lsp(d, &index, encoding))
            .collect();
        doc.diagnostics = diagnostics;
        doc.options = options;
        if force || doc.published.as_ref() != Some(&lsp_diagnostics) {
            out.push(publish(uri, lsp_diagnostics.clone(), Some(doc.version)));
            doc.published = Some(lsp_diagnostics);
        }
        if let Some(message) = failure {
            let message = format!("idemsql: {message}");
            if self.shown.insert(message.clone()) {
                out.push(Message::notification(
                    "window/showMessage",
                    json!({"type": 1, "message": message}),
                ));
            }
        }
        out
    }

    fn workspace_edit(&self, uri: &str, doc: &Document, edits: &[Edit]) -> Value {
        let index = LineIndex::new(&doc.text);
        let text_edits: Vec<lsp::TextEdit> = edits
            .iter()
            .map(|e| lsp::TextEdit {
                range: convert::range(&index, crate::Span::new(e.start, e.end), self.encoding),
                new_text: e.text.clone(),
            })
            .collect();
        if self.caps.document_changes {
            json!({
                "documentChanges": [{
                    "textDocument": {"uri": uri, "version": doc.version},
                    "edits": text_edits,
                }]
            })
        } else {
            json!({ "changes": { uri: text_edits } })
        }
    }

    fn code_actions(&self, p: lsp::CodeActionParams) -> Value {
        let uri = p.text_document.uri.as_str();
        let Some(doc) = self.docs.get(uri) else {
            return Value::Null;
        };
        let wants = |kind: &str| match &p.context.only {
            None => true,
            Some(only) => only.iter().any(|k| {
                let k = k.as_str();
                kind == k
                    || kind
                        .strip_prefix(k)
                        .is_some_and(|rest| rest.starts_with('.'))
            }),
        };
        let index = LineIndex::new(&doc.text);
        let mut actions = Vec::new();
        if wants(lsp::CodeActionKind::QUICKFIX.as_str()) {
            for d in &doc.diagnostics {
                let range = convert::range(&index, d.span, self.encoding);
                if !convert::touches(&range, &p.range) {
                    continue;
                }
                let lsp_diagnostic = to_lsp(d, &index, self.encoding);
                if let Some(fix) = &d.fix {
                    actions.push(json!({
                        "title": format!("{} ({})", fix.message, d.code),
                        "kind": "quickfix",
                        "diagnostics": [lsp_diagnostic],
                        "isPreferred": true,
                        "edit": self.workspace_edit(uri, doc, &fix.edits),
                    }));
                }
                if let Some(edit) = doc
                    .options
                    .as_ref()
                    .and_then(|o| ignore_edit(&doc.text, d, o))
                {
                    actions.push(json!({
                        "title": format!("Ignore {} for this statement", d.code),
                        "kind": "quickfix",
                        "diagnostics": [lsp_diagnostic],
                        "edit": self.workspace_edit(uri, doc, std::slice::from_ref(&edit)),
                    }));
                }
            }
        }
        if wants(FIX_ALL_KIND) {
            if let Some(options) = &doc.options {
                if let Ok(fixed) = guarded(|| crate::fix(&doc.text, options)) {
                    if !fixed.edits.is_empty() {
                        actions.push(json!({
                            "title": "idemsql: fix all",
                            "kind": FIX_ALL_KIND,
                            "edit": self.workspace_edit(uri, doc, &fixed.edits),
                        }));
                    }
                }
            }
        }
        Value::Array(actions)
    }

    fn hover(&self, p: lsp::HoverParams) -> Value {
        let pos = p.text_document_position_params;
        let Some(doc) = self.docs.get(pos.text_document.uri.as_str()) else {
            return Value::Null;
        };
        let index = LineIndex::new(&doc.text);
        let at = convert::offset(&index, pos.position, self.encoding);
        let found: Vec<&Diagnostic> = doc
            .diagnostics
            .iter()
            .filter(|d| d.span.start <= at && at <= d.span.end)
            .collect();
        if found.is_empty() {
            return Value::Null;
        }
        let mut sections = Vec::new();
        for d in &found {
            let mut s = format!("**{} {}** ({}): {}", SOURCE, d.code, d.name, d.message);
            if let Some(h) = &d.help {
                if d.fix.as_ref().is_none_or(|f| f.message != *h) {
                    s.push_str(&format!("\n\nhelp: {h}"));
                }
            }
            if let Some(fix) = &d.fix {
                let rewritten = rewritten_statement(&doc.text, d.span, &fix.edits);
                s.push_str(&format!(
                    "\n\n{}:\n\n```sql\n{}\n```",
                    fix.message, rewritten
                ));
            }
            s.push_str(&format!("\n\n[{} documentation]({})", d.name, d.url));
            sections.push(s);
        }
        let start = found.iter().map(|d| d.span.start).min().unwrap_or(at);
        let end = found.iter().map(|d| d.span.end).max().unwrap_or(at);
        json!({
            "contents": {"kind": "markdown", "value": sections.join("\n\n---\n\n")},
            "range": convert::range(&index, crate::Span::new(start, end), self.encoding),
        })
    }
}

/// Run a library call; an error or a panic becomes a message, so one bad input does not take
/// the editor's server down. (Natively a panic unwinds to here; in WebAssembly it aborts.)
fn guarded<T>(f: impl FnOnce() -> Result<T, crate::Error>) -> Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown panic");
            Err(format!(
                "internal error while checking this file ({what}); please report it with the file"
            ))
        }
    }
}

fn parse<T: DeserializeOwned>(params: Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|e| e.to_string())
}

fn log(message: &str) -> Message {
    Message::notification(
        "window/logMessage",
        json!({"type": 3, "message": format!("idemsql: {message}")}),
    )
}

fn publish(uri: &str, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) -> Message {
    let mut params = json!({"uri": uri, "diagnostics": diagnostics});
    if let Some(v) = version {
        params["version"] = json!(v);
    }
    Message::notification("textDocument/publishDiagnostics", params)
}

/// The LSP form of a diagnostic.
fn to_lsp(d: &Diagnostic, index: &LineIndex, encoding: Encoding) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    lsp::Diagnostic {
        range: convert::range(index, d.span, encoding),
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: lsp::Uri::from_str(&d.url)
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: None,
        tags: None,
        data: Some(json!({"name": d.name, "fixable": d.fix.is_some()})),
    }
}

/// The statement of a diagnostic with its fix applied: the text from the start of the span
/// (or the first edit) to the end of the span (or the last edit).
pub(crate) fn rewritten_statement(text: &str, span: crate::Span, edits: &[Edit]) -> String {
    let start = edits.iter().map(|e| e.start).fold(span.start, usize::min);
    let end = edits.iter().map(|e| e.end).fold(span.end, usize::max);
    let (start, end) = (start.min(text.len()), end.min(text.len()));
    let Some(region) = text.get(start..end) else {
        return String::new();
    };
    let shifted: Vec<Edit> = edits
        .iter()
        .map(|e| Edit {
            start: e.start - start,
            end: e.end - start,
            text: e.text.clone(),
        })
        .collect();
    crate::apply_edits(region, &shifted)
}

/// An edit that puts `-- idemsql: ignore(CODE)` on its own line before the statement holding
/// the diagnostic.
fn ignore_edit(text: &str, d: &Diagnostic, options: &Options) -> Option<Edit> {
    let lex = options.dialect.caps().lex;
    let chunk = split::split(text, lex)
        .into_iter()
        .find(|c| c.leading.start <= d.span.start && d.span.start <= c.span.end)?;
    let at = chunk.span.start;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    let directive = format!("-- idemsql: ignore({})", d.code);
    let new_text = if before.chars().all(char::is_whitespace) {
        format!("{directive}\n{before}")
    } else {
        format!("\n{directive}\n")
    };
    Some(Edit {
        start: at,
        end: at,
        text: new_text,
    })
}
