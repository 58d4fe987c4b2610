//! Helpers shared by the integration tests.
#![allow(dead_code)]

use idemsql::{Dialect, Options, StatementKind, statements};
use sqlparser::parser::Parser;

/// The dialect a fixture is written for: the name of its folder.
pub fn fixture_dialect(path: &std::path::Path) -> Dialect {
    path.parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .expect("fixture directory")
        .parse()
        .expect("fixture directory names a dialect")
}

/// Options for a fixture: its dialect, plus the JSON object on a first line
/// `-- options: {...}` if there is one.
pub fn fixture_options(dialect: Dialect, sql: &str) -> Options {
    let mut value = serde_json::json!({ "dialect": dialect.name() });
    if let Some(json) = sql
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("-- options:"))
    {
        let extra: serde_json::Value =
            serde_json::from_str(json.trim()).expect("options header is JSON");
        for (k, v) in extra.as_object().expect("options header is an object") {
            value[k] = v.clone();
        }
    }
    Options::from_json(&value.to_string()).expect("valid options")
}

/// The SQL statements of `sql` that sqlparser cannot read in `dialect`, ignoring client
/// commands and the idempotent forms sqlparser is known not to read (Databricks REPLACE WHERE).
pub fn unparsable_statements(sql: &str, dialect: Dialect) -> Vec<String> {
    let pd = dialect.parser_dialect();
    sql_statements(sql, dialect)
        .into_iter()
        .filter(|code| {
            let readable = match dialect {
                Dialect::Mysql | Dialect::Mariadb => without_version_markers(code, dialect),
                _ => code.clone(),
            };
            // Driver parameters and templates as idemsql reads them (`%s` is no SQL).
            let readable = idemsql::parser_view(&readable, dialect);
            Parser::parse_sql(&*pd, &readable).is_err()
        })
        .filter(|code| !is_known_unreadable(code))
        .collect()
}

/// `code` with the openers (`/*!50705`, `/*M!100100`) and closers of MySQL version comments
/// blanked, as the server reads it (a statement's code may start or end inside one). Other
/// comments and quoted text are skipped over.
/// Which comments hold code is the server's rule: MariaDB reads MySQL 5.7+ ones (`/*!50700`
/// and up) as comments, MySQL has no `/*M!`.
pub fn without_version_markers(code: &str, dialect: Dialect) -> String {
    let b = code.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let mariadb = dialect == Dialect::Mariadb;
    while i < b.len() {
        let rest = &code[i..];
        let opener = if let Some(after) = rest.strip_prefix("/*!") {
            let digits = after.bytes().take(5).take_while(u8::is_ascii_digit).count();
            let mysql57 = digits == 5 && after[..5] >= *"50700";
            (!(mariadb && mysql57)).then_some(3)
        } else {
            (mariadb && rest.starts_with("/*M!")).then_some(4)
        };
        if let Some(bang) = opener {
            let max = if mariadb { 6 } else { 5 };
            let digits = rest[bang..]
                .bytes()
                .take(max)
                .take_while(u8::is_ascii_digit)
                .count();
            out[i..i + bang + digits].fill(b' ');
            i += bang + digits;
        } else if rest.starts_with("*/") {
            // Outside other comments, `*/` closes a version comment (the code may start in one).
            out[i..i + 2].fill(b' ');
            i += 2;
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |e| e + 2);
        } else if b[i] == b'\'' || b[i] == b'"' || b[i] == b'`' {
            let q = b[i];
            i += 1;
            while i < b.len() && b[i] != q {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
        } else {
            i += 1;
        }
    }
    String::from_utf8(out).expect("only ASCII bytes were blanked")
}

/// The code of each SQL statement of `sql` (client commands left out), cut the way idemsql
/// cuts them (T-SQL statements without `;` between them included).
pub fn sql_statements(sql: &str, dialect: Dialect) -> Vec<String> {
    statements(sql, dialect)
        .into_iter()
        .filter(|s| s.kind == StatementKind::Sql)
        .map(|s| sql[s.code.start..s.code.end].to_string())
        .collect()
}

/// Forms the databases document that sqlparser 0.64 cannot read (dialects.md §16): Databricks
/// `INSERT INTO t REPLACE WHERE` (with or without a `WITH` before it), and the column list
/// after a static partition spec (Spark, Databricks), ClickHouse INSERT settings.
fn is_known_unreadable(code: &str) -> bool {
    let upper = code.to_ascii_uppercase();
    let words: Vec<&str> = upper.split_whitespace().collect();
    let replace_where = words.windows(2).any(|w| w == ["REPLACE", "WHERE"])
        && words.windows(2).any(|w| w == ["INSERT", "INTO"]);
    let partition_columns = upper.starts_with("INSERT OVERWRITE TABLE")
        && upper
            .split_once(" PARTITION (")
            .and_then(|(_, rest)| rest.split_once(')'))
            .is_some_and(|(_, after)| after.trim_start().starts_with('('));
    // ClickHouse `INSERT INTO t (cols) SETTINGS k = v VALUES ...` (sqlparser drops the source).
    let insert_settings = upper.starts_with("INSERT") && words.contains(&"SETTINGS");
    replace_where || partition_columns || insert_settings
}

/// The folder of the Chinook sample scripts (third-party, not in the repository), named by
/// `IDEMSQL_CHINOOK_DIR`; `None` when it is not set, and the caller says the test did not run.
/// `.ci/run` sets it and fails when the folder is missing, so CI always runs these tests.
pub fn chinook_dir() -> Option<std::path::PathBuf> {
    match std::env::var_os("IDEMSQL_CHINOOK_DIR") {
        Some(d) if !d.is_empty() => Some(d.into()),
        _ => {
            eprintln!(
                "NOT RUN: this test reads the Chinook sample scripts; set IDEMSQL_CHINOOK_DIR to their folder"
            );
            None
        }
    }
}

/// The code of each SQL statement of `sql` whose first word is one of `words`.
pub fn statements_starting_with(sql: &str, dialect: Dialect, words: &[&str]) -> Vec<String> {
    sql_statements(sql, dialect)
        .into_iter()
        .filter(|code| {
            let first = code.split_whitespace().next().unwrap_or("");
            words.iter().any(|w| first.eq_ignore_ascii_case(w))
        })
        .collect()
}

/// `sql` with every statement whose first word is one of `words` cut out (comments, other
/// statements and client commands stay).
pub fn without_statements(sql: &str, dialect: Dialect, words: &[&str]) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for s in statements(sql, dialect) {
        let code = &sql[s.code.start..s.code.end];
        let first = code.split_whitespace().next().unwrap_or("");
        if s.kind == StatementKind::Sql && words.iter().any(|w| first.eq_ignore_ascii_case(w)) {
            let span = s.span();
            out.push_str(&sql[pos..span.start]);
            pos = span.end;
        }
    }
    out.push_str(&sql[pos..]);
    out
}

/// `code` with every driver parameter written as the literal `0` and every template construct
/// as idemsql reads it (a name or a comment): plain SQL, for a validator that knows neither
/// (sqlglot reads `%s` in some dialects, `{{ }}` in none).
pub fn with_literal_parameters(code: &str, dialect: Dialect) -> String {
    let view = idemsql::parser_view(code, dialect);
    let mut out = String::with_capacity(view.len());
    let mut rest = view.as_str();
    while let Some(i) = rest.find("__idem_") {
        let (head, tail) = rest.split_at(i);
        let sigil = head.chars().last().filter(|c| *c == '$' || *c == ':');
        let kind = tail.as_bytes().get(7).copied();
        let digits = tail[8.min(tail.len())..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let value = sigil.is_some()
            && matches!(kind, Some(b'p' | b'n'))
            && digits > 0
            && tail.as_bytes().get(8 + digits) == Some(&b'_');
        if value {
            out.push_str(&head[..head.len() - 1]);
            out.push('0');
            rest = &tail[8 + digits + 1..];
        } else {
            out.push_str(head);
            out.push_str("__idem_");
            rest = &tail[7..];
        }
    }
    out.push_str(rest);
    out
}

/// A diagnostic as the snapshots show it: `line:column severity CODE message [fix: title]`.
pub fn describe(d: &idemsql::Diagnostic) -> String {
    let fix = d
        .fix
        .as_ref()
        .map_or(String::new(), |f| format!(" [fix: {}]", f.message));
    format!(
        "{}:{} {} {} {}{}",
        d.start.line,
        d.start.column,
        d.severity.as_str(),
        d.code,
        d.message,
        fix
    )
}

/// The Python that has the `duckdb` package, which scripts/services.sh exports as
/// IDEMSQL_PYTHON and `idemsql test --db duckdb:...` runs; missing, it fails the test (unless
/// IDEMSQL_SKIP_ENGINES names duckdb).
pub fn duckdb_python() -> Option<String> {
    setting("IDEMSQL_PYTHON", "duckdb")
}

/// What services.sh exported in `var` for `engine`; None when IDEMSQL_SKIP_ENGINES names it.
fn setting(var: &str, engine: &str) -> Option<String> {
    let skip = std::env::var("IDEMSQL_SKIP_ENGINES").unwrap_or_default();
    if skip.split(',').any(|s| s.trim() == engine) {
        eprintln!("NOT RUN: {engine} (IDEMSQL_SKIP_ENGINES)");
        return None;
    }
    Some(std::env::var(var).unwrap_or_else(|_| {
        panic!("{var} is not set: start the servers with `eval \"$(scripts/services.sh start)\"`")
    }))
}

/// The server's URL from the settings scripts/services.sh exports; a missing server fails the
/// test (unless IDEMSQL_SKIP_ENGINES names it, for a local run without servers).
pub fn server(var: &str, engine: &str) -> Option<String> {
    let settings = setting(var, engine)?;
    if settings.contains("://") {
        return Some(settings);
    }
    // libpq's `key=value` form, as services.sh writes it for PostgreSQL.
    let get = |key: &str| {
        settings
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
            .unwrap_or_default()
            .to_string()
    };
    Some(format!(
        "postgres://{}@{}:{}/{}",
        get("user"),
        get("host"),
        get("port"),
        get("dbname")
    ))
}
