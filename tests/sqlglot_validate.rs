//! A second opinion on the SQL idemsql writes: every statement that `rewrite` (or `check`'s
//! fixes) adds to a fixture's output must also parse in [sqlglot](https://github.com/tobymao/sqlglot),
//! read in the matching sqlglot dialect with `error_level=RAISE`.
//!
//! sqlparser accepts many forms the databases reject (it reads `ON CONFLICT` in every dialect,
//! `AS` aliases in Oracle, ...), so the fixture test's re-parse proves little on its own.
//! sqlglot has its own grammars per dialect, written from other sources; a statement both
//! accept is much less likely to be a parser artefact.
//!
//! The test runs `tests/sqlglot/validate.py` once over all statements (JSON in, JSON out).
//! It needs `python3` with `sqlglot` (`pip install sqlglot==30.30.0`, as `scripts/test.sh`
//! does) and fails, not skips, when they are missing.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use idemsql::{Dialect, StatementKind, apply_edits, check, rewrite};
use serde_json::{Value, json};

/// The sqlglot dialect that reads `d`'s SQL.
fn sqlglot_dialect(d: Dialect) -> &'static str {
    match d {
        Dialect::Postgres => "postgres",
        Dialect::Sqlite => "sqlite",
        Dialect::Duckdb => "duckdb",
        // sqlglot has no MariaDB dialect; its MySQL one reads the MariaDB forms we write.
        Dialect::Mysql | Dialect::Mariadb => "mysql",
        Dialect::Snowflake => "snowflake",
        Dialect::Bigquery => "bigquery",
        Dialect::Mssql => "tsql",
        Dialect::Oracle => "oracle",
        Dialect::Databricks => "databricks",
        Dialect::Spark => "spark",
        Dialect::Hive => "hive",
        Dialect::Redshift => "redshift",
        Dialect::Trino => "trino",
        Dialect::Clickhouse => "clickhouse",
    }
}

/// Forms idemsql writes on purpose that sqlglot 30.30 cannot read, as
/// `(fixture, substring of the statement, reason)`. Keep this short: each entry must be a
/// documented form of the target database.
const SQLGLOT_GAPS: &[(&str, &str, &str)] = &[
    (
        "postgres/ddl_lint_gaps.sql",
        "CREATE EXTENSION IF NOT EXISTS pgcrypto",
        "sqlglot 30.30 has no CREATE EXTENSION; PostgreSQL documents IF NOT EXISTS (sql-createextension.html)",
    ),
    (
        "mysql/version_comments_mysqldump.sql",
        "PARTITION BY HASH (`actor_id`) PARTITIONS 4",
        "sqlglot 30.30 reads no MySQL PARTITION BY HASH ... PARTITIONS n (the content of mysqldump's /*!50100 ... */); MySQL documents it (partitioning-hash.html)",
    ),
];

/// Statements that sqlglot rejects because idemsql writes them wrong: the fixture is marked
/// `-- BUG:` and its snapshot records the wrong output. They must keep failing here until the
/// rewrite is fixed (then delete the entry).
const KNOWN_BUGS: &[(&str, &str, &str)] = &[];

struct Stmt {
    fixture: String,
    dialect: Dialect,
    sql: String,
    /// A `;` ends the statement (SQL Server's MERGE needs one).
    terminated: bool,
}

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).expect("read tests/fixtures") {
        let dir = dir.expect("fixture dir entry").path();
        if !dir.is_dir() || dir.file_name().is_some_and(|n| n == "snapshots") {
            continue;
        }
        for f in std::fs::read_dir(&dir).expect("read fixture dir") {
            let f = f.expect("fixture entry").path();
            if f.extension().is_some_and(|e| e == "sql") {
                out.push(f);
            }
        }
    }
    out.sort();
    assert!(
        !out.is_empty(),
        "no fixtures found under {}",
        root.display()
    );
    out
}

/// The SQL statements of `sql` (client commands such as `GO` left out), as written, each with
/// whether a terminator follows it. In MySQL and MariaDB, the content of version comments is
/// code, as the server reads it (a statement may start or end inside one).
fn statements(sql: &str, dialect: Dialect) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = idemsql::statements(sql, dialect)
        .into_iter()
        .filter(|s| s.kind == StatementKind::Sql)
        .map(|s| {
            let code = &sql[s.code.start..s.code.end];
            let code = match dialect {
                Dialect::Mysql | Dialect::Mariadb => common::without_version_markers(code, dialect),
                _ => code.to_string(),
            };
            let code = common::with_literal_parameters(&code, dialect);
            (code.trim().to_string(), s.terminator.is_some())
        })
        .collect();
    out.retain(|(s, _)| !s.is_empty());
    out
}

/// Every statement idemsql wrote for one fixture: those of the rewritten output and of the
/// output with every `check` fix applied that are not in the input.
fn written_statements(path: &Path) -> Vec<Stmt> {
    let dialect = common::fixture_dialect(path);
    let sql = std::fs::read_to_string(path).expect("read fixture");
    let options = common::fixture_options(dialect, &sql);
    let rewritten = rewrite(&sql, &options).expect("rewrite").sql;
    let fix_edits: Vec<idemsql::Edit> = check(&sql, &options)
        .expect("check")
        .into_iter()
        .filter_map(|d| d.fix)
        .flat_map(|f| f.edits)
        .collect();
    let fixed = apply_edits(&sql, &fix_edits);

    let input: BTreeSet<String> = statements(&sql, dialect)
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let mut seen = BTreeSet::new();
    let fixture = path
        .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"))
        .unwrap_or(path)
        .display()
        .to_string();
    let mut out = Vec::new();
    for (s, terminated) in statements(&rewritten, dialect)
        .into_iter()
        .chain(statements(&fixed, dialect))
    {
        if !input.contains(&s) && seen.insert(s.clone()) {
            out.push(Stmt {
                fixture: fixture.clone(),
                dialect,
                sql: s,
                terminated,
            });
        }
    }
    out
}

/// Run the Python side once over every statement.
fn run_sqlglot(stmts: &[Stmt]) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sqlglot/validate.py");
    let input = Value::Array(
        stmts
            .iter()
            .map(|s| {
                json!({
                    "target": s.dialect.name(),
                    "dialect": sqlglot_dialect(s.dialect),
                    "sql": s.sql,
                    "terminated": s.terminated,
                })
            })
            .collect(),
    );
    let mut child = match Command::new("python3")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!(
            "cannot run python3 ({e}): this test needs python3 with sqlglot \
             (`pip install sqlglot==30.30.0`, see scripts/test.sh)"
        ),
    };
    child
        .stdin
        .take()
        .expect("python stdin")
        .write_all(input.to_string().as_bytes())
        .expect("write statements to python");
    let out = child.wait_with_output().expect("wait for python3");
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => {}
        Some(3) => panic!("{}", stderr.trim()),
        _ => panic!(
            "tests/sqlglot/validate.py failed ({}):\n{stderr}",
            out.status
        ),
    }
    let results: Vec<Value> =
        serde_json::from_slice(&out.stdout).expect("validate.py prints a JSON array");
    assert_eq!(
        results.len(),
        stmts.len(),
        "validate.py answered {} statements out of {}",
        results.len(),
        stmts.len()
    );
    results
}

fn listed<'a>(
    list: &'a [(&'a str, &'a str, &'a str)],
    s: &Stmt,
) -> Option<&'a (&'a str, &'a str, &'a str)> {
    list.iter()
        .find(|(f, needle, _)| s.fixture == *f && s.sql.contains(needle))
}

#[test]
fn written_statements_parse_in_sqlglot() {
    let stmts: Vec<Stmt> = fixtures()
        .iter()
        .flat_map(|p| written_statements(p))
        .collect();
    assert!(
        stmts.len() > 100,
        "expected the fixtures to produce many rewritten statements, got {}",
        stmts.len()
    );
    let results = run_sqlglot(&stmts);
    eprintln!(
        "sqlglot checked {} statements written for the fixtures",
        stmts.len()
    );

    let mut failures = Vec::new();
    let mut fixed_bugs = Vec::new();
    for (s, r) in stmts.iter().zip(&results) {
        let ok = r.get("ok").and_then(Value::as_bool).unwrap_or(false);
        let error = r.get("error").and_then(Value::as_str).unwrap_or("");
        let gap = listed(SQLGLOT_GAPS, s);
        let bug = listed(KNOWN_BUGS, s);
        match (ok, gap, bug) {
            (true, _, Some(b)) => fixed_bugs.push(format!(
                "{} ({}): now parses; remove it from KNOWN_BUGS ({})\n  {}",
                s.fixture, s.dialect, b.2, s.sql
            )),
            (true, _, None) | (false, Some(_), _) | (false, None, Some(_)) => {}
            (false, None, None) => failures.push(format!(
                "{} ({} read as sqlglot `{}`):\n  statement: {}\n  sqlglot: {}",
                s.fixture,
                s.dialect,
                sqlglot_dialect(s.dialect),
                s.sql,
                error.trim()
            )),
        }
    }
    // Every listed entry must still match a statement, so the lists cannot go stale.
    for (f, needle, why) in SQLGLOT_GAPS.iter().chain(KNOWN_BUGS) {
        assert!(
            stmts
                .iter()
                .any(|s| s.fixture == *f && s.sql.contains(needle)),
            "list entry ({f}, {needle:?}: {why}) matches no written statement; remove it"
        );
    }
    assert!(
        failures.is_empty() && fixed_bugs.is_empty(),
        "{} written statement(s) rejected by sqlglot, {} known bug(s) no longer rejected:\n\n{}\n\n{}",
        failures.len(),
        fixed_bugs.len(),
        failures.join("\n\n"),
        fixed_bugs.join("\n\n")
    );
}
