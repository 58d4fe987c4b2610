//! ClickHouse (chDB) and Spark SQL (pyspark): in-process engines from PyPI, each behind one
//! long-lived Python helper (`clickhouse_helper.py`, `spark_helper.py`) speaking the JSON-lines
//! protocol of `duckdb_helper.py`, whose transport (`call`) DuckDB shares. One process per engine for the whole run: chDB allows one
//! session per process, and a SparkSession's JVM takes seconds to start.
//!
//! Neither engine has transactions here (ClickHouse never; Spark without Delta): a "crash" runs
//! the first statements and stops, and what they wrote stays, as after a real dropped client.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use crate::db::{Db, Kind, Row};

struct Helper {
    _child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

static DUCKDB: OnceLock<Result<Mutex<Helper>, String>> = OnceLock::new();
static CLICKHOUSE: OnceLock<Result<Mutex<Helper>, String>> = OnceLock::new();
static SPARK: OnceLock<Result<Mutex<Helper>, String>> = OnceLock::new();

/// What scripts/services.sh installs, for the error when the helper cannot start.
fn package(kind: Kind) -> &'static str {
    match kind {
        Kind::Duckdb => "duckdb",
        Kind::Clickhouse => "chdb",
        _ => "pyspark (and java)",
    }
}

fn spawn(kind: Kind) -> Result<Mutex<Helper>, String> {
    let python = std::env::var("IDEMSQL_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = format!(
        "{}/tests/engines/{}_helper.py",
        env!("CARGO_MANIFEST_DIR"),
        kind.name()
    );
    let mut child = Command::new(&python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| {
            format!(
                "{} missing: cannot start `{python} {script}`: {e}",
                kind.label()
            )
        })?;
    let stdin = child.stdin.take().ok_or("no stdin")?;
    let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    Ok(Mutex::new(Helper {
        _child: child,
        stdin,
        stdout,
    }))
}

fn helper(kind: Kind) -> Result<&'static Mutex<Helper>, String> {
    let cell = match kind {
        Kind::Duckdb => &DUCKDB,
        Kind::Clickhouse => &CLICKHOUSE,
        _ => &SPARK,
    };
    cell.get_or_init(|| spawn(kind))
        .as_ref()
        .map_err(|e| e.clone())
}

/// One request to `kind`'s helper (DuckDB's too, from db.rs), its answer when it says `ok`.
pub fn call(kind: Kind, request: serde_json::Value) -> Result<serde_json::Value, String> {
    let mut h = helper(kind)?.lock().map_err(|_| "helper lock poisoned")?;
    let died = |e: std::io::Error| format!("{} helper died: {e}", kind.label());
    writeln!(h.stdin, "{request}").map_err(died)?;
    h.stdin.flush().map_err(died)?;
    let mut answer = String::new();
    h.stdout.read_line(&mut answer).map_err(died)?;
    if answer.is_empty() {
        return Err(format!(
            "{} missing: the helper exited (is the PyPI package {} installed? run \
             scripts/services.sh start, or set IDEMSQL_PYTHON)",
            kind.label(),
            package(kind)
        ));
    }
    let v: serde_json::Value = serde_json::from_str(&answer).map_err(|e| e.to_string())?;
    if v["ok"].as_bool() == Some(true) {
        Ok(v)
    } else {
        Err(v["error"].as_str().unwrap_or("unknown error").to_string())
    }
}

/// One namespace (a database) of the engine's one helper process.
pub struct PyEngine {
    kind: Kind,
    db: String,
}

impl PyEngine {
    pub fn new(kind: Kind) -> Result<Self, String> {
        let db = crate::db::unique("idem");
        call(kind, serde_json::json!({"op": "open", "db": db}))?;
        Ok(PyEngine { kind, db })
    }
}

impl Drop for PyEngine {
    fn drop(&mut self) {
        let _ = call(self.kind, serde_json::json!({"op": "drop", "db": self.db}));
    }
}

fn rows(v: &serde_json::Value) -> Vec<Row> {
    v["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    r.as_array()
                        .map(|vals| vals.iter().map(|x| x.as_str().map(String::from)).collect())
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

impl Db for PyEngine {
    fn kind(&self) -> Kind {
        self.kind
    }

    fn reset(&mut self) -> Result<(), String> {
        call(self.kind, serde_json::json!({"op": "drop", "db": self.db}))?;
        self.db = crate::db::unique("idem");
        call(self.kind, serde_json::json!({"op": "open", "db": self.db}))?;
        Ok(())
    }

    fn exec(&mut self, sql: &str) -> Result<(), String> {
        call(
            self.kind,
            serde_json::json!({"op": "exec", "id": self.db, "sql": sql}),
        )
        .map(|_| ())
    }

    fn query(&mut self, sql: &str) -> Result<Vec<Row>, String> {
        let v = call(
            self.kind,
            serde_json::json!({"op": "query", "id": self.db, "sql": sql}),
        )?;
        Ok(rows(&v))
    }

    fn crash(&mut self, statements: &[String]) -> Result<(), String> {
        let id = crate::db::unique("session");
        call(
            self.kind,
            serde_json::json!({"op": "session", "db": self.db, "id": id}),
        )?;
        let mut result = Ok(());
        for s in statements {
            if let Err(e) = call(
                self.kind,
                serde_json::json!({"op": "exec", "id": id, "sql": s}),
            ) {
                result = Err(e);
                break;
            }
        }
        call(self.kind, serde_json::json!({"op": "close", "id": id}))?;
        result
    }

    fn version(&mut self) -> Result<String, String> {
        let v = call(self.kind, serde_json::json!({"op": "version"}))?;
        Ok(v["rows"][0][0].as_str().unwrap_or("?").to_string())
    }

    fn tables(&mut self) -> Result<Vec<String>, String> {
        let mut names: Vec<String> = self
            .query("SHOW TABLES")?
            .into_iter()
            .filter_map(|r| {
                // ClickHouse: (name); Spark: (namespace, tableName, isTemporary).
                let i = usize::from(r.len() > 1);
                r.into_iter().nth(i).flatten()
            })
            .map(|n| self.kind.quote(&n))
            .collect();
        names.sort();
        Ok(names)
    }
}
