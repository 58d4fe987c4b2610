//! The playground's promise, on real engines: whenever idemsql could fix every statement of a
//! fixture (`fix` leaves no error), the fixed SQL run twice leaves what one run leaves, as
//! `idemsql test` proves it on SQLite, DuckDB, PostgreSQL and MariaDB. Fixtures that read tables they
//! do not create stop at their first run and prove nothing; each engine must prove enough.

use std::process::Command;

use serde_json::Value;

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_idemsql");

/// Every fully fixable fixture of `folder`, fixed and tested on `db`: (idempotent, proved
/// nothing); panics on a fixed fixture that is not idempotent.
fn prove(folder: &str, db: &str) -> (Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths: Vec<_> = std::fs::read_dir(format!("tests/fixtures/{folder}"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    paths.sort();
    let (mut proved, mut unproved) = (Vec::new(), Vec::new());
    for path in paths {
        let dialect = common::fixture_dialect(&path);
        let sql = std::fs::read_to_string(&path).unwrap();
        // Driver parameters and templates have no values until the caller gives them.
        if idemsql::parser_view(&sql, dialect) != sql {
            continue;
        }
        let options = common::fixture_options(dialect, &sql);
        let fixed = idemsql::fix(&sql, &options).unwrap();
        if fixed
            .diagnostics
            .iter()
            .any(|d| d.severity == idemsql::Severity::Error)
        {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let file = dir.path().join(&name);
        std::fs::write(&file, &fixed.sql).unwrap();
        let out = Command::new(BIN)
            .args([
                "test",
                "--no-config",
                "--format",
                "json",
                "--dialect",
                dialect.name(),
            ])
            .args(["--db", db])
            .arg(&file)
            .env("TMPDIR", dir.path())
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{name}: {}", String::from_utf8_lossy(&out.stderr)));
        let trial = &doc["files"][0]["trials"][0];
        match (trial["verdict"].as_str(), trial["failure"]["run"].as_str()) {
            (Some("idempotent"), _) => proved.push(name),
            (Some("failed"), Some("first")) => unproved.push(name),
            _ => panic!(
                "{folder}/{name}: fixed with no error left, yet not idempotent on {db}:\n{}\n{}",
                serde_json::to_string_pretty(trial).unwrap(),
                fixed.sql
            ),
        }
    }
    eprintln!(
        "{folder} on {db}: {} fixed fixtures run twice as once ({}); {} read tables they do not create",
        proved.len(),
        proved.join(", "),
        unproved.len()
    );
    (proved, unproved)
}

#[test]
fn fixed_sqlite_fixtures_run_twice_as_once() {
    let (proved, _) = prove("sqlite", "sqlite::memory:");
    assert!(proved.len() >= 2, "{proved:?}");
}

#[test]
fn fixed_postgres_fixtures_run_twice_as_once() {
    let Some(url) = common::server("IDEMSQL_POSTGRES", "postgres") else {
        return;
    };
    let (proved, _) = prove("postgres", &url);
    assert!(proved.len() >= 10, "{proved:?}");
}

#[test]
fn fixed_mariadb_fixtures_run_twice_as_once() {
    let Some(url) = common::server("IDEMSQL_MARIADB", "mariadb") else {
        return;
    };
    let (proved, _) = prove("mariadb", &url);
    assert!(proved.len() >= 2, "{proved:?}");
}

#[test]
fn fixed_duckdb_fixtures_run_twice_as_once() {
    if common::duckdb_python().is_none() {
        return;
    }
    let (proved, _) = prove("duckdb", "duckdb::memory:");
    assert!(proved.len() >= 2, "{proved:?}");
}
