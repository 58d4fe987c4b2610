// The desktop's transport to the WebAssembly core: a vscode-jsonrpc message reader and writer
// pair that hand messages to a ServerHost in the extension host's own thread, instead of the
// stdio of a child process. vscode-languageclient takes them as its `MessageTransports`.
// No `vscode` import, so the Node tests drive it with a vscode-jsonrpc connection as
// vscode-languageclient does.

import {
  AbstractMessageReader,
  AbstractMessageWriter,
  Disposable,
  type DataCallback,
  type Message as RpcMessage,
  type MessageReader,
  type MessageWriter,
} from "vscode-jsonrpc";
import type { LanguageServer, Message } from "idemsql/lsp/web";

import { ServerHost } from "./host";

class HostReader extends AbstractMessageReader {
  #callback: DataCallback | undefined;
  #queue: RpcMessage[] = [];

  listen(callback: DataCallback): Disposable {
    this.#callback = callback;
    for (const m of this.#queue.splice(0)) callback(m);
    return Disposable.create(() => {
      this.#callback = undefined;
    });
  }

  deliver(message: RpcMessage): void {
    if (this.#callback) this.#callback(message);
    else this.#queue.push(message);
  }

  close(): void {
    this.fireClose();
  }

  error(error: Error): void {
    this.fireError(error);
  }
}

class HostWriter extends AbstractMessageWriter implements MessageWriter {
  #deliver: (message: RpcMessage) => void;

  constructor(deliver: (message: RpcMessage) => void) {
    super();
    this.#deliver = deliver;
  }

  write(message: RpcMessage): Promise<void> {
    this.#deliver(message);
    return Promise.resolve();
  }

  end(): void {}

  close(): void {
    this.fireClose();
  }
}

export interface InProcessOptions {
  /** A fresh core for this connection. */
  server: LanguageServer;
  /** Read a file the core asked for, by path; `null` when it cannot be read. */
  readFile(path: string): Promise<string | null>;
  /** Log lines (the output channel). */
  log(message: string): void;
}

/**
 * A reader and a writer connected to a new core. Messages go both ways asynchronously (each in
 * its own task), as they would over a pipe. When the core crashes or exits, the reader closes,
 * which vscode-languageclient answers by starting the server again (after a crash) or by
 * finishing its shutdown.
 */
export function inProcessTransports(options: InProcessOptions): { reader: MessageReader; writer: MessageWriter } {
  const reader = new HostReader();
  const host: ServerHost = new ServerHost({
    server: options.server,
    send: (m: Message) => setTimeout(() => reader.deliver(m as RpcMessage), 0),
    readFile: options.readFile,
    onCrash: (error) => {
      options.log(`${error.message}\nThe idemsql language server stopped; it is started again.`);
      setTimeout(() => {
        reader.error(error);
        reader.close();
      }, 0);
    },
    onExit: () => setTimeout(() => reader.close(), 0),
    log: options.log,
  });
  const writer = new HostWriter((m) => setTimeout(() => host.receive(m as Message), 0));
  return { reader, writer };
}
