// The desktop extension: runs the language server's WebAssembly core in the extension host
// (no platform binary), or the native `idemsql server` when `idemsql.path` is set.

import * as os from "node:os";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type ServerOptions } from "vscode-languageclient/node";
import init, { LanguageServer } from "idemsql/lsp/web";

import { clientOptions, readServerFile, registerCommon, wasmUri } from "./client";
import { SECTION, nativeServerPath } from "./settings";
import { inProcessTransports } from "./transport";

let client: LanguageClient | undefined;
let loading: Promise<void> | undefined;

/** `idemsql server` of the program at `path`, over stdio. */
export function nativeServerOptions(path: string): ServerOptions {
  const executable = { command: path, args: ["server"], transport: TransportKind.stdio };
  return { run: executable, debug: executable };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("idemsql");
  context.subscriptions.push(output);

  const start = async () => {
    const setting = vscode.workspace.getConfiguration(SECTION).get<string>("path");
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === "file");
    const native = nativeServerPath(setting, os.homedir(), folder?.uri.fsPath);
    let serverOptions: ServerOptions;
    if (native) {
      output.appendLine(`idemsql: running ${native} server`);
      serverOptions = nativeServerOptions(native);
    } else {
      loading ??= Promise.resolve(vscode.workspace.fs.readFile(wasmUri(context)))
        .then((bytes) => init(bytes))
        .catch((error: unknown) => {
          loading = undefined;
          throw error;
        });
      await loading;
      serverOptions = async () =>
        inProcessTransports({
          server: new LanguageServer(),
          readFile: readServerFile,
          log: (line) => output.appendLine(line),
        });
    }
    client = new LanguageClient("idemsql", "idemsql", serverOptions, clientOptions(output, native === null));
    await client.start();
  };

  const restart = async () => {
    const old = client;
    client = undefined;
    if (old) await old.dispose().catch(() => undefined);
    try {
      await start();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`idemsql: the language server did not start: ${message}`);
    }
  };

  registerCommon(context, () => client, restart);
  await restart();
}

export async function deactivate(): Promise<void> {
  await client?.dispose().catch(() => undefined);
  client = undefined;
}
