//! The WebAssembly adapter of the language server's core (feature `wasm-lsp`), behind the npm
//! package's `idemsql/lsp` entry point and the VS Code extension (`editors/vscode`).
//!
//! A thin shell over [`crate::lsp::Server`], as `idemsql server` is natively: JSON-RPC messages
//! cross the boundary as JSON text (one string each way per message), and the files the core
//! needs (`idemsql.toml`, schema files) are asked for with `fileRequests()` and answered with
//! `provideFile()`, since WebAssembly reads no files. Positions are the core's: UTF-16 unless
//! the client offers UTF-8.
//!
//! It is a separate `.wasm` from the one of `src/wasm.rs` (the `lsp-types` structs and their
//! serde code do not fit in that module's size budget), so it installs its own panic hook when
//! that adapter is not in the same build. The TypeScript declarations are hand-written in
//! `pkg/lsp.d.ts`; the JS wrapper is `pkg/src/lsp-core.js`.

use wasm_bindgen::prelude::*;

use crate::lsp::{Message, Server};

/// Installs the panic hook when the module is instantiated (see `src/wasm.rs`, which does the
/// same when both adapters are built together).
#[cfg(not(feature = "wasm"))]
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        // Built with panic = "abort", a panic would trap with a bare "unreachable"; throwing
        // a JS Error carries the message out. The instance is unusable after that: the JS
        // wrapper (pkg/src/lsp-core.js) starts a fresh one for the next server.
        wasm_bindgen::throw_str(&format!("idemsql panicked: {info}"));
    }));
}

/// Panics on purpose: the package's tests use it to prove that a crash of the core reaches
/// JavaScript as an Error and that a new server works afterwards. Not part of the public API.
#[cfg(not(feature = "wasm"))]
#[wasm_bindgen(js_name = __panicForTesting)]
pub fn panic_for_testing() {
    panic!("deliberate panic for testing");
}

/// The language server's core: LSP messages in, LSP messages out, no I/O.
#[wasm_bindgen(js_name = LanguageServer)]
pub struct LanguageServer {
    server: Server,
}

impl Default for LanguageServer {
    fn default() -> Self {
        LanguageServer::new()
    }
}

#[wasm_bindgen(js_class = LanguageServer)]
impl LanguageServer {
    /// A server waiting for `initialize`.
    #[wasm_bindgen(constructor)]
    pub fn new() -> LanguageServer {
        LanguageServer {
            server: Server::new(),
        }
    }

    /// Handle one incoming JSON-RPC message (its JSON text); returns the messages to send
    /// back, in order, as JSON texts. Throws a `TypeError` when the text is not a JSON-RPC
    /// message.
    pub fn handle(&mut self, message: &str) -> Result<Vec<String>, JsValue> {
        let message =
            read_message(message).map_err(|m| JsValue::from(js_sys::TypeError::new(&m)))?;
        Ok(to_json(self.server.handle(message)))
    }

    /// Paths of files the server needs, each asked for once; answer each with
    /// [`provide_file`](Self::provide_file).
    #[wasm_bindgen(js_name = fileRequests)]
    pub fn file_requests(&mut self) -> Vec<String> {
        self.server.file_requests()
    }

    /// The text of a file the server asked for, or `None` (`null`, `undefined`) when it does
    /// not exist or cannot be read. Returns the messages to send because of it.
    #[wasm_bindgen(js_name = provideFile)]
    pub fn provide_file(&mut self, path: &str, contents: Option<String>) -> Vec<String> {
        to_json(self.server.provide_file(path, contents))
    }

    /// After the `exit` notification: 0 after a `shutdown` request, 1 without one;
    /// `undefined` while the server runs.
    #[wasm_bindgen(getter, js_name = exitCode)]
    pub fn exit_code(&self) -> Option<i32> {
        self.server.exit_code()
    }
}

/// A message from its JSON text, with an error that says what is wrong.
fn read_message(text: &str) -> Result<Message, String> {
    Message::from_json(text).map_err(|e| format!("not a JSON-RPC message: {e}"))
}

fn to_json(messages: Vec<Message>) -> Vec<String> {
    messages.iter().map(Message::to_json).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn parse(texts: &[String]) -> Vec<Value> {
        texts
            .iter()
            .map(|t| serde_json::from_str(t).unwrap())
            .collect()
    }

    #[test]
    fn messages_round_trip_as_json_text() {
        let mut s = LanguageServer::new();
        let out = parse(
            &s.handle(
                r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
            )
            .unwrap(),
        );
        assert_eq!(out[0]["jsonrpc"], "2.0");
        assert_eq!(out[0]["id"], 1);
        assert_eq!(
            out[0]["result"]["capabilities"]["positionEncoding"],
            "utf-16"
        );
        s.handle(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#)
            .unwrap();
        let open = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": "file:///w/a.sql", "languageId": "sql", "version": 1,
                             "text": "INSERT INTO t (id) VALUES (1);"}}});
        // The core waits for the configuration candidates before it checks.
        assert!(s.handle(&open.to_string()).unwrap().is_empty());
        let wanted = s.file_requests();
        assert_eq!(
            wanted,
            vec![
                "/w/idemsql.toml",
                "/w/pyproject.toml",
                "/idemsql.toml",
                "/pyproject.toml"
            ]
        );
        let mut out = Vec::new();
        for p in wanted {
            out.extend(parse(&s.provide_file(&p, None)));
        }
        assert_eq!(out.len(), 1);
        assert_eq!(out[0]["method"], "textDocument/publishDiagnostics");
        assert_eq!(out[0]["params"]["diagnostics"][0]["code"], "IDEM001");
        assert_eq!(s.exit_code(), None);
        s.handle(r#"{"jsonrpc":"2.0","method":"exit"}"#).unwrap();
        assert_eq!(s.exit_code(), Some(1));
    }

    #[test]
    fn unreadable_messages_are_errors() {
        assert!(
            read_message("{")
                .unwrap_err()
                .starts_with("not a JSON-RPC message")
        );
        assert!(read_message(r#"{"jsonrpc":"2.0"}"#).is_err());
        assert!(read_message("42").is_err());
    }
}
