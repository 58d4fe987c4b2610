#!/usr/bin/env node
// Builds the extension into dist/ (what the .vsix ships) and out/ (what the Node tests load):
//   dist/extension.js  desktop entry (CommonJS, Node): the WebAssembly core in the extension host
//   dist/browser.js    VS Code for the web entry (CommonJS, browser): starts the worker
//   dist/worker.js     the web worker (IIFE, browser): the WebAssembly core
//   dist/idemsql_lsp_bg.wasm  the core, copied from the npm package (pkg/dist, `npm run build` there)
//   out/lib.mjs        the logic without `vscode` (host, transport, settings, paths) for the tests
// Type checking is `tsc --noEmit` (npm run typecheck); esbuild only strips types.

import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const wasm = join(dirname(require.resolve("idemsql/package.json")), "dist", "idemsql_lsp_bg.wasm");
if (!existsSync(wasm)) {
  console.error(`${wasm} is missing: build the npm package first (cd pkg && npm ci && npm run build)`);
  process.exit(1);
}

rmSync(join(root, "dist"), { recursive: true, force: true });
rmSync(join(root, "out"), { recursive: true, force: true });
mkdirSync(join(root, "dist"), { recursive: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  sourcemap: false,
  target: "es2022",
  logLevel: "warning",
  // The glue's default .wasm URL (new URL(..., import.meta.url)) is never used: the extension
  // always hands the module over.
  logOverride: { "empty-import-meta": "silent" },
};

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ["src/extension.ts"],
    outfile: "dist/extension.js",
    platform: "node",
    format: "cjs",
    external: ["vscode"],
  }),
  esbuild.build({
    ...common,
    entryPoints: ["src/browser.ts"],
    outfile: "dist/browser.js",
    platform: "browser",
    format: "cjs",
    external: ["vscode"],
  }),
  esbuild.build({
    ...common,
    entryPoints: ["src/worker.ts"],
    outfile: "dist/worker.js",
    platform: "browser",
    format: "iife",
  }),
  esbuild.build({
    ...common,
    minify: false,
    entryPoints: ["src/lib.ts"],
    outfile: "out/lib.mjs",
    platform: "node",
    format: "esm",
    // The tests share these modules with the code under test.
    packages: "external",
  }),
]);
copyFileSync(wasm, join(root, "dist", "idemsql_lsp_bg.wasm"));
console.log("built dist/extension.js, dist/browser.js, dist/worker.js, dist/idemsql_lsp_bg.wasm, out/lib.mjs");
