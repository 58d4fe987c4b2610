"""Run one pipeline step through a real Python driver, twice, and report the table after each run.

Read by tests/drivers.rs. Input (JSON on stdin):
  {"driver": "sqlite3" | "duckdb" | "psycopg" | "pymysql", "dsn": "...", "scratch": "name",
   "setup": ["CREATE TABLE ...", ...], "sql": "INSERT ...", "params": [[...] | {...}, ...],
   "table": "orders", "runs": 2}
Each run calls cursor.execute(sql, params) once per parameter set, as a pipeline's loop does,
and commits. Output (JSON on stdout): {"snapshots": [[row, ...], ...], "error": null | "..."}:
the table's rows, sorted, after each run that succeeded; `error` is the driver's message when
a run failed (the later runs are not made).
"""

import json
import sys


def connect(req):
    driver = req["driver"]
    if driver == "sqlite3":
        import sqlite3

        return sqlite3.connect(":memory:"), None
    if driver == "duckdb":
        import duckdb

        return duckdb.connect(":memory:"), None
    if driver == "psycopg":
        import psycopg

        admin = psycopg.connect(req["dsn"], autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS {req["scratch"]}')
        admin.execute(f'CREATE DATABASE {req["scratch"]}')
        conn = psycopg.connect(req["dsn"] + f' dbname={req["scratch"]}')

        def drop():
            conn.close()
            admin.execute(f'DROP DATABASE IF EXISTS {req["scratch"]}')
            admin.close()

        return conn, drop
    if driver == "pymysql":
        import pymysql
        from urllib.parse import urlparse

        u = urlparse(req["dsn"])
        args = dict(host=u.hostname, port=u.port, user=u.username, password=u.password)
        admin = pymysql.connect(autocommit=True, **args)
        with admin.cursor() as c:
            c.execute(f'DROP DATABASE IF EXISTS {req["scratch"]}')
            c.execute(f'CREATE DATABASE {req["scratch"]}')
        conn = pymysql.connect(database=req["scratch"], **args)

        def drop():
            conn.close()
            with admin.cursor() as c:
                c.execute(f'DROP DATABASE IF EXISTS {req["scratch"]}')
            admin.close()

        return conn, drop
    raise SystemExit(f"unknown driver {driver}")


def bind(p):
    return p if isinstance(p, dict) else tuple(p)


def normalise(v):
    if isinstance(v, float) or type(v).__name__ == "Decimal":
        return float(v)
    return v


def snapshot(cur, table):
    cur.execute(f"SELECT * FROM {table}")
    return sorted(([normalise(v) for v in r] for r in cur.fetchall()), key=repr)


def main():
    req = json.load(sys.stdin)
    conn, drop = connect(req)
    out = {"snapshots": [], "error": None}
    try:
        cur = conn.cursor()
        for stmt in req["setup"]:
            cur.execute(stmt)
        conn.commit()
        for _ in range(req["runs"]):
            try:
                for p in req["params"]:
                    cur.execute(req["sql"], bind(p))
                conn.commit()
            except Exception as e:  # the driver's own error, reported as the run's outcome
                out["error"] = f"{type(e).__name__}: {e}"
                break
            out["snapshots"].append(snapshot(cur, req["table"]))
    finally:
        if drop:
            drop()
        else:
            conn.close()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
