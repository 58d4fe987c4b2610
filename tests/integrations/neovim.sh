#!/usr/bin/env bash
# Neovim (its built-in LSP client, headless) as the editor of `idemsql server`.
#
#   tests/integrations/neovim.sh [path/to/idemsql]
#
# Neovim opens a SQL file beside an idemsql.toml, receives the diagnostics, hovers, and
# applies the fix-all code action; tests/integrations/neovim/init.lua writes what it saw to a
# JSON file that this script checks: codes, sources and links, byte columns after non-ASCII
# text (UTF-16 by default, UTF-8 when negotiated), the rewrite in the hover, and that the
# fixed buffer equals `idemsql check --fix` on the same file.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${1:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/idemsql}"
[ -x "$BIN" ] || { echo "no idemsql binary at $BIN (cargo build first)" >&2; exit 1; }
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
command -v nvim >/dev/null || { echo "nvim is not installed (apt-get install neovim)" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" XDG_STATE_HOME="$WORK/state" XDG_CACHE_HOME="$WORK/cache"
unset GITHUB_ACTIONS

PROJ="$WORK/project"
mkdir -p "$PROJ/schema"
printf 'dialect = "mysql"\nschema-files = ["schema/orders.sql"]\n' > "$PROJ/idemsql.toml"
printf 'CREATE TABLE orders (order_id int PRIMARY KEY, amount int, note text);\n' > "$PROJ/schema/orders.sql"
cat > "$PROJ/load.sql" <<'SQL'
-- Tägliche Ladung ☕
SELECT 1, '😀 café'; INSERT INTO orders (order_id, amount, note) VALUES (1, 10, 'naïve 😀');
DROP TABLE staging;
SQL
cp "$PROJ/load.sql" "$WORK/expected.sql"
(cd "$WORK" && "$BIN" check --config "$PROJ/idemsql.toml" --fix expected.sql >/dev/null 2>&1) || true

for encoding in utf-16 utf-8; do
  echo "--- Neovim $(nvim --version | head -1 | cut -d' ' -f2), client offering $encoding"
  cp "$PROJ/load.sql" "$PROJ/edit.sql"
  OUT="$WORK/result-$encoding.json"
  IDEMSQL_BIN="$BIN" IDEMSQL_FILE="$PROJ/edit.sql" IDEMSQL_OUT="$OUT" IDEMSQL_ENCODING="$encoding" \
    timeout 120 nvim --headless -n -i NONE -u "$ROOT/tests/integrations/neovim/init.lua" </dev/null \
    || { cat "$OUT" 2>/dev/null; echo; echo "FAIL: nvim exited with an error" >&2; exit 1; }
  python3 - "$OUT" "$encoding" "$PROJ/load.sql" "$WORK/expected.sql" <<'PY'
import json, sys
out, encoding, source_path, expected_path = sys.argv[1:]
r = json.load(open(out))
if "error" in r:
    sys.exit(f"FAIL: {r['error']}")
source = open(source_path, encoding="utf-8").read()
expected = open(expected_path, encoding="utf-8").read()
def check(cond, what):
    if not cond:
        print(json.dumps(r, indent=1, ensure_ascii=False))
        sys.exit(f"FAIL ({encoding}): {what}")
check(r["offset_encoding"] == encoding, f"negotiated {r['offset_encoding']}")
published = r["published"][-1]["diagnostics"]
check([d["code"] for d in published] == ["IDEM001", "IDEM014"], f"codes {[d['code'] for d in published]}")
check(all(d["source"] == "idemsql" for d in published), "source")
check(published[0]["codeDescription"]["href"].endswith("/docs/rules/non-idempotent-insert.md"), "link")
# Where Neovim puts them: byte columns of the buffer line.
held = r["diagnostics"]
check(len(held) == 2, f"Neovim holds {len(held)} diagnostics")
line = source.split("\n")[1]
insert_col = len(line[: line.index("INSERT")].encode("utf-8"))
check((held[0]["lnum"], held[0]["col"]) == (1, insert_col), f"INSERT at {held[0]['lnum']}:{held[0]['col']}, want 1:{insert_col}")
end_col = len(line[: line.rindex(")") + 1].encode("utf-8"))
check((held[0]["end_lnum"], held[0]["end_col"]) == (1, end_col), f"INSERT ends at {held[0]['end_col']}, want {end_col}")
check(held[0]["code"] == "IDEM001" and held[0]["source"] == "idemsql", "code and source kept by Neovim")
check((held[1]["lnum"], held[1]["col"]) == (2, 0), "DROP position")
# The server's raw column is in the negotiated units.
units = len(line[: line.index("INSERT")].encode("utf-16-le")) // 2 if encoding == "utf-16" else insert_col
check(published[0]["range"]["start"]["character"] == units, "raw column units")
check(r["hover"] is not None and "ON DUPLICATE KEY UPDATE" in r["hover"], f"hover: {r['hover']}")
check(r["fix_all_applied"], "no fix-all action")
check(r["fixed"] == expected, "fixed buffer differs from `idemsql check --fix`:\n" + r["fixed"] + "\n---\n" + expected)
print(f"ok: Neovim {r['nvim']} ({encoding}): 2 diagnostics at the right byte columns, hover, fix-all equals check --fix")
PY
done
echo "--- the shipped configuration, editors/neovim/idemsql.lua"
cp "$PROJ/load.sql" "$PROJ/edit.sql"
OUT="$WORK/result-shipped.json"
PATH="$(dirname "$BIN"):$PATH" IDEMSQL_BIN="$BIN" IDEMSQL_FILE="$PROJ/edit.sql" IDEMSQL_OUT="$OUT" IDEMSQL_ENCODING=shipped \
  IDEMSQL_EDITOR_CONFIG="$ROOT/editors/neovim/idemsql.lua" \
  timeout 120 nvim --headless -n -i NONE -u "$ROOT/tests/integrations/neovim/init.lua" </dev/null \
  || { cat "$OUT" 2>/dev/null; echo; echo "FAIL: nvim exited with an error" >&2; exit 1; }
python3 - "$OUT" "$WORK/expected.sql" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
if "error" in r:
    sys.exit(f"FAIL (shipped config): {r['error']}")
if r["codes"] != ["IDEM001", "IDEM014"]:
    sys.exit(f"FAIL (shipped config): codes {r['codes']}")
if r["fixed"] != open(sys.argv[2], encoding="utf-8").read():
    sys.exit("FAIL (shipped config): :IdemsqlFixAll gave\n" + r["fixed"])
print("ok: editors/neovim/idemsql.lua attaches to SQL files and :IdemsqlFixAll equals check --fix")
PY
echo "Neovim: all passed"
