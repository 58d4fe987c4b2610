//! The databases idemsql writes for, and the one table that says what each accepts.
//!
//! Every dialect-specific decision in the crate reads [`Dialect::caps`]; no other module
//! matches on a dialect to choose SQL syntax. The facts, with their sources, are collected in
//! `shared/design/dialects.md` (summarised in the README's dialect table).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::text::lexer::LexOptions;

/// A target database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    #[serde(alias = "postgresql", alias = "pg")]
    Postgres,
    #[serde(alias = "sqlite3")]
    Sqlite,
    Duckdb,
    Mysql,
    Mariadb,
    Snowflake,
    Bigquery,
    #[serde(alias = "sqlserver", alias = "tsql")]
    Mssql,
    Oracle,
    Databricks,
    Spark,
    Hive,
    Redshift,
    #[serde(alias = "athena")]
    Trino,
    Clickhouse,
}

/// How a dialect writes "insert, or update the existing row".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertForm {
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
pub enum IgnoreForm {
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
pub enum OverwriteForm {
    /// `DELETE` the partitions then `INSERT`, inside the dialect's transaction when it has one.
    DeleteInsert,
    /// `INSERT OVERWRITE TABLE t PARTITION (p = 'v') SELECT ...` (Hive, Spark).
    InsertOverwritePartition,
    /// `INSERT INTO t REPLACE WHERE <pred> SELECT ...` (Databricks Delta).
    ReplaceWhere,
    /// One `MERGE ... ON FALSE WHEN NOT MATCHED BY SOURCE AND <pred> THEN DELETE WHEN NOT MATCHED THEN INSERT` (BigQuery).
    MergeBySource,
}

/// How the dialect compares two values so that `NULL` equals `NULL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NullSafeEq {
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

/// How unquoted identifiers are folded before they are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseFolding {
    /// Unquoted names fold to lower case, quoted names are exact (PostgreSQL, DuckDB, Trino).
    Lower,
    /// Unquoted names fold to upper case, quoted names are exact (Snowflake, Oracle).
    Upper,
    /// Every name compares case-insensitively, quoted or not (MySQL, SQLite, SQL Server, Hive...).
    Insensitive,
    /// Names compare exactly as written (ClickHouse).
    Sensitive,
}

/// How a MERGE statement must be spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeStyle {
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
}

/// How rows written as `VALUES (...), (...)` become a table the MERGE can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowSource {
    /// `(VALUES (...), (...)) AS s (c1, c2)`.
    Values,
    /// `(SELECT v1 AS c1, v2 AS c2 UNION ALL SELECT ...) AS s`.
    SelectUnion,
    /// `(SELECT v1 AS c1 FROM dual UNION ALL ...) s` (Oracle before 23ai).
    SelectUnionDual,
}

/// How a transaction is opened and closed, when the dialect has statements for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transaction {
    /// The statements that open a transaction (none where each statement commits alone,
    /// or where a transaction starts implicitly, as on Oracle).
    pub begin: &'static [&'static str],
    pub commit: Option<&'static str>,
}

/// Everything that differs between dialects, in one place.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    pub upsert: UpsertForm,
    pub ignore: IgnoreForm,
    pub merge: Option<MergeStyle>,
    pub overwrite: OverwriteForm,
    pub transaction: Transaction,
    pub null_safe: NullSafeEq,
    /// The quote used when idemsql writes a name that needs quoting.
    pub quote: (char, char),
    pub folding: CaseFolding,
    /// Derived tables may rename their columns: `(query) AS s (c1, c2)`.
    pub derived_column_list: bool,
    pub row_source: RowSource,
    /// `RETURNING` may follow the upsert form.
    pub returning_with_upsert: bool,
    /// `CREATE TABLE/INDEX/VIEW IF NOT EXISTS`, `DROP ... IF EXISTS`, `ADD COLUMN IF NOT EXISTS` are accepted.
    pub if_not_exists_table: bool,
    pub if_not_exists_index: bool,
    pub or_replace_view: bool,
    pub if_exists_drop: bool,
    pub add_column_if_not_exists: bool,
    /// `DELETE` must have a `WHERE` clause (BigQuery).
    pub delete_needs_where: bool,
    /// `#` starts a comment (MySQL family).
    pub hash_comments: bool,
    /// Backslash escapes inside string literals (MySQL family, Hive, Spark, BigQuery).
    pub backslash_escapes: bool,
    /// `$tag$ ... $tag$` strings (PostgreSQL family, DuckDB).
    pub dollar_quotes: bool,
    /// Block comments nest (PostgreSQL, DuckDB).
    pub nested_comments: bool,
    /// `[name]` is a quoted identifier (SQL Server, SQLite).
    pub bracket_idents: bool,
    /// `"..."` is a string, not a name (MySQL family, BigQuery, Hive, Spark, Databricks).
    pub double_quote_is_string: bool,
    /// A `GO` line separates batches (SQL Server tools).
    pub go_batches: bool,
    /// Settings the INSERT of a delete-then-insert needs (ClickHouse: a rerun's identical block
    /// would be dropped by insert deduplication after the DELETE, losing the partition).
    pub overwrite_insert_settings: Option<&'static str>,
    /// Literals in a derived table keep their own type and do not adapt to the target's
    /// column types (PostgreSQL, DuckDB, Redshift, Trino, BigQuery).
    pub strict_types: bool,
    /// A derived table's column of bare NULLs gets a fixed type (text in PostgreSQL and
    /// Redshift, INT64 in BigQuery) that does not convert to the target column's.
    pub untyped_null_fixed: bool,
    /// A `WITH` clause may sit inside a derived table (not in SQL Server or Hive).
    pub cte_in_subquery: bool,
    /// MERGE may update partition columns (Hive cannot).
    pub merge_updates_partition: bool,
    /// The schema an unqualified name lives in by default (`public`, `dbo`, `main`).
    pub default_schema: Option<&'static str>,
    /// `INSERT OVERWRITE ... PARTITION (...) (col, ...)` takes a column list (Spark 3, Databricks; not Hive).
    pub overwrite_column_list: bool,
    /// Triple-quoted strings (BigQuery); elsewhere three quotes start a string with a quote in it.
    pub triple_quotes: bool,
}

/// The standard MERGE spelling; dialects override what differs.
pub(crate) const MERGE_STD: MergeStyle = MergeStyle {
    target_alias: true,
    alias_as: true,
    on_parens: false,
    target_hint: None,
    needs_terminator: false,
    by_source: false,
    qualify_set_targets: false,
    with_before_merge: false,
    insert_only_allowed: true,
    source_must_be_table: false,
};

const BASE: Caps = Caps {
    upsert: UpsertForm::Merge,
    ignore: IgnoreForm::MergeInsertOnly,
    merge: Some(MERGE_STD),
    overwrite: OverwriteForm::DeleteInsert,
    transaction: Transaction {
        begin: &["BEGIN TRANSACTION"],
        commit: Some("COMMIT"),
    },
    null_safe: NullSafeEq::IsNotDistinctFrom,
    quote: ('"', '"'),
    folding: CaseFolding::Lower,
    derived_column_list: true,
    row_source: RowSource::Values,
    returning_with_upsert: false,
    if_not_exists_table: true,
    if_not_exists_index: true,
    or_replace_view: true,
    if_exists_drop: true,
    add_column_if_not_exists: false,
    delete_needs_where: false,
    hash_comments: false,
    backslash_escapes: false,
    dollar_quotes: false,
    nested_comments: false,
    bracket_idents: false,
    double_quote_is_string: false,
    go_batches: false,
    overwrite_insert_settings: None,
    strict_types: false,
    untyped_null_fixed: false,
    cte_in_subquery: true,
    merge_updates_partition: true,
    default_schema: None,
    overwrite_column_list: false,
    triple_quotes: false,
};

impl Dialect {
    /// Every dialect, in the order the README lists them.
    pub const ALL: [Dialect; 15] = [
        Dialect::Postgres,
        Dialect::Sqlite,
        Dialect::Duckdb,
        Dialect::Mysql,
        Dialect::Mariadb,
        Dialect::Snowflake,
        Dialect::Bigquery,
        Dialect::Mssql,
        Dialect::Oracle,
        Dialect::Databricks,
        Dialect::Spark,
        Dialect::Hive,
        Dialect::Redshift,
        Dialect::Trino,
        Dialect::Clickhouse,
    ];

    /// The name used in options, config files and directives.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Sqlite => "sqlite",
            Dialect::Duckdb => "duckdb",
            Dialect::Mysql => "mysql",
            Dialect::Mariadb => "mariadb",
            Dialect::Snowflake => "snowflake",
            Dialect::Bigquery => "bigquery",
            Dialect::Mssql => "mssql",
            Dialect::Oracle => "oracle",
            Dialect::Databricks => "databricks",
            Dialect::Spark => "spark",
            Dialect::Hive => "hive",
            Dialect::Redshift => "redshift",
            Dialect::Trino => "trino",
            Dialect::Clickhouse => "clickhouse",
        }
    }

    /// The sqlparser dialect used to read and re-read this dialect's SQL.
    pub fn parser_dialect(self) -> Box<dyn sqlparser::dialect::Dialect> {
        use sqlparser::dialect as d;
        match self {
            Dialect::Postgres => Box::new(d::PostgreSqlDialect {}),
            Dialect::Sqlite => Box::new(d::SQLiteDialect {}),
            Dialect::Duckdb => Box::new(d::DuckDbDialect {}),
            // sqlparser has no MariaDB dialect; MySQL's reads MariaDB's INSERT forms.
            Dialect::Mysql | Dialect::Mariadb => Box::new(d::MySqlDialect {}),
            Dialect::Snowflake => Box::new(d::SnowflakeDialect {}),
            Dialect::Bigquery => Box::new(d::BigQueryDialect {}),
            Dialect::Mssql => Box::new(d::MsSqlDialect {}),
            Dialect::Oracle => Box::new(d::OracleDialect {}),
            Dialect::Databricks => Box::new(d::DatabricksDialect {}),
            Dialect::Spark => Box::new(d::SparkSqlDialect {}),
            Dialect::Hive => Box::new(d::HiveDialect {}),
            Dialect::Redshift => Box::new(d::RedshiftSqlDialect {}),
            // sqlparser has no Trino dialect; ANSI reads Trino's MERGE and transactions.
            Dialect::Trino => Box::new(d::AnsiDialect {}),
            Dialect::Clickhouse => Box::new(d::ClickHouseDialect {}),
        }
    }

    /// The capability table: what this dialect accepts.
    pub fn caps(self) -> Caps {
        match self {
            Dialect::Postgres => Caps {
                upsert: UpsertForm::OnConflict,
                ignore: IgnoreForm::OnConflictDoNothing,
                transaction: Transaction {
                    begin: &["BEGIN"],
                    commit: Some("COMMIT"),
                },
                returning_with_upsert: true,
                add_column_if_not_exists: true,
                dollar_quotes: true,
                nested_comments: true,
                default_schema: Some("public"),
                strict_types: true,
                untyped_null_fixed: true,
                ..BASE
            },
            Dialect::Sqlite => Caps {
                upsert: UpsertForm::OnConflict,
                ignore: IgnoreForm::OnConflictDoNothing,
                merge: None,
                transaction: Transaction {
                    begin: &["BEGIN"],
                    commit: Some("COMMIT"),
                },
                null_safe: NullSafeEq::Is,
                folding: CaseFolding::Insensitive,
                returning_with_upsert: true,
                or_replace_view: false,
                bracket_idents: true,
                default_schema: Some("main"),
                ..BASE
            },
            Dialect::Duckdb => Caps {
                upsert: UpsertForm::OnConflict,
                ignore: IgnoreForm::OnConflictDoNothing,
                returning_with_upsert: true,
                folding: CaseFolding::Insensitive,
                add_column_if_not_exists: true,
                dollar_quotes: true,
                nested_comments: true,
                default_schema: Some("main"),
                strict_types: true,
                ..BASE
            },
            Dialect::Mysql | Dialect::Mariadb => Caps {
                upsert: if self == Dialect::Mysql {
                    UpsertForm::DuplicateKeyRowAlias
                } else {
                    UpsertForm::DuplicateKeyValueFn
                },
                ignore: IgnoreForm::DuplicateKeyNoop,
                merge: None,
                transaction: Transaction {
                    begin: &["START TRANSACTION"],
                    commit: Some("COMMIT"),
                },
                null_safe: NullSafeEq::Spaceship,
                quote: ('`', '`'),
                folding: CaseFolding::Insensitive,
                // MySQL 8 names a derived table's columns, `(q) AS dt (a, b)`; MariaDB 10
                // cannot (MDEV-31466, 11.x).
                derived_column_list: self == Dialect::Mysql,
                // MariaDB reads `ADD COLUMN IF NOT EXISTS`; MySQL 8 does not.
                add_column_if_not_exists: self == Dialect::Mariadb,
                // MySQL 8 has no `CREATE INDEX IF NOT EXISTS`; MariaDB has.
                if_not_exists_index: self == Dialect::Mariadb,
                hash_comments: true,
                backslash_escapes: true,
                double_quote_is_string: true,
                ..BASE
            },
            Dialect::Snowflake => Caps {
                default_schema: Some("PUBLIC"),
                merge: Some(MergeStyle {
                    qualify_set_targets: false,
                    ..MERGE_STD
                }),
                folding: CaseFolding::Upper,
                if_not_exists_index: false,
                add_column_if_not_exists: true,
                ..BASE
            },
            Dialect::Bigquery => Caps {
                merge: Some(MergeStyle {
                    by_source: true,
                    ..MERGE_STD
                }),
                overwrite: OverwriteForm::MergeBySource,
                quote: ('`', '`'),
                folding: CaseFolding::Insensitive,
                derived_column_list: false,
                row_source: RowSource::SelectUnion,
                if_not_exists_index: false,
                add_column_if_not_exists: true,
                delete_needs_where: true,
                strict_types: true,
                untyped_null_fixed: true,
                triple_quotes: true,
                backslash_escapes: true,
                double_quote_is_string: true,
                ..BASE
            },
            Dialect::Mssql => Caps {
                merge: Some(MergeStyle {
                    // `MERGE t WITH (HOLDLOCK) AS a` is the documented order, which sqlparser
                    // cannot read back; without an alias the hint stands right after the name.
                    target_alias: false,
                    target_hint: Some("WITH (HOLDLOCK)"),
                    needs_terminator: true,
                    by_source: true,
                    qualify_set_targets: true,
                    with_before_merge: true,
                    ..MERGE_STD
                }),
                // Without XACT_ABORT a failed INSERT leaves the transaction open and the
                // COMMIT that follows keeps the DELETE.
                transaction: Transaction {
                    begin: &["SET XACT_ABORT ON", "BEGIN TRANSACTION"],
                    commit: Some("COMMIT TRANSACTION"),
                },
                null_safe: NullSafeEq::OrIsNull,
                quote: ('[', ']'),
                folding: CaseFolding::Insensitive,
                if_not_exists_table: false,
                if_not_exists_index: false,
                or_replace_view: false,
                bracket_idents: true,
                go_batches: true,
                cte_in_subquery: false,
                default_schema: Some("dbo"),
                ..BASE
            },
            Dialect::Oracle => Caps {
                merge: Some(MergeStyle {
                    alias_as: false,
                    on_parens: true,
                    qualify_set_targets: true,
                    ..MERGE_STD
                }),
                // Transactions start implicitly and end where the script commits.
                transaction: Transaction {
                    begin: &[],
                    commit: None,
                },
                null_safe: NullSafeEq::Decode,
                folding: CaseFolding::Upper,
                derived_column_list: false,
                row_source: RowSource::SelectUnionDual,
                if_not_exists_table: false,
                if_not_exists_index: false,
                if_exists_drop: false,
                ..BASE
            },
            Dialect::Databricks | Dialect::Spark => Caps {
                merge: Some(MergeStyle {
                    by_source: true,
                    ..MERGE_STD
                }),
                overwrite: if self == Dialect::Databricks {
                    OverwriteForm::ReplaceWhere
                } else {
                    OverwriteForm::InsertOverwritePartition
                },
                transaction: Transaction {
                    begin: &[],
                    commit: None,
                },
                null_safe: NullSafeEq::Spaceship,
                quote: ('`', '`'),
                folding: CaseFolding::Insensitive,
                row_source: RowSource::SelectUnion,
                derived_column_list: true,
                overwrite_column_list: true,
                or_replace_view: true,
                if_not_exists_index: false,
                backslash_escapes: true,
                double_quote_is_string: true,
                ..BASE
            },
            Dialect::Hive => Caps {
                overwrite: OverwriteForm::InsertOverwritePartition,
                // "The WITH clause is not supported within SubQuery Blocks"; partition
                // columns cannot be updated.
                cte_in_subquery: false,
                merge_updates_partition: false,
                transaction: Transaction {
                    begin: &[],
                    commit: None,
                },
                null_safe: NullSafeEq::Spaceship,
                quote: ('`', '`'),
                folding: CaseFolding::Insensitive,
                derived_column_list: false,
                row_source: RowSource::SelectUnion,
                if_not_exists_index: false,
                backslash_escapes: true,
                double_quote_is_string: true,
                ..BASE
            },
            Dialect::Redshift => Caps {
                upsert: UpsertForm::DeleteInsert,
                ignore: IgnoreForm::NotExists,
                merge: Some(MergeStyle {
                    target_alias: false,
                    insert_only_allowed: false,
                    source_must_be_table: true,
                    ..MERGE_STD
                }),
                transaction: Transaction {
                    begin: &["BEGIN"],
                    commit: Some("COMMIT"),
                },
                null_safe: NullSafeEq::OrIsNull,
                // Redshift folds even quoted names unless enable_case_sensitive_identifier is on.
                folding: CaseFolding::Insensitive,
                default_schema: Some("public"),
                strict_types: true,
                untyped_null_fixed: true,
                derived_column_list: false,
                row_source: RowSource::SelectUnion,
                if_not_exists_index: false,
                ..BASE
            },
            Dialect::Trino => Caps {
                folding: CaseFolding::Insensitive,
                strict_types: true,
                // Trino and Athena commit each statement; DELETE then INSERT converges on rerun.
                transaction: Transaction {
                    begin: &[],
                    commit: None,
                },
                if_not_exists_index: false,
                add_column_if_not_exists: true,
                ..BASE
            },
            Dialect::Clickhouse => Caps {
                overwrite_insert_settings: Some("SETTINGS insert_deduplicate = 0"),
                upsert: UpsertForm::None,
                ignore: IgnoreForm::NotExists,
                merge: None,
                transaction: Transaction {
                    begin: &[],
                    commit: None,
                },
                null_safe: NullSafeEq::OrIsNull,
                quote: ('`', '`'),
                folding: CaseFolding::Sensitive,
                row_source: RowSource::SelectUnion,
                derived_column_list: false,
                add_column_if_not_exists: true,
                backslash_escapes: true,
                ..BASE
            },
        }
    }

    /// The strategies this dialect can write, for listings (`dialects()` in the WASM API, the README table).
    pub fn strategies(self) -> Vec<crate::Strategy> {
        use crate::Strategy;
        let caps = self.caps();
        let mut out = vec![Strategy::Auto];
        if caps.upsert != UpsertForm::None {
            out.push(Strategy::Upsert);
        }
        out.push(Strategy::Ignore);
        if caps.merge.is_some() {
            out.push(Strategy::Merge);
        }
        out.push(Strategy::Overwrite);
        out
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Dialect {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let found = match lower.as_str() {
            "postgresql" | "pg" => Some(Dialect::Postgres),
            "sqlite3" => Some(Dialect::Sqlite),
            "sqlserver" | "tsql" => Some(Dialect::Mssql),
            "athena" => Some(Dialect::Trino),
            other => Dialect::ALL.into_iter().find(|d| d.name() == other),
        };
        found.ok_or_else(|| crate::Error::UnknownDialect(s.to_string()))
    }
}

impl From<&Caps> for LexOptions {
    fn from(c: &Caps) -> Self {
        LexOptions {
            hash_comments: c.hash_comments,
            backslash_escapes: c.backslash_escapes,
            dollar_quotes: c.dollar_quotes,
            nested_comments: c.nested_comments,
            bracket_idents: c.bracket_idents,
            double_quote_is_string: c.double_quote_is_string,
            triple_quotes: c.triple_quotes,
        }
    }
}
