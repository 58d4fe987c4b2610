#!/usr/bin/env bash
# The Python package (python/), as users get it: build the wheel, install it into a fresh
# virtual environment (not an editable install), and with cargo and rustc off PATH run
#   - python/tests (pytest): the API, its errors, a multi-megabyte input, the `idemsql`
#     command the wheel installs, and a pipeline that runs its rewritten INSERT twice on sqlite3;
#   - the `language: python` pre-commit hooks of pre-commit/, under the real pre-commit,
#     installed offline from the wheel (tests/integrations/pre-commit.sh python);
#   - the GitHub Action's steps (tests/integrations/github-action.sh).
#
#   scripts/test-python.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
step() { printf '\n==> %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
PYTEST_VERSION=8.4.2
SETUPTOOLS_VERSION=80.9.0

if ! command -v pre-commit >/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check pre-commit 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages pre-commit
  PATH="$(python3 -m site --user-base)/bin:$PATH"
fi

version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
[ "$(sed -n 's/^version = "\(.*\)"/\1/p' python/Cargo.toml | head -1)" = "$version" ] \
  || fail "python/Cargo.toml's version is not the crate's ($version)"

step "the extension's unit tests"
cargo test --quiet -p idemsql-python

step "build the wheel (scripts/build-wheel.sh)"
WHEELS="$TARGET/wheels"
start=$SECONDS
wheel="$(scripts/build-wheel.sh "$WHEELS" | tail -1)"
echo "$(basename "$wheel"): $(stat -c %s "$wheel") bytes, built in $((SECONDS - start)) s"
case "$(basename "$wheel")" in
  "idemsql-$version-"*) ;;
  *) fail "the wheel's version is not $version" ;;
esac
python3 -c 'import sys, zipfile; sys.exit(sys.argv[2] not in zipfile.ZipFile(sys.argv[1]).namelist())' \
  "$wheel" "idemsql-$version.data/scripts/idemsql" || fail "the wheel has no idemsql command"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
step "a fresh venv with the wheel (and pytest), then the tests without a Rust toolchain"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check "pytest==$PYTEST_VERSION"
start=$SECONDS
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index --find-links "$WHEELS" "idemsql==$version"
echo "pip install of the wheel: $((SECONDS - start)) s"
(
  cd "$WORK"
  PATH="$WORK/venv/bin:/usr/local/bin:/usr/bin:/bin" \
    python -m pytest -q -p no:cacheprovider --import-mode=importlib "$ROOT/python/tests"
)

step "pre-commit hooks with language: python (pre-commit/), from the wheel"
# The hook package's build backend goes beside the wheel: pre-commit's pip runs offline.
python3 -m pip download --quiet --disable-pip-version-check --only-binary :all: \
  --dest "$WHEELS" "setuptools==$SETUPTOOLS_VERSION"
IDEMSQL_WHEEL_DIR="$WHEELS" tests/integrations/pre-commit.sh python

step "the GitHub Action (action.yml), its steps run locally"
IDEMSQL_WHEEL_DIR="$WHEELS" tests/integrations/github-action.sh
