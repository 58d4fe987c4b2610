//! The server's state and its one entry point, [`Server::handle`], which hands each message
//! to the handler of its kind: the life cycle (`lifecycle.rs`), open documents
//! (`documents.rs`), the workspace and the files the server reads (`workspace.rs`), code
//! actions (`actions.rs`) and hovers (`hover.rs`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use lsp_types as lsp;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::message::{Message, Notification, Request, RequestId, Response, error_code};
use crate::diagnostic::Diagnostic;
use crate::settings::options::Options;
use crate::text::line_index::Encoding;

/// Where the server is in the protocol's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    Uninitialized,
    Running,
    ShutDown,
}

/// What a request the server sent to the client was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pending {
    Configuration,
    Registration,
}

/// What the client can do, as far as the server cares.
#[derive(Debug, Clone, Default)]
pub(super) struct ClientCaps {
    pub(super) document_changes: bool,
    pub(super) configuration: bool,
    pub(super) watch_registration: bool,
}

/// An open document.
#[derive(Debug, Clone)]
pub(super) struct Document {
    pub(super) text: String,
    pub(super) version: i32,
    /// The path of a `file:` document.
    pub(super) path: Option<String>,
    /// The options the last check ran with.
    pub(super) options: Option<Options>,
    /// The diagnostics of the last check, for code actions and hover.
    pub(super) diagnostics: Vec<Diagnostic>,
    /// What was last published, to publish again only on change.
    pub(super) published: Option<Vec<lsp::Diagnostic>>,
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
    pub(super) phase: Phase,
    pub(super) encoding: Encoding,
    pub(super) caps: ClientCaps,
    /// Workspace folder paths.
    pub(super) roots: Vec<String>,
    /// Client settings, camelCase, or why they could not be read.
    pub(super) settings: Result<Map<String, Value>, String>,
    /// Whether `initializationOptions` carried settings.
    pub(super) had_init_settings: bool,
    pub(super) docs: BTreeMap<String, Document>,
    /// Files read so far (`None`: absent or unreadable).
    pub(super) files: BTreeMap<String, Option<String>>,
    /// Files asked for and not answered yet.
    pub(super) asked: BTreeSet<String>,
    /// Files to ask for at the next [`Server::file_requests`].
    pub(super) queue: Vec<String>,
    next_id: i64,
    pending: HashMap<RequestId, Pending>,
    /// Error messages already shown, so each is shown once.
    pub(super) shown: BTreeSet<String>,
    pub(super) exit_code: Option<i32>,
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

    /// Handle one incoming message; return the messages to send, in order.
    pub fn handle(&mut self, message: Message) -> Vec<Message> {
        match message {
            Message::Request(r) => self.request(r),
            Message::Notification(n) => self.notification(n),
            Message::Response(r) => self.response(r),
        }
    }

    /// A request is answered in every phase: with its result while running, with an error
    /// before `initialize` and after `shutdown`.
    fn request(&mut self, r: Request) -> Vec<Message> {
        let Request { id, method, params } = r;
        match (self.phase, method.as_str()) {
            (Phase::Uninitialized, "initialize") => self.initialize(id, params),
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
            (Phase::Running, "shutdown") => self.shutdown(id),
            (Phase::Running, "textDocument/codeAction") => {
                answer(id, params, |p| self.code_actions(p))
            }
            (Phase::Running, "textDocument/hover") => answer(id, params, |p| self.hover(p)),
            (Phase::Running, method) => vec![Message::error(
                id,
                error_code::METHOD_NOT_FOUND,
                format!("idemsql does not handle `{method}`"),
            )],
        }
    }

    /// Notifications other than `exit` count only while the server runs.
    fn notification(&mut self, n: Notification) -> Vec<Message> {
        let Notification { method, params } = n;
        if method == "exit" {
            return self.exit();
        }
        if self.phase != Phase::Running {
            return Vec::new();
        }
        match method.as_str() {
            "initialized" => self.initialized(),
            "textDocument/didOpen" => self.notified("didOpen", params, Self::did_open),
            "textDocument/didChange" => self.notified("didChange", params, Self::did_change),
            "textDocument/didSave" => self.notified("didSave", params, Self::did_save),
            "textDocument/didClose" => self.notified("didClose", params, Self::did_close),
            "workspace/didChangeConfiguration" => self.did_change_configuration(params),
            "workspace/didChangeWatchedFiles" => self.notified(
                "didChangeWatchedFiles",
                params,
                Self::did_change_watched_files,
            ),
            "workspace/didChangeWorkspaceFolders" => self.notified(
                "didChangeWorkspaceFolders",
                params,
                Self::did_change_workspace_folders,
            ),
            // `$/cancelRequest`, `$/setTrace` and anything else: nothing to do.
            _ => Vec::new(),
        }
    }

    /// Run a notification's handler on its parameters; parameters that do not fit are
    /// logged under the notification's `name`, since a notification has no answer to carry
    /// the error.
    fn notified<P: DeserializeOwned>(
        &mut self,
        name: &str,
        params: Value,
        handler: fn(&mut Self, P) -> Vec<Message>,
    ) -> Vec<Message> {
        match parse::<P>(params) {
            Ok(p) => handler(self, p),
            Err(e) => vec![log(&format!("{name}: {e}"))],
        }
    }

    /// The client's answer to a request the server sent.
    fn response(&mut self, r: Response) -> Vec<Message> {
        match self.pending.remove(&r.id) {
            Some(Pending::Configuration) => self.configuration_answered(r),
            Some(Pending::Registration) | None => Vec::new(),
        }
    }

    /// A fresh id for a request to the client, remembered with what it is for.
    pub(super) fn new_request_id(&mut self, what: Pending) -> RequestId {
        let id = RequestId::String(format!("idemsql-{}", self.next_id));
        self.next_id += 1;
        self.pending.insert(id.clone(), what);
        id
    }
}

/// Answer a request with its handler's result; parameters that do not fit are an
/// `INVALID_PARAMS` error.
fn answer<P: DeserializeOwned>(
    id: RequestId,
    params: Value,
    handler: impl FnOnce(P) -> Value,
) -> Vec<Message> {
    match parse::<P>(params) {
        Ok(p) => vec![Message::ok(id, handler(p))],
        Err(e) => vec![Message::error(id, error_code::INVALID_PARAMS, e)],
    }
}

/// A message's parameters as the `lsp-types` struct of its method.
pub(super) fn parse<T: DeserializeOwned>(params: Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|e| e.to_string())
}

/// A `window/logMessage` (info): for what the user need not see.
pub(super) fn log(message: &str) -> Message {
    Message::notification(
        "window/logMessage",
        json!({"type": 3, "message": format!("idemsql: {message}")}),
    )
}

/// Run a library call; an error or a panic becomes a message, so one bad input does not take
/// the editor's server down. (Natively a panic unwinds to here; in WebAssembly it aborts.)
pub(super) fn guarded<T>(f: impl FnOnce() -> Result<T, crate::Error>) -> Result<T, String> {
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
