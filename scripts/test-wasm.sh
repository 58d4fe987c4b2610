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
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
rustup component add clippy >/dev/null 2>&1 || true
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  echo "wasm-bindgen is not in Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]; then
  echo "installing wasm-bindgen-cli $bindgen_version into ~/.cargo/bin (a few minutes, once)"
  install_dir=$(mktemp -d)
  # --force: cargo skips a crate it remembers installing even when its binary is gone.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --target-dir "$install_dir" --force --quiet
  rm -rf "$install_dir"
fi
wasm-bindgen --version
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or newer is needed, found $(node --version)" >&2
  exit 1
fi
if ! command -v "${CHROMIUM:-/usr/bin/chromium}" >/dev/null 2>&1; then
  echo "installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium >/dev/null
fi
"${CHROMIUM:-/usr/bin/chromium}" --version

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
