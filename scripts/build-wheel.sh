#!/usr/bin/env bash
# Build the Python wheel of idemsql (python/): the `idemsql` command and the Python API.
#
#   scripts/build-wheel.sh [OUT_DIR]      (default: $CARGO_TARGET_DIR/wheels)
#
# Two native files go into the wheel, both from this repository's source with the `wheel`
# profile (release, stripped): the command-line binary, the same as `cargo install idemsql`
# builds, as the wheel's script (pip puts it on PATH), and the extension module
# `idemsql._native` (PyO3, abi3: one wheel for every CPython >= 3.9). Needs a Rust toolchain
# and maturin (installed from PyPI when missing); the wheel then installs without either.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="${1:-$TARGET/wheels}"
MATURIN_VERSION=1.16.0

if ! python3 -m maturin --version 2>/dev/null | grep -q "$MATURIN_VERSION"; then
  python3 -m pip install --quiet --disable-pip-version-check "maturin==$MATURIN_VERSION" 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "maturin==$MATURIN_VERSION"
fi

exe=idemsql
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) exe=idemsql.exe ;; esac

cargo build --quiet --locked --profile wheel --bin idemsql
# maturin copies python/idemsql.data/ into the wheel's .data folder; scripts/ are installed
# into the environment's bin/ (Scripts\ on Windows). The folder is build output (.gitignore).
data="$ROOT/python/idemsql.data/scripts"
rm -rf "$ROOT/python/idemsql.data"
mkdir -p "$data"
cp "$TARGET/wheel/$exe" "$data/$exe"

mkdir -p "$OUT"
rm -f "$OUT"/idemsql-*.whl
python3 -m maturin build --quiet --locked --profile wheel \
  --manifest-path python/Cargo.toml --out "$OUT" >&2
ls "$OUT"/idemsql-*.whl
