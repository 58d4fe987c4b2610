"""ClickHouse (chDB, the in-process ClickHouse from PyPI) for the engine tests.

Started once per test process by tests/engines/pyengine.rs (with IDEMSQL_PYTHON, default
python3); the same JSON-lines protocol as duckdb_helper.py:
  {"op": "version"}                       the ClickHouse version chDB embeds
  {"op": "open", "db": D}                 new empty database D (a namespace in the one session)
  {"op": "session", "db": D, "id": S}     a "second connection" S to D (ClickHouse has no
                                          transactions: what S ran stays, as after a real crash)
  {"op": "exec", "id": S, "sql": ...}     run one statement
  {"op": "query", "id": S, "sql": ...}    run one query; rows come back as text or null
  {"op": "close", "id": S}                forget S
  {"op": "drop", "db": D}                 drop database D
Answers: {"ok": true, "rows": [[...]]} or {"ok": false, "error": "..."}.

chDB allows one session per process, so every namespace is a database of that one session:
a request runs after `USE D` when another database was current.
"""

import json
import sys
import tempfile

import chdb
from chdb import session as chs

state = {"session": None, "current": None}
sessions = {}  # session id -> database


def session():
    if state["session"] is None:
        state["session"] = chs.Session(tempfile.mkdtemp(prefix="idemsql-chdb-"))
    return state["session"]


def run(db, sql, fmt="JSONCompactStrings"):
    s = session()
    if db is not None and state["current"] != db:
        s.query(f"USE `{db}`")
        state["current"] = db
    return s.query(sql, fmt)


def handle(req):
    op = req["op"]
    if op == "version":
        res = run(None, "SELECT version()")
        return {"ok": True, "rows": json.loads(res.bytes())["data"]}
    if op == "open":
        run(None, f"CREATE DATABASE `{req['db']}`")
        sessions[req["db"]] = req["db"]
        return {"ok": True}
    if op == "session":
        sessions[req["id"]] = req["db"]
        return {"ok": True}
    if op == "close":
        sessions.pop(req["id"], None)
        return {"ok": True}
    if op == "drop":
        if state["current"] == req["db"]:
            run(None, "USE default")
            state["current"] = "default"
        run(None, f"DROP DATABASE IF EXISTS `{req['db']}`")
        for sid in [s for s, d in sessions.items() if d == req["db"]]:
            sessions.pop(sid)
        return {"ok": True}
    db = sessions[req["id"]]
    if op == "exec":
        run(db, req["sql"], "CSV")
        return {"ok": True}
    if op == "query":
        res = run(db, req["sql"])
        text = res.bytes()
        rows = json.loads(text)["data"] if text.strip() else []
        return {"ok": True, "rows": rows}
    return {"ok": False, "error": f"unknown op {op!r}"}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = handle(json.loads(line))
        except Exception as e:  # an engine error or a bad request: report it, keep serving
            answer = {"ok": False, "error": f"{type(e).__name__}: {e}".strip()}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
