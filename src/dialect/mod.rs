//! The databases idemsql writes for: the [`Dialect`] enum, its names, and the one capability
//! table that says what each accepts.
//!
//! Owns every dialect fact. Every dialect-specific decision in the crate reads
//! [`Dialect::caps`]; no module outside this folder names a dialect. The table is grouped by
//! concern, one file each with its types and each dialect's values: `lexical.rs` (comments,
//! quotes, escapes), `names.rs` (quoting, folding, default schema), `script.rs` (transactions,
//! batches), `writes.rs` (the forms of each strategy, NULL-safe comparison), `merge.rs` (how a
//! MERGE is spelled), `rows.rs` (derived tables and their types), `ddl.rs` (rerun-safe DDL),
//! `loads.rs` (the statements that write rows, and what a rerun of a bulk load does),
//! `params.rs` (what driver parameters' spellings collide with).
//! Adding a dialect is a variant here, its names in [`NAMES`] and [`ALIASES`], its sqlparser
//! dialect, and its arm in each concern file, plus fixtures. The facts, with their sources, are
//! collected in the design notes (`dialects.md`) and summarised in the README's dialect table.

mod ddl;
mod lexical;
mod loads;
mod merge;
mod names;
mod params;
mod parsers;
mod rows;
mod script;
mod writes;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub(crate) use ddl::{DdlGuards, Recreate};
pub(crate) use loads::{CopyLoad, Loads};
pub(crate) use merge::{MERGE_STD, MatchedCondition, MergeStyle};
pub(crate) use names::{CaseFolding, NameRules};
pub(crate) use params::Params;
pub(crate) use rows::{RowSource, Rows};
pub(crate) use script::{Script, Transaction};
pub(crate) use writes::{AbsentTest, IgnoreForm, OverwriteForm, RowDiffers, UpsertForm, Writes};

use crate::text::lexer::LexOptions;

/// Everything that differs between dialects, grouped by concern.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caps {
    /// How the text is tokenized: comments, quotes, string escapes.
    pub lex: LexOptions,
    /// How names are quoted, folded and qualified.
    pub names: NameRules,
    /// What a script is made of besides statements: transactions, batches.
    pub script: Script,
    /// The forms the INSERT strategies take, and how keys are compared.
    pub writes: Writes,
    /// How a MERGE is spelled, where the dialect has one.
    pub merge: Option<MergeStyle>,
    /// How rows become a derived table the other forms can read.
    pub rows: Rows,
    /// What makes DDL safe to rerun.
    pub ddl: DdlGuards,
    /// The statements that write rows, and what a rerun of a bulk load does.
    pub loads: Loads,
    /// What driver parameters' spellings collide with in the dialect's SQL.
    pub params: Params,
}

/// A target database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dialect {
    Postgres,
    Sqlite,
    Duckdb,
    Mysql,
    Mariadb,
    Snowflake,
    Bigquery,
    Mssql,
    Oracle,
    Databricks,
    Spark,
    Hive,
    Redshift,
    Trino,
    Clickhouse,
}

/// Every dialect with its name in options, config files and directives, in the order the
/// README lists them.
const NAMES: [(Dialect, &str); 15] = [
    (Dialect::Postgres, "postgres"),
    (Dialect::Sqlite, "sqlite"),
    (Dialect::Duckdb, "duckdb"),
    (Dialect::Mysql, "mysql"),
    (Dialect::Mariadb, "mariadb"),
    (Dialect::Snowflake, "snowflake"),
    (Dialect::Bigquery, "bigquery"),
    (Dialect::Mssql, "mssql"),
    (Dialect::Oracle, "oracle"),
    (Dialect::Databricks, "databricks"),
    (Dialect::Spark, "spark"),
    (Dialect::Hive, "hive"),
    (Dialect::Redshift, "redshift"),
    (Dialect::Trino, "trino"),
    (Dialect::Clickhouse, "clickhouse"),
];

/// The names alone, for serde's "expected one of" message.
const NAME_STRS: [&str; 15] = {
    let mut names = [""; 15];
    let mut i = 0;
    while i < NAMES.len() {
        names[i] = NAMES[i].1;
        i += 1;
    }
    names
};

/// Other names users give dialects, accepted everywhere a dialect name is.
const ALIASES: [(&str, Dialect); 6] = [
    ("postgresql", Dialect::Postgres),
    ("pg", Dialect::Postgres),
    ("sqlite3", Dialect::Sqlite),
    ("sqlserver", Dialect::Mssql),
    ("tsql", Dialect::Mssql),
    ("athena", Dialect::Trino),
];

impl Dialect {
    /// Every dialect, in the order the README lists them.
    pub const ALL: [Dialect; 15] = {
        let mut all = [Dialect::Postgres; 15];
        let mut i = 0;
        while i < NAMES.len() {
            all[i] = NAMES[i].0;
            i += 1;
        }
        all
    };

    /// The name used in options, config files and directives.
    pub fn name(self) -> &'static str {
        NAMES[self as usize].1
    }

    /// The dialect a name or alias stands for (any case, surrounding blanks ignored).
    fn from_name(s: &str) -> Option<Dialect> {
        let lower = s.trim().to_ascii_lowercase();
        NAMES
            .iter()
            .find(|(_, n)| *n == lower)
            .map(|(d, _)| *d)
            .or_else(|| ALIASES.iter().find(|(a, _)| *a == lower).map(|(_, d)| *d))
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
            // Spark and Hive read backslash escapes in strings; sqlparser's dialects do not.
            Dialect::Spark => Box::new(parsers::Spark),
            Dialect::Hive => Box::new(parsers::Hive),
            Dialect::Redshift => Box::new(d::RedshiftSqlDialect {}),
            // sqlparser has no Trino dialect; ANSI reads Trino's MERGE and transactions.
            Dialect::Trino => Box::new(d::AnsiDialect {}),
            Dialect::Clickhouse => Box::new(d::ClickHouseDialect {}),
        }
    }

    /// The capability table: what this dialect accepts.
    pub(crate) fn caps(self) -> Caps {
        Caps {
            lex: lexical::of(self),
            names: names::of(self),
            script: script::of(self),
            writes: writes::of(self),
            merge: merge::of(self),
            rows: rows::of(self),
            ddl: ddl::of(self),
            loads: loads::of(self),
            params: params::of(self),
        }
    }

    /// The strategies this dialect can write, for listings (`dialects()` in the WASM API, the README table).
    pub fn strategies(self) -> Vec<crate::Strategy> {
        use crate::Strategy;
        let caps = self.caps();
        let mut out = vec![Strategy::Auto];
        if caps.writes.upsert != UpsertForm::None {
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
        Dialect::from_name(s).ok_or_else(|| crate::Error::UnknownDialect {
            name: s.to_string(),
            expected: NAME_STRS.join(", "),
        })
    }
}

impl Serialize for Dialect {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Config files and JavaScript objects take the same names and aliases as `--dialect`.
impl<'de> Deserialize<'de> for Dialect {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Dialect::from_name(&s).ok_or_else(|| serde::de::Error::unknown_variant(&s, &NAME_STRS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases() {
        for d in Dialect::ALL {
            assert_eq!(d.name().parse::<Dialect>().unwrap(), d);
            assert_eq!(Dialect::ALL[d as usize], d);
        }
        assert_eq!(
            " PostgreSQL ".parse::<Dialect>().unwrap(),
            Dialect::Postgres
        );
        assert_eq!("tsql".parse::<Dialect>().unwrap(), Dialect::Mssql);
        assert!("postgress".parse::<Dialect>().is_err());
        let d: Dialect = serde_json::from_str("\"athena\"").unwrap();
        assert_eq!(d, Dialect::Trino);
        let e = serde_json::from_str::<Dialect>("\"postgress\"").unwrap_err();
        assert!(e.to_string().contains("unknown variant `postgress`"), "{e}");
    }
}
