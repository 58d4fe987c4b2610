//! The databases `idemsql test` runs scripts on, each in a scratch database of its own that it
//! removes at the end: the user's data is never written.
//!
//! Values come out as text, normalised per engine so that two snapshots compare equal exactly
//! when the data is: NULL is `None`, text is quoted (`'1'` is not `1`), bytes are `x'..'`.

mod duckdb;
mod mysql;
mod postgres;
mod sqlite;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use idemsql::Dialect;
use idemsql::twice::Snapshot;

use crate::exit::Fatal;

/// A connection to a scratch database.
pub trait Engine {
    /// The dialect the engine speaks.
    fn dialect(&self) -> Dialect;
    /// What the report calls the engine (`SQLite 3.50.2`).
    fn describe(&self) -> String;
    /// Throw the scratch database away and start with an empty (or copied) one.
    fn fresh(&mut self) -> Result<(), Fatal>;
    /// Make the scratch database ready for scripts whose table names are qualified with these
    /// schemas or databases (PostgreSQL creates the schemas in it); an error refuses the
    /// scripts, which would otherwise write outside the scratch database.
    fn prepare(&mut self, qualifiers: &[String]) -> Result<(), String>;
    /// Run one statement. After an error an open transaction is rolled back, as a client that
    /// stops at its first error ends its session.
    fn exec(&mut self, sql: &str) -> Result<(), String>;
    /// Run `statements` on a second connection and drop it without committing: a client that
    /// died after them. Stops at the first error.
    fn crash(&mut self, statements: &[&str]) -> Result<(), String>;
    /// Every table of the scratch database with all its rows.
    fn snapshot(&mut self) -> Result<Snapshot, String>;
}

/// The engine `--db` names, or the dialect's embedded one.
pub fn open(db: Option<&str>, dialect: Dialect) -> Result<Box<dyn Engine>, Fatal> {
    let url = match db {
        Some(url) => url.trim().to_string(),
        None => match dialect {
            Dialect::Sqlite => "sqlite::memory:".to_string(),
            Dialect::Duckdb => "duckdb::memory:".to_string(),
            other => {
                return Err(Fatal(format!(
                    "idemsql test needs a database to run {} SQL on: pass --db with a \
                     connection URL (sqlite::memory: and duckdb::memory: run embedded); the scripts \
                     run in a scratch database that is removed afterwards",
                    other.name()
                )));
            }
        },
    };
    if let Some(rest) = url.strip_prefix("sqlite:") {
        return Ok(Box::new(sqlite::Sqlite::new(source_file(rest))?));
    }
    if let Some(rest) = url.strip_prefix("duckdb:") {
        return Ok(Box::new(duckdb::Duckdb::new(source_file(rest))?));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Box::new(postgres::Postgres::new(&url)?));
    }
    if let Some(rest) = url
        .strip_prefix("mysql://")
        .or_else(|| url.strip_prefix("mariadb://"))
    {
        return Ok(Box::new(mysql::Mysql::new(&format!("mysql://{rest}"))?));
    }
    let scheme = url.split(':').next().unwrap_or_default();
    Err(Fatal(format!(
        "--db {url}: `{scheme}` is not a database idemsql test can run: give sqlite::memory:, \
         sqlite:PATH, duckdb::memory:, duckdb:PATH, postgres://USER@HOST/DB or mysql://USER:PASSWORD@HOST/DB (mariadb://)"
    )))
}

/// The file an embedded engine's URL names after its scheme (`sqlite:PATH`), or none for an
/// empty in-memory database (`:memory:`).
fn source_file(rest: &str) -> Option<PathBuf> {
    match rest.trim_start_matches("//") {
        "" | ":memory:" => None,
        path => Some(PathBuf::from(path)),
    }
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A name no other run uses: `idemsql_test_<pid>_<n>_<nanos>` (for a file, a database).
fn scratch_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "idemsql_test_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A path in the system's temporary folder no other run uses.
fn scratch_path(ext: &str) -> PathBuf {
    std::env::temp_dir().join(format!("{}.{ext}", scratch_name()))
}
