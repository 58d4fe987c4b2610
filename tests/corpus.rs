//! The Chinook sample scripts (real, third-party SQL for five databases). As published, each
//! drops and creates its database or tables before loading them, so every INSERT is already
//! rerun-safe and is left alone. As a data load into tables that a rerun finds full (the
//! script without its DROPs), every INSERT is rewritten with the key from the script's own DDL,
//! everything else stays byte for byte, and on SQLite the rewritten load can be run again
//! without changing a row.

mod common;

use idemsql::{Dialect, Options, check, rewrite};
use rusqlite::Connection;

const SCRIPTS: &[(Dialect, &str)] = &[
    (Dialect::Postgres, "Chinook_PostgreSql.sql"),
    (Dialect::Mysql, "Chinook_MySql.sql"),
    (Dialect::Sqlite, "Chinook_Sqlite.sql"),
    (Dialect::Mssql, "Chinook_SqlServer.sql"),
    (Dialect::Oracle, "Chinook_Oracle.sql"),
];

/// The script `name`, or `None` when `IDEMSQL_CHINOOK_DIR` is not set (the test says it did not run).
fn read(name: &str) -> Option<String> {
    let dir = common::chinook_dir()?;
    let path = dir.join(name);
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "IDEMSQL_CHINOOK_DIR is set, but {} cannot be read: {e}",
            path.display()
        )
    }))
}

/// The script as a load into tables that exist on a rerun: its DROP statements (and SQL
/// Server's `IF EXISTS (...) DROP DATABASE` guard) left out.
fn without_drops(sql: &str, dialect: Dialect) -> String {
    common::without_statements(sql, dialect, &["DROP", "IF"])
}

/// Oracle's script creates its tables without dropping them first: its INSERTs are not covered.
#[test]
fn as_published_every_insert_after_a_drop_and_create_is_already_rerun_safe() {
    for &(dialect, name) in SCRIPTS {
        let Some(sql) = read(name) else { return };
        let drops = without_drops(&sql, dialect) != sql;
        assert_eq!(drops, dialect != Dialect::Oracle, "{name}: DROP statements");
        let out = rewrite(&sql, &Options::for_dialect(dialect)).expect("rewrite");
        let diagnostics = check(&sql, &Options::for_dialect(dialect)).expect("check");
        let idem001 = diagnostics.iter().filter(|d| d.code == "IDEM001").count();
        if drops {
            assert!(
                out.sql == sql,
                "{name}: an INSERT into a table the script has just dropped and created was changed"
            );
            assert_eq!(idem001, 0, "{name}: IDEM001 after DROP and CREATE");
        } else {
            assert_eq!(out.edits.len(), 24, "{name}: every INSERT is rewritten");
            assert_eq!(idem001, 24, "{name}: every INSERT is reported");
        }
    }
}

#[test]
fn every_insert_is_rewritten_and_nothing_else_changes() {
    for &(dialect, name) in SCRIPTS {
        let Some(sql) = read(name) else { return };
        let sql = without_drops(&sql, dialect);
        let out = rewrite(&sql, &Options::for_dialect(dialect)).expect("rewrite");
        let inserts = common::statements_starting_with(&sql, dialect, &["INSERT"]);
        assert_eq!(
            inserts.len(),
            24,
            "{name}: Chinook has 24 INSERT statements"
        );
        assert!(
            out.edits.len() >= inserts.len(),
            "{name}: {} edits",
            out.edits.len()
        );
        let errors: Vec<_> = out
            .diagnostics
            .iter()
            .filter(|d| d.severity == idemsql::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        // No plain INSERT is left.
        let left = common::statements_starting_with(&out.sql, dialect, &["INSERT"]);
        let merged = common::statements_starting_with(&out.sql, dialect, &["MERGE"]);
        let upserts = left
            .iter()
            .filter(|s| s.contains("ON CONFLICT") || s.contains("ON DUPLICATE KEY UPDATE"))
            .count();
        assert_eq!(
            upserts + merged.len(),
            24,
            "{name}: every INSERT became an upsert or MERGE"
        );
        // Everything that is not an INSERT (or its rewrite) is byte-identical.
        let before = common::without_statements(&sql, dialect, &["INSERT"]);
        let after = common::without_statements(&out.sql, dialect, &["INSERT", "MERGE"]);
        assert!(before == after, "{name}: text outside the INSERTs changed");
        // The key comes from the script's DDL: the Track table's primary key.
        let track = if matches!(dialect, Dialect::Postgres) {
            "track_id"
        } else {
            "TrackId"
        };
        assert!(out.sql.contains(track), "{name}");
        // A second rewrite changes nothing.
        let again = rewrite(&out.sql, &Options::for_dialect(dialect)).expect("rewrite again");
        assert!(again.sql == out.sql, "{name}: rewrite is not a fixed point");
    }
}

/// Every table's rows, sorted, as text.
fn snapshot(conn: &Connection) -> Vec<(String, Vec<String>)> {
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.sort();
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    let mut cells = Vec::new();
                    for i in 0..n {
                        let v: rusqlite::types::Value = r.get(i)?;
                        cells.push(format!("{v:?}"));
                    }
                    Ok(cells.join("|"))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.sort();
            (t, rows)
        })
        .collect()
}

fn run_inserts(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    for stmt in common::statements_starting_with(sql, Dialect::Sqlite, &["INSERT"]) {
        conn.execute_batch(&stmt)?;
    }
    Ok(())
}

#[test]
fn sqlite_rewritten_load_runs_twice_with_the_rows_of_one_original_load() {
    let Some(sql) = read("Chinook_Sqlite.sql") else {
        return;
    };
    let sql = without_drops(&sql, Dialect::Sqlite);
    let out = rewrite(&sql, &Options::for_dialect(Dialect::Sqlite)).expect("rewrite");

    let once = Connection::open_in_memory().unwrap();
    once.execute_batch(&sql).expect("original loads");
    let expected = snapshot(&once);
    let total: usize = expected.iter().map(|(_, r)| r.len()).sum();
    assert!(total > 15_000, "Chinook has {total} rows");

    // The original's data load run again fails on the primary keys: the test has teeth.
    assert!(
        run_inserts(&once, &sql).is_err(),
        "rerunning the original INSERTs must fail"
    );

    let twice = Connection::open_in_memory().unwrap();
    twice
        .execute_batch(&out.sql)
        .expect("rewritten script loads");
    assert_eq!(
        snapshot(&twice),
        expected,
        "one rewritten load differs from the original"
    );
    run_inserts(&twice, &out.sql).expect("rewritten INSERTs run again");
    assert_eq!(
        snapshot(&twice),
        expected,
        "a second rewritten load changed the data"
    );
}
