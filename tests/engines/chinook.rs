//! The Chinook scripts from the folder `IDEMSQL_CHINOOK_DIR` names (read in place, never copied
//! into the repository): the PostgreSQL script on PostgreSQL, the MySQL script on MariaDB, the SQLite
//! script on SQLite.
//!
//! The scripts create their own database and drop and recreate their tables, so their INSERTs
//! are already rerun-safe as published and idemsql leaves them alone (`tests/corpus.rs` checks
//! that). What is tested here is the load a rerun repeats into tables that exist: the script
//! without its DROP statements is rewritten, loaded once into a throwaway namespace, then its
//! data part (everything but the DDL) is run again. The loader runs the statements against the test's own
//! namespace: it skips client commands (psql `\c chinook;`) and `DROP DATABASE`,
//! `CREATE DATABASE` and `USE` statements; the rewritten text itself is not changed.

use std::fmt::Write as _;
use std::path::PathBuf;

use idemsql::{Options, Severity};

use crate::check::Outcome;
use crate::db::{self, Db, Kind, Row};
use crate::report::side_by_side;
use crate::sqlsplit::{self, Piece};

/// `IDEMSQL_CHINOOK_DIR`: the folder of the Chinook scripts (third-party, never copied into the
/// repository). Unset, the group does not run and the tally says so.
pub fn corpus_dir() -> Option<PathBuf> {
    std::env::var_os("IDEMSQL_CHINOOK_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

pub fn script_name(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Postgres => Some("Chinook_PostgreSql.sql"),
        Kind::Mariadb => Some("Chinook_MySql.sql"),
        Kind::Sqlite => Some("Chinook_Sqlite.sql"),
        Kind::Duckdb | Kind::Clickhouse | Kind::Spark => None,
    }
}

/// The statements of a script that run against the test's namespace.
fn loadable(script: &str, kind: Kind) -> Vec<String> {
    sqlsplit::split(script, kind.lex())
        .into_iter()
        .filter_map(|p| match p {
            Piece::Client(_) => None,
            Piece::Sql(s) => {
                let w = sqlsplit::leading_words(&s, 2);
                let w: Vec<&str> = w.iter().map(String::as_str).collect();
                match w.as_slice() {
                    ["DROP", "DATABASE"] | ["CREATE", "DATABASE"] | ["USE", ..] => None,
                    _ => Some(s),
                }
            }
        })
        .collect()
}

/// The script without its DROP statements: a load into tables a rerun finds full.
fn without_drops(script: &str, kind: Kind) -> String {
    let mut out = String::with_capacity(script.len());
    let mut pos = 0;
    for s in idemsql::statements(script, kind.dialect()) {
        let code = &script[s.code.start..s.code.end];
        if sqlsplit::leading_words(code, 1).first().map(String::as_str) == Some("DROP") {
            out.push_str(&script[pos..s.code.start]);
            pos = s.span().end;
        }
    }
    out.push_str(&script[pos..]);
    out
}

fn is_ddl(stmt: &str) -> bool {
    matches!(
        sqlsplit::leading_words(stmt, 1).first().map(String::as_str),
        Some("CREATE" | "DROP" | "ALTER")
    )
}

type Tables = Vec<(String, Vec<Row>)>;

fn snapshot_all(db: &mut dyn Db) -> Result<Tables, String> {
    let mut out = Vec::new();
    for t in db.tables()? {
        let rows = db::snapshot(db, &t)?;
        out.push((t, rows));
    }
    Ok(out)
}

fn compare(what: &str, left: &Tables, right: &Tables, failures: &mut Vec<String>) {
    let names = |t: &Tables| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    if names(left) != names(right) {
        failures.push(format!(
            "{what}: different tables: {:?} vs {:?}",
            names(left),
            names(right)
        ));
        return;
    }
    for ((name, a), (_, b)) in left.iter().zip(right) {
        if a != b {
            failures.push(format!(
                "{what}: table {name} differs\n{}",
                side_by_side("original loaded once", a, what, b)
            ));
        }
    }
}

pub fn run(db: &mut dyn Db) -> Outcome {
    let kind = db.kind();
    let mut failures = Vec::new();
    let mut notes = String::new();
    let result = run_inner(db, &mut failures, &mut notes);
    if let Err(e) = result {
        failures.push(e);
    }
    let name = script_name(kind).unwrap_or("?");
    if failures.is_empty() {
        return Outcome {
            passed: true,
            report: notes,
        };
    }
    let mut r = String::new();
    let _ = writeln!(r, "FAIL [{}] Chinook script {name}", kind.label());
    let _ = write!(r, "{notes}");
    for f in failures {
        let _ = writeln!(r, "  - {}", f.trim_end().replace('\n', "\n    "));
    }
    Outcome {
        passed: false,
        report: r,
    }
}

fn run_inner(
    db: &mut dyn Db,
    failures: &mut Vec<String>,
    notes: &mut String,
) -> Result<(), String> {
    let kind = db.kind();
    let name = script_name(kind).ok_or("no Chinook script for this engine")?;
    let dir = corpus_dir().ok_or("IDEMSQL_CHINOOK_DIR is not set")?;
    let path = dir.join(name);
    let published = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "IDEMSQL_CHINOOK_DIR is set, but {} cannot be read: {e}",
            path.display()
        )
    })?;
    let original = without_drops(&published, kind);
    let out = std::panic::catch_unwind(|| {
        idemsql::rewrite(&original, &Options::for_dialect(kind.dialect()))
    })
    .map_err(|_| "idemsql::rewrite panicked".to_string())?
    .map_err(|e| format!("idemsql::rewrite failed: {e}"))?;
    let errors: Vec<String> = out
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            format!(
                "{} at {}:{}: {}",
                d.code, d.start.line, d.start.column, d.message
            )
        })
        .collect();
    if !errors.is_empty() {
        failures.push(format!("idemsql refused statements: {}", errors.join("; ")));
    }
    let orig_stmts = loadable(&original, kind);
    let new_stmts = loadable(&out.sql, kind);
    let orig_data: Vec<String> = orig_stmts.iter().filter(|s| !is_ddl(s)).cloned().collect();
    let new_data: Vec<String> = new_stmts.iter().filter(|s| !is_ddl(s)).cloned().collect();
    let _ = writeln!(
        notes,
        "  {name}: {} statements ({} data statements), {} edits by idemsql",
        orig_stmts.len(),
        orig_data.len(),
        out.edits.len()
    );
    if out.edits.len() < orig_data.len() {
        failures.push(format!(
            "idemsql rewrote {} places but the script has {} INSERT statements",
            out.edits.len(),
            orig_data.len()
        ));
    }

    // The original, loaded once.
    db.reset()?;
    db::run_all(db, &orig_stmts).map_err(|e| format!("loading the original script failed: {e}"))?;
    let once = snapshot_all(db)?;
    let rows: usize = once.iter().map(|(_, r)| r.len()).sum();
    let _ = writeln!(
        notes,
        "  original loaded once: {} tables, {rows} rows",
        once.len()
    );
    if once.len() < 11 || rows < 10_000 {
        failures.push(format!(
            "the original script loaded only {} tables and {rows} rows",
            once.len()
        ));
    }

    // The rewritten script loaded, then its data part run again.
    db.reset()?;
    match db::run_all(db, &new_stmts) {
        Err(e) => failures.push(format!("loading the rewritten script failed: {e}")),
        Ok(()) => {
            let first = snapshot_all(db)?;
            compare("rewritten loaded once", &once, &first, failures);
            match db::run_all_counted(db, &new_data) {
                Err(e) => {
                    failures.push(format!("running the rewritten data load again failed: {e}"))
                }
                Ok(counts) => {
                    if let Some(why) = crate::check::rerun_writes(&new_data, &counts) {
                        failures.push(format!("the rewritten data load run again: {why}"));
                    }
                    let twice = snapshot_all(db)?;
                    compare("rewritten loaded twice", &once, &twice, failures);
                }
            }
        }
    }

    // Crash half-way through the rewritten load (the first statements committed), then the
    // whole data load again.
    db.reset()?;
    let first_data = new_stmts.iter().position(|s| !is_ddl(s)).unwrap_or(0);
    let half = first_data + (new_stmts.len() - first_data) / 2;
    db.crash(&new_stmts[..half])
        .map_err(|e| format!("the first half of the rewritten script failed: {e}"))?;
    match db::run_all(db, &new_data) {
        Err(e) => failures.push(format!("rerun after a half-way crash failed: {e}")),
        Ok(()) => {
            let after = snapshot_all(db)?;
            compare(
                "half-way crash, then the data load",
                &once,
                &after,
                failures,
            );
        }
    }

    // The original has teeth: its INSERTs run again fail or duplicate.
    db.reset()?;
    db::run_all(db, &orig_stmts).map_err(|e| format!("loading the original script failed: {e}"))?;
    let mut failed = 0;
    for s in &orig_data {
        if db.exec(s).is_err() {
            failed += 1;
        }
    }
    let again = snapshot_all(db)?;
    let _ = writeln!(
        notes,
        "  original data load run again: {failed} of {} statements failed",
        orig_data.len()
    );
    if failed < orig_data.len() && again == once {
        failures.push(format!(
            "the original INSERTs run again: only {failed} of {} failed and the tables did not change",
            orig_data.len()
        ));
    }
    Ok(())
}
