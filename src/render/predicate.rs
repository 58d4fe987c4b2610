//! The predicate selecting the rows a delete-then-insert form replaces: exactly the
//! partitions (or keys) the statement writes, never more.

use super::Ctx;
use super::derived::named_source;
use crate::insert::InsertModel;
use crate::plan::{Partitions, Refusal, Replaced, Target};

/// `d = v`, `d IN (...)`, `(a = 1 AND b = 2) OR ...`, `d BETWEEN lo AND hi`, or
/// `d IN (SELECT s.d FROM <rows>)`, on columns qualified by `qualifier`.
pub(super) fn replaced_rows(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    replaced: &Replaced,
    qualifier: Option<&str>,
) -> Result<String, Refusal> {
    let text = |i: usize| match &replaced.named {
        Some(named) => named[i].as_str(),
        None => target.cols[replaced.cols[i]].text,
    };
    let width = replaced
        .named
        .as_ref()
        .map_or(replaced.cols.len(), Vec::len);
    let col = |i: usize| match qualifier {
        Some(q) => format!("{q}.{}", text(i)),
        None => text(i).to_string(),
    };
    Ok(match &replaced.values {
        Partitions::Range(lo, hi) => format!("{} BETWEEN {lo} AND {hi}", col(0)),
        Partitions::FromQuery => {
            let named = named_source(ctx, model, target, "s")?;
            let c = target.cols[replaced.cols[0]].text;
            format!("{} IN (SELECT s.{c} FROM {named})", col(0))
        }
        Partitions::Tuples(tuples) if width == 1 => one_column(&col(0), tuples),
        Partitions::Tuples(tuples) => {
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
    })
}

/// `c = v`, `c IN (v, w)`, with `OR c IS NULL` when a NULL partition is written.
fn one_column(c: &str, tuples: &[Vec<Option<String>>]) -> String {
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
