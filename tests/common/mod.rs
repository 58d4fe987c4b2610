//! Helpers shared by the integration tests.
#![allow(dead_code)]

use idemsql::source::lexer::LexOptions;
use idemsql::source::split::{ChunkKind, split};
use idemsql::{Dialect, Options};
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
    let lex = LexOptions::from(&dialect.caps());
    split(sql, lex)
        .into_iter()
        .filter(|c| c.kind == ChunkKind::Sql)
        .map(|c| c.code(sql).to_string())
        .filter(|code| Parser::parse_sql(&*pd, code).is_err())
        // T-SQL statements without `;` between them, read the way idemsql reads them.
        .filter(|code| {
            !(dialect.caps().go_batches
                && idemsql::source::split::split_unterminated(
                    code,
                    &idemsql::source::lexer::code_tokens(code, lex),
                    &*pd,
                )
                .is_some())
        })
        .filter(|code| !is_known_unreadable(code))
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

/// The folder of the Chinook sample scripts: `IDEMSQL_CHINOOK_DIR`, else the workplace's shared
/// corpus next to the repository. A missing corpus fails the test; it is never skipped.
pub fn chinook_dir() -> std::path::PathBuf {
    if let Ok(d) = std::env::var("IDEMSQL_CHINOOK_DIR") {
        return d.into();
    }
    let candidates = [
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/chinook"),
        std::path::PathBuf::from("/work/shared/corpus/chinook"),
    ];
    for c in &candidates {
        if c.join("Chinook_Sqlite.sql").is_file() {
            return c.clone();
        }
    }
    panic!(
        "the Chinook corpus was not found (looked in {:?}); set IDEMSQL_CHINOOK_DIR",
        candidates
    );
}

/// The code of each SQL statement of `sql` whose first word is one of `words`.
pub fn statements_starting_with(sql: &str, dialect: Dialect, words: &[&str]) -> Vec<String> {
    let lex = LexOptions::from(&dialect.caps());
    split(sql, lex)
        .into_iter()
        .filter(|c| c.kind == ChunkKind::Sql)
        .map(|c| c.code(sql).to_string())
        .filter(|code| {
            let first = code.split_whitespace().next().unwrap_or("");
            words.iter().any(|w| first.eq_ignore_ascii_case(w))
        })
        .collect()
}

/// `sql` with every statement whose first word is one of `words` cut out (comments, other
/// statements and client commands stay).
pub fn without_statements(sql: &str, dialect: Dialect, words: &[&str]) -> String {
    let lex = LexOptions::from(&dialect.caps());
    let mut out = String::new();
    let mut pos = 0;
    for c in split(sql, lex) {
        let code = c.code(sql);
        let first = code.split_whitespace().next().unwrap_or("");
        if c.kind == ChunkKind::Sql && words.iter().any(|w| first.eq_ignore_ascii_case(w)) {
            out.push_str(&sql[pos..c.span.start]);
            pos = c.span.end;
        }
    }
    out.push_str(&sql[pos..]);
    out
}
