//! `IDEM025 rename-fails-on-rerun`: `ALTER TABLE t RENAME TO u`, MySQL's `RENAME TABLE t TO u`
//! and `ALTER TABLE t RENAME COLUMN a TO b` fail on a rerun: the old name is gone. No dialect
//! has a guarded form (`RENAME ... IF EXISTS` only guards the table, not the name it is
//! renamed from having moved), so there is no fix; the help says how to guard it by hand.
//!
//! Not reported when the table was dropped (or its schema or database rebuilt) earlier in the
//! script: it is new on every run.

use sqlparser::ast::{AlterTableOperation, Statement};

use super::{Finding, LintCtx, Rule};
use crate::names::object_parts;

pub(crate) fn check(stmt: &Statement, text: &str, offset: usize, ctx: &LintCtx) -> Vec<Finding> {
    let renames: Vec<String> = match stmt {
        Statement::AlterTable(alter) if !ctx.rebuilt("TABLE", &object_parts(&alter.name)) => alter
            .operations
            .iter()
            .filter_map(|op| match op {
                AlterTableOperation::RenameTable { .. } => {
                    Some(super::code(&format!("ALTER TABLE {} RENAME TO", alter.name)))
                }
                AlterTableOperation::RenameColumn {
                    old_column_name, ..
                } => Some(super::code(&format!(
                    "ALTER TABLE {} RENAME COLUMN {old_column_name}",
                    alter.name
                ))),
                _ => None,
            })
            .collect(),
        Statement::RenameTable(pairs) => pairs
            .iter()
            .filter(|p| !ctx.rebuilt("TABLE", &object_parts(&p.old_name)))
            .map(|p| super::code(&format!("RENAME TABLE {} TO {}", p.old_name, p.new_name)))
            .collect(),
        _ => Vec::new(),
    };
    renames
        .into_iter()
        .map(|what| {
            Finding::new(
                Rule::RenameFailsOnRerun,
                offset,
                offset + text.len(),
                format!("{what} fails when a rerun finds the old name already renamed"),
            )
            .help(format!(
                "{} has no guarded RENAME: run it only when the old name exists (a migration tool's version table, or a procedural block that checks information_schema first), or mark it `-- idemsql: ignore(IDEM025)` if the script runs once",
                ctx.dialect
            ))
        })
        .collect()
}
