// The extension's manifest and bundles: the settings it declares are the ones the code reads and
// the core accepts, the enums match the library, and both entry points load.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

import { dialects } from "idemsql";

import { EXTENSION_KEYS, SERVER_KEYS, SECTION } from "../out/lib.mjs";

const root = new URL("../", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
const properties = manifest.contributes.configuration.properties;

test("the settings in package.json are the server's and the extension's, no more, no less", () => {
  const declared = Object.keys(properties).map((k) => k.slice(SECTION.length + 1)).sort();
  assert.ok(Object.keys(properties).every((k) => k.startsWith(`${SECTION}.`)));
  assert.deepEqual(declared, [...SERVER_KEYS, ...EXTENSION_KEYS].sort());
  for (const [key, p] of Object.entries(properties)) {
    assert.ok(p.markdownDescription || p.description, `${key} is described`);
    assert.ok("default" in p, `${key} has a default`);
  }
  assert.equal(properties["idemsql.path"].scope, "machine-overridable");
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ["idemsql.path"]);
});

test("the dialect and strategy enums are the library's", () => {
  const list = dialects();
  assert.deepEqual([...properties["idemsql.dialect"].enum].sort(), list.map((d) => d.name).sort());
  const strategies = new Set(list.flatMap((d) => d.strategies));
  strategies.add("auto");
  assert.deepEqual([...properties["idemsql.strategy"].enum].sort(), [...strategies].sort());
  assert.equal(properties["idemsql.strategy"].enum.length, properties["idemsql.strategy"].enumDescriptions.length);
  assert.deepEqual(properties["idemsql.dedupe"].enum, ["off", "first", "last"]);
});

test("the README documents every setting", () => {
  const readme = readFileSync(new URL("README.md", root), "utf8");
  for (const key of Object.keys(properties)) assert.ok(readme.includes(`\`${key}\``), `README mentions ${key}`);
});

test("the manifest: SQL activation, both entry points built, commands registered", () => {
  assert.ok(manifest.activationEvents.includes("onLanguage:sql"));
  assert.equal(manifest.main, "./dist/extension.js");
  assert.equal(manifest.browser, "./dist/browser.js");
  for (const f of ["dist/extension.js", "dist/browser.js", "dist/worker.js", "dist/idemsql_lsp_bg.wasm"]) {
    assert.ok(existsSync(new URL(f, root)), `${f} is built`);
  }
  const client = readFileSync(new URL("src/client.ts", root), "utf8");
  for (const c of manifest.contributes.commands) {
    assert.ok(client.includes(`registerCommand("${c.command}"`), `${c.command} is registered`);
  }
  // @types/vscode may not be newer than the VS Code the manifest accepts (vsce refuses it).
  const types = manifest.devDependencies["@types/vscode"];
  assert.equal(manifest.engines.vscode, `^${types}`);
});

test("dist/extension.js and dist/browser.js load as VS Code loads them (CommonJS, `vscode` provided)", () => {
  // A stand-in for the `vscode` module: any property, call or construction gives itself back.
  const stub = new Proxy(function vscode() {}, {
    get: (_t, key) => (key === "__esModule" ? false : stub),
    construct: () => stub,
    apply: () => stub,
  });
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === "vscode" ? stub : load.call(this, request, ...rest);
  };
  try {
    const require = createRequire(fileURLToPath(new URL("package.json", root)));
    for (const entry of [manifest.main, manifest.browser]) {
      const m = require(entry);
      assert.equal(typeof m.activate, "function", `${entry} exports activate`);
      assert.equal(typeof m.deactivate, "function", `${entry} exports deactivate`);
    }
  } finally {
    Module._load = load;
  }
  // The browser bundle must not need Node.js modules.
  const browser = readFileSync(new URL("dist/browser.js", root), "utf8");
  const required = [...browser.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(required)], ["vscode"]);
  const worker = readFileSync(new URL("dist/worker.js", root), "utf8");
  assert.doesNotMatch(worker, /require\(/);
});
