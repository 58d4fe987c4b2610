// The extension's logic that does not need VS Code: settings, paths and URI mapping, and a
// virtual workspace (VS Code for the web, `vscode-vfs://github/...`) served by the WebAssembly
// core through the mapped URIs, with the files read from that workspace.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import init, { LanguageServer } from "idemsql/lsp/web";
import { fix } from "idemsql";

import {
  configurationAnswer,
  explicitValue,
  fileUriToPath,
  inProcessTransports,
  isMapped,
  mappedUri,
  nativeServerPath,
  pathToFileUri,
  pathToUri,
  serverSettings,
  serverUriToParts,
  SERVER_KEYS,
} from "../out/lib.mjs";
import { Client, applyWorkspaceEdit, whole } from "./support.mjs";

await init(readFileSync(new URL("../dist/idemsql_lsp_bg.wasm", import.meta.url)));

test("only settings the user set go to the server; dedupe off is null", () => {
  const values = {
    dialect: { defaultValue: "postgres", globalValue: "mysql", workspaceValue: "duckdb" },
    strategy: { defaultValue: "auto" },
    keys: { defaultValue: {}, workspaceFolderValue: { orders: ["order_id"] } },
    nullSafe: { defaultValue: false, globalValue: false },
    dedupe: { defaultValue: "off", workspaceValue: "off" },
    ignore: { defaultValue: [], globalLanguageValue: ["IDEM013"], globalValue: ["IDEM014"] },
    defaultKey: undefined,
  };
  assert.deepEqual(serverSettings((k) => values[k]), {
    dialect: "duckdb",
    keys: { orders: ["order_id"] },
    nullSafe: false,
    dedupe: null,
    ignore: ["IDEM013"],
  });
  assert.equal(explicitValue({ defaultValue: "x" }), undefined);
  assert.equal(explicitValue(undefined), undefined);
  assert.deepEqual(serverSettings(() => ({ defaultValue: 1 })), {});
});

test("every server setting is one the core accepts; a wrong value is reported by the core", () => {
  const server = new LanguageServer();
  server.handle({ jsonrpc: "2.0", id: 1, method: "initialize", params: { capabilities: {} } });
  const all = {
    dialect: "snowflake",
    strategy: "merge",
    keys: { orders: ["order_id"] },
    defaultKey: ["id"],
    partitions: { events: ["d"] },
    partitionValues: { d: ["DATE '2024-01-01'"] },
    schemaFiles: [],
    nullSafe: true,
    dedupe: "off",
    ignore: ["IDEM013"],
    severity: { "unparsed-write": "warning" },
  };
  assert.deepEqual(Object.keys(all).sort(), [...SERVER_KEYS].sort());
  const settings = serverSettings((k) => ({ globalValue: all[k] }));
  const out = server.handle({ jsonrpc: "2.0", method: "workspace/didChangeConfiguration", params: { settings: { idemsql: settings } } });
  const open = server.handle({
    jsonrpc: "2.0",
    method: "textDocument/didOpen",
    params: { textDocument: { uri: "untitled:a", languageId: "sql", version: 1, text: "INSERT INTO orders (order_id, v) VALUES (1, 2);" } },
  });
  assert.deepEqual([...out, ...open].filter((m) => m.method === "window/showMessage"), []);
  const [published] = open.filter((m) => m.method === "textDocument/publishDiagnostics");
  assert.match(published.params.diagnostics[0].message, /MERGE/);

  const shown = server.handle({
    jsonrpc: "2.0",
    method: "workspace/didChangeConfiguration",
    params: { settings: { idemsql: { strategy: "upsertt" } } },
  });
  assert.match(shown.find((m) => m.method === "window/showMessage").params.message, /upsertt/);
});

test("workspace/configuration: the idemsql section from the extension, other sections from VS Code", () => {
  const answer = configurationAnswer(
    [{ section: "idemsql", scopeUri: "file:///w/a.sql" }, { section: "editor" }, { section: "idemsql" }],
    (scope) => ({ dialect: scope ? "mysql" : "postgres" }),
    [{ vscode: "idemsql default" }, { tabSize: 4 }, null],
  );
  assert.deepEqual(answer, [{ dialect: "mysql" }, { tabSize: 4 }, { dialect: "postgres" }]);
});

test("idemsql.path: empty is the built-in server; ~ and ${workspaceFolder} are expanded", () => {
  assert.equal(nativeServerPath("", "/home/u", "/w"), null);
  assert.equal(nativeServerPath("   ", "/home/u", "/w"), null);
  assert.equal(nativeServerPath(undefined, "/home/u", "/w"), null);
  assert.equal(nativeServerPath("idemsql", "/home/u", "/w"), "idemsql");
  assert.equal(nativeServerPath("~/.cargo/bin/idemsql", "/home/u", "/w"), "/home/u/.cargo/bin/idemsql");
  assert.equal(nativeServerPath("${workspaceFolder}/target/debug/idemsql", "/home/u", "/w"), "/w/target/debug/idemsql");
  assert.equal(nativeServerPath("${workspaceFolder}/x", "/home/u", undefined), null);
});

test("paths and file URIs agree with the core's uri_to_path", () => {
  for (const [path, uri] of [
    ["/home/a/b c.sql", "file:///home/a/b%20c.sql"],
    ["/w/ü😀#?.sql", "file:///w/%C3%BC%F0%9F%98%80%23%3F.sql"],
    ["C:/x/y.sql", "file:///C:/x/y.sql"],
    ["//server/share/y.sql", "file://server/share/y.sql"],
  ]) {
    assert.equal(pathToFileUri(path), uri);
    assert.equal(fileUriToPath(uri), path);
  }
  assert.equal(fileUriToPath("untitled:Untitled-1"), null);
  assert.equal(fileUriToPath("file:///bad%zz"), null);
  assert.deepEqual(pathToUri("/w/idemsql.toml"), { scheme: "file", authority: "", path: "/w/idemsql.toml" });
});

test("URIs of other schemes map to file: URIs under /.idemsql-vfs and back", () => {
  assert.equal(isMapped("file"), false);
  assert.equal(isMapped("untitled"), false);
  assert.equal(isMapped("vscode-vfs"), true);
  const doc = { scheme: "vscode-vfs", authority: "github+7b2276223a317d", path: "/owner/repo/sql/a b.sql" };
  const mapped = mappedUri(doc);
  assert.equal(mapped, "file:///.idemsql-vfs/vscode-vfs/~github%2B7b2276223a317d/owner/repo/sql/a%20b.sql");
  assert.deepEqual(serverUriToParts(mapped), doc);
  // The core asks for idemsql.toml by path on its way up: each maps back to the workspace, and
  // the reserved folders above it name nothing.
  assert.deepEqual(pathToUri("/.idemsql-vfs/vscode-vfs/~github+7b2276223a317d/owner/idemsql.toml"), {
    scheme: "vscode-vfs",
    authority: "github+7b2276223a317d",
    path: "/owner/idemsql.toml",
  });
  assert.deepEqual(pathToUri("/.idemsql-vfs/vscode-vfs/~github/idemsql.toml"), { scheme: "vscode-vfs", authority: "github", path: "/idemsql.toml" });
  assert.equal(pathToUri("/.idemsql-vfs/vscode-vfs/idemsql.toml"), null);
  assert.equal(pathToUri("/.idemsql-vfs/idemsql.toml"), null);
  // An empty authority.
  assert.deepEqual(serverUriToParts(mappedUri({ scheme: "memfs", authority: "", path: "/a.sql" })), { scheme: "memfs", authority: "", path: "/a.sql" });
});

test("a virtual workspace (vscode-vfs, as on vscode.dev): idemsql.toml and schema files are read from it", async (t) => {
  const vfs = new Map([
    ["vscode-vfs://github/owner/repo/idemsql.toml", 'dialect = "bigquery"\nschema-files = ["db/ddl.sql"]\n'],
    ["vscode-vfs://github/owner/repo/db/ddl.sql", "CREATE TABLE events (id INT64, v INT64, PRIMARY KEY (id) NOT ENFORCED);"],
  ]);
  const asked = [];
  // The extension's readServerFile: the path back to a URI of the workspace, read through its fs.
  const readFile = async (path) => {
    const parts = pathToUri(path);
    if (!parts) return null;
    const key = `${parts.scheme}://${parts.authority}${parts.path}`;
    asked.push(key);
    return vfs.get(key) ?? null;
  };
  const { reader, writer } = inProcessTransports({ server: new LanguageServer(), readFile, log: () => {} });
  const client = new Client(reader, writer, {});
  t.after(() => client.dispose());
  // What vscode-languageclient sends through the extension's uriConverters.code2Protocol.
  const folder = mappedUri({ scheme: "vscode-vfs", authority: "github", path: "/owner/repo" });
  const doc = mappedUri({ scheme: "vscode-vfs", authority: "github", path: "/owner/repo/load.sql" });
  await client.initialize(folder);
  const text = "INSERT INTO events (id, v) VALUES (1, 2);\n";
  const [d] = await client.open(doc, text);
  assert.equal(d.code, "IDEM001");
  assert.ok(asked.includes("vscode-vfs://github/owner/repo/idemsql.toml"));
  assert.ok(asked.includes("vscode-vfs://github/owner/repo/db/ddl.sql"));
  assert.ok(asked.every((k) => k.startsWith("vscode-vfs://github/") || k.startsWith("file://")), asked.join(", "));
  const [all] = await client.codeActions(doc, whole(text), ["source.fixAll"]);
  // The edit names the document by its mapped URI, which protocol2Code maps back.
  assert.deepEqual(serverUriToParts(all.edit.documentChanges[0].textDocument.uri), {
    scheme: "vscode-vfs",
    authority: "github",
    path: "/owner/repo/load.sql",
  });
  const fixed = applyWorkspaceEdit(text, all.edit, doc);
  assert.equal(fixed, fix(text, { dialect: "bigquery", schema: vfs.get("vscode-vfs://github/owner/repo/db/ddl.sql") }).sql);
  assert.match(fixed, /^MERGE INTO events/);
});

test("the in-process transports are what vscode-languageclient accepts as MessageTransports", async () => {
  const rpc = (await import("vscode-jsonrpc")).default;
  const { reader, writer } = inProcessTransports({ server: new LanguageServer(), readFile: async () => null, log: () => {} });
  // vscode-languageclient/node's createMessageTransports takes a function's result as
  // transports only when both pass these checks; otherwise it expects a child process.
  assert.equal(Boolean(rpc.MessageReader.is(reader)), true);
  assert.equal(Boolean(rpc.MessageWriter.is(writer)), true);
  assert.equal(rpc.MessageReader.is({ listen() {} }), false);
});
