#!/usr/bin/env node
// End-to-end test of the built playground (www/dist) in Debian's Chromium via playwright-core.
// Serves www/ from a plain static server and opens /dist/ (so the build must work from a
// sub-path of any static host), types an INSERT, picks a dialect, checks the output and the
// diagnostics, follows a shared URL, runs every example, and loads a 1 MB input. Saves
// screenshots under www/test-results/ (ignored by git). Prints "N passed, N failed".
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { launchChromium, openPage, serve } from "../../pkg/scripts/browser.mjs";

const www = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const results = join(www, "test-results");
mkdirSync(results, { recursive: true });
if (!existsSync(join(www, "dist", "index.html"))) {
  console.error("www/dist is missing: run `npm run build` in www/ first");
  process.exit(1);
}

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
function assert(condition, message) {
  if (!condition) throw new Error(message);
}
function assertEqual(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}:\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(actual)}`);
  }
}

const server = await serve(www);
const browser = await launchChromium();
await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
const site = `${server.url}/dist/`;
const errors = [];

const outputText = (page) => page.evaluate(() => window.__playground.output.state.doc.toString());
const inputText = (page) => page.evaluate(() => window.__playground.input.state.doc.toString());

/** Wait until the output pane shows `want` (a string, or a RegExp it matches). */
async function waitForOutput(page, want, timeout = 15_000) {
  try {
    await page.waitForFunction(
      ([source, flags, exact]) => {
        const text = window.__playground.output.state.doc.toString();
        return exact !== null ? text === exact : new RegExp(source, flags).test(text);
      },
      want instanceof RegExp ? [want.source, want.flags, null] : [null, null, want],
      { timeout },
    );
  } catch {
    const state = await page.evaluate(() => ({
      ...window.__playground.state(),
      sql: undefined,
      worker: window.__playground.worker(),
      status: document.getElementById("status").textContent,
    }));
    const error = await page.textContent("#error");
    throw new Error(
      `output never became ${want}; it is:\n${await outputText(page)}\nstate: ${JSON.stringify(state)}\nerror: ${error}`,
    );
  }
}

async function diagnosticRows(page) {
  return page.$$eval("#diagnostics li.diagnostic", (lis) =>
    lis.map((li) => ({
      code: li.dataset.code,
      severity: li.querySelector(".sev").textContent,
      loc: li.querySelector(".loc").textContent,
      text: li.querySelector(".msg").textContent,
    })),
  );
}

async function waitForIdle(page) {
  await page.waitForFunction(() => !/working/.test(document.getElementById("status").textContent));
}

const page = await openPage(browser.context, site, errors);
const TYPED = "INSERT INTO orders (order_id, amount, status) VALUES (7, 12.5, 'né 😀');";

await step("the page loads the WebAssembly build and shows the first example", async () => {
  await page.waitForFunction(() => /^idemsql \d/.test(document.getElementById("version").textContent), null, { timeout: 30_000 });
  await waitForOutput(page, /ON CONFLICT \(order_id\) DO UPDATE SET customer = EXCLUDED\.customer/);
  const dialects = await page.$$eval("#dialect option", (os) => os.map((o) => o.value));
  assertEqual(dialects.length, 15, "dialect options");
  assert(dialects.includes("snowflake") && dialects.includes("bigquery"), dialects.join());
  const marked = await page.$$eval("#output .cm-idemsql-changed", (els) => els.map((e) => e.textContent).join(""));
  assert(marked.includes("ON CONFLICT (order_id) DO UPDATE"), `changed parts are marked: ${marked}`);
});

await step("type an INSERT with a key and pick MySQL: the output is the MySQL upsert", async () => {
  await page.click("#input .cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.type(TYPED);
  // CodeMirror auto-closes brackets and quotes while typing; the editor must hold exactly what was typed.
  await page.waitForFunction(() => window.__playground.input.state.doc.length > 0);
  const typed = await inputText(page);
  if (typed !== TYPED) {
    // Undo auto-inserted closing characters, if any, by setting the text the user meant.
    await page.evaluate((t) => {
      const v = window.__playground.input;
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: t } });
    }, TYPED);
  }
  await page.fill("#keys", "orders=order_id");
  await page.selectOption("#dialect", "mysql");
  const strategies = await page.$$eval("#strategy option", (os) => os.map((o) => o.value));
  assertEqual(strategies.join(","), "auto,upsert,ignore,overwrite", "MySQL strategies");
  await waitForOutput(
    page,
    "INSERT INTO orders (order_id, amount, status) VALUES (7, 12.5, 'né 😀') AS new ON DUPLICATE KEY UPDATE amount = new.amount, status = new.status;",
  );
  await waitForIdle(page);
  assertEqual(await page.textContent("#output-info"), "1 change", "output info");
});

await step("diagnostics: the lint tab lists IDEM001 at 1:1 with its help; clicking selects the statement", async () => {
  await page.click("#tab-lint");
  await page.waitForSelector("#diagnostics li.diagnostic");
  const rows = await diagnosticRows(page);
  const row = rows.find((r) => r.code === "IDEM001");
  assert(row, JSON.stringify(rows));
  assertEqual(row.severity, "error", "severity");
  assertEqual(row.loc, "1:1", "location");
  assert(/plain INSERT into `?orders`? /.test(row.text), row.text);
  await page.click('#diagnostics li.diagnostic[data-code="IDEM001"]');
  const selected = await page.evaluate(() => {
    const v = window.__playground.input;
    const r = v.state.selection.main;
    return v.state.sliceDoc(r.from, r.to);
  });
  assertEqual(selected, TYPED.slice(0, -1), "selected range (the statement without its `;`)");
  // the squiggle in the editor
  await page.waitForSelector("#input .cm-lintRange-error");
});

await step("without a key the statement stays, and the rewrite tab says what to add", async () => {
  await page.fill("#keys", "");
  await waitForOutput(page, TYPED);
  await page.click("#tab-rewrite");
  await page.waitForFunction(() => document.querySelector('#diagnostics li.diagnostic[data-code="IDEM002"]'));
  // What remains after every fix: the INSERT is still plain (IDEM001) because no key is known.
  const rows = await diagnosticRows(page);
  assertEqual(rows.map((r) => r.code).join(), "IDEM001,IDEM002", "what remains");
  const noKey = rows.find((r) => r.code === "IDEM002");
  assert(/no key is known for `?orders`?/.test(noKey.text), noKey.text);
  assertEqual(await page.textContent("#count-rewrite"), "2", "count");
  assertEqual(await page.textContent("#output-info"), "unchanged", "output info");
  await page.fill("#keys", "orders=order_id");
  await waitForOutput(page, /ON DUPLICATE KEY UPDATE/);
});

await step("bad options show the library's message and the page keeps working", async () => {
  await page.fill("#keys", "orders=order id");
  await page.waitForSelector("#error:not([hidden])");
  const message = await page.textContent("#error");
  assert(/invalid `keys`/.test(message), message);
  await page.fill("#keys", "orders=order_id");
  await page.waitForSelector("#error", { state: "hidden" });
  await waitForOutput(page, /ON DUPLICATE KEY UPDATE/);
});

await step("the copy button copies the output", async () => {
  await page.click("#copy");
  await page.waitForFunction(() => document.getElementById("copy").textContent === "Copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assertEqual(copied, await outputText(page), "clipboard");
});

let shared;
await step("the URL holds the whole state, and opening it restores the page", async () => {
  await page.selectOption("#strategy", "ignore");
  await page.check("#nullSafe");
  await page.selectOption("#dedupe", "last");
  await page.check("#showSchema");
  await page.click("#schema .cm-content");
  await page.keyboard.type("CREATE TABLE audit (id int PRIMARY KEY);");
  await waitForOutput(page, /ON DUPLICATE KEY UPDATE order_id = order_id;$/);
  await waitForIdle(page);
  await page.waitForFunction(() => window.__playground.state().schema.includes("audit") && location.hash.length > 1);
  await page.waitForTimeout(300);
  shared = await page.evaluate(() => location.href);
  if (shared !== page.url()) console.log("    (page.url() is stale after history.replaceState)");
  await page.click("#share");
  await page.waitForFunction(() => document.getElementById("share").textContent === "Link copied");
  assertEqual(await page.evaluate(() => navigator.clipboard.readText()), shared, "copied link");

  const other = await openPage(browser.context, shared, errors);
  await waitForOutput(other, /ON DUPLICATE KEY UPDATE order_id = order_id;$/);
  assertEqual(await inputText(other), TYPED, "input restored");
  assertEqual(await other.inputValue("#dialect"), "mysql", "dialect restored");
  assertEqual(await other.inputValue("#strategy"), "ignore", "strategy restored");
  assertEqual(await other.inputValue("#keys"), "orders=order_id", "keys restored");
  assertEqual(await other.inputValue("#dedupe"), "last", "dedupe restored");
  assert(await other.isChecked("#nullSafe"), "nullSafe restored");
  assert(await other.isVisible("#schema-pane"), "schema pane shown");
  assertEqual(
    await other.evaluate(() => window.__playground.schema.state.doc.toString()),
    "CREATE TABLE audit (id int PRIMARY KEY);",
    "schema restored",
  );
  assertEqual(await outputText(other), await outputText(page), "same output");
  await other.close();
});

await step("a link followed in the same tab (hash change) restores its state too", async () => {
  await page.selectOption("#examples", "snowflake-merge");
  await waitForOutput(page, /^-- Latest version of each customer/);
  await page.evaluate((url) => {
    location.hash = new URL(url).hash;
  }, shared);
  await waitForOutput(page, /ON DUPLICATE KEY UPDATE order_id = order_id;$/);
  assertEqual(await page.inputValue("#dialect"), "mysql", "dialect restored");
});

await step("the output applies every fix (DDL guards too); \"INSERTs only\" applies the rewrites alone", async () => {
  const sql = "CREATE TABLE t (a int PRIMARY KEY, b int);\nINSERT INTO t (a, b) VALUES (1, 2);\nUPDATE t SET b = b + 1;\n";
  await page.selectOption("#dialect", "postgres");
  await page.selectOption("#strategy", "auto");
  await page.fill("#keys", "");
  await page.evaluate((t) => {
    const v = window.__playground.input;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: t } });
  }, sql);
  await waitForOutput(page, /^CREATE TABLE IF NOT EXISTS t \(a int PRIMARY KEY, b int\);\nINSERT INTO t \(a, b\) VALUES \(1, 2\) ON CONFLICT \(a\) DO UPDATE SET b = EXCLUDED\.b/);
  await waitForIdle(page);
  assertEqual(await page.textContent("#label-rewrite"), "Not fixed", "tab label");
  let rows;
  // Clicking what remains selects it in the output, where its offsets are.
  await page.click("#tab-rewrite");
  rows = await diagnosticRows(page);
  assertEqual(rows.map((r) => r.code).join(), "IDEM012", "what remains after every fix");
  await page.click("#diagnostics li.diagnostic");
  const selected = await page.evaluate(() => {
    const v = window.__playground.output;
    const r = v.state.selection.main;
    return v.state.sliceDoc(r.from, r.to);
  });
  // (Offsets of the input would land elsewhere: the fixes before it made the output longer.)
  assertEqual(selected, "b = b + 1", "selected in the output");
  const fixHash = await page.evaluate(() => location.hash);
  await page.check("#insertsOnly");
  await waitForOutput(page, /^CREATE TABLE t \(a int PRIMARY KEY, b int\);\nINSERT INTO t \(a, b\) VALUES \(1, 2\) ON CONFLICT \(a\)/);
  await waitForIdle(page);
  assertEqual(await page.textContent("#label-rewrite"), "Not rewritten", "tab label");
  assert((await page.evaluate(() => location.hash)) !== fixHash, "the switch is in the link");
  await page.uncheck("#insertsOnly");
  await waitForOutput(page, /^CREATE TABLE IF NOT EXISTS t/);
});

const EXPECT = {
  "orders-upsert": [/VALUES\n {4}\(1001, 'Ada', {4}10\.50, 'new'\),\n {4}\(1002, 'Grace', {3}3\.00, 'paid'\)\nON CONFLICT \(order_id\) DO UPDATE SET/, "postgres"],
  "daily-partition-reload": [/^-- Rebuild one day.*\nBEGIN;\nDELETE FROM daily_sales WHERE sale_date = DATE '2024-06-01';\nINSERT INTO daily_sales/s, "postgres"],
  "snowflake-merge": [/^MERGE INTO analytics\.customers AS t\nUSING \(SELECT customer_id/m, "snowflake"],
  "bigquery-overwrite": [/WHEN NOT MATCHED BY SOURCE AND t\.event_date = '2024-06-01' THEN DELETE/, "bigquery"],
};
for (const [id, [want, dialect]] of Object.entries(EXPECT)) {
  await step(`example ${id}`, async () => {
    await page.selectOption("#examples", id);
    await waitForOutput(page, want);
    assertEqual(await page.inputValue("#dialect"), dialect, "dialect");
    const marked = await page.$$eval("#output .cm-idemsql-changed", (els) => els.length);
    assert(marked > 0, "changed parts are marked");
  });
}

await step("screenshot of the BigQuery example", async () => {
  await page.click("#tab-lint");
  await waitForIdle(page);
  await page.screenshot({ path: join(results, "playground.png") });
});

await step("a 1 MB input: the page stays responsive and the output arrives", async () => {
  await page.selectOption("#examples", "orders-upsert");
  await waitForOutput(page, /ON CONFLICT \(order_id\) DO UPDATE SET customer = EXCLUDED\.customer/);
  const result = await page.evaluate(async () => {
    let sql = "CREATE TABLE orders (order_id int PRIMARY KEY, amount numeric, note text);\n";
    for (let i = 0; sql.length < 1_000_000; i++) {
      sql += `INSERT INTO orders (order_id, amount, note) VALUES (${i}, ${i}.5, 'héllo 😀 ${i}');\n`;
    }
    const { input, output } = window.__playground;
    // Heartbeat: the longest gap between timer ticks while the worker runs.
    let longest = 0;
    let prev = performance.now();
    const beat = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - prev);
      prev = now;
    }, 20);
    const started = performance.now();
    input.dispatch({ changes: { from: 0, to: input.state.doc.length, insert: sql } });
    // Keep typing at the end while it works.
    const typedAt = [];
    for (let k = 0; k < 5; k++) {
      await new Promise((r) => setTimeout(r, 100));
      const t = performance.now();
      input.dispatch({ changes: { from: input.state.doc.length, insert: "-" } });
      typedAt.push(performance.now() - t);
    }
    input.dispatch({ changes: { from: input.state.doc.length - 5, to: input.state.doc.length, insert: "" } });
    const want = (sql.match(/^INSERT/gm) ?? []).length;
    while (performance.now() - started < 60_000) {
      await new Promise((r) => setTimeout(r, 100));
      const text = output.state.doc.toString();
      const done = (text.match(/ON CONFLICT \(order_id\) DO UPDATE/g) ?? []).length === want && text.length > sql.length;
      if (done && !/working/.test(document.getElementById("status").textContent)) break;
    }
    clearInterval(beat);
    const text = output.state.doc.toString();
    return {
      chars: sql.length,
      statements: want,
      rewritten: (text.match(/ON CONFLICT \(order_id\) DO UPDATE/g) ?? []).length,
      seconds: (performance.now() - started) / 1000,
      longestGapMs: longest,
      slowestKeystrokeMs: Math.max(...typedAt),
      status: document.getElementById("status").textContent,
    };
  });
  console.log(`    ${JSON.stringify(result)}`);
  assertEqual(result.rewritten, result.statements, "every statement rewritten");
  assert(result.slowestKeystrokeMs < 250, `a keystroke took ${result.slowestKeystrokeMs} ms`);
  assert(result.longestGapMs < 1500, `the main thread stalled for ${result.longestGapMs} ms`);
  await page.screenshot({ path: join(results, "playground-1mb.png") });
});

await step("no errors in the console", async () => {
  assert(errors.length === 0, errors.join("\n"));
});

await browser.close();
await server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
