// Type declarations for the "idemsql" package, written by hand to match src/wasm.rs in the
// idemsql repository. Positions are 1-based lines and columns; columns and offsets count
// UTF-16 code units, as JavaScript string indices, CodeMirror, Monaco and VS Code do.

/** The databases idemsql writes SQL for. */
export type DialectName =
  | "postgres"
  | "sqlite"
  | "duckdb"
  | "mysql"
  | "mariadb"
  | "snowflake"
  | "bigquery"
  | "mssql"
  | "oracle"
  | "databricks"
  | "spark"
  | "hive"
  | "redshift"
  | "trino"
  | "clickhouse";

/**
 * What a rerun of a rewritten INSERT does to rows that already exist.
 * - `auto`: overwrite when the table has partition columns and no key, otherwise upsert.
 * - `upsert`: the incoming row wins.
 * - `ignore`: the existing row wins.
 * - `merge`: upsert, always written as MERGE.
 * - `overwrite`: the partitions (or keys) the statement writes are replaced whole.
 */
export type StrategyName = "auto" | "upsert" | "ignore" | "merge" | "overwrite";

/** Which row to keep when one VALUES batch has the same key twice. */
export type Dedupe = "first" | "last";

/**
 * Options of every call; every field is optional. Unknown fields and bad values make the call
 * throw a `TypeError` whose message names the field.
 */
export interface Options {
  /** The database the SQL is written for. Default: `"postgres"`. */
  dialect?: DialectName;
  /** The strategy for statements without a `-- idemsql: strategy(...)` directive. Default: `"auto"`. */
  strategy?: StrategyName;
  /** Key columns per table: `{ orders: ["order_id"] }`. Names are SQL identifiers. */
  keys?: Record<string, string[]>;
  /** Key columns for any table that has no other key. */
  defaultKey?: string[];
  /** Partition columns per table: `{ events: ["event_date"] }`. */
  partitions?: Record<string, string[]>;
  /**
   * Partition values to overwrite, per partition column, as SQL literals:
   * `{ event_date: ["DATE '2024-01-01'"] }`. Used when the statement does not say.
   */
  partitionValues?: Record<string, string[]>;
  /** DDL (`CREATE TABLE ...`) describing tables that the input itself does not create. */
  schema?: string;
  /** Compare key columns with the dialect's NULL-safe equality in MERGE and DELETE predicates. */
  nullSafe?: boolean;
  /** Keep one row per key when a VALUES batch repeats a key, instead of refusing. */
  dedupe?: Dedupe | null;
  /** Rule codes or names not to report: `["IDEM013", "drop-without-if-exists"]`. */
  ignore?: string[];
  /**
   * A severity per rule code or name, replacing the rule's default:
   * `{ "unparsed-write": "warning", IDEM016: "error" }`.
   */
  severity?: Record<string, Severity>;
}

/** A place in the text. */
export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
  /** 0-based offset from the start of the text, in UTF-16 code units (a JS string index). */
  offset: number;
}

/** Replace `text.slice(start, end)` by `text`; offsets in UTF-16 code units of the input. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** A set of non-overlapping edits that resolves one diagnostic. */
export interface Fix {
  /** What applying the fix does ("Rewrite as ON CONFLICT upsert"). */
  message: string;
  edits: TextEdit[];
}

export type Severity = "info" | "warning" | "error";

/** One finding at one place in the input. */
export interface Diagnostic {
  /** Stable code: `"IDEM001"` ... */
  code: string;
  /** Kebab-case name of the rule, also the name of its documentation page. */
  name: string;
  severity: Severity;
  message: string;
  /** How to resolve it. */
  help: string | null;
  start: Position;
  end: Position;
  fix: Fix | null;
  /** The rule's documentation page. */
  url: string;
}

/** What `rewrite` and `fix` return. */
export interface RewriteResult {
  /** The input with the edits applied. */
  sql: string;
  /** Why statements were left as they were, and what needs a look. */
  diagnostics: Diagnostic[];
  /** The edits that turn the input into `sql`, in input offsets, sorted. */
  edits: TextEdit[];
}

/** A dialect and the strategies it can write. */
export interface DialectInfo {
  name: DialectName;
  strategies: StrategyName[];
}

/**
 * Rewrite every plain INSERT of `sql` into its idempotent form; every other character stays
 * as it is. Statements that cannot be made safe are left unchanged, each with a diagnostic.
 * @throws {TypeError} when `options` has an unknown field or a bad value (the message names it).
 */
export function rewrite(sql: string, options?: Options | null): RewriteResult;

/**
 * Apply every available fix (INSERT rewrites and DDL guards such as `IF NOT EXISTS`). The
 * diagnostics are those that remain, positioned in the fixed text; the edits are in the input.
 * @throws {TypeError} when `options` has an unknown field or a bad value.
 */
export function fix(sql: string, options?: Options | null): RewriteResult;

/**
 * Report every write in `sql` that is not safe to rerun, each with its fix when one exists.
 * @throws {TypeError} when `options` has an unknown field or a bad value.
 */
export function check(sql: string, options?: Options | null): Diagnostic[];

/** Every dialect with the strategies it can write. */
export function dialects(): DialectInfo[];

/** The version of the idemsql library inside this build. */
export function version(): string;

/**
 * Resolves when the WebAssembly module is ready. With this entry point it is ready on import
 * (Node.js loads it synchronously, browsers with top-level await), so awaiting is optional.
 */
export function init(): Promise<void>;

export default init;
