// What the desktop and the web extension share: the language client's options (documents,
// settings, URI mapping), reading the files the WebAssembly core asks for, and the commands.

import * as vscode from "vscode";
import type { BaseLanguageClient, DocumentSelector, LanguageClientOptions } from "vscode-languageclient";
import type { JsonValue } from "idemsql/lsp/web";

import { isMapped, mappedUri, pathToUri, serverUriToParts, VFS_ROOT } from "./paths";
import { SECTION, configurationAnswer, serverSettings } from "./settings";

/** The fix-all code action kind of the server (`editor.codeActionsOnSave` runs it). */
export const FIX_ALL_KIND = "source.fixAll.idemsql";

/** The server's settings from VS Code's settings, for a resource or the window. */
export function currentSettings(scope?: vscode.Uri): { [key: string]: JsonValue } {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return serverSettings((key) => config.inspect(key));
}

/**
 * The documents the server gets: files, untitled editors, and, when URIs are mapped (the
 * WebAssembly server), the schemes of the workspace folders (`vscode-vfs` on vscode.dev). Not
 * the `git:` and other read-only views of the same files. SQL always; Python too with the
 * native server (`idemsql server`), which reads the SQL strings of Python code: the built-in
 * WebAssembly server leaves the Python parser out to stay within its size budget.
 */
export function documentSelector(mapUris: boolean): DocumentSelector {
  const schemes = new Set(["file", "untitled"]);
  if (mapUris) {
    for (const folder of vscode.workspace.workspaceFolders ?? []) schemes.add(folder.uri.scheme);
  }
  const languages = mapUris ? ["sql"] : ["sql", "python"];
  return [...schemes].flatMap((scheme) => languages.map((language) => ({ language, scheme })));
}

export function clientOptions(output: vscode.OutputChannel, mapUris: boolean): LanguageClientOptions {
  const options: LanguageClientOptions = {
    documentSelector: documentSelector(mapUris),
    outputChannel: output,
    diagnosticCollectionName: "idemsql",
    // Settings go with initialize, so the first diagnostics already use them.
    initializationOptions: { [SECTION]: currentSettings() },
    middleware: {
      workspace: {
        // The server asks for the `idemsql` section when it was sent none: answer with the
        // settings the user set, not VS Code's defaults, which would override idemsql.toml.
        configuration: async (params, token, next) => {
          const others = await next(params, token);
          if (others instanceof Error || !Array.isArray(others)) return others;
          return configurationAnswer(
            params.items,
            (scopeUri) => currentSettings(scopeUri ? vscode.Uri.parse(scopeUri) : undefined),
            others as JsonValue[],
          );
        },
      },
    },
  };
  if (mapUris) {
    options.uriConverters = {
      code2Protocol: (uri: vscode.Uri) => (isMapped(uri.scheme) ? mappedUri(uri) : uri.toString()),
      protocol2Code: (value: string) => {
        if (value.startsWith(`file:///${VFS_ROOT}/`)) {
          const parts = serverUriToParts(value);
          if (parts) return vscode.Uri.from(parts);
        }
        return vscode.Uri.parse(value);
      },
    };
  }
  return options;
}

/**
 * The text of a file the WebAssembly core asked for by path (`idemsql.toml`, schema files),
 * read through VS Code's file system, so it works for every workspace VS Code can open;
 * `null` when it does not exist or cannot be read.
 */
export async function readServerFile(path: string): Promise<string | null> {
  const parts = pathToUri(path);
  if (!parts) return null;
  try {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.from(parts));
    return new TextDecoder("utf-8").decode(bytes);
  } catch {
    return null;
  }
}

/** The .wasm of the language server's core, shipped in the extension's dist/ folder. */
export function wasmUri(context: vscode.ExtensionContext): vscode.Uri {
  return vscode.Uri.joinPath(context.extensionUri, "dist", "idemsql_lsp_bg.wasm");
}

/**
 * The commands and the settings listener. `client()` is the running client (if any);
 * `restart()` starts a new one (after `idemsql.path` changed, or on request).
 */
export function registerCommon(
  context: vscode.ExtensionContext,
  client: () => BaseLanguageClient | undefined,
  restart: () => Promise<void>,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand("idemsql.fixAll", () =>
      vscode.commands.executeCommand("editor.action.codeAction", { kind: FIX_ALL_KIND, apply: "first" }),
    ),
    vscode.commands.registerCommand("idemsql.restart", restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SECTION)) return;
      if (event.affectsConfiguration(`${SECTION}.path`)) {
        void restart();
        return;
      }
      const running = client();
      if (running?.isRunning()) {
        void running.sendNotification("workspace/didChangeConfiguration", {
          settings: { [SECTION]: currentSettings() },
        });
      }
    }),
  );
}
