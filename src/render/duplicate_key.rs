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

use super::derived::named_source;
use super::layout::Layout;
use super::rows::kept_rows_edit;
use super::{Ctx, Rendered, Rewrite};
use crate::dialect::UpsertForm;
use crate::insert::{InsertModel, Source};
use crate::plan::{Key, Refusal, Target};
use crate::text::edit::Edit;

pub(super) fn render(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    key: &Key,
    ignore: bool,
) -> Rendered {
    let layout = Layout::new(model.text, ctx.indent);
    let non_key = key.others(target.cols.len());
    let from_query = matches!(model.source, Source::Query(_));
    let table = model.table_text();
    let qualify = |c: &str| {
        if from_query {
            format!("{table}.{c}")
        } else {
            c.to_string()
        }
    };
    let mut edits = Vec::new();
    // The source rewritten as a derived table, and the text right after it (before the clause).
    let mut derived: Option<String> = None;
    let mut close = String::new();
    let (assignments, title) = if ignore || non_key.is_empty() {
        let k = qualify(target.cols[key.cols[0]].text);
        (
            format!("{k} = {k}"),
            "Rewrite with a no-op ON DUPLICATE KEY UPDATE (existing rows win)",
        )
    } else {
        let row_alias = row_alias(model);
        let mysql = ctx.caps.writes.upsert == UpsertForm::DuplicateKeyRowAlias;
        if mysql && from_query {
            derived = Some(derived_rows(ctx, model, target, row_alias)?);
        } else if mysql {
            close = format!(" AS {row_alias}");
        }
        let sets = non_key
            .iter()
            .map(|&i| {
                let c = target.cols[i].text;
                if mysql {
                    format!("{} = {row_alias}.{c}", qualify(c))
                } else {
                    format!("{} = VALUE({c})", qualify(c))
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        (
            sets,
            "Rewrite as INSERT ... ON DUPLICATE KEY UPDATE (incoming rows win)",
        )
    };
    edits.extend(kept_rows_edit(model, target));
    // `INSERT ... SELECT ... UNION ... ON DUPLICATE KEY UPDATE` is ambiguous to MySQL: the set
    // operation goes into a derived table, its columns named (a derived table's columns must
    // have distinct names: `SELECT 1, NULL, NULL` has not).
    if let Source::Query(q) = &model.source {
        if derived.is_none() && matches!(q.body.as_ref(), SetExpr::SetOperation { .. }) {
            derived = Some(derived_rows(ctx, model, target, "dt")?);
        }
    }
    if let Some(text) = derived {
        edits.push(Edit::replace(model.input_span(model.source_span), text));
    }
    let sep = layout.sep();
    edits.push(Edit::insert(
        model.base + model.source_span.1,
        format!("{close}{sep}ON DUPLICATE KEY UPDATE {assignments}"),
    ));
    Ok(Rewrite {
        title: title.to_string(),
        edits,
    })
}

/// The row alias: `new`, unless the table itself is called that.
fn row_alias(model: &InsertModel) -> &'static str {
    if model
        .table
        .last()
        .is_some_and(|t| t.value.eq_ignore_ascii_case("new"))
    {
        "new_row"
    } else {
        "new"
    }
}

/// `SELECT * FROM (<the rows>) AS alias (cols)`.
fn derived_rows(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    alias: &str,
) -> Result<String, Refusal> {
    Ok(format!(
        "SELECT * FROM {}",
        named_source(ctx, model, target, alias)?
    ))
}
