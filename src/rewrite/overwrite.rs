//! Replace the partitions a statement writes, whole: delete then insert in one transaction,
//! `INSERT OVERWRITE TABLE t PARTITION (...)` (Hive, Spark), `INSERT INTO t REPLACE WHERE`
//! (Databricks), or one `MERGE ... ON FALSE ... NOT MATCHED BY SOURCE AND <partitions> THEN
//! DELETE` (BigQuery). The predicate names exactly the partitions the rows carry, never more.

use std::collections::BTreeMap;

use crate::dialect::OverwriteForm;
use crate::rewrite::exprs;
use crate::rewrite::layout::Layout;
use crate::rewrite::merge::{MergeParts, refs, render_merge};
use crate::rewrite::model::{InsertModel, Source};
use crate::rewrite::plan::{Partitions, Plan};
use crate::rewrite::source::named_source;
use crate::rewrite::{Ctx, Rendered, Rewrite, replace_statement};
use crate::rules::{Finding, Rule};

fn refuse(model: &InsertModel, rule: Rule, message: String, help: &str) -> Box<Finding> {
    Box::new(
        Finding::new(
            rule,
            model.base + model.insert_start,
            model.base + model.text.len(),
            message,
        )
        .help(help),
    )
}

/// The predicate selecting the written partitions, on columns qualified by `qualifier`.
pub(crate) fn partition_predicate(
    ctx: &Ctx,
    model: &InsertModel,
    plan: &Plan,
    qualifier: Option<&str>,
) -> Result<String, Box<Finding>> {
    let col = |i: usize| match qualifier {
        Some(q) => format!("{q}.{}", plan.cols[plan.partition[i]].text),
        None => plan.cols[plan.partition[i]].text.to_string(),
    };
    Ok(match &plan.partitions {
        Some(Partitions::Range(lo, hi)) => format!("{} BETWEEN {lo} AND {hi}", col(0)),
        Some(Partitions::FromQuery) => {
            let named = named_source(ctx, model, plan, "s")?;
            let c = plan.cols[plan.partition[0]].text;
            format!("{} IN (SELECT s.{c} FROM {named})", col(0))
        }
        Some(Partitions::Tuples(tuples)) if plan.partition.len() == 1 => {
            let c = col(0);
            let vals: Vec<&str> = tuples.iter().filter_map(|t| t[0].as_deref()).collect();
            let has_null = tuples.iter().any(|t| t[0].is_none());
            let list = match vals.len() {
                0 => None,
                1 => Some(format!("{c} = {}", vals[0])),
                _ => Some(format!("{c} IN ({})", vals.join(", "))),
            };
            match (list, has_null) {
                (Some(l), false) => l,
                (Some(l), true) => format!("({l} OR {c} IS NULL)"),
                (None, _) => format!("{c} IS NULL"),
            }
        }
        Some(Partitions::Tuples(tuples)) => {
            let conj = |t: &Vec<Option<String>>| {
                t.iter()
                    .enumerate()
                    .map(|(i, v)| match v {
                        Some(v) => format!("{} = {v}", col(i)),
                        None => format!("{} IS NULL", col(i)),
                    })
                    .collect::<Vec<_>>()
                    .join(" AND ")
            };
            if tuples.len() == 1 {
                conj(&tuples[0])
            } else {
                tuples
                    .iter()
                    .map(|t| format!("({})", conj(t)))
                    .collect::<Vec<_>>()
                    .join(" OR ")
            }
        }
        None => "FALSE".into(),
    })
}

pub(crate) fn render(ctx: &Ctx, model: &InsertModel, plan: &Plan, form: OverwriteForm) -> Rendered {
    let layout = Layout::new(model.text, ctx.indent);
    let sep = layout.sep();
    if form != OverwriteForm::DeleteInsert && model.returning.is_some() {
        return Err(refuse(
            model,
            Rule::UnsupportedForm,
            format!("the {} overwrite form cannot keep RETURNING", ctx.dialect),
            "drop RETURNING from the statement",
        ));
    }
    let table = model.table_text();
    match form {
        OverwriteForm::DeleteInsert => {
            let tx = if ctx.in_transaction {
                crate::dialect::Transaction {
                    begin: &[],
                    commit: None,
                }
            } else {
                ctx.caps.script.transaction
            };
            let mut parts: Vec<String> = tx.begin.iter().map(|s| s.to_string()).collect();
            parts.push(format!(
                "DELETE FROM {table} WHERE {}",
                partition_predicate(ctx, model, plan, None)?
            ));
            parts.push(match ctx.caps.writes.overwrite_insert_settings {
                Some(settings) => {
                    let at = model.source_span.0;
                    format!("{}{settings} {}", &model.text[..at], &model.text[at..])
                }
                None => model.text.to_string(),
            });
            if let Some(c) = tx.commit {
                parts.push(c.to_string());
            }
            let text = parts.join(&format!(";{sep}"));
            let title = if tx.begin.is_empty() {
                "Rewrite as DELETE of the written partitions, then INSERT"
            } else {
                "Rewrite as DELETE of the written partitions and INSERT in one transaction"
            };
            Ok(Rewrite {
                title: title.into(),
                edits: replace_statement(ctx, model, text, false),
            })
        }
        OverwriteForm::MergeBySource => {
            let style = ctx
                .caps
                .merge
                .ok_or_else(|| refuse(model, Rule::UnsupportedForm, "no MERGE".into(), ""))?;
            let r = refs(model, &style);
            let source = named_source(ctx, model, plan, &r.source)?;
            let s = &r.source;
            let parts = MergeParts {
                on: "FALSE".into(),
                by_source_delete: Some(partition_predicate(ctx, model, plan, Some(&r.target))?),
                update: None,
                insert_cols: plan
                    .cols
                    .iter()
                    .map(|c| c.text)
                    .collect::<Vec<_>>()
                    .join(", "),
                insert_vals: plan
                    .cols
                    .iter()
                    .map(|c| format!("{s}.{}", c.text))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            let text = render_merge(ctx, model, &r, &source, &parts);
            Ok(Rewrite {
                title: "Rewrite as one MERGE that replaces the written partitions".into(),
                edits: replace_statement(ctx, model, text, style.needs_terminator),
            })
        }
        OverwriteForm::ReplaceWhere => {
            let order = match table_order(ctx, model, plan, false) {
                Ok(o) => o,
                // Without the table's column order, the static partition form with a column
                // list is the one that needs no DDL.
                Err(_) if ctx.caps.writes.overwrite_column_list => {
                    return insert_overwrite(ctx, model, plan, &layout);
                }
                Err(f) => return Err(f),
            };
            let pred = partition_predicate(ctx, model, plan, None)?;
            let in_order = order.iter().copied().eq(0..plan.cols.len());
            let direct = model.columns.is_empty() || in_order;
            let source = if direct {
                crate::rewrite::source::query_or_values_text(model, plan)
            } else {
                let named = named_source(ctx, model, plan, "s")?;
                let list = order
                    .iter()
                    .map(|&i| format!("s.{}", plan.cols[i].text))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!("SELECT {list} FROM {named}")
            };
            // The query keeps a `WITH` written before INSERT in front of the statement; the
            // derived table of the reordering form already holds it.
            let prefix = match model.with_prefix {
                Some(w) if direct => format!("{}{sep}", model.slice(w)),
                _ => String::new(),
            };
            let text = format!("{prefix}INSERT INTO {table} REPLACE WHERE {pred}{sep}{source}");
            Ok(Rewrite {
                title: "Rewrite as INSERT INTO ... REPLACE WHERE (replaces the written partitions)"
                    .into(),
                edits: replace_statement(ctx, model, text, false),
            })
        }
        OverwriteForm::InsertOverwritePartition => insert_overwrite(ctx, model, plan, &layout),
    }
}

/// `INSERT OVERWRITE TABLE t PARTITION (p = v) [(cols)] SELECT ...`, one statement per
/// static partition. The column list (Spark, Databricks) lets the rows keep the statement's
/// column order; without it (Hive) the DDL must give the table's order.
fn insert_overwrite(ctx: &Ctx, model: &InsertModel, plan: &Plan, layout: &Layout) -> Rendered {
    let sep = layout.sep();
    let table = model.table_text();
    let (order, column_list) = match table_order(ctx, model, plan, true) {
        Ok(order) => (order, String::new()),
        Err(_) if ctx.caps.writes.overwrite_column_list && !model.columns.is_empty() => {
            let order: Vec<usize> = (0..plan.cols.len())
                .filter(|i| !plan.partition.contains(i))
                .collect();
            let list = order
                .iter()
                .map(|&i| plan.cols[i].text)
                .collect::<Vec<_>>()
                .join(", ");
            (order, format!(" ({list})"))
        }
        Err(f) => return Err(f),
    };

    let groups = partition_groups(model, plan).ok_or_else(|| {
            refuse(
                model,
                Rule::UnsupportedForm,
                format!(
                    "INSERT OVERWRITE ... PARTITION in {} names one static partition; this statement writes several, or a NULL one",
                    ctx.dialect
                ),
                "split the statement into one per partition",
            )
        })?;
    let mut stmts = Vec::new();
    for (values, rows) in groups {
        let spec = plan
            .partition
            .iter()
            .zip(&values)
            .map(|(&i, v)| format!("{} = {v}", plan.cols[i].text))
            .collect::<Vec<_>>()
            .join(", ");
        let group_plan = Plan {
            rows: rows.clone(),
            ..plan.clone()
        };
        let named = named_source(ctx, model, &group_plan, "s")?;
        let list = order
            .iter()
            .map(|&i| format!("s.{}", plan.cols[i].text))
            .collect::<Vec<_>>()
            .join(", ");
        stmts.push(format!(
                "INSERT OVERWRITE TABLE {table} PARTITION ({spec}){column_list}{sep}SELECT {list} FROM {named}"
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

/// The order of the table's columns as indices into `plan.cols` (without the partition
/// columns when `skip_partition`). Forms without a column list need it; it comes from the
/// DDL, or from the statement when it lists no columns (then it is in table order already).
fn table_order(
    ctx: &Ctx,
    model: &InsertModel,
    plan: &Plan,
    skip_partition: bool,
) -> Result<Vec<usize>, Box<Finding>> {
    let keep = |i: &usize| !skip_partition || !plan.partition.contains(i);
    if model.columns.is_empty() {
        return Ok((0..plan.cols.len()).filter(keep).collect());
    }
    let folding = ctx.caps.names.folding;
    let Some(table) = plan.table.filter(|t| !t.columns.is_empty()) else {
        return Err(refuse(
            model,
            Rule::UnknownColumns,
            format!(
                "the {} overwrite form takes columns in table order, and no DDL for `{}` gives that order",
                ctx.dialect,
                model.table_text()
            ),
            "give the table's CREATE TABLE with --schema, or insert without a column list in table order",
        ));
    };
    let mut order = Vec::new();
    for tc in &table.columns {
        match plan
            .cols
            .iter()
            .position(|c| c.name.same(&tc.name, folding))
        {
            Some(i) => {
                if keep(&i) {
                    order.push(i);
                }
            }
            None => {
                return Err(refuse(
                    model,
                    Rule::UnknownColumns,
                    format!(
                        "column `{}` of the table is not inserted, and this overwrite form writes whole rows",
                        tc.name.value
                    ),
                    "insert every column of the table (NULL where there is no value)",
                ));
            }
        }
    }
    Ok(order)
}

/// Group the rows by their partition values: one group per static partition spec, each
/// with the rows to write (`None`: all of the query's rows).
#[allow(clippy::type_complexity)]
fn partition_groups(
    model: &InsertModel,
    plan: &Plan,
) -> Option<Vec<(Vec<String>, Option<Vec<usize>>)>> {
    match (&model.source, &plan.partitions) {
        (Source::Values { rows, .. }, _) => {
            let mut groups: BTreeMap<Vec<String>, (Vec<String>, Vec<usize>)> = BTreeMap::new();
            let mut order: Vec<Vec<String>> = Vec::new();
            for (ri, r) in rows.iter().enumerate() {
                let mut key = Vec::new();
                let mut texts = Vec::new();
                for &ci in &plan.partition {
                    let e = r.expr(ci)?;
                    if exprs::is_null(e) {
                        return None;
                    }
                    key.push(exprs::canonical(e)?);
                    let (s, en) = *r.values.get(ci)?;
                    texts.push(model.text[s..en].to_string());
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
        (Source::Query(_), Some(Partitions::Tuples(tuples))) if tuples.len() == 1 => {
            let t: Option<Vec<String>> = tuples[0].iter().cloned().collect();
            t.map(|t| vec![(t, None)])
        }
        _ => None,
    }
}
