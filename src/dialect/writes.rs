//! The forms the INSERT strategies take in each dialect, and how keys are compared.

use super::Dialect;

/// The forms of the INSERT strategies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Writes {
    pub upsert: UpsertForm,
    pub ignore: IgnoreForm,
    pub overwrite: OverwriteForm,
    /// How the insert-if-absent form tests that a key is missing.
    pub absent: AbsentTest,
    /// How two key values are compared so that NULL equals NULL.
    pub null_safe: NullSafeEq,
    /// Column types (lower case, without `[]`) that cannot be compared with `=`: an upsert's
    /// "did the row change" test compares them as text (`CAST(c AS text)`).
    pub incomparable: &'static [&'static str],
    /// How "the row differs from the incoming one" is written over several columns.
    pub row_differs: RowDiffers,
    /// Settings the INSERT of a delete-then-insert needs (ClickHouse: a rerun's identical block
    /// would be dropped by insert deduplication after the DELETE, losing the partition).
    pub overwrite_insert_settings: Option<&'static str>,
    /// `INSERT OVERWRITE ... PARTITION (...) (col, ...)` takes a column list (Spark 3, Databricks; not Hive).
    pub overwrite_column_list: bool,
    /// `ON CONFLICT` after `SELECT ... FROM t` reads as a join's `ON` unless a WHERE comes
    /// first (SQLite's "parsing ambiguity").
    pub on_conflict_after_from_needs_where: bool,
}

/// How a dialect writes "insert, or update the existing row".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UpsertForm {
    /// `ON CONFLICT (k) DO UPDATE SET c = EXCLUDED.c` (PostgreSQL, SQLite, DuckDB).
    OnConflict,
    /// `VALUES (...) AS new ON DUPLICATE KEY UPDATE c = new.c` (MySQL 8.0.19+).
    DuplicateKeyRowAlias,
    /// `ON DUPLICATE KEY UPDATE c = VALUE(c)` (MariaDB: no row alias).
    DuplicateKeyValueFn,
    /// `MERGE INTO ...` (everything with MERGE and no native upsert).
    Merge,
    /// `DELETE` the rows with the incoming keys, then `INSERT`, in one transaction (Redshift,
    /// whose MERGE reads only from a table, never from a query or VALUES).
    DeleteInsert,
    /// No upsert at all (ClickHouse).
    None,
}

/// How a dialect writes "insert unless the row exists".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IgnoreForm {
    /// `ON CONFLICT (k) DO NOTHING`.
    OnConflictDoNothing,
    /// `ON DUPLICATE KEY UPDATE k = k`: a no-op update (never `INSERT IGNORE`, which hides other errors).
    DuplicateKeyNoop,
    /// `MERGE` with only a `WHEN NOT MATCHED THEN INSERT` arm.
    MergeInsertOnly,
    /// `INSERT ... SELECT ... WHERE NOT EXISTS (...)`.
    NotExists,
}

/// How a dialect replaces the partitions a statement writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OverwriteForm {
    /// `DELETE` the partitions then `INSERT`, inside the dialect's transaction when it has one.
    DeleteInsert,
    /// `INSERT OVERWRITE TABLE t PARTITION (p = 'v') SELECT ...` (Hive, Spark).
    InsertOverwritePartition,
    /// `INSERT INTO t REPLACE WHERE <pred> SELECT ...` (Databricks Delta).
    ReplaceWhere,
    /// One `MERGE ... ON FALSE WHEN NOT MATCHED BY SOURCE AND <pred> THEN DELETE WHEN NOT MATCHED THEN INSERT` (BigQuery).
    MergeBySource,
}

/// How the insert-if-absent form skips rows whose key is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AbsentTest {
    /// `WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.k = s.k)`.
    NotExists,
    /// `WHERE s.k NOT IN (SELECT k FROM t)` (ClickHouse, which has no correlated subqueries).
    NotIn,
}

/// How an upsert tests that an existing row differs from the incoming one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowDiffers {
    /// `a1 IS DISTINCT FROM b1 OR a2 IS DISTINCT FROM b2`, in the dialect's NULL-safe spelling.
    EachColumn,
    /// `EXISTS (SELECT a1, a2 EXCEPT SELECT b1, b2)`: NULL-safe in every SQL Server version
    /// (`IS DISTINCT FROM` only since 2022).
    ExceptExists,
}

/// How the dialect compares two values so that `NULL` equals `NULL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NullSafeEq {
    /// `a IS NOT DISTINCT FROM b`.
    IsNotDistinctFrom,
    /// `a <=> b`.
    Spaceship,
    /// `a IS b` (SQLite).
    Is,
    /// `DECODE(a, b, 1, 0) = 1` (Oracle).
    Decode,
    /// `(a = b OR (a IS NULL AND b IS NULL))`: the portable fallback.
    OrIsNull,
}

impl NullSafeEq {
    /// `a = b`, or its NULL-safe form when `safe`.
    pub fn eq(self, a: &str, b: &str, safe: bool) -> String {
        if !safe {
            return format!("{a} = {b}");
        }
        match self {
            NullSafeEq::IsNotDistinctFrom => format!("{a} IS NOT DISTINCT FROM {b}"),
            NullSafeEq::Spaceship => format!("{a} <=> {b}"),
            NullSafeEq::Is => format!("{a} IS {b}"),
            NullSafeEq::Decode => format!("DECODE({a}, {b}, 1, 0) = 1"),
            NullSafeEq::OrIsNull => format!("({a} = {b} OR ({a} IS NULL AND {b} IS NULL))"),
        }
    }
}

impl NullSafeEq {
    /// `a` and `b` differ, NULL-safely and two-valued (a NULL compared with a value is a
    /// difference, never UNKNOWN): the condition under which an upsert updates a row.
    pub fn distinct(self, a: &str, b: &str) -> String {
        match self {
            NullSafeEq::IsNotDistinctFrom => format!("{a} IS DISTINCT FROM {b}"),
            NullSafeEq::Spaceship => format!("NOT ({a} <=> {b})"),
            NullSafeEq::Is => format!("{a} IS NOT {b}"),
            NullSafeEq::Decode => format!("DECODE({a}, {b}, 1, 0) = 0"),
            NullSafeEq::OrIsNull => format!(
                "({a} <> {b} OR ({a} IS NULL AND {b} IS NOT NULL) OR ({a} IS NOT NULL AND {b} IS NULL))"
            ),
        }
    }
}

/// The standard SQL forms; dialects override what differs.
const STANDARD: Writes = Writes {
    upsert: UpsertForm::Merge,
    ignore: IgnoreForm::MergeInsertOnly,
    overwrite: OverwriteForm::DeleteInsert,
    absent: AbsentTest::NotExists,
    null_safe: NullSafeEq::IsNotDistinctFrom,
    incomparable: &[],
    row_differs: RowDiffers::EachColumn,
    overwrite_insert_settings: None,
    overwrite_column_list: false,
    on_conflict_after_from_needs_where: false,
};

/// `ON CONFLICT` upserts (PostgreSQL, SQLite, DuckDB).
const ON_CONFLICT: Writes = Writes {
    upsert: UpsertForm::OnConflict,
    ignore: IgnoreForm::OnConflictDoNothing,
    ..STANDARD
};

pub(super) fn of(dialect: Dialect) -> Writes {
    match dialect {
        // `json`, `xml` and the geometric types have no equality operator.
        Dialect::Postgres => Writes {
            incomparable: &[
                "json", "xml", "point", "line", "lseg", "box", "path", "polygon", "circle",
            ],
            ..ON_CONFLICT
        },
        Dialect::Duckdb => ON_CONFLICT,
        Dialect::Sqlite => Writes {
            null_safe: NullSafeEq::Is,
            on_conflict_after_from_needs_where: true,
            ..ON_CONFLICT
        },
        Dialect::Mysql | Dialect::Mariadb => Writes {
            upsert: if dialect == Dialect::Mariadb {
                UpsertForm::DuplicateKeyValueFn
            } else {
                UpsertForm::DuplicateKeyRowAlias
            },
            ignore: IgnoreForm::DuplicateKeyNoop,
            null_safe: NullSafeEq::Spaceship,
            ..STANDARD
        },
        Dialect::Snowflake | Dialect::Trino => STANDARD,
        Dialect::Bigquery => Writes {
            overwrite: OverwriteForm::MergeBySource,
            ..STANDARD
        },
        Dialect::Mssql => Writes {
            null_safe: NullSafeEq::OrIsNull,
            row_differs: RowDiffers::ExceptExists,
            ..STANDARD
        },
        Dialect::Oracle => Writes {
            null_safe: NullSafeEq::Decode,
            ..STANDARD
        },
        Dialect::Databricks | Dialect::Spark => Writes {
            overwrite: if dialect == Dialect::Databricks {
                OverwriteForm::ReplaceWhere
            } else {
                OverwriteForm::InsertOverwritePartition
            },
            null_safe: NullSafeEq::Spaceship,
            overwrite_column_list: true,
            ..STANDARD
        },
        Dialect::Hive => Writes {
            overwrite: OverwriteForm::InsertOverwritePartition,
            null_safe: NullSafeEq::Spaceship,
            ..STANDARD
        },
        Dialect::Redshift => Writes {
            upsert: UpsertForm::DeleteInsert,
            ignore: IgnoreForm::NotExists,
            null_safe: NullSafeEq::OrIsNull,
            ..STANDARD
        },
        Dialect::Clickhouse => Writes {
            upsert: UpsertForm::None,
            ignore: IgnoreForm::NotExists,
            absent: AbsentTest::NotIn,
            null_safe: NullSafeEq::OrIsNull,
            overwrite_insert_settings: Some("SETTINGS insert_deduplicate = 0"),
            ..STANDARD
        },
    }
}
