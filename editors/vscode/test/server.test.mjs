// The extension's two ways to run the language server, driven with the messages VS Code sends:
//   - the default: the WebAssembly core in the extension host, through the extension's
//     in-process transport (src/transport.ts) and host (src/host.ts), files read asynchronously
//     as the extension reads them through VS Code's file system;
//   - `idemsql.path`: the native `idemsql server` over stdio.
// One scenario runs against both, in a temporary workspace with an idemsql.toml and a schema
// file; the results are compared with the npm package's fix() and rewrite().
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import init, { LanguageServer } from "idemsql/lsp/web";
import { fix, rewrite } from "idemsql";

import { inProcessTransports } from "../out/lib.mjs";
import {
  Client,
  applyWorkspaceEdit,
  nativeBinary,
  offsetOf,
  positionOf,
  repo,
  spawnNative,
  whole,
} from "./support.mjs";

await init(readFileSync(new URL("../dist/idemsql_lsp_bg.wasm", import.meta.url)));

const SCHEMA = "CREATE TABLE orders (order_id int PRIMARY KEY, amount numeric, status text);\n";
const TEXT = "-- 🧾 loads orders, ünïcødé\n/* 😀 */ INSERT INTO orders (order_id, amount, status) VALUES (1, 10.5, 'new');\n";

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), "idemsql-vscode-"));
  mkdirSync(join(dir, "db"));
  mkdirSync(join(dir, "sql"));
  writeFileSync(join(dir, "idemsql.toml"), 'dialect = "mysql"\nschema-files = ["db/schema.sql"]\n');
  writeFileSync(join(dir, "db", "schema.sql"), SCHEMA);
  writeFileSync(join(dir, "sql", "load orders.sql"), TEXT);
  return {
    dir,
    uri: pathToFileURL(dir).href,
    doc: pathToFileURL(join(dir, "sql", "load orders.sql")).href,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The extension's readServerFile, on disk: text, or null when it cannot be read. */
const reads = [];
async function readFromDisk(path) {
  reads.push(path);
  // As through VS Code's file system: the answer comes later, not in the same task.
  await new Promise((done) => setTimeout(done, 5));
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

const transports = {
  "WebAssembly in the extension host": () => ({
    ...inProcessTransports({ server: new LanguageServer(), readFile: readFromDisk, log: () => {} }),
    stop: async () => {},
  }),
  "native idemsql server (idemsql.path)": (ws) => {
    const native = spawnNative(nativeBinary(), ws.dir);
    return { reader: native.reader, writer: native.writer, stop: () => native.exited };
  },
};

for (const [name, connect] of Object.entries(transports)) {
  test(`${name}: diagnostics, quick fix, fix all, hover, settings, idemsql.toml`, async (t) => {
    const ws = workspace();
    t.after(ws.remove);
    const { reader, writer, stop } = connect(ws);
    const client = new Client(reader, writer, {});
    t.after(() => client.dispose());

    const init = await client.initialize(ws.uri);
    assert.equal(init.serverInfo.name, "idemsql");
    assert.equal(init.capabilities.positionEncoding, "utf-16");
    assert.deepEqual(init.capabilities.codeActionProvider.codeActionKinds, ["quickfix", "source.fixAll.idemsql"]);

    // Diagnostics wait for idemsql.toml and the schema file it names.
    const diags = await client.open(ws.doc, TEXT);
    assert.deepEqual(diags.map((d) => d.code), ["IDEM001"]);
    const [d] = diags;
    assert.equal(d.source, "idemsql");
    const start = TEXT.indexOf("INSERT");
    assert.deepEqual(d.range.start, positionOf(TEXT, start), "UTF-16 columns after the emoji");
    assert.deepEqual(d.range.end, positionOf(TEXT, TEXT.indexOf(";", start)));
    assert.equal(d.codeDescription.href, "https://github.com/idemsql/idemsql/blob/main/docs/rules/non-idempotent-insert.md");
    // The server registered its file watchers, as VS Code's client allows.
    await client.waitFor("registration", () => client.registrations.length > 0);
    assert.deepEqual(
      client.registrations[0].registerOptions.watchers.map((w) => w.globPattern),
      ["**/idemsql.toml", "**/pyproject.toml", "**/*.sql"],
    );
    assert.equal(client.configurationRequests, 0, "settings came with initialize");

    // The options the extension's server used: mysql from idemsql.toml, keys from the schema file.
    const options = { dialect: "mysql", schema: SCHEMA };
    const quick = await client.codeActions(ws.doc, d.range, undefined, [d]);
    const preferred = quick.find((a) => a.isPreferred);
    assert.equal(preferred.kind, "quickfix");
    assert.equal(applyWorkspaceEdit(TEXT, preferred.edit, ws.doc, 1), rewrite(TEXT, options).sql);
    assert.ok(quick.some((a) => a.title === "Ignore IDEM001 for this statement"));

    // editor.codeActionsOnSave: { "source.fixAll": "explicit" } asks for `source.fixAll`.
    const onSave = await client.codeActions(ws.doc, whole(TEXT), ["source.fixAll"]);
    assert.deepEqual(onSave.map((a) => a.kind), ["source.fixAll.idemsql"]);
    const fixed = applyWorkspaceEdit(TEXT, onSave[0].edit, ws.doc, 1);
    assert.equal(fixed, fix(TEXT, options).sql);
    assert.match(fixed, /ON DUPLICATE KEY UPDATE amount = new\.amount, status = new\.status;/);

    const hover = await client.hover(ws.doc, positionOf(TEXT, TEXT.indexOf("orders (")));
    assert.match(hover.contents.value, /\*\*idemsql IDEM001\*\*/);
    assert.ok(hover.contents.value.includes(fixed.split("\n")[1].replace("/* 😀 */ ", "").replace(/;$/, "")), hover.contents.value);

    // The user sets idemsql.dialect: it goes over idemsql.toml.
    await client.changeSettings({ dialect: "postgres", strategy: "ignore" });
    await client.waitFor("new diagnostics", () => client.diagnostics.has(ws.doc));
    const [pg] = await client.codeActions(ws.doc, whole(TEXT), ["source.fixAll.idemsql"]);
    assert.equal(applyWorkspaceEdit(TEXT, pg.edit, ws.doc), fix(TEXT, { ...options, dialect: "postgres", strategy: "ignore" }).sql);
    assert.match(pg.edit.documentChanges[0].edits.map((e) => e.newText).join(""), /ON CONFLICT \(order_id\) DO NOTHING/);

    // Settings back to defaults: nothing is sent for them, idemsql.toml applies again.
    await client.changeSettings({});
    let [again] = await client.codeActions(ws.doc, whole(TEXT), ["source.fixAll.idemsql"]);
    assert.equal(applyWorkspaceEdit(TEXT, again.edit, ws.doc), fixed);

    // idemsql.toml changes on disk; the file watcher reports it; the server reads it again.
    writeFileSync(join(ws.dir, "idemsql.toml"), 'dialect = "sqlite"\nschema-files = ["db/schema.sql"]\n');
    client.diagnostics.delete(ws.doc);
    await client.connection.sendNotification("workspace/didChangeWatchedFiles", {
      changes: [{ uri: pathToFileURL(join(ws.dir, "idemsql.toml")).href, type: 2 }],
    });
    await client.waitFor("diagnostics after idemsql.toml changed", () => client.diagnostics.has(ws.doc));
    [again] = await client.codeActions(ws.doc, whole(TEXT), ["source.fixAll.idemsql"]);
    assert.equal(applyWorkspaceEdit(TEXT, again.edit, ws.doc), fix(TEXT, { dialect: "sqlite", schema: SCHEMA }).sql);

    // An unknown dialect in the settings: shown once, diagnostics cleared.
    await client.changeSettings({ dialect: "postgress" });
    await client.waitFor("the error", () => client.shown.length > 0);
    assert.match(client.shown[0], /^idemsql: editor settings: .*postgress/);
    assert.deepEqual(client.diagnostics.get(ws.doc), []);

    // After the fix, nothing is left.
    await client.changeSettings({});
    const remaining = await client.replace(ws.doc, fix(TEXT, { dialect: "sqlite", schema: SCHEMA }).sql);
    assert.deepEqual(remaining, []);

    await client.shutdown();
    assert.equal(await stop(), name.startsWith("native") ? 0 : undefined);
    await client.closed;
  });
}

test("WebAssembly in the extension host: files are read through the extension, each once, off the message path", async (t) => {
  const ws = workspace();
  t.after(ws.remove);
  reads.length = 0;
  const { reader, writer } = transports["WebAssembly in the extension host"](ws);
  const client = new Client(reader, writer, { schemaFiles: ["db/schema.sql"], dialect: "duckdb" });
  t.after(() => client.dispose());
  await client.initialize(ws.uri);
  const second = pathToFileURL(join(ws.dir, "sql", "second.sql")).href;
  // Two documents opened at once: both wait for the same files, which are read once.
  const [a, b] = await Promise.all([
    client.open(ws.doc, TEXT),
    client.open(second, "INSERT INTO orders (order_id) VALUES (2);"),
  ]);
  assert.equal(a[0].code, "IDEM001");
  assert.equal(b[0].code, "IDEM001");
  const schema = join(ws.dir, "db", "schema.sql");
  assert.deepEqual(
    [...new Set(reads)].sort(),
    [
      join(ws.dir, "idemsql.toml"),
      join(ws.dir, "pyproject.toml"),
      join(ws.dir, "sql", "idemsql.toml"),
      join(ws.dir, "sql", "pyproject.toml"),
      schema,
      ...parents(ws.dir),
    ].sort(),
  );
  assert.equal(reads.length, new Set(reads).size, "each file read once");
  // The schema file named in both idemsql.toml and the settings is read once and used.
  const text = "INSERT INTO orders (order_id) VALUES (2);";
  const [all] = await client.codeActions(second, whole(text), ["source.fixAll"]);
  assert.equal(applyWorkspaceEdit(text, all.edit, second), fix(text, { dialect: "duckdb", schema: SCHEMA }).sql);
});

/** idemsql.toml and pyproject.toml in every folder above `dir`, as the core looks for them. */
function parents(dir) {
  const out = [];
  let d = dir;
  for (;;) {
    const up = join(d, "..");
    if (up === d) break;
    out.push(join(up, "idemsql.toml"), join(up, "pyproject.toml"));
    d = up;
  }
  return out;
}

test("WebAssembly in the extension host: a crash closes the connection, as vscode-languageclient restarts it on", async (t) => {
  const { __panicForTesting } = await import(new URL("pkg/src/lsp-core.js", pathToFileURL(repo + "/")).href);
  const logged = [];
  const { reader, writer } = inProcessTransports({ server: new LanguageServer(), readFile: async () => null, log: (l) => logged.push(l) });
  const client = new Client(reader, writer, {});
  t.after(() => client.dispose());
  let readerError;
  reader.onError((e) => (readerError = e));
  await client.initialize(null);
  assert.throws(() => __panicForTesting(), /internal error/);
  // The next message finds the core gone: the reader closes (languageclient's ErrorHandler
  // then starts a new server, which gets a fresh core).
  await client.connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri: "untitled:x", languageId: "sql", version: 1, text: "SELECT 1;" },
  });
  await client.closed;
  assert.match(String(readerError?.message), /crashed earlier/);
  assert.match(logged.join("\n"), /stopped; it is started again/);

  const fresh = new Client(...Object.values(inProcessTransports({ server: new LanguageServer(), readFile: async () => null, log: () => {} })), {});
  t.after(() => fresh.dispose());
  await fresh.initialize(null);
  const diags = await fresh.open("untitled:y", "INSERT INTO t (id) VALUES (1);");
  assert.equal(diags[0].code, "IDEM001");
  assert.equal(offsetOf("INSERT INTO t (id) VALUES (1);", diags[0].range.end), 29);
});
