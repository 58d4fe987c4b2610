//! The capability table: what each dialect accepts. The facts and their sources are collected
//! in the project's design notes (`dialects.md`); the README's dialect table summarises them.

use super::Dialect;
use super::caps::*;
use crate::text::lexer::LexOptions;

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
};

const BEGIN_COMMIT: Transaction = Transaction {
    begin: &["BEGIN"],
    commit: Some("COMMIT"),
};

/// The standard SQL dialect; each dialect overrides what differs.
const BASE: Caps = Caps {
    lex: LexOptions::STANDARD,
    names: NameRules {
        quote: ('"', '"'),
        folding: CaseFolding::Lower,
        default_schema: None,
    },
    script: Script {
        transaction: Transaction {
            begin: &["BEGIN TRANSACTION"],
            commit: Some("COMMIT"),
        },
        unterminated_batches: false,
    },
    writes: Writes {
        upsert: UpsertForm::Merge,
        ignore: IgnoreForm::MergeInsertOnly,
        overwrite: OverwriteForm::DeleteInsert,
        absent: AbsentTest::NotExists,
        overwrite_insert_settings: None,
        overwrite_column_list: false,
        on_conflict_after_from_needs_where: false,
    },
    merge: Some(MERGE_STD),
    rows: Rows {
        source: RowSource::Values,
        derived_column_list: true,
        cte_in_subquery: true,
        strict_types: false,
        untyped_null_fixed: false,
    },
    null_safe: NullSafeEq::IsNotDistinctFrom,
    ddl: DdlGuards {
        create_table: true,
        create_index: true,
        create_view: Some(Recreate::OrReplace),
        create_schema: true,
        create_database: false,
        create_sequence: false,
        create_function: Some(Recreate::OrReplace),
        create_trigger: None,
        drop_if_exists: true,
        add_column_if_not_exists: false,
    },
};

/// `` `name` `` quoting, case-insensitive names (MySQL, BigQuery, Spark, Hive, ClickHouse).
const BACKTICK_NAMES: NameRules = NameRules {
    quote: ('`', '`'),
    folding: CaseFolding::Insensitive,
    default_schema: None,
};

/// Backslash escapes and `"..."` strings (MySQL, BigQuery, Spark, Hive).
const BACKSLASH_STRINGS: LexOptions = LexOptions {
    backslash_escapes: true,
    double_quote_is_string: true,
    ..LexOptions::STANDARD
};

/// No transaction statements: each statement commits alone.
const AUTOCOMMIT: Script = Script {
    transaction: Transaction::NONE,
    unterminated_batches: false,
};

/// The capability table: what `dialect` accepts.
pub(super) fn caps(dialect: Dialect) -> Caps {
    match dialect {
        Dialect::Postgres => postgres(),
        Dialect::Sqlite => sqlite(),
        Dialect::Duckdb => duckdb(),
        Dialect::Mysql | Dialect::Mariadb => mysql(dialect == Dialect::Mariadb),
        Dialect::Snowflake => snowflake(),
        Dialect::Bigquery => bigquery(),
        Dialect::Mssql => mssql(),
        Dialect::Oracle => oracle(),
        Dialect::Databricks | Dialect::Spark => spark(dialect == Dialect::Databricks),
        Dialect::Hive => hive(),
        Dialect::Redshift => redshift(),
        Dialect::Trino => trino(),
        Dialect::Clickhouse => clickhouse(),
    }
}

fn postgres() -> Caps {
    Caps {
        lex: LexOptions {
            dollar_quotes: true,
            nested_comments: true,
            ..LexOptions::STANDARD
        },
        names: NameRules {
            default_schema: Some("public"),
            ..BASE.names
        },
        script: Script {
            transaction: BEGIN_COMMIT,
            ..BASE.script
        },
        writes: Writes {
            upsert: UpsertForm::OnConflict,
            ignore: IgnoreForm::OnConflictDoNothing,
            ..BASE.writes
        },
        rows: Rows {
            strict_types: true,
            untyped_null_fixed: true,
            ..BASE.rows
        },
        ddl: DdlGuards {
            add_column_if_not_exists: true,
            create_sequence: true,
            create_trigger: Some(Recreate::OrReplace),
            ..BASE.ddl
        },
        ..BASE
    }
}

fn sqlite() -> Caps {
    Caps {
        lex: LexOptions {
            bracket_idents: true,
            ..LexOptions::STANDARD
        },
        names: NameRules {
            folding: CaseFolding::Insensitive,
            default_schema: Some("main"),
            ..BASE.names
        },
        script: Script {
            transaction: BEGIN_COMMIT,
            ..BASE.script
        },
        writes: Writes {
            upsert: UpsertForm::OnConflict,
            ignore: IgnoreForm::OnConflictDoNothing,
            on_conflict_after_from_needs_where: true,
            ..BASE.writes
        },
        merge: None,
        null_safe: NullSafeEq::Is,
        ddl: DdlGuards {
            create_view: Some(Recreate::IfNotExists),
            create_function: None,
            ..BASE.ddl
        },
        ..BASE
    }
}

fn duckdb() -> Caps {
    Caps {
        lex: LexOptions {
            dollar_quotes: true,
            nested_comments: true,
            ..LexOptions::STANDARD
        },
        names: NameRules {
            folding: CaseFolding::Insensitive,
            default_schema: Some("main"),
            ..BASE.names
        },
        writes: Writes {
            upsert: UpsertForm::OnConflict,
            ignore: IgnoreForm::OnConflictDoNothing,
            ..BASE.writes
        },
        rows: Rows {
            strict_types: true,
            ..BASE.rows
        },
        ddl: DdlGuards {
            add_column_if_not_exists: true,
            create_sequence: true,
            ..BASE.ddl
        },
        ..BASE
    }
}

fn mysql(mariadb: bool) -> Caps {
    Caps {
        lex: LexOptions {
            hash_comments: true,
            ..BACKSLASH_STRINGS
        },
        names: BACKTICK_NAMES,
        script: Script {
            transaction: Transaction {
                begin: &["START TRANSACTION"],
                commit: Some("COMMIT"),
            },
            ..BASE.script
        },
        writes: Writes {
            upsert: if mariadb {
                UpsertForm::DuplicateKeyValueFn
            } else {
                UpsertForm::DuplicateKeyRowAlias
            },
            ignore: IgnoreForm::DuplicateKeyNoop,
            ..BASE.writes
        },
        merge: None,
        rows: Rows {
            // MySQL 8 names a derived table's columns, `(q) AS dt (a, b)`; MariaDB 10
            // cannot (MDEV-31466, 11.x).
            derived_column_list: !mariadb,
            ..BASE.rows
        },
        null_safe: NullSafeEq::Spaceship,
        ddl: DdlGuards {
            // MariaDB reads `ADD COLUMN IF NOT EXISTS`; MySQL 8 does not.
            add_column_if_not_exists: mariadb,
            // MySQL 8 has no `CREATE INDEX IF NOT EXISTS`; MariaDB has.
            create_index: mariadb,
            create_database: true,
            create_sequence: mariadb,
            create_function: mariadb.then_some(Recreate::OrReplace),
            ..BASE.ddl
        },
    }
}

fn snowflake() -> Caps {
    Caps {
        names: NameRules {
            folding: CaseFolding::Upper,
            default_schema: Some("PUBLIC"),
            ..BASE.names
        },
        ddl: DdlGuards {
            create_index: false,
            add_column_if_not_exists: true,
            create_database: true,
            create_sequence: true,
            ..BASE.ddl
        },
        ..BASE
    }
}

fn bigquery() -> Caps {
    Caps {
        lex: LexOptions {
            triple_quotes: true,
            ..BACKSLASH_STRINGS
        },
        names: BACKTICK_NAMES,
        writes: Writes {
            overwrite: OverwriteForm::MergeBySource,
            ..BASE.writes
        },
        merge: Some(MergeStyle {
            by_source: true,
            ..MERGE_STD
        }),
        rows: Rows {
            source: RowSource::SelectUnion,
            derived_column_list: false,
            strict_types: true,
            untyped_null_fixed: true,
            ..BASE.rows
        },
        ddl: DdlGuards {
            create_index: false,
            add_column_if_not_exists: true,
            ..BASE.ddl
        },
        ..BASE
    }
}

fn mssql() -> Caps {
    Caps {
        lex: LexOptions {
            bracket_idents: true,
            ..LexOptions::STANDARD
        },
        names: NameRules {
            quote: ('[', ']'),
            folding: CaseFolding::Insensitive,
            default_schema: Some("dbo"),
        },
        script: Script {
            // Without XACT_ABORT a failed INSERT leaves the transaction open and the
            // COMMIT that follows keeps the DELETE.
            transaction: Transaction {
                begin: &["SET XACT_ABORT ON", "BEGIN TRANSACTION"],
                commit: Some("COMMIT TRANSACTION"),
            },
            unterminated_batches: true,
        },
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
        rows: Rows {
            cte_in_subquery: false,
            ..BASE.rows
        },
        null_safe: NullSafeEq::OrIsNull,
        ddl: DdlGuards {
            create_table: false,
            create_index: false,
            create_view: Some(Recreate::OrAlter),
            create_schema: false,
            create_function: Some(Recreate::OrAlter),
            create_trigger: Some(Recreate::OrAlter),
            ..BASE.ddl
        },
        ..BASE
    }
}

fn oracle() -> Caps {
    Caps {
        names: NameRules {
            folding: CaseFolding::Upper,
            ..BASE.names
        },
        // Transactions start implicitly and end where the script commits.
        script: AUTOCOMMIT,
        merge: Some(MergeStyle {
            alias_as: false,
            on_parens: true,
            qualify_set_targets: true,
            ..MERGE_STD
        }),
        rows: Rows {
            source: RowSource::SelectUnionDual,
            derived_column_list: false,
            ..BASE.rows
        },
        null_safe: NullSafeEq::Decode,
        ddl: DdlGuards {
            create_table: false,
            create_index: false,
            drop_if_exists: false,
            create_trigger: Some(Recreate::OrReplace),
            ..BASE.ddl
        },
        ..BASE
    }
}

fn spark(databricks: bool) -> Caps {
    Caps {
        lex: BACKSLASH_STRINGS,
        names: BACKTICK_NAMES,
        script: AUTOCOMMIT,
        writes: Writes {
            overwrite: if databricks {
                OverwriteForm::ReplaceWhere
            } else {
                OverwriteForm::InsertOverwritePartition
            },
            overwrite_column_list: true,
            ..BASE.writes
        },
        merge: Some(MergeStyle {
            by_source: true,
            ..MERGE_STD
        }),
        rows: Rows {
            source: RowSource::SelectUnion,
            ..BASE.rows
        },
        null_safe: NullSafeEq::Spaceship,
        ddl: DdlGuards {
            create_index: false,
            create_database: true,
            ..BASE.ddl
        },
    }
}

fn hive() -> Caps {
    Caps {
        lex: BACKSLASH_STRINGS,
        names: BACKTICK_NAMES,
        script: AUTOCOMMIT,
        writes: Writes {
            overwrite: OverwriteForm::InsertOverwritePartition,
            ..BASE.writes
        },
        // Partition columns cannot be updated.
        merge: Some(MergeStyle {
            updates_partition: false,
            ..MERGE_STD
        }),
        rows: Rows {
            source: RowSource::SelectUnion,
            derived_column_list: false,
            // "The WITH clause is not supported within SubQuery Blocks".
            cte_in_subquery: false,
            ..BASE.rows
        },
        null_safe: NullSafeEq::Spaceship,
        ddl: DdlGuards {
            create_index: false,
            create_database: true,
            ..BASE.ddl
        },
    }
}

fn redshift() -> Caps {
    Caps {
        names: NameRules {
            // Redshift folds even quoted names unless enable_case_sensitive_identifier is on.
            folding: CaseFolding::Insensitive,
            default_schema: Some("public"),
            ..BASE.names
        },
        script: Script {
            transaction: BEGIN_COMMIT,
            ..BASE.script
        },
        writes: Writes {
            upsert: UpsertForm::DeleteInsert,
            ignore: IgnoreForm::NotExists,
            ..BASE.writes
        },
        merge: Some(MergeStyle {
            target_alias: false,
            insert_only_allowed: false,
            source_must_be_table: true,
            ..MERGE_STD
        }),
        rows: Rows {
            source: RowSource::SelectUnion,
            derived_column_list: false,
            strict_types: true,
            untyped_null_fixed: true,
            ..BASE.rows
        },
        null_safe: NullSafeEq::OrIsNull,
        ddl: DdlGuards {
            create_index: false,
            ..BASE.ddl
        },
        ..BASE
    }
}

fn trino() -> Caps {
    Caps {
        names: NameRules {
            folding: CaseFolding::Insensitive,
            ..BASE.names
        },
        // Trino and Athena commit each statement; DELETE then INSERT converges on rerun.
        script: AUTOCOMMIT,
        rows: Rows {
            strict_types: true,
            ..BASE.rows
        },
        ddl: DdlGuards {
            create_index: false,
            add_column_if_not_exists: true,
            ..BASE.ddl
        },
        ..BASE
    }
}

fn clickhouse() -> Caps {
    Caps {
        lex: LexOptions {
            backslash_escapes: true,
            ..LexOptions::STANDARD
        },
        names: NameRules {
            folding: CaseFolding::Sensitive,
            ..BACKTICK_NAMES
        },
        script: AUTOCOMMIT,
        writes: Writes {
            upsert: UpsertForm::None,
            ignore: IgnoreForm::NotExists,
            absent: AbsentTest::NotIn,
            overwrite_insert_settings: Some("SETTINGS insert_deduplicate = 0"),
            ..BASE.writes
        },
        merge: None,
        rows: Rows {
            source: RowSource::SelectUnion,
            derived_column_list: false,
            ..BASE.rows
        },
        null_safe: NullSafeEq::OrIsNull,
        ddl: DdlGuards {
            add_column_if_not_exists: true,
            create_database: true,
            create_function: None,
            ..BASE.ddl
        },
    }
}
