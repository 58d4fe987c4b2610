//! What a script is made of besides statements: transactions and batches.

use super::Dialect;

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

pub(super) fn of(dialect: Dialect) -> Script {
    let transaction = |begin, commit| Transaction {
        begin,
        commit: Some(commit),
    };
    let transaction = match dialect {
        Dialect::Postgres | Dialect::Sqlite | Dialect::Redshift => {
            transaction(&["BEGIN"], "COMMIT")
        }
        Dialect::Duckdb | Dialect::Snowflake | Dialect::Bigquery => {
            transaction(&["BEGIN TRANSACTION"], "COMMIT")
        }
        Dialect::Mysql | Dialect::Mariadb => transaction(&["START TRANSACTION"], "COMMIT"),
        // Without XACT_ABORT a failed INSERT leaves the transaction open and the COMMIT that
        // follows keeps the DELETE.
        Dialect::Mssql => transaction(
            &["SET XACT_ABORT ON", "BEGIN TRANSACTION"],
            "COMMIT TRANSACTION",
        ),
        // Oracle starts transactions implicitly and ends them where the script commits;
        // Trino and Athena commit each statement (DELETE then INSERT converges on rerun).
        Dialect::Oracle
        | Dialect::Databricks
        | Dialect::Spark
        | Dialect::Hive
        | Dialect::Trino
        | Dialect::Clickhouse => Transaction::NONE,
    };
    Script {
        transaction,
        unterminated_batches: dialect == Dialect::Mssql,
    }
}
