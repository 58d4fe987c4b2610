"""DuckDB for `idemsql test`, driven by the idemsql binary over JSON lines on stdin/stdout.

The binary runs this file with `python -c` (the interpreter that has the PyPI `duckdb`
package); see duckdb.rs for why DuckDB is not compiled into the binary.

The scratch database is in memory: empty, or a copy of the file `--db duckdb:PATH` names,
which is attached read-only, copied and detached. Then file access is switched off for good
(`enable_external_access = false`, which cannot be switched back on), so no statement of the
scripts can write a file, attach another database or load an extension.

Requests, one JSON object per line; answers likewise, `{"ok": true, ...}` or
`{"ok": false, "error": "..."}`:
  {"op": "fresh", "source": PATH or null}     a new scratch database
  {"op": "schemas", "names": [...]}           create these schemas in it
  {"op": "exec", "sql": ...}                  run one statement (after an error: ROLLBACK)
  {"op": "crash", "statements": [...]}        run them on a second connection, then close it
                                              without committing (stops at the first error)
  {"op": "snapshot"}                          "tables": [{"name", "columns", "rows"}], every
                                              value in DuckDB's own text form (CAST AS VARCHAR)
The first line this prints is the handshake: {"ok": true, "version": "..."} or, when the
`duckdb` package cannot be imported, {"ok": false, "error": "..."}.
"""

import json
import sys

try:
    import duckdb
except ImportError as e:
    print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}), flush=True)
    sys.exit(0)

con = None


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def error(e):
    return {"ok": False, "error": f"{type(e).__name__}: {e}"}


def fresh(source):
    global con
    if con is not None:
        con.close()
    con = duckdb.connect(":memory:")
    if source is not None:
        con.execute(f"ATTACH '{source.replace(chr(39), chr(39) * 2)}' AS idemsql_source (READ_ONLY)")
        con.execute("COPY FROM DATABASE idemsql_source TO memory")
        con.execute("DETACH idemsql_source")
    con.execute("SET enable_external_access = false")


def rollback(c):
    try:
        c.execute("ROLLBACK")
    except duckdb.Error:
        pass  # no transaction was open


def crash(statements):
    other = con.cursor()
    try:
        for sql in statements:
            other.execute(sql)
    except duckdb.Error as e:
        return error(e)
    finally:
        other.close()  # an open transaction rolls back
    return {"ok": True}


def snapshot():
    tables = []
    listed = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() "
        "WHERE database_name = current_database() AND NOT internal ORDER BY 1, 2"
    ).fetchall()
    for schema, table in listed:
        qualified = f"{quote(schema)}.{quote(table)}"
        columns = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = "
                "current_database() AND schema_name = ? AND table_name = ? ORDER BY column_index",
                [schema, table],
            ).fetchall()
        ]
        select = ", ".join(f"CAST({quote(c)} AS VARCHAR)" for c in columns) or "1"
        rows = con.execute(f"SELECT {select} FROM {qualified}").fetchall()
        tables.append(
            {
                "name": table if schema == "main" else f"{schema}.{table}",
                "columns": columns,
                "rows": [list(r) if columns else [] for r in rows],
            }
        )
    return {"ok": True, "tables": tables}


def handle(req):
    op = req["op"]
    try:
        if op == "fresh":
            fresh(req.get("source"))
        elif op == "schemas":
            for name in req["names"]:
                con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(name)}")
        elif op == "exec":
            try:
                con.execute(req["sql"])
            except duckdb.Error:
                rollback(con)
                raise
        elif op == "crash":
            return crash(req["statements"])
        elif op == "snapshot":
            return snapshot()
        else:
            return {"ok": False, "error": f"unknown request {op!r}"}
    except duckdb.Error as e:
        return error(e)
    return {"ok": True}


def main():
    print(json.dumps({"ok": True, "version": duckdb.__version__}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = handle(json.loads(line))
        except Exception as e:  # a bug here, not the script's: report it, keep serving
            answer = {"ok": False, "error": f"idemsql's DuckDB bridge: {type(e).__name__}: {e}"}
        print(json.dumps(answer), flush=True)


main()
