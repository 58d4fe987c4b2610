//! The shape of the capability table: what can differ between dialects, grouped by concern.
//! The values are in `table.rs`.

use crate::text::lexer::LexOptions;

/// Everything that differs between dialects, in one place.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caps {
    /// How the text is tokenized: comments, quotes, string escapes.
    pub lex: LexOptions,
    /// How names are quoted, folded and qualified.
    pub names: NameRules,
    /// What a script is made of besides statements: transactions, batches.
    pub script: Script,
    /// The forms the INSERT strategies take.
    pub writes: Writes,
    /// How a MERGE is spelled, where the dialect has one.
    pub merge: Option<MergeStyle>,
    /// How rows become a derived table the other forms can read.
    pub rows: Rows,
    /// How two values are compared so that NULL equals NULL.
    pub null_safe: NullSafeEq,
    /// What makes DDL safe to rerun.
    pub ddl: DdlGuards,
}

/// How names are written and compared.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameRules {
    /// The quote used when idemsql writes a name that needs quoting.
    pub quote: (char, char),
    pub folding: CaseFolding,
    /// The schema an unqualified name lives in by default (`public`, `dbo`, `main`).
    pub default_schema: Option<&'static str>,
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

/// What a script is made of besides statements.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Script {
    pub transaction: Transaction,
    /// Statements of a batch may go without `;` between them (SQL Server tools, `GO` batches).
    pub unterminated_batches: bool,
}

/// How a transaction is opened and closed, when the dialect has statements for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Transaction {
    /// The statements that open a transaction (none where each statement commits alone,
    /// or where a transaction starts implicitly, as on Oracle).
    pub begin: &'static [&'static str],
    pub commit: Option<&'static str>,
}

impl Transaction {
    /// No statements: each statement commits alone, or the script's own transaction holds.
    pub const NONE: Transaction = Transaction {
        begin: &[],
        commit: None,
    };
}

/// The forms of the INSERT strategies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Writes {
    pub upsert: UpsertForm,
    pub ignore: IgnoreForm,
    pub overwrite: OverwriteForm,
    /// How the insert-if-absent form tests that a key is missing.
    pub absent: AbsentTest,
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

/// How a MERGE statement must be spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MergeStyle {
    /// The target may carry an alias (Redshift: no).
    pub target_alias: bool,
    /// Aliases are introduced with `AS` (Oracle: never).
    pub alias_as: bool,
    /// The ON condition is wrapped in parentheses (Oracle requires it).
    pub on_parens: bool,
    /// A table hint written right after the target name (`WITH (HOLDLOCK)` on SQL Server).
    pub target_hint: Option<&'static str>,
    /// The statement must end with `;` even when the input statement had none (SQL Server).
    pub needs_terminator: bool,
    /// `WHEN NOT MATCHED BY SOURCE` is accepted.
    pub by_source: bool,
    /// `SET` targets may (SQL Server, Snowflake, Oracle) or must not (PostgreSQL, Redshift, Hive) be qualified.
    pub qualify_set_targets: bool,
    /// A `WITH` clause may stay in front of `MERGE` (SQL Server, where a CTE cannot sit in a derived table).
    pub with_before_merge: bool,
    /// A MERGE may have only a `WHEN NOT MATCHED` arm (Redshift pairs MATCHED and NOT MATCHED).
    pub insert_only_allowed: bool,
    /// The source must be a table, not a subquery, VALUES or CTE (Redshift).
    pub source_must_be_table: bool,
    /// `WHEN MATCHED THEN UPDATE` may set partition columns (Hive cannot).
    pub updates_partition: bool,
}

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

/// What makes each kind of DDL safe to rerun: `None`/`false` where the dialect has no form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DdlGuards {
    /// `CREATE TABLE IF NOT EXISTS`.
    pub create_table: bool,
    /// `CREATE INDEX IF NOT EXISTS` (named indexes).
    pub create_index: bool,
    /// How a plain (not materialized) view is created again.
    pub create_view: Option<Recreate>,
    /// `CREATE SCHEMA IF NOT EXISTS`.
    pub create_schema: bool,
    /// `CREATE DATABASE IF NOT EXISTS`.
    pub create_database: bool,
    /// `CREATE SEQUENCE IF NOT EXISTS`.
    pub create_sequence: bool,
    /// How a function is created again.
    pub create_function: Option<Recreate>,
    /// How a trigger is created again.
    pub create_trigger: Option<Recreate>,
    /// `DROP ... IF EXISTS`.
    pub drop_if_exists: bool,
    /// `ALTER TABLE ... ADD COLUMN IF NOT EXISTS`.
    pub add_column_if_not_exists: bool,
}

/// The words that make a CREATE rerun-safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recreate {
    /// `CREATE OR REPLACE` (inserted after CREATE).
    OrReplace,
    /// `CREATE OR ALTER` (SQL Server; inserted after CREATE).
    OrAlter,
    /// `CREATE VIEW IF NOT EXISTS` (inserted after the object word).
    IfNotExists,
}
