//! Statements that write rows besides `INSERT`, and what a rerun of a bulk load does.

use super::Dialect;

/// The statements that write rows, and how bulk loads behave when they run again.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Loads {
    /// Words that start a statement writing rows, besides the standard `INSERT`, `UPDATE`,
    /// `DELETE`, `MERGE` and `UPSERT`: `REPLACE` (MySQL, MariaDB, SQLite), `COPY`, `LOAD`
    /// (`LOAD DATA`), `BULK` (`BULK INSERT`).
    pub write_words: &'static [&'static str],
    /// What `COPY <table> FROM ...` does on a rerun.
    pub copy: CopyLoad,
    /// `LOAD DATA ... INTO TABLE t` appends unless it says `REPLACE`, `IGNORE` or `OVERWRITE`
    /// (MySQL and MariaDB `LOAD DATA INFILE`, Hive and Spark `LOAD DATA INPATH`, BigQuery
    /// `LOAD DATA INTO`).
    pub load_data: bool,
}

/// What `COPY` into a table does when it runs again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CopyLoad {
    /// No `COPY` that loads a table.
    None,
    /// `COPY t FROM 'file' | STDIN | 's3://...'` appends every row again (PostgreSQL,
    /// Redshift, DuckDB).
    Appends,
    /// `COPY INTO t FROM <location>` keeps load metadata and skips files it already loaded
    /// (for `days` days, when the metadata expires), unless `FORCE = TRUE` (Snowflake: 64 days;
    /// Databricks: `COPY_OPTIONS ('force' = 'true')`, metadata kept with the table).
    SkipsLoadedFiles { days: Option<u32> },
}

pub(super) fn of(dialect: Dialect) -> Loads {
    let (write_words, copy, load_data): (&'static [&'static str], CopyLoad, bool) = match dialect {
        Dialect::Postgres | Dialect::Redshift | Dialect::Duckdb => {
            (&["COPY"], CopyLoad::Appends, false)
        }
        Dialect::Mysql | Dialect::Mariadb => (&["REPLACE", "LOAD"], CopyLoad::None, true),
        Dialect::Sqlite => (&["REPLACE"], CopyLoad::None, false),
        Dialect::Snowflake => (
            &["COPY"],
            CopyLoad::SkipsLoadedFiles { days: Some(64) },
            false,
        ),
        Dialect::Databricks => (
            &["COPY", "LOAD"],
            CopyLoad::SkipsLoadedFiles { days: None },
            true,
        ),
        Dialect::Spark | Dialect::Hive | Dialect::Bigquery => (&["LOAD"], CopyLoad::None, true),
        Dialect::Mssql => (&["BULK"], CopyLoad::None, false),
        Dialect::Oracle | Dialect::Trino | Dialect::Clickhouse => (&[], CopyLoad::None, false),
    };
    Loads {
        write_words,
        copy,
        load_data,
    }
}
