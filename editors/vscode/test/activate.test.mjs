// The shipped bundles, activated the way VS Code activates them: dist/extension.js (desktop)
// and dist/browser.js (VS Code for the web, its dist/worker.js in a worker thread standing in for
// a Web Worker), with the real vscode-languageclient inside, against a stand-in `vscode` module
// (test/fake-vscode.cjs). A SQL document is opened; the diagnostics VS Code would show, the code
// actions and hover its providers return, a settings change, the fix-all command, and
// `idemsql.path` switching to the native server are checked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker as ThreadWorker } from "node:worker_threads";

import { fix } from "idemsql";

import { nativeBinary, positionOf } from "./support.mjs";

const require = createRequire(import.meta.url);
const { createVscode, Uri, Range, Position } = require("./fake-vscode.cjs");
const root = fileURLToPath(new URL("../", import.meta.url));

const SCHEMA = "CREATE TABLE orders (order_id int PRIMARY KEY, amount numeric, status text);\n";
const TEXT = "-- 🧾 ünïcødé\nINSERT INTO orders (order_id, amount, status) VALUES (1, 10.5, 'new');\n";

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), "idemsql-activate-"));
  mkdirSync(join(dir, "db"));
  mkdirSync(join(dir, "sql"));
  writeFileSync(join(dir, "idemsql.toml"), 'dialect = "mysql"\nschema-files = ["db/schema.sql"]\n');
  writeFileSync(join(dir, "db", "schema.sql"), SCHEMA);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Load a bundle afresh with `vscode` resolving to the fake. */
function loadBundle(file, vscode) {
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === "vscode" ? vscode : load.call(this, request, ...rest);
  };
  try {
    const path = join(root, file);
    delete require.cache[path];
    return require(path);
  } finally {
    Module._load = load;
  }
}

function extensionContext() {
  return {
    subscriptions: [],
    extensionUri: Uri.file(root),
    extensionPath: root,
    asAbsolutePath: (p) => join(root, p),
  };
}

/** Resolve when the diagnostics VS Code holds for `uri` satisfy `check`. */
function diagnosticsOf(fake, uri, check, what) {
  const key = uri.toString();
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`timed out waiting for ${what}; output:\n${fake.state.output.join("\n")}`)), 15_000);
    const look = () => {
      const collection = fake.state.collections.get("idemsql");
      const diags = collection?.get(uri);
      if (diags && check(diags)) {
        clearTimeout(timer);
        fake.state.onDiagnostics = undefined;
        ok(diags);
        return true;
      }
      return false;
    };
    if (!look()) fake.state.onDiagnostics = (u) => u === key && look();
  });
}

/** Apply a vscode.WorkspaceEdit to the document's text. */
function applyEdit(doc, edit) {
  const [[uri, edits]] = edit.entries();
  assert.equal(uri.toString(), doc.uri.toString());
  let text = doc.getText();
  const spans = edits
    .map((e) => [doc.offsetAt(e.range.start), doc.offsetAt(e.range.end), e.newText])
    .sort((a, b) => b[0] - a[0]);
  for (const [s, e, t] of spans) text = text.slice(0, s) + t + text.slice(e);
  return text;
}

const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
const wholeRange = (doc) => new Range(new Position(0, 0), doc.positionAt(doc.getText().length));

async function fixAllOf(fake, doc) {
  const { provider } = fake.state.providers.codeActions.at(-1);
  const context = { diagnostics: [], only: fake.vscode.CodeActionKind.SourceFixAll, triggerKind: 1 };
  return provider.provideCodeActions(doc, wholeRange(doc), context, token);
}

test("dist/extension.js: the WebAssembly server in the extension host, then idemsql.path's native server", async (t) => {
  const ws = workspace();
  t.after(ws.remove);
  const fake = createVscode({ workspaceFolders: [{ uri: Uri.file(ws.dir), name: "w", index: 0 }] });
  const ext = loadBundle("dist/extension.js", fake.vscode);
  const context = extensionContext();
  await ext.activate(context);
  t.after(() => ext.deactivate());
  assert.deepEqual([...fake.state.commands.keys()].sort(), ["idemsql.fixAll", "idemsql.restart"]);

  const uri = Uri.file(join(ws.dir, "sql", "load orders.sql"));
  const doc = fake.openDocument(uri, TEXT);
  const [d] = await diagnosticsOf(fake, uri, (x) => x.length > 0, "diagnostics");
  assert.equal(d.source, "idemsql");
  assert.equal(d.code.value, "IDEM001");
  assert.equal(d.code.target.toString(), "https://github.com/idemsql/idemsql/blob/main/docs/rules/non-idempotent-insert.md");
  assert.equal(d.severity, fake.vscode.DiagnosticSeverity.Error);
  assert.deepEqual({ ...d.range.start }, positionOf(TEXT, TEXT.indexOf("INSERT")));
  assert.match(d.message, /ON DUPLICATE KEY UPDATE/, "help for mysql, from idemsql.toml");

  // The light bulb: quick fixes for the diagnostic.
  const { provider, metadata } = fake.state.providers.codeActions.at(-1);
  assert.deepEqual(metadata.providedCodeActionKinds.map((k) => k.value), ["quickfix", "source.fixAll.idemsql"]);
  const quick = await provider.provideCodeActions(doc, d.range, { diagnostics: [d], only: undefined, triggerKind: 1 }, token);
  const preferred = quick.find((a) => a.isPreferred);
  assert.equal(preferred.kind.value, "quickfix");
  assert.equal(applyEdit(doc, preferred.edit), fix(TEXT, { dialect: "mysql", schema: SCHEMA }).sql);

  // editor.codeActionsOnSave with source.fixAll.
  const [all] = await fixAllOf(fake, doc);
  assert.equal(all.kind.value, "source.fixAll.idemsql");
  const fixed = applyEdit(doc, all.edit);
  assert.equal(fixed, fix(TEXT, { dialect: "mysql", schema: SCHEMA }).sql);

  const hover = await fake.state.providers.hover.at(-1).provider.provideHover(doc, d.range.start, token);
  assert.match(hover.contents[0].value, /```sql\nINSERT INTO orders .* ON DUPLICATE KEY UPDATE/);

  // The command runs VS Code's code action command for the fix-all kind.
  await fake.state.commands.get("idemsql.fixAll")();
  assert.deepEqual(fake.state.executed.at(-1), ["editor.action.codeAction", { kind: "source.fixAll.idemsql", apply: "first" }]);

  // The user sets a dialect: it goes to the running server and over idemsql.toml.
  fake.changeSettings({ dialect: "postgres", strategy: "ignore" });
  await diagnosticsOf(fake, uri, (x) => x.length > 0 && /DO NOTHING/.test(x[0].message), "postgres diagnostics");
  const [pg] = await fixAllOf(fake, doc);
  assert.equal(applyEdit(doc, pg.edit), fix(TEXT, { dialect: "postgres", strategy: "ignore", schema: SCHEMA }).sql);

  // Typing: a full change; the fixed text has no findings.
  fake.changeDocument(doc, fix(TEXT, { dialect: "postgres", strategy: "ignore", schema: SCHEMA }).sql);
  await diagnosticsOf(fake, uri, (x) => x.length === 0, "no diagnostics after the fix");
  fake.changeDocument(doc, TEXT);
  await diagnosticsOf(fake, uri, (x) => x.length === 1, "the finding again");

  // idemsql.path: the extension restarts on the native server, which reads the files itself.
  fake.changeSettings({ path: nativeBinary() });
  await diagnosticsOf(fake, uri, (x) => x.length > 0 && /ON DUPLICATE KEY UPDATE/.test(x[0].message), "native diagnostics");
  assert.ok(fake.state.output.some((l) => l.includes(`running ${nativeBinary()} server`)), fake.state.output.join("\n"));
  const [native] = await fixAllOf(fake, doc);
  assert.equal(applyEdit(doc, native.edit), fix(TEXT, { dialect: "mysql", schema: SCHEMA }).sql);
  assert.deepEqual(fake.state.errors, []);
});

test("dist/browser.js: the server in dist/worker.js; files read through the workspace file system", async (t) => {
  // A virtual workspace, as on vscode.dev: no file: URIs, files only through workspace.fs.
  const files = new Map([
    ["vscode-vfs://github/o/r/idemsql.toml", 'dialect = "duckdb"\nschema-files = ["db/schema.sql"]\n'],
    ["vscode-vfs://github/o/r/db/schema.sql", SCHEMA],
  ]);
  const reads = [];
  const readFile = async (uri) => {
    if (uri.scheme === "file" && uri.path.startsWith(root)) {
      return (await import("node:fs")).readFileSync(uri.fsPath); // the extension's own files
    }
    reads.push(uri.toString());
    const text = files.get(uri.toString());
    if (text === undefined) throw new Error(`FileNotFound: ${uri}`);
    return new TextEncoder().encode(text);
  };
  const folder = Uri.parse("vscode-vfs://github/o/r");
  const fake = createVscode({ workspaceFolders: [{ uri: folder, name: "r", index: 0 }], readFile });

  // A Web Worker for the bundle: a worker thread with `self` as in a browser worker.
  const workers = [];
  globalThis.Worker = class {
    constructor(url) {
      const script = fileURLToPath(url);
      this.thread = new ThreadWorker(new URL("./worker-shim.cjs", import.meta.url), { workerData: { script } });
      this.errorListeners = [];
      this.thread.on("message", (data) => this.onmessage?.({ data }));
      this.thread.on("error", (e) => this.errorListeners.forEach((l) => l(e)));
      workers.push(this);
    }
    postMessage(message, transfer) {
      this.thread.postMessage(message, transfer);
    }
    addEventListener(type, listener) {
      if (type === "error") this.errorListeners.push(listener);
    }
    removeEventListener() {}
    terminate() {
      void this.thread.terminate();
    }
  };
  const ext = loadBundle("dist/browser.js", fake.vscode);
  await ext.activate(extensionContext());
  // Hooks run in order: the extension stops its client (shutdown, exit) before the threads go.
  t.after(() => ext.deactivate());
  t.after(() => {
    delete globalThis.Worker;
    for (const w of workers) w.terminate();
  });
  assert.equal(workers.length, 1);

  const uri = Uri.parse("vscode-vfs://github/o/r/sql/load.sql");
  const doc = fake.openDocument(uri, TEXT);
  const [d] = await diagnosticsOf(fake, uri, (x) => x.length > 0, "diagnostics from the worker");
  assert.equal(d.code.value, "IDEM001");
  assert.deepEqual({ ...d.range.start }, positionOf(TEXT, TEXT.indexOf("INSERT")));
  assert.ok(reads.includes("vscode-vfs://github/o/r/idemsql.toml"), reads.join(", "));
  assert.ok(reads.includes("vscode-vfs://github/o/r/db/schema.sql"), reads.join(", "));

  const [all] = await fixAllOf(fake, doc);
  // The edit comes back for the vscode-vfs document (the mapped URI is mapped back).
  assert.equal(all.edit.entries()[0][0].toString(), "vscode-vfs://github/o/r/sql/load.sql");
  assert.equal(applyEdit(doc, all.edit), fix(TEXT, { dialect: "duckdb", schema: SCHEMA }).sql);

  // Restart: a new worker and a new client; the document is checked again.
  await fake.state.commands.get("idemsql.restart")();
  assert.equal(workers.length, 2);
  fake.state.collections.get("idemsql")?.clear();
  await diagnosticsOf(fake, uri, (x) => x.length > 0, "diagnostics after the restart");
  assert.deepEqual(fake.state.errors, []);
});
