#!/usr/bin/env bash
# The pre-commit hooks, run by the real pre-commit (from PyPI) the way users run them.
#
#   tests/integrations/pre-commit.sh rust     the repository's own hooks (`language: rust`):
#                                             pre-commit builds `idemsql` with `cargo install`
#   tests/integrations/pre-commit.sh python   the hook repository in pre-commit/
#                                             (`language: python`): pre-commit installs the
#                                             wheel from IDEMSQL_WHEEL_DIR, offline
#                                             (PIP_NO_INDEX), with no Rust toolchain on PATH
#
# `pre-commit try-repo` installs a hook from a commit, so the hook repository's working tree
# (with uncommitted changes) is first copied to a temporary repository and committed there. A
# throwaway project repository holds the SQL files and an idemsql.toml.
#
# Rust builds reuse IDEMSQL_HOOK_TARGET_DIR (default: a directory under the system's cache) and
# use a quicker release profile; the hooks themselves are what users get.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
KIND="${1:-rust}"
command -v pre-commit >/dev/null || { echo "pre-commit is not installed (pip install pre-commit)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export PRE_COMMIT_HOME="$WORK/pre-commit-home"
export PRE_COMMIT_COLOR=never
unset GITHUB_ACTIONS
# shellcheck source=../../scripts/lib/git-snapshot.sh
. "$ROOT/scripts/lib/git-snapshot.sh"

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

SNAP="$WORK/hooks"

case "$KIND" in
  rust)
    export CARGO_TARGET_DIR="${IDEMSQL_HOOK_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/idemsql-hook-target}"
    export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=0
    REV="$(git_snapshot "$ROOT" "$SNAP")"
    ;;
  python)
    WHEELS="${IDEMSQL_WHEEL_DIR:?IDEMSQL_WHEEL_DIR must name the folder holding the idemsql wheel}"
    ls "$WHEELS"/idemsql-*.whl >/dev/null || fail "no idemsql wheel in $WHEELS"
    version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)"
    grep -q "dependencies = \[\"idemsql==$version\"\]" "$ROOT/pre-commit/pyproject.toml" \
      || fail "pre-commit/pyproject.toml does not depend on idemsql==$version (the crate's version)"
    grep -q "^version = \"$version\"" "$ROOT/pre-commit/pyproject.toml" \
      || fail "pre-commit/pyproject.toml's version is not $version"
    # pre-commit's pip finds everything in the local folder (the wheel, and the hook package's
    # build backend, which scripts/test-python.sh put there), as it would on PyPI.
    export PIP_FIND_LINKS="$WHEELS" PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1
    # No Rust toolchain: only the folders of git, python3 and pre-commit stay on PATH.
    PATH="$(dirname "$(command -v pre-commit)"):$(dirname "$(command -v python3)"):/usr/local/bin:/usr/bin:/bin"
    if command -v cargo >/dev/null || command -v rustc >/dev/null; then
      fail "a Rust toolchain is still on PATH: $(command -v cargo rustc)"
    fi
    REV="$(git_snapshot "$ROOT/pre-commit" "$SNAP")"
    ;;
  *) echo "usage: $0 rust|python" >&2; exit 2 ;;
esac

# A project with SQL files.
PROJ="$WORK/project"
mkdir -p "$PROJ/models"
cat > "$PROJ/idemsql.toml" <<'TOML'
dialect = "mysql"
TOML
cat > "$PROJ/models/load_orders.sql" <<'SQL'
CREATE TABLE IF NOT EXISTS orders (order_id int PRIMARY KEY, amount int);
INSERT INTO orders (order_id, amount) VALUES (1, 10), (2, 20);
SQL
cat > "$PROJ/models/clean.sql" <<'SQL'
CREATE TABLE IF NOT EXISTS orders (order_id int PRIMARY KEY, amount int);
INSERT INTO orders (order_id, amount) VALUES (1, 10) AS new ON DUPLICATE KEY UPDATE amount = new.amount;
SQL
cp "$PROJ/models/load_orders.sql" "$PROJ/models/load_again.sql"
git_ -C "$PROJ" init -q
git_ -C "$PROJ" add -A
git_ -C "$PROJ" commit -q -m "sql"

# try-repo HOOK FILE...: its output in $OUT, its exit code in $CODE.
try_repo() {
  local hook="$1"; shift
  set +e
  OUT="$(cd "$PROJ" && pre-commit try-repo "$SNAP" "$hook" --ref "$REV" --files "$@" 2>&1)"
  CODE=$?
  set -e
  printf '%s\n' "$OUT" | sed 's/^/    | /'
}

echo "--- idemsql-check on a plain INSERT: fails with the finding (installs the hook first)"
start=$(date +%s%N)
try_repo idemsql-check models/load_orders.sql
echo "    the $KIND hook's environment was installed and ran in $(( ($(date +%s%N) - start) / 1000000 )) ms"
[ "$CODE" -ne 0 ] || fail "idemsql-check passed on a plain INSERT"
grep -q "IDEM001" <<<"$OUT" || fail "no IDEM001 in the output"
grep -q "models/load_orders.sql:2:1" <<<"$OUT" || fail "the finding's location is missing"
grep -q "ON DUPLICATE KEY UPDATE" <<<"$OUT" || fail "idemsql.toml (dialect = mysql) was not honoured"
pass "idemsql-check fails on a plain INSERT"

echo "--- idemsql-check on a clean file: passes"
try_repo idemsql-check models/clean.sql
[ "$CODE" -eq 0 ] || fail "idemsql-check failed on a clean file"
grep -Eq "idemsql check\.+Passed" <<<"$OUT" || fail "no Passed line"
pass "idemsql-check passes on a clean file"

echo "--- idemsql-fix rewrites the file"
try_repo idemsql-fix models/load_orders.sql
[ "$CODE" -ne 0 ] || fail "idemsql-fix did not report the modified file"
grep -q "files were modified by this hook" <<<"$OUT" || fail "pre-commit did not see a modification"
grep -q "VALUES (1, 10), (2, 20) AS new ON DUPLICATE KEY UPDATE amount = new.amount;" "$PROJ/models/load_orders.sql" \
  || { cat "$PROJ/models/load_orders.sql"; fail "the file was not rewritten to the MySQL upsert"; }
head -1 "$PROJ/models/load_orders.sql" | grep -qx "CREATE TABLE IF NOT EXISTS orders (order_id int PRIMARY KEY, amount int);" \
  || fail "an unrelated statement changed"
pass "idemsql-fix rewrites the file"

echo "--- idemsql-fix again: passes"
try_repo idemsql-fix models/load_orders.sql
[ "$CODE" -eq 0 ] || fail "a second idemsql-fix run did not pass"
try_repo idemsql-check models/load_orders.sql
[ "$CODE" -eq 0 ] || fail "idemsql-check fails after idemsql-fix"
pass "a second run passes"

echo "--- the documented .pre-commit-config.yaml, with args"
cat > "$PROJ/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $SNAP
    rev: $REV
    hooks:
      - id: idemsql-fix
        args: [--dialect, sqlite]
YAML
set +e
OUT="$(cd "$PROJ" && pre-commit run idemsql-fix --files models/load_again.sql 2>&1)"
CODE=$?
set -e
printf '%s\n' "$OUT" | sed 's/^/    | /'
[ "$CODE" -ne 0 ] || fail "idemsql-fix (config) did not modify the file"
grep -q "ON CONFLICT (order_id) DO UPDATE SET amount = EXCLUDED.amount WHERE orders.amount IS NOT EXCLUDED.amount;" "$PROJ/models/load_again.sql" \
  || { cat "$PROJ/models/load_again.sql"; fail "args: [--dialect, sqlite] was not applied"; }
pass "args from .pre-commit-config.yaml reach idemsql"

echo "pre-commit hooks ($KIND): all passed"
