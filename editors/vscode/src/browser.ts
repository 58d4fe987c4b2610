// VS Code for the web: the language server's WebAssembly core runs in a web worker
// (dist/worker.js). The worker cannot read the workspace; it asks for files with
// `idemsql/readFile`, answered here through VS Code's file system.

import * as vscode from "vscode";
import { LanguageClient } from "vscode-languageclient/browser";

import { clientOptions, readServerFile, registerCommon, wasmUri } from "./client";
import { fileUriToPath } from "./paths";
import { CRASHED, READ_FILE, type ReadFileParams, type WorkerInit } from "./protocol";
import { SECTION } from "./settings";

let client: LanguageClient | undefined;
let worker: Worker | undefined;
/** When the server crashed lately: after 5 crashes in 3 minutes it is not started again. */
const crashes: number[] = [];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("idemsql");
  context.subscriptions.push(output);
  const wasm = await vscode.workspace.fs.readFile(wasmUri(context));

  if (vscode.workspace.getConfiguration(SECTION).get<string>("path")) {
    output.appendLine("idemsql: idemsql.path is ignored in VS Code for the web; the built-in server runs.");
  }

  const stop = async () => {
    const old = client;
    client = undefined;
    if (old) await old.dispose().catch(() => undefined);
    worker?.terminate();
    worker = undefined;
  };

  const start = async () => {
    const url = vscode.Uri.joinPath(context.extensionUri, "dist", "worker.js");
    worker = new Worker(url.toString(true));
    const init: WorkerInit = { idemsqlWasm: wasm.slice().buffer };
    worker.postMessage(init);
    const next = new LanguageClient("idemsql", "idemsql", clientOptions(output, true), worker);
    next.onRequest(READ_FILE, (params: ReadFileParams) => {
      const path = fileUriToPath(params.uri);
      return path === null ? null : readServerFile(path);
    });
    next.onNotification(CRASHED, () => {
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && crashes[0] < now - 180_000) crashes.shift();
      if (crashes.length >= 5) {
        void vscode.window.showErrorMessage(
          "idemsql: the language server crashed 5 times in 3 minutes and was not started again; see the idemsql output.",
        );
        void stop();
        return;
      }
      void restart();
    });
    client = next;
    await next.start();
  };

  const restart = async () => {
    await stop();
    try {
      await start();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`idemsql: the language server did not start: ${message}`);
    }
  };

  registerCommon(context, () => client, restart);
  context.subscriptions.push({ dispose: () => void stop() });
  await restart();
}

export async function deactivate(): Promise<void> {
  await client?.dispose().catch(() => undefined);
  client = undefined;
  worker?.terminate();
  worker = undefined;
}
