// The extension's settings, turned into the language server's settings. Pure: it reads values
// through `inspect`, the shape of `vscode.WorkspaceConfiguration.inspect`, so the Node tests
// load it as it ships.
//
// Only what the user set goes to the server: a setting left at its default would otherwise
// override the project's `idemsql.toml` (the server lays the editor's settings over the file,
// the way command-line flags go over it).

import type { JsonValue } from "idemsql/lsp/web";

/** The section of the settings (`idemsql.dialect`, ...). */
export const SECTION = "idemsql";

/** The settings the server reads: fields of idemsql's `Options`, in camelCase. */
export const SERVER_KEYS = [
  "dialect",
  "strategy",
  "keys",
  "defaultKey",
  "partitions",
  "partitionValues",
  "schemaFiles",
  "nullSafe",
  "dedupe",
  "ignore",
  "severity",
] as const;

/** Settings of the extension itself, which the server does not read. */
export const EXTENSION_KEYS = ["path", "trace.server"] as const;

/** What `WorkspaceConfiguration.inspect(key)` returns, as far as it is read here. */
export interface Inspected {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
  defaultLanguageValue?: unknown;
  globalLanguageValue?: unknown;
  workspaceLanguageValue?: unknown;
  workspaceFolderLanguageValue?: unknown;
}

/** The most specific value the user set, `undefined` when only the default is there. */
export function explicitValue(inspected: Inspected | undefined): unknown {
  if (!inspected) return undefined;
  // VS Code's order: a language-specific value beats any other; then folder, workspace, user.
  for (const value of [
    inspected.workspaceFolderLanguageValue,
    inspected.workspaceLanguageValue,
    inspected.globalLanguageValue,
    inspected.workspaceFolderValue,
    inspected.workspaceValue,
    inspected.globalValue,
  ]) {
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A JSON copy of a settings value (settings are JSON; anything else is dropped). */
function toJson(value: unknown): JsonValue | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) {
    return value.map((v) => toJson(v)).filter((v): v is JsonValue => v !== undefined);
  }
  if (typeof value === "object") {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) {
      const j = toJson(v);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  return undefined;
}

/**
 * The server's settings object: every server setting the user set, as JSON. `dedupe: "off"`
 * (the extension's way to say "no deduplication") is `null` for the server.
 */
export function serverSettings(inspect: (key: string) => Inspected | undefined): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const key of SERVER_KEYS) {
    const value = explicitValue(inspect(key));
    if (value === undefined) continue;
    const json = toJson(value);
    if (json === undefined) continue;
    out[key] = key === "dedupe" && json === "off" ? null : json;
  }
  return out;
}

/**
 * The native program to run, from `idemsql.path`: `null` when it is empty (run the built-in
 * WebAssembly server). `~` is the home folder and `${workspaceFolder}` the first workspace
 * folder; a bare name (`idemsql`) is looked up on the PATH when it is started.
 */
export function nativeServerPath(setting: unknown, home: string | undefined, workspaceFolder: string | undefined): string | null {
  if (typeof setting !== "string") return null;
  let path = setting.trim();
  if (path === "") return null;
  if (home && (path === "~" || path.startsWith("~/"))) path = home + path.slice(1);
  if (path.includes("${workspaceFolder}")) {
    if (!workspaceFolder) return null;
    path = path.split("${workspaceFolder}").join(workspaceFolder);
  }
  return path;
}

/** A `workspace/configuration` item. */
export interface ConfigurationItem {
  scopeUri?: string;
  section?: string;
}

/**
 * The answer to `workspace/configuration`: for the `idemsql` section the server's settings
 * (`settingsFor(scopeUri)`), for any other section what VS Code would answer (`others`).
 */
export function configurationAnswer(
  items: ConfigurationItem[],
  settingsFor: (scopeUri: string | undefined) => { [key: string]: JsonValue },
  others: JsonValue[],
): JsonValue[] {
  return items.map((item, i) => (item.section === SECTION ? settingsFor(item.scopeUri) : (others[i] ?? null)));
}
