//! What makes each kind of DDL safe to rerun in each dialect.

use super::Dialect;

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
    /// `ALTER TABLE t DROP CONSTRAINT IF EXISTS name` (PostgreSQL, SQL Server 2016+,
    /// Databricks, BigQuery), which lets an `ADD CONSTRAINT name` run again.
    pub drop_constraint_if_exists: bool,
    /// DDL runs inside a transaction and rolls back with it (PostgreSQL, SQL Server), so a
    /// drop-then-add of a constraint commits both or neither.
    pub transactional_ddl: bool,
    /// How a procedure is created again.
    pub create_procedure: Option<Recreate>,
    /// How a user-defined type is created again (`CREATE OR REPLACE TYPE`, Oracle; `CREATE
    /// TYPE IF NOT EXISTS`, DuckDB).
    pub create_type: Option<Recreate>,
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

/// `IF NOT EXISTS` and `OR REPLACE` as standard SQL dialects read them.
const STANDARD: DdlGuards = DdlGuards {
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
    drop_constraint_if_exists: false,
    transactional_ddl: false,
    create_procedure: None,
    create_type: None,
};

pub(super) fn of(dialect: Dialect) -> DdlGuards {
    match dialect {
        // PostgreSQL has no guarded CREATE TYPE (neither OR REPLACE nor IF NOT EXISTS).
        Dialect::Postgres => DdlGuards {
            create_sequence: true,
            create_trigger: Some(Recreate::OrReplace),
            add_column_if_not_exists: true,
            drop_constraint_if_exists: true,
            transactional_ddl: true,
            create_procedure: Some(Recreate::OrReplace),
            ..STANDARD
        },
        Dialect::Sqlite => DdlGuards {
            create_view: Some(Recreate::IfNotExists),
            create_function: None,
            ..STANDARD
        },
        Dialect::Duckdb => DdlGuards {
            create_sequence: true,
            add_column_if_not_exists: true,
            create_type: Some(Recreate::IfNotExists),
            ..STANDARD
        },
        // MySQL 8 has no `CREATE INDEX IF NOT EXISTS` nor `ADD COLUMN IF NOT EXISTS`; MariaDB
        // has both, and sequences and `CREATE OR REPLACE FUNCTION`.
        Dialect::Mysql => DdlGuards {
            create_index: false,
            create_database: true,
            create_function: None,
            ..STANDARD
        },
        Dialect::Mariadb => DdlGuards {
            create_database: true,
            create_sequence: true,
            add_column_if_not_exists: true,
            create_procedure: Some(Recreate::OrReplace),
            ..STANDARD
        },
        _ => warehouses(dialect),
    }
}

/// The warehouses and the rest: Snowflake, BigQuery, Trino, SQL Server, Oracle, the Spark
/// family, Redshift, ClickHouse.
fn warehouses(dialect: Dialect) -> DdlGuards {
    match dialect {
        Dialect::Snowflake => DdlGuards {
            create_index: false,
            create_database: true,
            create_sequence: true,
            add_column_if_not_exists: true,
            create_procedure: Some(Recreate::OrReplace),
            ..STANDARD
        },
        Dialect::Bigquery => DdlGuards {
            create_index: false,
            add_column_if_not_exists: true,
            drop_constraint_if_exists: true,
            create_procedure: Some(Recreate::OrReplace),
            ..STANDARD
        },
        Dialect::Trino => DdlGuards {
            create_index: false,
            add_column_if_not_exists: true,
            ..STANDARD
        },
        Dialect::Mssql => DdlGuards {
            create_table: false,
            create_index: false,
            create_view: Some(Recreate::OrAlter),
            create_schema: false,
            create_function: Some(Recreate::OrAlter),
            create_trigger: Some(Recreate::OrAlter),
            drop_constraint_if_exists: true,
            transactional_ddl: true,
            create_procedure: Some(Recreate::OrAlter),
            ..STANDARD
        },
        Dialect::Oracle => DdlGuards {
            create_table: false,
            create_index: false,
            create_trigger: Some(Recreate::OrReplace),
            drop_if_exists: false,
            create_procedure: Some(Recreate::OrReplace),
            create_type: Some(Recreate::OrReplace),
            ..STANDARD
        },
        Dialect::Databricks => DdlGuards {
            create_index: false,
            create_database: true,
            drop_constraint_if_exists: true,
            ..STANDARD
        },
        Dialect::Spark | Dialect::Hive => DdlGuards {
            create_index: false,
            create_database: true,
            ..STANDARD
        },
        Dialect::Redshift => DdlGuards {
            create_index: false,
            create_procedure: Some(Recreate::OrReplace),
            ..STANDARD
        },
        Dialect::Clickhouse => DdlGuards {
            create_database: true,
            create_function: None,
            add_column_if_not_exists: true,
            ..STANDARD
        },
        _ => STANDARD,
    }
}
