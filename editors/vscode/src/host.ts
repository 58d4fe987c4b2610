// Runs the language server's WebAssembly core (`idemsql/lsp`) for one client: hands it each
// message, sends what it returns, and answers the files it asks for (`idemsql.toml`, schema
// files) by reading them through `readFile`. The same host runs in the desktop extension host
// (src/transport.ts) and in the web worker (src/worker.ts); only the transport differs.
// No `vscode` import, so the Node tests load it as it ships.

import type { LanguageServer, Message } from "idemsql/lsp/web";

export interface HostOptions {
  /** The core (a fresh `new LanguageServer()`). */
  server: LanguageServer;
  /** Send one message to the client. */
  send(message: Message): void;
  /** The text of a file the core asked for by path, or `null` when it cannot be read. */
  readFile(path: string): Promise<string | null>;
  /** The core crashed (a bug in idemsql): its state is gone, the connection should close. */
  onCrash(error: Error): void;
  /** The core answered `exit`. */
  onExit(code: number): void;
  /** Something worth a line in the log. */
  log(message: string): void;
}

export class ServerHost {
  #options: HostOptions;
  #closed = false;

  constructor(options: HostOptions) {
    this.#options = options;
  }

  /** Has the host stopped (crash or exit)? Messages after that are dropped. */
  get closed(): boolean {
    return this.#closed;
  }

  /** One message from the client. */
  receive(message: Message): void {
    this.#run(() => this.#options.server.handle(message));
  }

  /** Run one call into the core, send what it returns, then answer its file requests. */
  #run(call: () => Message[]): void {
    if (this.#closed) return;
    const { server } = this.#options;
    let out: Message[];
    let wanted: string[];
    try {
      out = call();
      wanted = server.fileRequests();
    } catch (error) {
      if (error instanceof TypeError && !server.crashed) {
        // Not a JSON-RPC message: the core refused it and is unchanged.
        this.#options.log(`idemsql: message dropped: ${error.message}`);
        return;
      }
      this.#closed = true;
      server.free(); // after a crash: frees nothing of the fresh instance
      this.#options.onCrash(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    for (const m of out) this.#options.send(m);
    for (const path of wanted) this.#read(path);
    const code = server.exitCode;
    if (code !== null) {
      this.#closed = true;
      server.free();
      this.#options.onExit(code);
    }
  }

  #read(path: string): void {
    this.#options
      .readFile(path)
      .catch((error: unknown) => {
        this.#options.log(`idemsql: ${path}: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      })
      .then((text) => this.#run(() => this.#options.server.provideFile(path, text)));
  }
}
