//! The parts of a query idemsql reads: its SELECT arms and their projection items.

use sqlparser::ast::{Expr, Select, SelectItem, SetExpr};

/// Every SELECT arm of a query body (`a UNION b` gives both).
pub(crate) fn select_arms(body: &SetExpr) -> Vec<&Select> {
    match body {
        SetExpr::Select(s) => vec![s],
        SetExpr::SetOperation { left, right, .. } => {
            let mut v = select_arms(left);
            v.extend(select_arms(right));
            v
        }
        SetExpr::Query(q) => select_arms(&q.body),
        _ => Vec::new(),
    }
}

/// The expression of the `i`-th projection item, with or without an alias (not for `*`).
pub(crate) fn projected(select: &Select, i: usize) -> Option<&Expr> {
    match select.projection.get(i) {
        Some(SelectItem::UnnamedExpr(e)) | Some(SelectItem::ExprWithAlias { expr: e, .. }) => {
            Some(e)
        }
        _ => None,
    }
}
