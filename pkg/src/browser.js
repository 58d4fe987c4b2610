// Entry point for browsers and bundlers: the module is fetched and instantiated on import
// (top-level await), so `import { rewrite } from "idemsql"` is ready to use. `await init()` is
// accepted too. For control over when and from where the .wasm loads, use "idemsql/web".
import initGlue from "../dist/idemsql.js";
import { markReady } from "./core.js";

await initGlue({ module_or_path: new URL("../dist/idemsql_bg.wasm", import.meta.url) });
markReady();

export { rewrite, fix, check, dialects, version } from "./core.js";

/** Resolves at once: the module is loaded on import. */
export async function init() {}

export default init;
