// Entry points "idemsql/lsp/web" (and "idemsql/lsp" outside Node.js): nothing happens on import.
// `await init()` loads the language server's .wasm (from next to this package by default, or
// from the URL, bytes, Response or WebAssembly.Module given); `new LanguageServer()` works once
// it has resolved. No top-level await, so it runs in web workers and CommonJS bundles.
import initGlue from "../dist/idemsql_lsp.js";
import { markReady } from "./lsp-core.js";
import { loader } from "./instance.js";

export const init = loader(
  initGlue,
  () => new URL("../dist/idemsql_lsp_bg.wasm", import.meta.url),
  markReady,
);

export default init;

export { LanguageServer } from "./lsp-core.js";
