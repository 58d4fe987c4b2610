//! The workspace: the client's settings (pushed with `didChangeConfiguration` or pulled with
//! `workspace/configuration`), watched files, workspace folders, and the files the server
//! asks the transport for ([`Server::file_requests`], [`Server::provide_file`]).

use lsp_types as lsp;
use serde_json::{Value, json};

use super::SOURCE;
use super::convert::uri_to_path;
use super::message::{Message, Response};
use super::server::{Pending, Server, log};
use super::settings;
use crate::settings::config::FileText;

impl Server {
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

    /// A file's text as far as the server knows it; a file not known yet is asked for (once)
    /// and is [`FileText::Pending`] until it arrives.
    pub(super) fn file(&mut self, path: &str) -> FileText {
        match self.files.get(path) {
            Some(Some(text)) => FileText::Text(text.clone()),
            Some(None) => FileText::Missing(None),
            None => {
                if self.asked.insert(path.to_string()) {
                    self.queue.push(path.to_string());
                }
                FileText::Pending
            }
        }
    }

    /// A file changed on disk: when the server had read it, forget it and check every
    /// document again (which asks for it anew).
    pub(super) fn file_changed(&mut self, path: &str) -> Vec<Message> {
        if self.files.remove(path).is_some() {
            self.refresh_all()
        } else {
            Vec::new()
        }
    }

    /// New settings pushed by the client; empty ones mean "ask me" (the pull model) when the
    /// client can be asked.
    pub(super) fn did_change_configuration(&mut self, params: Value) -> Vec<Message> {
        let settings = params.get("settings").cloned().unwrap_or(Value::Null);
        let empty = match &settings {
            Value::Null => true,
            Value::Object(o) => o.is_empty(),
            Value::Array(a) => a.is_empty(),
            _ => false,
        };
        if empty && self.caps.configuration {
            return vec![self.ask_configuration()];
        }
        self.settings = settings::client_settings(&settings);
        self.refresh_all()
    }

    pub(super) fn did_change_watched_files(
        &mut self,
        p: lsp::DidChangeWatchedFilesParams,
    ) -> Vec<Message> {
        let mut out = Vec::new();
        for change in p.changes {
            if let Some(path) = uri_to_path(change.uri.as_str()) {
                out.extend(self.file_changed(&path));
            }
        }
        out
    }

    /// Folders change which `idemsql.toml` and schema files a document reads.
    pub(super) fn did_change_workspace_folders(
        &mut self,
        p: lsp::DidChangeWorkspaceFoldersParams,
    ) -> Vec<Message> {
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

    /// Ask the client for the `idemsql` settings section.
    pub(super) fn ask_configuration(&mut self) -> Message {
        let id = self.new_request_id(Pending::Configuration);
        Message::request(
            id,
            "workspace/configuration",
            json!({"items": [{"section": SOURCE}]}),
        )
    }

    /// The answer to [`Server::ask_configuration`]: one settings object per item asked for.
    pub(super) fn configuration_answered(&mut self, r: Response) -> Vec<Message> {
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
}
