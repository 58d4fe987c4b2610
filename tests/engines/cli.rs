//! `idemsql test`, the users' proof, on the named cases: for each case idemsql rewrites (or
//! leaves as already safe), the CLI runs the output after the case's tables and rows
//! (`--setup`) twice in its own scratch database and must say idempotent, on every engine it
//! runs (SQLite, DuckDB, PostgreSQL, MariaDB). The harness proves these outputs with its own
//! runner; this shows `idemsql test` agrees with it.

use std::process::Command;

use idemsql::Severity;

use crate::check::{Case, Expect};
use crate::db::Kind;
use crate::named;

const BIN: &str = env!("CARGO_BIN_EXE_idemsql");

/// The `--db` the CLI gets for `kind`, from the settings scripts/services.sh exports; None for
/// the engines `idemsql test` does not run.
fn url(kind: Kind) -> Option<String> {
    match kind {
        Kind::Sqlite => Some("sqlite::memory:".into()),
        Kind::Duckdb => Some("duckdb::memory:".into()),
        Kind::Mariadb => std::env::var("IDEMSQL_MARIADB").ok(),
        Kind::Postgres => std::env::var("IDEMSQL_POSTGRES").ok().map(|s| {
            if s.contains("://") {
                return s;
            }
            // libpq's `key=value` form, as services.sh writes it.
            let get = |key: &str| {
                s.split_whitespace()
                    .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
                    .unwrap_or_default()
                    .to_string()
            };
            format!(
                "postgres://{}@{}:{}/{}",
                get("user"),
                get("host"),
                get("port"),
                get("dbname")
            )
        }),
        Kind::Clickhouse | Kind::Spark => None,
    }
}

/// Whether `idemsql test` runs on `kind`.
pub fn runs_on(kind: Kind) -> bool {
    url(kind).is_some()
}

/// Every named case of `kind` idemsql rewrites: (cases run, failure reports).
pub fn run(kind: Kind) -> (usize, Vec<String>) {
    let Some(db) = url(kind) else {
        return (0, Vec::new());
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut ran = 0;
    let mut failures = Vec::new();
    for case in named::cases(kind) {
        if matches!(case.expect, Expect::Refuse(_)) {
            continue;
        }
        ran += 1;
        if let Err(report) = prove(&case, kind, &db, dir.path()) {
            failures.push(format!(
                "FAIL [{}] idemsql test on the named case {}: {report}",
                kind.label(),
                case.name
            ));
        }
    }
    (ran, failures)
}

/// The case's output through `idemsql test --setup`: Ok when it says idempotent.
fn prove(case: &Case, kind: Kind, db: &str, dir: &std::path::Path) -> Result<(), String> {
    let ddl = case.ddl.join(";\n") + ";\n";
    let given = if case.ddl_in_input {
        format!("{ddl}{}", case.input)
    } else {
        case.input.clone()
    };
    let out = idemsql::rewrite(&given, &case.options).map_err(|e| e.to_string())?;
    if out
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        return Err("idemsql refused it (the harness reports why)".into());
    }
    // What the CLI runs first: the tables and their rows, as the harness starts every run.
    let mut setup = ddl.clone();
    for s in &case.initial {
        setup.push_str(s);
        setup.push_str(";\n");
    }
    let script = if case.ddl_in_input {
        out.sql.strip_prefix(&ddl).unwrap_or(&out.sql).to_string()
    } else {
        out.sql
    };
    std::fs::write(dir.join("setup.sql"), setup).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("case.sql"), &script).map_err(|e| e.to_string())?;
    let run = Command::new(BIN)
        .args(["test", "--no-config", "--format", "json", "--crash"])
        .args(["--dialect", kind.dialect().name(), "--db", db])
        .args(["--setup", "setup.sql", "case.sql"])
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run {BIN}: {e}"))?;
    let doc: serde_json::Value = serde_json::from_slice(&run.stdout).map_err(|_| {
        format!(
            "exit {:?}: {}",
            run.status.code(),
            String::from_utf8_lossy(&run.stderr)
        )
    })?;
    if doc["passed"] == serde_json::Value::Bool(true) {
        Ok(())
    } else {
        Err(format!(
            "not idempotent:\n{script}\n{}",
            serde_json::to_string_pretty(&doc["files"][0]["trials"][0]).unwrap_or_default()
        ))
    }
}
