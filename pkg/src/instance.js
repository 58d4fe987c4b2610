// What the two WebAssembly modules of the package (the library, the language server) share:
// whether the instance is loaded, a fresh instance after a crash, and loading it in browsers.

/**
 * The state of one wasm-bindgen instance. `call(fn)` runs one call into it: a TypeError is the
 * Rust side's answer to bad input and leaves the instance as it was; anything else (a panic, a
 * trap such as running out of memory) leaves it unusable, so a fresh instance is started and
 * the crash is reported as an Error. `generation` counts the fresh starts.
 */
export function instance(glue) {
  const self = {
    ready: false,
    generation: 0,
    /** Called by the entry points once the WebAssembly instance exists. */
    markReady() {
      self.ready = true;
    },
    call(fn) {
      try {
        return fn();
      } catch (error) {
        if (error instanceof TypeError) throw error;
        self.generation++;
        try {
          glue.__wbg_reset_state();
        } catch (resetError) {
          self.ready = false;
          throw new Error(
            `idemsql: internal error, and the WebAssembly instance could not be restarted: ${resetError}`,
            { cause: error },
          );
        }
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`idemsql: internal error (please report it): ${message}`, { cause: error });
      }
    },
  };
  return self;
}

/**
 * An `init(input?)` for browsers: loads the .wasm from `input` (a URL, bytes, Response or
 * WebAssembly.Module, or a promise of one) or from `defaultWasm()`, once; a failed load may be
 * retried. The default is a function so that the URL is only made when it is needed: in a
 * CommonJS bundle (the VS Code extension host) `import.meta.url` is undefined, and a URL made
 * at import time would throw before any caller passes its own input.
 */
export function loader(initGlue, defaultWasm, markReady) {
  let loading;
  return function init(input) {
    if (!loading) {
      loading = Promise.resolve(input)
        .then((given) => initGlue({ module_or_path: given ?? defaultWasm() }))
        .then(() => markReady())
        .catch((error) => {
          loading = undefined;
          throw error;
        });
    }
    return loading;
  };
}

/** A value's kind for error messages. */
export function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}
