// The package's API, as a Node.js user imports it: `import { rewrite } from "idemsql"`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import init, { rewrite, fix, check, dialects, version } from "idemsql";

const ORDERS_DDL = "CREATE TABLE orders (order_id int PRIMARY KEY, amount numeric, status text);\n";
const ORDERS_INSERT = "INSERT INTO orders (order_id, amount, status) VALUES (1, 10.5, 'new');\n";
const EVENTS_INSERT =
  "INSERT INTO events (event_date, id, v) SELECT event_date, id, v FROM staging " +
  "WHERE event_date = DATE '2024-01-01';\n";

/** Apply edits given in UTF-16 offsets, the way an editor would. */
function applyEdits(text, edits) {
  let out = "";
  let pos = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    assert.ok(e.start >= pos && e.end >= e.start && e.end <= text.length, JSON.stringify(e));
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/** The members of a string-literal union declared in index.d.ts. */
function declaredUnion(name) {
  const dts = readFileSync(new URL("../index.d.ts", import.meta.url), "utf8");
  const m = dts.match(new RegExp(`export type ${name} =([^;]+);`));
  assert.ok(m, `${name} is declared`);
  return [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
}

test("ready on import; init() resolves and is optional", async () => {
  assert.equal(typeof rewrite, "function");
  await init();
  assert.equal(rewrite("SELECT 1;").sql, "SELECT 1;");
});

test("version() is the crate's version", () => {
  const cargo = readFileSync(new URL("../../Cargo.toml", import.meta.url), "utf8");
  const crateVersion = cargo.match(/^version = "([^"]+)"/m)[1];
  assert.equal(version(), crateVersion);
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  assert.equal(pkg.version, crateVersion, "package.json version follows Cargo.toml");
});

test("dialects() matches the DialectName and StrategyName types", () => {
  const list = dialects();
  assert.deepEqual(
    list.map((d) => d.name).sort(),
    declaredUnion("DialectName").sort(),
  );
  const strategies = declaredUnion("StrategyName");
  for (const d of list) {
    assert.deepEqual(Object.keys(d).sort(), ["name", "strategies"]);
    assert.ok(d.strategies.includes("auto"), d.name);
    for (const s of d.strategies) assert.ok(strategies.includes(s), `${d.name}: ${s}`);
  }
  assert.deepEqual(
    list.find((d) => d.name === "postgres").strategies,
    ["auto", "upsert", "ignore", "merge", "overwrite"],
  );
});

test("strategy upsert: ON CONFLICT DO UPDATE (postgres), ON DUPLICATE KEY UPDATE (mysql)", () => {
  const pg = rewrite(ORDERS_DDL + ORDERS_INSERT, { dialect: "postgres", strategy: "upsert" });
  assert.equal(
    pg.sql,
    ORDERS_DDL +
      "INSERT INTO orders (order_id, amount, status) VALUES (1, 10.5, 'new') ON CONFLICT (order_id) " +
      "DO UPDATE SET amount = EXCLUDED.amount, status = EXCLUDED.status " +
      "WHERE orders.amount IS DISTINCT FROM EXCLUDED.amount OR orders.status IS DISTINCT FROM EXCLUDED.status;\n",
  );
  assert.deepEqual(pg.diagnostics, []);
  const my = rewrite(ORDERS_DDL + ORDERS_INSERT, { dialect: "mysql", strategy: "upsert" });
  assert.match(my.sql, /VALUES \(1, 10\.5, 'new'\) AS new ON DUPLICATE KEY UPDATE amount = new\.amount, status = new\.status;/);
});

test("strategy ignore: ON CONFLICT DO NOTHING, no-op ODKU on mysql", () => {
  const pg = rewrite(ORDERS_DDL + ORDERS_INSERT, { strategy: "ignore" });
  assert.match(pg.sql, /VALUES \(1, 10\.5, 'new'\) ON CONFLICT \(order_id\) DO NOTHING;/);
  const my = rewrite(ORDERS_DDL + ORDERS_INSERT, { dialect: "mysql", strategy: "ignore" });
  assert.match(my.sql, /ON DUPLICATE KEY UPDATE order_id = order_id;/);
});

test("strategy merge: MERGE INTO on postgres; auto is MERGE on snowflake", () => {
  // The literals' rendering is the library's business (PostgreSQL types VALUES columns).
  const merged = new RegExp(
    "^MERGE INTO orders AS t USING \\(VALUES \\(1, .*10\\.5.*, 'new'\\)\\) AS s \\(order_id, amount, status\\) " +
      "ON t\\.order_id = s\\.order_id WHEN MATCHED AND \\(t\\.amount IS DISTINCT FROM s\\.amount OR t\\.status IS DISTINCT FROM s\\.status\\) THEN UPDATE SET amount = s\\.amount, status = s\\.status " +
      "WHEN NOT MATCHED THEN INSERT \\(order_id, amount, status\\) VALUES \\(s\\.order_id, s\\.amount, s\\.status\\);$",
    "m",
  );
  const pg = rewrite(ORDERS_DDL + ORDERS_INSERT, { strategy: "merge" });
  assert.ok(pg.sql.startsWith(ORDERS_DDL));
  assert.match(pg.sql, merged);
  const sf = rewrite(ORDERS_DDL + ORDERS_INSERT, { dialect: "snowflake" });
  assert.match(sf.sql, merged);
  assert.deepEqual(sf, rewrite(ORDERS_DDL + ORDERS_INSERT, { dialect: "snowflake", strategy: "merge" }));
});

test("strategy overwrite: DELETE + INSERT in a transaction; BigQuery MERGE by source", () => {
  const options = { partitions: { events: ["event_date"] }, strategy: "overwrite" };
  const pg = rewrite(EVENTS_INSERT, options);
  assert.equal(
    pg.sql,
    "BEGIN; DELETE FROM events WHERE event_date = DATE '2024-01-01'; " + EVENTS_INSERT.trimEnd().replace(/;$/, "; COMMIT;") + "\n",
  );
  const bq = rewrite(EVENTS_INSERT, { ...options, dialect: "bigquery" });
  assert.match(bq.sql, /^MERGE INTO events AS t USING \(SELECT .*\) AS s ON FALSE WHEN NOT MATCHED BY SOURCE AND t\.event_date = DATE '2024-01-01' THEN DELETE WHEN NOT MATCHED THEN INSERT/);
  // auto picks overwrite for a partitioned table without a key
  assert.equal(rewrite(EVENTS_INSERT, { partitions: { events: ["event_date"] } }).sql, pg.sql);
});

test("options: keys, schema, defaultKey, nullSafe, dedupe, ignore reach the library", () => {
  const insert = "INSERT INTO orders (order_id, amount) VALUES (1, 2);";
  assert.match(rewrite(insert, { keys: { orders: ["order_id"] } }).sql, /ON CONFLICT \(order_id\)/);
  assert.match(rewrite(insert, { defaultKey: ["order_id"] }).sql, /ON CONFLICT \(order_id\)/);
  assert.match(rewrite(insert, { schema: ORDERS_DDL }).sql, /ON CONFLICT \(order_id\)/);
  const nullSafe = rewrite(insert, { keys: { orders: ["order_id"] }, strategy: "merge", nullSafe: true });
  assert.match(nullSafe.sql, /t\.order_id IS NOT DISTINCT FROM s\.order_id/);
  const dup = "INSERT INTO orders (order_id, amount) VALUES (1, 2), (1, 3);";
  assert.equal(rewrite(dup, { keys: { orders: ["order_id"] } }).sql, dup, "refused without dedupe");
  assert.match(rewrite(dup, { keys: { orders: ["order_id"] }, dedupe: "last" }).sql, /VALUES \(1, 3\) ON CONFLICT/);
  const unknown = rewrite(insert, {});
  assert.deepEqual(unknown.diagnostics.map((d) => d.code), ["IDEM002"]);
  assert.deepEqual(rewrite(insert, { ignore: ["IDEM002"] }).diagnostics, []);
  assert.deepEqual(rewrite(insert, { ignore: ["missing-key"] }).diagnostics, []);
});

test("no key known: the statement stays, with a diagnostic saying what to add", () => {
  const insert = "INSERT INTO orders (order_id, amount) VALUES (1, 2);";
  const r = rewrite(insert);
  assert.equal(r.sql, insert);
  assert.deepEqual(r.edits, []);
  const [d] = r.diagnostics;
  assert.deepEqual(Object.keys(d).sort(), ["code", "end", "fix", "help", "message", "name", "severity", "start", "url"]);
  assert.equal(d.code, "IDEM002");
  assert.equal(d.name, "missing-key");
  assert.equal(d.severity, "error");
  assert.equal(typeof d.help, "string");
  assert.equal(d.fix, null);
  assert.equal(d.url.endsWith("/missing-key.md"), true);
});

test("positions: 1-based lines and columns, offsets in UTF-16 after accents and emoji", () => {
  const prefix = "-- café 😀 naïve\n/* 👩‍👩‍👧 */ ";
  const stmt = "INSERT INTO orders (order_id, amount) VALUES (1, 'é😀')";
  const text = prefix + stmt + ";\n";
  const [d] = check(text);
  assert.equal(d.code, "IDEM001");
  const at = text.indexOf("INSERT");
  assert.equal(d.start.offset, at);
  assert.equal(d.start.line, 2);
  assert.equal(d.start.column, at - text.indexOf("\n") , "column counts UTF-16 units from the line start (1-based)");
  assert.equal(d.end.offset, at + stmt.length);
  assert.equal(d.end.line, 2);
  assert.equal(d.end.column, d.start.column + stmt.length);
  assert.equal(text.slice(d.start.offset, d.end.offset), stmt, "the range is the statement, without its `;`");
});

test("edits and fixes are in UTF-16 offsets: splicing them gives the rewritten text", () => {
  const text = "-- 😀😀 é\n" + ORDERS_DDL + "/* ü */ " + ORDERS_INSERT + "-- 🎉\n" + ORDERS_INSERT;
  const options = { dialect: "postgres" };
  const out = rewrite(text, options);
  assert.equal(out.edits.length, 2);
  assert.equal(applyEdits(text, out.edits), out.sql);
  const found = check(text, options);
  const fixes = found.filter((d) => d.code === "IDEM001");
  assert.equal(fixes.length, 2);
  for (const d of fixes) {
    assert.ok(d.fix);
    for (const e of d.fix.edits) {
      assert.ok(e.start >= d.start.offset && e.end <= d.end.offset, "the fix edits its own statement");
    }
  }
  assert.equal(applyEdits(text, fixes.flatMap((d) => d.fix.edits)), out.sql);
  assert.equal(typeof fixes[0].fix.message, "string");
});

test("fix() applies every fix; its diagnostics are positioned in the fixed text", () => {
  const text = "-- 😀\nCREATE TABLE orders (order_id int PRIMARY KEY, v text);\nINSERT INTO orders (order_id, v) VALUES (1, 'a');\nINSERT INTO other (id) VALUES (1);\n";
  const out = fix(text);
  assert.match(out.sql, /CREATE TABLE IF NOT EXISTS orders/);
  assert.match(out.sql, /ON CONFLICT \(order_id\) DO UPDATE SET v = EXCLUDED\.v WHERE [a-z_]+\.v IS DISTINCT FROM EXCLUDED\.v;/);
  assert.equal(applyEdits(text, out.edits), out.sql);
  const remaining = out.diagnostics.find((d) => d.code === "IDEM001");
  assert.ok(remaining, JSON.stringify(out.diagnostics));
  assert.equal(out.sql.slice(remaining.start.offset, remaining.end.offset), "INSERT INTO other (id) VALUES (1)");
});

test("a syntax error is a diagnostic, not an exception", () => {
  const text = "INSERT INTO orders (order_id VALUES (1;\nINSERT INTO orders (order_id) VALUES (2);";
  const out = rewrite(text, { keys: { orders: ["order_id"] } });
  const codes = out.diagnostics.map((d) => d.code);
  assert.ok(codes.length >= 1, "the unparsable statement is reported");
  assert.ok(out.sql.startsWith("INSERT INTO orders (order_id VALUES (1;\n"), "passed through byte for byte");
  assert.match(out.sql, /VALUES \(2\) ON CONFLICT \(order_id\) DO NOTHING;$/);
});

test("lone UTF-16 surrogates are read as U+FFFD and keep every offset in place", () => {
  const text = "-- \uD800 \uDC00x\uDBFF\nINSERT INTO orders (order_id) VALUES (1);";
  const [d] = check(text);
  assert.equal(d.start.offset, text.indexOf("INSERT"));
  assert.equal(d.start.line, 2);
  assert.equal(d.start.column, 1);
  const out = rewrite(text, { keys: { orders: ["order_id"] } });
  assert.equal(applyEdits(text.replace(/[\uD800-\uDFFF]/g, "\uFFFD"), out.edits), out.sql);
});

test("options may be omitted, undefined or null", () => {
  for (const options of [undefined, null, {}]) {
    assert.deepEqual(rewrite(ORDERS_DDL + ORDERS_INSERT, options), rewrite(ORDERS_DDL + ORDERS_INSERT));
  }
  // a field set to undefined counts as absent (JSON drops it)
  assert.equal(rewrite(ORDERS_DDL + ORDERS_INSERT, { dialect: undefined }).sql, rewrite(ORDERS_DDL + ORDERS_INSERT).sql);
});

test("errors: unknown fields and bad values throw a TypeError naming the field", () => {
  const cases = [
    [{ dialekt: "mysql" }, /`dialekt`/],
    [{ dialect: "postgress" }, /`dialect`.*unknown variant `postgress`/],
    [{ dialect: 5 }, /`dialect`/],
    [{ strategy: "upsrt" }, /`strategy`/],
    [{ keys: { orders: "order_id" } }, /`keys\.orders`.*expected a sequence/],
    [{ keys: ["order_id"] }, /`keys`/],
    [{ keys: { orders: [] } }, /`keys`: lists no columns/],
    [{ partitions: { events: [1] } }, /`partitions\.events\[0\]`/],
    [{ nullSafe: "yes" }, /`nullSafe`/],
    [{ dedupe: "middle" }, /`dedupe`/],
    [{ ignore: ["IDEM999"] }, /`ignore`/],
    [{ schema: 42 }, /`schema`/],
    [{ schemaFiles: ["ddl.sql"] }, /`schemaFiles`.*reads no files.*`schema`/],
  ];
  for (const [options, pattern] of cases) {
    for (const fn of [rewrite, check, fix]) {
      assert.throws(
        () => fn("INSERT INTO orders (order_id) VALUES (1);", options),
        (e) => e instanceof TypeError && pattern.test(e.message) && !/line 1 column/.test(e.message),
        `${fn.name}(${JSON.stringify(options)})`,
      );
    }
  }
});

test("errors: options that are not an object, and sql that is not a string", () => {
  for (const options of ["postgres", 1, true, ["postgres"]]) {
    assert.throws(() => rewrite("SELECT 1;", options), (e) => e instanceof TypeError && /invalid options: expected an object/.test(e.message));
  }
  const cyclic = {};
  cyclic.self = cyclic;
  assert.throws(() => rewrite("SELECT 1;", cyclic), (e) => e instanceof TypeError && /cannot be read as JSON/.test(e.message));
  assert.throws(() => rewrite("SELECT 1;", { dialect: 10n }), (e) => e instanceof TypeError && /cannot be read as JSON/.test(e.message));
  for (const sql of [undefined, null, 42, ["SELECT 1"], { sql: "x" }]) {
    assert.throws(() => rewrite(sql), (e) => e instanceof TypeError && /`sql` must be a string/.test(e.message));
    assert.throws(() => check(sql), TypeError);
    assert.throws(() => fix(sql), TypeError);
  }
  // the instance is fine after errors
  assert.match(rewrite(ORDERS_DDL + ORDERS_INSERT).sql, /ON CONFLICT/);
});
