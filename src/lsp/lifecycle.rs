//! The protocol's life cycle: `initialize` (what the client can do, what the server offers),
//! `initialized`, `shutdown` and `exit`.

use lsp_types as lsp;
use serde_json::{Value, json};

use super::convert::uri_to_path;
use super::message::{Message, RequestId, error_code};
use super::server::{ClientCaps, Pending, Phase, Server, parse};
use super::settings;
use super::{FIX_ALL_KIND, SOURCE};
use crate::settings::config::config_file_names;
use crate::text::line_index::Encoding;

impl Server {
    /// `initialize`: read the client's capabilities, workspace folders and settings; answer
    /// with the server's capabilities.
    pub(super) fn initialize(&mut self, id: RequestId, params: Value) -> Vec<Message> {
        let offset_encoding: Vec<String> = params["capabilities"]["offsetEncoding"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        match parse::<lsp::InitializeParams>(params) {
            Ok(params) => {
                let result = self.initialize_with(params, &offset_encoding);
                self.phase = Phase::Running;
                vec![Message::ok(id, result)]
            }
            Err(e) => vec![Message::error(id, error_code::INVALID_PARAMS, e)],
        }
    }

    /// `offset_encoding`: clangd's `capabilities.offsetEncoding` extension, which Neovim
    /// before 0.9 sends instead of `general.positionEncodings`; answered in kind.
    fn initialize_with(
        &mut self,
        params: lsp::InitializeParams,
        offset_encoding: &[String],
    ) -> Value {
        self.encoding = negotiate_encoding(&params.capabilities, offset_encoding);
        self.caps = client_caps(&params.capabilities);
        self.roots = workspace_roots(&params);
        if let Some(init) = &params.initialization_options {
            self.had_init_settings = !init.is_null();
            self.settings = settings::client_settings(init);
        }
        let encoding_name = match self.encoding {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 | Encoding::Utf32 => "utf-16",
        };
        let result = lsp::InitializeResult {
            capabilities: server_capabilities(encoding_name),
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

    /// `initialized`: watch the configuration and SQL files, and ask for the settings when
    /// the client would rather be asked than send them.
    pub(super) fn initialized(&mut self) -> Vec<Message> {
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
                        "registerOptions": {"watchers": watchers()}
                    }]
                }),
            ));
        }
        if self.caps.configuration && !self.had_init_settings {
            out.push(self.ask_configuration());
        }
        out
    }

    /// `shutdown`: answer no more requests, and exit with 0 at `exit`.
    pub(super) fn shutdown(&mut self, id: RequestId) -> Vec<Message> {
        self.phase = Phase::ShutDown;
        vec![Message::ok(id, Value::Null)]
    }

    /// `exit`: 0 after a `shutdown` request, 1 without one.
    pub(super) fn exit(&mut self) -> Vec<Message> {
        self.exit_code = Some(if self.phase == Phase::ShutDown { 0 } else { 1 });
        Vec::new()
    }
}

/// UTF-8 when the client offers it (`general.positionEncodings` or clangd's
/// `offsetEncoding`), else UTF-16, which every client supports.
fn negotiate_encoding(caps: &lsp::ClientCapabilities, offset_encoding: &[String]) -> Encoding {
    let offered: Vec<String> = caps
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .map(|v| v.iter().map(|k| k.as_str().to_string()).collect())
        .unwrap_or_default();
    if offered.iter().chain(offset_encoding).any(|e| e == "utf-8") {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

fn client_caps(caps: &lsp::ClientCapabilities) -> ClientCaps {
    let workspace = caps.workspace.as_ref();
    ClientCaps {
        document_changes: workspace
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false),
        configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
        watch_registration: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
    }
}

/// The workspace folders' paths; for an older client, its `rootUri` or `rootPath`.
fn workspace_roots(params: &lsp::InitializeParams) -> Vec<String> {
    let mut roots: Vec<String> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| uri_to_path(f.uri.as_str()))
        .collect();
    #[allow(deprecated)]
    if roots.is_empty() {
        if let Some(root) = params
            .root_uri
            .as_ref()
            .and_then(|u| uri_to_path(u.as_str()))
        {
            roots.push(root);
        } else if let Some(root) = &params.root_path {
            roots.push(root.replace('\\', "/"));
        }
    }
    roots
}

/// The files whose changes the server wants to hear of: the configuration files and SQL
/// (which may be a schema file another document reads).
fn watchers() -> Vec<Value> {
    config_file_names()
        .map(|name| json!({"globPattern": format!("**/{name}")}))
        .chain([json!({"globPattern": "**/*.sql"})])
        .collect()
}

fn server_capabilities(encoding_name: &str) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
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
    }
}
