//! The user's rows and query as text the output forms embed: the kept rows with the user's
//! own separators, the query with a `WITH` written before INSERT moved in, table aliases,
//! and long `UNION ALL` chains grouped so parsers do not nest them thousands deep.

use super::Ctx;
use crate::insert::{InsertModel, Source};
use crate::plan::Target;

/// `AS alias` or just `alias` (Oracle takes no AS before a table alias).
pub(super) fn alias_sql(ctx: &Ctx, alias: &str) -> String {
    let as_kw = ctx.caps.merge.is_none_or(|m| m.alias_as);
    if as_kw {
        format!("AS {alias}")
    } else {
        alias.to_string()
    }
}

/// The indices of the VALUES rows to use.
pub(super) fn kept_rows(model: &InsertModel, target: &Target) -> Vec<usize> {
    match (&target.rows, &model.source) {
        (Some(keep), _) => keep.clone(),
        (None, Source::Values { rows, .. }) => (0..rows.len()).collect(),
        (None, Source::Query(_)) => Vec::new(),
    }
}

/// The text of the kept rows, separated as the user separated the first two rows.
pub(super) fn rows_text(model: &InsertModel, keep: &[usize]) -> String {
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

/// An edit replacing the rows with the kept ones, when deduplication dropped some.
pub(super) fn kept_rows_edit(model: &InsertModel, target: &Target) -> Option<crate::Edit> {
    let (Some(_), Source::Values { rows, .. }) = (&target.rows, &model.source) else {
        return None;
    };
    let (first, last) = (rows.first()?, rows.last()?);
    Some(crate::Edit::replace(
        model.input_span((first.start, last.end)),
        rows_text(model, &kept_rows(model, target)),
    ))
}

/// What separates rows in the input: `, ` or `,\n    `.
pub(super) fn row_separator(model: &InsertModel) -> String {
    match &model.source {
        Source::Values { rows, .. } if rows.len() >= 2 => {
            model.text[rows[0].end..rows[1].start].to_string()
        }
        _ => ", ".to_string(),
    }
}

/// The whitespace the user put between rows (the separator without its comma).
pub(super) fn row_whitespace(model: &InsertModel) -> String {
    let sep = row_separator(model);
    let ws: String = sep.chars().filter(|c| c.is_whitespace()).collect();
    if ws.is_empty() { " ".into() } else { ws }
}

/// The query's text, with a `WITH` that was written before `INSERT` moved into it where the
/// dialect allows a CTE in a derived table (elsewhere the caller keeps it in front).
pub(super) fn query_text(ctx: &Ctx, model: &InsertModel) -> String {
    match model.with_prefix {
        Some(w) if ctx.caps.rows.cte_in_subquery => {
            format!("{} {}", model.slice(w), model.source_text())
        }
        _ => model.source_text().to_string(),
    }
}

/// The source as it can follow an INSERT head: `VALUES <kept rows>` or the query.
pub(super) fn query_or_values_text(model: &InsertModel, target: &Target) -> String {
    match &model.source {
        Source::Values { keyword, .. } => format!(
            "{} {}",
            model.slice(*keyword),
            rows_text(model, &kept_rows(model, target))
        ),
        Source::Query(_) => model.source_text().to_string(),
    }
}

/// The target's columns as a list: `a, b, c`, or each with a prefix: `s.a, s.b, s.c`.
pub(super) fn column_list(target: &Target, prefix: &str, idx: &[usize]) -> String {
    idx.iter()
        .map(|&i| format!("{prefix}{}", target.cols[i].text))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every column index of the target, in insert order.
pub(super) fn all(target: &Target) -> Vec<usize> {
    (0..target.cols.len()).collect()
}

/// Arms per level of a UNION ALL chain. A flat chain of N arms is a tree N deep to parsers
/// (sqlparser, and the databases' own), so longer chains are grouped in parentheses: a
/// 100 000-row batch nests three levels deep instead of 100 000.
const UNION_FAN_OUT: usize = 256;

/// `a UNION ALL b UNION ALL ...`, grouped `(...) UNION ALL (...)` beyond [`UNION_FAN_OUT`] arms.
pub(super) fn union_all(arms: Vec<String>, sep: &str) -> String {
    if arms.len() <= UNION_FAN_OUT {
        return arms.join(sep);
    }
    let groups: Vec<String> = arms
        .chunks(UNION_FAN_OUT)
        .map(|g| format!("({})", union_all(g.to_vec(), sep)))
        .collect();
    union_all(groups, sep)
}
