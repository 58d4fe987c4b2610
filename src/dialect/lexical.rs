//! How each dialect's text is tokenized: comments, quotes, string escapes.

use super::Dialect;
use crate::text::lexer::LexOptions;

/// Backslash escapes and `"..."` strings (MySQL, BigQuery, Spark, Hive).
const BACKSLASH_STRINGS: LexOptions = LexOptions {
    backslash_escapes: true,
    double_quote_is_string: true,
    ..LexOptions::STANDARD
};

pub(super) fn of(dialect: Dialect) -> LexOptions {
    match dialect {
        // `$tag$ ... $tag$` strings and nesting block comments.
        Dialect::Postgres | Dialect::Duckdb => LexOptions {
            dollar_quotes: true,
            nested_comments: true,
            ..LexOptions::STANDARD
        },
        // `[name]` is a quoted identifier.
        Dialect::Sqlite | Dialect::Mssql => LexOptions {
            bracket_idents: true,
            ..LexOptions::STANDARD
        },
        // `#` starts a comment; `/*!50705 ... */` (and MariaDB's `/*M!100100 ... */`) hold SQL
        // the server runs when its version is at least the number (mysqldump writes them).
        Dialect::Mysql | Dialect::Mariadb => LexOptions {
            hash_comments: true,
            version_comments: true,
            ..BACKSLASH_STRINGS
        },
        // Triple-quoted strings.
        Dialect::Bigquery => LexOptions {
            triple_quotes: true,
            ..BACKSLASH_STRINGS
        },
        Dialect::Databricks | Dialect::Spark | Dialect::Hive => BACKSLASH_STRINGS,
        Dialect::Clickhouse => LexOptions {
            backslash_escapes: true,
            ..LexOptions::STANDARD
        },
        Dialect::Snowflake | Dialect::Oracle | Dialect::Redshift | Dialect::Trino => {
            LexOptions::STANDARD
        }
    }
}
