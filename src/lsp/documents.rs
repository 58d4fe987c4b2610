//! Open documents: `didOpen`, `didChange`, `didSave` and `didClose`, and checking a document
//! again and publishing its diagnostics.

use lsp_types as lsp;
use serde_json::json;

use super::config::Resolved;
use super::convert::{self, uri_to_path};
use super::message::Message;
use super::server::{Document, Server, guarded, log};
use crate::text::line_index::LineIndex;

impl Server {
    pub(super) fn did_open(&mut self, p: lsp::DidOpenTextDocumentParams) -> Vec<Message> {
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

    /// Changes are whole texts or ranges in the agreed encoding, applied in order.
    pub(super) fn did_change(&mut self, p: lsp::DidChangeTextDocumentParams) -> Vec<Message> {
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

    pub(super) fn did_save(&mut self, p: lsp::DidSaveTextDocumentParams) -> Vec<Message> {
        let uri = p.text_document.uri.as_str().to_string();
        if let (Some(text), Some(doc)) = (p.text, self.docs.get_mut(&uri)) {
            doc.text = text;
        }
        // A saved file may be a schema file other documents read.
        let mut out = Vec::new();
        if let Some(path) = uri_to_path(&uri) {
            out.extend(self.file_changed(&path));
        }
        if self.docs.contains_key(&uri) {
            out.extend(self.refresh(&uri, true));
        }
        out
    }

    /// A closed document's diagnostics are cleared.
    pub(super) fn did_close(&mut self, p: lsp::DidCloseTextDocumentParams) -> Vec<Message> {
        let uri = p.text_document.uri.as_str().to_string();
        self.docs.remove(&uri);
        vec![publish(&uri, Vec::new(), None)]
    }

    /// Check every open document again; publish only what changed.
    pub(super) fn refresh_all(&mut self) -> Vec<Message> {
        let uris: Vec<String> = self.docs.keys().cloned().collect();
        uris.iter().flat_map(|u| self.refresh(u, false)).collect()
    }

    /// Check a document again; publish its diagnostics when `force` or when they changed.
    /// A document whose options wait for files is left as it is until they arrive.
    pub(super) fn refresh(&mut self, uri: &str, force: bool) -> Vec<Message> {
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
            Resolved::Ready(options) => {
                match guarded(|| super::check_document(uri, &doc.text, &options)) {
                    Ok(d) => (d, Some(options), None),
                    Err(e) => (Vec::new(), None, Some(e)),
                }
            }
            Resolved::Failed(e) => (Vec::new(), None, Some(e)),
        };
        let index = LineIndex::new(&doc.text);
        let lsp_diagnostics: Vec<lsp::Diagnostic> = diagnostics
            .iter()
            .map(|d| convert::to_lsp(d, &index, encoding))
            .collect();
        doc.diagnostics = diagnostics;
        doc.options = options;
        if force || doc.published.as_ref() != Some(&lsp_diagnostics) {
            out.push(publish(uri, lsp_diagnostics.clone(), Some(doc.version)));
            doc.published = Some(lsp_diagnostics);
        }
        if let Some(message) = failure {
            out.extend(self.show_once(&format!("idemsql: {message}")));
        }
        out
    }

    /// A `window/showMessage` (error) the first time `message` comes up: a broken setting
    /// would otherwise be shown again at every keystroke.
    fn show_once(&mut self, message: &str) -> Option<Message> {
        self.shown.insert(message.to_string()).then(|| {
            Message::notification("window/showMessage", json!({"type": 1, "message": message}))
        })
    }
}

fn publish(uri: &str, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) -> Message {
    let mut params = json!({"uri": uri, "diagnostics": diagnostics});
    if let Some(v) = version {
        params["version"] = json!(v);
    }
    Message::notification("textDocument/publishDiagnostics", params)
}
