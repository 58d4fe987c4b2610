// Entry point "idemsql/web": nothing happens on import. `await init()` loads the .wasm (from
// next to this package by default, or from the URL, bytes, Response or WebAssembly.Module
// given), and the functions work once it has resolved. No top-level await.
import initGlue from "../dist/idemsql.js";
import { markReady } from "./core.js";

let loading;

export function init(input) {
  if (!loading) {
    const source = input ?? new URL("../dist/idemsql_bg.wasm", import.meta.url);
    loading = Promise.resolve(source)
      .then((module_or_path) => initGlue({ module_or_path }))
      .then(() => markReady())
      .catch((error) => {
        loading = undefined;
        throw error;
      });
  }
  return loading;
}

export default init;

export { rewrite, fix, check, dialects, version } from "./core.js";
