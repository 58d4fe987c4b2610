#!/usr/bin/env bash
# The WebAssembly part of the test command: the npm package (pkg/) and the playground (www/).
#
# Works on a fresh Debian machine with a Rust toolchain and Node.js 20+: it installs what is
# missing (the wasm32 target, wasm-bindgen-cli at the version in Cargo.lock, npm packages,
# Debian's chromium), then
#   - runs the adapter's native unit tests and clippy for wasm32,
#   - builds the two .wasm modules (pkg: npm run build; fails over a size budget),
#   - runs the package's Node tests and its install test (npm pack, Node, tsc, Chromium),
#   - runs the playground's unit tests, builds it and runs its end-to-end test in Chromium
#     (screenshots in www/test-results/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS

step() { printf '\n==> %s (%ds)\n' "$*" "$((SECONDS - started))"; }

step "toolchain: wasm32 target, wasm-bindgen-cli, Node.js, Chromium"
# shellcheck source=scripts/toolchain.sh
. scripts/toolchain.sh
ensure_wasm_toolchain
ensure_node
ensure_chromium

step "the WASM adapters: native unit tests (UTF-16 positions, option errors, LSP messages as JSON)"
cargo test --quiet --lib --features wasm,wasm-lsp wasm

step "clippy for wasm32 with the wasm and wasm-lsp features (each module's build, and both)"
cargo clippy --lib --no-default-features --features wasm --target wasm32-unknown-unknown -- -D warnings
cargo clippy --lib --no-default-features --features wasm-lsp --target wasm32-unknown-unknown -- -D warnings
cargo clippy --lib --no-default-features --features wasm,wasm-lsp --target wasm32-unknown-unknown -- -D warnings

step "pkg: npm ci and build both .wasm modules (cargo, wasm-bindgen, wasm-opt)"
cd "$root/pkg"
npm ci --no-audit --no-fund
npm run build

step "pkg: Node tests (API, language server, UTF-16 positions, errors, adversarial input)"
npm test

step "pkg: install test (npm pack into a fresh project; Node, TypeScript, Chromium)"
npm run test:install

step "www: npm ci, unit tests, build"
cd "$root/www"
npm ci --no-audit --no-fund
npm test
npm run build

step "www: end-to-end test in Chromium"
npm run test:e2e

step "WebAssembly tests done"
cat "$root/pkg/dist/size.json" "$root/pkg/dist/size-lsp.json"
printf 'scripts/test-wasm.sh took %ds\n' "$((SECONDS - started))"
