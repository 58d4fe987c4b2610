//! `ON DUPLICATE KEY UPDATE` (MySQL, MariaDB): the clause is appended to the statement.
//!
//! MySQL 8.0.19+ names the incoming row with a row alias (`VALUES (...) AS new`), since
//! `VALUES(col)` is deprecated there (warning 1287 from 8.0.20). An `INSERT ... SELECT` takes no
//! row alias, so on MySQL its query becomes a derived table with named columns
//! (`SELECT * FROM (<query>) AS new (c1, c2)`, MySQL's documented form). MariaDB has neither
//! (MDEV-29919) and reads `VALUE(col)`. A no-op `k = k` makes the insert-if-absent form:
//! `INSERT IGNORE` would also swallow conversion and NOT NULL errors. Targets are qualified
//! with the table's name when a query feeds the insert, where a bare name could also be one of
//! the query's columns (error 1052, "Column ... is ambiguous").

use sqlparser::ast::SetExpr;

use crate::Edit;
use crate::dialect::UpsertForm;
use crate::rewrite::layout::Layout;
use crate::rewrite::model::{InsertModel, Source};
use crate::rewrite::plan::Plan;
use crate::rewrite::source::{kept_rows, named_source, rows_text};
use crate::rewrite::{Ctx, Rendered, Rewrite};

pub(crate) fn render(ctx: &Ctx, model: &InsertModel, plan: &Plan, ignore: bool) -> Rendered {
    let layout = Layout::new(model.text, ctx.indent);
    let non_key = plan.non_key();
    let from_query = matches!(model.source, Source::Query(_));
    let table = model.table_text();
    let target = |c: &str| {
        if from_query {
            format!("{table}.{c}")
        } else {
            c.to_string()
        }
    };
    let row_alias = if model
        .table
        .last()
        .is_some_and(|t| t.value.eq_ignore_ascii_case("new"))
    {
        "new_row"
    } else {
        "new"
    };
    let mut edits = Vec::new();
    // The source rewritten as a derived table, and the text right after it (before the clause).
    let mut derived: Option<String> = None;
    let mut close = String::new();
    let (assignments, title) = if ignore || non_key.is_empty() {
        let k = target(plan.cols[plan.key[0]].text);
        (
            format!("{k} = {k}"),
            "Rewrite with a no-op ON DUPLICATE KEY UPDATE (existing rows win)",
        )
    } else {
        let mysql = ctx.caps.writes.upsert == UpsertForm::DuplicateKeyRowAlias;
        if mysql {
            if from_query {
                derived = Some(format!(
                    "SELECT * FROM {}",
                    named_source(ctx, model, plan, row_alias)?
                ));
            } else {
                close = format!(" AS {row_alias}");
            }
        }
        let sets = non_key
            .iter()
            .map(|&i| {
                let c = plan.cols[i].text;
                if mysql {
                    format!("{} = {row_alias}.{c}", target(c))
                } else {
                    format!("{} = VALUE({c})", target(c))
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        (
            sets,
            "Rewrite as INSERT ... ON DUPLICATE KEY UPDATE (incoming rows win)",
        )
    };
    match &model.source {
        Source::Values { rows, .. } if plan.rows.is_some() => {
            if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
                edits.push(Edit {
                    start: model.base + first.start,
                    end: model.base + last.end,
                    text: rows_text(model, &kept_rows(model, plan)),
                });
            }
        }
        // `INSERT ... SELECT ... UNION ... ON DUPLICATE KEY UPDATE` is ambiguous to MySQL:
        // the set operation goes into a derived table, its columns named (a derived table's
        // columns must have distinct names: `SELECT 1, NULL, NULL` has not).
        Source::Query(q)
            if derived.is_none() && matches!(q.body.as_ref(), SetExpr::SetOperation { .. }) =>
        {
            derived = Some(format!(
                "SELECT * FROM {}",
                named_source(ctx, model, plan, "dt")?
            ));
        }
        _ => {}
    }
    if let Some(text) = derived {
        edits.push(Edit {
            start: model.base + model.source_span.0,
            end: model.base + model.source_span.1,
            text,
        });
    }
    let at = model.base + model.source_span.1;
    edits.push(Edit {
        start: at,
        end: at,
        text: format!(
            "{close}{}ON DUPLICATE KEY UPDATE {assignments}",
            layout.sep()
        ),
    });
    Ok(Rewrite {
        title: title.to_string(),
        edits,
    })
}
