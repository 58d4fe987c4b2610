"""Run a pipeline module's `setup(db)` once and `load(db, rows)` twice through a real driver.

Read by tests/drivers.rs, which writes the module, fixes it with `idemsql check --fix` and
passes its path. Input (JSON on stdin): {"driver", "dsn", "scratch", "module", "rows",
"table"}, as for run.py. Output: {"snapshots": [after the first load, after the second],
"error": null | "..."}.
"""

import importlib.util
import json
import sys

from run import connect, snapshot


def main():
    req = json.load(sys.stdin)
    spec = importlib.util.spec_from_file_location("pipeline_under_test", req["module"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    conn, drop = connect(req)
    out = {"snapshots": [], "error": None}
    try:
        module.setup(conn)
        rows = [tuple(r) for r in req["rows"]]
        for _ in range(2):
            try:
                module.load(conn, rows)
            except Exception as e:  # the driver's own error, reported as the run's outcome
                out["error"] = f"{type(e).__name__}: {e}"
                break
            out["snapshots"].append(snapshot(conn.cursor(), req["table"]))
    finally:
        if drop:
            drop()
        else:
            conn.close()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
