"""Spark SQL (PyPI pyspark, local mode, no Delta) for the engine tests.

Started once per test process by tests/engines/pyengine.rs (with IDEMSQL_PYTHON, default
python3): one SparkSession for the whole run, since starting the JVM takes seconds. Tables are
parquet tables in a temporary warehouse folder. The same JSON-lines protocol as
duckdb_helper.py:
  {"op": "version"}                       Spark's version
  {"op": "open", "db": D}                 new empty database D
  {"op": "session", "db": D, "id": S}     a "second connection" S to D (Spark SQL without Delta
                                          has no transactions: what S ran stays)
  {"op": "exec", "id": S, "sql": ...}     run one statement
  {"op": "query", "id": S, "sql": ...}    run one query; rows come back as text or null
  {"op": "close", "id": S}                forget S
  {"op": "drop", "db": D}                 drop database D and its tables
Answers: {"ok": true, "rows": [[...]]} or {"ok": false, "error": "..."}.

The JVM's own log lines go to spark-jvm.log in the warehouse's parent folder, not to the
test output.
"""

import json
import logging
import os
import sys
import tempfile

state = {"spark": None, "current": None}
sessions = {}  # session id -> database


def spark():
    if state["spark"] is None:
        root = tempfile.mkdtemp(prefix="idemsql-spark-")
        # The JVM inherits fd 2 when it starts: point it at a file for the JVM's lifetime.
        saved = os.dup(2)
        log = os.open(os.path.join(root, "spark-jvm.log"), os.O_WRONLY | os.O_CREAT, 0o644)
        os.dup2(log, 2)
        try:
            from pyspark.sql import SparkSession

            s = (
                SparkSession.builder.master("local[1]")
                .appName("idemsql-engine-tests")
                .config("spark.sql.warehouse.dir", os.path.join(root, "warehouse"))
                .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={root}")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate()
            )
            s.sparkContext.setLogLevel("ERROR")
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(log)
        state["spark"] = s
    return state["spark"]


def text(value):
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return str(value)


def run(db, sql):
    s = spark()
    if db is not None and state["current"] != db:
        s.sql(f"USE `{db}`")
        state["current"] = db
    return s.sql(sql)


def handle(req):
    op = req["op"]
    if op == "version":
        return {"ok": True, "rows": [[spark().version]]}
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
        run(None, f"DROP DATABASE IF EXISTS `{req['db']}` CASCADE")
        for sid in [s for s, d in sessions.items() if d == req["db"]]:
            sessions.pop(sid)
        return {"ok": True}
    db = sessions[req["id"]]
    if op == "exec":
        run(db, req["sql"]).collect()
        return {"ok": True}
    if op == "query":
        rows = [[text(v) for v in row] for row in run(db, req["sql"]).collect()]
        return {"ok": True, "rows": rows}
    return {"ok": False, "error": f"unknown op {op!r}"}


def first_line(e):
    # Spark's errors carry a JVM stack trace; the first lines say what went wrong.
    return "\n".join(str(e).strip().splitlines()[:6])


def main():
    # pyspark logs every failed query to stderr as well; the answer already carries it.
    logging.disable(logging.CRITICAL)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = handle(json.loads(line))
        except Exception as e:  # an engine error or a bad request: report it, keep serving
            answer = {"ok": False, "error": f"{type(e).__name__}: {first_line(e)}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
