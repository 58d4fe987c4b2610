//! Planning an overwrite: the partition columns, and the partitions a statement writes, read
//! from its rows or from its SELECT's filter, checked against the partition values the options
//! or directive declare. Never more or fewer partitions than the statement writes.

use sqlparser::ast::{Expr, SetExpr};

use super::{Col, Ctx, Form, Partitions, Plan, Refusal, Replaced, Target};
use crate::ast::exprs::{self, Pinned};
use crate::ast::query::{projected, select_arms};
use crate::insert::{InsertModel, Row, Source};
use crate::names::{Name, parse_qualified};
use crate::rules::{
    key_not_inserted, missing_key, overwrite_outside_partition, unknown_partition_values,
};

/// Plan the overwrite of the partitions `names` (`None`: none known) that `model` writes.
pub(super) fn plan_overwrite<'a>(
    ctx: &Ctx<'a>,
    model: &'a InsertModel,
    target: Target<'a>,
    names: Option<Vec<Name>>,
) -> Result<Plan<'a>, Refusal> {
    let Some(names) = names else {
        return Err(Box::new(missing_key::no_partition(
            model.insert_span(),
            model.table_text(),
        )));
    };
    let mut cols = Vec::new();
    for p in &names {
        match target
            .cols
            .iter()
            .position(|c| c.name.same(p, ctx.caps.names.folding))
        {
            Some(i) => cols.push(i),
            None => {
                return Err(Box::new(key_not_inserted::partition_column(
                    model.insert_span(),
                    &p.value,
                )));
            }
        }
    }
    super::volatile::check(model, &target.cols, &cols, "partition")?;
    let values = values(ctx, model, &target.cols, &cols)?;
    Ok(Plan {
        form: Form::overwrite(
            ctx.caps.writes.overwrite,
            Replaced {
                cols,
                values,
                named: None,
            },
        ),
        target,
        notes: Vec::new(),
    })
}

/// The values of the columns `partition` (indices into `cols`) that the statement writes.
pub(super) fn values(
    ctx: &Ctx,
    model: &InsertModel,
    cols: &[Col],
    partition: &[usize],
) -> Result<Partitions, Refusal> {
    let declared: Vec<Option<Vec<String>>> = partition
        .iter()
        .map(|&ci| declared_values(ctx, cols[ci].name))
        .collect();
    match &model.source {
        Source::Values { rows, .. } => from_rows(model, rows, cols, partition, &declared),
        Source::Query(q) => {
            let arms = select_arms(&q.body);
            let simple = matches!(q.body.as_ref(), SetExpr::Select(_));
            let Some(sel) = arms.first().filter(|_| simple) else {
                return Err(Box::new(overwrite_outside_partition::set_operation(
                    model.insert_span(),
                )));
            };
            from_select(ctx, model, sel, cols, partition, &declared)
        }
    }
}

/// Plan `REPLACE WHERE` for an INSERT that lists no columns into a table whose columns are
/// unknown (`INSERT INTO t SELECT * FROM s WHERE d = ...`). Delta rejects the statement when
/// an inserted row falls outside the predicate, so only the partitions written must be known:
/// those its query's WHERE pins the partition column to, or those declared; both, when both
/// are given, and the pinned ones must be declared. `unlisted` is the refusal for the missing
/// column list, returned when the partitions cannot be known either.
pub(super) fn plan_unlisted<'a>(
    ctx: &Ctx<'a>,
    model: &'a InsertModel,
    table: Option<&'a crate::catalog::Table>,
    names: Option<Vec<Name>>,
    unlisted: Refusal,
) -> Result<Plan<'a>, Refusal> {
    let Some(names) = names else {
        return Err(Box::new(missing_key::no_partition(
            model.insert_span(),
            model.table_text(),
        )));
    };
    let mut per_column = Vec::new();
    let mut range = None;
    for name in &names {
        let declared = declared_texts(ctx, name);
        let texts = match (query_pinned(ctx, model, name), declared) {
            (Some(Selected::Range(lo, hi)), None) if names.len() == 1 => {
                range = Some((lo, hi));
                Vec::new()
            }
            (Some(Selected::Values(texts)), None) => texts,
            (Some(Selected::Values(texts)), Some(d)) => {
                let d: Vec<String> = d.iter().map(|v| canonical_text(ctx, v)).collect();
                let canonical =
                    |t: &Option<String>| canonical_text(ctx, t.as_deref().unwrap_or("NULL"));
                if !texts.iter().all(|t| d.contains(&canonical(t))) {
                    return Err(Box::new(
                        overwrite_outside_partition::select_outside_declared(
                            model.insert_span(),
                            &name.value,
                        ),
                    ));
                }
                texts
            }
            (Some(Selected::Range(..)), Some(_)) => {
                return Err(Box::new(
                    overwrite_outside_partition::select_outside_declared(
                        model.insert_span(),
                        &name.value,
                    ),
                ));
            }
            (None, Some(d)) => d
                .into_iter()
                .map(|v| (!is_null_text(&v)).then_some(v))
                .collect(),
            (Some(Selected::Range(..)), None) | (None, None) => return Err(unlisted),
        };
        per_column.push(texts);
    }
    let values = match range {
        Some((lo, hi)) => Partitions::Range(lo, hi),
        None => Partitions::Tuples(cross_product(per_column)),
    };
    Ok(Plan {
        form: Form::ReplaceWhere(Replaced {
            cols: Vec::new(),
            values,
            named: Some(names.iter().map(|n| n.to_sql(ctx.dialect)).collect()),
        }),
        target: Target {
            cols: Vec::new(),
            rows: None,
            table,
        },
        notes: Vec::new(),
    })
}

/// What the query of `model` writes into the partition column `name` when the statement lists
/// no columns: the projection item of that name, else, behind a `*`, what the WHERE pins the
/// column of that name to. A set operation or VALUES tells nothing.
fn query_pinned(ctx: &Ctx, model: &InsertModel, name: &Name) -> Option<Selected> {
    use sqlparser::ast::{Ident, SelectItem};
    let Source::Query(q) = &model.source else {
        return None;
    };
    let SetExpr::Select(sel) = q.body.as_ref() else {
        return None;
    };
    let folding = ctx.caps.names.folding;
    let named = |i: &Ident| Name::from(i).same(name, folding);
    let item = sel.projection.iter().find_map(|item| match item {
        SelectItem::ExprWithAlias { expr, alias } if named(alias) => Some(expr),
        SelectItem::UnnamedExpr(expr) if exprs::column_ref(expr).is_some_and(|(_, i)| named(i)) => {
            Some(expr)
        }
        _ => None,
    });
    if let Some(expr) = item {
        return selected_values(ctx, sel, expr);
    }
    let star = sel.projection.iter().any(|item| {
        matches!(
            item,
            SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
        )
    });
    if !star {
        return None;
    }
    let ident = match name.quoted {
        true => Ident::with_quote(ctx.caps.names.quote.0, &name.value),
        false => Ident::new(&name.value),
    };
    match exprs::pinned_item(&Expr::Identifier(ident), sel.selection.as_ref()?, folding)? {
        Pinned::Values(vs) => Some(Selected::Values(
            vs.into_iter()
                .map(|v| (!exprs::is_null(v)).then(|| v.to_string()))
                .collect(),
        )),
        Pinned::Range(lo, hi) => Some(Selected::Range(lo.to_string(), hi.to_string())),
    }
}

/// Is this declared value the SQL NULL?
fn is_null_text(v: &str) -> bool {
    v.trim().eq_ignore_ascii_case("NULL")
}

/// The partition values declared for column `name` (canonical texts): the directive's, else
/// the options'.
fn declared_values(ctx: &Ctx, name: &Name) -> Option<Vec<String>> {
    declared_texts(ctx, name).map(|vals| vals.iter().map(|v| canonical_text(ctx, v)).collect())
}

/// The partition values declared for column `name`, as written: the directive's, else the
/// options'.
fn declared_texts(ctx: &Ctx, name: &Name) -> Option<Vec<String>> {
    let folding = ctx.caps.names.folding;
    let names_it = |c: &str| {
        parse_qualified(c, ctx.dialect)
            .ok()
            .and_then(|p| p.last().cloned())
            .is_some_and(|n| n.same(name, folding))
    };
    let mut vals: Vec<String> = ctx
        .directives
        .partition_values
        .iter()
        .filter(|(c, _)| names_it(c))
        .map(|(_, v)| v.clone())
        .collect();
    if vals.is_empty() {
        for (c, vs) in &ctx.options.partition_values {
            if names_it(c) {
                vals.extend(vs.iter().cloned());
            }
        }
    }
    (!vals.is_empty()).then_some(vals)
}

/// The distinct partition tuples the VALUES rows write, each value as written.
fn from_rows(
    model: &InsertModel,
    rows: &[Row],
    cols: &[Col],
    partition: &[usize],
    declared: &[Option<Vec<String>>],
) -> Result<Partitions, Refusal> {
    let mut seen: Vec<Vec<Option<String>>> = Vec::new();
    let mut seen_keys: Vec<Vec<String>> = Vec::new();
    for r in rows {
        let mut tuple = Vec::new();
        let mut key = Vec::new();
        for &ci in partition {
            let Some(v) = r.value(ci) else {
                continue;
            };
            let Some(c) = v.canonical() else {
                return Err(Box::new(unknown_partition_values::expression(
                    model.input_span(v.range()),
                    &cols[ci].name.value,
                )));
            };
            tuple.push((!v.is_null()).then(|| model.slice(v.range()).to_string()));
            key.push(c);
        }
        if !seen_keys.contains(&key) {
            seen_keys.push(key);
            seen.push(tuple);
        }
    }
    // Every written value must be declared, when values are declared.
    for (pi, d) in declared.iter().enumerate() {
        let Some(d) = d else { continue };
        if seen_keys.iter().any(|k| !d.contains(&k[pi])) {
            return Err(Box::new(
                overwrite_outside_partition::rows_outside_declared(
                    model.insert_span(),
                    &cols[partition[pi]].name.value,
                ),
            ));
        }
    }
    Ok(Partitions::Tuples(seen))
}

/// The partitions a single SELECT writes: a constant selected for each partition column, or
/// what its WHERE pins the column to.
fn from_select(
    ctx: &Ctx,
    model: &InsertModel,
    sel: &sqlparser::ast::Select,
    cols: &[Col],
    partition: &[usize],
    declared: &[Option<Vec<String>>],
) -> Result<Partitions, Refusal> {
    let unknown = |ci: usize| {
        Box::new(overwrite_outside_partition::unknown_select_partitions(
            model.insert_span(),
            &cols[ci].name.value,
        ))
    };
    let mut per_column: Vec<Vec<Option<String>>> = Vec::new();
    let mut range: Option<(String, String)> = None;
    for (pi, &ci) in partition.iter().enumerate() {
        let expr = projected(sel, ci).ok_or_else(|| unknown(ci))?;
        let texts = match selected_values(ctx, sel, expr) {
            Some(Selected::Values(texts)) => texts,
            Some(Selected::Range(lo, hi)) if partition.len() == 1 => {
                range = Some((lo, hi));
                Vec::new()
            }
            _ => return Err(unknown(ci)),
        };
        if let Some(d) = &declared[pi] {
            let all_declared = texts
                .iter()
                .all(|t| d.contains(&canonical_text(ctx, t.as_deref().unwrap_or("NULL"))));
            if range.is_some() || !all_declared {
                return Err(Box::new(
                    overwrite_outside_partition::select_outside_declared(
                        model.insert_span(),
                        &cols[ci].name.value,
                    ),
                ));
            }
        }
        per_column.push(texts);
    }
    Ok(match range {
        Some((lo, hi)) => Partitions::Range(lo, hi),
        None => Partitions::Tuples(cross_product(per_column)),
    })
}

/// What a SELECT writes into one column.
enum Selected {
    /// These constants (`None` is NULL), as SQL text.
    Values(Vec<Option<String>>),
    /// Anything between these two constants.
    Range(String, String),
}

/// The values `expr` (a projection item of `sel`) takes: itself when constant, else what the
/// WHERE pins it to.
fn selected_values(ctx: &Ctx, sel: &sqlparser::ast::Select, expr: &Expr) -> Option<Selected> {
    if exprs::is_constant(expr) {
        return Some(Selected::Values(vec![
            (!exprs::is_null(expr)).then(|| expr.to_string()),
        ]));
    }
    let w = sel.selection.as_ref()?;
    match exprs::pinned_item(expr, w, ctx.caps.names.folding)? {
        Pinned::Values(vs) => Some(Selected::Values(
            vs.into_iter()
                .map(|v| (!exprs::is_null(v)).then(|| v.to_string()))
                .collect(),
        )),
        Pinned::Range(lo, hi) => Some(Selected::Range(lo.to_string(), hi.to_string())),
    }
}

/// Every combination of one value per column.
fn cross_product(per_column: Vec<Vec<Option<String>>>) -> Vec<Vec<Option<String>>> {
    let mut tuples: Vec<Vec<Option<String>>> = vec![Vec::new()];
    for vals in per_column {
        let mut next = Vec::new();
        for t in &tuples {
            for v in &vals {
                let mut t2 = t.clone();
                t2.push(v.clone());
                next.push(t2);
            }
        }
        tuples = next;
    }
    tuples
}

/// The canonical form of a SQL literal written in an option or directive.
fn canonical_text(ctx: &Ctx, text: &str) -> String {
    let d = ctx.dialect.parser_dialect();
    sqlparser::parser::Parser::new(&*d)
        .try_with_sql(text)
        .and_then(|mut p| p.parse_expr())
        .ok()
        .and_then(|e| exprs::canonical(&e))
        .unwrap_or_else(|| text.trim().to_string())
}
