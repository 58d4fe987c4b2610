//! Databricks Delta's `INSERT INTO t REPLACE WHERE <partitions> SELECT ...`: Delta checks the
//! predicate against every inserted row, so the partitions replaced are exactly those written.

use super::derived::named_source;
use super::layout::Layout;
use super::predicate::replaced_rows;
use super::rows::{column_list, query_or_values_text};
use super::{Ctx, Rendered, Rewrite, insert_overwrite, replace_statement};
use crate::insert::InsertModel;
use crate::plan::{Replaced, Target};

pub(super) fn render(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    replaced: &Replaced,
) -> Rendered {
    if let Some(refusal) = insert_overwrite::returning_refusal(ctx, model) {
        return Err(refusal);
    }
    let sep = Layout::new(model.text, ctx.indent).sep();
    let order = match insert_overwrite::table_order(ctx, model, target, None) {
        Ok(o) => o,
        // Without the table's column order, the static partition form with a column list is
        // the one that needs no DDL.
        Err(_) if ctx.caps.writes.overwrite_column_list => {
            return insert_overwrite::statements(ctx, model, target, replaced);
        }
        Err(f) => return Err(f),
    };
    let pred = replaced_rows(ctx, model, target, replaced, None)?;
    let in_order = order.iter().copied().eq(0..target.cols.len());
    let direct = model.columns.is_empty() || in_order;
    let source = if direct {
        query_or_values_text(model, target)
    } else {
        let named = named_source(ctx, model, target, "s")?;
        format!("SELECT {} FROM {named}", column_list(target, "s.", &order))
    };
    // The query keeps a `WITH` written before INSERT in front of the statement; the derived
    // table of the reordering form already holds it.
    let prefix = match model.with_prefix {
        Some(w) if direct => format!("{}{sep}", model.slice(w)),
        _ => String::new(),
    };
    let table = model.table_text();
    let text = format!("{prefix}INSERT INTO {table} REPLACE WHERE {pred}{sep}{source}");
    Ok(Rewrite {
        title: "Rewrite as INSERT INTO ... REPLACE WHERE (replaces the written partitions)".into(),
        edits: replace_statement(ctx, model, text, false),
    })
}
