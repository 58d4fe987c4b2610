//! `IDEM007 merge-updates-key`: a MERGE whose `WHEN MATCHED THEN UPDATE` sets a column of its
//! `ON` condition. Oracle rejects it (ORA-38104); elsewhere it is never useful, and it can move
//! a row out from under the key the next run matches on.
//!
//! `UPDATE SET t.k = s.k` where the ON condition is `t.k = s.k` (or a conjunction holding it)
//! sets the key to the value it already has: a no-op, reported as a note, except where the
//! dialect rejects any update of an ON column (`dialect/merge.rs`).

use sqlparser::ast::{AssignmentTarget, BinaryOperator, Expr, MergeAction, Statement};

use super::{Finding, LintCtx, Rule};
use crate::diagnostic::Severity;
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

/// The equalities `a = b` (and `a IS NOT DISTINCT FROM b`) the ON condition requires: its
/// top-level conjuncts, not the arms of an OR.
fn required_equalities<'e>(e: &'e Expr, out: &mut Vec<(&'e Expr, &'e Expr)>) {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            required_equalities(left, out);
            required_equalities(right, out);
        }
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        }
        | Expr::IsNotDistinctFrom(left, right) => out.push((left, right)),
        Expr::Nested(inner) => required_equalities(inner, out),
        _ => {}
    }
}

/// Does `SET target = value` give a column the value the ON condition matched it to? True when
/// an equality of the ON condition has the target column on one side and `value` on the other.
fn is_no_op(target: &[Name], value: &Expr, equalities: &[(&Expr, &Expr)], ctx: &LintCtx) -> bool {
    let folding = ctx.caps.names.folding;
    let Some(col) = target.last() else {
        return false;
    };
    let names_target = |e: &Expr| {
        crate::ast::exprs::column_ref(e).is_some_and(|(qual, c)| {
            let qual_ok = match (qual, target.len() >= 2) {
                (Some(q), true) => Name::unquoted(&q).same(&target[target.len() - 2], folding),
                _ => true,
            };
            qual_ok && Name::from(c).same(col, folding)
        })
    };
    let same = |a: &Expr, b: &Expr| a.to_string() == b.to_string();
    equalities.iter().any(|(l, r)| {
        (names_target(l) && same(r, value)) || (names_target(r) && same(l, value))
    })
}

pub(crate) fn check(stmt: &Statement, text: &str, offset: usize, ctx: &LintCtx) -> Vec<Finding> {
    let Statement::Merge(merge) = stmt else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    on_columns(&merge.on, &mut keys);
    let mut equalities = Vec::new();
    required_equalities(&merge.on, &mut equalities);
    let rejects_any = ctx.caps.merge.is_some_and(|m| !m.updates_on_columns);
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
            let target = object_parts(name);
            let Some(col) = target.last().cloned() else {
                continue;
            };
            if !keys.iter().any(|k| k.same(&col, ctx.caps.names.folding)) {
                continue;
            }
            let (s, e) = crate::ast::spans::node_range(text, a).unwrap_or((0, text.len()));
            let no_op = is_no_op(&target, &a.value, &equalities, ctx);
            out.push(finding(offset + s, offset + e, &col.value, no_op, rejects_any, ctx));
        }
    }
    out
}

fn finding(start: usize, end: usize, col: &str, no_op: bool, rejects_any: bool, ctx: &LintCtx) -> Finding {
    let f = Finding::new(
        Rule::MergeUpdatesKey,
        start,
        end,
        format!("the MERGE updates `{col}`, a column of its ON condition"),
    );
    match (no_op, rejects_any) {
        (true, false) => Finding {
            message: format!(
                "the MERGE sets `{col}` to the value its ON condition matched: a no-op"
            ),
            ..f
        }
        .severity(Severity::Info)
        .help("harmless on a rerun; remove the assignment to say so"),
        (true, true) => f.help(format!(
            "{} rejects any update of a column of the ON condition, even to the value it has (ORA-38104): remove the assignment",
            ctx.dialect
        )),
        (false, _) => f.help(
            "remove the key column from the UPDATE SET list; matched rows already have that value",
        ),
    }
}
