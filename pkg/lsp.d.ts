// Type declarations for "idemsql/lsp": the language server's core (the Rust crate's src/lsp/,
// compiled to WebAssembly), written by hand to match src/wasm_lsp.rs and src/lsp-core.js.
// Messages are JSON-RPC 2.0 as the Language Server Protocol sends them; positions in them are
// UTF-16 code units unless the client offers UTF-8 (`general.positionEncodings`).

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON-RPC request id. */
export type RequestId = number | string;

/** A call that expects a response: from the client (`initialize`, `textDocument/codeAction`,
 * `textDocument/hover`, `shutdown`) or from the server (`workspace/configuration`,
 * `client/registerCapability`). */
export interface RequestMessage {
  jsonrpc: "2.0";
  id: RequestId;
  method: string;
  params?: JsonValue;
}

/** A message that expects no answer (`textDocument/didOpen`, `textDocument/publishDiagnostics`, ...). */
export interface NotificationMessage {
  jsonrpc: "2.0";
  method: string;
  params?: JsonValue;
}

/** A JSON-RPC error. */
export interface ResponseError {
  code: number;
  message: string;
  data?: JsonValue;
}

/** The answer to a request: `result` (possibly `null`) on success, or `error`. */
export interface ResponseMessage {
  jsonrpc: "2.0";
  id: RequestId;
  result?: JsonValue;
  error?: ResponseError;
}

/** Any message of the protocol, in either direction. */
export type Message = RequestMessage | NotificationMessage | ResponseMessage;

/**
 * The language server's core: a state machine from incoming LSP messages to outgoing ones. It
 * does no I/O: the caller moves messages (stdio, a web worker's postMessage, in process) and
 * reads the files it asks for (`idemsql.toml` above each document, schema files).
 *
 * It answers `initialize`, `shutdown`, `textDocument/codeAction` (quick fixes and
 * `source.fixAll.idemsql`) and `textDocument/hover`; it publishes diagnostics on `didOpen`,
 * `didChange` and `didSave`, and reads settings from `initializationOptions`,
 * `workspace/didChangeConfiguration` and `workspace/configuration` (section `idemsql`).
 */
export class LanguageServer {
  /** A server waiting for `initialize`. Throws before the module is loaded (see `init`). */
  constructor();
  /**
   * Handle one incoming message, given as an object or as its JSON text; returns the messages
   * to send back, in order. Throws a `TypeError` when it is not a JSON-RPC message, and an
   * `Error` starting with `idemsql: internal error` when the core crashed (a bug in idemsql):
   * the server's state is then gone (`crashed` is true) and a new `LanguageServer` works.
   */
  handle(message: Message | string): Message[];
  /**
   * Paths (`/` separators, as in `file:` URIs) of files the server needs, each asked for once.
   * Call it after every `handle` and `provideFile`, and answer each path with `provideFile`.
   */
  fileRequests(): string[];
  /**
   * The text of a file the server asked for, or `null` when it does not exist or cannot be
   * read. Returns the messages to send because of it (diagnostics of documents that waited).
   */
  provideFile(path: string, text: string | null): Message[];
  /** After the `exit` notification: 0 after a `shutdown` request, 1 without one; `null` before. */
  readonly exitCode: number | null;
  /** True once the WebAssembly instance crashed under this server: its state is gone. */
  readonly crashed: boolean;
  /** Free the server's memory now instead of when it is garbage-collected. */
  free(): void;
}

/**
 * Load the WebAssembly module. In Node.js ("idemsql/lsp") it is loaded on import and this
 * resolves at once; elsewhere the .wasm is fetched from next to the package's JavaScript.
 * Calling it again returns the same promise.
 */
export function init(): Promise<void>;

export default init;
