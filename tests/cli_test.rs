//! `idemsql test` on SQLite (embedded): each kind of write that is not safe to rerun is caught
//! with the right table and rows, the safe forms pass, `--crash` catches a move outside a
//! transaction, the reports (text snapshots, json, junit) and exit codes hold, and a database
//! named with `sqlite:PATH` is never written, whatever the runs do. The same on DuckDB (the
//! Python package idemsql drives) and, for the scratch databases, on PostgreSQL and MariaDB.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;
use common::server;

const BIN: &str = env!("CARGO_BIN_EXE_idemsql");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `idemsql test ARGS` in `dir`, where `files` are written first.
fn test(dir: &Path, files: &[(&str, &str)], args: &[&str]) -> Run {
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    // A private temporary folder: the scratch databases go there, and must be gone after.
    let tmp = dir.join(".tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let out = Command::new(BIN)
        .arg("test")
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env("TMPDIR", &tmp)
        .output()
        .expect("run idemsql");
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "scratch files left behind: {left:?}");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// The text report of one script, pinned by a snapshot, and its exit code.
fn report(name: &str, files: &[(&str, &str)], args: &[&str], code: i32) {
    let dir = tempfile::tempdir().unwrap();
    let r = test(dir.path(), files, args);
    assert_eq!(r.code, code, "{}\n{}", r.stdout, r.stderr);
    // The engine's version is machine-dependent; the rest is not.
    let text = r
        .stdout
        .split_once('\n')
        .map(|(head, rest)| {
            assert!(head.starts_with("idemsql test on SQLite 3."), "{head}");
            rest
        })
        .unwrap_or_default();
    insta::assert_snapshot!(name, text);
}

const SQLITE: &[&str] = &["--dialect", "sqlite"];

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    SQLITE
        .iter()
        .copied()
        .chain(extra.iter().copied())
        .collect()
}

#[test]
fn a_plain_insert_fails_its_second_run_and_its_rewrite_passes() {
    let sql = "CREATE TABLE IF NOT EXISTS orders (order_id int PRIMARY KEY, amount int, note text);\n\
               INSERT INTO orders (order_id, amount, note) VALUES (1, 10, 'first'), (2, 20, NULL);\n";
    report(
        "plain_insert",
        &[("load.sql", sql)],
        &args(&["--rewrite", "load.sql"]),
        1,
    );
}

#[test]
fn a_plain_insert_without_a_key_doubles_its_rows() {
    let sql = "CREATE TABLE IF NOT EXISTS events (kind text, n int);\n\
               INSERT INTO events (kind, n) VALUES ('click', 1), ('view', 2);\n";
    report(
        "keyless_insert",
        &[("events.sql", sql)],
        &args(&["events.sql"]),
        1,
    );
}

#[test]
fn insert_select_appends_the_source_again() {
    let setup =
        "CREATE TABLE staging (id int, v text);\nINSERT INTO staging VALUES (1, 'a'), (2, 'b');\n";
    let sql = "CREATE TABLE IF NOT EXISTS facts (id int, v text);\nINSERT INTO facts SELECT id, v FROM staging;\n";
    report(
        "insert_select",
        &[("setup.sql", setup), ("facts.sql", sql)],
        &args(&["--setup", "setup.sql", "facts.sql"]),
        1,
    );
}

#[test]
fn a_relative_update_names_the_column_it_changes() {
    let setup = "CREATE TABLE counters (id int PRIMARY KEY, hits int);\nINSERT INTO counters VALUES (1, 0), (2, 5);\n";
    let sql = "UPDATE counters SET hits = hits + 1;\n";
    report(
        "relative_update",
        &[("setup.sql", setup), ("bump.sql", sql)],
        &args(&["--setup", "setup.sql", "bump.sql"]),
        1,
    );
}

#[test]
fn a_volatile_value_is_caught_and_can_be_ignored_by_column() {
    let sql = "CREATE TABLE IF NOT EXISTS seen (id int PRIMARY KEY, token int);\n\
               INSERT INTO seen (id, token) VALUES (1, random()), (2, random()) \
               ON CONFLICT (id) DO UPDATE SET token = excluded.token;\n";
    let dir = tempfile::tempdir().unwrap();
    let r = test(dir.path(), &[("seen.sql", sql)], &args(&["seen.sql"]));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains(
            "the rows differ only in token: if that is on purpose, pass --ignore-column seen.token"
        ),
        "{}",
        r.stdout
    );
    let r = test(
        dir.path(),
        &[],
        &args(&["--ignore-column", "seen.token", "seen.sql"]),
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout.starts_with("idemsql test on SQLite 3.")
            && r.stdout.contains(" (not compared: seen.token)\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn an_autoincrement_key_without_a_natural_key_adds_rows() {
    let sql = "CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY AUTOINCREMENT, job text);\n\
               INSERT INTO runs (job) VALUES ('nightly');\n";
    report(
        "autoincrement",
        &[("runs.sql", sql)],
        &args(&["runs.sql"]),
        1,
    );
}

#[test]
fn create_table_without_if_not_exists_fails_the_second_run() {
    let sql = "-- the schema\nCREATE TABLE t (a int);\n";
    report(
        "create_table",
        &[("ddl.sql", sql)],
        &args(&["--rewrite", "ddl.sql"]),
        1,
    );
}

#[test]
fn crash_catches_a_move_outside_a_transaction_and_passes_it_inside_one() {
    let setup =
        "CREATE TABLE staging (id int, v text);\nINSERT INTO staging VALUES (1, 'a'), (2, 'b');\n";
    let outside = "CREATE TABLE IF NOT EXISTS archive (id int, v text);\n\
                   INSERT INTO archive (id, v) SELECT id, v FROM staging;\n\
                   DELETE FROM staging;\n";
    let inside = "CREATE TABLE IF NOT EXISTS archive (id int, v text);\nBEGIN;\n\
                  INSERT INTO archive (id, v) SELECT id, v FROM staging;\n\
                  DELETE FROM staging;\nCOMMIT;\n";
    let files = [
        ("setup.sql", setup),
        ("move.sql", outside),
        ("move_tx.sql", inside),
    ];
    // Without --crash both pass: the second run finds staging empty.
    let dir = tempfile::tempdir().unwrap();
    let r = test(
        dir.path(),
        &files,
        &args(&["--setup", "setup.sql", "move.sql", "move_tx.sql"]),
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    report(
        "crash_move",
        &files,
        &args(&["--crash", "--setup", "setup.sql", "move.sql", "move_tx.sql"]),
        1,
    );
}

#[test]
fn json_report_fields() {
    let dir = tempfile::tempdir().unwrap();
    let r = test(
        dir.path(),
        &[
            (
                "ok.sql",
                "CREATE TABLE IF NOT EXISTS t (a int PRIMARY KEY);\n",
            ),
            (
                "dup.sql",
                "CREATE TABLE IF NOT EXISTS u (a int);\nINSERT INTO u VALUES (1);\n",
            ),
        ],
        &args(&["--format", "json", "ok.sql", "dup.sql"]),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["passed"], false);
    assert!(doc["engine"].as_str().unwrap().starts_with("SQLite 3."));
    let [ok, dup] = doc["files"].as_array().unwrap().as_slice() else {
        panic!("{doc}")
    };
    assert_eq!(
        (&ok["file"], &ok["passed"]),
        (&Value::from("ok.sql"), &Value::from(true))
    );
    assert_eq!(ok["trials"][0]["verdict"], "idempotent");
    let trial = &dup["trials"][0];
    assert_eq!(trial["label"], "original");
    assert_eq!(trial["verdict"], "not-idempotent");
    let table = &trial["tables"][0];
    assert_eq!(table["table"], "u");
    assert_eq!(
        (&table["rows_before"], &table["rows_after"]),
        (&Value::from(1), &Value::from(2))
    );
    assert_eq!(table["only_after"], serde_json::json!([["1"]]));
    assert_eq!(
        trial["counts"],
        serde_json::json!([{"table": "u", "once": 1, "twice": 2}])
    );
}

#[test]
fn junit_report_has_one_case_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let r = test(
        dir.path(),
        &[
            ("ok.sql", "CREATE TABLE IF NOT EXISTS t (a int);\n"),
            ("bad <1>.sql", "CREATE TABLE t2 (a int);\n"),
        ],
        &args(&["--format", "junit", "ok.sql", "bad <1>.sql"]),
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains(r#"<testsuites name="idemsql test" tests="2" failures="1">"#),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(r#"<testcase classname="idemsql.test" name="ok.sql"/>"#)
    );
    assert!(
        r.stdout
            .contains(r#"<testcase classname="idemsql.test" name="bad &lt;1&gt;.sql">"#)
    );
    assert!(r.stdout.contains("<failure message=\"original: the second run failed at statement 1 (line 1:1): table t2 already exists"));
}

#[test]
fn usage_and_connection_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.sql"), "SELECT 1;\n").unwrap();
    for (args, says) in [
        (vec!["a.sql"], "pass --db with a connection URL"),
        (
            vec!["--db", "oracle://x", "a.sql"],
            "`oracle` is not a database idemsql test can run",
        ),
        (vec!["--db", "sqlite:missing.db", "a.sql"], "no such file"),
        (vec!["-d", "sqlite", "missing.sql"], "missing.sql"),
        (
            vec!["-d", "sqlite", "--format", "sarif", "a.sql"],
            "text, json or junit",
        ),
        (
            vec!["-d", "sqlite", "--ignore-column", "x", "a.sql"],
            "is not `table.column`",
        ),
        (vec!["-d", "sqlite"], "name the SQL files"),
    ] {
        let r = test(dir.path(), &[], &args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn a_sqlite_file_is_tested_on_a_copy_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("warehouse.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE orders (order_id int PRIMARY KEY, amount int);\
             INSERT INTO orders VALUES (1, 10);",
        )
        .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let url = format!("sqlite:{}", db.display());
    let cases: [(&str, &str, i32); 4] = [
        // Reads the file's data: passes.
        (
            "upsert.sql",
            "INSERT INTO orders (order_id, amount) VALUES (1, 11) ON CONFLICT (order_id) DO UPDATE SET amount = excluded.amount;\n",
            0,
        ),
        // Fails its first run (the key is in the file already).
        (
            "plain.sql",
            "INSERT INTO orders (order_id, amount) VALUES (1, 12);\n",
            1,
        ),
        // Differs.
        ("bump.sql", "UPDATE orders SET amount = amount + 1;\n", 1),
        // Drops everything.
        ("drop.sql", "DROP TABLE orders;\n", 1),
    ];
    for (name, sql, code) in cases {
        let r = test(
            dir.path(),
            &[(name, sql)],
            &["--db", &url, "--crash", "--rewrite", name],
        );
        assert_eq!(r.code, code, "{name}: {}{}", r.stdout, r.stderr);
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{name} changed the database file"
        );
    }
    let r = test(dir.path(), &[], &["--db", &url, "plain.sql"]);
    assert!(r.stdout.contains("the first run failed at statement 1 (line 1:1): UNIQUE constraint failed: orders.order_id"), "{}", r.stdout);
}

#[test]
fn the_setup_is_the_schema_the_rewrite_reads() {
    let dir = tempfile::tempdir().unwrap();
    let r = test(
        dir.path(),
        &[
            (
                "schema.sql",
                "CREATE TABLE events (kind text PRIMARY KEY, n int);\n",
            ),
            (
                "load.sql",
                "INSERT INTO events (kind, n) VALUES ('click', 1), ('view', 2);\n\
                 UPDATE events SET n = n + 1 WHERE kind = 'click';\n",
            ),
        ],
        &args(&["--rewrite", "--setup", "schema.sql", "load.sql"]),
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("  original: the second run failed at statement 1 (line 1:1): UNIQUE constraint failed: events.kind")
            && r.stdout.contains("  rewritten: idempotent (events 2 rows after one run, 2 after two)"),
        "{}",
        r.stdout
    );
}

// ----- PostgreSQL and MariaDB (the throwaway servers of scripts/services.sh) -----

/// Scripts that pass, fail their second run, differ, and differ only after a crash.
const SERVER_SCRIPTS: &[(&str, &str, i32)] = &[
    (
        "upsert.sql",
        "CREATE TABLE IF NOT EXISTS orders (order_id int PRIMARY KEY, amount int);\n\
         INSERT INTO orders (order_id, amount) VALUES (1, 10), (2, 20) ON CONFLICT (order_id) DO UPDATE SET amount = EXCLUDED.amount;\n",
        0,
    ),
    (
        "ddl.sql",
        "CREATE TABLE orders (order_id int PRIMARY KEY);\n",
        1,
    ),
    (
        "append.sql",
        "CREATE TABLE IF NOT EXISTS log (kind varchar(10));\nINSERT INTO log (kind) VALUES ('x');\n",
        1,
    ),
    (
        "move.sql",
        "CREATE TABLE IF NOT EXISTS staging (id int);\nCREATE TABLE IF NOT EXISTS archive (id int);\n\
         INSERT INTO archive SELECT id FROM staging;\nDELETE FROM staging;\nINSERT INTO staging VALUES (1);\n",
        1,
    ),
];

#[test]
fn postgres_runs_in_a_scratch_database_and_never_writes_outside_it() {
    let Some(url) = server("IDEMSQL_POSTGRES", "postgres") else {
        return;
    };
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let sentinel = format!("idemsql_sentinel_{}", std::process::id());
    admin
        .batch_execute(&format!(
            "DROP TABLE IF EXISTS {sentinel}; CREATE TABLE {sentinel} (id int); INSERT INTO {sentinel} VALUES (1), (2);"
        ))
        .unwrap();
    let state = |admin: &mut postgres::Client| -> (i64, Vec<String>) {
        let n: i64 = admin
            .query_one(&format!("SELECT count(*) FROM {sentinel}"), &[])
            .unwrap()
            .get(0);
        let dbs = admin
            .query(
                "SELECT datname FROM pg_database WHERE datname LIKE 'idemsql_test_%'",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get::<_, String>(0))
            .collect();
        (n, dbs)
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, sql, code) in SERVER_SCRIPTS {
        // The sentinel's own name, unqualified: if the script ran in the URL's database, this
        // would empty the sentinel.
        let sql = format!(
            "{sql}CREATE TABLE IF NOT EXISTS {sentinel} (id int);\nDELETE FROM {sentinel};\n"
        );
        let r = test(
            dir.path(),
            &[(name, &sql)],
            &["--db", &url, "--crash", "--rewrite", name],
        );
        assert_eq!(r.code, *code, "{name}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stdout.starts_with("idemsql test on PostgreSQL 15"),
            "{}",
            r.stdout
        );
        assert_eq!(state(&mut admin), (2, vec![]), "after {name}");
    }
    // A schema-qualified table gets its schema inside the scratch database.
    let r = test(
        dir.path(),
        &[(
            "schema.sql",
            "CREATE TABLE IF NOT EXISTS analytics.events (id serial PRIMARY KEY, kind text);\nINSERT INTO analytics.events (kind) VALUES ('x');\n",
        )],
        &["--db", &url, "schema.sql"],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("    analytics.events: 1 row after one run, 2 rows after two runs"),
        "{}",
        r.stdout
    );
    let schemas: i64 = admin
        .query_one(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'analytics'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        schemas, 0,
        "the schema was made outside the scratch database"
    );
    // A connection that fails exits 2.
    let r = test(
        dir.path(),
        &[],
        &["--db", "postgres://nobody@127.0.0.1:1/x", "schema.sql"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot connect"), "{}", r.stderr);
    admin
        .batch_execute(&format!("DROP TABLE {sentinel}"))
        .unwrap();
}

#[test]
fn mariadb_runs_in_a_scratch_database_and_refuses_other_databases() {
    let Some(url) = server("IDEMSQL_MARIADB", "mariadb") else {
        return;
    };
    use mysql::prelude::Queryable;
    let mut admin = mysql::Conn::new(mysql::Opts::from_url(&url).unwrap()).unwrap();
    let sentinel = format!("idemsql_sentinel_{}", std::process::id());
    admin
        .query_drop(format!(
            "DROP DATABASE IF EXISTS {sentinel}; CREATE DATABASE {sentinel}; \
             CREATE TABLE {sentinel}.t (id int); INSERT INTO {sentinel}.t VALUES (1), (2);"
        ))
        .unwrap();
    let state = |admin: &mut mysql::Conn| -> (i64, Vec<String>) {
        let n: i64 = admin
            .query_first(format!("SELECT count(*) FROM {sentinel}.t"))
            .unwrap()
            .unwrap();
        let dbs: Vec<String> = admin
            .query("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'idemsql\\_test\\_%'")
            .unwrap();
        (n, dbs)
    };
    let url = url.replacen("mysql://", "mariadb://", 1);
    let dir = tempfile::tempdir().unwrap();
    for (name, sql, code) in SERVER_SCRIPTS {
        let sql = sql.replace(
            "ON CONFLICT (order_id) DO UPDATE SET amount = EXCLUDED.amount",
            "ON DUPLICATE KEY UPDATE amount = VALUES(amount)",
        );
        let r = test(
            dir.path(),
            &[(name, &sql)],
            &["--db", &url, "--crash", "--rewrite", name],
        );
        assert_eq!(r.code, *code, "{name}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stdout.starts_with("idemsql test on MariaDB 10.11"),
            "{}",
            r.stdout
        );
        assert_eq!(state(&mut admin), (2, vec![]), "after {name}");
    }
    // A table qualified with another database is refused before anything runs.
    let other = format!("DELETE FROM {sentinel}.t;\n");
    let r = test(
        dir.path(),
        &[("other.sql", &other)],
        &["--db", &url, "other.sql"],
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains(&format!("names tables in the database `{sentinel}`")),
        "{}",
        r.stderr
    );
    assert_eq!(state(&mut admin), (2, vec![]));
    admin
        .query_drop(format!("DROP DATABASE {sentinel}"))
        .unwrap();
}

#[test]
fn a_sqlite_script_that_attaches_another_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let r = test(
        dir.path(),
        &[(
            "attach.sql",
            "ATTACH DATABASE 'other.db' AS other;\nCREATE TABLE other.t (a int);\n",
        )],
        &args(&["attach.sql"]),
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("the attached database `other`"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("other.db").exists());
}

#[test]
fn a_directory_tests_each_sql_file_under_it_in_its_own_database() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("etl/daily")).unwrap();
    let r = test(
        dir.path(),
        &[
            (
                "etl/a.sql",
                "CREATE TABLE IF NOT EXISTS t (a int PRIMARY KEY);\n",
            ),
            // Its own scratch database: the table of a.sql is not there.
            ("etl/daily/b.sql", "CREATE TABLE t (a int);\n"),
            ("etl/notes.txt", "not SQL"),
        ],
        &args(&["--format", "json", "etl"]),
    );
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let files: Vec<(&str, bool)> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["file"].as_str().unwrap(), f["passed"].as_bool().unwrap()))
        .collect();
    assert_eq!(files, [("etl/a.sql", true), ("etl/daily/b.sql", false)]);
    assert_eq!(doc["files"][1]["trials"][0]["failure"]["run"], "second");
}

/// `idemsql test` on DuckDB (the Python package the CLI drives), as JSON: the verdict of the
/// first trial, the tables that differ, and the JSON document.
fn duckdb(dir: &Path, files: &[(&str, &str)], args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--dialect", "duckdb", "--format", "json"];
    all.extend(args);
    let r = test(dir, files, &all);
    let doc: Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|_| panic!("{}{}", r.stdout, r.stderr));
    assert!(
        doc["engine"].as_str().unwrap().starts_with("DuckDB "),
        "{doc}"
    );
    (r.code, doc)
}

/// The verdict of trial `i` of the only file, and the name of each table that differs.
fn verdict(doc: &Value, i: usize) -> (String, Vec<String>) {
    let trial = &doc["files"][0]["trials"][i];
    let tables = trial["tables"]
        .as_array()
        .map(|t| {
            t.iter()
                .map(|d| d["table"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    (trial["verdict"].as_str().unwrap().to_string(), tables)
}

#[test]
fn duckdb_catches_each_unsafe_write_and_passes_the_safe_forms() {
    if common::duckdb_python().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let setup = "CREATE TABLE staging (id int, v text);\nINSERT INTO staging VALUES (1, 'a'), (2, 'b');\n\
                 CREATE TABLE counters (id int PRIMARY KEY, hits int);\nINSERT INTO counters VALUES (1, 0);\n";
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "keyless.sql",
            "CREATE TABLE IF NOT EXISTS events (kind text);\nINSERT INTO events VALUES ('click');\n",
            "not-idempotent",
            &["events"],
        ),
        (
            "append.sql",
            "CREATE TABLE IF NOT EXISTS facts (id int, v text);\nINSERT INTO facts SELECT id, v FROM staging;\n",
            "not-idempotent",
            &["facts"],
        ),
        (
            "bump.sql",
            "UPDATE counters SET hits = hits + 1;\n",
            "not-idempotent",
            &["counters"],
        ),
        (
            "sequence.sql",
            "CREATE SEQUENCE IF NOT EXISTS run_id;\n\
             CREATE TABLE IF NOT EXISTS runs (id int PRIMARY KEY DEFAULT nextval('run_id'), job text);\n\
             INSERT INTO runs (job) VALUES ('nightly');\n",
            "not-idempotent",
            &["runs"],
        ),
        ("ddl.sql", "CREATE TABLE t (a int);\n", "failed", &[]),
        (
            "upsert.sql",
            "INSERT INTO counters VALUES (1, 7) ON CONFLICT (id) DO UPDATE SET hits = excluded.hits;\n",
            "idempotent",
            &[],
        ),
    ];
    for (name, sql, expected, tables) in cases {
        let (code, doc) = duckdb(
            dir.path(),
            &[("setup.sql", setup), (name, sql)],
            &["--setup", "setup.sql", name],
        );
        let (got, differ) = verdict(&doc, 0);
        let want: Vec<String> = tables.iter().map(|t| t.to_string()).collect();
        assert_eq!((got.as_str(), &differ), (*expected, &want), "{name}: {doc}");
        assert_eq!(code, i32::from(*expected != "idempotent"), "{name}");
    }
    // The relative update names the column it changes.
    let (_, doc) = duckdb(dir.path(), &[], &["--setup", "setup.sql", "bump.sql"]);
    assert_eq!(
        doc["files"][0]["trials"][0]["tables"][0]["changed_columns"],
        serde_json::json!(["hits"])
    );
}

#[test]
fn duckdb_plain_insert_volatile_values_and_crashes() {
    if common::duckdb_python().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // A plain INSERT on a key fails its second run; its rewrite passes.
    let load = "CREATE TABLE IF NOT EXISTS orders (order_id int PRIMARY KEY, amount int);\n\
                INSERT INTO orders (order_id, amount) VALUES (1, 10), (2, 20);\n";
    let (code, doc) = duckdb(
        dir.path(),
        &[("load.sql", load)],
        &["--rewrite", "load.sql"],
    );
    assert_eq!((code, verdict(&doc, 0).0.as_str()), (1, "failed"), "{doc}");
    let failure = &doc["files"][0]["trials"][0]["failure"];
    assert_eq!(
        (failure["run"].as_str(), failure["line"].as_u64()),
        (Some("second"), Some(2))
    );
    assert!(
        failure["error"].as_str().unwrap().contains("Duplicate key"),
        "{failure}"
    );
    assert_eq!(verdict(&doc, 1).0, "idempotent", "{doc}");
    // now() changes on every run: named, and passes once ignored.
    let seen = "CREATE TABLE IF NOT EXISTS seen (id int PRIMARY KEY, at_ts timestamptz);\n\
                INSERT INTO seen VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET at_ts = excluded.at_ts;\n";
    let (_, doc) = duckdb(dir.path(), &[("seen.sql", seen)], &["seen.sql"]);
    assert_eq!(
        doc["files"][0]["trials"][0]["tables"][0]["changed_columns"],
        serde_json::json!(["at_ts"]),
        "{doc}"
    );
    let (code, _) = duckdb(
        dir.path(),
        &[],
        &["--ignore-column", "seen.at_ts", "seen.sql"],
    );
    assert_eq!(code, 0);
    // A move outside a transaction is not crash-safe; inside one it is.
    let setup = "CREATE TABLE staging (id int);\nINSERT INTO staging VALUES (1), (2);\n";
    let outside = "CREATE TABLE IF NOT EXISTS archive (id int);\n\
                   INSERT INTO archive SELECT id FROM staging;\nDELETE FROM staging;\n";
    let inside = "CREATE TABLE IF NOT EXISTS archive (id int);\nBEGIN;\n\
                  INSERT INTO archive SELECT id FROM staging;\nDELETE FROM staging;\nCOMMIT;\n";
    let files = [
        ("setup.sql", setup),
        ("move.sql", outside),
        ("move_tx.sql", inside),
    ];
    let (_, doc) = duckdb(
        dir.path(),
        &files,
        &["--crash", "--setup", "setup.sql", "move.sql"],
    );
    assert_eq!(
        verdict(&doc, 0),
        ("not-crash-safe".into(), vec!["archive".into()]),
        "{doc}"
    );
    assert_eq!(doc["files"][0]["trials"][0]["stopped_after"], 2);
    let (code, doc) = duckdb(
        dir.path(),
        &[],
        &["--crash", "--setup", "setup.sql", "move_tx.sql"],
    );
    assert_eq!(
        (code, verdict(&doc, 0).0.as_str()),
        (0, "idempotent"),
        "{doc}"
    );
}

#[test]
fn a_duckdb_file_is_tested_on_a_copy_and_nothing_outside_is_written() {
    let Some(python) = common::duckdb_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("warehouse.duckdb");
    let made = Command::new(&python)
        .arg("-c")
        .arg("import duckdb, sys; c = duckdb.connect(sys.argv[1]); c.execute(\"CREATE TABLE orders (order_id int PRIMARY KEY, amount int); INSERT INTO orders VALUES (1, 10)\"); c.close()")
        .arg(&db)
        .status()
        .unwrap();
    assert!(made.success());
    let before = std::fs::read(&db).unwrap();
    let url = format!("duckdb:{}", db.display());
    let cases: [(&str, &str, i32); 4] = [
        (
            "upsert.sql",
            "INSERT INTO orders VALUES (1, 11) ON CONFLICT (order_id) DO UPDATE SET amount = excluded.amount;\n",
            0,
        ),
        ("bump.sql", "UPDATE orders SET amount = amount + 1;\n", 1),
        ("drop.sql", "DROP TABLE orders;\n", 1),
        // File access is off: neither a file nor another database can be written.
        (
            "export.sql",
            "COPY orders TO 'orders.csv';\nATTACH 'other.duckdb' AS other;\n",
            1,
        ),
    ];
    for (name, sql, code) in cases {
        let r = test(
            dir.path(),
            &[(name, sql)],
            &["--db", &url, "--crash", "--rewrite", name],
        );
        assert_eq!(r.code, code, "{name}: {}{}", r.stdout, r.stderr);
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{name} changed the database file"
        );
    }
    let r = test(dir.path(), &[], &["--db", &url, "export.sql"]);
    assert!(
        r.stdout.contains("file system operations are disabled"),
        "{}",
        r.stdout
    );
    assert!(!dir.path().join("orders.csv").exists() && !dir.path().join("other.duckdb").exists());
    // A table of another database is refused before anything runs.
    let r = test(
        dir.path(),
        &[("lake.sql", "INSERT INTO lake.main.orders VALUES (2, 20);\n")],
        &["--db", &url, "lake.sql"],
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("names tables in the database `lake`"),
        "{}",
        r.stderr
    );
}
