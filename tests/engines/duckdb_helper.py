"""DuckDB for the engine tests, driven over JSON lines on stdin/stdout.

Started once per test process by tests/engines/db.rs (with IDEMSQL_PYTHON, default python3).
DuckDB comes from the PyPI `duckdb` package (>= 1.4, which has MERGE INTO): compiling the
bundled C++ library through the Rust `duckdb` crate would add many minutes to every fresh build.

Each request is one JSON object on one line; each answer is one JSON object on one line:
  {"op": "open", "db": D}                 new empty in-memory database D with main session D
  {"op": "session", "db": D, "id": S}     a second connection S to database D (own transaction)
  {"op": "exec", "id": S, "sql": ...}     run a script (one or more statements)
  {"op": "exec_count", "id": S, "sql": ...}  run a script; "count": rows its writes affected
  {"op": "query", "id": S, "sql": ...}    run one query; rows come back as text or null
  {"op": "close", "id": S}                close a connection; an open transaction rolls back
  {"op": "drop", "db": D}                 close database D and its sessions
Answers: {"ok": true, "rows": [[...]], "columns": [...]} or {"ok": false, "error": "..."}.
After a failed exec the session's transaction (if any) is rolled back, as a client would.
"""

import json
import sys

import duckdb

# Statement types whose result is one `Count` column: the rows they wrote.
WRITES = {"INSERT", "UPDATE", "DELETE", "MERGE_INTO"}

databases = {}  # db id -> root connection
sessions = {}  # session id -> (db id, connection)


def text(value):
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def rollback(con):
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass  # no transaction was open


def handle(req):
    op = req["op"]
    if op == "version":
        return {"ok": True, "rows": [[duckdb.__version__]], "columns": ["version"]}
    if op == "open":
        con = duckdb.connect(":memory:")
        databases[req["db"]] = con
        sessions[req["db"]] = (req["db"], con)
        return {"ok": True}
    if op == "session":
        sessions[req["id"]] = (req["db"], databases[req["db"]].cursor())
        return {"ok": True}
    if op == "close":
        _, con = sessions.pop(req["id"])
        con.close()
        return {"ok": True}
    if op == "drop":
        for sid in [s for s, (d, _) in sessions.items() if d == req["db"]]:
            sessions.pop(sid)[1].close()
        databases.pop(req["db"]).close()
        return {"ok": True}
    _, con = sessions[req["id"]]
    if op == "exec":
        try:
            con.execute(req["sql"])
        except duckdb.Error as e:
            rollback(con)
            return {"ok": False, "error": f"{type(e).__name__}: {e}"}
        return {"ok": True}
    if op == "exec_count":
        try:
            count = 0
            for statement in con.extract_statements(req["sql"]):
                cur = con.execute(statement)
                if statement.type.name in WRITES:
                    count += sum(row[0] for row in cur.fetchall())
        except duckdb.Error as e:
            rollback(con)
            return {"ok": False, "error": f"{type(e).__name__}: {e}"}
        return {"ok": True, "count": count}
    if op == "query":
        try:
            cur = con.execute(req["sql"])
            columns = [d[0] for d in cur.description]
            rows = [[text(v) for v in row] for row in cur.fetchall()]
        except duckdb.Error as e:
            rollback(con)
            return {"ok": False, "error": f"{type(e).__name__}: {e}"}
        return {"ok": True, "rows": rows, "columns": columns}
    return {"ok": False, "error": f"unknown op {op!r}"}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = handle(json.loads(line))
        except Exception as e:  # a bug in the request: report it, keep serving
            answer = {"ok": False, "error": f"helper: {type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
