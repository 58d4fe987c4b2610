// Entry point "idemsql/web": nothing happens on import. `await init()` loads the .wasm (from
// next to this package by default, or from the URL, bytes, Response or WebAssembly.Module
// given), and the functions work once it has resolved. No top-level await.
import initGlue from "../dist/idemsql.js";
import { markReady } from "./core.js";
import { loader } from "./instance.js";

export const init = loader(
  initGlue,
  () => new URL("../dist/idemsql_bg.wasm", import.meta.url),
  markReady,
);

export default init;

export { rewrite, fix, check, dialects, version } from "./core.js";
