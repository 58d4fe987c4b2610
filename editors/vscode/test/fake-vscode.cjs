// A stand-in for the `vscode` module, with just enough of VS Code's API for the extension's
// bundles (dist/extension.js, dist/browser.js) and the real vscode-languageclient inside them
// to run: documents, settings, the file system (on disk, or a virtual one), diagnostics
// collections, provider registration, commands, and the value classes the client builds
// (Uri, Range, Diagnostic, CodeAction, WorkspaceEdit, Hover...). It records what the extension
// registers so the tests can call the providers as VS Code would. A member it lacks throws,
// naming itself, so a test fails loudly rather than passing on a dummy.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

function strict(name, object) {
  return new Proxy(object, {
    get(target, key) {
      if (key in target || typeof key === "symbol" || ["then", "toJSON", "__esModule", "default"].includes(key)) {
        return target[key];
      }
      throw new Error(`fake vscode: ${name}.${String(key)} is not implemented`);
    },
  });
}

class Disposable {
  constructor(fn) {
    this._fn = fn;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((d) => d && d.dispose && d.dispose()));
  }
  dispose() {
    if (this._fn) this._fn();
    this._fn = undefined;
  }
}

class EventEmitter {
  constructor() {
    this._listeners = new Set();
    this.event = (listener, thisArg, disposables) => {
      const entry = (e) => listener.call(thisArg, e);
      this._listeners.add(entry);
      const d = new Disposable(() => this._listeners.delete(entry));
      if (Array.isArray(disposables)) disposables.push(d);
      return d;
    };
  }
  fire(e) {
    for (const l of [...this._listeners]) l(e);
  }
  dispose() {
    this._listeners.clear();
  }
}

/** Percent-encode a path the way VS Code's Uri.toString does (unreserved characters and `/` kept). */
function encodePath(p) {
  return p
    .split("/")
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");
}

class Uri {
  constructor(scheme, authority, p, query, fragment) {
    this.scheme = scheme;
    this.authority = authority || "";
    this.path = p || "";
    this.query = query || "";
    this.fragment = fragment || "";
  }
  static parse(value) {
    const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (!m) throw new Error(`fake vscode: cannot parse URI ${value}`);
    return new Uri(m[1], m[2], decodeURIComponent(m[3]), m[4] && decodeURIComponent(m[4]), m[5] && decodeURIComponent(m[5]));
  }
  static file(p) {
    return new Uri("file", "", p.startsWith("/") ? p : `/${p}`);
  }
  static from(parts) {
    return new Uri(parts.scheme, parts.authority, parts.path, parts.query, parts.fragment);
  }
  static joinPath(base, ...segments) {
    return base.with({ path: path.posix.join(base.path, ...segments) });
  }
  get fsPath() {
    return this.authority && this.scheme === "file" ? `//${this.authority}${this.path}` : this.path;
  }
  with(change) {
    return new Uri(
      change.scheme ?? this.scheme,
      change.authority ?? this.authority,
      change.path ?? this.path,
      change.query ?? this.query,
      change.fragment ?? this.fragment,
    );
  }
  toString() {
    let s = `${this.scheme}:`;
    if (this.authority || this.scheme === "file") s += `//${this.authority}`;
    s += encodePath(this.path);
    if (this.query) s += `?${encodeURIComponent(this.query)}`;
    if (this.fragment) s += `#${encodeURIComponent(this.fragment)}`;
    return s;
  }
  toJSON() {
    return { scheme: this.scheme, authority: this.authority, path: this.path };
  }
}

class Position {
  constructor(line, character) {
    this.line = line;
    this.character = character;
  }
  isBefore(o) {
    return this.line < o.line || (this.line === o.line && this.character < o.character);
  }
}

class Range {
  constructor(a, b, c, d) {
    if (typeof a === "number") {
      this.start = new Position(a, b);
      this.end = new Position(c, d);
    } else {
      this.start = a;
      this.end = b;
    }
  }
}

class Diagnostic {
  constructor(range, message, severity) {
    this.range = range;
    this.message = message;
    this.severity = severity;
  }
}

class CodeActionKind {
  constructor(value) {
    this.value = value;
  }
  append(part) {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other) {
    return this.value === other.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other) {
    return this.contains(other) || other.contains(this);
  }
}
CodeActionKind.Empty = new CodeActionKind("");
for (const [name, value] of Object.entries({
  QuickFix: "quickfix",
  Refactor: "refactor",
  RefactorExtract: "refactor.extract",
  RefactorInline: "refactor.inline",
  RefactorMove: "refactor.move",
  RefactorRewrite: "refactor.rewrite",
  Source: "source",
  SourceOrganizeImports: "source.organizeImports",
  SourceFixAll: "source.fixAll",
  Notebook: "notebook",
})) {
  CodeActionKind[name] = new CodeActionKind(value);
}

class CodeAction {
  constructor(title, kind) {
    this.title = title;
    this.kind = kind;
  }
}

class TextEdit {
  constructor(range, newText) {
    this.range = range;
    this.newText = newText;
  }
}

class WorkspaceEdit {
  constructor() {
    this._edits = [];
  }
  replace(uri, range, newText) {
    this._edits.push({ uri, edit: new TextEdit(range, newText) });
  }
  insert(uri, position, newText) {
    this.replace(uri, new Range(position, position), newText);
  }
  set(uri, edits) {
    for (const e of edits) this._edits.push({ uri, edit: e });
  }
  entries() {
    const byUri = new Map();
    for (const { uri, edit } of this._edits) {
      const key = uri.toString();
      if (!byUri.has(key)) byUri.set(key, [uri, []]);
      byUri.get(key)[1].push(edit);
    }
    return [...byUri.values()];
  }
}

class MarkdownString {
  constructor(value = "", supportThemeIcons) {
    this.value = value;
    this.supportThemeIcons = supportThemeIcons;
  }
  appendMarkdown(value) {
    this.value += value;
    return this;
  }
}

class Hover {
  constructor(contents, range) {
    this.contents = Array.isArray(contents) ? contents : [contents];
    this.range = range;
  }
}

class CancellationTokenSource {
  constructor() {
    const emitter = new EventEmitter();
    this._emitter = emitter;
    this.token = { isCancellationRequested: false, onCancellationRequested: emitter.event };
  }
  cancel() {
    this.token.isCancellationRequested = true;
    this._emitter.fire(undefined);
  }
  dispose() {}
}

class CancellationError extends Error {}

/** A text document: the parts the client reads. */
class TextDocument {
  constructor(uri, languageId, text) {
    this.uri = uri;
    this.languageId = languageId;
    this.version = 1;
    this._text = text;
    this.isClosed = false;
    this.isDirty = false;
    this.isUntitled = uri.scheme === "untitled";
    this.eol = 1;
  }
  get fileName() {
    return this.uri.fsPath;
  }
  get lineCount() {
    return this._text.split("\n").length;
  }
  getText() {
    return this._text;
  }
  offsetAt(p) {
    const lines = this._text.split("\n");
    let o = 0;
    for (let i = 0; i < p.line && i < lines.length; i++) o += lines[i].length + 1;
    return Math.min(o + p.character, this._text.length);
  }
  positionAt(offset) {
    const before = this._text.slice(0, offset);
    const line = before.split("\n").length - 1;
    return new Position(line, offset - (before.lastIndexOf("\n") + 1));
  }
}

/**
 * A fresh `vscode` module. `settings` are the user's `idemsql.*` values (key without the
 * prefix); `readFile(uri)` is the file system (default: the disk, by fsPath).
 */
function createVscode({ settings = {}, workspaceFolders = [], readFile } = {}) {
  const state = {
    settings,
    documents: [],
    collections: new Map(),
    providers: { codeActions: [], hover: [] },
    commands: new Map(),
    executed: [],
    output: [],
    errors: [],
    watchers: [],
  };
  const events = {
    open: new EventEmitter(),
    change: new EventEmitter(),
    close: new EventEmitter(),
    save: new EventEmitter(),
    willSave: new EventEmitter(),
    configuration: new EventEmitter(),
    folders: new EventEmitter(),
    activeEditor: new EventEmitter(),
    tabs: new EventEmitter(),
  };
  const noEvent = new EventEmitter().event;
  const read = readFile ?? (async (uri) => {
    if (uri.scheme !== "file") throw new Error(`no file system for ${uri}`);
    return fs.readFileSync(uri.fsPath);
  });

  // Settings are the user's `idemsql.*` values, keyed without the prefix ("dialect",
  // "trace.server"); getConfiguration("idemsql") and getConfiguration("idemsql.trace") see them.
  const configuration = (section) => {
    const prefix = section === "idemsql" ? "" : section.startsWith("idemsql.") ? `${section.slice(8)}.` : null;
    const value = (key) => (prefix === null ? undefined : state.settings[prefix + key]);
    return {
      get: (key, dflt) => (value(key) === undefined ? dflt : value(key)),
      has: (key) => value(key) !== undefined,
      inspect: (key) => ({ key: `${section}.${key}`, defaultValue: undefined, globalValue: value(key) }),
      update: () => Promise.resolve(),
    };
  };

  const register = (kind) => (selector, provider, metadata) => {
    const entry = { selector, provider, metadata };
    state.providers[kind]?.push(entry);
    return new Disposable(() => {
      const list = state.providers[kind];
      if (list) list.splice(list.indexOf(entry), 1);
    });
  };
  const ignoredProvider = () => new Disposable();

  const match = (selector, document) => {
    const filters = Array.isArray(selector) ? selector : [selector];
    for (const f of filters) {
      if (typeof f === "string") {
        if (f === document.languageId) return 10;
        continue;
      }
      if (f.language && f.language !== document.languageId) continue;
      if (f.scheme && f.scheme !== document.uri.scheme) continue;
      if (f.notebookType) continue;
      return 10;
    }
    return 0;
  };

  const languageNames = [
    "registerCompletionItemProvider", "registerDefinitionProvider", "registerSignatureHelpProvider",
    "registerReferenceProvider", "registerDocumentHighlightProvider", "registerDocumentSymbolProvider",
    "registerWorkspaceSymbolProvider", "registerCodeLensProvider", "registerDocumentFormattingEditProvider",
    "registerDocumentRangeFormattingEditProvider", "registerOnTypeFormattingEditProvider", "registerRenameProvider",
    "registerDocumentLinkProvider", "registerColorProvider", "registerImplementationProvider",
    "registerTypeDefinitionProvider", "registerDeclarationProvider", "registerFoldingRangeProvider",
    "registerSelectionRangeProvider", "registerCallHierarchyProvider", "registerDocumentSemanticTokensProvider",
    "registerDocumentRangeSemanticTokensProvider", "registerLinkedEditingRangeProvider", "registerTypeHierarchyProvider",
    "registerInlineValuesProvider", "registerInlayHintsProvider", "registerInlineCompletionItemProvider",
  ];
  const languages = {
    match,
    createDiagnosticCollection(name) {
      const entries = new Map();
      const collection = {
        name,
        set(uri, diagnostics) {
          if (Array.isArray(uri)) {
            for (const [u, d] of uri) collection.set(u, d);
            return;
          }
          entries.set(uri.toString(), diagnostics ?? []);
          state.onDiagnostics?.(uri.toString(), diagnostics ?? []);
        },
        get: (uri) => entries.get(uri.toString()),
        has: (uri) => entries.has(uri.toString()),
        delete: (uri) => entries.delete(uri.toString()),
        clear: () => entries.clear(),
        forEach: (fn) => entries.forEach((d, u) => fn(Uri.parse(u), d, collection)),
        dispose: () => entries.clear(),
      };
      state.collections.set(name, collection);
      return collection;
    },
    registerCodeActionsProvider: register("codeActions"),
    registerHoverProvider: register("hover"),
  };
  for (const n of languageNames) languages[n] = ignoredProvider;

  const outputChannel = (name) => ({
    name,
    append: (s) => state.output.push(s),
    appendLine: (s) => state.output.push(s),
    replace: () => {},
    clear: () => {},
    show: () => {},
    hide: () => {},
    dispose: () => {},
  });

  const vscode = strict("vscode", {
    version: "1.95.0",
    Disposable,
    EventEmitter,
    Uri,
    Position,
    Range,
    Diagnostic,
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
    CodeAction,
    CodeActionKind,
    CodeActionTriggerKind: { Invoke: 1, Automatic: 2 },
    TextEdit,
    WorkspaceEdit,
    MarkdownString,
    Hover,
    CancellationTokenSource,
    CancellationError,
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    TextDocumentSaveReason: { Manual: 1, AfterDelay: 2, FocusOut: 3 },
    FileType: { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 },
    // Value classes the client subclasses or builds for features this server does not offer.
    ...Object.fromEntries(
      [
        "CompletionItem", "CompletionList", "CodeLens", "DocumentLink", "InlayHint", "InlayHintLabelPart",
        "TypeHierarchyItem", "CallHierarchyItem", "CallHierarchyIncomingCall", "CallHierarchyOutgoingCall",
        "SymbolInformation", "DocumentSymbol", "WorkspaceSymbol", "InlineCompletionItem", "InlineCompletionList",
        "SignatureHelp", "SignatureInformation", "ParameterInformation", "Location", "LocationLink",
        "DocumentHighlight", "FoldingRange", "SelectionRange", "ColorInformation", "ColorPresentation", "Color",
        "SemanticTokens", "SemanticTokensEdit", "SemanticTokensEdits", "SemanticTokensLegend", "LinkedEditingRanges",
        "InlineValueText", "InlineValueVariableLookup", "InlineValueEvaluatableExpression", "SnippetString",
        "DiagnosticRelatedInformation", "RelativePattern", "TextDocumentEdit",
      ].map((name) => [name, { [name]: class {} }[name]]),
    ),
    TabInputText: class TabInputText {},
    TabInputTextDiff: class TabInputTextDiff {},
    TabInputCustom: class TabInputCustom {},
    TabInputNotebook: class TabInputNotebook {},
    TabInputNotebookDiff: class TabInputNotebookDiff {},
    env: strict("env", { language: "en", appName: "Visual Studio Code", openExternal: async () => true, uiKind: 1 }),
    window: strict("window", {
      createOutputChannel: outputChannel,
      showErrorMessage: async (m) => void state.errors.push(m),
      showWarningMessage: async (m) => void state.errors.push(m),
      showInformationMessage: async () => undefined,
      activeTextEditor: undefined,
      visibleTextEditors: [],
      onDidChangeActiveTextEditor: events.activeEditor.event,
      onDidChangeVisibleTextEditors: noEvent,
      tabGroups: { all: [], onDidChangeTabs: events.tabs.event, onDidChangeTabGroups: noEvent },
      withProgress: (_o, task) => task({ report: () => {} }, new CancellationTokenSource().token),
      showTextDocument: async () => undefined,
    }),
    workspace: strict("workspace", {
      get workspaceFolders() {
        return workspaceFolders;
      },
      get textDocuments() {
        return state.documents;
      },
      isTrusted: true,
      name: "test",
      getConfiguration: configuration,
      getWorkspaceFolder: (uri) => workspaceFolders.find((f) => uri.toString().startsWith(f.uri.toString())),
      onDidOpenTextDocument: events.open.event,
      onDidChangeTextDocument: events.change.event,
      onDidCloseTextDocument: events.close.event,
      onDidSaveTextDocument: events.save.event,
      onWillSaveTextDocument: events.willSave.event,
      onDidChangeConfiguration: events.configuration.event,
      onDidChangeWorkspaceFolders: events.folders.event,
      onDidCreateFiles: noEvent,
      onDidRenameFiles: noEvent,
      onDidDeleteFiles: noEvent,
      onWillCreateFiles: noEvent,
      onWillRenameFiles: noEvent,
      onWillDeleteFiles: noEvent,
      onDidChangeNotebookDocument: noEvent,
      onDidOpenNotebookDocument: noEvent,
      onDidCloseNotebookDocument: noEvent,
      onDidSaveNotebookDocument: noEvent,
      notebookDocuments: [],
      createFileSystemWatcher(glob) {
        const w = { glob, create: new EventEmitter(), change: new EventEmitter(), delete: new EventEmitter() };
        state.watchers.push(w);
        return {
          onDidCreate: w.create.event,
          onDidChange: w.change.event,
          onDidDelete: w.delete.event,
          dispose: () => state.watchers.splice(state.watchers.indexOf(w), 1),
        };
      },
      applyEdit: async () => true,
      fs: strict("workspace.fs", { readFile: async (uri) => new Uint8Array(await read(uri)) }),
    }),
    languages: strict("languages", languages),
    commands: strict("commands", {
      registerCommand(id, fn) {
        state.commands.set(id, fn);
        return new Disposable(() => state.commands.delete(id));
      },
      executeCommand: async (id, ...args) => {
        state.executed.push([id, ...args]);
        const own = state.commands.get(id);
        return own ? own(...args) : undefined;
      },
    }),
  });

  /** Open a document as VS Code does: it joins textDocuments, then onDidOpenTextDocument fires. */
  function openDocument(uri, text, languageId = "sql") {
    const doc = new TextDocument(uri, languageId, text);
    state.documents.push(doc);
    events.open.fire(doc);
    return doc;
  }

  /** Replace a document's text (one full change), as typing a big edit does. */
  function changeDocument(doc, text) {
    const end = doc.positionAt(doc.getText().length);
    const range = new Range(new Position(0, 0), end);
    const rangeLength = doc.getText().length;
    doc._text = text;
    doc.version += 1;
    events.change.fire({ document: doc, contentChanges: [{ range, rangeOffset: 0, rangeLength, text }], reason: undefined });
  }

  /** Change settings and tell the extension, as the Settings editor does. */
  function changeSettings(next) {
    const before = state.settings;
    state.settings = next;
    const changed = new Set([...Object.keys(before), ...Object.keys(next)].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(next[k])));
    events.configuration.fire({
      affectsConfiguration: (section) =>
        [...changed].some((k) => section === "idemsql" || section === `idemsql.${k}` || `idemsql.${k}`.startsWith(`${section}.`)),
    });
  }

  return { vscode, state, events, openDocument, changeDocument, changeSettings, TextDocument };
}

module.exports = { createVscode, Uri, Range, Position };
