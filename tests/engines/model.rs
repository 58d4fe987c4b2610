//! A model of a table and of what one idempotent load leaves in it, for the generated cases.
//!
//! The model decides the expected state (which rows, with which values) independently of
//! idemsql; the engine decides how those values look: the expected rows are written to a fresh
//! table with plain INSERTs on the same engine and read back, so both sides of a comparison
//! went through the engine's own types and formatting.

use std::collections::{BTreeMap, BTreeSet};

use crate::db::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Int,
    /// DECIMAL(12, 3)
    Dec,
    Text,
    Date,
    /// Timestamp with microseconds.
    Ts,
}

/// A value. Dates count days from 2000-01-01; timestamps count microseconds from it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Val {
    Null,
    Int(i64),
    /// Thousandths.
    Dec(i64),
    Text(String),
    Date(i64),
    Ts(i64),
}

/// How a load treats rows that exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Semantics {
    /// Incoming row wins (upsert, merge).
    Upsert,
    /// Existing row wins.
    Ignore,
    /// Partitions written are replaced whole.
    Overwrite,
}

#[derive(Debug, Clone)]
pub struct Col {
    pub name: String,
    pub ty: Ty,
    pub not_null: bool,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Unquoted name; quoted with `Kind::quote` wherever it is written.
    pub name: String,
    pub cols: Vec<Col>,
    /// Indexes into `cols` of the key columns (empty: no key).
    pub key: Vec<usize>,
    /// Index of the partition column.
    pub partition: Option<usize>,
    /// Key declared as UNIQUE instead of PRIMARY KEY.
    pub unique_instead_of_pk: bool,
}

/// A row to write: one entry per table column, `None` where the statement does not list the
/// column (the table default, NULL, applies to new rows; an upsert leaves existing values).
pub type Incoming = Vec<Option<Val>>;

impl Table {
    pub fn quoted(&self, kind: Kind) -> String {
        kind.quote(&self.name)
    }

    pub fn col(&self, kind: Kind, i: usize) -> String {
        kind.quote(&self.cols[i].name)
    }

    pub fn ddl(&self, kind: Kind) -> String {
        let nullable = matches!(kind, Kind::Clickhouse);
        let mut parts: Vec<String> = self
            .cols
            .iter()
            .map(|c| match (c.not_null, nullable) {
                // ClickHouse columns are NOT NULL unless their type is Nullable(...).
                (false, true) => {
                    format!("{} Nullable({})", kind.quote(&c.name), sql_type(c.ty, kind))
                }
                (true, true) => format!("{} {}", kind.quote(&c.name), sql_type(c.ty, kind)),
                (not_null, false) => format!(
                    "{} {}{}",
                    kind.quote(&c.name),
                    sql_type(c.ty, kind),
                    if not_null && kind != Kind::Spark {
                        " NOT NULL"
                    } else {
                        ""
                    }
                ),
            })
            .collect();
        let key: Vec<String> = self.key.iter().map(|&i| self.col(kind, i)).collect();
        // ClickHouse and Spark (without Delta) declare no keys: idemsql is told them.
        if !key.is_empty() && !matches!(kind, Kind::Clickhouse | Kind::Spark) {
            let word = if self.unique_instead_of_pk {
                "UNIQUE"
            } else {
                "PRIMARY KEY"
            };
            parts.push(format!("{word} ({})", key.join(", ")));
        }
        let partition = self.partition.map(|i| self.col(kind, i));
        let tail = match kind {
            // Binary comparison without trailing-space padding, as the other engines compare.
            Kind::Mariadb => {
                " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin".into()
            }
            Kind::Clickhouse => format!(
                " ENGINE = MergeTree{} ORDER BY {}",
                partition.map_or(String::new(), |p| format!(" PARTITION BY {p}")),
                if key.is_empty() {
                    "tuple()".into()
                } else {
                    format!("({})", key.join(", "))
                }
            ),
            Kind::Spark => format!(
                " USING parquet{}",
                partition.map_or(String::new(), |p| format!(" PARTITIONED BY ({p})"))
            ),
            _ => String::new(),
        };
        format!(
            "CREATE TABLE {} (\n    {}\n){tail}",
            self.quoted(kind),
            parts.join(",\n    ")
        )
    }

    fn key_of<'a>(&self, row: &'a [Option<Val>]) -> Vec<&'a Option<Val>> {
        self.key.iter().map(|&i| &row[i]).collect()
    }

    /// The rows after loading `batch` into a table holding `existing`.
    pub fn expected(
        &self,
        existing: &[Vec<Val>],
        batch: &[Incoming],
        semantics: Semantics,
    ) -> Vec<Vec<Val>> {
        let fill = |r: &Incoming| -> Vec<Val> {
            r.iter().map(|v| v.clone().unwrap_or(Val::Null)).collect()
        };
        match semantics {
            Semantics::Overwrite => {
                let p = self.partition.expect("overwrite needs a partition column");
                let written: BTreeSet<Val> = batch
                    .iter()
                    .map(|r| r[p].clone().unwrap_or(Val::Null))
                    .collect();
                let mut out: Vec<Vec<Val>> = existing
                    .iter()
                    .filter(|r| !written.contains(&r[p]))
                    .cloned()
                    .collect();
                out.extend(batch.iter().map(fill));
                out
            }
            Semantics::Upsert | Semantics::Ignore => {
                let mut out: Vec<Vec<Val>> = existing.to_vec();
                let mut index: BTreeMap<Vec<Val>, usize> = BTreeMap::new();
                for (i, r) in out.iter().enumerate() {
                    index.insert(self.key.iter().map(|&k| r[k].clone()).collect(), i);
                }
                for r in batch {
                    let key: Vec<Val> = self
                        .key_of(r)
                        .into_iter()
                        .map(|v| v.clone().unwrap_or(Val::Null))
                        .collect();
                    match index.get(&key) {
                        Some(&i) if semantics == Semantics::Upsert => {
                            for (c, v) in r.iter().enumerate() {
                                if let Some(v) = v {
                                    out[i][c] = v.clone();
                                }
                            }
                        }
                        Some(_) => {}
                        None => {
                            index.insert(key, out.len());
                            out.push(fill(r));
                        }
                    }
                }
                out
            }
        }
    }

    /// `INSERT INTO t (all columns) VALUES ...` for full rows (plain; for setup and expected).
    pub fn plain_insert(&self, kind: Kind, rows: &[Vec<Val>]) -> Option<String> {
        if rows.is_empty() {
            return None;
        }
        let cols: Vec<String> = (0..self.cols.len()).map(|i| self.col(kind, i)).collect();
        let values: Vec<String> = rows
            .iter()
            .map(|r| {
                let v: Vec<String> = r.iter().map(|v| literal(v, kind)).collect();
                format!("({})", v.join(", "))
            })
            .collect();
        Some(format!(
            "INSERT INTO {} ({}) VALUES\n{}",
            self.quoted(kind),
            cols.join(", "),
            values.join(",\n")
        ))
    }
}

pub fn sql_type(ty: Ty, kind: Kind) -> &'static str {
    match (ty, kind) {
        (Ty::Int, Kind::Clickhouse) => "Int64",
        (Ty::Dec, Kind::Clickhouse) => "Decimal(12, 3)",
        (Ty::Text, Kind::Clickhouse) => "String",
        (Ty::Date, Kind::Clickhouse) => "Date32",
        (Ty::Ts, Kind::Clickhouse) => "DateTime64(6)",
        (Ty::Text, Kind::Spark) => "STRING",
        (Ty::Int, Kind::Sqlite) => "INTEGER",
        (Ty::Int, _) => "BIGINT",
        (Ty::Dec, Kind::Sqlite) => "NUMERIC(12, 3)",
        (Ty::Dec, _) => "DECIMAL(12, 3)",
        (Ty::Text, Kind::Mariadb) => "VARCHAR(120)",
        (Ty::Text, Kind::Duckdb) => "VARCHAR",
        (Ty::Text, _) => "TEXT",
        (Ty::Date, _) => "DATE",
        (Ty::Ts, Kind::Mariadb) => "DATETIME(6)",
        (Ty::Ts, Kind::Postgres) => "TIMESTAMP(6)",
        (Ty::Ts, _) => "TIMESTAMP",
    }
}

/// A SQL literal for `v` in the engine's syntax.
pub fn literal(v: &Val, kind: Kind) -> String {
    match v {
        Val::Null => "NULL".into(),
        Val::Int(i) => i.to_string(),
        Val::Dec(t) => {
            let sign = if *t < 0 { "-" } else { "" };
            let a = t.unsigned_abs();
            format!("{sign}{}.{:03}", a / 1000, a % 1000)
        }
        Val::Text(s) => string_literal(s, kind),
        Val::Date(d) => {
            let s = date_string(*d);
            match kind {
                Kind::Sqlite | Kind::Clickhouse => format!("'{s}'"),
                _ => format!("DATE '{s}'"),
            }
        }
        Val::Ts(us) => {
            let s = ts_string(*us);
            match kind {
                Kind::Sqlite | Kind::Clickhouse => format!("'{s}'"),
                _ => format!("TIMESTAMP '{s}'"),
            }
        }
    }
}

pub fn string_literal(s: &str, kind: Kind) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            // Spark SQL reads `''` as two adjacent literals, not a quote.
            '\'' if kind == Kind::Spark => out.push_str("\\'"),
            '\'' => out.push_str("''"),
            '\\' if kind.lex().backslash_escapes => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// (year, month, day) of a day count from 2000-01-01 (Howard Hinnant's civil_from_days).
pub fn civil(days_from_2000: i64) -> (i64, u32, u32) {
    let z = days_from_2000 + 10957 + 719468; // 1970-01-01 is day 0 of the algorithm's epoch
    let era = z.div_euclid(146097);
    let doe = z.rem_euclid(146097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn date_string(d: i64) -> String {
    let (y, m, dd) = civil(d);
    format!("{y:04}-{m:02}-{dd:02}")
}

pub fn ts_string(us: i64) -> String {
    let day = us.div_euclid(86_400_000_000);
    let rest = us.rem_euclid(86_400_000_000);
    let secs = rest / 1_000_000;
    let micro = rest % 1_000_000;
    let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let base = format!("{} {h:02}:{mi:02}:{s:02}", date_string(day));
    if micro == 0 {
        base
    } else {
        format!("{base}.{micro:06}")
    }
}

pub fn self_check() {
    assert_eq!(date_string(0), "2000-01-01");
    assert_eq!(date_string(59), "2000-02-29");
    assert_eq!(date_string(8766), "2024-01-01");
    assert_eq!(date_string(-1), "1999-12-31");
    assert_eq!(
        ts_string(86_400_000_000 + 3_723_000_042),
        "2000-01-02 01:02:03.000042"
    );
    assert_eq!(literal(&Val::Dec(-1500), Kind::Postgres), "-1.500");
    assert_eq!(literal(&Val::Dec(-5), Kind::Postgres), "-0.005");
    assert_eq!(
        literal(&Val::Text("a'b\\c".into()), Kind::Mariadb),
        "'a''b\\\\c'"
    );
    assert_eq!(
        literal(&Val::Text("a'b\\c".into()), Kind::Postgres),
        "'a''b\\c'"
    );
}
