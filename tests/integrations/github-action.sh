#!/usr/bin/env bash
# The GitHub Action (action.yml), its steps run locally by run_action.py as the Actions runner
# runs them: it installs the wheel from IDEMSQL_WHEEL_DIR into a fresh venv (offline, no Rust
# toolchain on PATH) and annotates a project's SQL with `idemsql check --format github`.
#
#   IDEMSQL_WHEEL_DIR=... tests/integrations/github-action.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WHEELS="${IDEMSQL_WHEEL_DIR:?IDEMSQL_WHEEL_DIR must name the folder holding the idemsql wheel}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check pyyaml 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages pyyaml
PYTHON="$(command -v python3)"

version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)"
grep -A3 '^  version:' "$ROOT/action.yml" | grep -q "default: \"$version\"" \
  || fail "action.yml's default version is not the crate's ($version)"

mkdir -p "$WORK/project/models" "$WORK/project/dags"
cat > "$WORK/project/pyproject.toml" <<'TOML'
[project]
name = "warehouse"

[tool.idemsql]
dialect = "mysql"
TOML
cat > "$WORK/project/models/load orders.sql" <<'SQL'
CREATE TABLE IF NOT EXISTS orders (order_id int PRIMARY KEY, amount int);
INSERT INTO orders (order_id, amount) VALUES (1, 10);
SQL
cat > "$WORK/project/dags/clean.py" <<'PY'
def load(cur):
    cur.execute("INSERT INTO orders (order_id, amount) VALUES (1, 10) ON CONFLICT (order_id) DO NOTHING")
PY

# run ARG=VALUE...: the action's output in $OUT, its exit code in $CODE. No cargo or rustc.
run() {
  set +e
  OUT="$(PATH="/usr/local/bin:/usr/bin:/bin" "$PYTHON" "$ROOT/tests/integrations/run_action.py" \
    "$ROOT" "$WORK/project" python="$PYTHON" wheel-dir="$WHEELS" "$@" 2>&1)"
  CODE=$?
  set -e
  printf '%s\n' "$OUT" | sed 's/^/    | /'
}

echo "--- the action on a project with a plain INSERT: annotations, and the job fails"
run
[ "$CODE" -eq 1 ] || fail "the action exited with $CODE, not 1"
grep -q "^idemsql $version$" <<<"$OUT" || fail "the installed idemsql is not $version"
grep -q '^::error file=models/load orders.sql,line=2,col=1,' <<<"$OUT" || fail "no annotation on models/load orders.sql:2:1"
grep -q 'ON DUPLICATE KEY UPDATE' <<<"$OUT" \
  || fail "pyproject.toml's [tool.idemsql] dialect = mysql was not honoured"
pass "a plain INSERT is annotated and fails the job"

echo "--- args: quoted paths, and a clean folder passes"
run args="--dialect sqlite dags/"
[ "$CODE" -eq 0 ] || fail "the action failed on a clean folder"
run args="'models/load orders.sql' --ignore IDEM001 --ignore IDEM002"
[ "$CODE" -eq 0 ] || fail "a quoted path with spaces or --ignore did not reach idemsql"
run args='$(touch pwned) models/'
[ ! -e "$WORK/project/pwned" ] || fail "args were run as a shell command"
pass "args are split as words, never run"

echo "github action: all passed"
