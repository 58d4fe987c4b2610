//! The language server's core (feature `lsp`): LSP messages in, LSP messages out.
//!
//! This folder owns the protocol: the JSON-RPC messages (`message.rs`), the server's state and
//! dispatch (`server.rs`), one file per kind of request or notification (`lifecycle.rs`,
//! `documents.rs`, `workspace.rs`, `actions.rs`, `hover.rs`), the editor settings
//! (`settings.rs`) and how they and `idemsql.toml` become a document's options (`config.rs`),
//! and the conversions between the library's offsets and diagnostics and LSP's
//! (`convert.rs`). It may not do I/O (no files, clock, environment or threads: the same core
//! runs natively, `idemsql server` over stdio, and in WebAssembly, in a web worker), and it
//! holds no SQL logic and no configuration rule of its own: checking and fixing are the
//! library's [`check`](crate::check) and [`fix`](crate::fix), and finding `idemsql.toml` and
//! laying settings over it are [`config`](crate::config)'s, shared with the CLI.
//!
//! [`Server`] holds the open documents and settings and turns each incoming [`Message`] into
//! the messages to send back: `textDocument/publishDiagnostics` on open, change and save,
//! quick fixes and `source.fixAll.idemsql` code actions, and hovers that show a statement's
//! rewrite. The files it needs are asked for through [`Server::file_requests`] and handed in
//! with [`Server::provide_file`].
//!
//! Settings are the fields of [`Options`](crate::Options): from the nearest `idemsql.toml`
//! above the document (with its `schemaFiles`), then the client's settings over them
//! (`initializationOptions`, `workspace/didChangeConfiguration`, or `workspace/configuration`
//! for the section `idemsql`), merged the way the CLI's flags go over the file.
//!
//! Positions are UTF-16 unless the client offers UTF-8 (`general.positionEncodings`, or
//! clangd's `offsetEncoding`).

mod actions;
mod config;
mod convert;
mod documents;
mod hover;
mod lifecycle;
mod message;
mod server;
mod settings;
mod workspace;

/// Check a document as what its name says it is: the SQL strings of a Python module (`.py`,
/// where the build reads Python) or SQL.
fn check_document(
    uri: &str,
    text: &str,
    options: &crate::Options,
) -> Result<Vec<crate::Diagnostic>, crate::Error> {
    #[cfg(feature = "python")]
    if uri.ends_with(".py") {
        return crate::check_python(text, options);
    }
    let _ = uri;
    crate::check(text, options)
}

/// Fix a document as [`check_document`] checks it.
fn fix_document(
    uri: &str,
    text: &str,
    options: &crate::Options,
) -> Result<crate::Output, crate::Error> {
    #[cfg(feature = "python")]
    if uri.ends_with(".py") {
        return crate::fix_python(text, options);
    }
    let _ = uri;
    crate::fix(text, options)
}

pub use message::{Message, Notification, Request, RequestId, Response, ResponseError, error_code};
pub use server::Server;

/// `source` of every diagnostic, and the suffix of the fix-all code action kind.
const SOURCE: &str = "idemsql";
/// The code action kind that applies every fix in a file.
const FIX_ALL_KIND: &str = "source.fixAll.idemsql";
