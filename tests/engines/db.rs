//! The engines behind one small interface: run a statement, read rows as text, start over
//! in an empty namespace, and "crash" (run statements on a second connection, then drop it
//! without committing).
//!
//! Client choices, measured on the 2-core CI machines:
//! - SQLite: `rusqlite` with its bundled SQLite (already a dev-dependency).
//! - DuckDB: the PyPI `duckdb` package behind `duckdb_helper.py`, one Python process per test
//!   run, JSON lines over a pipe. ClickHouse (chDB) and Spark (pyspark) the same way, in
//!   `pyengine.rs`. The `duckdb` crate compiles DuckDB's C++ sources on every
//!   fresh build (far too slow for CI); the wheel installs in seconds.
//! - PostgreSQL: the `postgres` crate (pure Rust, no TLS). MariaDB: the `mysql` crate with
//!   `minimal-rust` (pure Rust, no TLS, no C zlib). Together they add about 120 small crates,
//!   about 4 minutes of one-time compilation on 2 cores, then cached in CARGO_TARGET_DIR. CLI
//!   subprocesses (`psql`, `mariadb`) were the alternative: no build cost, but one process per
//!   statement, text output to parse back (NULL vs 'NULL', escapes), and no way to hold a
//!   transaction open across calls for the crash tests. Real connections give exact errors,
//!   real transactions and a real dropped connection.
//!
//! Every value comes back as text (or NULL): PostgreSQL's simple-query protocol and MariaDB's
//! text protocol send text; the DuckDB helper prints values with `str()`; SQLite values are
//! tagged with their storage class. The tests only compare values within one engine.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::sqlsplit::Lex;
use idemsql::Dialect;

/// One row, every value as text or NULL.
pub type Row = Vec<Option<String>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Sqlite,
    Duckdb,
    Postgres,
    Mariadb,
    Clickhouse,
    Spark,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Sqlite,
        Kind::Duckdb,
        Kind::Postgres,
        Kind::Mariadb,
        Kind::Clickhouse,
        Kind::Spark,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Sqlite => "sqlite",
            Kind::Duckdb => "duckdb",
            Kind::Postgres => "postgres",
            Kind::Mariadb => "mariadb",
            Kind::Clickhouse => "clickhouse",
            Kind::Spark => "spark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Sqlite => "SQLite",
            Kind::Duckdb => "DuckDB",
            Kind::Postgres => "PostgreSQL",
            Kind::Mariadb => "MariaDB",
            Kind::Clickhouse => "ClickHouse",
            Kind::Spark => "Spark",
        }
    }

    pub fn dialect(self) -> Dialect {
        match self {
            Kind::Sqlite => Dialect::Sqlite,
            Kind::Duckdb => Dialect::Duckdb,
            Kind::Postgres => Dialect::Postgres,
            Kind::Mariadb => Dialect::Mariadb,
            Kind::Clickhouse => Dialect::Clickhouse,
            Kind::Spark => Dialect::Spark,
        }
    }

    pub fn lex(self) -> Lex {
        Lex {
            backslash_escapes: matches!(self, Kind::Mariadb | Kind::Clickhouse | Kind::Spark),
        }
    }

    pub fn has_merge(self) -> bool {
        matches!(self, Kind::Duckdb | Kind::Postgres)
    }

    /// Quote an identifier the engine's way.
    pub fn quote(self, ident: &str) -> String {
        match self {
            Kind::Mariadb | Kind::Spark => format!("`{}`", ident.replace('`', "``")),
            _ => format!("\"{}\"", ident.replace('"', "\"\"")),
        }
    }

    /// The environment variable holding the connection settings, if the engine needs one.
    pub fn env_var(self) -> Option<&'static str> {
        match self {
            Kind::Sqlite | Kind::Duckdb | Kind::Clickhouse | Kind::Spark => None,
            Kind::Postgres => Some("IDEMSQL_POSTGRES"),
            Kind::Mariadb => Some("IDEMSQL_MARIADB"),
        }
    }
}

/// An engine connection with a private namespace (file, database or schema).
pub trait Db: Send {
    fn kind(&self) -> Kind;
    /// Drop everything this connection created and start over in an empty namespace.
    fn reset(&mut self) -> Result<(), String>;
    /// Run one statement. After an error, an open transaction is rolled back (as a client
    /// that stops at the first error would end its session).
    fn exec(&mut self, sql: &str) -> Result<(), String>;
    /// Run one statement like `exec` and return how many rows it wrote, as the engine counts
    /// them (PostgreSQL's command tags, MariaDB's affected rows, SQLite's changes, DuckDB's
    /// `Count`); statements that return rows count 0. `None`: the engine reports no counts, and
    /// "a rerun writes nothing" cannot be checked there (the four engines here all count).
    fn exec_counted(&mut self, sql: &str) -> Result<Option<u64>, String> {
        self.exec(sql).map(|()| None)
    }
    /// Run one query; every value as text.
    fn query(&mut self, sql: &str) -> Result<Vec<Row>, String>;
    /// Run `statements` on a second connection to the same namespace, stopping at the first
    /// error, then drop that connection without committing: a client that died half-way.
    fn crash(&mut self, statements: &[String]) -> Result<(), String>;
    /// The engine's version, for the report.
    fn version(&mut self) -> Result<String, String>;
    /// The tables of the namespace, as quoted identifiers, sorted.
    fn tables(&mut self) -> Result<Vec<String>, String> {
        let sql = match self.kind() {
            Kind::Sqlite | Kind::Duckdb | Kind::Postgres => {
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            }
            Kind::Mariadb => {
                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
            }
            Kind::Clickhouse | Kind::Spark => "SHOW TABLES",
        };
        let kind = self.kind();
        let mut names: Vec<String> = self
            .query(sql)?
            .into_iter()
            .filter_map(|r| r.into_iter().next().flatten())
            .map(|n| kind.quote(&n))
            .collect();
        names.sort();
        Ok(names)
    }
}

/// Where a script failed.
#[derive(Debug, Clone)]
pub struct ScriptError {
    pub index: usize,
    pub statement: String,
    pub error: String,
}

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "statement {} failed: {}\n    {}",
            self.index + 1,
            self.error,
            crate::report::clip(&self.statement, 600).replace('\n', "\n    ")
        )
    }
}

/// Run statements one by one, stopping at the first error.
pub fn run_all(db: &mut dyn Db, statements: &[String]) -> Result<(), ScriptError> {
    for (index, statement) in statements.iter().enumerate() {
        db.exec(statement).map_err(|error| ScriptError {
            index,
            statement: statement.clone(),
            error,
        })?;
    }
    Ok(())
}

/// Run statements one by one like `run_all`; the rows each one wrote (see `Db::exec_counted`).
pub fn run_all_counted(
    db: &mut dyn Db,
    statements: &[String],
) -> Result<Vec<Option<u64>>, ScriptError> {
    let mut counts = Vec::with_capacity(statements.len());
    for (index, statement) in statements.iter().enumerate() {
        counts.push(db.exec_counted(statement).map_err(|error| ScriptError {
            index,
            statement: statement.clone(),
            error,
        })?);
    }
    Ok(counts)
}

/// All rows of `table` (an identifier as SQL text), sorted, so tables compare as multisets.
pub fn snapshot(db: &mut dyn Db, table: &str) -> Result<Vec<Row>, String> {
    let mut rows = db.query(&format!("SELECT * FROM {table}"))?;
    rows.sort();
    Ok(rows)
}

static NEXT_ID: AtomicUsize = AtomicUsize::new(1);

pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        NEXT_ID.fetch_add(1, Ordering::Relaxed)
    )
}

/// Connect to an engine, with the settings scripts/services.sh exports.
pub fn connect(kind: Kind) -> Result<Box<dyn Db>, String> {
    let settings = match kind.env_var() {
        Some(var) => match std::env::var(var) {
            Ok(v) if !v.trim().is_empty() => v,
            _ => {
                return Err(format!(
                    "{} server missing: {var} is not set. Start the throwaway servers with \
                     `eval \"$(scripts/services.sh start)\"` or run scripts/test-engines.sh \
                     (opt out locally with IDEMSQL_SKIP_ENGINES={})",
                    kind.label(),
                    kind.name()
                ));
            }
        },
        None => String::new(),
    };
    let db: Box<dyn Db> = match kind {
        Kind::Sqlite => Box::new(Sqlite::new()?),
        Kind::Duckdb => Box::new(Duckdb::new()?),
        Kind::Clickhouse | Kind::Spark => Box::new(crate::pyengine::PyEngine::new(kind)?),
        Kind::Postgres => Box::new(Postgres::new(&settings).map_err(|e| {
            format!(
                "PostgreSQL server missing: cannot connect with IDEMSQL_POSTGRES='{settings}': {e}"
            )
        })?),
        Kind::Mariadb => Box::new(Mariadb::new(&settings).map_err(|e| {
            format!("MariaDB server missing: cannot connect with IDEMSQL_MARIADB='{settings}': {e}")
        })?),
    };
    Ok(db)
}

// ---------------------------------------------------------------------------------------------
// SQLite

pub struct Sqlite {
    dir: tempfile::TempDir,
    path: std::path::PathBuf,
    conn: rusqlite::Connection,
    n: usize,
}

impl Sqlite {
    fn new() -> Result<Self, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("db0.sqlite");
        let conn = Self::open(&path)?;
        Ok(Sqlite {
            dir,
            path,
            conn,
            n: 0,
        })
    }

    fn open(path: &std::path::Path) -> Result<rusqlite::Connection, String> {
        let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| e.to_string())?;
        // Not durability under power loss: only what a dropped connection leaves.
        conn.execute_batch("PRAGMA synchronous = OFF;")
            .map_err(|e| e.to_string())?;
        Ok(conn)
    }

    fn value(v: rusqlite::types::ValueRef<'_>) -> Option<String> {
        use rusqlite::types::ValueRef;
        match v {
            ValueRef::Null => None,
            ValueRef::Integer(i) => Some(format!("{i}")),
            ValueRef::Real(r) => Some(format!("{r:?} (real)")),
            ValueRef::Text(t) => Some(format!("'{}'", String::from_utf8_lossy(t))),
            ValueRef::Blob(b) => Some(format!("x'{}'", hex(b))),
        }
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn sqlite_exec(conn: &rusqlite::Connection, sql: &str) -> Result<(), String> {
    // `prepare` + `raw_execute` runs exactly one statement (and fails on a second one).
    let mut stmt = conn.prepare(sql).map_err(|e| e.to_string())?;
    let mut rows = stmt.raw_query();
    while rows.next().map_err(|e| e.to_string())?.is_some() {}
    Ok(())
}

impl Db for Sqlite {
    fn kind(&self) -> Kind {
        Kind::Sqlite
    }

    fn reset(&mut self) -> Result<(), String> {
        self.n += 1;
        let path = self.dir.path().join(format!("db{}.sqlite", self.n));
        let conn = Self::open(&path)?;
        let old = std::mem::replace(&mut self.conn, conn);
        drop(old);
        let _ = std::fs::remove_file(&self.path);
        self.path = path;
        Ok(())
    }

    fn exec(&mut self, sql: &str) -> Result<(), String> {
        let r = sqlite_exec(&self.conn, sql);
        if r.is_err() && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        r
    }

    fn exec_counted(&mut self, sql: &str) -> Result<Option<u64>, String> {
        // total_changes, unlike changes(), is not left over from an earlier statement when this
        // one writes nothing (BEGIN, SELECT); it also counts rows written by triggers.
        let before = self.conn.total_changes();
        self.exec(sql)?;
        Ok(Some(self.conn.total_changes() - before))
    }

    fn query(&mut self, sql: &str) -> Result<Vec<Row>, String> {
        let mut stmt = self.conn.prepare(sql).map_err(|e| e.to_string())?;
        let n = stmt.column_count();
        let mut rows = stmt.query([]).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| e.to_string())? {
            let mut r = Vec::with_capacity(n);
            for i in 0..n {
                r.push(Self::value(row.get_ref(i).map_err(|e| e.to_string())?));
            }
            out.push(r);
        }
        Ok(out)
    }

    fn crash(&mut self, statements: &[String]) -> Result<(), String> {
        let other = Self::open(&self.path)?;
        let mut result = Ok(());
        for s in statements {
            if let Err(e) = sqlite_exec(&other, s) {
                result = Err(e);
                break;
            }
        }
        drop(other); // closing with an open transaction rolls it back
        result
    }

    fn version(&mut self) -> Result<String, String> {
        Ok(rusqlite::version().to_string())
    }

    fn tables(&mut self) -> Result<Vec<String>, String> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .map_err(|e| e.to_string())?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| e.to_string())?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        Ok(names.iter().map(|n| Kind::Sqlite.quote(n)).collect())
    }
}

// ---------------------------------------------------------------------------------------------
// DuckDB, through the Python helper

/// One request to the DuckDB helper (the transport is `pyengine.rs`'s, shared with ClickHouse
/// and Spark).
fn duck(request: serde_json::Value) -> Result<serde_json::Value, String> {
    crate::pyengine::call(Kind::Duckdb, request)
}

pub struct Duckdb {
    db: String,
}

impl Duckdb {
    fn new() -> Result<Self, String> {
        let v = duck(serde_json::json!({"op": "version"}))?;
        let version = v["rows"][0][0].as_str().unwrap_or("0").to_string();
        let parts: Vec<u32> = version
            .split('.')
            .take(2)
            .map(|p| p.parse().unwrap_or(0))
            .collect();
        if parts < vec![1, 4] {
            return Err(format!(
                "DuckDB {version} is too old: MERGE INTO needs 1.4 or later (pip install -U duckdb)"
            ));
        }
        let db = unique("duck");
        duck(serde_json::json!({"op": "open", "db": db}))?;
        Ok(Duckdb { db })
    }
}

impl Drop for Duckdb {
    fn drop(&mut self) {
        let _ = duck(serde_json::json!({"op": "drop", "db": self.db}));
    }
}

impl Db for Duckdb {
    fn kind(&self) -> Kind {
        Kind::Duckdb
    }

    fn reset(&mut self) -> Result<(), String> {
        duck(serde_json::json!({"op": "drop", "db": self.db}))?;
        self.db = unique("duck");
        duck(serde_json::json!({"op": "open", "db": self.db}))?;
        Ok(())
    }

    fn exec(&mut self, sql: &str) -> Result<(), String> {
        duck(serde_json::json!({"op": "exec", "id": self.db, "sql": sql})).map(|_| ())
    }

    fn exec_counted(&mut self, sql: &str) -> Result<Option<u64>, String> {
        let v = duck(serde_json::json!({"op": "exec_count", "id": self.db, "sql": sql}))?;
        Ok(Some(
            v["count"]
                .as_u64()
                .ok_or("the DuckDB helper sent no count")?,
        ))
    }

    fn query(&mut self, sql: &str) -> Result<Vec<Row>, String> {
        let v = duck(serde_json::json!({"op": "query", "id": self.db, "sql": sql}))?;
        let rows = v["rows"].as_array().cloned().unwrap_or_default();
        Ok(rows
            .iter()
            .map(|r| {
                r.as_array()
                    .map(|vals| vals.iter().map(|x| x.as_str().map(String::from)).collect())
                    .unwrap_or_default()
            })
            .collect())
    }

    fn crash(&mut self, statements: &[String]) -> Result<(), String> {
        let id = unique("session");
        duck(serde_json::json!({"op": "session", "db": self.db, "id": id}))?;
        let mut result = Ok(());
        for s in statements {
            if let Err(e) = duck(serde_json::json!({"op": "exec", "id": id, "sql": s})) {
                result = Err(e);
                break;
            }
        }
        duck(serde_json::json!({"op": "close", "id": id}))?;
        result
    }

    fn version(&mut self) -> Result<String, String> {
        let v = duck(serde_json::json!({"op": "version"}))?;
        Ok(v["rows"][0][0].as_str().unwrap_or("?").to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: one schema per namespace, found through search_path

pub struct Postgres {
    settings: String,
    client: postgres::Client,
    schema: String,
}

pub fn pg_error(e: postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

/// Run `sql` (one or more statements) in the simple-query protocol; the rows its writes
/// affected, from the command tags (`INSERT 0 n`, `UPDATE n`, `MERGE n`, `DELETE n`). A
/// statement that returns rows (a RowDescription before its tag) counts 0: its tag's number is
/// the rows it selected (`SELECT pg_catalog.setval(...)` says `SELECT 1`).
pub fn pg_affected(client: &mut postgres::Client, sql: &str) -> Result<u64, String> {
    let mut total = 0;
    let mut returned_rows = false;
    for m in client.simple_query(sql).map_err(pg_error)? {
        match m {
            postgres::SimpleQueryMessage::RowDescription(_) => returned_rows = true,
            postgres::SimpleQueryMessage::CommandComplete(n) => {
                if !returned_rows {
                    total += n;
                }
                returned_rows = false;
            }
            _ => {}
        }
    }
    Ok(total)
}

impl Postgres {
    fn new(settings: &str) -> Result<Self, String> {
        let client = Self::open(settings)?;
        let mut pg = Postgres {
            settings: settings.to_string(),
            client,
            schema: String::new(),
        };
        pg.reset()?;
        Ok(pg)
    }

    fn open(settings: &str) -> Result<postgres::Client, String> {
        let mut client = postgres::Client::connect(settings, postgres::NoTls).map_err(pg_error)?;
        client
            .batch_execute("SET client_min_messages = warning")
            .map_err(pg_error)?;
        Ok(client)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self
            .client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
    }
}

impl Db for Postgres {
    fn kind(&self) -> Kind {
        Kind::Postgres
    }

    fn reset(&mut self) -> Result<(), String> {
        let _ = self.client.batch_execute("ROLLBACK");
        if !self.schema.is_empty() {
            self.client
                .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema))
                .map_err(pg_error)?;
        }
        self.schema = unique("idem");
        self.client
            .batch_execute(&format!(
                "CREATE SCHEMA {0}; SET search_path TO {0}",
                self.schema
            ))
            .map_err(pg_error)
    }

    fn exec(&mut self, sql: &str) -> Result<(), String> {
        let r = self.client.batch_execute(sql).map_err(pg_error);
        if r.is_err() {
            let _ = self.client.batch_execute("ROLLBACK");
        }
        r
    }

    fn exec_counted(&mut self, sql: &str) -> Result<Option<u64>, String> {
        let r = pg_affected(&mut self.client, sql);
        if r.is_err() {
            let _ = self.client.batch_execute("ROLLBACK");
        }
        r.map(Some)
    }

    fn query(&mut self, sql: &str) -> Result<Vec<Row>, String> {
        let messages = self.client.simple_query(sql).map_err(pg_error)?;
        let mut out = Vec::new();
        for m in messages {
            if let postgres::SimpleQueryMessage::Row(r) = m {
                out.push((0..r.len()).map(|i| r.get(i).map(String::from)).collect());
            }
        }
        Ok(out)
    }

    fn crash(&mut self, statements: &[String]) -> Result<(), String> {
        let mut other = Self::open(&self.settings)?;
        other
            .batch_execute(&format!("SET search_path TO {}", self.schema))
            .map_err(pg_error)?;
        let mut result = Ok(());
        for s in statements {
            if let Err(e) = other.batch_execute(s) {
                result = Err(pg_error(e));
                break;
            }
        }
        drop(other); // the server rolls back the open transaction of a lost connection
        result
    }

    fn version(&mut self) -> Result<String, String> {
        let rows = self.query("SHOW server_version")?;
        Ok(rows
            .first()
            .and_then(|r| r.first().cloned().flatten())
            .unwrap_or_default())
    }
}

// ---------------------------------------------------------------------------------------------
// MariaDB: one database per namespace

pub struct Mariadb {
    opts: mysql::Opts,
    conn: mysql::Conn,
    database: String,
}

pub fn my_error(e: mysql::Error) -> String {
    match e {
        mysql::Error::MySqlError(m) => format!("{} ({}, {})", m.message, m.code, m.state),
        other => other.to_string(),
    }
}

/// Run `sql` (one or more statements); the rows its writes affected, as the server reports them
/// with CLIENT_FOUND_ROWS off (the mysql crate's default): `ON DUPLICATE KEY UPDATE` counts 1
/// per inserted row, 2 per changed row and 0 per row left as it was. A statement that returns
/// rows counts 0.
pub fn my_affected(conn: &mut mysql::Conn, sql: &str) -> Result<u64, String> {
    use mysql::prelude::Queryable;
    let mut result = conn.query_iter(sql).map_err(my_error)?;
    let mut total = 0;
    while let Some(mut set) = result.iter() {
        let returns_rows = !set.columns().as_ref().is_empty();
        for row in set.by_ref() {
            row.map_err(my_error)?;
        }
        if !returns_rows {
            total += set.affected_rows();
        }
    }
    Ok(total)
}

impl Mariadb {
    fn new(url: &str) -> Result<Self, String> {
        let opts = mysql::Opts::from_url(url).map_err(|e| e.to_string())?;
        let conn = Self::open(&opts, None)?;
        let mut m = Mariadb {
            opts,
            conn,
            database: String::new(),
        };
        m.reset()?;
        Ok(m)
    }

    fn open(opts: &mysql::Opts, database: Option<&str>) -> Result<mysql::Conn, String> {
        use mysql::prelude::Queryable;
        let builder = mysql::OptsBuilder::from_opts(opts.clone()).db_name(database);
        let mut conn = mysql::Conn::new(builder).map_err(my_error)?;
        conn.query_drop("SET NAMES utf8mb4 COLLATE utf8mb4_bin")
            .map_err(my_error)?;
        Ok(conn)
    }
}

impl Drop for Mariadb {
    fn drop(&mut self) {
        use mysql::prelude::Queryable;
        let _ = self
            .conn
            .query_drop(format!("DROP DATABASE IF EXISTS `{}`", self.database));
    }
}

impl Db for Mariadb {
    fn kind(&self) -> Kind {
        Kind::Mariadb
    }

    fn reset(&mut self) -> Result<(), String> {
        use mysql::prelude::Queryable;
        let _ = self.conn.query_drop("ROLLBACK");
        if !self.database.is_empty() {
            self.conn
                .query_drop(format!("DROP DATABASE IF EXISTS `{}`", self.database))
                .map_err(my_error)?;
        }
        self.database = unique("idem");
        self.conn
            .query_drop(format!(
                "CREATE DATABASE `{0}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                self.database
            ))
            .map_err(my_error)?;
        self.conn
            .query_drop(format!("USE `{}`", self.database))
            .map_err(my_error)
    }

    fn exec(&mut self, sql: &str) -> Result<(), String> {
        use mysql::prelude::Queryable;
        let r = self.conn.query_drop(sql).map_err(my_error);
        if r.is_err() {
            let _ = self.conn.query_drop("ROLLBACK");
        }
        r
    }

    fn exec_counted(&mut self, sql: &str) -> Result<Option<u64>, String> {
        use mysql::prelude::Queryable;
        let r = my_affected(&mut self.conn, sql);
        if r.is_err() {
            let _ = self.conn.query_drop("ROLLBACK");
        }
        r.map(Some)
    }

    fn query(&mut self, sql: &str) -> Result<Vec<Row>, String> {
        use mysql::prelude::Queryable;
        let rows: Vec<mysql::Row> = self.conn.query(sql).map_err(my_error)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                r.unwrap()
                    .into_iter()
                    .map(|v| match v {
                        mysql::Value::NULL => None,
                        mysql::Value::Bytes(b) => Some(String::from_utf8_lossy(&b).into_owned()),
                        other => Some(other.as_sql(true)),
                    })
                    .collect()
            })
            .collect())
    }

    fn crash(&mut self, statements: &[String]) -> Result<(), String> {
        use mysql::prelude::Queryable;
        let mut other = Self::open(&self.opts, Some(&self.database))?;
        let mut result = Ok(());
        for s in statements {
            if let Err(e) = other.query_drop(s) {
                result = Err(my_error(e));
                break;
            }
        }
        drop(other); // the server rolls back the open transaction of a lost connection
        result
    }

    fn version(&mut self) -> Result<String, String> {
        let rows = self.query("SELECT VERSION()")?;
        Ok(rows
            .first()
            .and_then(|r| r.first().cloned().flatten())
            .unwrap_or_default())
    }
}
