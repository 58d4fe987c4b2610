//! Recognising INSERTs that are already safe to rerun, so they are left alone.

use sqlparser::ast::{
    Expr, InTarget, Insert, JoinOperator, Query, SetExpr, TableFactor, TableWithJoins,
};

use crate::dialect::CaseFolding;
use crate::names::{Name, object_parts, same_table};
use crate::text::lexer::{LexOptions, code_tokens};

/// Why an INSERT needs no rewrite, or `None` when it does.
pub(crate) fn reason(
    insert: &Insert,
    table: &[Name],
    folding: CaseFolding,
) -> Option<&'static str> {
    if insert.on.is_some() {
        return Some("it already has ON CONFLICT / ON DUPLICATE KEY UPDATE");
    }
    if insert.ignore || insert.or.is_some() || insert.replace_into {
        return Some("it is INSERT IGNORE / INSERT OR ... / REPLACE");
    }
    if insert.overwrite {
        return Some("it is INSERT OVERWRITE");
    }
    if insert.optimizer_hints.iter().any(|h| {
        h.text
            .to_ascii_uppercase()
            .contains("IGNORE_ROW_ON_DUPKEY_INDEX")
    }) {
        return Some("its IGNORE_ROW_ON_DUPKEY_INDEX hint skips rows that exist");
    }
    if let Some(q) = &insert.source {
        if guarded_query(q, table, folding) {
            return Some(
                "its SELECT already skips rows that exist (NOT EXISTS / NOT IN / anti-join)",
            );
        }
    }
    None
}

/// Statements sqlparser cannot read that are idempotent forms: Databricks
/// `INSERT INTO t REPLACE WHERE|USING|ON`, Hive `INSERT OVERWRITE ... IF NOT EXISTS`.
pub(crate) fn unparsed_idempotent(code: &str, lex: LexOptions) -> bool {
    let toks = code_tokens(code, lex);
    let Some(first) = toks.first() else {
        return false;
    };
    if !first.is_word(code, "INSERT") {
        return false;
    }
    if toks.get(1).is_some_and(|t| t.is_word(code, "OVERWRITE")) {
        return true;
    }
    // ClickHouse's `INSERT ... SETTINGS insert_deduplicate = 0 VALUES`, the INSERT half of the
    // overwrite idemsql writes there.
    if toks
        .windows(2)
        .any(|w| w[0].is_word(code, "SETTINGS") && w[1].is_word(code, "insert_deduplicate"))
    {
        return true;
    }
    toks.windows(2).any(|w| {
        w[0].is_word(code, "REPLACE")
            && (w[1].is_word(code, "WHERE")
                || w[1].is_word(code, "USING")
                || w[1].is_word(code, "ON"))
    })
}

fn mentions_table(twj: &[TableWithJoins], table: &[Name], folding: CaseFolding) -> bool {
    let factor_is = |f: &TableFactor| match f {
        TableFactor::Table { name, .. } => same_table(&object_parts(name), table, folding),
        TableFactor::Derived { subquery, .. } => query_mentions(subquery, table, folding),
        _ => false,
    };
    twj.iter()
        .any(|t| factor_is(&t.relation) || t.joins.iter().any(|j| factor_is(&j.relation)))
}

fn query_mentions(q: &Query, table: &[Name], folding: CaseFolding) -> bool {
    crate::ast::query::select_arms(&q.body)
        .iter()
        .any(|s| mentions_table(&s.from, table, folding))
}

/// The WHERE of the (first) SELECT excludes rows already in `table`.
fn guarded_query(q: &Query, table: &[Name], folding: CaseFolding) -> bool {
    let arms = crate::ast::query::select_arms(&q.body);
    if arms.is_empty()
        || !matches!(
            q.body.as_ref(),
            SetExpr::Select(_) | SetExpr::SetOperation { .. } | SetExpr::Query(_)
        )
    {
        return false;
    }
    arms.iter().all(|s| {
        let excluded = s.selection.as_ref().is_some_and(|w| {
            crate::ast::exprs::conjuncts(w).iter().any(|c| match c {
                Expr::Exists { subquery, negated: true } => {
                    query_mentions(subquery, table, folding) && correlated(subquery)
                }
                Expr::In { target: InTarget::Subquery(subquery), negated: true, .. } => query_mentions(subquery, table, folding),
                Expr::UnaryOp { op: sqlparser::ast::UnaryOperator::Not, expr } => matches!(
                    expr.as_ref(),
                    Expr::Exists { subquery, negated: false }
                        if query_mentions(subquery, table, folding) && correlated(subquery)
                ),
                _ => false,
            })
        });
        // `LEFT JOIN target ... WHERE target.k IS NULL`.
        let anti_join = s.from.iter().any(|twj| {
            twj.joins.iter().any(|j| {
                matches!(j.join_operator, JoinOperator::LeftOuter(_) | JoinOperator::Left(_))
                    && matches!(&j.relation, TableFactor::Table { name, .. } if same_table(&object_parts(name), table, folding))
            })
        }) && s.selection.as_ref().is_some_and(|w| {
            crate::ast::exprs::conjuncts(w)
                .iter()
                .any(|c| matches!(c, Expr::IsNull(_)))
        });
        excluded || anti_join
    })
}

/// Does the subquery compare a column with a column of the outer query (`t.k = s.k`)? Only
/// then does `NOT EXISTS` skip the rows that are already there; `NOT EXISTS (SELECT 1 FROM t
/// WHERE t.created_at > now())` guards nothing.
fn correlated(q: &Query) -> bool {
    use sqlparser::ast::BinaryOperator;
    let arms = crate::ast::query::select_arms(&q.body);
    arms.iter().any(|s| {
        s.selection.as_ref().is_some_and(|w| {
            crate::ast::exprs::conjuncts(w).iter().any(|c| {
                let (a, b) = match c {
                    Expr::BinaryOp {
                        left,
                        // SQLite's NULL-safe equality is `IS`.
                        op: BinaryOperator::Eq | BinaryOperator::Spaceship | BinaryOperator::Is,
                        right,
                    } => (left.as_ref(), right.as_ref()),
                    Expr::IsNotDistinctFrom(l, r) => (l.as_ref(), r.as_ref()),
                    _ => return false,
                };
                match (
                    crate::ast::exprs::column_ref(a),
                    crate::ast::exprs::column_ref(b),
                ) {
                    (Some((qa, _)), Some((qb, _))) => qa != qb,
                    _ => false,
                }
            })
        })
    })
}
