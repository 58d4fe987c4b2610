#!/usr/bin/env node
// The install test: use the package the way a user gets it.
//   1. `npm pack`, and check what the tarball holds.
//   2. Install the tarball into a fresh temporary project.
//   3. Node: import it from an .mjs file ("idemsql" with no init, `await init()`, "idemsql/web").
//   4. TypeScript: `tsc --noEmit` on .ts files against the shipped declarations, with
//      @ts-expect-error lines that fail if the types become loose.
//   5. Browsers (Debian Chromium): a plain <script type="module"> page, the "idemsql/web" entry,
//      and a page bundled by Vite from `import { rewrite } from "idemsql"`.
// Prints "N passed, N failed" and exits non-zero on any failure. Needs pkg/dist (npm run build).

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { launchChromium, openPage, serve } from "./browser.mjs";

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const keep = process.env.IDEMSQL_KEEP_TMP === "1";
const tmp = mkdtempSync(join(tmpdir(), "idemsql-install-"));
const project = join(tmp, "project");
mkdirSync(project);

let passed = 0;
let failed = 0;
async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (error) {
    failed++;
    console.log(`not ok - ${name}\n${String(error?.stack ?? error).replace(/^/gm, "    ")}`);
  }
}

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts });
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const write = (path, text) => {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), text);
};

if (!existsSync(join(pkgDir, "dist", "idemsql_bg.wasm"))) {
  console.error("pkg/dist is missing: run `npm run build` in pkg/ first");
  process.exit(1);
}

let tarball;
await step("npm pack: the tarball holds the package files and nothing else", () => {
  const out = JSON.parse(sh("npm", ["pack", "--json", "--pack-destination", tmp], { cwd: pkgDir }));
  tarball = join(tmp, out[0].filename);
  const files = out[0].files.map((f) => f.path).sort();
  const want = [
    "LICENSE",
    "README.md",
    "dist/idemsql.js",
    "dist/idemsql_bg.wasm",
    "dist/idemsql_lsp.js",
    "dist/idemsql_lsp_bg.wasm",
    "index.d.ts",
    "lsp-web.d.ts",
    "lsp.d.ts",
    "package.json",
    "src/browser.js",
    "src/core.js",
    "src/instance.js",
    "src/lsp-core.js",
    "src/lsp-node.js",
    "src/lsp-web.js",
    "src/node.js",
    "src/web.js",
    "web.d.ts",
  ];
  assert(JSON.stringify(files) === JSON.stringify(want), `tarball files: ${files.join(", ")}`);
  console.log(`    ${out[0].filename}: ${out[0].size} bytes packed, ${out[0].unpackedSize} unpacked`);
});

await step("npm install of the tarball into a fresh project", () => {
  write("package.json", JSON.stringify({ name: "idemsql-install-test", private: true, type: "module" }, null, 2));
  sh("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", tarball], { cwd: project });
  assert(existsSync(join(project, "node_modules", "idemsql", "dist", "idemsql_bg.wasm")), "installed");
});

await step("Node: import { rewrite } from \"idemsql\" works with no init call", () => {
  write(
    "use.mjs",
    `import assert from "node:assert/strict";
import { rewrite, check, fix, dialects, version } from "idemsql";
const sql = "CREATE TABLE orders (order_id int PRIMARY KEY, amount numeric);\\n-- 😀\\nINSERT INTO orders (order_id, amount) VALUES (1, 2);";
const out = rewrite(sql, { dialect: "postgres" });
assert.match(out.sql, /VALUES \\(1, 2\\) ON CONFLICT \\(order_id\\) DO UPDATE SET amount = EXCLUDED\\.amount WHERE orders\\.amount IS DISTINCT FROM EXCLUDED\\.amount;$/);
assert.equal(out.edits[0].start, sql.length - 1);
const d = check(sql).find((x) => x.code === "IDEM001");
assert.equal(d.start.offset, sql.indexOf("INSERT"));
assert.equal(d.start.line, 3);
assert.match(fix(sql).sql, /CREATE TABLE IF NOT EXISTS/);
assert.ok(dialects().length >= 15);
assert.match(version(), /^\\d+\\.\\d+\\.\\d+/);
assert.throws(() => rewrite(sql, { dialekt: "x" }), TypeError);
await assert.rejects(import("idemsql/src/core.js"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
console.log("use.mjs ok");
`,
  );
  assert(sh("node", ["use.mjs"], { cwd: project }).includes("use.mjs ok"), "use.mjs");
});

await step("Node: `await init()` (default export) then call", () => {
  write(
    "init.mjs",
    `import init, { rewrite } from "idemsql";
await init();
if (rewrite("SELECT 1;").sql !== "SELECT 1;") throw new Error("rewrite");
console.log("init.mjs ok");
`,
  );
  assert(sh("node", ["init.mjs"], { cwd: project }).includes("init.mjs ok"), "init.mjs");
});

await step("Node: \"idemsql/web\" throws a clear error before init, works after init(bytes)", () => {
  write(
    "web.mjs",
    `import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import init, { rewrite } from "idemsql/web";
assert.throws(() => rewrite("SELECT 1;"), /before the WebAssembly module was loaded; \`await init\\(\\)\` first/);
const wasm = readFileSync(new URL(import.meta.resolve("idemsql/idemsql_bg.wasm")));
await init(wasm);
assert.equal(rewrite("SELECT 1;").sql, "SELECT 1;");
assert.equal(init(), init(), "init returns one promise");
console.log("web.mjs ok");
`,
  );
  assert(sh("node", ["web.mjs"], { cwd: project }).includes("web.mjs ok"), "web.mjs");
});

await step("Node: \"idemsql/lsp\" answers LSP messages; \"idemsql/lsp/web\" after init(bytes)", () => {
  // One scenario, run on a server from each entry point (separate processes: both entry
  // points share one instance per process).
  write(
    "lsp-run.mjs",
    `import assert from "node:assert/strict";
export function run(server) {
  const [init] = server.handle({ jsonrpc: "2.0", id: 1, method: "initialize", params: { capabilities: {} } });
  assert.equal(init.result.serverInfo.name, "idemsql");
  server.handle({ jsonrpc: "2.0", method: "initialized", params: {} });
  const text = "-- 😀\\nINSERT INTO t (id) VALUES (1);";
  const out = server.handle({ jsonrpc: "2.0", method: "textDocument/didOpen",
    params: { textDocument: { uri: "file:///p/a.sql", languageId: "sql", version: 1, text } } });
  assert.deepEqual(server.fileRequests(), ["/p/idemsql.toml", "/p/pyproject.toml", "/idemsql.toml", "/pyproject.toml"]);
  out.push(...server.provideFile("/p/idemsql.toml", "dialect = 'mysql'"));
  for (const p of ["/p/pyproject.toml", "/idemsql.toml", "/pyproject.toml"]) out.push(...server.provideFile(p, null));
  const published = out.filter((m) => m.method === "textDocument/publishDiagnostics");
  assert.equal(published.length, 1);
  assert.equal(published[0].params.diagnostics[0].code, "IDEM001");
  assert.deepEqual(published[0].params.diagnostics[0].range.start, { line: 1, character: 0 });
}
`,
  );
  write(
    "lsp.mjs",
    `import { LanguageServer } from "idemsql/lsp";
import { run } from "./lsp-run.mjs";
run(new LanguageServer());
console.log("lsp.mjs ok");
`,
  );
  write(
    "lsp-web.mjs",
    `import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import initWeb, { LanguageServer } from "idemsql/lsp/web";
import { run } from "./lsp-run.mjs";
assert.throws(() => new LanguageServer(), /before the WebAssembly module was loaded/);
await initWeb(readFileSync(new URL(import.meta.resolve("idemsql/idemsql_lsp_bg.wasm"))));
run(new LanguageServer());
console.log("lsp-web.mjs ok");
`,
  );
  assert(sh("node", ["lsp.mjs"], { cwd: project }).includes("lsp.mjs ok"), "lsp.mjs");
  assert(sh("node", ["lsp-web.mjs"], { cwd: project }).includes("lsp-web.mjs ok"), "lsp-web.mjs");
});

const tsc = join(pkgDir, "node_modules", "typescript", "bin", "tsc");

await step("TypeScript (nodenext, no DOM, no @types): the declarations type-check and are precise", () => {
  write(
    "use.ts",
    `import init, { rewrite, check, fix, dialects, version } from "idemsql";
// No DOM and no @types/node here: the declarations must need nothing else.
declare const console: { log(...values: unknown[]): void };
import type { Diagnostic, DialectName, Options, Position, RewriteResult, StrategyName, TextEdit } from "idemsql";

await init();
const options: Options = {
  dialect: "snowflake",
  strategy: "merge",
  keys: { orders: ["order_id"] },
  defaultKey: ["id"],
  partitions: { events: ["event_date"] },
  partitionValues: { event_date: ["DATE '2024-01-01'"] },
  schema: "CREATE TABLE orders (order_id int PRIMARY KEY)",
  nullSafe: true,
  dedupe: "last",
  ignore: ["IDEM013"],
};
const out: RewriteResult = rewrite("INSERT INTO orders (order_id) VALUES (1);", options);
const sql: string = out.sql;
const edits: TextEdit[] = out.edits;
const diagnostics: Diagnostic[] = check(sql);
const first: Diagnostic | undefined = diagnostics[0];
if (first) {
  const start: Position = first.start;
  const offset: number = start.offset + first.end.column;
  const help: string | null = first.help;
  const severity: "info" | "warning" | "error" = first.severity;
  const editCount: number = first.fix ? first.fix.edits.length : 0;
  console.log(offset, help, severity, editCount);
  // @ts-expect-error help may be null
  const notNull: string = first.help;
  // @ts-expect-error fix may be null
  first.fix.edits;
  console.log(notNull);
}
const names: DialectName[] = dialects().map((d) => d.name);
const strategies: StrategyName[] = dialects().flatMap((d) => d.strategies);
const v: string = version();
fix("SELECT 1;");
rewrite("SELECT 1;");
rewrite("SELECT 1;", null);
console.log(edits, names, strategies, v);

// @ts-expect-error unknown dialect
rewrite("x", { dialect: "postgress" });
// @ts-expect-error unknown option
rewrite("x", { dialekt: "postgres" });
// @ts-expect-error keys are lists of columns
rewrite("x", { keys: { orders: "order_id" } });
// @ts-expect-error schemaFiles are not read by the WebAssembly build
rewrite("x", { schemaFiles: ["a.sql"] });
// @ts-expect-error sql is a string
check(42);
// @ts-expect-error the result is not any
const wrong: number = rewrite("x").sql;
console.log(wrong);
`,
  );
  write(
    "lsp.ts",
    `import init, { LanguageServer } from "idemsql/lsp";
import type { Message, JsonValue, RequestMessage, ResponseMessage } from "idemsql/lsp";
declare const console: { log(...values: unknown[]): void };

await init();
const server = new LanguageServer();
const request: RequestMessage = { jsonrpc: "2.0", id: 1, method: "initialize", params: { capabilities: {} } };
const out: Message[] = server.handle(request);
server.handle(JSON.stringify(request));
const first: Message | undefined = out[0];
if (first && "id" in first && !("method" in first)) {
  const response: ResponseMessage = first;
  const result: JsonValue | undefined = response.result;
  console.log(result, response.error?.code);
}
const paths: string[] = server.fileRequests();
const more: Message[] = server.provideFile("/p/idemsql.toml", null);
const code: number | null = server.exitCode;
const crashed: boolean = server.crashed;
server.free();
console.log(paths, more, code, crashed);
// @ts-expect-error a message needs jsonrpc and method or id
server.handle({ method: "initialize" });
// @ts-expect-error provideFile takes text or null, not undefined
server.provideFile("/a");
// @ts-expect-error exitCode is read-only
server.exitCode = 0;
// @ts-expect-error the messages are not any
const wrong: string = server.handle(request)[0];
console.log(wrong);
`,
  );
  write(
    "tsconfig.json",
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          lib: ["es2022"],
          types: [],
          skipLibCheck: false,
        },
        files: ["use.ts", "lsp.ts"],
      },
      null,
      2,
    ),
  );
  try {
    sh("node", [tsc, "-p", "tsconfig.json"], { cwd: project });
  } catch (e) {
    throw new Error(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});

await step("TypeScript (bundler resolution, DOM): \"idemsql/web\" and its init() input types", () => {
  write(
    "web.ts",
    `import init, { rewrite, type InitInput, type Options } from "idemsql/web";

const input: InitInput = new URL("/idemsql_bg.wasm", "https://example.com");
await init(input);
await init(fetch("/idemsql_bg.wasm"));
await init(new Uint8Array([0, 97, 115, 109]));
await init();
const options: Options = { dialect: "bigquery", strategy: "overwrite" };
const text: string = rewrite("SELECT 1;", options).sql;
console.log(text);
// @ts-expect-error init takes no null
await init(null);
`,
  );
  write(
    "lsp-web.ts",
    `import initLsp, { LanguageServer, type InitInput, type Message } from "idemsql/lsp/web";

const wasm: InitInput = await (await fetch("/idemsql_lsp_bg.wasm")).arrayBuffer();
await initLsp(wasm);
await initLsp(new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])));
const worker: Message[] = new LanguageServer().handle('{"jsonrpc":"2.0","method":"initialized"}');
console.log(worker);
// @ts-expect-error init takes no null (WebAssembly.Module is an empty interface: any object fits)
await initLsp(null);
`,
  );
  write(
    "tsconfig.web.json",
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "es2022",
          module: "esnext",
          moduleResolution: "bundler",
          lib: ["es2022", "dom"],
          types: [],
          skipLibCheck: false,
        },
        files: ["web.ts", "lsp-web.ts"],
      },
      null,
      2,
    ),
  );
  try {
    sh("node", [tsc, "-p", "tsconfig.web.json"], { cwd: project });
  } catch (e) {
    throw new Error(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});

// Browser pages: each sets document.title to "ok: ..." or "error: ...".
write(
  "plain.html",
  `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>loading</title>
<script type="module">
  import { rewrite, check, version } from "./node_modules/idemsql/src/browser.js";
  try {
    const sql = "-- é😀\\nINSERT INTO orders (order_id, amount) VALUES (1, 2);";
    const out = rewrite(sql, { dialect: "mysql", keys: { orders: ["order_id"] } });
    const [d] = check(sql);
    if (!out.sql.endsWith("AS new ON DUPLICATE KEY UPDATE amount = new.amount;")) throw new Error(out.sql);
    if (d.start.offset !== sql.indexOf("INSERT") || d.start.line !== 2) throw new Error(JSON.stringify(d.start));
    // After a crash the wrapper starts a fresh instance synchronously, on the main thread.
    const { __panicForTesting } = await import("./node_modules/idemsql/src/core.js");
    let crash = "";
    try { __panicForTesting(); } catch (e) { crash = e.message; }
    if (!/internal error .*deliberate panic/s.test(crash)) throw new Error("crash: " + crash);
    if (rewrite(sql, { dialect: "mysql", keys: { orders: ["order_id"] } }).sql !== out.sql) throw new Error("no answer after a crash");
    document.title = "ok: " + version();
  } catch (e) {
    document.title = "error: " + e.message;
  }
</script>`,
);
write(
  "web.html",
  `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>loading</title>
<script type="module">
  import init, { rewrite } from "./node_modules/idemsql/src/web.js";
  try {
    let threw = false;
    try { rewrite("SELECT 1;"); } catch { threw = true; }
    if (!threw) throw new Error("rewrite worked before init()");
    await init();
    const out = rewrite("INSERT INTO orders (id) VALUES (1);", { dialect: "bigquery", keys: { orders: ["id"] } });
    if (!out.sql.startsWith("MERGE INTO orders AS t USING (SELECT 1 AS id) AS s ON t.id = s.id")) throw new Error(out.sql);
    document.title = "ok: web";
  } catch (e) {
    document.title = "error: " + e.message;
  }
</script>`,
);
write(
  "bundle/index.html",
  `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>loading</title><script type="module" src="./main.js"></script>`,
);
write(
  "bundle/main.js",
  `import { rewrite, dialects } from "idemsql";
try {
  const out = rewrite("INSERT INTO events (d, v) SELECT d, v FROM s WHERE d = DATE '2024-01-01';", {
    dialect: "bigquery",
    partitions: { events: ["d"] },
  });
  if (!out.sql.includes("WHEN NOT MATCHED BY SOURCE AND t.d = DATE '2024-01-01' THEN DELETE")) throw new Error(out.sql);
  document.title = "ok: bundled, " + dialects().length + " dialects";
} catch (e) {
  document.title = "error: " + e.message;
}
`,
);

await step("Vite bundles `import { rewrite } from \"idemsql\"` with the .wasm as an asset", () => {
  const vite = join(pkgDir, "node_modules", "vite", "bin", "vite.js");
  try {
    sh("node", [vite, "build", "--logLevel", "warn", "--base", "./", "--outDir", join(project, "bundle-dist"), join(project, "bundle")], {
      cwd: project,
    });
  } catch (e) {
    throw new Error(`vite build failed:\n${e.stdout}${e.stderr}`);
  }
  const assets = sh("ls", [join(project, "bundle-dist", "assets")]);
  assert(/idemsql_bg-.*\.wasm/.test(assets), `the .wasm is emitted as an asset: ${assets}`);
});

let browser;
let server;
try {
  server = await serve(project);
  browser = await launchChromium();
} catch (error) {
  failed++;
  console.log(`not ok - start Chromium and a static server\n    ${error.message}`);
}

async function pageTitle(path) {
  const errors = [];
  const page = await openPage(browser.context, `${server.url}/${path}`, errors);
  try {
    await page.waitForFunction(() => document.title !== "loading", null, { timeout: 30_000 });
  } catch (error) {
    throw new Error(`${error.message}; ${errors.join("; ")}`);
  }
  const title = await page.title();
  await page.close();
  return { title, errors };
}

if (browser) {
  for (const [name, path, want] of [
    ["Chromium: plain <script type=\"module\"> importing src/browser.js (no init call; recovers from a crash)", "plain.html", /^ok: \d/],
    ["Chromium: \"idemsql/web\" with await init()", "web.html", /^ok: web$/],
    ["Chromium: the Vite bundle", "bundle-dist/index.html", /^ok: bundled, 15 dialects$/],
  ]) {
    await step(name, async () => {
      const { title, errors } = await pageTitle(path);
      assert(want.test(title), `title: ${title}; ${errors.join("; ")}`);
      assert(errors.length === 0, errors.join("; "));
    });
  }
}

await browser?.close();
await server?.close();
if (keep) console.log(`kept ${tmp}`);
else rmSync(tmp, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
