// Entry point "idemsql/lsp" for Node.js: the language server's module is compiled and
// instantiated synchronously on import, so `new LanguageServer()` works at once.
import { readFileSync } from "node:fs";
import { initSync } from "../dist/idemsql_lsp.js";
import { markReady } from "./lsp-core.js";

initSync({ module: readFileSync(new URL("../dist/idemsql_lsp_bg.wasm", import.meta.url)) });
markReady();

export { LanguageServer } from "./lsp-core.js";

/** Resolves at once: the module is loaded on import. Kept for code shared with browsers. */
export async function init() {}

export default init;
