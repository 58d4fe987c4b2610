// The playground page: editors, option controls, the worker that runs idemsql, the URL state.
import { EditorView, basicSetup } from "codemirror";
import { Compartment, EditorState, RangeSetBuilder, StateEffect, StateField } from "@codemirror/state";
import { Decoration } from "@codemirror/view";
import { MariaSQL, MSSQL, MySQL, PLSQL, PostgreSQL, SQLite, StandardSQL, sql } from "@codemirror/lang-sql";
import { lintGutter, setDiagnostics } from "@codemirror/lint";

import { EXAMPLES } from "./examples.js";
import { DEFAULT_STATE, changedRanges, decodeState, toOptions } from "./state.js";

/** Most diagnostics listed, and most drawn as squiggles, for a huge input. */
const MAX_LISTED = 200;
const MAX_SQUIGGLES = 2000;

const $ = (id) => document.getElementById(id);

const SQL_DIALECTS = {
  postgres: PostgreSQL,
  redshift: PostgreSQL,
  duckdb: PostgreSQL,
  mysql: MySQL,
  mariadb: MariaSQL,
  mssql: MSSQL,
  sqlite: SQLite,
  oracle: PLSQL,
};
const sqlFor = (dialect) => sql({ dialect: SQL_DIALECTS[dialect] ?? StandardSQL });

// ----- state -----

let state = { ...DEFAULT_STATE, ...(decodeState(location.hash) ?? { ...EXAMPLES[0].state }) };
let dialectInfo = [];
let activeTab = "rewrite";
let last = null; // the newest answer: { output, lint, sql }

// ----- editors -----

const inputLanguage = new Compartment();
const outputLanguage = new Compartment();

const setChanged = StateEffect.define();
const changedField = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) if (e.is(setChanged)) return e.value;
    return tr.docChanged ? Decoration.none : deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const changedMark = Decoration.mark({ class: "cm-idemsql-changed" });
const changedLine = Decoration.line({ class: "cm-idemsql-changed-line" });

function changedDecorations(doc, ranges) {
  const builder = new RangeSetBuilder();
  // Marks and line decorations must be added in order of position; lines first at a position.
  const items = [];
  for (const r of ranges) {
    if (r.to <= r.from || r.to > doc.length) continue;
    const first = doc.lineAt(r.from).number;
    const lastLine = doc.lineAt(r.to).number;
    for (let n = first; n <= lastLine; n++) items.push([doc.line(n).from, 0, changedLine]);
    items.push([r.from, 1, changedMark, r.to]);
  }
  items.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let lastLineStart = -1;
  for (const [from, kind, deco, to] of items) {
    if (kind === 0) {
      if (from === lastLineStart) continue;
      lastLineStart = from;
      builder.add(from, from, deco);
    } else {
      builder.add(from, to, deco);
    }
  }
  return builder.finish();
}

const input = new EditorView({
  parent: $("input"),
  state: EditorState.create({
    doc: state.sql,
    extensions: [
      basicSetup,
      inputLanguage.of(sqlFor(state.dialect)),
      lintGutter(),
      EditorView.lineWrapping,
      EditorView.updateListener.of((u) => {
        if (u.docChanged) {
          state.sql = u.state.doc.toString();
          schedule();
        }
      }),
      EditorView.contentAttributes.of({ "aria-label": "Input SQL" }),
    ],
  }),
});

const schema = new EditorView({
  parent: $("schema"),
  state: EditorState.create({
    doc: state.schema,
    extensions: [
      basicSetup,
      sql({ dialect: StandardSQL }),
      EditorView.lineWrapping,
      EditorView.updateListener.of((u) => {
        if (u.docChanged) {
          state.schema = u.state.doc.toString();
          schedule();
        }
      }),
      EditorView.contentAttributes.of({ "aria-label": "Schema DDL" }),
    ],
  }),
});

const output = new EditorView({
  parent: $("output"),
  state: EditorState.create({
    doc: "",
    extensions: [
      basicSetup,
      outputLanguage.of(sqlFor(state.dialect)),
      EditorState.readOnly.of(true),
      EditorView.lineWrapping,
      changedField,
      EditorView.contentAttributes.of({ "aria-label": "Idempotent SQL" }),
    ],
  }),
});

function replaceDoc(view, text) {
  if (view.state.doc.toString() === text) return;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

// ----- controls -----

const controls = {
  dialect: $("dialect"),
  strategy: $("strategy"),
  keys: $("keys"),
  partitions: $("partitions"),
  partitionValues: $("partitionValues"),
  dedupe: $("dedupe"),
  nullSafe: $("nullSafe"),
  insertsOnly: $("insertsOnly"),
};

function fillStrategies() {
  // Until the worker has said which dialects exist, show the state as it is.
  const info = dialectInfo.find((d) => d.name === state.dialect);
  const strategies = info ? info.strategies : [state.strategy];
  if (!strategies.includes(state.strategy)) state.strategy = "auto";
  controls.strategy.replaceChildren(
    ...strategies.map((s) => new Option(s, s, false, s === state.strategy)),
  );
  controls.strategy.value = state.strategy;
}

/** Show `state` in every control and editor. */
function render() {
  if (dialectInfo.length === 0) {
    controls.dialect.replaceChildren(new Option(state.dialect, state.dialect));
  }
  controls.dialect.value = state.dialect;
  fillStrategies();
  for (const k of ["keys", "partitions", "partitionValues", "dedupe"]) controls[k].value = state[k];
  controls.nullSafe.checked = state.nullSafe;
  controls.insertsOnly.checked = state.insertsOnly;
  replaceDoc(input, state.sql);
  replaceDoc(schema, state.schema);
  const showSchema = state.schema.trim() !== "" || $("showSchema").checked;
  $("showSchema").checked = showSchema;
  $("schema-pane").hidden = !showSchema;
  input.dispatch({ effects: inputLanguage.reconfigure(sqlFor(state.dialect)) });
  output.dispatch({ effects: outputLanguage.reconfigure(sqlFor(state.dialect)) });
}

function setState(next) {
  state = { ...DEFAULT_STATE, ...next };
  render();
  schedule(0);
}

controls.dialect.addEventListener("change", () => {
  state.dialect = controls.dialect.value;
  fillStrategies();
  input.dispatch({ effects: inputLanguage.reconfigure(sqlFor(state.dialect)) });
  output.dispatch({ effects: outputLanguage.reconfigure(sqlFor(state.dialect)) });
  schedule(0);
});
controls.strategy.addEventListener("change", () => {
  state.strategy = controls.strategy.value;
  schedule(0);
});
for (const k of ["keys", "partitions", "partitionValues"]) {
  controls[k].addEventListener("input", () => {
    state[k] = controls[k].value;
    schedule();
  });
}
controls.dedupe.addEventListener("change", () => {
  state.dedupe = controls.dedupe.value;
  schedule(0);
});
controls.nullSafe.addEventListener("change", () => {
  state.nullSafe = controls.nullSafe.checked;
  schedule(0);
});
controls.insertsOnly.addEventListener("change", () => {
  state.insertsOnly = controls.insertsOnly.checked;
  schedule(0);
});
$("showSchema").addEventListener("change", () => {
  $("schema-pane").hidden = !$("showSchema").checked;
});

for (const ex of EXAMPLES) $("examples").append(new Option(ex.title, ex.id));
$("examples").addEventListener("change", () => {
  const ex = EXAMPLES.find((e) => e.id === $("examples").value);
  $("examples").value = "";
  if (ex) {
    $("showSchema").checked = false;
    setState(ex.state);
  }
});

async function copyText(text, button, done) {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = done;
  } catch {
    button.textContent = "Copy failed";
  }
  setTimeout(() => (button.textContent = label), 1500);
}

$("copy").addEventListener("click", () => copyText(output.state.doc.toString(), $("copy"), "Copied"));
$("share").addEventListener("click", () => copyText(location.href, $("share"), "Link copied"));

// A link opened in this tab (or back/forward between hashes) restores its state.
window.addEventListener("hashchange", () => {
  const next = decodeState(location.hash);
  if (next) setState(next);
});

// ----- diagnostics -----

for (const tab of document.querySelectorAll(".tabs [data-tab]")) {
  tab.addEventListener("click", () => {
    activeTab = tab.dataset.tab;
    for (const t of document.querySelectorAll(".tabs [data-tab]")) {
      t.setAttribute("aria-selected", String(t === tab));
    }
    renderDiagnostics();
  });
}

/** Select what `d` is about, in the editor whose text its offsets are in. */
function selectIn(view, d) {
  const len = view.state.doc.length;
  const anchor = Math.min(d.start.offset, len);
  const head = Math.min(d.end.offset, len);
  view.dispatch({ selection: { anchor, head }, scrollIntoView: true });
  view.focus();
}

function renderDiagnostics() {
  const list = $("diagnostics");
  const items = last ? (activeTab === "rewrite" ? last.output.diagnostics : last.lint) : [];
  // What remains after every fix is positioned in the output; the rest in the input.
  const target = activeTab === "rewrite" && last && !last.insertsOnly ? output : input;
  const rows = items.slice(0, MAX_LISTED).map((d) => {
    const li = document.createElement("li");
    li.tabIndex = 0;
    li.className = "diagnostic";
    li.dataset.severity = d.severity;
    li.dataset.code = d.code;
    const sev = Object.assign(document.createElement("span"), { className: `sev sev-${d.severity}`, textContent: d.severity });
    const code = document.createElement("span");
    code.className = "code";
    const link = Object.assign(document.createElement("a"), { href: d.url, target: "_blank", rel: "noopener", textContent: d.code });
    link.title = d.name;
    link.addEventListener("click", (e) => e.stopPropagation());
    code.append(link, " ", Object.assign(document.createElement("span"), { className: "muted", textContent: d.name }));
    const loc = Object.assign(document.createElement("span"), { className: "loc", textContent: `${d.start.line}:${d.start.column}` });
    const msg = Object.assign(document.createElement("span"), { className: "msg", textContent: d.message });
    if (d.help) msg.append(Object.assign(document.createElement("span"), { className: "help", textContent: d.help }));
    li.append(sev, code, loc, msg);
    li.addEventListener("click", () => selectIn(target, d));
    li.addEventListener("keydown", (e) => {
      if (e.key === "Enter") selectIn(target, d);
    });
    return li;
  });
  if (items.length > MAX_LISTED) {
    rows.push(Object.assign(document.createElement("li"), { className: "more", textContent: `… and ${items.length - MAX_LISTED} more` }));
  }
  if (last && items.length === 0) {
    const text =
      activeTab !== "rewrite"
        ? "No findings."
        : last.insertsOnly
          ? "Every INSERT that needed it was rewritten."
          : "Everything that needed it was fixed: the output runs twice as once.";
    rows.push(Object.assign(document.createElement("li"), { className: "empty", textContent: text }));
  }
  list.replaceChildren(...rows);
}

// ----- the worker -----

let worker;
let ready = false;
let busy = false;
let pending = false;
let timer;
let seq = 0;

/** Run idemsql on the newest state after a pause in typing; longer pauses for larger inputs. */
function schedule(delay) {
  clearTimeout(timer);
  const wait = delay ?? Math.min(600, 120 + Math.floor((state.sql.length + state.schema.length) / 4000));
  timer = setTimeout(send, wait);
}

function send() {
  if (!ready || busy) {
    pending = true;
    return;
  }
  pending = false;
  busy = true;
  const snapshot = { ...state };
  worker.postMessage({ id: ++seq, state: snapshot, options: toOptions(snapshot) });
  worker.current = snapshot;
  $("status").textContent = "working…";
}

function startWorker() {
  ready = false;
  busy = false;
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = (event) => {
    const data = event.data;
    if (data.ready) {
      ready = true;
      $("version").textContent = `idemsql ${data.version}`;
      // The dialect list comes from the library itself.
      dialectInfo = data.dialects;
      controls.dialect.replaceChildren(...dialectInfo.map((d) => new Option(d.name, d.name)));
      controls.dialect.value = state.dialect;
      fillStrategies();
      send();
      return;
    }
    busy = false;
    show(data, worker.current);
    if (pending) send();
  };
  worker.onerror = (event) => {
    event.preventDefault();
    showError(`The worker stopped: ${event.message ?? "unknown error"}; restarting it.`);
    worker.terminate();
    startWorker();
    pending = true;
  };
}

function showError(message) {
  const el = $("error");
  el.textContent = message ?? "";
  el.hidden = !message;
}

function show(answer, asked) {
  if (location.hash !== answer.hash) history.replaceState(null, "", answer.hash);
  $("share").title = answer.tooLongToShare
    ? "The input is too large for a link; the link keeps the options only"
    : "Copy a link to this exact state";
  if (!answer.ok) {
    showError(answer.error);
    $("status").textContent = "";
    return;
  }
  showError(null);
  last = { output: answer.output, lint: answer.lint, sql: asked.sql, insertsOnly: asked.insertsOnly };
  $("label-rewrite").textContent = asked.insertsOnly ? "Not rewritten" : "Not fixed";
  replaceDoc(output, answer.output.sql);
  const ranges = changedRanges(answer.output.edits);
  output.dispatch({ effects: setChanged.of(changedDecorations(output.state.doc, ranges)) });
  const n = answer.output.edits.length;
  $("output-info").textContent = n === 0 ? "unchanged" : `${n} change${n === 1 ? "" : "s"}`;
  $("input-info").textContent = `${asked.sql.length.toLocaleString()} characters`;
  $("count-rewrite").textContent = String(answer.output.diagnostics.length);
  $("count-lint").textContent = String(answer.lint.length);
  $("status").textContent = `${answer.ms.toFixed(0)} ms`;
  // Squiggles only when they belong to the text now in the editor.
  if (asked.sql === input.state.doc.toString()) {
    const len = input.state.doc.length;
    const squiggles = answer.lint.slice(0, MAX_SQUIGGLES).map((d) => ({
      from: Math.min(d.start.offset, len),
      to: Math.min(d.end.offset, len),
      severity: d.severity,
      source: d.code,
      message: d.help ? `${d.message}\n${d.help}` : d.message,
      actions: d.fix
        ? [
            {
              name: "Fix",
              apply(view) {
                view.dispatch({ changes: d.fix.edits.map((e) => ({ from: e.start, to: e.end, insert: e.text })) });
              },
            },
          ]
        : [],
    }));
    input.dispatch(setDiagnostics(input.state, squiggles));
  }
  renderDiagnostics();
}

// ----- start -----

render();
renderDiagnostics();
startWorker();

// For the end-to-end test and for poking around in the console.
window.__playground = {
  input,
  output,
  schema,
  state: () => ({ ...state }),
  worker: () => ({ ready, busy, pending, seq }),
};
