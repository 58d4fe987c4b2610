//! How each dialect spells a MERGE, where it has one.

use super::Dialect;

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
    /// Where a MERGE says "only rows that differ" for its update.
    pub matched_condition: MatchedCondition,
    /// `WHEN MATCHED THEN UPDATE` may set a column of the ON condition, if only to the value
    /// it has (Oracle rejects any such update: ORA-38104).
    pub updates_on_columns: bool,
}

/// How a MERGE restricts `WHEN MATCHED THEN UPDATE` to rows that differ from the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MatchedCondition {
    /// `WHEN MATCHED AND (cond) THEN UPDATE` (the standard).
    And,
    /// `WHEN MATCHED THEN UPDATE SET ... WHERE cond` (Oracle).
    UpdateWhere,
    /// Not expressible (Redshift's MERGE takes no condition): every matched row is rewritten.
    None,
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
    updates_partition: true,
    matched_condition: MatchedCondition::And,
    updates_on_columns: true,
};

pub(super) fn of(dialect: Dialect) -> Option<MergeStyle> {
    Some(match dialect {
        Dialect::Sqlite | Dialect::Mysql | Dialect::Mariadb | Dialect::Clickhouse => return None,
        Dialect::Postgres | Dialect::Duckdb | Dialect::Snowflake | Dialect::Trino => MERGE_STD,
        Dialect::Bigquery | Dialect::Databricks | Dialect::Spark => MergeStyle {
            by_source: true,
            ..MERGE_STD
        },
        Dialect::Mssql => MergeStyle {
            // `MERGE t WITH (HOLDLOCK) AS a` is the documented order, which sqlparser cannot
            // read back; without an alias the hint stands right after the name.
            target_alias: false,
            target_hint: Some("WITH (HOLDLOCK)"),
            needs_terminator: true,
            by_source: true,
            qualify_set_targets: true,
            with_before_merge: true,
            ..MERGE_STD
        },
        Dialect::Oracle => MergeStyle {
            alias_as: false,
            on_parens: true,
            matched_condition: MatchedCondition::UpdateWhere,
            qualify_set_targets: true,
            updates_on_columns: false,
            ..MERGE_STD
        },
        // Hive's ACID tables: partition columns cannot be updated.
        Dialect::Hive => MergeStyle {
            updates_partition: false,
            ..MERGE_STD
        },
        Dialect::Redshift => MergeStyle {
            target_alias: false,
            insert_only_allowed: false,
            source_must_be_table: true,
            matched_condition: MatchedCondition::None,
            ..MERGE_STD
        },
    })
}
