//! `idemsql server` as a process: LSP over stdio, as an editor runs it. The fixes it offers,
//! applied the way an editor applies them, give the same text as `idemsql rewrite` and
//! `idemsql check --fix` on the same file.

mod lsp_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use lsp_support::{Units, apply_workspace_edit, file_uri};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_idemsql");
const TIMEOUT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Messages read while waiting for something else.
    seen: Vec<Value>,
}

impl Client {
    fn start(cwd: &Path) -> Self {
        let mut child = Command::new(BIN)
            .arg("server")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn idemsql server");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        length = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("JSON body");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming: rx,
            next_id: 1,
            seen: Vec::new(),
        }
    }

    fn send(&mut self, mut message: Value) {
        message["jsonrpc"] = json!("2.0");
        let body = message.to_string();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"method": method, "params": params}));
    }

    /// The next message (read now or earlier) that `matches`.
    fn wait_for(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&matches) {
            return self.seen.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(m) if matches(&m) => return m,
                Ok(m) => self.seen.push(m),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("timed out waiting for {what}; saw {:?}", self.seen)
                }
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "server closed its output waiting for {what}; saw {:?}",
                    self.seen
                ),
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"id": id, "method": method, "params": params}));
        let response = self.wait_for(method, |m| m["id"] == id && m.get("method").is_none());
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let m = self.wait_for("publishDiagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        m["params"]["diagnostics"].as_array().cloned().unwrap()
    }

    /// shutdown, exit; the process's exit code.
    fn stop(mut self) -> i32 {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.stdin.take();
        wait_exit(&mut self.child)
    }
}

fn wait_exit(child: &mut Child) -> i32 {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("idemsql server did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn cli(cwd: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run idemsql");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

const SCHEMA: &str = "CREATE TABLE orders (order_id int PRIMARY KEY, amount numeric, note text);\n";
const LOAD: &str = "-- Tägliche Ladung ☕ 😀\nINSERT INTO orders (order_id, amount, note) VALUES (1, 10.5, 'café 😀'), (2, 3, 'x');\nINSERT INTO orders (order_id, amount, note)\nSELECT order_id, amount, note FROM staging_orders;\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("idemsql.toml"),
        "dialect = \"mysql\"\nschema-files = [\"schema/orders.sql\"]\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("schema")).unwrap();
    std::fs::write(dir.path().join("schema/orders.sql"), SCHEMA).unwrap();
    std::fs::write(dir.path().join("load.sql"), LOAD).unwrap();
    dir
}

#[test]
fn quick_fixes_give_what_the_cli_gives() {
    let dir = project();
    let root = dir.path().canonicalize().unwrap();
    let uri = file_uri(&root.join("load.sql"));
    let mut client = Client::start(&root);
    let init = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": file_uri(&root),
            "capabilities": {"workspace": {"workspaceEdit": {"documentChanges": true}}}
        }),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "sql", "version": 1, "text": LOAD}}),
    );
    let diagnostics = client.diagnostics(&uri, 1);
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["IDEM001", "IDEM001"], "{diagnostics:?}");
    for d in &diagnostics {
        assert_eq!(d["source"], "idemsql");
        assert!(
            d["codeDescription"]["href"]
                .as_str()
                .unwrap()
                .ends_with("/docs/rules/non-idempotent-insert.md")
        );
    }

    // Each statement's quick fix, applied in turn as an editor would.
    let mut text = LOAD.to_string();
    let mut version = 1;
    for line in [1, 2] {
        let range =
            json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}});
        let actions = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": [], "only": ["quickfix"]}}),
        );
        let fix = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["isPreferred"] == true)
            .unwrap_or_else(|| panic!("a fix on line {line}: {actions}"))
            .clone();
        assert_eq!(
            fix["edit"]["documentChanges"][0]["textDocument"]["version"],
            version
        );
        text = apply_workspace_edit(&text, &fix["edit"], &uri, Units::Utf16);
        version += 1;
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
        let left = client.diagnostics(&uri, version);
        assert_eq!(left.len(), 2 - line as usize, "{left:?}");
    }
    let (code, rewritten) = cli(&root, &["rewrite", "load.sql"]);
    assert_eq!(code, 0);
    assert_eq!(text, rewritten);
    assert!(text.contains("ON DUPLICATE KEY UPDATE"), "{text}");

    // Hover on the first statement of the original text shows its rewrite.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 10}, "contentChanges": [{"text": LOAD}]}),
    );
    client.diagnostics(&uri, 10);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 5}}),
    );
    let first_rewritten = rewritten.lines().nth(1).unwrap().trim_end_matches(';');
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains(first_rewritten),
        "{hover}"
    );

    // Fix all equals `idemsql check --fix`.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let all = &actions[0];
    assert_eq!(all["kind"], "source.fixAll.idemsql");
    let fixed = apply_workspace_edit(LOAD, &all["edit"], &uri, Units::Utf16);
    let (code, _) = cli(&root, &["check", "--fix", "load.sql"]);
    assert_eq!(code, 0);
    assert_eq!(
        fixed,
        std::fs::read_to_string(root.join("load.sql")).unwrap()
    );

    // Saving a changed config file is noticed through the watched-files event.
    std::fs::write(
        root.join("idemsql.toml"),
        "dialect = \"postgres\"\nschema-files = [\"schema/orders.sql\"]\n",
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&root.join("idemsql.toml")), "type": 2}]}),
    );
    let republished = client.wait_for("republished diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["diagnostics"][0]["message"]
                .as_str()
                .is_some_and(|s| s.contains("ON CONFLICT"))
    });
    assert_eq!(republished["params"]["uri"], uri);

    assert_eq!(client.stop(), 0);
}

#[test]
fn exits_without_shutdown_with_code_1_and_on_closed_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start(dir.path());
    client.request("initialize", json!({"capabilities": {}}));
    client.notify("exit", Value::Null);
    assert_eq!(wait_exit(&mut client.child), 1);

    let mut client = Client::start(dir.path());
    client.request("initialize", json!({"capabilities": {}}));
    client.stdin.take();
    wait_exit(&mut client.child);
}
