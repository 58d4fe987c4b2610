#!/usr/bin/env bash
# The integration tests that need outside programs: the pre-commit hooks under the real
# pre-commit (PyPI), and the language server under Neovim's built-in client (Debian).
# Installs what is missing, builds idemsql, then runs tests/integrations/*.sh.
#
#   scripts/test-integrations.sh
#
# Honours CARGO_TARGET_DIR; pre-commit's own builds of the hook go to
# $CARGO_TARGET_DIR/pre-commit-hooks (IDEMSQL_HOOK_TARGET_DIR overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
export IDEMSQL_HOOK_TARGET_DIR="${IDEMSQL_HOOK_TARGET_DIR:-$TARGET/pre-commit-hooks}"

step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pre-commit >/dev/null; then
  step "installing pre-commit (PyPI)"
  python3 -m pip install --quiet --disable-pip-version-check pre-commit
  PATH="$(python3 -m site --user-base)/bin:$PATH"
  command -v pre-commit >/dev/null || { echo "pre-commit did not install" >&2; exit 1; }
fi
if ! command -v nvim >/dev/null; then
  step "installing neovim (Debian)"
  as_root apt-get install -y -q neovim >/dev/null 2>&1 \
    || { as_root apt-get update -q >/dev/null && as_root apt-get install -y -q neovim >/dev/null; }
fi
if ! command -v git >/dev/null; then
  echo "git is needed for the pre-commit test" >&2; exit 1
fi

step "the language server core builds for wasm32 (feature lsp, no I/O)"
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
cargo build --quiet --lib --no-default-features --features lsp --target wasm32-unknown-unknown

step "build idemsql"
cargo build --quiet --bin idemsql

step "Neovim as the language server's client ($(nvim --version | head -1))"
start=$SECONDS
tests/integrations/neovim.sh "$TARGET/debug/idemsql"
echo "Neovim tests took $((SECONDS - start))s"

step "pre-commit hooks under $(pre-commit --version)"
start=$SECONDS
tests/integrations/pre-commit.sh rust
echo "pre-commit tests took $((SECONDS - start))s"
