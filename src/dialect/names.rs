//! How each dialect quotes, folds and qualifies names.

use super::Dialect;

/// How names are written and compared.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameRules {
    /// The quote used when idemsql writes a name that needs quoting.
    pub quote: (char, char),
    pub folding: CaseFolding,
    /// The schema an unqualified name lives in by default (`public`, `dbo`, `main`).
    pub default_schema: Option<&'static str>,
    /// How many parts may stand before a table's own name: 1 where `a.t` is database.table
    /// (MySQL, Hive, ClickHouse) or schema.table (Oracle, SQLite); 2 where it is
    /// `database.schema.t` (PostgreSQL, SQL Server, Snowflake, DuckDB), `catalog.schema.t`
    /// (Databricks, Trino) or `project.dataset.t` (BigQuery).
    pub containers: usize,
    /// Which of those parts a bare `USE x` sets: 0 for the database (MySQL, SQL Server,
    /// Snowflake, DuckDB), the last for the schema (Databricks, Trino).
    pub use_sets: usize,
}

/// How unquoted identifiers are folded before they are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseFolding {
    /// Unquoted names fold to lower case, quoted names are exact (PostgreSQL, DuckDB, Trino).
    Lower,
    /// Unquoted names fold to upper case, quoted names are exact (Snowflake, Oracle).
    Upper,
    /// Every name compares case-insensitively, quoted or not (MySQL, SQLite, SQL Server, Hive...).
    Insensitive,
    /// Names compare exactly as written (ClickHouse).
    Sensitive,
}

const DOUBLE_QUOTES: (char, char) = ('"', '"');
const BACKTICKS: (char, char) = ('`', '`');

pub(super) fn of(dialect: Dialect) -> NameRules {
    let rules = |quote, folding, default_schema| NameRules {
        quote,
        folding,
        default_schema,
        containers: containers(dialect),
        use_sets: match dialect {
            Dialect::Databricks | Dialect::Trino => 1,
            _ => 0,
        },
    };
    match dialect {
        Dialect::Postgres => rules(DOUBLE_QUOTES, CaseFolding::Lower, Some("public")),
        Dialect::Sqlite | Dialect::Duckdb => {
            rules(DOUBLE_QUOTES, CaseFolding::Insensitive, Some("main"))
        }
        Dialect::Mysql
        | Dialect::Mariadb
        | Dialect::Bigquery
        | Dialect::Databricks
        | Dialect::Spark
        | Dialect::Hive => rules(BACKTICKS, CaseFolding::Insensitive, None),
        Dialect::Snowflake => rules(DOUBLE_QUOTES, CaseFolding::Upper, Some("PUBLIC")),
        Dialect::Mssql => rules(('[', ']'), CaseFolding::Insensitive, Some("dbo")),
        Dialect::Oracle => rules(DOUBLE_QUOTES, CaseFolding::Upper, None),
        // Redshift folds even quoted names unless enable_case_sensitive_identifier is on.
        Dialect::Redshift => rules(DOUBLE_QUOTES, CaseFolding::Insensitive, Some("public")),
        Dialect::Trino => rules(DOUBLE_QUOTES, CaseFolding::Insensitive, None),
        Dialect::Clickhouse => rules(BACKTICKS, CaseFolding::Sensitive, None),
    }
}

/// The parts before a table's name (see [`NameRules::containers`]).
fn containers(dialect: Dialect) -> usize {
    match dialect {
        Dialect::Mysql
        | Dialect::Mariadb
        | Dialect::Hive
        | Dialect::Spark
        | Dialect::Clickhouse
        | Dialect::Oracle
        | Dialect::Sqlite => 1,
        Dialect::Postgres
        | Dialect::Redshift
        | Dialect::Mssql
        | Dialect::Snowflake
        | Dialect::Duckdb
        | Dialect::Databricks
        | Dialect::Trino
        | Dialect::Bigquery => 2,
    }
}
