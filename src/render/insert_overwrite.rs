//! `INSERT OVERWRITE TABLE t PARTITION (p = v) [(cols)] SELECT ...` (Hive, Spark), one
//! statement per static partition. The column list (Spark, Databricks) lets the rows keep the
//! statement's column order; without it (Hive) the DDL must give the table's order.

use std::collections::BTreeMap;

use super::derived::named_source;
use super::layout::Layout;
use super::rows::column_list;
use super::{Ctx, Rendered, Rewrite, replace_statement};
use crate::insert::{InsertModel, Source};
use crate::plan::{Partitions, Refusal, Replaced, Target};
use crate::rules::{unknown_columns, unsupported_form};

pub(super) fn render(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    replaced: &Replaced,
) -> Rendered {
    if let Some(refusal) = returning_refusal(ctx, model) {
        return Err(refusal);
    }
    statements(ctx, model, target, replaced)
}

/// The overwrite forms other than delete-then-insert are new statements that cannot keep a
/// RETURNING clause.
pub(super) fn returning_refusal(ctx: &Ctx, model: &InsertModel) -> Option<Refusal> {
    model.returning.map(|_| {
        Box::new(unsupported_form::overwrite_returning(
            model.insert_span(),
            ctx.dialect,
        ))
    })
}

/// One `INSERT OVERWRITE` per static partition (RETURNING already refused).
pub(super) fn statements(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    replaced: &Replaced,
) -> Rendered {
    let sep = Layout::new(model.text, ctx.indent).sep();
    let table = model.table_text();
    let (order, columns) = match table_order(ctx, model, target, Some(&replaced.cols)) {
        Ok(order) => (order, String::new()),
        Err(f) if ctx.caps.writes.overwrite_column_list && !model.columns.is_empty() => {
            let order: Vec<usize> = (0..target.cols.len())
                .filter(|i| !replaced.cols.contains(i))
                .collect();
            // Only partition columns listed: an empty list `()` is not SQL, and the other
            // columns are unknown without the DDL.
            if order.is_empty() {
                return Err(f);
            }
            let list = column_list(target, "", &order);
            (order, format!(" ({list})"))
        }
        Err(f) => return Err(f),
    };
    let groups = partition_groups(model, replaced).ok_or_else(|| {
        Box::new(unsupported_form::several_static_partitions(
            model.insert_span(),
            ctx.dialect,
        ))
    })?;
    let mut stmts = Vec::new();
    for (values, rows) in groups {
        let spec = replaced
            .cols
            .iter()
            .zip(&values)
            .map(|(&i, v)| format!("{} = {v}", target.cols[i].text))
            .collect::<Vec<_>>()
            .join(", ");
        let group = Target {
            rows,
            ..target.clone()
        };
        let named = named_source(ctx, model, &group, "s")?;
        let list = column_list(target, "s.", &order);
        stmts.push(format!(
            "INSERT OVERWRITE TABLE {table} PARTITION ({spec}){columns}{sep}SELECT {list} FROM {named}"
        ));
    }
    // A `WITH` written before INSERT went into the derived table with its query, or, where
    // a CTE cannot sit in a subquery (Hive), stays in front of the statement.
    let prefix = match model.with_prefix {
        Some(w) if !ctx.caps.rows.cte_in_subquery => format!("{}{sep}", model.slice(w)),
        _ => String::new(),
    };
    let text = format!("{prefix}{}", stmts.join(&format!(";{sep}")));
    Ok(Rewrite {
        title: "Rewrite as INSERT OVERWRITE TABLE ... PARTITION (replaces the written partitions)"
            .into(),
        edits: replace_statement(ctx, model, text, false),
    })
}

/// The order of the table's columns as indices into the target's columns (without the
/// columns `skip`). Forms without a column list need it; it comes from the DDL, or from the
/// statement when it lists no columns (then it is in table order already).
pub(super) fn table_order(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    skip: Option<&[usize]>,
) -> Result<Vec<usize>, Refusal> {
    let keep = |i: &usize| skip.is_none_or(|s| !s.contains(i));
    if model.columns.is_empty() {
        return Ok((0..target.cols.len()).filter(keep).collect());
    }
    let Some(table) = target.table.filter(|t| !t.columns.is_empty()) else {
        return Err(Box::new(unknown_columns::no_table_order(
            model.insert_span(),
            ctx.dialect,
            model.table_text(),
        )));
    };
    let folding = ctx.caps.names.folding;
    let mut order = Vec::new();
    for tc in &table.columns {
        let Some(i) = target
            .cols
            .iter()
            .position(|c| c.name.same(&tc.name, folding))
        else {
            return Err(Box::new(unknown_columns::column_not_inserted(
                model.insert_span(),
                &tc.name.value,
            )));
        };
        if keep(&i) {
            order.push(i);
        }
    }
    Ok(order)
}

/// One static partition: its values as written, and the VALUES rows in it (`None`: all of
/// the query's rows).
type Group = (Vec<String>, Option<Vec<usize>>);

/// Group the rows by their partition values: one group per static partition spec. `None`
/// when a row writes a NULL or computed partition, or a query writes several partitions.
fn partition_groups(model: &InsertModel, replaced: &Replaced) -> Option<Vec<Group>> {
    match (&model.source, &replaced.values) {
        (Source::Values { rows, .. }, _) => {
            let mut groups: BTreeMap<Vec<String>, (Vec<String>, Vec<usize>)> = BTreeMap::new();
            let mut order: Vec<Vec<String>> = Vec::new();
            for (ri, r) in rows.iter().enumerate() {
                let mut key = Vec::new();
                let mut texts = Vec::new();
                for &ci in &replaced.cols {
                    let v = r.value(ci)?;
                    if v.is_null() {
                        return None;
                    }
                    key.push(v.canonical()?);
                    texts.push(model.slice(v.range()).to_string());
                }
                let entry = groups.entry(key.clone()).or_insert_with(|| {
                    order.push(key.clone());
                    (texts, Vec::new())
                });
                entry.1.push(ri);
            }
            Some(
                order
                    .into_iter()
                    .filter_map(|k| groups.remove(&k))
                    .map(|(t, rows)| (t, Some(rows)))
                    .collect(),
            )
        }
        (Source::Query(_), Partitions::Tuples(tuples)) if tuples.len() == 1 => {
            let t: Option<Vec<String>> = tuples[0].iter().cloned().collect();
            t.map(|t| vec![(t, None)])
        }
        _ => None,
    }
}
