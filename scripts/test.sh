#!/usr/bin/env bash
# Run every test of idemsql: the README's test command.
#
# Works on a fresh Debian machine with a Rust toolchain: it installs what is missing (apt
# packages, the wasm32 target, wasm-bindgen-cli, npm and PyPI packages), starts throwaway
# PostgreSQL and MariaDB servers for the engine tests, and stops them at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# The Chinook sample scripts (third-party, not in the repository) are read from the folder
# IDEMSQL_CHINOOK_DIR names; without it, the tests that need them say they did not run.
# `.ci/run` sets it and fails when the folder is missing.
if [ -z "${IDEMSQL_CHINOOK_DIR:-}" ]; then
  echo "note: IDEMSQL_CHINOOK_DIR is not set: the Chinook corpus tests will not run" >&2
fi

step "rustfmt and clippy"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
cargo clippy --quiet -p idemsql-python --all-targets -- -D warnings

step "library builds for wasm32-unknown-unknown (no I/O in the library)"
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
cargo build --lib --no-default-features --target wasm32-unknown-unknown

step "sqlglot, for the second SQL validator (tests/sqlglot_validate.rs, run by cargo test)"
python3 -m pip install --quiet --disable-pip-version-check 'sqlglot==30.30.0' 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages 'sqlglot==30.30.0'

step "throwaway database servers for the engine tests (tests/engines)"
# PostgreSQL 15 and MariaDB 10.11 in a temporary folder, and DuckDB from PyPI: installed when
# missing, stopped and removed on exit whatever happens. See docs/engine-tests.md.
services_env=$(scripts/services.sh start)
eval "$services_env"
trap 'scripts/services.sh stop "$IDEMSQL_SERVICES_DIR"' EXIT

step "cargo test (unit, fixtures, sqlglot validator, CLI, corpus, engines)"
cargo test --all-targets --no-fail-fast

step "integrations: pre-commit hooks and Neovim (scripts/test-integrations.sh)"
./scripts/test-integrations.sh

step "Python package: the wheel, its API and command, pre-commit hooks, GitHub Action (scripts/test-python.sh)"
./scripts/test-python.sh

step "WebAssembly: the npm package (pkg/) and the playground (www/)"
./scripts/test-wasm.sh

step "VS Code extension: build, tests, .vsix (scripts/test-vscode.sh)"
./scripts/test-vscode.sh
