# Sourced by scripts/test-wasm.sh and scripts/test-vscode.sh: install what the WebAssembly build
# and the browser tests need when it is missing. Run from the repository root.

# The wasm32 target, clippy, and wasm-bindgen-cli at the version of the crate in Cargo.lock.
ensure_wasm_toolchain() {
  rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
  rustup component add clippy >/dev/null 2>&1 || true
  local bindgen_version
  bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if [ -z "$bindgen_version" ]; then
    echo "wasm-bindgen is not in Cargo.lock" >&2
    return 1
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]; then
    echo "installing wasm-bindgen-cli $bindgen_version into ~/.cargo/bin (a few minutes, once)"
    local install_dir
    install_dir=$(mktemp -d)
    # --force: cargo skips a crate it remembers installing even when its binary is gone.
    cargo install wasm-bindgen-cli --version "$bindgen_version" --target-dir "$install_dir" --force --quiet
    rm -rf "$install_dir"
  fi
  wasm-bindgen --version
}

# Node.js 20 or newer.
ensure_node() {
  local node_major
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$node_major" -lt 20 ]; then
    echo "Node.js 20 or newer is needed, found $(node --version)" >&2
    return 1
  fi
  node --version
}

# Debian's Chromium, for the browser tests ($CHROMIUM, default /usr/bin/chromium).
ensure_chromium() {
  if ! command -v "${CHROMIUM:-/usr/bin/chromium}" >/dev/null 2>&1; then
    echo "installing Debian's chromium"
    export DEBIAN_FRONTEND=noninteractive
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq chromium >/dev/null
  fi
  "${CHROMIUM:-/usr/bin/chromium}" --version
}
