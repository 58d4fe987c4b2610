// The playground's state: what the user set, how it becomes idemsql options, and how it
// travels in the URL. Pure functions, tested with node --test (tests/state.test.mjs).
import LZString from "lz-string";

/** Everything the page shows that a link must reproduce. Text fields hold what the user typed. */
export const DEFAULT_STATE = Object.freeze({
  sql: "",
  dialect: "postgres",
  strategy: "auto",
  /** `orders=order_id; order_lines=order_id,line_no`, or a bare `id` for any table. */
  keys: "",
  /** `events=event_date` */
  partitions: "",
  /** `event_date=DATE '2024-01-01'` */
  partitionValues: "",
  schema: "",
  nullSafe: false,
  /** "" | "first" | "last" */
  dedupe: "",
  /**
   * The output panel applies every fix, as `idemsql check --fix` does (INSERT rewrites and
   * DDL guards), so that the output runs twice; true: only the INSERT rewrites (`rewrite`).
   */
  insertsOnly: false,
});

/** Split on any of `seps` outside quotes ('...', "...", `...`, [...]) and parentheses. */
export function splitOutside(text, seps) {
  const parts = [];
  let close = null;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (close) {
      if (c === close) close = null;
    } else if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (depth > 0) continue;
    else if (c === "'" || c === '"' || c === "`") close = c;
    else if (c === "[") close = "]";
    else if (seps.includes(c)) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/**
 * Parse `table=col1,col2; other=col` into { map: { table: [col1, col2] }, bare: [cols without
 * a table] }. Entries are separated by `;` or line breaks; columns by commas.
 */
export function parseSpecs(text) {
  const map = {};
  const bare = [];
  for (const entry of splitOutside(text ?? "", [";", "\n"])) {
    const [left, ...rest] = splitOutside(entry, ["="]);
    if (rest.length === 0 && !entry.includes("=")) {
      bare.push(...splitOutside(entry, [","]));
      continue;
    }
    const table = (left ?? "").trim();
    const cols = splitOutside(rest.join("="), [","]);
    // An incomplete entry while typing (`orders=`) is left out rather than sent as an error.
    if (table === "" || cols.length === 0) continue;
    (map[table] ??= []).push(...cols);
  }
  return { map, bare };
}

/** Parse `column=literal; column=literal` (literals may hold commas) into { column: [literals] }. */
export function parseValues(text) {
  const map = {};
  for (const entry of splitOutside(text ?? "", [";", "\n"])) {
    const eq = splitOutside(entry, ["="]);
    if (eq.length < 2) continue;
    const column = eq[0];
    const value = entry.slice(entry.indexOf("=") + 1).trim();
    if (column === "" || value === "") continue;
    (map[column] ??= []).push(value);
  }
  return map;
}

/** The idemsql options for a state; empty fields are left out. */
export function toOptions(state) {
  const options = { dialect: state.dialect, strategy: state.strategy };
  const keys = parseSpecs(state.keys);
  if (Object.keys(keys.map).length) options.keys = keys.map;
  if (keys.bare.length) options.defaultKey = keys.bare;
  const partitions = parseSpecs(state.partitions);
  if (Object.keys(partitions.map).length) options.partitions = partitions.map;
  const values = parseValues(state.partitionValues);
  if (Object.keys(values).length) options.partitionValues = values;
  if (state.schema.trim() !== "") options.schema = state.schema;
  if (state.nullSafe) options.nullSafe = true;
  if (state.dedupe === "first" || state.dedupe === "last") options.dedupe = state.dedupe;
  return options;
}

/** The URL hash for a state: only what differs from the defaults, as compressed JSON. */
export function encodeState(state) {
  const diff = {};
  for (const [k, v] of Object.entries(DEFAULT_STATE)) {
    if (state[k] !== undefined && state[k] !== v) diff[k] = state[k];
  }
  return "#" + LZString.compressToEncodedURIComponent(JSON.stringify(diff));
}

/**
 * The state in a URL hash, or null when the hash holds none. Unknown fields are dropped and
 * fields of the wrong type fall back to their defaults, so an edited or truncated link cannot
 * break the page.
 */
export function decodeState(hash) {
  const body = (hash ?? "").replace(/^#/, "");
  if (body === "") return null;
  let parsed;
  try {
    parsed = JSON.parse(LZString.decompressFromEncodedURIComponent(body) ?? "");
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return null;
  const state = { ...DEFAULT_STATE };
  for (const [k, v] of Object.entries(DEFAULT_STATE)) {
    if (typeof parsed[k] === typeof v) state[k] = parsed[k];
  }
  return state;
}

/**
 * Where the text of each edit lands in the output. Edits are in input offsets (UTF-16, the
 * same units as CodeMirror positions) and do not overlap.
 */
export function changedRanges(edits) {
  const ranges = [];
  let delta = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    const from = e.start + delta;
    ranges.push({ from, to: from + e.text.length });
    delta += e.text.length - (e.end - e.start);
  }
  return ranges;
}
