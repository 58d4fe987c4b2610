//! `IDEM015 add-column-without-if-not-exists`: `ALTER TABLE t ADD COLUMN c` fails on a rerun
//! once `c` exists. Fix: `ADD COLUMN IF NOT EXISTS c` where the dialect reads it (PostgreSQL,
//! DuckDB, MariaDB, Snowflake, BigQuery, Trino, ClickHouse).

use sqlparser::ast::{AlterTableOperation, Statement};

use super::{Finding, LintCtx, Rule};
use crate::Edit;
use crate::text::lexer::code_tokens;

pub(crate) fn check(stmt: &Statement, text: &str, offset: usize, ctx: &LintCtx) -> Vec<Finding> {
    let Statement::AlterTable(at) = stmt else {
        return Vec::new();
    };
    let toks = code_tokens(text, ctx.lex);
    // The ADD tokens that start a column (not a constraint, index or partition).
    let mut adds = Vec::new();
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate() {
        if t.is_punct(text, '(') {
            depth += 1;
        } else if t.is_punct(text, ')') {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && t.is_word(text, "ADD") {
            let next = toks.get(i + 1);
            let not_column = next.is_some_and(|n| {
                [
                    "CONSTRAINT",
                    "PRIMARY",
                    "UNIQUE",
                    "FOREIGN",
                    "CHECK",
                    "INDEX",
                    "KEY",
                    "PARTITION",
                    "PROJECTION",
                ]
                .iter()
                .any(|k| n.is_word(text, k))
            });
            if !not_column {
                let after = if next.is_some_and(|n| n.is_word(text, "COLUMN")) {
                    toks[i + 1].end
                } else {
                    t.end
                };
                adds.push(after);
            }
        }
    }
    let mut out = Vec::new();
    let mut n = 0;
    for op in &at.operations {
        let AlterTableOperation::AddColumn {
            if_not_exists,
            column_def,
            ..
        } = op
        else {
            continue;
        };
        let at_pos = adds.get(n).copied();
        n += 1;
        if *if_not_exists {
            continue;
        }
        let mut f = Finding::new(
            Rule::AddColumnWithoutIfNotExists,
            offset,
            offset + text.len(),
            format!(
                "{} fails when a rerun finds the column already added",
                super::code(&format!("ADD COLUMN {}", column_def.name))
            ),
        );
        match (ctx.caps.ddl.add_column_if_not_exists, at_pos) {
            (true, Some(p)) => {
                f = f.help("add IF NOT EXISTS").fix(
                    "Add IF NOT EXISTS",
                    vec![Edit::insert(offset + p, " IF NOT EXISTS")],
                );
            }
            _ => {
                f = f.help(format!(
                    "{} has no ADD COLUMN IF NOT EXISTS: check the catalog (information_schema.columns) first",
                    ctx.dialect
                ));
            }
        }
        out.push(f);
    }
    out
}
