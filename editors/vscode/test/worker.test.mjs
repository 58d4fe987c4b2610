// VS Code for the web: the shipped dist/worker.js in a real Web Worker (Debian's Chromium,
// headless), driven from a page the way the extension's browser entry and
// vscode-languageclient/browser drive it: the .wasm posted first, then JSON-RPC objects through
// postMessage; the worker's `idemsql/readFile` requests answered from a virtual workspace.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";
import { fix } from "idemsql";

import { chromiumPath, serve } from "../../../pkg/scripts/browser.mjs";
import { READ_FILE, mappedUri } from "../out/lib.mjs";
import { VSCODE_CAPABILITIES, applyWorkspaceEdit, positionOf, whole } from "./support.mjs";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));

const PAGE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>worker</title>
<script>
  // A stand-in for the extension's browser entry: start the worker, post the .wasm, then
  // relay JSON-RPC messages; answer ${READ_FILE} from window.files.
  window.received = [];
  window.reads = [];
  window.files = {};
  window.start = async () => {
    const worker = new Worker("./worker.js");
    worker.onerror = (e) => window.received.push({ workerError: e.message });
    worker.onmessage = (event) => {
      const m = event.data;
      if (m.method === "${READ_FILE}") {
        window.reads.push(m.params.uri);
        worker.postMessage({ jsonrpc: "2.0", id: m.id, result: window.files[m.params.uri] ?? null });
        return;
      }
      window.received.push(m);
    };
    window.worker = worker;
    const wasm = await (await fetch("./idemsql_lsp_bg.wasm")).arrayBuffer();
    worker.postMessage({ idemsqlWasm: wasm }, [wasm]);
  };
</script>`;

test("dist/worker.js in Chromium: the core answers LSP messages and reads files through the extension", async (t) => {
  const root = mkdtempSync(join(tmpdir(), "idemsql-worker-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, "w"));
  copyFileSync(join(dist, "worker.js"), join(root, "w", "worker.js"));
  copyFileSync(join(dist, "idemsql_lsp_bg.wasm"), join(root, "w", "idemsql_lsp_bg.wasm"));
  writeFileSync(join(root, "w", "index.html"), PAGE);
  const server = await serve(root);
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  // Hooks run in order: the browser first, so the server has no open connection left to wait for.
  t.after(() => browser.close());
  t.after(() => server.close());
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${server.url}/w/index.html`);

  // A virtual workspace, as vscode.dev has: the client shows the worker mapped file: URIs.
  const folder = mappedUri({ scheme: "vscode-vfs", authority: "github", path: "/o/r" });
  const doc = mappedUri({ scheme: "vscode-vfs", authority: "github", path: "/o/r/sql/load.sql" });
  const toml = mappedUri({ scheme: "vscode-vfs", authority: "github", path: "/o/r/idemsql.toml" });
  const ddl = mappedUri({ scheme: "vscode-vfs", authority: "github", path: "/o/r/db/schema.sql" });
  const SCHEMA = "CREATE TABLE orders (order_id int PRIMARY KEY, amount int);";
  await page.evaluate(
    ({ toml, ddl, SCHEMA }) => {
      window.files[toml] = 'dialect = "snowflake"\nschema-files = ["db/schema.sql"]\n';
      window.files[ddl] = SCHEMA;
    },
    { toml, ddl, SCHEMA },
  );

  const send = (m) => page.evaluate((m) => window.worker.postMessage(m), { jsonrpc: "2.0", ...m });
  const waitFor = async (what, predicate) => {
    const handle = await page.waitForFunction(predicate, null, { timeout: 20_000 }).catch((e) => {
      throw new Error(`waiting for ${what}: ${e.message}; ${errors.join("; ")}`);
    });
    return handle.jsonValue();
  };
  const response = (id) =>
    waitFor(`the response ${id}`, `window.received.find((m) => m.id === ${JSON.stringify(id)} && !("method" in m)) ?? null`);

  await page.evaluate(() => window.start());
  // Sent at once, before the .wasm is compiled: the worker keeps the messages until it is ready.
  await send({
    id: 1,
    method: "initialize",
    params: { processId: null, rootUri: folder, capabilities: VSCODE_CAPABILITIES, initializationOptions: { idemsql: {} }, workspaceFolders: [{ uri: folder, name: "r" }] },
  });
  await send({ method: "initialized", params: {} });
  const init = await response(1);
  assert.equal(init.result.serverInfo.name, "idemsql");
  assert.equal(init.result.capabilities.positionEncoding, "utf-16");

  const text = "-- 😀 ünïcødé\nINSERT INTO orders (order_id, amount) VALUES (1, 2);\n";
  await send({ method: "textDocument/didOpen", params: { textDocument: { uri: doc, languageId: "sql", version: 1, text } } });
  const published = await waitFor(
    "publishDiagnostics",
    `window.received.find((m) => m.method === "textDocument/publishDiagnostics" && m.params.uri === ${JSON.stringify(doc)}) ?? null`,
  );
  const [d] = published.params.diagnostics;
  assert.equal(d.code, "IDEM001");
  assert.deepEqual(d.range.start, positionOf(text, text.indexOf("INSERT")));
  const reads = await page.evaluate(() => window.reads);
  assert.ok(reads.includes(toml) && reads.includes(ddl), reads.join(", "));

  await send({ id: 2, method: "textDocument/codeAction", params: { textDocument: { uri: doc }, range: whole(text), context: { diagnostics: [], only: ["source.fixAll"] } } });
  const [all] = (await response(2)).result;
  assert.equal(all.kind, "source.fixAll.idemsql");
  const fixed = applyWorkspaceEdit(text, all.edit, doc, 1);
  assert.equal(fixed, fix(text, { dialect: "snowflake", schema: SCHEMA }).sql);
  assert.match(fixed, /^MERGE INTO orders/m);

  await send({ id: 3, method: "textDocument/hover", params: { textDocument: { uri: doc }, position: d.range.start } });
  assert.match((await response(3)).result.contents.value, /```sql\nMERGE INTO orders/);

  await send({ id: 4, method: "shutdown" });
  assert.equal((await response(4)).result, null);
  assert.deepEqual(errors, []);
  assert.deepEqual(await page.evaluate(() => window.received.filter((m) => m.workerError)), []);
});
