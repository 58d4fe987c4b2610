//! The databases `idemsql test` runs scripts on, each in a scratch database of its own that it
//! removes at the end: the user's data is never written.
//!
//! Values come out as text, normalised per engine so that two snapshots compare equal exactly
//! when the data is: NULL is `None`, text is quoted (`'1'` is not `1`), bytes are `x'..'`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use idemsql::Dialect;
use idemsql::twice::{Snapshot, Table, Value};

use crate::exit::Fatal;

/// A connection to a scratch database.
pub trait Engine {
    /// The dialect the engine speaks.
    fn dialect(&self) -> Dialect;
    /// What the report calls the engine (`SQLite 3.50.2`).
    fn describe(&self) -> String;
    /// Throw the scratch database away and start with an empty (or copied) one.
    fn fresh(&mut self) -> Result<(), Fatal>;
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
            other => {
                return Err(Fatal(format!(
                    "idemsql test needs a database to run {} SQL on: pass --db with a \
                     connection URL (--db sqlite::memory: runs SQLite embedded); the scripts \
                     run in a scratch database that is removed afterwards",
                    other.name()
                )));
            }
        },
    };
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let source = match rest.trim_start_matches("//") {
            "" | ":memory:" => None,
            path => Some(PathBuf::from(path)),
        };
        return Ok(Box::new(Sqlite::new(source)?));
    }
    let scheme = url.split(':').next().unwrap_or_default();
    Err(Fatal(format!(
        "--db {url}: `{scheme}` is not a database idemsql test can run; this build runs \
         sqlite::memory: and sqlite:PATH"
    )))
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A path in the system's temporary folder no other run uses.
fn scratch_path(ext: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "idemsql-test-{}-{}.{ext}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

// ----- SQLite (embedded, bundled) -----

/// SQLite in a scratch file: empty, or a copy of `sqlite:PATH`'s file, which is only read.
pub struct Sqlite {
    source: Option<PathBuf>,
    path: PathBuf,
    conn: Option<rusqlite::Connection>,
}

impl Sqlite {
    fn new(source: Option<PathBuf>) -> Result<Self, Fatal> {
        if let Some(s) = &source {
            if !s.is_file() {
                return Err(Fatal(format!("--db sqlite:{}: no such file", s.display())));
            }
        }
        let mut db = Sqlite {
            source,
            path: scratch_path("sqlite"),
            conn: None,
        };
        db.fresh()?;
        Ok(db)
    }

    fn open(path: &Path) -> Result<rusqlite::Connection, String> {
        let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| e.to_string())?;
        Ok(conn)
    }

    fn conn(&self) -> &rusqlite::Connection {
        self.conn.as_ref().expect("opened by fresh()")
    }

    fn remove(&mut self) {
        self.conn = None;
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }

    fn value(v: rusqlite::types::ValueRef<'_>) -> Value {
        use rusqlite::types::ValueRef;
        match v {
            ValueRef::Null => None,
            ValueRef::Integer(i) => Some(i.to_string()),
            ValueRef::Real(r) => Some(format!("{r:?}")),
            ValueRef::Text(t) => Some(format!("'{}'", String::from_utf8_lossy(t))),
            ValueRef::Blob(b) => Some(format!(
                "x'{}'",
                b.iter().map(|x| format!("{x:02x}")).collect::<String>()
            )),
        }
    }
}

impl Drop for Sqlite {
    fn drop(&mut self) {
        self.remove();
    }
}

/// Run exactly one statement (`prepare` fails on a second one), reading any rows it returns.
fn sqlite_exec(conn: &rusqlite::Connection, sql: &str) -> Result<(), String> {
    let mut stmt = conn.prepare(sql).map_err(|e| e.to_string())?;
    let mut rows = stmt.raw_query();
    while rows.next().map_err(|e| e.to_string())?.is_some() {}
    Ok(())
}

impl Engine for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn describe(&self) -> String {
        format!("SQLite {}", rusqlite::version())
    }

    fn fresh(&mut self) -> Result<(), Fatal> {
        self.remove();
        if let Some(source) = &self.source {
            // The online backup API copies a consistent state even while others write.
            let from = rusqlite::Connection::open_with_flags(
                source,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .map_err(|e| Fatal(format!("--db sqlite:{}: {e}", source.display())))?;
            let mut to = Self::open(&self.path).map_err(Fatal)?;
            rusqlite::backup::Backup::new(&from, &mut to)
                .and_then(|b| b.run_to_completion(1000, std::time::Duration::ZERO, None))
                .map_err(|e| Fatal(format!("copying {}: {e}", source.display())))?;
        }
        self.conn = Some(Self::open(&self.path).map_err(Fatal)?);
        Ok(())
    }

    fn exec(&mut self, sql: &str) -> Result<(), String> {
        let conn = self.conn();
        let r = sqlite_exec(conn, sql);
        if r.is_err() && !conn.is_autocommit() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        r
    }

    fn crash(&mut self, statements: &[&str]) -> Result<(), String> {
        let other = Self::open(&self.path)?;
        let result = statements.iter().try_for_each(|s| sqlite_exec(&other, s));
        drop(other); // closing with an open transaction rolls it back
        result
    }

    fn snapshot(&mut self) -> Result<Snapshot, String> {
        let conn = self.conn();
        let mut names: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .and_then(|mut s| {
                s.query_map([], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(|e| e.to_string())?;
        names.sort();
        let mut tables = Vec::with_capacity(names.len());
        for name in names {
            let quoted = format!("\"{}\"", name.replace('"', "\"\""));
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {quoted}"))
                .map_err(|e| e.to_string())?;
            let columns: Vec<String> = stmt.column_names().map(str::to_string).collect();
            let n = columns.len();
            let mut rows = Vec::new();
            let mut cursor = stmt.query([]).map_err(|e| e.to_string())?;
            while let Some(row) = cursor.next().map_err(|e| e.to_string())? {
                let mut r = Vec::with_capacity(n);
                for i in 0..n {
                    r.push(Self::value(row.get_ref(i).map_err(|e| e.to_string())?));
                }
                rows.push(r);
            }
            tables.push(Table {
                name,
                columns,
                rows,
            });
        }
        Ok(Snapshot { tables })
    }
}
