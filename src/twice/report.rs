//! What a test of one script found, and the words for it: a verdict in one line, then for each
//! table that differs its row counts and the rows only after one run or only after two, as a
//! readable table; a run that failed with the engine's error and the statement's line:column.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Row, TableDiff};

/// Which run of the script a failure or a difference belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Run {
    /// The `--setup` scripts, before the first run.
    Setup,
    First,
    Second,
    /// The whole script again, after a run stopped after `stopped_after` statements.
    AfterCrash {
        stopped_after: usize,
    },
}

/// A statement the engine refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub run: Run,
    /// 1-based position of the statement in its script.
    pub statement: usize,
    /// 1-based line and column of the statement in its file.
    pub line: usize,
    pub column: usize,
    /// The engine's error message.
    pub error: String,
}

/// The verdict on one script (the file as written, or its rewrite).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum Outcome {
    /// The second run left every table as the first did (and every crash and rerun as one run).
    Idempotent,
    /// The second run changed these tables.
    NotIdempotent { tables: Vec<TableDiff> },
    /// A run stopped after `stopped_after` statements (the connection dropped, an open
    /// transaction rolled back) and then run whole left these tables unlike one clean run.
    NotCrashSafe {
        stopped_after: usize,
        line: usize,
        column: usize,
        tables: Vec<TableDiff>,
    },
    /// A run failed.
    Failed { failure: Failure },
}

impl Outcome {
    pub fn passed(&self) -> bool {
        matches!(self, Outcome::Idempotent)
    }
}

/// One script tested: what it is, the row count of each table after one run and after two,
/// and the verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trial {
    /// `original` or `rewritten`.
    pub label: String,
    pub counts: Vec<TableCount>,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// A table's rows after one run and after two (`None`: it did not exist, or the run failed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCount {
    pub table: String,
    pub once: Option<usize>,
    pub twice: Option<usize>,
}

/// Whether a file passed: every one of its trials is idempotent.
pub fn passed(trials: &[Trial]) -> bool {
    trials.iter().all(|t| t.outcome.passed())
}

/// The report on one file: its trials, in order (the original, then its rewrite).
pub fn text(file: &str, trials: &[Trial]) -> String {
    let mut out = String::new();
    let passed = passed(trials);
    let _ = writeln!(
        out,
        "{file}: {}",
        if passed {
            "idempotent"
        } else {
            "NOT idempotent"
        }
    );
    for t in trials {
        let _ = writeln!(out, "  {}: {}", t.label, summary(t));
        detail(&mut out, &t.outcome);
    }
    out
}

/// "2 rows after one run, 4 after two" for each table, or what failed.
fn summary(t: &Trial) -> String {
    let counts = t
        .counts
        .iter()
        .map(|c| match c.twice {
            Some(n) => format!("{} {} after one run, {n} after two", c.table, rows(c.once)),
            None => format!("{} {} after one run", c.table, rows(c.once)),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let verdict = match &t.outcome {
        Outcome::Idempotent => "idempotent".to_string(),
        Outcome::NotIdempotent { tables } => format!(
            "NOT idempotent: the second run changed {}",
            names(tables.iter().map(|d| d.table.as_str()))
        ),
        Outcome::NotCrashSafe {
            stopped_after,
            line,
            column,
            ..
        } => format!(
            "NOT safe to rerun after a crash: stopped after statement {stopped_after} \
             (line {line}:{column}), the rerun leaves other data than one run"
        ),
        Outcome::Failed { failure } => format!(
            "{} run failed at statement {} (line {}:{}): {}",
            run_name(failure.run),
            failure.statement,
            failure.line,
            failure.column,
            failure.error.trim()
        ),
    };
    if counts.is_empty() {
        verdict
    } else {
        format!("{verdict} ({counts})")
    }
}

fn rows(n: Option<usize>) -> String {
    match n {
        Some(1) => "1 row".to_string(),
        Some(n) => format!("{n} rows"),
        None => "no table".to_string(),
    }
}

fn names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

fn run_name(run: Run) -> String {
    match run {
        Run::Setup => "the setup".to_string(),
        Run::First => "the first".to_string(),
        Run::Second => "the second".to_string(),
        Run::AfterCrash { stopped_after } => {
            format!("the rerun after stopping at statement {stopped_after},")
        }
    }
}

fn detail(out: &mut String, outcome: &Outcome) {
    let (tables, first, second) = match outcome {
        Outcome::NotIdempotent { tables } => (tables, "after one run", "after two runs"),
        Outcome::NotCrashSafe { tables, .. } => {
            (tables, "after one clean run", "after the crash and rerun")
        }
        _ => return,
    };
    for d in tables {
        let _ = writeln!(
            out,
            "    {}: {} {first}, {} {second}",
            d.table,
            rows(d.rows_before),
            rows(d.rows_after)
        );
        rows_table(out, &d.columns, &d.only_before, d.only_before_count, first);
        rows_table(out, &d.columns, &d.only_after, d.only_after_count, second);
        if !d.changed_columns.is_empty() {
            let _ = writeln!(
                out,
                "      the rows differ only in {}: if that is on purpose, pass {}",
                names(d.changed_columns.iter().map(String::as_str)),
                d.changed_columns
                    .iter()
                    .map(|c| format!("--ignore-column {}.{c}", d.table))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        if !d.ignored_columns.is_empty() {
            let _ = writeln!(
                out,
                "      not compared: {}",
                names(d.ignored_columns.iter().map(String::as_str))
            );
        }
    }
}

/// "only after two runs (2 rows):" and the rows as an aligned table.
fn rows_table(out: &mut String, columns: &[String], shown: &[Row], count: usize, when: &str) {
    if count == 0 {
        return;
    }
    let _ = writeln!(out, "      only {when} ({}):", rows(Some(count)));
    let cell = |v: &Option<String>| v.clone().unwrap_or_else(|| "NULL".to_string());
    let mut widths: Vec<usize> = columns.iter().map(|c| c.chars().count()).collect();
    for r in shown {
        for (w, v) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell(v).chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, &w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        format!("        | {} |", padded.join(" | "))
    };
    let _ = writeln!(out, "{}", line(columns.to_vec()));
    for r in shown {
        let _ = writeln!(out, "{}", line(r.iter().map(cell).collect()));
    }
    if count > shown.len() {
        let _ = writeln!(out, "        ... and {} more", count - shown.len());
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Snapshot, Table, compare};
    use super::*;

    #[test]
    fn a_plain_insert_reported_beside_its_rewrite() {
        let table = |rows: &[&str]| Table {
            name: "orders".into(),
            columns: vec!["order_id".into(), "note".into()],
            rows: rows
                .iter()
                .map(|r| vec![Some(r.to_string()), None])
                .collect(),
        };
        let once = Snapshot {
            tables: vec![table(&["1", "2"])],
        };
        let twice = Snapshot {
            tables: vec![table(&["1", "1", "2", "2"])],
        };
        let counts = |n| {
            vec![TableCount {
                table: "orders".into(),
                once: Some(2),
                twice: Some(n),
            }]
        };
        let trials = [
            Trial {
                label: "original".into(),
                counts: counts(4),
                outcome: Outcome::NotIdempotent {
                    tables: compare(&once, &twice, &[]),
                },
            },
            Trial {
                label: "rewritten".into(),
                counts: counts(2),
                outcome: Outcome::Idempotent,
            },
        ];
        assert_eq!(
            text("load.sql", &trials),
            "\
load.sql: NOT idempotent
  original: NOT idempotent: the second run changed orders (orders 2 rows after one run, 4 after two)
    orders: 2 rows after one run, 4 rows after two runs
      only after two runs (2 rows):
        | order_id | note |
        | 1        | NULL |
        | 2        | NULL |
  rewritten: idempotent (orders 2 rows after one run, 2 after two)
"
        );
    }

    #[test]
    fn a_failed_second_run_names_the_statement() {
        let trial = Trial {
            label: "original".into(),
            counts: vec![],
            outcome: Outcome::Failed {
                failure: Failure {
                    run: Run::Second,
                    statement: 1,
                    line: 3,
                    column: 1,
                    error: "table t already exists\n".into(),
                },
            },
        };
        assert_eq!(
            text("ddl.sql", &[trial]),
            "ddl.sql: NOT idempotent\n  original: the second run failed at statement 1 (line 3:1): table t already exists\n"
        );
    }
}
