//! `IDEM007 merge-updates-key`: a MERGE whose `WHEN MATCHED THEN UPDATE` sets a column of its
//! `ON` condition. Oracle rejects it (ORA-38104); elsewhere it is never useful, and it can move
//! a row out from under the key the next run matches on.

use sqlparser::ast::{AssignmentTarget, BinaryOperator, Expr, MergeAction, Statement};

use super::{Finding, LintCtx, Rule};
use crate::names::{Name, object_parts};

fn on_columns(e: &Expr, out: &mut Vec<Name>) {
    match e {
        Expr::BinaryOp { left, op, right } => {
            if matches!(op, BinaryOperator::And | BinaryOperator::Or) {
                on_columns(left, out);
                on_columns(right, out);
            } else {
                for side in [left, right] {
                    if let Some((_, i)) = crate::ast::exprs::column_ref(side) {
                        out.push(Name::from(i));
                    }
                }
            }
        }
        Expr::Nested(inner) => on_columns(inner, out),
        Expr::IsNotDistinctFrom(a, b) => {
            for side in [a, b] {
                if let Some((_, i)) = crate::ast::exprs::column_ref(side) {
                    out.push(Name::from(i));
                }
            }
        }
        _ => {}
    }
}

pub(crate) fn check(stmt: &Statement, text: &str, offset: usize, ctx: &LintCtx) -> Vec<Finding> {
    let Statement::Merge(merge) = stmt else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    on_columns(&merge.on, &mut keys);
    let mut out = Vec::new();
    for clause in &merge.clauses {
        let MergeAction::Update(update) = &clause.action else {
            continue;
        };
        let sqlparser::ast::MergeUpdateKind::Set(assignments) = &update.kind else {
            continue;
        };
        for a in assignments {
            let AssignmentTarget::ColumnName(name) = &a.target else {
                continue;
            };
            let Some(col) = object_parts(name).last().cloned() else {
                continue;
            };
            if keys.iter().any(|k| k.same(&col, ctx.caps.names.folding)) {
                let (s, e) = crate::ast::spans::node_range(text, a).unwrap_or((0, text.len()));
                out.push(
                    Finding::new(
                        Rule::MergeUpdatesKey,
                        offset + s,
                        offset + e,
                        format!("the MERGE updates `{}`, a column of its ON condition", col.value),
                    )
                    .help("remove the key column from the UPDATE SET list; matched rows already have that value"),
                );
            }
        }
    }
    out
}
