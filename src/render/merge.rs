//! `MERGE INTO target USING (rows) ON key WHEN MATCHED ... WHEN NOT MATCHED ...`, spelled the
//! way each dialect takes it (the `MergeStyle` of the capability table): no `AS` and
//! `ON ( ... )` on Oracle, `WITH (HOLDLOCK)` and a terminating `;` on SQL Server, no target
//! alias on Redshift, NULL-safe key comparison when a key may be NULL. The statement layout
//! here is shared by the upsert and by BigQuery's partition overwrite.

use sqlparser::ast::{GroupByExpr, SelectItem, SetExpr, TableFactor};

use super::changed;
use super::derived::named_source;
use super::layout::Layout;
use super::rows::{alias_sql, all, column_list};
use super::{Ctx, Rendered, Rewrite, replace_statement};
use crate::dialect::{MERGE_STD, MatchedCondition, MergeStyle};
use crate::insert::{InsertModel, Source};
use crate::plan::{Key, Refusal, Target};
use crate::rules::unsupported_form;
use crate::text::lexer::{Kind, LexOptions, code_tokens};
use crate::text::quoting::split_unquoted;

/// How the target and source are referred to inside the MERGE.
pub(super) struct Refs {
    /// The target alias, when the dialect allows one.
    pub target_alias: Option<String>,
    /// What qualifies target columns: the alias, or the table's own name.
    pub target: String,
    pub source: String,
}

/// Pick aliases that no name in the statement uses, so they cannot be confused with the
/// table, a CTE or a column.
pub(super) fn refs(model: &InsertModel, style: &MergeStyle) -> Refs {
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
        return Refs {
            target_alias: Some(t.clone()),
            target: t,
            source: s,
        };
    }
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

/// `t.k1 = s.k1 AND t.k2 = s.k2`, each NULL-safe where the key says so; `src[i]` is how the
/// source names column `i`.
pub(super) fn key_match(ctx: &Ctx, target: &Target, key: &Key, t: &str, src: &[String]) -> String {
    key.cols
        .iter()
        .zip(&key.null_safe)
        .map(|(&i, &safe)| {
            let c = target.cols[i].text;
            ctx.caps
                .writes
                .null_safe
                .eq(&format!("{t}.{c}"), &src[i], safe)
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The clauses of a MERGE, before layout.
pub(super) struct MergeParts {
    pub on: String,
    pub by_source_delete: Option<String>,
    pub update: Option<Update>,
    pub insert_cols: String,
    pub insert_vals: String,
}

/// Lay out a whole MERGE statement.
pub(super) fn layout(
    ctx: &Ctx,
    model: &InsertModel,
    refs: &Refs,
    source: &str,
    parts: &MergeParts,
) -> String {
    let style = ctx.caps.merge.unwrap_or(MERGE_STD);
    let sep = Layout::new(model.text, ctx.indent).sep();
    let mut out = String::new();
    if let Some(w) = model.with_prefix.filter(|_| style.with_before_merge) {
        out.push_str(model.slice(w));
        out.push_str(&sep);
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
    out.push_str(&format!("{sep}USING {source}{sep}"));
    if style.on_parens {
        out.push_str(&format!("ON ({})", parts.on));
    } else {
        out.push_str(&format!("ON {}", parts.on));
    }
    if let Some(update) = &parts.update {
        let set = &update.set;
        match (&update.changed, style.matched_condition) {
            (Some(c), MatchedCondition::And) => out.push_str(&format!(
                "{sep}WHEN MATCHED AND ({c}) THEN UPDATE SET {set}"
            )),
            (Some(c), MatchedCondition::UpdateWhere) => out.push_str(&format!(
                "{sep}WHEN MATCHED THEN UPDATE SET {set} WHERE {c}"
            )),
            _ => out.push_str(&format!("{sep}WHEN MATCHED THEN UPDATE SET {set}")),
        }
    }
    if let Some(pred) = &parts.by_source_delete {
        out.push_str(&format!(
            "{sep}WHEN NOT MATCHED BY SOURCE AND {pred} THEN DELETE"
        ));
    }
    out.push_str(&format!(
        "{sep}WHEN NOT MATCHED THEN INSERT ({}) VALUES ({})",
        parts.insert_cols, parts.insert_vals
    ));
    out
}

/// Upsert (or insert-if-absent) as MERGE.
pub(super) fn render(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    key: &Key,
    insert_only: bool,
) -> Rendered {
    let style = usable_style(ctx, model)?;
    let refs = refs(model, &style);
    let (source, src) = source_and_columns(ctx, model, target, &style, &refs.source)?;
    let t = &refs.target;
    let update = (!insert_only)
        .then(|| updates(ctx, target, key, &style, t, &src))
        .flatten();
    let title = if update.is_some() {
        "Rewrite as MERGE (incoming rows win)"
    } else {
        "Rewrite as MERGE inserting only missing rows (existing rows win)"
    };
    let parts = MergeParts {
        on: key_match(ctx, target, key, t, &src),
        by_source_delete: None,
        update,
        insert_cols: column_list(target, "", &all(target)),
        insert_vals: src.join(", "),
    };
    let text = layout(ctx, model, &refs, &source, &parts);
    Ok(Rewrite {
        title: title.into(),
        edits: replace_statement(ctx, model, text, style.needs_terminator),
    })
}

/// The dialect's MERGE spelling, or why this statement cannot be one.
fn usable_style(ctx: &Ctx, model: &InsertModel) -> Result<MergeStyle, Refusal> {
    let Some(style) = ctx.caps.merge else {
        return Err(Box::new(unsupported_form::no_merge(
            model.span(),
            ctx.dialect,
        )));
    };
    if let Some(r) = model.returning {
        return Err(Box::new(unsupported_form::merge_returning(
            model.input_span((r.0, model.text.len())),
            ctx.dialect,
        )));
    }
    if model.with_prefix.is_some() && !ctx.caps.rows.cte_in_subquery && !style.with_before_merge {
        return Err(Box::new(unsupported_form::merge_cte(
            model.span(),
            ctx.dialect,
        )));
    }
    Ok(style)
}

/// The MERGE's source and what each inserted column is called in it.
fn source_and_columns(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    style: &MergeStyle,
    s: &str,
) -> Result<(String, Vec<String>), Refusal> {
    if !style.source_must_be_table {
        let names = target
            .cols
            .iter()
            .map(|c| format!("{s}.{}", c.text))
            .collect();
        return Ok((named_source(ctx, model, target, s)?, names));
    }
    let Some((table, names)) = plain_table_select(model, target.cols.len()) else {
        return Err(Box::new(unsupported_form::merge_needs_table(
            model.span(),
            ctx.dialect,
        )));
    };
    Ok((
        format!("{table} {}", alias_sql(ctx, s)),
        names.iter().map(|n| format!("{s}.{n}")).collect(),
    ))
}

/// `c = s.c, ...` for the columns outside the key (and outside the partition columns where
/// the dialect cannot update them); `None` when there are none.
fn updates(
    ctx: &Ctx,
    target: &Target,
    key: &Key,
    style: &MergeStyle,
    t: &str,
    src: &[String],
) -> Option<Update> {
    let partition = target
        .table
        .filter(|_| !style.updates_partition)
        .and_then(|t| t.partition.as_ref());
    let folding = ctx.caps.names.folding;
    let cols: Vec<usize> = key
        .others(target.cols.len())
        .into_iter()
        .filter(|&i| {
            partition.is_none_or(|p| !p.iter().any(|n| n.same(target.cols[i].name, folding)))
        })
        .collect();
    if cols.is_empty() {
        return None;
    }
    let set: Vec<String> = cols
        .iter()
        .map(|&i| {
            let c = target.cols[i].text;
            if style.qualify_set_targets {
                format!("{t}.{c} = {}", src[i])
            } else {
                format!("{c} = {}", src[i])
            }
        })
        .collect();
    let changed = (style.matched_condition != MatchedCondition::None).then(|| {
        changed::condition(
            ctx,
            target,
            &cols,
            &|i| format!("{t}.{}", target.cols[i].text),
            &|i| src[i].clone(),
        )
    });
    Some(Update {
        set: set.join(", "),
        changed,
    })
}

/// A MERGE's `WHEN MATCHED` update: its assignments, and the condition under which a matched
/// row differs from the source (so an unchanged row is not written again).
pub(super) struct Update {
    pub set: String,
    pub changed: Option<String>,
}

/// `SELECT a, b FROM staging` with nothing else: the table and the selected column names, for
/// dialects whose MERGE reads only from a table.
fn plain_table_select(model: &InsertModel, width: usize) -> Option<(String, Vec<String>)> {
    let Source::Query(q) = &model.source else {
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
        && matches!(&sel.group_by, GroupByExpr::Expressions(e, _) if e.is_empty());
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
            SelectItem::UnnamedExpr(e) => crate::ast::exprs::column_ref(e)
                .filter(|(q, _)| q.is_none())
                .map(|(_, i)| i.to_string()),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some((name.to_string(), names))
}
