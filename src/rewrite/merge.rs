//! `MERGE INTO target USING (rows) ON key WHEN MATCHED ... WHEN NOT MATCHED ...`, spelled the
//! way each dialect takes it: no `AS` and `ON ( ... )` on Oracle, `WITH (HOLDLOCK)` and a
//! terminating `;` on SQL Server, no target alias on Redshift, NULL-safe key comparison when a
//! key may be NULL.

use crate::dialect::MergeStyle;
use crate::rewrite::layout::Layout;
use crate::rewrite::model::InsertModel;
use crate::rewrite::plan::Plan;
use crate::rewrite::source::{alias_sql, named_source};
use crate::rewrite::{Ctx, Rendered, Rewrite, replace_statement};
use crate::rules::{Finding, Rule};
use crate::text::lexer::{Kind, LexOptions, code_tokens};
use crate::text::quoting::split_unquoted;

/// How the target and source are referred to inside the MERGE.
pub(crate) struct Refs {
    /// The target alias, when the dialect allows one.
    pub target_alias: Option<String>,
    /// What qualifies target columns: the alias, or the table's own name.
    pub target: String,
    pub source: String,
}

/// Pick aliases that no name in the statement uses, so they cannot be confused with the
/// table, a CTE or a column.
pub(crate) fn refs(model: &InsertModel, style: &MergeStyle) -> Refs {
    let used: std::collections::HashSet<String> = code_tokens(model.text, LexOptions::permissive())
        .iter()
        .filter(|t| matches!(t.kind, Kind::Word | Kind::QuotedIdent))
        .map(|t| {
            t.text(model.text)
                .trim_matches(['"', '`', '[', ']'])
                .to_ascii_lowercase()
        })
        .collect();
    let pick = |candidates: &[&str]| -> String {
        candidates
            .iter()
            .find(|c| !used.contains(**c))
            .map(|c| c.to_string())
            .unwrap_or_else(|| {
                (1..)
                    .map(|n| format!("{}{n}", candidates[0]))
                    .find(|c| !used.contains(c))
                    .unwrap_or_default()
            })
    };
    let t = pick(&["t", "tgt", "target_row"]);
    let s = pick(&["s", "src", "source_row"]);
    if style.target_alias {
        Refs {
            target_alias: Some(t.clone()),
            target: t,
            source: s,
        }
    } else {
        let table = model.table_text();
        let last_part = split_unquoted(table, '.')
            .last()
            .map(|p| p.trim().to_string())
            .unwrap_or_else(|| table.to_string());
        Refs {
            target_alias: None,
            target: last_part,
            source: s,
        }
    }
}

/// The clauses of a MERGE, before layout.
pub(crate) struct MergeParts {
    pub on: String,
    pub by_source_delete: Option<String>,
    pub update: Option<String>,
    pub insert_cols: String,
    pub insert_vals: String,
}

/// Lay out a whole MERGE statement.
pub(crate) fn render_merge(
    ctx: &Ctx,
    model: &InsertModel,
    refs: &Refs,
    source: &str,
    parts: &MergeParts,
) -> String {
    let style = ctx.caps.merge.unwrap_or(crate::dialect::MERGE_STD);
    let layout = Layout::new(model.text, ctx.indent);
    let sep = layout.sep();
    let mut out = String::new();
    if let Some(w) = model.with_prefix {
        if style.with_before_merge {
            out.push_str(model.slice(w));
            out.push_str(&sep);
        }
    }
    out.push_str("MERGE INTO ");
    out.push_str(model.table_text());
    if let Some(h) = style.target_hint {
        out.push(' ');
        out.push_str(h);
    }
    if let Some(a) = &refs.target_alias {
        out.push(' ');
        out.push_str(&alias_sql(ctx, a));
    }
    out.push_str(&sep);
    out.push_str("USING ");
    out.push_str(source);
    out.push_str(&sep);
    if style.on_parens {
        out.push_str(&format!("ON ({})", parts.on));
    } else {
        out.push_str(&format!("ON {}", parts.on));
    }
    if let Some(update) = &parts.update {
        out.push_str(&sep);
        out.push_str(&format!("WHEN MATCHED THEN UPDATE SET {update}"));
    }
    if let Some(pred) = &parts.by_source_delete {
        out.push_str(&sep);
        out.push_str(&format!(
            "WHEN NOT MATCHED BY SOURCE AND {pred} THEN DELETE"
        ));
    }
    out.push_str(&sep);
    out.push_str(&format!(
        "WHEN NOT MATCHED THEN INSERT ({}) VALUES ({})",
        parts.insert_cols, parts.insert_vals
    ));
    out
}

/// A refusal over the whole statement.
fn refuse(model: &InsertModel, message: String, help: &str) -> Box<Finding> {
    Box::new(
        Finding::new(
            Rule::UnsupportedForm,
            model.base,
            model.base + model.text.len(),
            message,
        )
        .help(help),
    )
}

/// Upsert (or insert-if-absent) as MERGE.
pub(crate) fn render_upsert(
    ctx: &Ctx,
    model: &InsertModel,
    plan: &Plan,
    insert_only: bool,
) -> Rendered {
    let Some(style) = ctx.caps.merge else {
        return Err(Box::new(Finding::new(
            Rule::UnsupportedForm,
            model.base,
            model.base + model.text.len(),
            format!("{} has no MERGE statement", ctx.dialect),
        )));
    };
    if model.returning.is_some() {
        return Err(Box::new(
            Finding::new(
                Rule::UnsupportedForm,
                model.base + model.returning.map_or(0, |r| r.0),
                model.base + model.text.len(),
                format!(
                    "MERGE in {} cannot return rows, so RETURNING cannot be kept",
                    ctx.dialect
                ),
            )
            .help("drop RETURNING, or use a dialect with an upsert that keeps it (ON CONFLICT)"),
        ));
    }
    if model.with_prefix.is_some() && !ctx.caps.rows.cte_in_subquery && !style.with_before_merge {
        return Err(refuse(
            model,
            format!(
                "{} takes a WITH clause neither inside MERGE's source nor before MERGE",
                ctx.dialect
            ),
            "move the CTE into a view or a staging table, or use --strategy overwrite",
        ));
    }
    let refs = refs(model, &style);
    let t = &refs.target;
    let s = &refs.source;
    // What each inserted column is called in the source.
    let (source, src): (String, Vec<String>) = if style.source_must_be_table {
        let Some((table, names)) = plain_table_select(model, plan.cols.len()) else {
            return Err(refuse(
                model,
                format!(
                    "MERGE in {} reads only from a table, and this INSERT's rows come from VALUES or a query",
                    ctx.dialect
                ),
                "use --strategy upsert (delete the incoming keys, then insert, in one transaction), or load the rows into a staging table and INSERT ... SELECT from it",
            ));
        };
        (
            format!("{table} {}", alias_sql(ctx, s)),
            names.iter().map(|n| format!("{s}.{n}")).collect(),
        )
    } else {
        (
            named_source(ctx, model, plan, s)?,
            plan.cols
                .iter()
                .map(|c| format!("{s}.{}", c.text))
                .collect(),
        )
    };
    let on = plan
        .key
        .iter()
        .zip(&plan.null_safe)
        .map(|(&i, &safe)| {
            let c = &plan.cols[i].text;
            ctx.caps.null_safe.eq(&format!("{t}.{c}"), &src[i], safe)
        })
        .collect::<Vec<_>>()
        .join(" AND ");
    // Hive cannot update a partition column.
    let partition = plan
        .table
        .filter(|_| !style.updates_partition)
        .and_then(|t| t.partition.as_ref());
    let non_key: Vec<usize> = plan
        .non_key()
        .into_iter()
        .filter(|&i| {
            partition.is_none_or(|p| {
                !p.iter()
                    .any(|n| n.same(plan.cols[i].name, ctx.caps.names.folding))
            })
        })
        .collect();
    let update = (!insert_only && !non_key.is_empty()).then(|| {
        non_key
            .iter()
            .map(|&i| {
                let c = &plan.cols[i].text;
                let v = &src[i];
                if style.qualify_set_targets {
                    format!("{t}.{c} = {v}")
                } else {
                    format!("{c} = {v}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    });
    let insert_cols = plan
        .cols
        .iter()
        .map(|c| c.text)
        .collect::<Vec<_>>()
        .join(", ");
    let insert_vals = src.join(", ");
    let title = if update.is_some() {
        "Rewrite as MERGE (incoming rows win)"
    } else {
        "Rewrite as MERGE inserting only missing rows (existing rows win)"
    };
    let parts = MergeParts {
        on,
        by_source_delete: None,
        update,
        insert_cols,
        insert_vals,
    };
    let text = render_merge(ctx, model, &refs, &source, &parts);
    Ok(Rewrite {
        title: title.into(),
        edits: replace_statement(ctx, model, text, style.needs_terminator),
    })
}

/// `SELECT a, b FROM staging` with nothing else: the table and the selected column names, for
/// dialects whose MERGE reads only from a table.
fn plain_table_select(model: &InsertModel, width: usize) -> Option<(String, Vec<String>)> {
    use sqlparser::ast::{SelectItem, SetExpr, TableFactor};
    let crate::rewrite::model::Source::Query(q) = &model.source else {
        return None;
    };
    if model.with_prefix.is_some()
        || q.with.is_some()
        || q.order_by.is_some()
        || q.limit_clause.is_some()
        || q.fetch.is_some()
    {
        return None;
    }
    let SetExpr::Select(sel) = q.body.as_ref() else {
        return None;
    };
    let plain = sel.distinct.is_none()
        && sel.top.is_none()
        && sel.selection.is_none()
        && sel.having.is_none()
        && sel.qualify.is_none()
        && matches!(&sel.group_by, sqlparser::ast::GroupByExpr::Expressions(e, _) if e.is_empty());
    let [twj] = sel.from.as_slice() else {
        return None;
    };
    let TableFactor::Table {
        name,
        alias: None,
        args: None,
        ..
    } = &twj.relation
    else {
        return None;
    };
    if !plain || !twj.joins.is_empty() || sel.projection.len() != width {
        return None;
    }
    let names = sel
        .projection
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(e) => crate::rewrite::exprs::column_ref(e)
                .filter(|(q, _)| q.is_none())
                .map(|(_, i)| i.to_string()),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some((name.to_string(), names))
}
