//! `ON DUPLICATE KEY UPDATE` (MySQL, MariaDB): the clause is appended to the statement.
//!
//! MySQL 8.0.19+ names the incoming row with a row alias (`VALUES (...) AS new`), since
//! `VALUES(col)` is deprecated there; MariaDB has no row alias and reads `VALUE(col)`. An
//! `INSERT ... SELECT` takes no row alias, so it refers to the incoming row with `VALUES(col)`
//! on MySQL too. A no-op `k = k` makes the insert-if-absent form: `INSERT IGNORE` would also
//! swallow conversion and NOT NULL errors.

use sqlparser::ast::SetExpr;

use crate::Edit;
use crate::dialect::UpsertForm;
use crate::rewrite::layout::Layout;
use crate::rewrite::model::{InsertModel, Source};
use crate::rewrite::plan::Plan;
use crate::rewrite::source::{kept_rows, rows_text};
use crate::rewrite::{Ctx, Rendered, Rewrite};

pub(crate) fn render(ctx: &Ctx, model: &InsertModel, plan: &Plan, ignore: bool) -> Rendered {
    let layout = Layout::new(model.text, ctx.indent);
    let non_key = plan.non_key();
    let mut edits = Vec::new();
    let mut alias = String::new();
    let (assignments, title) = if ignore || non_key.is_empty() {
        let k = &plan.cols[plan.key[0]].text;
        (
            format!("{k} = {k}"),
            "Rewrite with a no-op ON DUPLICATE KEY UPDATE (existing rows win)",
        )
    } else {
        let row_alias = ctx.caps.upsert == UpsertForm::DuplicateKeyRowAlias
            && matches!(model.source, Source::Values { .. });
        let name = if model
            .table
            .last()
            .is_some_and(|t| t.value.eq_ignore_ascii_case("new"))
        {
            "new_row"
        } else {
            "new"
        };
        if row_alias {
            alias = format!(" AS {name}");
        }
        let sets = non_key
            .iter()
            .map(|&i| {
                let c = &plan.cols[i].text;
                if row_alias {
                    format!("{c} = {name}.{c}")
                } else if ctx.caps.upsert == UpsertForm::DuplicateKeyValueFn {
                    format!("{c} = VALUE({c})")
                } else {
                    format!("{c} = VALUES({c})")
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
        // the set operation goes into a derived table.
        Source::Query(q) if matches!(q.body.as_ref(), SetExpr::SetOperation { .. }) => {
            edits.push(Edit {
                start: model.base + model.source_span.0,
                end: model.base + model.source_span.0,
                text: "SELECT * FROM (".into(),
            });
            alias = ") AS dt".into();
        }
        _ => {}
    }
    let at = model.base + model.source_span.1;
    edits.push(Edit {
        start: at,
        end: at,
        text: format!(
            "{alias}{}ON DUPLICATE KEY UPDATE {assignments}",
            layout.sep()
        ),
    });
    Ok(Rewrite {
        title: title.to_string(),
        edits,
    })
}
