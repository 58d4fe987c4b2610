// The playground's pure state functions: option parsing, URL encoding, changed ranges.
import { test } from "node:test";
import assert from "node:assert/strict";

import { DEFAULT_STATE, changedRanges, decodeState, encodeState, parseSpecs, parseValues, splitOutside, toOptions } from "../src/state.js";
import { EXAMPLES } from "../src/examples.js";
import { rewrite } from "idemsql";
import LZString from "lz-string";

test("splitOutside keeps quoted names and parenthesised text whole", () => {
  assert.deepEqual(splitOutside(`a; "x;y" ;[p;q]; f(1;2) ;`, [";"]), ["a", `"x;y"`, "[p;q]", "f(1;2)"]);
  assert.deepEqual(splitOutside("", [";"]), []);
});

test("parseSpecs: tables, several columns, quoted names, bare default key, half-typed entries", () => {
  assert.deepEqual(parseSpecs("orders=order_id; lines = order_id, line_no\nid"), {
    map: { orders: ["order_id"], lines: ["order_id", "line_no"] },
    bare: ["id"],
  });
  assert.deepEqual(parseSpecs(`"Order Lines"="Line No","x,y"`).map, { '"Order Lines"': ['"Line No"', '"x,y"'] });
  assert.deepEqual(parseSpecs("orders=; =a; orders=b; orders=c"), { map: { orders: ["b", "c"] }, bare: [] });
  assert.deepEqual(parseSpecs(""), { map: {}, bare: [] });
});

test("parseValues: literals may hold commas and '='", () => {
  assert.deepEqual(parseValues("event_date=DATE '2024-01-01'; event_date = '2024-01-02'\nregion='a=b, c'"), {
    event_date: ["DATE '2024-01-01'", "'2024-01-02'"],
    region: ["'a=b, c'"],
  });
  assert.deepEqual(parseValues("x; y="), {});
});

test("toOptions leaves empty fields out and maps the rest", () => {
  assert.deepEqual(toOptions(DEFAULT_STATE), { dialect: "postgres", strategy: "auto" });
  assert.deepEqual(
    toOptions({
      ...DEFAULT_STATE,
      dialect: "mysql",
      strategy: "ignore",
      keys: "orders=order_id; id",
      partitions: "events=event_date",
      partitionValues: "event_date='2024-01-01'",
      schema: "CREATE TABLE t (a int);",
      nullSafe: true,
      dedupe: "last",
    }),
    {
      dialect: "mysql",
      strategy: "ignore",
      keys: { orders: ["order_id"] },
      defaultKey: ["id"],
      partitions: { events: ["event_date"] },
      partitionValues: { event_date: ["'2024-01-01'"] },
      schema: "CREATE TABLE t (a int);",
      nullSafe: true,
      dedupe: "last",
    },
  );
  assert.equal(toOptions({ ...DEFAULT_STATE, schema: "  \n" }).schema, undefined);
  // The panel's mode is the page's, not an idemsql option.
  assert.equal("insertsOnly" in toOptions({ ...DEFAULT_STATE, insertsOnly: true }), false);
});

test("the URL hash round-trips every field, including non-ASCII SQL", () => {
  const state = {
    ...DEFAULT_STATE,
    sql: "-- é 😀 \uD800\nINSERT INTO t VALUES (1);",
    dialect: "bigquery",
    strategy: "overwrite",
    keys: "t=a",
    partitions: "t=d",
    partitionValues: "d='x'",
    schema: "CREATE TABLE t (a int)",
    nullSafe: true,
    dedupe: "first",
    insertsOnly: true,
  };
  const hash = encodeState(state);
  assert.match(hash, /^#[A-Za-z0-9+\-$]*$/, "URL-safe");
  const back = decodeState(hash);
  assert.deepEqual(back, { ...state, sql: state.sql });
  assert.deepEqual(decodeState(encodeState(DEFAULT_STATE)), DEFAULT_STATE);
  assert.ok(encodeState(DEFAULT_STATE).length < 10, "defaults are not spelled out");
});

test("a broken or foreign hash gives no state, and wrong types fall back to defaults", () => {
  for (const hash of ["", "#", "#garbage!!", "#" + "x".repeat(100)]) assert.equal(decodeState(hash), null, hash);
  const truncated = encodeState({ ...DEFAULT_STATE, sql: "INSERT INTO t VALUES (1);", dialect: "mysql" }).slice(0, 12);
  assert.equal(decodeState(truncated), null, "a truncated link gives no state");
  // fields of the wrong type, unknown fields
  const lz = LZString;
  const weird = "#" + lz.compressToEncodedURIComponent(JSON.stringify({ sql: 5, nullSafe: "yes", dialect: "mssql", extra: 1 }));
  assert.deepEqual(decodeState(weird), { ...DEFAULT_STATE, dialect: "mssql" });
  assert.equal(decodeState("#" + lz.compressToEncodedURIComponent("[1,2]")), null);
});

test("changedRanges maps input edits to where their text lands in the output", () => {
  const input = "ab😀cd";
  const edits = [
    { start: 4, end: 5, text: "XYZ" }, // replace "c" (after the emoji's two UTF-16 units)
    { start: 0, end: 0, text: "> " }, // insert at the start
    { start: 6, end: 6, text: "!" }, // append
  ];
  const out = "> ab😀XYZd!";
  const ranges = changedRanges(edits);
  assert.deepEqual(ranges.map((r) => out.slice(r.from, r.to)), ["> ", "XYZ", "!"]);
  assert.equal(input.length, 6);
});

test("changedRanges agrees with the library's own output on every example", () => {
  for (const ex of EXAMPLES) {
    const state = { ...DEFAULT_STATE, ...ex.state };
    const out = rewrite(state.sql, toOptions(state));
    assert.ok(out.edits.length > 0, ex.id);
    const ranges = changedRanges(out.edits);
    for (const [i, r] of ranges.entries()) {
      assert.equal(out.sql.slice(r.from, r.to), out.edits[i].text, `${ex.id} edit ${i}`);
    }
  }
});
