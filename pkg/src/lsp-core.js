// The "idemsql/lsp" API over the wasm-bindgen glue in ../dist/idemsql_lsp.js: JSON-RPC messages
// as objects (or JSON text) in and objects out, and a fresh WebAssembly instance after a crash.
// Every answer comes from the Rust core (src/lsp/, through src/wasm_lsp.rs).
import * as glue from "../dist/idemsql_lsp.js";
import { describe, instance } from "./instance.js";

// Its `generation` is bumped when the instance is replaced after a crash: servers of an older
// one are gone.
const wasm = instance(glue);

/** Called by the entry points once the WebAssembly instance exists. */
export const markReady = wasm.markReady;

/** One call into the instance, restarted after a crash (see instance.js). */
const call = (fn) => wasm.call(fn);

const parse = (texts) => texts.map((t) => JSON.parse(t));

/** The language server's core: LSP messages in, LSP messages out, no I/O. */
export class LanguageServer {
  #inner;
  #generation;

  constructor() {
    if (!wasm.ready) {
      throw new Error(
        "idemsql: new LanguageServer() was called before the WebAssembly module was loaded; " +
          "`await init()` first",
      );
    }
    this.#generation = wasm.generation;
    this.#inner = call(() => new glue.LanguageServer());
  }

  /** True once this server (or another of the same instance) crashed: make a new one. */
  get crashed() {
    return this.#generation !== wasm.generation;
  }

  #call(name, fn) {
    if (this.crashed) {
      throw new Error(
        `idemsql: LanguageServer.${name}(): the WebAssembly instance crashed earlier and this ` +
          "server's state is gone; start a new LanguageServer",
      );
    }
    return call(fn);
  }

  /** One incoming message (an object or its JSON text); the messages to send back, in order. */
  handle(message) {
    let text;
    if (typeof message === "string") text = message;
    else if (message !== null && typeof message === "object" && !Array.isArray(message)) {
      text = JSON.stringify(message);
    } else {
      throw new TypeError(`idemsql: LanguageServer.handle(): expected a message object or its JSON text, got ${describe(message)}`);
    }
    return parse(this.#call("handle", () => this.#inner.handle(text)));
  }

  /** Paths of files the server needs, each asked for once; answer each with provideFile(). */
  fileRequests() {
    return this.#call("fileRequests", () => this.#inner.fileRequests());
  }

  /** The text of a file the server asked for (`null` when missing); the messages to send. */
  provideFile(path, text) {
    if (typeof path !== "string") {
      throw new TypeError(`idemsql: LanguageServer.provideFile(): \`path\` must be a string, got ${describe(path)}`);
    }
    if (text !== null && text !== undefined && typeof text !== "string") {
      throw new TypeError(
        `idemsql: LanguageServer.provideFile(): \`text\` must be a string or null, got ${describe(text)}`,
      );
    }
    return parse(this.#call("provideFile", () => this.#inner.provideFile(path, text ?? null)));
  }

  /** After `exit`: 0 after a `shutdown` request, 1 without one; `null` while it runs. */
  get exitCode() {
    return this.#call("exitCode", () => this.#inner.exitCode) ?? null;
  }

  /** Free the server's memory now rather than when it is garbage-collected. */
  free() {
    if (!this.crashed) this.#inner.free();
  }
}

/**
 * For the package's own tests only (not exported by the entry points): panics inside the
 * instance, to prove that the caller gets an Error and that a new server works afterwards.
 */
export function __panicForTesting() {
  return call(() => glue.__panicForTesting());
}
