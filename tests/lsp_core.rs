//! The language server's core, driven in-process the way an editor drives it: messages in,
//! messages out, and the files it asks for answered from an in-memory file system (the
//! native adapter answers them from disk).

mod lsp_support;

use std::collections::BTreeMap;

use idemsql::lsp::{Message, Server, error_code};
use idemsql::{Dialect, Options};
use lsp_support::{Units, apply_workspace_edit};
use serde_json::{Value, json};

/// An editor talking to the core.
struct Editor {
    server: Server,
    files: BTreeMap<String, String>,
    /// Every message the server sent, in order.
    received: Vec<Message>,
    /// Every path the server asked for, in order.
    asked: Vec<String>,
    next_id: i64,
}

impl Editor {
    fn new(files: &[(&str, &str)]) -> Self {
        Editor {
            server: Server::new(),
            files: files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
            received: Vec::new(),
            asked: Vec::new(),
            next_id: 1,
        }
    }

    /// Hand a message to the server, answer its file requests, return what it sent.
    fn send(&mut self, message: Message) -> Vec<Message> {
        let mut out = self.server.handle(message);
        loop {
            let wanted = self.server.file_requests();
            if wanted.is_empty() {
                break;
            }
            for path in wanted {
                self.asked.push(path.clone());
                let contents = self.files.get(&path).cloned();
                out.extend(self.server.provide_file(&path, contents));
            }
        }
        self.received.extend(out.iter().cloned());
        out
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let out = self.send(Message::request(id, method, params));
        for m in out {
            if let Message::Response(r) = m {
                if r.id == id.into() {
                    if let Some(e) = r.error {
                        return json!({"error": {"code": e.code, "message": e.message}});
                    }
                    return r.result.unwrap_or(Value::Null);
                }
            }
        }
        panic!("no response to {method}");
    }

    fn notify(&mut self, method: &str, params: Value) -> Vec<Message> {
        self.send(Message::notification(method, params))
    }

    fn initialize(&mut self, params: Value) -> Value {
        let result = self.request("initialize", params);
        self.notify("initialized", json!({}));
        result
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Message> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "sql", "version": 1, "text": text}}),
        )
    }

    fn code_actions(&mut self, uri: &str, range: Value, only: Option<Vec<&str>>) -> Vec<Value> {
        let mut context = json!({"diagnostics": []});
        if let Some(only) = only {
            context["only"] = json!(only);
        }
        let result = self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
        );
        result.as_array().cloned().unwrap_or_default()
    }
}

fn notifications<'a>(messages: &'a [Message], method: &str) -> Vec<&'a Value> {
    messages
        .iter()
        .filter_map(|m| match m {
            Message::Notification(n) if n.method == method => Some(&n.params),
            _ => None,
        })
        .collect()
}

/// The diagnostics of the last publishDiagnostics for `uri` among `messages`.
fn published(messages: &[Message], uri: &str) -> Option<Vec<Value>> {
    notifications(messages, "textDocument/publishDiagnostics")
        .into_iter()
        .rfind(|p| p["uri"] == uri)
        .map(|p| p["diagnostics"].as_array().cloned().unwrap_or_default())
}

fn whole(text: &str) -> Value {
    let lines = text.lines().count() as u32 + 1;
    json!({"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}})
}

fn fix_all(actions: &[Value]) -> &Value {
    actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.idemsql")
        .expect("a fix-all action")
}

const ORDERS_DDL: &str = "CREATE TABLE orders (order_id int PRIMARY KEY, amount int);\n";

#[test]
fn life_cycle_and_errors() {
    let mut ed = Editor::new(&[]);
    let early = ed.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///a.sql"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(early["error"]["code"], error_code::SERVER_NOT_INITIALIZED);
    let init = ed.initialize(json!({"capabilities": {}}));
    assert_eq!(init["serverInfo"]["name"], "idemsql");
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    assert_eq!(
        init["capabilities"]["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "source.fixAll.idemsql"])
    );
    let again = ed.request("initialize", json!({"capabilities": {}}));
    assert_eq!(again["error"]["code"], error_code::INVALID_REQUEST);
    let unknown = ed.request("textDocument/definition", json!({}));
    assert_eq!(unknown["error"]["code"], error_code::METHOD_NOT_FOUND);
    let bad = ed.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad["error"]["code"], error_code::INVALID_PARAMS);
    assert_eq!(ed.request("shutdown", Value::Null), Value::Null);
    let after = ed.request("textDocument/hover", json!({}));
    assert_eq!(after["error"]["code"], error_code::INVALID_REQUEST);
    assert_eq!(ed.server.exit_code(), None);
    ed.notify("exit", Value::Null);
    assert_eq!(ed.server.exit_code(), Some(0));

    let mut abrupt = Editor::new(&[]);
    abrupt.initialize(json!({"capabilities": {}}));
    abrupt.notify("exit", Value::Null);
    assert_eq!(abrupt.server.exit_code(), Some(1));
}

#[test]
fn diagnostics_carry_source_code_and_link() {
    let mut ed = Editor::new(&[]);
    ed.initialize(json!({"capabilities": {}}));
    let text = format!("{ORDERS_DDL}INSERT INTO orders (order_id, amount) VALUES (1, 2);\n");
    let out = ed.open("untitled:Untitled-1", &text);
    let diags = published(&out, "untitled:Untitled-1").expect("published");
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["IDEM013", "IDEM001"]);
    let insert = &diags[1];
    assert_eq!(insert["source"], "idemsql");
    assert_eq!(insert["severity"], 1);
    assert_eq!(
        insert["codeDescription"]["href"],
        "https://github.com/idemsql/idemsql/blob/main/docs/rules/non-idempotent-insert.md"
    );
    assert_eq!(insert["range"]["start"], json!({"line": 1, "character": 0}));
    let insert_len = "INSERT INTO orders (order_id, amount) VALUES (1, 2)".len();
    assert_eq!(
        insert["range"]["end"],
        json!({"line": 1, "character": insert_len})
    );
    assert!(
        insert["message"]
            .as_str()
            .unwrap()
            .starts_with("plain INSERT into orders")
    );
    // Publication carries the document version.
    let params = notifications(&out, "textDocument/publishDiagnostics")[0];
    assert_eq!(params["version"], 1);

    // Closing clears them.
    let out = ed.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "untitled:Untitled-1"}}),
    );
    assert_eq!(published(&out, "untitled:Untitled-1"), Some(vec![]));
}

#[test]
fn positions_are_utf16_by_default_and_utf8_when_offered() {
    let text = "SELECT '😀é'; INSERT INTO t (id) VALUES (1);";
    let insert = text.find("INSERT").unwrap();
    let utf16 = text[..insert].encode_utf16().count();
    assert_ne!(utf16, insert);

    let mut ed = Editor::new(&[]);
    ed.initialize(json!({"capabilities": {}}));
    let d = published(&ed.open("untitled:a", text), "untitled:a").unwrap();
    assert_eq!(d[0]["range"]["start"]["character"], utf16);

    let mut ed = Editor::new(&[]);
    let init = ed.initialize(
        json!({"capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}}),
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let d = published(&ed.open("untitled:a", text), "untitled:a").unwrap();
    assert_eq!(d[0]["range"]["start"]["character"], insert);

    // clangd's offsetEncoding (Neovim 0.7 and 0.8) is answered in kind.
    let mut ed = Editor::new(&[]);
    let init = ed.initialize(json!({"capabilities": {"offsetEncoding": ["utf-8", "utf-16"]}}));
    assert_eq!(init["offsetEncoding"], "utf-8");
    let d = published(&ed.open("untitled:a", text), "untitled:a").unwrap();
    assert_eq!(d[0]["range"]["start"]["character"], insert);
}

#[test]
fn config_file_and_schema_files_are_read_through_file_requests() {
    let mut ed = Editor::new(&[
        (
            "/proj/idemsql.toml",
            "dialect = \"mysql\"\nschema-files = [\"ddl/schema.sql\"]\n",
        ),
        ("/proj/ddl/schema.sql", ORDERS_DDL),
    ]);
    ed.initialize(json!({"capabilities": {}, "rootUri": "file:///proj"}));
    let text = "INSERT INTO orders (order_id, amount) VALUES (1, 2);\n";
    let uri = "file:///proj/sub/load.sql";
    let out = ed.open(uri, text);
    assert_eq!(
        ed.asked,
        [
            "/proj/sub/idemsql.toml",
            "/proj/sub/pyproject.toml",
            "/proj/idemsql.toml",
            "/proj/pyproject.toml",
            "/idemsql.toml",
            "/pyproject.toml",
            "/proj/ddl/schema.sql"
        ]
    );
    // Published once, when everything was read.
    assert_eq!(
        notifications(&out, "textDocument/publishDiagnostics").len(),
        1
    );
    let actions = ed.code_actions(uri, whole(text), None);
    let fixed = apply_workspace_edit(text, &fix_all(&actions)["edit"], uri, Units::Utf16);
    let mut options = Options::for_dialect(Dialect::Mysql);
    options.schema = ORDERS_DDL.to_string();
    assert_eq!(fixed, idemsql::rewrite(text, &options).unwrap().sql);
    assert!(
        fixed.contains("ON DUPLICATE KEY UPDATE amount = new.amount"),
        "{fixed}"
    );

    // A changed config file (a watched-file event) is read again.
    ed.files.insert(
        "/proj/idemsql.toml".into(),
        "dialect = \"postgres\"\nschema-files = [\"ddl/schema.sql\"]\n".into(),
    );
    ed.asked.clear();
    let out = ed.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": "file:///proj/idemsql.toml", "type": 2}]}),
    );
    assert_eq!(ed.asked, ["/proj/idemsql.toml"]);
    assert!(published(&out, uri).is_some(), "republished: {out:?}");
    let actions = ed.code_actions(uri, whole(text), None);
    let fixed = apply_workspace_edit(text, &fix_all(&actions)["edit"], uri, Units::Utf16);
    assert!(
        fixed.contains("ON CONFLICT (order_id) DO UPDATE"),
        "{fixed}"
    );

    // A broken config file is reported, and the diagnostics are cleared.
    ed.files.insert(
        "/proj/idemsql.toml".into(),
        "dialect = \"nosuchdb\"\n".into(),
    );
    let out = ed.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": "file:///proj/idemsql.toml", "type": 2}]}),
    );
    let shown = notifications(&out, "window/showMessage");
    assert_eq!(shown.len(), 1, "{out:?}");
    assert!(
        shown[0]["message"]
            .as_str()
            .unwrap()
            .contains("/proj/idemsql.toml"),
        "{shown:?}"
    );
    assert_eq!(published(&out, uri), Some(vec![]));

    // A missing schema file is reported too.
    ed.files.insert(
        "/proj/idemsql.toml".into(),
        "schema-files = [\"nope.sql\"]\n".into(),
    );
    let out = ed.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": "file:///proj/idemsql.toml", "type": 2}]}),
    );
    let shown = notifications(&out, "window/showMessage");
    assert!(
        shown[0]["message"]
            .as_str()
            .unwrap()
            .contains("/proj/nope.sql"),
        "{shown:?}"
    );
}

#[test]
fn editor_settings_go_over_the_config_file() {
    let mut ed = Editor::new(&[
        (
            "/w/idemsql.toml",
            "dialect = \"mysql\"\n[keys]\norders = [\"order_id\"]\n",
        ),
        (
            "/w/extra.sql",
            "CREATE TABLE items (sku text PRIMARY KEY, qty int);",
        ),
    ]);
    ed.initialize(json!({
        "capabilities": {},
        "workspaceFolders": [{"uri": "file:///w", "name": "w"}],
        "initializationOptions": {"dialect": "postgres", "schemaFiles": ["extra.sql"]}
    }));
    let text = "INSERT INTO orders (order_id, amount) VALUES (1, 2);\nINSERT INTO items (sku, qty) VALUES ('a', 1);\n";
    let uri = "file:///w/load.sql";
    ed.open(uri, text);
    let actions = ed.code_actions(uri, whole(text), Some(vec!["source.fixAll"]));
    assert_eq!(actions.len(), 1, "only the fix-all action: {actions:?}");
    let fixed = apply_workspace_edit(text, &actions[0]["edit"], uri, Units::Utf16);
    // The key from the file, the schema from the settings, the dialect from the settings.
    assert!(
        fixed.contains("ON CONFLICT (order_id) DO UPDATE"),
        "{fixed}"
    );
    assert!(fixed.contains("ON CONFLICT (sku) DO UPDATE"), "{fixed}");

    // didChangeConfiguration, wrapped in an `idemsql` section, replaces the settings.
    let out = ed.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"idemsql": {"dialect": "mysql", "ignore": ["IDEM002"]}}}),
    );
    let diags = published(&out, uri).expect("republished");
    assert_eq!(
        diags.iter().map(|d| d["code"].clone()).collect::<Vec<_>>(),
        [json!("IDEM001"), json!("IDEM001")]
    );
    let actions = ed.code_actions(uri, whole(text), Some(vec!["source.fixAll.idemsql"]));
    let fixed = apply_workspace_edit(text, &actions[0]["edit"], uri, Units::Utf16);
    assert!(fixed.contains("ON DUPLICATE KEY UPDATE"), "{fixed}");

    // Settings that are not options are reported once, and nothing is checked with them.
    let out = ed.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"idemsql": {"dialekt": "mysql"}}}),
    );
    let shown = notifications(&out, "window/showMessage");
    assert_eq!(shown.len(), 1);
    assert!(shown[0]["message"].as_str().unwrap().contains("dialekt"));
    assert_eq!(published(&out, uri), Some(vec![]));
    let out = ed.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(notifications(&out, "window/showMessage").is_empty());
}

#[test]
fn configuration_is_pulled_when_the_client_supports_it() {
    let mut ed = Editor::new(&[]);
    ed.request(
        "initialize",
        json!({"capabilities": {"workspace": {
            "configuration": true,
            "didChangeWatchedFiles": {"dynamicRegistration": true}
        }}}),
    );
    let out = ed.notify("initialized", json!({}));
    let requests: Vec<(String, &str)> = out
        .iter()
        .filter_map(|m| match m {
            Message::Request(r) => Some((serde_json::to_string(&r.id).unwrap(), r.method.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        requests.iter().map(|r| r.1).collect::<Vec<_>>(),
        ["client/registerCapability", "workspace/configuration"]
    );
    let Message::Request(config_request) = &out[1] else {
        panic!()
    };
    assert_eq!(config_request.params["items"][0]["section"], "idemsql");
    let text = format!("{ORDERS_DDL}INSERT INTO orders (order_id, amount) VALUES (1, 2);");
    ed.open("untitled:x", &text);
    let out = ed.send(Message::Response(idemsql::lsp::Response {
        id: config_request.id.clone(),
        result: Some(json!([{"dialect": "sqlite", "ignore": ["IDEM013"]}])),
        error: None,
    }));
    let diags = published(&out, "untitled:x").expect("republished after the answer");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0]["code"], "IDEM001");

    // An empty didChangeConfiguration means: ask again.
    let out = ed.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    assert!(matches!(&out[..], [Message::Request(r)] if r.method == "workspace/configuration"));
}

#[test]
fn incremental_changes_in_utf16() {
    let mut ed = Editor::new(&[]);
    ed.initialize(
        json!({"capabilities": {"workspace": {"workspaceEdit": {"documentChanges": true}}}}),
    );
    let uri = "untitled:inc";
    let text = format!("-- 😀 naïve\n{ORDERS_DDL}SELECT 1;\n");
    ed.open(uri, &text);
    // Replace `SELECT 1` (line 2) with an INSERT, then insert a comment after the emoji.
    let out = ed.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [
                {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 8}},
                 "text": "INSERT INTO orders (order_id, amount) VALUES (7, 8)"},
                {"range": {"start": {"line": 0, "character": 5}, "end": {"line": 0, "character": 5}},
                 "text": " ☕"}
            ]
        }),
    );
    let expected = format!(
        "-- 😀 ☕ naïve\n{ORDERS_DDL}INSERT INTO orders (order_id, amount) VALUES (7, 8);\n"
    );
    let params = notifications(&out, "textDocument/publishDiagnostics")[0];
    assert_eq!(params["version"], 2);
    let actions = ed.code_actions(uri, whole(&expected), None);
    let action = fix_all(&actions);
    // With documentChanges the edit names the document version.
    assert_eq!(
        action["edit"]["documentChanges"][0]["textDocument"]["version"],
        2
    );
    let fixed = apply_workspace_edit(&expected, &action["edit"], uri, Units::Utf16);
    assert_eq!(
        fixed,
        idemsql::fix(&expected, &Options::default()).unwrap().sql
    );

    // A full-text change replaces everything.
    ed.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": "SELECT 1;"}]}),
    );
    assert!(ed.code_actions(uri, whole("SELECT 1;"), None).is_empty());
}

#[test]
fn quick_fixes_and_fix_all() {
    let mut ed = Editor::new(&[]);
    ed.initialize(json!({"capabilities": {}}));
    let uri = "untitled:q";
    let text = format!(
        "{ORDERS_DDL}INSERT INTO orders (order_id, amount) VALUES (1, 2);\nSELECT 1; INSERT INTO orders (order_id, amount) VALUES (3, 4);\n"
    );
    ed.open(uri, &text);
    // The quick fixes on line 1: the rewrite and the ignore directive.
    let range = json!({"start": {"line": 1, "character": 3}, "end": {"line": 1, "character": 3}});
    let actions = ed.code_actions(uri, range, Some(vec!["quickfix"]));
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Rewrite as INSERT ... ON CONFLICT DO UPDATE (incoming rows win) (IDEM001)",
            "Ignore IDEM001 for this statement"
        ]
    );
    assert_eq!(actions[0]["diagnostics"][0]["code"], "IDEM001");
    assert_eq!(actions[0]["isPreferred"], true);
    let fixed = apply_workspace_edit(&text, &actions[0]["edit"], uri, Units::Utf16);
    assert!(
        fixed.contains(
            "VALUES (1, 2) ON CONFLICT (order_id) DO UPDATE SET amount = EXCLUDED.amount WHERE orders.amount IS DISTINCT FROM EXCLUDED.amount;"
        ),
        "{fixed}"
    );
    assert!(
        fixed.contains("VALUES (3, 4);"),
        "only this statement changes: {fixed}"
    );

    // The ignore directive silences exactly that finding, also after `;` on the same line.
    let range2 =
        json!({"start": {"line": 2, "character": 12}, "end": {"line": 2, "character": 12}});
    let actions2 = ed.code_actions(uri, range2, Some(vec!["quickfix"]));
    assert_eq!(actions2[1]["title"], "Ignore IDEM001 for this statement");
    let mut edits = lsp_support::edits_for(&actions[1]["edit"], uri);
    edits.extend(lsp_support::edits_for(&actions2[1]["edit"], uri));
    let ignored = lsp_support::apply_text_edits(&text, &edits, Units::Utf16);
    let left = idemsql::check(&ignored, &Options::default()).unwrap();
    assert_eq!(
        left.iter().map(|d| d.code).collect::<Vec<_>>(),
        ["IDEM013"],
        "{ignored}"
    );

    // Fix all equals the library's fix.
    let actions = ed.code_actions(uri, whole(&text), None);
    let fixed = apply_workspace_edit(&text, &fix_all(&actions)["edit"], uri, Units::Utf16);
    assert_eq!(fixed, idemsql::fix(&text, &Options::default()).unwrap().sql);
    // Kinds the server does not offer give nothing.
    assert!(
        ed.code_actions(uri, whole(&text), Some(vec!["source.organizeImports"]))
            .is_empty()
    );
}

#[test]
fn hover_shows_the_rewritten_statement() {
    let mut ed = Editor::new(&[]);
    ed.initialize(json!({"capabilities": {}}));
    let uri = "untitled:h";
    let text =
        format!("{ORDERS_DDL}SELECT 1;\nINSERT INTO orders (order_id, amount)\nVALUES (1, 2);\n");
    ed.open(uri, &text);
    let hover = ed.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 4}}),
    );
    let value = hover["contents"]["value"].as_str().unwrap();
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(value.contains("IDEM001"), "{value}");
    // The statement as `idemsql rewrite` writes it, without its `;`.
    let rewritten = idemsql::rewrite(&text, &Options::default()).unwrap().sql;
    let from = rewritten.find("INSERT").unwrap();
    let statement = &rewritten[from..rewritten.rfind(';').unwrap()];
    assert!(statement.contains("ON CONFLICT (order_id) DO UPDATE"));
    assert!(
        value.contains(&format!("```sql\n{statement}\n```")),
        "{value}"
    );
    assert!(value.contains(
        "(https://github.com/idemsql/idemsql/blob/main/docs/rules/non-idempotent-insert.md)"
    ));
    assert_eq!(hover["range"]["start"], json!({"line": 2, "character": 0}));
    let nothing = ed.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 3}}),
    );
    assert_eq!(nothing, Value::Null);
}

#[test]
fn python_documents_get_diagnostics_and_fixes_inside_their_strings() {
    let mut ed = Editor::new(&[]);
    ed.initialize(json!({"capabilities": {}}));
    let uri = "file:///proj/load.py";
    let text = "cur.execute(\"CREATE TABLE IF NOT EXISTS orders (order_id int PRIMARY KEY, amount numeric)\")\n\
                cur.execute(\n    \"\"\"\n    INSERT INTO orders (order_id, amount)\n    VALUES (%s, %s)\n    \"\"\",\n    row,\n)\n";
    let out = ed.open(uri, text);
    let diags = published(&out, uri).expect("published");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "IDEM001");
    // The range is the INSERT inside the triple-quoted string (line 3, 0-based).
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 3, "character": 4})
    );
    let actions = ed.code_actions(uri, diags[0]["range"].clone(), Some(vec!["quickfix"]));
    let fixed = apply_workspace_edit(text, &actions[0]["edit"], uri, Units::Utf16);
    assert!(
        fixed.contains("VALUES (%s, %s)\n    ON CONFLICT (order_id)"),
        "{fixed}"
    );
    assert_eq!(
        fixed,
        idemsql::fix_python(text, &Options::default()).unwrap().sql
    );
    // The ignore action writes a Python comment above the string, outside it.
    assert_eq!(actions[1]["title"], "Ignore IDEM001 for this statement");
    let ignored = apply_workspace_edit(text, &actions[1]["edit"], uri, Units::Utf16);
    assert!(
        ignored.contains("    # idemsql: ignore(IDEM001)\n    \"\"\""),
        "{ignored}"
    );
    assert!(
        idemsql::check_python(&ignored, &Options::default())
            .unwrap()
            .is_empty()
    );
}
