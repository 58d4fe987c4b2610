// A client that talks to the language server the way VS Code's vscode-languageclient 9 does:
// a vscode-jsonrpc connection, the initialize capabilities it sends, the settings the extension
// computes (serverSettings over inspected values), its answers to workspace/configuration and
// client/registerCapability, and what an editor does with the answers (UTF-16 positions,
// workspace edits).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import rpc from "vscode-jsonrpc/node.js";

import { configurationAnswer, serverSettings, SECTION } from "../out/lib.mjs";

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, "..", "..", "..");

/** The `capabilities` of vscode-languageclient 9's initialize request (the parts servers read). */
export const VSCODE_CAPABILITIES = {
  general: { positionEncodings: ["utf-16"], regularExpressions: { engine: "ECMAScript", version: "ES2020" } },
  workspace: {
    applyEdit: true,
    workspaceEdit: {
      documentChanges: true,
      resourceOperations: ["create", "rename", "delete"],
      failureHandling: "textOnlyTransactional",
      normalizesLineEndings: true,
      changeAnnotationSupport: { groupsOnLabel: true },
    },
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    workspaceFolders: true,
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: false,
      tagSupport: { valueSet: [1, 2] },
      codeDescriptionSupport: true,
      dataSupport: true,
    },
    codeAction: {
      dynamicRegistration: true,
      isPreferredSupport: true,
      disabledSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ["edit"] },
      codeActionLiteralSupport: {
        codeActionKind: {
          valueSet: ["", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite", "source", "source.organizeImports"],
        },
      },
      honorsChangeAnnotations: false,
    },
    hover: { dynamicRegistration: true, contentFormat: ["markdown", "plaintext"] },
  },
  window: { showMessage: { messageActionItem: { additionalPropertiesSupport: true } }, workDoneProgress: true },
};

/** `WorkspaceConfiguration.inspect` over user settings given as a plain object. */
export function inspectFrom(userSettings) {
  return (key) => ({ defaultValue: undefined, globalValue: userSettings[key] });
}

/**
 * A VS Code-like client on a reader/writer pair. `settings` are the user's settings
 * (`idemsql.*` without the prefix); the extension turns them into the server's.
 */
export class Client {
  constructor(reader, writer, userSettings = {}) {
    this.userSettings = userSettings;
    this.connection = rpc.createMessageConnection(reader, writer);
    this.diagnostics = new Map();
    this.versions = new Map();
    this.waiters = [];
    this.shown = [];
    this.logged = [];
    this.registrations = [];
    this.configurationRequests = 0;
    this.closed = new Promise((done) => this.connection.onClose(done));
    this.publishedVersions = new Map();
    this.connection.onNotification("textDocument/publishDiagnostics", (p) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.publishedVersions.set(p.uri, p.version);
      this.#wake();
    });
    this.connection.onNotification("window/showMessage", (p) => {
      this.shown.push(p.message);
      this.#wake();
    });
    this.connection.onNotification("window/logMessage", (p) => this.logged.push(p.message));
    this.connection.onRequest("client/registerCapability", (p) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    // The extension's configuration middleware: the idemsql section from the user's settings.
    this.connection.onRequest("workspace/configuration", (p) => {
      this.configurationRequests++;
      return configurationAnswer(p.items, () => this.serverSettings(), []);
    });
    this.connection.listen();
  }

  serverSettings() {
    return serverSettings(inspectFrom(this.userSettings));
  }

  #wake() {
    for (const w of this.waiters.splice(0)) {
      if (!w.check()) this.waiters.push(w);
    }
  }

  /** Resolve when `check()` holds (checked on every notification), or fail after 10 s. */
  waitFor(what, check) {
    if (check()) return Promise.resolve();
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`timed out waiting for ${what}`)), 10_000);
      this.waiters.push({
        check: () => {
          if (!check()) return false;
          clearTimeout(timer);
          ok();
          return true;
        },
      });
    });
  }

  async initialize(workspaceUri) {
    const result = await this.connection.sendRequest("initialize", {
      processId: process.pid,
      clientInfo: { name: "Visual Studio Code", version: "1.95.0" },
      locale: "en",
      rootPath: null,
      rootUri: workspaceUri,
      capabilities: VSCODE_CAPABILITIES,
      // clientOptions(): the user's settings go with initialize.
      initializationOptions: { [SECTION]: this.serverSettings() },
      trace: "off",
      workspaceFolders: workspaceUri ? [{ uri: workspaceUri, name: "w" }] : null,
    });
    await this.connection.sendNotification("initialized", {});
    return result;
  }

  async open(uri, text, version = 1) {
    this.diagnostics.delete(uri);
    this.versions.set(uri, version);
    await this.connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId: "sql", version, text },
    });
    await this.waitFor(`diagnostics of ${uri}`, () => this.diagnostics.has(uri));
    return this.diagnostics.get(uri);
  }

  /** Replace the whole text (what VS Code does for a big edit) and wait for new diagnostics. */
  async replace(uri, text) {
    const version = this.versions.get(uri) + 1;
    this.versions.set(uri, version);
    this.diagnostics.delete(uri);
    await this.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    await this.waitFor(`diagnostics of ${uri} version ${version}`, () => this.publishedVersions.get(uri) === version);
    return this.diagnostics.get(uri);
  }

  /** The code actions VS Code asks for: `only` is set for codeActionsOnSave and the source menu. */
  codeActions(uri, range, only, diagnostics = []) {
    const context = { diagnostics, triggerKind: only ? 1 : 2 };
    if (only) context.only = only;
    return this.connection.sendRequest("textDocument/codeAction", { textDocument: { uri }, range, context });
  }

  hover(uri, position) {
    return this.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position });
  }

  /** What the extension sends when an idemsql setting changes. */
  async changeSettings(userSettings) {
    this.userSettings = userSettings;
    await this.connection.sendNotification("workspace/didChangeConfiguration", {
      settings: { [SECTION]: this.serverSettings() },
    });
  }

  async shutdown() {
    await this.connection.sendRequest("shutdown");
    await this.connection.sendNotification("exit");
  }

  dispose() {
    this.connection.dispose();
  }
}

/** The UTF-16 offset (JS string index) of an LSP position. */
export function offsetOf(text, { line, character }) {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) return text.length;
    start = nl + 1;
  }
  const end = text.indexOf("\n", start);
  return Math.min(start + character, end < 0 ? text.length : end);
}

/** The LSP position (UTF-16) of a JS string index. */
export function positionOf(text, offset) {
  const before = text.slice(0, offset);
  return { line: before.split("\n").length - 1, character: offset - (before.lastIndexOf("\n") + 1) };
}

export const whole = (text) => ({ start: { line: 0, character: 0 }, end: positionOf(text, text.length) });

/** Apply a WorkspaceEdit to `uri`'s text, as VS Code's applyEdit does (documentChanges). */
export function applyWorkspaceEdit(text, edit, uri, version) {
  let edits;
  if (edit.documentChanges) {
    const change = edit.documentChanges.find((d) => d.textDocument.uri === uri);
    assert.ok(change, `an edit of ${uri}: ${JSON.stringify(edit)}`);
    if (version !== undefined) assert.equal(change.textDocument.version, version, "the edit is for the version shown");
    edits = change.edits;
  } else {
    edits = edit.changes[uri];
  }
  const spans = edits
    .map((e) => [offsetOf(text, e.range.start), offsetOf(text, e.range.end), e.newText])
    .sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  for (const [start, end, newText] of spans) text = text.slice(0, start) + newText + text.slice(end);
  return text;
}

/** The native `idemsql` binary: $IDEMSQL_BIN, or the debug build in $CARGO_TARGET_DIR. */
export function nativeBinary() {
  const path =
    process.env.IDEMSQL_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(repo, "target"), "debug", "idemsql");
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: build it with \`cargo build --bin idemsql\` or set IDEMSQL_BIN`);
  }
  return path;
}

/** `idemsql server` over stdio, as vscode-languageclient/node starts it for `idemsql.path`. */
export function spawnNative(path, cwd) {
  const child = spawn(path, ["server"], { cwd, stdio: ["pipe", "pipe", "inherit"] });
  return {
    child,
    reader: new rpc.StreamMessageReader(child.stdout),
    writer: new rpc.StreamMessageWriter(child.stdin),
    exited: new Promise((done) => child.on("exit", (code) => done(code))),
  };
}
