#!/usr/bin/env bash
# The VS Code extension's part of the test command (editors/vscode).
#
# Works on a fresh Debian machine with a Rust toolchain and Node.js 20+. It
#   - builds the npm package's .wasm modules first when pkg/dist is missing (the extension
#     ships the language server's module; scripts/test-wasm.sh builds and tests the package),
#   - builds the native `idemsql` (debug) for the tests of the `idemsql.path` mode,
#   - installs the extension's npm packages (npm ci), type-checks (tsc --noEmit) and bundles it
#     (esbuild),
#   - runs its Node tests (the WebAssembly core in process and the native server, driven with
#     the messages VS Code sends; the web worker in Chromium; the bundles activated with the real
#     vscode-languageclient against a stand-in for VS Code's API),
#   - packages the .vsix with vsce and checks that it holds the bundles, the worker and the .wasm.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS

step() { printf '\n==> %s (%ds)\n' "$*" "$((SECONDS - started))"; }

# shellcheck source=scripts/toolchain.sh
. scripts/toolchain.sh

step "toolchain: Node.js, Chromium"
ensure_node
ensure_chromium

if [ ! -f "$root/pkg/dist/idemsql_lsp_bg.wasm" ]; then
  step "pkg/dist is missing: build the npm package (cargo, wasm-bindgen, wasm-opt)"
  ensure_wasm_toolchain
  (cd "$root/pkg" && npm ci --no-audit --no-fund && npm run build)
fi

step "the native idemsql (debug), for the idemsql.path tests"
cargo build --quiet --bin idemsql
export IDEMSQL_BIN="${IDEMSQL_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/idemsql}"
"$IDEMSQL_BIN" --version

cd "$root/editors/vscode"
step "editors/vscode: npm ci"
npm ci --no-audit --no-fund

step "editors/vscode: tsc --noEmit, then esbuild (dist/extension.js, dist/browser.js, dist/worker.js)"
npm run typecheck
npm run build

step "editors/vscode: Node tests (WebAssembly core and native server driven like VS Code; worker in Chromium)"
npm test

step "editors/vscode: vsce package"
rm -f idemsql.vsix
npm run package </dev/null
python3 - idemsql.vsix <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
want = {
    "extension/package.json",
    "extension/dist/extension.js",
    "extension/dist/browser.js",
    "extension/dist/worker.js",
    "extension/dist/idemsql_lsp_bg.wasm",
}
missing = sorted(want - names)
if missing:
    sys.exit(f"the .vsix lacks {missing}; it holds {sorted(names)}")
stray = sorted(n for n in names if "/node_modules/" in n or n.startswith("extension/src/") or n.startswith("extension/test/"))
if stray:
    sys.exit(f"the .vsix holds files it should not: {stray}")
print(f"idemsql.vsix: {len(names)} files, with the worker and the .wasm")
PY
ls -l idemsql.vsix

step "VS Code extension tests done"
printf 'scripts/test-vscode.sh took %ds\n' "$((SECONDS - started))"
