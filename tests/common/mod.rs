//! Helpers shared by the integration tests.
#![allow(dead_code)]

use idemsql::source::lexer::LexOptions;
use idemsql::source::split::{ChunkKind, split};
use idemsql::{Dialect, Options};
use sqlparser::parser::Parser;

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
        .filter(|code| !is_known_unreadable(code))
        .collect()
}

fn is_known_unreadable(code: &str) -> bool {
    let upper = code.to_ascii_uppercase();
    upper.starts_with("INSERT INTO")
        && (upper.contains(" REPLACE WHERE ") || upper.contains("\nREPLACE WHERE "))
}
