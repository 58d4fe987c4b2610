// Runs idemsql off the main thread, so typing stays smooth with a 1 MB input. Answers one
// request at a time; the page sends only the newest state (see main.js).
import { rewrite, fix, check, dialects, version } from "idemsql";
import { encodeState } from "./state.js";

/** Longest URL hash the page writes; past it the link leaves the SQL out. */
const MAX_HASH = 64 * 1024;

self.onmessage = (event) => {
  const { id, state, options } = event.data;
  const started = performance.now();
  let hash = encodeState(state);
  const tooLongToShare = hash.length > MAX_HASH;
  if (tooLongToShare) hash = encodeState({ ...state, sql: "" });
  try {
    // Every fix (what "Idempotent SQL" promises), or only the INSERT rewrites. fix's remaining
    // diagnostics are positioned in its output, rewrite's in the input.
    const output = state.insertsOnly ? rewrite(state.sql, options) : fix(state.sql, options);
    const lint = check(state.sql, options);
    self.postMessage({ id, ok: true, output, lint, hash, tooLongToShare, ms: performance.now() - started });
  } catch (error) {
    self.postMessage({
      id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      hash,
      tooLongToShare,
      ms: performance.now() - started,
    });
  }
};

self.postMessage({ ready: true, version: version(), dialects: dialects() });
