//! The statement's rows (or query) as a derived table named like the target's columns, for
//! the forms that read them as a table: MERGE `USING`, `NOT EXISTS`, the overwrite forms.
//! `(VALUES ...) AS s (c1, c2)`, `(SELECT v AS c1 UNION ALL ...) AS s`, or the user's query
//! with its columns renamed, editing only what differs.

use sqlparser::ast::{Select, SelectItem};

use super::Ctx;
use super::rows::{
    alias_sql, all, column_list, kept_rows, query_text, row_separator, row_whitespace, rows_text,
    union_all,
};
use crate::ast::query::select_arms;
use crate::ast::spans::projection_ranges;
use crate::dialect::RowSource;
use crate::insert::{InsertModel, Literal, Row, Source, Value};
use crate::names::Name;
use crate::plan::{Refusal, Target};
use crate::rules::{unknown_columns, unsupported_form};
use crate::text::lexer::code_tokens;

/// The statement's rows (or query) as a derived table named `alias` whose columns are named
/// like the target's.
pub(super) fn named_source(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    alias: &str,
) -> Result<String, Refusal> {
    match &model.source {
        Source::Values { keyword, rows } => {
            values_table(ctx, model, target, model.slice(*keyword), rows, alias)
        }
        Source::Query(query) => {
            let text = query_text(ctx, model);
            let col_list = column_list(target, "", &all(target));
            if ctx.caps.rows.derived_column_list {
                return Ok(format!("({text}) {} ({col_list})", alias_sql(ctx, alias)));
            }
            let text = renamed_query(ctx, model, target, &select_arms(&query.body), text)?;
            Ok(format!("({text}) {}", alias_sql(ctx, alias)))
        }
    }
}

/// The kept VALUES rows as a table: `(VALUES ...) AS s (cols)` or a UNION ALL of SELECTs.
fn values_table(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    keyword: &str,
    rows: &[Row],
    alias: &str,
) -> Result<String, Refusal> {
    let keep: Vec<&Row> = kept_rows(model, target)
        .into_iter()
        .filter_map(|i| rows.get(i))
        .collect();
    // DEFAULT means "the column's default" only inside INSERT ... VALUES; in a derived table it
    // is an error.
    if let Some(v) = keep.iter().flat_map(|r| &r.values).find(|v| v.is_default()) {
        return Err(Box::new(unsupported_form::default_in_row_source(
            model.input_span(v.range()),
            ctx.dialect,
        )));
    }
    let cells = Cells {
        model,
        types: column_types(ctx, target),
    };
    untyped_nulls(ctx, model, target, &keep, &cells.types)?;
    let alias = alias_sql(ctx, alias);
    Ok(match ctx.caps.rows.source {
        RowSource::Values if ctx.caps.rows.derived_column_list => {
            let rows_sql = if cells.types.iter().any(Option::is_some) {
                keep.iter()
                    .map(|r| format!("({})", cells.row(r).join(", ")))
                    .collect::<Vec<_>>()
                    .join(&row_separator(model))
            } else {
                rows_text(model, &kept_rows(model, target))
            };
            let col_list = column_list(target, "", &all(target));
            format!("({keyword} {rows_sql}) {alias} ({col_list})")
        }
        form => {
            let dual = if form == RowSource::SelectUnionDual {
                " FROM dual"
            } else {
                ""
            };
            let selects: Vec<String> = keep
                .iter()
                .enumerate()
                .map(|(n, r)| {
                    let mut vals = cells.row(r);
                    if n == 0 {
                        for (v, c) in vals.iter_mut().zip(&target.cols) {
                            v.push_str(" AS ");
                            v.push_str(c.text);
                        }
                    }
                    format!("SELECT {}{dual}", vals.join(", "))
                })
                .collect();
            let ws = row_whitespace(model);
            format!(
                "({}) {alias}",
                union_all(selects, &format!("{ws}UNION ALL "))
            )
        }
    })
}

/// The values of rows as a derived table writes them: cast to the column's type where the
/// dialect would otherwise give a literal its own.
struct Cells<'m, 'a> {
    model: &'m InsertModel<'a>,
    /// The column types the DDL gives, where a cast may be needed.
    types: Vec<Option<&'a str>>,
}

impl Cells<'_, '_> {
    fn row(&self, r: &Row) -> Vec<String> {
        r.values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let text = self.model.slice(v.range());
                match self.types.get(i).copied().flatten() {
                    Some(ty) if needs_cast(v, ty) => format!("CAST({text} AS {ty})"),
                    _ => text.to_string(),
                }
            })
            .collect()
    }
}

/// Strictly typed dialects give a derived table's literal columns their literal's type (text,
/// FLOAT64), which then fails to compare with a date, uuid or NUMERIC target: the column types
/// the DDL gives, to cast literals to.
fn column_types<'a>(ctx: &Ctx, target: &Target<'a>) -> Vec<Option<&'a str>> {
    target
        .cols
        .iter()
        .map(|c| {
            target
                .table
                .filter(|_| ctx.caps.rows.strict_types)
                .and_then(|t| t.column(c.name, ctx.caps.names.folding))
                .and_then(|col| col.data_type.as_deref())
        })
        .collect()
}

/// A column of nothing but NULL cannot be typed without the DDL, where the dialect types a
/// derived table's NULL column as it likes.
fn untyped_nulls(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    keep: &[&Row],
    types: &[Option<&str>],
) -> Result<(), Refusal> {
    if !ctx.caps.rows.untyped_null_fixed {
        return Ok(());
    }
    let all_null = |i: usize| keep.iter().all(|r| r.value(i).is_some_and(Value::is_null));
    match (0..target.cols.len()).find(|&i| types[i].is_none() && all_null(i)) {
        Some(i) => Err(Box::new(unknown_columns::untyped_nulls(
            model.input_span(model.source_span),
            &target.cols[i].name.value,
            ctx.dialect,
        ))),
        None => Ok(()),
    }
}

/// Does a literal need a cast to be read as a column of type `ty`? Strings going into text
/// columns and integers into integer columns do not; everything else literal does, NULL too
/// (a column of NULLs is text to PostgreSQL's VALUES, INT64 to BigQuery's UNION). An array of
/// text is no text: `'{a,b}'` is a string until cast to `text[]`.
fn needs_cast(v: &Value, ty: &str) -> bool {
    let t = ty.trim().to_ascii_lowercase();
    let array = t.ends_with(']') || t.starts_with("array") || t.ends_with(" array");
    let textual = !array
        && ["char", "text", "string", "clob"]
            .iter()
            .any(|k| t.contains(k));
    let integer = ["int", "serial"].iter().any(|k| t.contains(k)) && !t.contains("interval");
    let float = ["float", "double", "real"].iter().any(|k| t.contains(k));
    match v.literal() {
        None => false,
        Some(Literal::Null) => true,
        Some(Literal::String) => !textual,
        // Integers read as any integer or float column; decimals only as a float column.
        Some(Literal::Integer) => !(integer || float),
        Some(Literal::Decimal) => !float,
        Some(Literal::Boolean) => !t.starts_with("bool"),
    }
}

/// The query with its first SELECT's columns named like the target's, for dialects that
/// cannot rename a derived table's columns; only the items whose name differs are edited.
fn renamed_query(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    arms: &[&Select],
    text: String,
) -> Result<String, Refusal> {
    let refuse = |why: String| {
        Box::new(unsupported_form::unnamed_query_columns(
            model.input_span(model.source_span),
            why,
            &column_list(target, "", &all(target)),
        ))
    };
    let Some(first) = arms.first() else {
        return Err(refuse(format!(
            "{} cannot rename a query's columns, and this query's columns have no names",
            ctx.dialect
        )));
    };
    let wildcard = first.projection.iter().any(|i| {
        matches!(
            i,
            SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
        )
    });
    if wildcard {
        return Err(refuse(format!(
            "the SELECT uses `*`, whose columns idemsql cannot name, and {} cannot rename a derived table's columns",
            ctx.dialect
        )));
    }
    if first.projection.len() != target.cols.len() {
        return Err(refuse(format!(
            "the SELECT has {} columns but {} are inserted",
            first.projection.len(),
            target.cols.len(),
        )));
    }
    let edits = alias_edits(ctx, model, target, first).map_err(refuse)?;
    if edits.is_empty() {
        return Ok(text);
    }
    let renamed = apply_in_source(model, edits)
        .ok_or_else(|| refuse("the SELECT's columns could not be renamed".into()))?;
    Ok(match model.with_prefix {
        Some(w) if ctx.caps.rows.cte_in_subquery => format!("{} {renamed}", model.slice(w)),
        _ => renamed,
    })
}

/// The edits (statement offsets) that name each projection item like its target column.
fn alias_edits(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    select: &Select,
) -> Result<Vec<(usize, usize, String)>, String> {
    let folding = ctx.caps.names.folding;
    let ranges = projection_ranges(model.text, select, ctx.lex)
        .ok_or("the SELECT's columns could not be located")?;
    let mut edits = Vec::new();
    for ((item, col), &(start, end)) in select.projection.iter().zip(&target.cols).zip(&ranges) {
        match item {
            SelectItem::ExprWithAlias { alias, .. } => {
                if !Name::from(alias).same(col.name, folding) {
                    // The alias is the item's last token.
                    let last = code_tokens(&model.text[start..end], ctx.lex)
                        .last()
                        .map(|t| (start + t.start, start + t.end))
                        .ok_or("a column alias could not be located")?;
                    edits.push((last.0, last.1, col.text.to_string()));
                }
            }
            SelectItem::UnnamedExpr(e) => {
                let named_same = crate::ast::exprs::column_ref(e)
                    .is_some_and(|(_, i)| Name::from(i).same(col.name, folding));
                if !named_same {
                    edits.push((end, end, format!(" AS {}", col.text)));
                }
            }
            _ => {
                return Err(format!(
                    "`SELECT *` cannot be renamed to the target's columns in {}",
                    ctx.dialect
                ));
            }
        }
    }
    Ok(edits)
}

/// The source's text with `edits` (statement offsets) applied; `None` if they do not fit.
fn apply_in_source(model: &InsertModel, mut edits: Vec<(usize, usize, String)>) -> Option<String> {
    let offset = model.source_span.0;
    let src = model.source_text();
    let mut renamed = String::with_capacity(src.len() + 32);
    let mut pos = 0;
    edits.sort_by_key(|e| e.0);
    for (s, e, t) in edits {
        let (s, e) = (s.saturating_sub(offset), e.saturating_sub(offset));
        if s < pos || e > src.len() {
            return None;
        }
        renamed.push_str(&src[pos..s]);
        renamed.push_str(&t);
        pos = e;
    }
    renamed.push_str(&src[pos..]);
    Some(renamed)
}
