// Type declarations for "idemsql/lsp/web": the language server's core, loaded explicitly with
// `await init(input)`. Uses the DOM library's types (URL, Request, Response, WebAssembly).

export type {
  JsonValue,
  RequestId,
  RequestMessage,
  NotificationMessage,
  ResponseError,
  ResponseMessage,
  Message,
} from "./lsp.js";
export { LanguageServer } from "./lsp.js";

/** Where the .wasm comes from: a URL to fetch, its bytes, a fetch Response, or a compiled module. */
export type InitInput = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Load the language server's WebAssembly module; `new LanguageServer()` throws until this has
 * resolved. Without an argument the .wasm is fetched from next to the package's JavaScript
 * (`new URL("../dist/idemsql_lsp_bg.wasm", import.meta.url)`); the file is exported as
 * "idemsql/idemsql_lsp_bg.wasm". Calling it again returns the same promise.
 */
export function init(input?: InitInput | Promise<InitInput>): Promise<void>;

export default init;
