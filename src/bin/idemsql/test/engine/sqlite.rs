//! SQLite, embedded (bundled): a scratch file, empty or a copy of `sqlite:PATH`'s.

use std::path::{Path, PathBuf};

use idemsql::Dialect;
use idemsql::twice::{Snapshot, Table, Value};

use super::{Engine, scratch_path};
use crate::exit::Fatal;

/// SQLite in a scratch file: empty, or a copy of `sqlite:PATH`'s file, which is only read.
pub struct Sqlite {
    source: Option<PathBuf>,
    path: PathBuf,
    conn: Option<rusqlite::Connection>,
}

impl Sqlite {
    pub fn new(source: Option<PathBuf>) -> Result<Self, Fatal> {
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

    fn prepare(&mut self, qualifiers: &[String]) -> Result<(), String> {
        match qualifiers
            .iter()
            .find(|q| !q.eq_ignore_ascii_case("main") && !q.eq_ignore_ascii_case("temp"))
        {
            None => Ok(()),
            Some(other) => Err(format!(
                "the script names tables in the attached database `{other}`: idemsql test runs \
                 scripts only in its scratch database and never writes outside it"
            )),
        }
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
