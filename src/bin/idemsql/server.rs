//! `idemsql server`: the language server over stdio. The protocol is handled by the library's
//! [`idemsql::lsp::Server`]; this adapter only moves messages and reads the files the server
//! asks for (`idemsql.toml`, schema files).

use std::process::ExitCode;

use idemsql::lsp::{Message, Server};
use lsp_server::Connection;

use crate::exit::Fatal;
use crate::fsutil;
use idemsql::config::FileText;

pub fn run() -> Result<ExitCode, Fatal> {
    let (connection, io_threads) = Connection::stdio();
    let mut server = Server::new();
    let mut code = 1;
    for incoming in &connection.receiver {
        let message =
            match serde_json::to_value(&incoming).and_then(serde_json::from_value::<Message>) {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("idemsql server: unreadable message: {e}");
                    continue;
                }
            };
        let mut outgoing = server.handle(message);
        // Answer the server's file requests until it has all it needs.
        loop {
            let wanted = server.file_requests();
            if wanted.is_empty() {
                break;
            }
            for path in wanted {
                let contents = read(&path);
                outgoing.extend(server.provide_file(&path, contents));
            }
        }
        for m in outgoing {
            let wire: lsp_server::Message = serde_json::to_value(&m)
                .and_then(serde_json::from_value)
                .map_err(|e| Fatal(format!("idemsql server: message not sent: {e}")))?;
            if connection.sender.send(wire).is_err() {
                break;
            }
        }
        if let Some(c) = server.exit_code() {
            code = c;
            break;
        }
    }
    drop(connection);
    io_threads
        .join()
        .map_err(|e| Fatal(format!("idemsql server: {e}")))?;
    Ok(ExitCode::from(code as u8))
}

/// A file's text; `None` when it is missing, a directory, or unreadable (said on stderr, the
/// one place a language server's user may look for why).
fn read(path: &str) -> Option<String> {
    match fsutil::read_file(path) {
        FileText::Text(text) => Some(text),
        FileText::Unreadable(e) => {
            eprintln!("idemsql server: {path}: {e}");
            None
        }
        FileText::Missing(_) | FileText::Pending => None,
    }
}
