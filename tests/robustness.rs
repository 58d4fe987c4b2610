//! Bad input never panics, and the output never changes bytes outside the statements that
//! were rewritten: property tests over random SQL-ish text in every dialect.

use idemsql::{Dialect, Options, check, rewrite};
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "INSERT INTO t (a, b) VALUES (1, 'x')",
    "INSERT INTO t VALUES ",
    "SELECT ",
    "WITH c AS (",
    ")",
    "(",
    ",",
    ";",
    "'",
    "\"",
    "`",
    "[",
    "]",
    "--",
    "/*",
    "*/",
    "$$",
    "$a$",
    "\\",
    "\n",
    "GO\n",
    "DELIMITER //\n",
    "//",
    "BEGIN",
    "END",
    "CASE",
    "ON CONFLICT",
    "MERGE INTO",
    " ",
    "Ærø",
    "😀",
    "N'''",
    "E'\\''",
    "DEFAULT",
    "NULL",
    "now()",
    "CREATE TABLE t (a int PRIMARY KEY, b text)",
    "-- idemsql: key(a) strategy(merge)\n",
    "-- idemsql: partition(a = '1')\n",
    "-- idemsql: bogus(\n",
    "1e",
    "0x",
    ".",
    "::",
    "?",
    ":x",
    "@v",
    "#",
    "UNION ALL",
    "RETURNING a",
    "DELETE FROM t WHERE a = 1",
    "%s",
    "%(a)s",
    "%%",
    "%",
    "{{ x }}",
    "{{",
    "}}",
    "{% if a %}",
    "{%",
    "%}",
    "{# c #}",
    "${v}",
    "$v",
    "$1",
    "?1",
    ":1",
    "__idem_p0_",
    "$__idem_n1_",
];

/// Python-ish text with SQL strings in it, for the Python reader.
const PY_PIECES: &[&str] = &[
    "cur.execute(",
    ")",
    "(",
    "\"",
    "'",
    "\"\"\"",
    "f\"",
    "r'",
    "INSERT INTO t (a, b) VALUES (%s, ?)",
    "CREATE TABLE t (a int PRIMARY KEY, b text)",
    "{x}",
    "\n",
    "    ",
    "# idemsql: key(a)\n",
    ", sql=",
    " + ",
    " % ",
    ".format(",
    "\\",
    "😀",
    ";",
];

fn sqlish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

fn pythonish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PY_PIECES), 0..30).prop_map(|v| v.concat())
}

proptest! {
    // 300 cases per run; PROPTEST_CASES=20000 for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn python_never_panics_and_a_fix_still_parses(src in pythonish(), d in 0usize..15) {
        let mut options = Options::for_dialect(Dialect::ALL[d]);
        options.default_key = vec!["a".into()];
        let _ = idemsql::check_python(&src, &options).unwrap();
        let fixed = idemsql::fix_python(&src, &options).unwrap();
        if fixed.sql != src {
            // A fixed module has no IDEM022 of its own: it still parses as Python.
            let again = idemsql::check_python(&fixed.sql, &options).unwrap();
            prop_assert!(!again.iter().any(|d| d.message.contains("as Python")), "{}", fixed.sql);
        }
    }

    #[test]
    fn never_panics_and_edits_stay_inside_statements(sql in sqlish(), d in 0usize..15) {
        let dialect = Dialect::ALL[d];
        let mut options = Options::for_dialect(dialect);
        options.default_key = vec!["a".into()];
        let out = rewrite(&sql, &options).unwrap();
        let _ = check(&sql, &options).unwrap();
        for e in &out.edits {
            prop_assert!(e.start <= e.end && e.end <= sql.len());
            prop_assert!(sql.is_char_boundary(e.start) && sql.is_char_boundary(e.end));
        }
        // Rewriting the output again changes nothing.
        let again = rewrite(&out.sql, &options).unwrap();
        prop_assert_eq!(&again.sql, &out.sql, "not a fixed point in {}", dialect);
        // Text before the first edit and after the last is untouched.
        if let (Some(first), Some(last)) = (out.edits.first(), out.edits.last()) {
            prop_assert!(out.sql.starts_with(&sql[..first.start]));
            prop_assert!(out.sql.ends_with(&sql[last.end..]));
        } else {
            prop_assert_eq!(&out.sql, &sql);
        }
    }
}

#[test]
fn deep_nesting_and_long_chains_are_reported_not_crashed() {
    let deep = format!(
        "INSERT INTO t (a) VALUES ({}1{});",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let chain = format!(
        "INSERT INTO t (a) SELECT 1 WHERE {};",
        vec!["a = 1"; 20_000].join(" OR ")
    );
    let huge = format!("INSERT INTO t (a) VALUES ('{}');", "x".repeat(5_000_000));
    for sql in [deep, chain, huge] {
        for d in Dialect::ALL {
            let mut options = Options::for_dialect(d);
            options.default_key = vec!["a".into()];
            let out = rewrite(&sql, &options).unwrap();
            assert!(out.sql.len() >= sql.len());
        }
    }
}

/// A SQL Server batch of 50,000 INSERTs without `;` (the shape of generated data scripts) is
/// cut into its statements and every one is rewritten, in linear time: a quadratic cut takes
/// minutes here in a debug build.
#[test]
fn a_large_tsql_batch_without_semicolons_is_rewritten_whole() {
    let mut sql = String::from(
        "CREATE TABLE [dbo].[Orders] ([OrderID] int NOT NULL PRIMARY KEY, [ShipName] nvarchar(40))\nGO\nSET IDENTITY_INSERT [dbo].[Orders] ON\n",
    );
    for i in 0..50_000 {
        sql.push_str(&format!(
            "INSERT [dbo].[Orders] ([OrderID], [ShipName]) VALUES ({i}, N'Vins et alcools')\n"
        ));
    }
    sql.push_str("SET IDENTITY_INSERT [dbo].[Orders] OFF\nGO\n");
    let started = std::time::Instant::now();
    let out = rewrite(&sql, &Options::for_dialect(Dialect::Mssql)).unwrap();
    let d: Vec<_> = out
        .diagnostics
        .iter()
        .take(3)
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(
        out.sql.matches("MERGE INTO [dbo].[Orders]").count(),
        50_000,
        "{d:?}"
    );
    assert!(out.sql.contains("VALUES (49999, N'Vins et alcools')) AS s"));
    assert!(
        out.sql
            .ends_with(";\nSET IDENTITY_INSERT [dbo].[Orders] OFF\nGO\n")
    );
    assert!(started.elapsed().as_secs() < 120, "{:?}", started.elapsed());
}
