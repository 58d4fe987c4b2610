//! Driver parameters on real drivers: a pipeline step's INSERT with `?`, `:name`, `$1`, `%s` or
//! `%(name)s`, rewritten by idemsql, executed through the driver that writes that style
//! (sqlite3, DuckDB, psycopg 3 on PostgreSQL, PyMySQL on MariaDB) with the original parameters,
//! twice, leaves the table as one run does; the original statement does not (so the test can
//! tell).
//!
//! And end to end: a Python pipeline module that loops over rows and calls
//! `cursor.execute("INSERT ... VALUES (?, ?, ?)", row)` (sqlite3; `%s` on psycopg and PyMySQL)
//! is fixed by `idemsql check --fix` on the `.py` file, and the fixed `load()` run twice leaves
//! the rows of one run, where the original's second run fails on the key.
//!
//! Each case runs `tests/drivers/run.py` under `IDEMSQL_PYTHON` (the venv `scripts/services.sh`
//! makes, with the drivers installed) against a scratch database it creates and drops. The
//! server cases need `IDEMSQL_POSTGRES` and `IDEMSQL_MARIADB` (`eval "$(scripts/services.sh
//! start)"`); without them they fail, saying so.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

struct Case {
    name: &'static str,
    driver: &'static str,
    dialect: &'static str,
    setup: &'static str,
    sql: &'static str,
    params: Value,
}

const ORDERS_SQLITE: &str =
    "CREATE TABLE orders (order_id INTEGER PRIMARY KEY, amount REAL, status TEXT)";
const ORDERS: &str =
    "CREATE TABLE orders (order_id int PRIMARY KEY, amount numeric(10,2), status varchar(20))";

fn rows_positional() -> Value {
    json!([[1, 10.5, "new"], [2, 20.0, "paid"], [3, 7.25, "new"]])
}

fn rows_named() -> Value {
    json!([
        {"order_id": 1, "amount": 10.5, "status": "new"},
        {"order_id": 2, "amount": 20.0, "status": "paid"},
    ])
}

fn cases() -> Vec<Case> {
    let insert = |params: &'static str| -> &'static str {
        Box::leak(
            format!("INSERT INTO orders (order_id, amount, status) VALUES ({params})")
                .into_boxed_str(),
        )
    };
    vec![
        Case {
            name: "sqlite3 ?",
            driver: "sqlite3",
            dialect: "sqlite",
            setup: ORDERS_SQLITE,
            sql: insert("?, ?, ?"),
            params: rows_positional(),
        },
        Case {
            name: "sqlite3 :name",
            driver: "sqlite3",
            dialect: "sqlite",
            setup: ORDERS_SQLITE,
            sql: insert(":order_id, :amount, :status"),
            params: rows_named(),
        },
        Case {
            name: "duckdb ?",
            driver: "duckdb",
            dialect: "duckdb",
            setup: ORDERS,
            sql: insert("?, ?, ?"),
            params: rows_positional(),
        },
        Case {
            name: "duckdb $1",
            driver: "duckdb",
            dialect: "duckdb",
            setup: ORDERS,
            sql: insert("$1, $2, $3"),
            params: rows_positional(),
        },
        Case {
            name: "psycopg %s",
            driver: "psycopg",
            dialect: "postgres",
            setup: ORDERS,
            sql: "INSERT INTO orders (order_id, amount, status) VALUES (%s, %s, %s || '%%')",
            params: rows_positional(),
        },
        Case {
            name: "psycopg %(name)s",
            driver: "psycopg",
            dialect: "postgres",
            setup: ORDERS,
            sql: insert("%(order_id)s, %(amount)s, %(status)s"),
            params: rows_named(),
        },
        Case {
            name: "pymysql %s",
            driver: "pymysql",
            dialect: "mariadb",
            setup: ORDERS,
            sql: "INSERT INTO orders (order_id, amount, status) VALUES (%s, %s, CONCAT(%s, '%%'))",
            params: rows_positional(),
        },
        Case {
            name: "pymysql %(name)s",
            driver: "pymysql",
            dialect: "mariadb",
            setup: ORDERS,
            sql: insert("%(order_id)s, %(amount)s, %(status)s"),
            params: rows_named(),
        },
    ]
}

/// The server's address for a driver, from the services' variables.
fn dsn(driver: &str) -> Result<String, String> {
    let var = match driver {
        "psycopg" => "IDEMSQL_POSTGRES",
        "pymysql" => "IDEMSQL_MARIADB",
        _ => return Ok(String::new()),
    };
    std::env::var(var).map_err(|_| {
        format!("{var} is not set: start the servers with `eval \"$(scripts/services.sh start)\"`")
    })
}

/// Run `sql` with `params` twice through the case's driver: the snapshots and any error.
fn run(case: &Case, sql: &str, scratch: &str) -> Result<(Vec<Value>, Option<String>), String> {
    let request = json!({
        "driver": case.driver,
        "dsn": dsn(case.driver)?,
        "scratch": scratch,
        "setup": [case.setup],
        "sql": sql,
        "params": case.params,
        "table": "orders",
        "runs": 2,
    });
    python("run.py", &request)
}

/// Run `tests/drivers/<script>` with `request` on stdin: the snapshots and any error.
fn python(script: &str, request: &Value) -> Result<(Vec<Value>, Option<String>), String> {
    let python = std::env::var("IDEMSQL_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = format!("{}/tests/drivers/{script}", env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(&python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {python}: {e}"))?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "{python} {script} failed (are the drivers installed? scripts/services.sh installs \
             them): {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let answer: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    let snapshots = answer["snapshots"].as_array().cloned().unwrap_or_default();
    let error = answer["error"].as_str().map(str::to_string);
    Ok((snapshots, error))
}

#[test]
fn rewritten_statements_run_twice_through_their_drivers_as_once() {
    let mut failures = Vec::new();
    for (i, case) in cases().iter().enumerate() {
        let options = idemsql::Options::from_json(
            &json!({ "dialect": case.dialect, "keys": { "orders": ["order_id"] } }).to_string(),
        )
        .expect("options");
        let out = idemsql::rewrite(case.sql, &options).expect("rewrite");
        let scratch = format!("idemsql_drivers_{}_{i}", std::process::id());
        if out.sql == case.sql {
            failures.push(format!(
                "{}: not rewritten: {:?}",
                case.name, out.diagnostics
            ));
            continue;
        }
        match run(case, &out.sql, &scratch) {
            Ok((snaps, None)) if snaps.len() == 2 && snaps[0] == snaps[1] => {
                let rows = snaps[0].as_array().map_or(0, Vec::len);
                let expected = case.params.as_array().map_or(0, Vec::len);
                if rows != expected {
                    failures.push(format!(
                        "{}: {rows} rows after one run, expected {expected}",
                        case.name
                    ));
                }
            }
            Ok((snaps, error)) => failures.push(format!(
                "{}: rewritten `{}`: runs differ or failed: {snaps:?} {error:?}",
                case.name, out.sql
            )),
            Err(e) => failures.push(format!("{}: {e}", case.name)),
        }
        // The original statement is not safe to run twice: the test can tell.
        match run(case, case.sql, &scratch) {
            Ok((snaps, error)) if error.is_some() || snaps.first() != snaps.get(1) => {}
            other => failures.push(format!(
                "{}: the original statement ran twice without a difference: {other:?}",
                case.name
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A pipeline module: `setup` creates the table, `load` inserts each row with `param` style.
fn pipeline_module(param: &str, amount_type: &str) -> String {
    let params = [param; 3].join(", ");
    format!(
        r#"def setup(db):
    cur = db.cursor()
    cur.execute(
        """
        CREATE TABLE IF NOT EXISTS warehouse_orders (
            order_id integer PRIMARY KEY,
            amount {amount_type},
            status varchar(20)
        )
        """
    )
    db.commit()


def load(db, rows):
    cur = db.cursor()
    for row in rows:
        cur.execute(
            "INSERT INTO warehouse_orders (order_id, amount, status) VALUES ({params})",
            row,
        )
    db.commit()
"#
    )
}

#[test]
fn a_pipeline_fixed_by_check_fix_runs_twice_as_once() {
    let cases = [
        ("sqlite3", "sqlite", "?", "REAL"),
        ("psycopg", "postgres", "%s", "numeric(10,2)"),
        ("pymysql", "mariadb", "%s", "decimal(10,2)"),
    ];
    let dir = std::env::temp_dir().join(format!("idemsql-pipelines-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for (i, (driver, dialect, param, amount)) in cases.into_iter().enumerate() {
        let original = pipeline_module(param, amount);
        let path = dir.join(format!("load_{driver}.py"));
        std::fs::write(&path, &original).unwrap();
        let fixed = Command::new(env!("CARGO_BIN_EXE_idemsql"))
            .args(["check", "--no-config", "--fix", "--dialect", dialect])
            .arg(&path)
            .output()
            .expect("run idemsql");
        let text = std::fs::read_to_string(&path).unwrap();
        if text == original || !text.contains("ON ") {
            failures.push(format!(
                "{driver}: `idemsql check --fix` did not fix the module: {}",
                String::from_utf8_lossy(&fixed.stdout)
            ));
            continue;
        }
        let request = |module: &std::path::Path| -> Result<Value, String> {
            Ok(json!({
                "driver": driver,
                "dsn": dsn(driver)?,
                "scratch": format!("idemsql_pipeline_{}_{i}", std::process::id()),
                "module": module,
                "rows": [[1, 10.5, "new"], [2, 20.0, "paid"]],
                "table": "warehouse_orders",
            }))
        };
        match request(&path).and_then(|r| python("pipeline.py", &r)) {
            Ok((snaps, None)) if snaps.len() == 2 && snaps[0] == snaps[1] => {
                let rows = snaps[0].as_array().map_or(0, Vec::len);
                if rows != 2 {
                    failures.push(format!("{driver}: {rows} rows after one load, expected 2"));
                }
            }
            other => failures.push(format!(
                "{driver}: the fixed pipeline run twice differs from once: {other:?}\n{text}"
            )),
        }
        // The original pipeline's second run fails on the key: the test can tell.
        let original_path = dir.join(format!("original_{driver}.py"));
        std::fs::write(&original_path, &original).unwrap();
        match request(&original_path).and_then(|r| python("pipeline.py", &r)) {
            Ok((_, Some(_))) => {}
            other => failures.push(format!(
                "{driver}: the original pipeline ran twice without an error: {other:?}"
            )),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
