// "idemsql/lsp": the language server's core in WebAssembly, driven the way an editor drives it:
// LSP messages in, messages out, and the files it asks for answered from an in-memory file
// system. Results are checked against the other module's rewrite()/fix() and against what an
// editor does with UTF-16 positions (JavaScript string indices).
import { test } from "node:test";
import assert from "node:assert/strict";

import init, { LanguageServer } from "idemsql/lsp";
import { fix, rewrite } from "idemsql";
import { __panicForTesting } from "../src/lsp-core.js";

const ORDERS_DDL = "CREATE TABLE orders (order_id int PRIMARY KEY, amount numeric, status text);\n";

/** An editor talking to a LanguageServer; files the server asks for come from `files`. */
class Editor {
  constructor(files = {}) {
    this.server = new LanguageServer();
    this.files = files;
    this.asked = [];
    this.received = [];
    this.nextId = 1;
  }

  /** Hand a message to the server and answer its file requests; return what it sent. */
  send(message) {
    const out = this.server.handle(message);
    for (let wanted = this.server.fileRequests(); wanted.length; wanted = this.server.fileRequests()) {
      for (const path of wanted) {
        this.asked.push(path);
        out.push(...this.server.provideFile(path, this.files[path] ?? null));
      }
    }
    for (const m of out) assert.equal(m.jsonrpc, "2.0", JSON.stringify(m));
    this.received.push(...out);
    return out;
  }

  request(method, params) {
    const id = this.nextId++;
    const out = this.send({ jsonrpc: "2.0", id, method, params });
    const response = out.find((m) => m.id === id && !("method" in m));
    assert.ok(response, `a response to ${method}: ${JSON.stringify(out)}`);
    if (response.error) return { error: response.error };
    return response.result;
  }

  notify(method, params) {
    return this.send({ jsonrpc: "2.0", method, params });
  }

  initialize(params = { capabilities: {} }) {
    const result = this.request("initialize", params);
    this.notify("initialized", {});
    return result;
  }

  open(uri, text, version = 1) {
    return this.notify("textDocument/didOpen", { textDocument: { uri, languageId: "sql", version, text } });
  }

  codeActions(uri, range, only) {
    const context = { diagnostics: [] };
    if (only) context.only = only;
    return this.request("textDocument/codeAction", { textDocument: { uri }, range, context }) ?? [];
  }
}

function published(messages, uri) {
  const found = messages.filter((m) => m.method === "textDocument/publishDiagnostics" && m.params.uri === uri);
  return found.at(-1)?.params.diagnostics;
}

/** The UTF-16 offset (JS string index) of an LSP position, as VS Code computes it. */
function offsetOf(text, { line, character }) {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) return text.length;
    start = nl + 1;
  }
  const end = text.indexOf("\n", start);
  return Math.min(start + character, end < 0 ? text.length : end);
}

/** The LSP position (UTF-16) of a JS string index. */
function positionOf(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}

/** Apply a WorkspaceEdit's edits to `uri` (either `changes` or `documentChanges`). */
function applyWorkspaceEdit(text, edit, uri) {
  const edits = edit.changes ? edit.changes[uri] : edit.documentChanges.find((d) => d.textDocument.uri === uri).edits;
  const spans = edits
    .map((e) => [offsetOf(text, e.range.start), offsetOf(text, e.range.end), e.newText])
    .sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  for (const [start, end, newText] of spans) text = text.slice(0, start) + newText + text.slice(end);
  return text;
}

const whole = (text) => ({ start: { line: 0, character: 0 }, end: positionOf(text, text.length) });

test("init() resolves at once in Node.js; initialize answers with the server's capabilities", async () => {
  await init();
  const ed = new Editor();
  const result = ed.initialize();
  assert.equal(result.serverInfo.name, "idemsql");
  assert.equal(result.capabilities.positionEncoding, "utf-16");
  assert.equal(result.capabilities.hoverProvider, true);
  assert.deepEqual(result.capabilities.codeActionProvider.codeActionKinds, ["quickfix", "source.fixAll.idemsql"]);
  assert.equal(result.capabilities.textDocumentSync.change, 2, "incremental sync");
});

test("didOpen publishes diagnostics whose ranges are UTF-16 positions", () => {
  const ed = new Editor();
  ed.initialize();
  const uri = "untitled:Untitled-1";
  const text = `${ORDERS_DDL}/* é😀 𝄞 */ INSERT INTO orders (order_id, amount, status) VALUES (1, 2, 'ü😀');\n`;
  const diags = published(ed.open(uri, text), uri);
  assert.deepEqual(diags.map((d) => d.code), ["IDEM013", "IDEM001"]);
  const insert = diags[1];
  assert.equal(insert.source, "idemsql");
  assert.equal(insert.severity, 1);
  assert.match(insert.codeDescription.href, /docs\/rules\/non-idempotent-insert\.md$/);
  const start = text.indexOf("INSERT");
  const end = text.indexOf(";", start);
  // The emoji and the musical symbol are two UTF-16 units each, four UTF-8 bytes each.
  assert.deepEqual(insert.range.start, positionOf(text, start));
  assert.deepEqual(insert.range.end, positionOf(text, end));
  assert.equal(text.slice(offsetOf(text, insert.range.start), offsetOf(text, insert.range.end)), text.slice(start, end));
});

test("UTF-8 positions when the client offers them", () => {
  const ed = new Editor();
  const result = ed.initialize({ capabilities: { general: { positionEncodings: ["utf-8", "utf-16"] } } });
  assert.equal(result.capabilities.positionEncoding, "utf-8");
  const text = "/* é😀 */ INSERT INTO t (id) VALUES (1);";
  const [d] = published(ed.open("untitled:a", text), "untitled:a");
  const utf8Column = Buffer.byteLength(text.slice(0, text.indexOf("INSERT")));
  assert.deepEqual(d.range.start, { line: 0, character: utf8Column });
  assert.notEqual(utf8Column, text.indexOf("INSERT"));
});

test("quick fix and source.fixAll.idemsql give what rewrite() and fix() give", () => {
  const ed = new Editor();
  ed.initialize({ capabilities: { workspace: { workspaceEdit: { documentChanges: true } } } });
  const uri = "untitled:orders.sql";
  const text = `${ORDERS_DDL}-- ünïcødé 😀\nINSERT INTO orders (order_id, amount, status) VALUES (1, 10.5, 'new');\n`;
  const [ddl, insert] = published(ed.open(uri, text), uri);

  const quick = ed.codeActions(uri, insert.range, ["quickfix"]);
  assert.ok(quick.every((a) => a.kind === "quickfix"));
  const rewriteAction = quick.find((a) => a.isPreferred);
  assert.match(rewriteAction.title, /\(IDEM001\)$/);
  assert.deepEqual(rewriteAction.diagnostics.map((d) => d.code), ["IDEM001"]);
  assert.equal(rewriteAction.edit.documentChanges[0].textDocument.version, 1);
  assert.equal(applyWorkspaceEdit(text, rewriteAction.edit, uri), rewrite(text).sql);
  const ignore = quick.find((a) => a.title === "Ignore IDEM001 for this statement");
  const ignored = applyWorkspaceEdit(text, ignore.edit, uri);
  assert.ok(ignored.includes("-- idemsql: ignore(IDEM001)\nINSERT INTO orders"), ignored);
  assert.ok(!quick.some((a) => a.diagnostics.some((d) => d.code === ddl.code)), "only the diagnostics in range");

  // VS Code asks for `source.fixAll` on save (editor.codeActionsOnSave).
  const all = ed.codeActions(uri, whole(text), ["source.fixAll"]);
  assert.deepEqual(all.map((a) => a.kind), ["source.fixAll.idemsql"]);
  const fixed = applyWorkspaceEdit(text, all[0].edit, uri);
  assert.equal(fixed, fix(text).sql);
  assert.match(fixed, /CREATE TABLE IF NOT EXISTS orders/);
  assert.match(fixed, /ON CONFLICT \(order_id\) DO UPDATE SET/);

  // The fixed text has nothing left to fix.
  ed.notify("textDocument/didChange", {
    textDocument: { uri, version: 2 },
    contentChanges: [{ text: fixed }],
  });
  assert.deepEqual(ed.codeActions(uri, whole(fixed), ["source.fixAll.idemsql"]), []);
});

test("hover on a finding shows the statement as it will be rewritten", () => {
  const ed = new Editor();
  ed.initialize();
  const uri = "untitled:h.sql";
  const text = `${ORDERS_DDL}INSERT INTO orders (order_id, amount, status) VALUES (1, 10.5, 'new');\n`;
  ed.open(uri, text);
  const at = positionOf(text, text.indexOf("INTO orders"));
  const hover = ed.request("textDocument/hover", { textDocument: { uri }, position: at });
  assert.equal(hover.contents.kind, "markdown");
  // The statement without its semicolon, as the rewrite writes it.
  const rewritten = rewrite(text).sql.split("\n")[1].replace(/;$/, "");
  assert.ok(hover.contents.value.includes("```sql\n" + rewritten + "\n```"), hover.contents.value);
  assert.match(hover.contents.value, /non-idempotent-insert documentation\]\(https:/);
  assert.deepEqual(hover.range.start, positionOf(text, text.indexOf("INSERT")));
  const nothing = ed.request("textDocument/hover", { textDocument: { uri }, position: positionOf(text, text.length) });
  assert.equal(nothing, null, "no finding on the last, empty line");
});

test("incremental didChange with UTF-16 ranges", () => {
  const ed = new Editor();
  ed.initialize();
  const uri = "untitled:c.sql";
  let text = "-- 😀😀\nSELECT 1;\n";
  assert.deepEqual(published(ed.open(uri, text), uri), []);
  // Replace "SELECT 1" by an INSERT; the range's columns count the emoji as two units each.
  const start = text.indexOf("SELECT");
  const change = { range: { start: positionOf(text, start), end: positionOf(text, start + 8) }, text: "INSERT INTO t (id) VALUES (1)" };
  text = text.slice(0, start) + change.text + text.slice(start + 8);
  const out = ed.notify("textDocument/didChange", { textDocument: { uri, version: 2 }, contentChanges: [change] });
  const [d] = published(out, uri);
  assert.equal(d.code, "IDEM001");
  assert.equal(out.find((m) => m.method === "textDocument/publishDiagnostics").params.version, 2);
  assert.equal(text.slice(offsetOf(text, d.range.start), offsetOf(text, d.range.end)), "INSERT INTO t (id) VALUES (1)");
  // And the code action's edit applies to the text as the editor has it.
  const [action] = ed.codeActions(uri, whole(text), ["source.fixAll.idemsql"]);
  assert.equal(action, undefined, "no key known: no fix");
  const [ignore] = ed.codeActions(uri, d.range, ["quickfix"]);
  assert.equal(applyWorkspaceEdit(text, ignore.edit, uri), "-- 😀😀\n-- idemsql: ignore(IDEM001)\nINSERT INTO t (id) VALUES (1);\n");
});

test("idemsql.toml above a file: document and its schema-files are asked for and used", () => {
  // Paths of the editor's in-memory files, not of this machine.
  const ed = new Editor({
    "/srv/proj/idemsql.toml": 'dialect = "mysql"\nschema-files = ["db/schema.sql"]\n',
    "/srv/proj/db/schema.sql": "CREATE TABLE events (id int PRIMARY KEY, v int);",
  });
  ed.initialize({ capabilities: {}, workspaceFolders: [{ uri: "file:///srv/proj", name: "proj" }] });
  const uri = "file:///srv/proj/sql/load%20events.sql";
  const text = "INSERT INTO events (id, v) VALUES (1, 2);\n";
  const out = ed.open(uri, text);
  assert.deepEqual(ed.asked, [
    "/srv/proj/sql/idemsql.toml",
    "/srv/proj/sql/pyproject.toml",
    "/srv/proj/idemsql.toml",
    "/srv/proj/pyproject.toml",
    // Every candidate up to the root is asked for at once (as the native server reads them).
    "/srv/idemsql.toml",
    "/srv/pyproject.toml",
    "/idemsql.toml",
    "/pyproject.toml",
    "/srv/proj/db/schema.sql",
  ]);
  const [d] = published(out, uri);
  assert.equal(d.code, "IDEM001");
  const [all] = ed.codeActions(uri, whole(text), ["source.fixAll"]);
  const fixed = applyWorkspaceEdit(text, all.edit, uri);
  assert.equal(fixed, fix(text, { dialect: "mysql", schema: ed.files["/srv/proj/db/schema.sql"] }).sql);
  assert.match(fixed, /ON DUPLICATE KEY UPDATE v = new\.v;/);
});

test("settings: the workspace/configuration answer goes over idemsql.toml; a changed file is read again", () => {
  const files = { "/w/idemsql.toml": 'dialect = "mysql"\n' };
  const ed = new Editor(files);
  ed.request("initialize", {
    capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    workspaceFolders: [{ uri: "file:///w", name: "w" }],
  });
  const sent = ed.notify("initialized", {});
  const register = sent.find((m) => m.method === "client/registerCapability");
  assert.deepEqual(
    register.params.registrations[0].registerOptions.watchers.map((w) => w.globPattern),
    ["**/idemsql.toml", "**/pyproject.toml", "**/*.sql"],
  );
  const ask = sent.find((m) => m.method === "workspace/configuration");
  assert.deepEqual(ask.params, { items: [{ section: "idemsql" }] });
  ed.send({ jsonrpc: "2.0", id: register.id, result: null });

  const uri = "file:///w/a.sql";
  const text = "INSERT INTO t (id, v) VALUES (1, 2);\n";
  // Documents wait for the settings? No: they are checked with the file's options meanwhile.
  ed.open(uri, text);
  const keyed = ed.send({ jsonrpc: "2.0", id: ask.id, result: [{ keys: { t: ["id"] }, strategy: "ignore" }] });
  assert.equal(published(keyed, uri)[0].code, "IDEM001");
  let [all] = ed.codeActions(uri, whole(text), ["source.fixAll"]);
  const mysqlIgnore = fix(text, { dialect: "mysql", keys: { t: ["id"] }, strategy: "ignore" }).sql;
  assert.notEqual(mysqlIgnore, fix(text, { keys: { t: ["id"] }, strategy: "ignore" }).sql, "the dialect shows");
  assert.equal(applyWorkspaceEdit(text, all.edit, uri), mysqlIgnore);

  // idemsql.toml changes on disk: the client reports it, the server reads it again.
  files["/w/idemsql.toml"] = 'dialect = "sqlite"\n';
  ed.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: "file:///w/idemsql.toml", type: 2 }] });
  [all] = ed.codeActions(uri, whole(text), ["source.fixAll"]);
  assert.equal(applyWorkspaceEdit(text, all.edit, uri), fix(text, { dialect: "sqlite", keys: { t: ["id"] }, strategy: "ignore" }).sql);
  assert.match(all.edit.changes[uri][0].newText, /ON CONFLICT \(id\) DO NOTHING/);

  // A bad setting is shown once, and the file's diagnostics are cleared.
  const bad = ed.notify("workspace/didChangeConfiguration", { settings: { idemsql: { dialect: "postgress" } } });
  assert.deepEqual(published(bad, uri), []);
  const shown = bad.filter((m) => m.method === "window/showMessage");
  assert.equal(shown.length, 1);
  assert.match(shown[0].params.message, /^idemsql: editor settings: .*postgress/);
});

test("input that is not a JSON-RPC message throws a TypeError; the server goes on", () => {
  const ed = new Editor();
  assert.throws(() => ed.server.handle("{"), { name: "TypeError", message: /not a JSON-RPC message/ });
  assert.throws(() => ed.server.handle(42), TypeError);
  assert.throws(() => ed.server.handle(null), TypeError);
  assert.throws(() => ed.server.provideFile(1, null), TypeError);
  assert.throws(() => ed.server.provideFile("/a", 5), TypeError);
  assert.equal(ed.initialize().serverInfo.name, "idemsql");
  // Before initialize, a string message works like an object one.
  const fresh = new LanguageServer();
  const [early] = fresh.handle('{"jsonrpc":"2.0","id":"x","method":"textDocument/hover","params":{}}');
  assert.deepEqual(early, { jsonrpc: "2.0", id: "x", error: { code: -32002, message: "the server is not initialized" } });
});

test("shutdown then exit: exit code 0; exit alone: 1", () => {
  const ed = new Editor();
  ed.initialize();
  assert.equal(ed.server.exitCode, null);
  assert.equal(ed.request("shutdown", null), null);
  ed.notify("exit");
  assert.equal(ed.server.exitCode, 0);
  const abrupt = new Editor();
  abrupt.initialize();
  abrupt.notify("exit");
  assert.equal(abrupt.server.exitCode, 1);
});

test("a crash of the core: an Error, every server of that instance is gone, a new one works", () => {
  const ed = new Editor();
  ed.initialize();
  assert.throws(() => __panicForTesting(), { message: /^idemsql: internal error .*deliberate panic/s });
  assert.equal(ed.server.crashed, true);
  assert.throws(() => ed.server.handle({ jsonrpc: "2.0", method: "initialized" }), /crashed earlier .*start a new LanguageServer/);
  ed.server.free(); // must not touch the new instance
  const again = new Editor();
  assert.equal(again.server.crashed, false);
  again.initialize();
  const [d] = published(again.open("untitled:x", "INSERT INTO t (id) VALUES (1);"), "untitled:x");
  assert.equal(d.code, "IDEM001");
});
