//! The language server's core (feature `lsp`): LSP messages in, LSP messages out.
//!
//! [`Server`] holds the open documents and settings and turns each incoming [`Message`] into
//! the messages to send back: `textDocument/publishDiagnostics` on open, change and save,
//! quick fixes and `source.fixAll.idemsql` code actions, and hovers that show a statement's
//! rewrite. It does no I/O, so the same core runs natively (`idemsql server`, over stdio) and
//! in WebAssembly (a web worker); the files it needs are asked for through
//! [`Server::file_requests`] and handed in with [`Server::provide_file`].
//!
//! Settings are the fields of [`Options`](crate::Options): from the nearest `idemsql.toml`
//! above the document (with its `schemaFiles`), then the client's settings over them
//! (`initializationOptions`, `workspace/didChangeConfiguration`, or `workspace/configuration`
//! for the section `idemsql`), merged the way the CLI's flags go over the file.
//!
//! Positions are UTF-16 unless the client offers UTF-8 (`general.positionEncodings`, or
//! clangd's `offsetEncoding`).

mod convert;
mod message;
mod server;
mod settings;

pub use convert::uri_to_path;
pub use message::{Message, Notification, Request, RequestId, Response, ResponseError, error_code};
pub use server::{CONFIG_NAME, FIX_ALL_KIND, SOURCE, Server};
