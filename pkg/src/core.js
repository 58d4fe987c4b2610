// The package's API over the wasm-bindgen glue in ../dist/idemsql.js. It only checks that the
// module is loaded, that `sql` is a string, and restarts the instance after a crash; every
// answer comes from the Rust library (src/wasm.rs).
import * as glue from "../dist/idemsql.js";

let ready = false;

/** Called by the entry points once the WebAssembly instance exists. */
export function markReady() {
  ready = true;
}

function guard(name, ...sql) {
  if (!ready) {
    throw new Error(
      `idemsql: ${name}() was called before the WebAssembly module was loaded; ` +
        "`await init()` first (only needed with the \"idemsql/web\" entry point)",
    );
  }
  if (sql.length > 0 && typeof sql[0] !== "string") {
    throw new TypeError(`idemsql: ${name}(): \`sql\` must be a string, got ${describe(sql[0])}`);
  }
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

/**
 * Run one call into the instance. A TypeError is the library's answer to bad options and
 * leaves the instance as it was. Anything else (a panic, a trap such as running out of memory)
 * leaves it unusable: start a fresh instance, then report the crash as an Error.
 */
function call(fn, args) {
  try {
    return fn(...args);
  } catch (error) {
    if (error instanceof TypeError) throw error;
    try {
      glue.__wbg_reset_state();
    } catch (resetError) {
      ready = false;
      throw new Error(
        `idemsql: internal error, and the WebAssembly instance could not be restarted: ${resetError}`,
        { cause: error },
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`idemsql: internal error (please report it): ${message}`, { cause: error });
  }
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
