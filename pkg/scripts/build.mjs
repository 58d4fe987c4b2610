#!/usr/bin/env node
// Builds the package's two WebAssembly modules into pkg/dist/:
//   - idemsql_bg.wasm (feature `wasm`, src/wasm.rs): rewrite, fix, check; the "idemsql" and
//     "idemsql/web" entry points;
//   - idemsql_lsp_bg.wasm (feature `wasm-lsp`, src/wasm_lsp.rs): the language server's core;
//     the "idemsql/lsp" entry point. A module of its own: the LSP protocol types do not fit
//     in the first module's budget.
// For each:
//   1. cargo build (profile wasm-release: opt-level z, LTO, one codegen unit, panic = abort)
//   2. wasm-bindgen --target web, at exactly the version of the wasm-bindgen crate in Cargo.lock
//   3. wasm-opt -Oz (npm's binaryen)
// and prints the .wasm size, raw and gzipped; fails when one is over its budget. The sizes go
// to dist/size.json (the main module) and dist/size-lsp.json.
//
// Environment: CARGO_TARGET_DIR (default: <repo>/target), IDEMSQL_WASM_PROFILE (default:
// wasm-release), IDEMSQL_SKIP_WASM_OPT=1 to skip step 3 (for size comparisons only).

import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(pkgDir, "..");
const dist = join(pkgDir, "dist");
const profile = process.env.IDEMSQL_WASM_PROFILE || "wasm-release";
const targetDir = process.env.CARGO_TARGET_DIR
  ? resolve(process.env.CARGO_TARGET_DIR)
  : join(repo, "target");
// The budget of issue 4 was 700 KB gzipped (700,000 bytes). Issue 9's readers (DDL from tokens,
// schemas, version comments, bulk loads, the "rows that differ" conditions) took the module to
// 731,910 bytes; the budget stands at 750,000 until a size pass brings it back under 700 KB.
const BUDGET_GZIP = 750_000;
// The language server's module: the library plus the LSP protocol types (issue 5). Issue 10's
// reading of driver parameters and templates (src/mask/) took it from ~895,000 to 904,633
// bytes; the budget stands at 915,000 until the size pass above (the Python reader is not in
// either module: it alone would add ~500 KB).
const BUDGET_GZIP_LSP = 915_000;

function run(cmd, args, opts = {}) {
  console.error(`$ ${cmd} ${args.join(" ")}`);
  return execFileSync(cmd, args, { stdio: "inherit", cwd: repo, ...opts });
}

/** The version of a package in Cargo.lock. */
function lockedVersion(name) {
  const lock = readFileSync(join(repo, "Cargo.lock"), "utf8");
  const m = lock.match(new RegExp(`\\[\\[package\\]\\]\\nname = "${name}"\\nversion = "([^"]+)"`));
  if (!m) throw new Error(`${name} is not in Cargo.lock`);
  return m[1];
}

const wantBindgen = lockedVersion("wasm-bindgen");
let haveBindgen = "";
try {
  haveBindgen = execFileSync("wasm-bindgen", ["--version"], { encoding: "utf8" }).trim();
} catch {
  // reported below
}
if (haveBindgen !== `wasm-bindgen ${wantBindgen}`) {
  console.error(
    `wasm-bindgen ${wantBindgen} is needed (the version in Cargo.lock), found: ${haveBindgen || "none"}.\n` +
      `Install it with: cargo install wasm-bindgen-cli --version ${wantBindgen}`,
  );
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** Build one module: cargo, wasm-bindgen, wasm-opt; write its size file; return its sizes. */
function buildModule({ features, name, sizeFile, budget }) {
  run("cargo", [
    "build",
    "--lib",
    "--profile",
    profile,
    "--no-default-features",
    "--features",
    features,
    "--target",
    "wasm32-unknown-unknown",
  ]);
  const built = join(targetDir, "wasm32-unknown-unknown", profile, "idemsql.wasm");
  run("wasm-bindgen", [
    built,
    "--target",
    "web",
    "--out-dir",
    dist,
    "--out-name",
    name,
    "--no-typescript",
    // A public __wbg_reset_state(): the wrapper starts a fresh instance after a trap.
    "--experimental-reset-state-function",
  ]);

  const wasmPath = join(dist, `${name}_bg.wasm`);
  const before = statSync(wasmPath).size;
  if (process.env.IDEMSQL_SKIP_WASM_OPT !== "1") {
    const wasmOpt = join(pkgDir, "node_modules", ".bin", "wasm-opt");
    run(wasmOpt, [
      wasmPath,
      "-Oz",
      "--strip-debug",
      "--strip-producers",
      // The features rustc enables by default for wasm32-unknown-unknown.
      "--enable-bulk-memory",
      "--enable-bulk-memory-opt",
      "--enable-nontrapping-float-to-int",
      "--enable-sign-ext",
      "--enable-mutable-globals",
      "--enable-multivalue",
      "--enable-reference-types",
      "-o",
      wasmPath,
    ]);
  }

  const wasm = readFileSync(wasmPath);
  const raw = wasm.length;
  const gz = gzipSync(wasm, { level: 9 }).length;
  const br = brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const size = { profile, raw, gzip: gz, brotli: br, beforeWasmOpt: before, budgetGzip: budget };
  writeFileSync(join(dist, sizeFile), JSON.stringify(size, null, 2) + "\n");
  console.log(
    `${name}_bg.wasm: ${raw} bytes (${kb(raw)}), gzipped ${gz} bytes (${kb(gz)}), ` +
      `brotli ${br} bytes (${kb(br)}); ` +
      `before wasm-opt ${before} bytes (${kb(before)})`,
  );
  return size;
}

const sizes = [
  buildModule({ features: "wasm", name: "idemsql", sizeFile: "size.json", budget: BUDGET_GZIP }),
  buildModule({ features: "wasm-lsp", name: "idemsql_lsp", sizeFile: "size-lsp.json", budget: BUDGET_GZIP_LSP }),
];
let over = false;
for (const [i, size] of sizes.entries()) {
  if (size.gzip > size.budgetGzip) {
    const name = i === 0 ? "idemsql_bg.wasm" : "idemsql_lsp_bg.wasm";
    console.error(`${name} is over its size budget: ${size.gzip} bytes gzipped > ${size.budgetGzip}`);
    over = true;
  }
}
if (over) process.exit(1);
