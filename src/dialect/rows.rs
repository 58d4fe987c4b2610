//! How each dialect turns rows into a derived table the other forms read, and how that
//! table's columns get their types.

use super::Dialect;

/// How rows become a derived table, and how its columns get their types.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rows {
    /// How rows written as `VALUES (...), (...)` become a table.
    pub source: RowSource,
    /// Derived tables may rename their columns: `(query) AS s (c1, c2)`.
    pub derived_column_list: bool,
    /// A `WITH` clause may sit inside a derived table (not in SQL Server or Hive).
    pub cte_in_subquery: bool,
    /// Literals in a derived table keep their own type and do not adapt to the target's
    /// column types (PostgreSQL, DuckDB, Redshift, Trino, BigQuery).
    pub strict_types: bool,
    /// A derived table's column of bare NULLs gets a fixed type (text in PostgreSQL and
    /// Redshift, INT64 in BigQuery) that does not convert to the target column's.
    pub untyped_null_fixed: bool,
}

/// How rows written as `VALUES (...), (...)` become a table the MERGE can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowSource {
    /// `(VALUES (...), (...)) AS s (c1, c2)`.
    Values,
    /// `(SELECT v1 AS c1, v2 AS c2 UNION ALL SELECT ...) AS s`.
    SelectUnion,
    /// `(SELECT v1 AS c1 FROM dual UNION ALL ...) s` (Oracle before 23ai).
    SelectUnionDual,
}

/// `(VALUES ...) AS s (c1, c2)`, loosely typed, CTEs allowed inside.
const STANDARD: Rows = Rows {
    source: RowSource::Values,
    derived_column_list: true,
    cte_in_subquery: true,
    strict_types: false,
    untyped_null_fixed: false,
};

/// `(SELECT ... UNION ALL ...) AS s`, columns named by the first SELECT.
const SELECT_UNION: Rows = Rows {
    source: RowSource::SelectUnion,
    derived_column_list: false,
    ..STANDARD
};

pub(super) fn of(dialect: Dialect) -> Rows {
    match dialect {
        Dialect::Postgres => Rows {
            strict_types: true,
            untyped_null_fixed: true,
            ..STANDARD
        },
        Dialect::Duckdb | Dialect::Trino => Rows {
            strict_types: true,
            ..STANDARD
        },
        Dialect::Snowflake => STANDARD,
        // SQLite names no derived table's columns (`AS s (a, b)` is a syntax error).
        Dialect::Sqlite => SELECT_UNION,
        // MySQL 8 names a derived table's columns, `(q) AS dt (a, b)`; MariaDB 10 cannot
        // (MDEV-31466, 11.x).
        Dialect::Mysql => STANDARD,
        Dialect::Mariadb => Rows {
            derived_column_list: false,
            ..STANDARD
        },
        Dialect::Bigquery | Dialect::Redshift => Rows {
            strict_types: true,
            untyped_null_fixed: true,
            ..SELECT_UNION
        },
        Dialect::Mssql => Rows {
            cte_in_subquery: false,
            ..STANDARD
        },
        Dialect::Oracle => Rows {
            source: RowSource::SelectUnionDual,
            ..SELECT_UNION
        },
        Dialect::Databricks | Dialect::Spark => Rows {
            derived_column_list: true,
            ..SELECT_UNION
        },
        // "The WITH clause is not supported within SubQuery Blocks".
        Dialect::Hive => Rows {
            cte_in_subquery: false,
            ..SELECT_UNION
        },
        Dialect::Clickhouse => SELECT_UNION,
    }
}
