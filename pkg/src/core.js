// The package's API over the wasm-bindgen glue in ../dist/idemsql.js. It only checks that the
// module is loaded, that `sql` is a string, and restarts the instance after a crash; every
// answer comes from the Rust library (src/wasm.rs).
import * as glue from "../dist/idemsql.js";
import { describe, instance } from "./instance.js";

const wasm = instance(glue);

/** Called by the entry points once the WebAssembly instance exists. */
export const markReady = wasm.markReady;

function guard(name, ...sql) {
  if (!wasm.ready) {
    throw new Error(
      `idemsql: ${name}() was called before the WebAssembly module was loaded; ` +
        "`await init()` first (only needed with the \"idemsql/web\" entry point)",
    );
  }
  if (sql.length > 0 && typeof sql[0] !== "string") {
    throw new TypeError(`idemsql: ${name}(): \`sql\` must be a string, got ${describe(sql[0])}`);
  }
}


/** One call into the instance, restarted after a crash (see instance.js). */
function call(fn, args) {
  return wasm.call(() => fn(...args));
}

export function rewrite(sql, options) {
  guard("rewrite", sql);
  return call(glue.rewrite, [sql, options]);
}

export function fix(sql, options) {
  guard("fix", sql);
  return call(glue.fix, [sql, options]);
}

export function check(sql, options) {
  guard("check", sql);
  return call(glue.check, [sql, options]);
}

export function dialects() {
  guard("dialects");
  return call(glue.dialects, []);
}

export function version() {
  guard("version");
  return call(glue.version, []);
}

/**
 * For the package's own tests only (not exported by the entry points): panics inside the
 * instance, to prove that the caller gets an Error and the next call still answers.
 */
export function __panicForTesting() {
  guard("__panicForTesting");
  return call(glue.__panicForTesting, []);
}
