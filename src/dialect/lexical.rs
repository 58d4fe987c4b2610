//! How each dialect's text is tokenized: comments, quotes, string escapes.

use super::Dialect;
use crate::text::lexer::{LexOptions, VersionComments};

/// Backslash escapes and `"..."` strings (MySQL, BigQuery, Spark, Hive).
const BACKSLASH_STRINGS: LexOptions = LexOptions {
    backslash_escapes: true,
    double_quote_is_string: true,
    ..LexOptions::STANDARD
};

/// `$tag$ ... $tag$` strings and nesting block comments (PostgreSQL, DuckDB).
const DOLLAR_QUOTES: LexOptions = LexOptions {
    dollar_quotes: true,
    nested_comments: true,
    ..LexOptions::STANDARD
};

pub(super) fn of(dialect: Dialect) -> LexOptions {
    match dialect {
        // psql scripts (pg_dump) put `COPY ... FROM stdin` data right after the statement.
        Dialect::Postgres => LexOptions {
            copy_data: true,
            ..DOLLAR_QUOTES
        },
        Dialect::Duckdb => DOLLAR_QUOTES,
        // `[name]` is a quoted identifier.
        Dialect::Sqlite | Dialect::Mssql => LexOptions {
            bracket_idents: true,
            ..LexOptions::STANDARD
        },
        // `#` starts a comment; `/*!50705 ... */` holds SQL the server runs when its version is
        // at least the number (mysqldump writes them). idemsql writes for MySQL 8, which runs
        // every `/*!` comment mysqldump writes, and treats `/*M!` as a plain comment.
        Dialect::Mysql => LexOptions {
            hash_comments: true,
            version_comments: Some(VersionComments {
                bang_below: u32::MAX,
                six_digits: false,
                m_bang: false,
            }),
            ..BACKSLASH_STRINGS
        },
        // MariaDB runs `/*M!100100 ... */` from that version on, and `/*!NNNNN` only below
        // 50700: it reads MySQL 5.7+ version comments as comments (checked on 10.11). idemsql
        // writes for 10.x and later, so every `/*M!` and six-digit `/*!` holds code.
        Dialect::Mariadb => LexOptions {
            hash_comments: true,
            version_comments: Some(VersionComments {
                bang_below: 50700,
                six_digits: true,
                m_bang: true,
            }),
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
