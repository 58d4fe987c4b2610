//! `IDEM012 relative-update`: `UPDATE t SET x = x + 1` changes the row again on every rerun.
//!
//! Only arithmetic and concatenation that use the target column itself are reported:
//! `x = x + 1`, `x = x || 'a'`, `x = 2 * (x - 1)`. Functions of the column (`GREATEST(x, 5)`,
//! `COALESCE(x, 0)`, `LOWER(x)`) are often idempotent and are not reported.
//!
//! Fix: compute the new value from data that does not change (`SET x = <absolute value>`),
//! or record applied changes (an `applied_batches` table) and skip those already applied.

use sqlparser::ast::{AssignmentTarget, BinaryOperator, Expr, Statement};

use super::{Finding, LintCtx, Rule};
use crate::names::Name;

fn uses_column(expr: &Expr, col: &Name, ctx: &LintCtx) -> bool {
    match expr {
        Expr::Identifier(i) => Name::from(i).same(col, ctx.caps.names.folding),
        Expr::CompoundIdentifier(parts) => parts
            .last()
            .is_some_and(|i| Name::from(i).same(col, ctx.caps.names.folding)),
        Expr::Nested(e) => uses_column(e, col, ctx),
        Expr::BinaryOp { left, op, right } if arithmetic(op) => {
            uses_column(left, col, ctx) || uses_column(right, col, ctx)
        }
        Expr::UnaryOp { expr, .. } => uses_column(expr, col, ctx),
        _ => false,
    }
}

fn arithmetic(op: &BinaryOperator) -> bool {
    matches!(
        op,
        BinaryOperator::Plus
            | BinaryOperator::Minus
            | BinaryOperator::Multiply
            | BinaryOperator::Divide
            | BinaryOperator::Modulo
            | BinaryOperator::StringConcat
    )
}

pub(crate) fn check(stmt: &Statement, text: &str, offset: usize, ctx: &LintCtx) -> Vec<Finding> {
    let Statement::Update(update) = stmt else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for a in &update.assignments {
        let AssignmentTarget::ColumnName(name) = &a.target else {
            continue;
        };
        let Some(col) = crate::names::object_parts(name).last().cloned() else {
            continue;
        };
        let relative = matches!(&a.value, Expr::BinaryOp { op, .. } if arithmetic(op))
            && uses_column(&a.value, &col, ctx);
        if relative {
            let (s, e) = crate::ast::spans::node_range(text, a).unwrap_or((0, text.len()));
            out.push(
                Finding::new(
                    Rule::RelativeUpdate,
                    offset + s,
                    offset + e,
                    format!(
                        "{} is set from its own value, so every rerun changes it again",
                        super::code(&col.value)
                    ),
                )
                .help("set an absolute value computed from data that does not change, or record which changes were applied and skip them"),
            );
        }
    }
    out
}
