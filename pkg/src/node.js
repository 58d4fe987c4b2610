// Entry point for Node.js: the module is compiled and instantiated synchronously on import,
// so `import { rewrite } from "idemsql"` is ready to use. `await init()` is accepted too.
import { readFileSync } from "node:fs";
import { initSync } from "../dist/idemsql.js";
import { markReady } from "./core.js";

initSync({ module: readFileSync(new URL("../dist/idemsql_bg.wasm", import.meta.url)) });
markReady();

export { rewrite, fix, check, dialects, version } from "./core.js";

/** Resolves at once: the module is loaded on import. Kept for code shared with browsers. */
export async function init() {}

export default init;
