// Type declarations for "idemsql/web": the same API, loaded explicitly with `await init()`.
// Uses the DOM library's types (URL, Request, Response, WebAssembly).

export type {
  DialectName,
  StrategyName,
  Dedupe,
  Options,
  Position,
  TextEdit,
  Fix,
  Severity,
  Diagnostic,
  RewriteResult,
  DialectInfo,
} from "./index.js";
export { rewrite, fix, check, dialects, version } from "./index.js";

/** Where the .wasm comes from: a URL to fetch, its bytes, a fetch Response, or a compiled module. */
export type InitInput = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Load the WebAssembly module; the other functions throw until this has resolved. Without an
 * argument the .wasm is fetched from next to the package's JavaScript
 * (`new URL("../dist/idemsql_bg.wasm", import.meta.url)`). Calling it again returns the same promise.
 */
export function init(input?: InitInput | Promise<InitInput>): Promise<void>;

export default init;
