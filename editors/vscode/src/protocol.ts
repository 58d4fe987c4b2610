// The messages between the web worker and the extension that are not LSP: the worker asks the
// extension for files (it cannot read the workspace itself) and says when the core crashed.

/** Request from the worker: `{ uri }` (a URI the server uses), answered with text or `null`. */
export const READ_FILE = "idemsql/readFile";
/** Notification from the worker: the core crashed; the extension starts a new worker. */
export const CRASHED = "idemsql/crashed";
/** Ids of the worker's own requests, apart from the core's (`idemsql-N`). */
export const READ_FILE_ID_PREFIX = "idemsql-file-";

/** The first message the extension posts to a new worker: the core's WebAssembly module. */
export interface WorkerInit {
  idemsqlWasm: ArrayBuffer | WebAssembly.Module;
}

export interface ReadFileParams {
  uri: string;
}
