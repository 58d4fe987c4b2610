//! DuckDB, through the PyPI `duckdb` package: a Python process runs `duckdb.py` and answers
//! JSON lines; the scratch database is in memory (empty, or a copy of `duckdb:PATH`'s file,
//! which is only read), with file access switched off before any script runs.
//!
//! Why not the `duckdb` crate: its `bundled` feature compiles DuckDB's C++ sources, which took
//! more than 18 minutes on a 2-core machine, on every fresh build, for every `cargo install`
//! and for the wheel; linking a system libduckdb instead would make the binary fail to start
//! where none is installed. The Python package is a wheel that installs in seconds, is the
//! DuckDB data teams already run, and is the one the engine tests use (tests/engines), so
//! `idemsql test` runs the same engine they prove the rewrites on.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use idemsql::Dialect;
use idemsql::twice::{Snapshot, Table};
use serde_json::{Value, json};

use super::Engine;
use crate::exit::Fatal;

const BRIDGE: &str = include_str!("duckdb.py");

/// The Python process that holds the scratch database.
pub struct Duckdb {
    source: Option<PathBuf>,
    child: Child,
    to: ChildStdin,
    from: BufReader<ChildStdout>,
    version: String,
}

impl Duckdb {
    pub fn new(source: Option<PathBuf>) -> Result<Self, Fatal> {
        if let Some(s) = &source {
            if !s.is_file() {
                return Err(Fatal(format!("--db duckdb:{}: no such file", s.display())));
            }
        }
        let mut tried = Vec::new();
        for python in interpreters() {
            match Self::spawn(&python) {
                Ok(Ok(mut db)) => {
                    db.source = source;
                    db.fresh()?;
                    return Ok(db);
                }
                Ok(Err(why)) => tried.push(format!("{}: {why}", python.display())),
                Err(_) => {} // no such interpreter
            }
        }
        let tried = if tried.is_empty() {
            "no python3 or python was found".to_string()
        } else {
            tried.join("; ")
        };
        Err(Fatal(format!(
            "idemsql test runs DuckDB through its Python package, which was not found \
             ({tried}): install it with `python3 -m pip install duckdb` (or `pip install \
             'idemsql[duckdb]'`), or name the interpreter that has it in IDEMSQL_PYTHON"
        )))
    }

    /// Start the bridge with `python`: `Err` when it does not run, `Ok(Err(why))` when it runs
    /// but cannot import `duckdb`.
    fn spawn(python: &PathBuf) -> std::io::Result<Result<Self, String>> {
        let mut child = Command::new(python)
            .arg("-c")
            .arg(BRIDGE)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let (Some(to), Some(from)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            return Ok(Err("no pipe to the process".into()));
        };
        let mut db = Duckdb {
            source: None,
            child,
            to,
            from: BufReader::new(from),
            version: String::new(),
        };
        Ok(match db.answer() {
            Ok(hello) => {
                db.version = hello["version"].as_str().unwrap_or_default().to_string();
                Ok(db)
            }
            Err(why) => Err(why),
        })
    }

    /// Send one request and read its answer.
    fn call(&mut self, request: &Value) -> Result<Value, String> {
        writeln!(self.to, "{request}")
            .and_then(|()| self.to.flush())
            .map_err(|e| format!("the DuckDB process stopped: {e}"))?;
        self.answer()
    }

    fn answer(&mut self) -> Result<Value, String> {
        let mut line = String::new();
        match self.from.read_line(&mut line) {
            Ok(0) | Err(_) => return Err("the DuckDB process stopped".into()),
            Ok(_) => {}
        }
        let answer: Value = serde_json::from_str(&line)
            .map_err(|e| format!("the DuckDB process said `{}`: {e}", line.trim()))?;
        if answer["ok"].as_bool() == Some(true) {
            Ok(answer)
        } else {
            Err(answer["error"]
                .as_str()
                .unwrap_or("unknown error")
                .to_string())
        }
    }
}

impl Drop for Duckdb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where to look for a Python with `duckdb`, in order: `IDEMSQL_PYTHON`; the interpreter
/// beside this binary (a virtualenv's `bin/`, where `pip install idemsql` puts it); then
/// `python3` and `python` on the PATH.
fn interpreters() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(p) = std::env::var_os("IDEMSQL_PYTHON").filter(|p| !p.is_empty()) {
        out.push(PathBuf::from(p));
    }
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(PathBuf::from))
    {
        for name in ["python3", "python", "python.exe"] {
            let p = dir.join(name);
            if p.is_file() {
                out.push(p);
            }
        }
    }
    out.extend(["python3", "python"].map(PathBuf::from));
    out
}

/// A qualifier DuckDB's scratch database can hold: its own catalog (`memory`) or a schema in
/// it. `None` for the catalog's own schemas, which exist.
fn schema_of(qualifier: &str) -> Result<Option<&str>, String> {
    let schema = match qualifier.split_once('.') {
        Some((catalog, schema)) if catalog.eq_ignore_ascii_case("memory") => schema,
        Some((catalog, _)) => {
            return Err(format!(
                "the script names tables in the database `{catalog}`: idemsql test runs \
                 scripts only in its scratch database and never writes outside it"
            ));
        }
        None => qualifier,
    };
    Ok((!["memory", "main", "temp"]
        .iter()
        .any(|s| schema.eq_ignore_ascii_case(s)))
    .then_some(schema))
}

impl Engine for Duckdb {
    fn dialect(&self) -> Dialect {
        Dialect::Duckdb
    }

    fn describe(&self) -> String {
        format!("DuckDB {} (Python package)", self.version)
    }

    fn fresh(&mut self) -> Result<(), Fatal> {
        let source = self.source.as_ref().map(|p| p.display().to_string());
        self.call(&json!({ "op": "fresh", "source": source }))
            .map(drop)
            .map_err(|e| match &self.source {
                Some(p) => Fatal(format!("--db duckdb:{}: {e}", p.display())),
                None => Fatal(format!("DuckDB: {e}")),
            })
    }

    fn prepare(&mut self, qualifiers: &[String]) -> Result<(), String> {
        let mut names = Vec::new();
        for q in qualifiers {
            names.extend(schema_of(q)?);
        }
        self.call(&json!({ "op": "schemas", "names": names }))
            .map(drop)
    }

    fn exec(&mut self, sql: &str) -> Result<(), String> {
        self.call(&json!({ "op": "exec", "sql": sql }))
            .map(drop)
            .map_err(|e| {
                if e.contains("disabled by configuration") {
                    format!(
                        "{e} (idemsql test switches DuckDB's file access off, so that no \
                         script writes outside its scratch database; to test a script that \
                         reads files, load their data into a DuckDB file and test on a copy of \
                         it with --db duckdb:PATH)"
                    )
                } else {
                    e
                }
            })
    }

    fn crash(&mut self, statements: &[&str]) -> Result<(), String> {
        self.call(&json!({ "op": "crash", "statements": statements }))
            .map(drop)
    }

    fn snapshot(&mut self) -> Result<Snapshot, String> {
        let answer = self.call(&json!({ "op": "snapshot" }))?;
        let tables: Vec<Table> = serde_json::from_value(answer["tables"].clone())
            .map_err(|e| format!("the DuckDB process sent a snapshot idemsql cannot read: {e}"))?;
        Ok(Snapshot { tables })
    }
}

#[cfg(test)]
mod tests {
    use super::schema_of;

    #[test]
    fn qualifiers_inside_the_scratch_database_are_schemas_and_others_are_refused() {
        assert_eq!(schema_of("main"), Ok(None));
        assert_eq!(schema_of("memory.main"), Ok(None));
        assert_eq!(schema_of("analytics"), Ok(Some("analytics")));
        assert_eq!(schema_of("MEMORY.analytics"), Ok(Some("analytics")));
        assert!(schema_of("lake.analytics").unwrap_err().contains("`lake`"));
    }
}
