// The web worker of VS Code for the web: runs the language server's WebAssembly core. The
// extension posts the .wasm first (a WorkerInit), then LSP messages as vscode-languageclient's
// browser transport does (`postMessage` of JSON-RPC objects). The worker cannot read the
// workspace, so it asks the extension for each file the core needs (`idemsql/readFile`).

import init, { LanguageServer, type Message } from "idemsql/lsp/web";

import { ServerHost } from "./host";
import { pathToFileUri } from "./paths";
import { CRASHED, READ_FILE, READ_FILE_ID_PREFIX, type WorkerInit } from "./protocol";

declare const self: DedicatedWorkerGlobalScope;

let host: ServerHost | undefined;
const early: Message[] = [];
const reads = new Map<string, (text: string | null) => void>();
let nextRead = 1;

const post = (message: Message) => self.postMessage(message);

function readFile(path: string): Promise<string | null> {
  const id = `${READ_FILE_ID_PREFIX}${nextRead++}`;
  return new Promise((resolve) => {
    reads.set(id, resolve);
    post({ jsonrpc: "2.0", id, method: READ_FILE, params: { uri: pathToFileUri(path) } });
  });
}

function newHost(): ServerHost {
  return new ServerHost({
    server: new LanguageServer(),
    send: post,
    readFile,
    onCrash: (error) => {
      post({ jsonrpc: "2.0", method: "window/logMessage", params: { type: 1, message: error.message } });
      post({ jsonrpc: "2.0", method: CRASHED, params: { message: error.message } });
    },
    onExit: () => {},
    log: (message) => post({ jsonrpc: "2.0", method: "window/logMessage", params: { type: 3, message } }),
  });
}

function isWorkerInit(data: unknown): data is WorkerInit {
  return typeof data === "object" && data !== null && "idemsqlWasm" in data;
}

function isReadAnswer(data: Message): data is Message & { id: string; result?: unknown } {
  return "id" in data && !("method" in data) && typeof data.id === "string" && reads.has(data.id);
}

self.onmessage = (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (isWorkerInit(data)) {
    init(data.idemsqlWasm).then(
      () => {
        host = newHost();
        for (const m of early.splice(0)) host.receive(m);
      },
      (error: unknown) => {
        const message = `idemsql: the WebAssembly module did not load: ${error instanceof Error ? error.message : String(error)}`;
        post({ jsonrpc: "2.0", method: "window/showMessage", params: { type: 1, message } });
      },
    );
    return;
  }
  if (typeof data !== "object" || data === null) return;
  const message = data as Message;
  if (isReadAnswer(message)) {
    const resolve = reads.get(message.id);
    reads.delete(message.id);
    resolve?.(typeof message.result === "string" ? message.result : null);
    return;
  }
  if (host) host.receive(message);
  else early.push(message);
};
