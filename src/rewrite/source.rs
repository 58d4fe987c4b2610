//! The statement's rows as a named derived table, for MERGE `USING`, `NOT EXISTS` and
//! overwrite forms: `(VALUES ...) AS s (c1, c2)`, `(SELECT v AS c1 UNION ALL ...) AS s`, or the
//! user's query with its columns named like the target's.

use sqlparser::ast::SelectItem;

use crate::dialect::RowSource;
use crate::names::Name;
use crate::rewrite::Ctx;
use crate::rewrite::model::{InsertModel, Source, projection_ranges};
use crate::rewrite::plan::{Plan, select_arms};
use crate::rules::{Finding, Rule};
use crate::text::lexer::code_tokens;

/// `AS alias` or just `alias` (Oracle takes no AS before a table alias).
pub(crate) fn alias_sql(ctx: &Ctx, alias: &str) -> String {
    let as_kw = ctx.caps.merge.is_none_or(|m| m.alias_as);
    if as_kw {
        format!("AS {alias}")
    } else {
        alias.to_string()
    }
}

/// The indices of the VALUES rows to use.
pub(crate) fn kept_rows(model: &InsertModel, plan: &Plan) -> Vec<usize> {
    match (&plan.rows, &model.source) {
        (Some(keep), _) => keep.clone(),
        (None, Source::Values { rows, .. }) => (0..rows.len()).collect(),
        (None, Source::Query(_)) => Vec::new(),
    }
}

/// The text of the kept rows, separated as the user separated the first two rows.
pub(crate) fn rows_text(model: &InsertModel, keep: &[usize]) -> String {
    let Source::Values { rows, .. } = &model.source else {
        return String::new();
    };
    if keep.len() == rows.len() {
        if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
            return model.text[first.start..last.end].to_string();
        }
    }
    let sep = row_separator(model);
    keep.iter()
        .filter_map(|&i| rows.get(i))
        .map(|r| &model.text[r.start..r.end])
        .collect::<Vec<_>>()
        .join(&sep)
}

/// What separates rows in the input: `, ` or `,\n    `.
pub(crate) fn row_separator(model: &InsertModel) -> String {
    match &model.source {
        Source::Values { rows, .. } if rows.len() >= 2 => {
            model.text[rows[0].end..rows[1].start].to_string()
        }
        _ => ", ".to_string(),
    }
}

/// The whitespace the user put between rows (the separator without its comma).
fn row_whitespace(model: &InsertModel) -> String {
    let sep = row_separator(model);
    let ws: String = sep.chars().filter(|c| c.is_whitespace()).collect();
    if ws.is_empty() { " ".into() } else { ws }
}

/// The statement's rows (or query) as a derived table named `alias` whose columns are
/// named like `plan.cols`.
pub(crate) fn named_source(
    ctx: &Ctx,
    model: &InsertModel,
    plan: &Plan,
    alias: &str,
) -> Result<String, Box<Finding>> {
    let col_list = plan
        .cols
        .iter()
        .map(|c| c.text)
        .collect::<Vec<_>>()
        .join(", ");
    match &model.source {
        Source::Values { keyword, rows } => {
            let keep = kept_rows(model, plan);
            // DEFAULT means "the column's default" only inside INSERT ... VALUES; in a derived
            // table it is an error.
            if let Some((s, e)) = keep.iter().filter_map(|&i| rows.get(i)).find_map(|r| {
                r.exprs
                    .iter()
                    .zip(&r.values)
                    .find(|(e, _)| crate::rewrite::exprs::is_default(e))
                    .map(|(_, &range)| range)
            }) {
                return Err(Box::new(
                    Finding::new(
                        Rule::UnsupportedForm,
                        model.base + s,
                        model.base + e,
                        format!(
                            "DEFAULT cannot be moved into the {} form's row source",
                            ctx.dialect
                        ),
                    )
                    .help("write the default value itself, or leave the column out of the INSERT"),
                ));
            }
            // Strictly typed dialects give a derived table's literal columns their literal's
            // type (text, FLOAT64), which then fails to compare with a date, uuid or NUMERIC
            // target: cast literals to the column types the DDL gives.
            let types: Vec<Option<&str>> = plan
                .cols
                .iter()
                .map(|c| {
                    plan.table
                        .filter(|_| ctx.caps.rows.strict_types)
                        .and_then(|t| t.column(c.name, ctx.caps.names.folding))
                        .and_then(|col| col.data_type.as_deref())
                })
                .collect();
            let value = |r: &crate::rewrite::model::Row, i: usize| -> String {
                let (s, e) = r.values[i];
                let text = &model.text[s..e];
                match (types[i], r.expr(i)) {
                    (Some(ty), Some(expr)) if needs_cast(expr, ty) => {
                        format!("CAST({text} AS {ty})")
                    }
                    _ => text.to_string(),
                }
            };
            let typed = types.iter().any(Option::is_some);
            // A column of nothing but NULL cannot be typed without the DDL.
            if ctx.caps.rows.untyped_null_fixed {
                let all_null = |i: usize| {
                    keep.iter()
                        .filter_map(|&r| rows.get(r))
                        .all(|r| r.expr(i).is_some_and(crate::rewrite::exprs::is_null))
                };
                if let Some(i) = (0..plan.cols.len()).find(|&i| types[i].is_none() && all_null(i)) {
                    return Err(Box::new(
                        Finding::new(
                            Rule::UnknownColumns,
                            model.base + model.source_span.0,
                            model.base + model.source_span.1,
                            format!(
                                "column `{}` gets only NULL, which a {} derived table types as it likes (not as the column); its type is unknown without the table's DDL",
                                plan.cols[i].name.value, ctx.dialect
                            ),
                        )
                        .help("give the table's CREATE TABLE (--schema or in the input) so idemsql can cast the values, or leave the column out"),
                    ));
                }
            }
            match ctx.caps.rows.source {
                RowSource::Values if ctx.caps.rows.derived_column_list => {
                    let rows_sql = if typed {
                        let sep = row_separator(model);
                        keep.iter()
                            .filter_map(|&i| rows.get(i))
                            .map(|r| {
                                let vals: Vec<String> =
                                    (0..r.values.len()).map(|i| value(r, i)).collect();
                                format!("({})", vals.join(", "))
                            })
                            .collect::<Vec<_>>()
                            .join(&sep)
                    } else {
                        rows_text(model, &keep)
                    };
                    Ok(format!(
                        "({} {rows_sql}) {} ({col_list})",
                        model.slice(*keyword),
                        alias_sql(ctx, alias)
                    ))
                }
                form => {
                    let dual = if form == RowSource::SelectUnionDual {
                        " FROM dual"
                    } else {
                        ""
                    };
                    let ws = row_whitespace(model);
                    let selects: Vec<String> = keep
                        .iter()
                        .enumerate()
                        .filter_map(|(n, &i)| rows.get(i).map(|r| (n, r)))
                        .map(|(n, r)| {
                            let vals: Vec<String> = plan
                                .cols
                                .iter()
                                .enumerate()
                                .take(r.values.len())
                                .map(|(i, c)| {
                                    if n == 0 {
                                        format!("{} AS {}", value(r, i), c.text)
                                    } else {
                                        value(r, i)
                                    }
                                })
                                .collect();
                            format!("SELECT {}{dual}", vals.join(", "))
                        })
                        .collect();
                    Ok(format!(
                        "({}) {}",
                        union_all(selects, &format!("{ws}UNION ALL ")),
                        alias_sql(ctx, alias)
                    ))
                }
            }
        }
        Source::Query(query) => {
            let mut text = query_text(ctx, model);
            if ctx.caps.rows.derived_column_list {
                return Ok(format!("({text}) {} ({col_list})", alias_sql(ctx, alias)));
            }
            // Name the first SELECT's columns like the target's, editing only what differs.
            let refuse = |why: String| {
                Box::new(
                    Finding::new(
                        Rule::UnsupportedForm,
                        model.base + model.source_span.0,
                        model.base + model.source_span.1,
                        why,
                    )
                    .help(format!(
                        "list the SELECT's columns with aliases matching the target's ({col_list})"
                    )),
                )
            };
            let arms = select_arms(&query.body);
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
            if first.projection.len() != plan.cols.len() {
                return Err(refuse(format!(
                    "the SELECT has {} columns but {} are inserted",
                    first.projection.len(),
                    plan.cols.len(),
                )));
            }
            let folding = ctx.caps.names.folding;
            let offset = model.source_span.0;
            let Some(ranges) = projection_ranges(model.text, first, ctx.lex) else {
                return Err(refuse("the SELECT's columns could not be located".into()));
            };
            let mut edits: Vec<(usize, usize, String)> = Vec::new();
            for ((item, col), &(start, end)) in first.projection.iter().zip(&plan.cols).zip(&ranges)
            {
                match item {
                    SelectItem::ExprWithAlias { alias, .. } => {
                        if !Name::from(alias).same(col.name, folding) {
                            // The alias is the item's last token.
                            let last = code_tokens(&model.text[start..end], ctx.lex)
                                .last()
                                .map(|t| (start + t.start, start + t.end));
                            let Some((s, e)) = last else {
                                return Err(refuse("a column alias could not be located".into()));
                            };
                            edits.push((s, e, col.text.to_string()));
                        }
                    }
                    SelectItem::UnnamedExpr(e) => {
                        let named_same = crate::rewrite::exprs::column_ref(e)
                            .is_some_and(|(_, i)| Name::from(i).same(col.name, folding));
                        if !named_same {
                            edits.push((end, end, format!(" AS {}", col.text)));
                        }
                    }
                    _ => {
                        return Err(refuse(format!(
                            "`SELECT *` cannot be renamed to the target's columns in {}",
                            ctx.dialect
                        )));
                    }
                }
            }
            if !edits.is_empty() {
                let src = model.source_text();
                let mut renamed = String::with_capacity(src.len() + 32);
                let mut pos = 0;
                edits.sort_by_key(|e| e.0);
                for (s, e, t) in edits {
                    let (s, e) = (s.saturating_sub(offset), e.saturating_sub(offset));
                    if s < pos || e > src.len() {
                        return Err(refuse("the SELECT's columns could not be renamed".into()));
                    }
                    renamed.push_str(&src[pos..s]);
                    renamed.push_str(&t);
                    pos = e;
                }
                renamed.push_str(&src[pos..]);
                text = match model.with_prefix {
                    Some(w) if ctx.caps.rows.cte_in_subquery => {
                        format!("{} {renamed}", model.slice(w))
                    }
                    _ => renamed,
                };
            }
            Ok(format!("({text}) {}", alias_sql(ctx, alias)))
        }
    }
}

/// The query's text, with a `WITH` that was written before `INSERT` moved into it where the
/// dialect allows a CTE in a derived table (elsewhere the caller keeps it in front).
pub(crate) fn query_text(ctx: &Ctx, model: &InsertModel) -> String {
    match model.with_prefix {
        Some(w) if ctx.caps.rows.cte_in_subquery => {
            format!("{} {}", model.slice(w), model.source_text())
        }
        _ => model.source_text().to_string(),
    }
}

/// The source as it can follow an INSERT head: `VALUES <kept rows>` or the query.
pub(crate) fn query_or_values_text(model: &InsertModel, plan: &Plan) -> String {
    match &model.source {
        Source::Values { keyword, .. } => format!(
            "{} {}",
            model.slice(*keyword),
            rows_text(model, &kept_rows(model, plan))
        ),
        Source::Query(_) => model.source_text().to_string(),
    }
}

/// Does a literal need a cast to be read as a column of type `ty`? Strings going into text
/// columns and integers into integer columns do not; everything else literal does, NULL too.
fn needs_cast(expr: &sqlparser::ast::Expr, ty: &str) -> bool {
    use sqlparser::ast::{Expr, UnaryOperator, Value};
    let t = ty.to_ascii_lowercase();
    let textual = ["char", "text", "string", "clob"]
        .iter()
        .any(|k| t.contains(k));
    let integer = ["int", "serial"].iter().any(|k| t.contains(k)) && !t.contains("interval");
    let float = ["float", "double", "real"].iter().any(|k| t.contains(k));
    let boolean = t.starts_with("bool");
    let value = match expr {
        Expr::Value(v) => &v.value,
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => match expr.as_ref() {
            Expr::Value(v) => &v.value,
            _ => return false,
        },
        _ => return false,
    };
    match value {
        // A column of NULLs is text to PostgreSQL's VALUES, INT64 to BigQuery's UNION.
        Value::Null => true,
        Value::SingleQuotedString(_)
        | Value::DoubleQuotedString(_)
        | Value::NationalStringLiteral(_)
        | Value::EscapedStringLiteral(_)
        | Value::TripleSingleQuotedString(_)
        | Value::TripleDoubleQuotedString(_) => !textual,
        Value::Number(n, _) => {
            let is_int = n.bytes().all(|b| b.is_ascii_digit());
            // Integers read as any integer or float column; decimals only as a float column.
            let fits = if is_int { integer || float } else { float };
            !fits
        }
        Value::Boolean(_) => !boolean,
        _ => false,
    }
}

/// Arms per level of a UNION ALL chain. A flat chain of N arms is a tree N deep to parsers
/// (sqlparser, and the databases' own), so longer chains are grouped in parentheses: a
/// 100 000-row batch nests three levels deep instead of 100 000.
const UNION_FAN_OUT: usize = 256;

/// `a UNION ALL b UNION ALL ...`, grouped `(...) UNION ALL (...)` beyond [`UNION_FAN_OUT`] arms.
pub(crate) fn union_all(arms: Vec<String>, sep: &str) -> String {
    if arms.len() <= UNION_FAN_OUT {
        return arms.join(sep);
    }
    let groups: Vec<String> = arms
        .chunks(UNION_FAN_OUT)
        .map(|g| format!("({})", union_all(g.to_vec(), sep)))
        .collect();
    union_all(groups, sep)
}
