//! `INSERT ... ON CONFLICT (k) DO UPDATE SET c = EXCLUDED.c WHERE t.c IS DISTINCT FROM
//! EXCLUDED.c` and `... DO NOTHING` (PostgreSQL, SQLite, DuckDB): the statement stays as written
//! and the clause is appended.

use sqlparser::ast::{GroupByExpr, Query, SetExpr};

use super::layout::Layout;
use super::rows::kept_rows_edit;
use super::{Ctx, Rendered, Rewrite};
use crate::insert::{InsertModel, Source};
use crate::plan::{Key, Target};
use crate::text::edit::Edit;

pub(super) fn render(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    key: &Key,
    ignore: bool,
    predicate: Option<&str>,
) -> Rendered {
    let layout = Layout::new(model.text, ctx.indent);
    let non_key = key.others(target.cols.len());
    let ignore = ignore || non_key.is_empty();
    // Built with push_str: this runs once per statement of a many-megabyte dump.
    let mut clause = String::with_capacity(64 + 32 * target.cols.len());
    clause.push_str("ON CONFLICT (");
    for (n, &i) in key.cols.iter().enumerate() {
        if n > 0 {
            clause.push_str(", ");
        }
        clause.push_str(target.cols[i].text);
    }
    clause.push(')');
    if let Some(p) = predicate {
        clause.push_str(" WHERE ");
        clause.push_str(p);
    }
    let title = if ignore {
        clause.push_str(" DO NOTHING");
        "Rewrite as INSERT ... ON CONFLICT DO NOTHING (existing rows win)"
    } else {
        clause.push_str(" DO UPDATE SET ");
        for (n, &i) in non_key.iter().enumerate() {
            if n > 0 {
                clause.push_str(", ");
            }
            let c = target.cols[i].text;
            clause.push_str(c);
            clause.push_str(" = EXCLUDED.");
            clause.push_str(c);
        }
        // Only rows that differ are updated: a rerun writes nothing and fires no UPDATE trigger.
        clause.push_str(" WHERE ");
        let reference = model.target_reference();
        clause.push_str(&super::changed::condition(
            ctx,
            target,
            &non_key,
            &|i| format!("{reference}.{}", target.cols[i].text),
            &|i| format!("EXCLUDED.{}", target.cols[i].text),
        ));
        "Rewrite as INSERT ... ON CONFLICT DO UPDATE (incoming rows win)"
    };
    let mut edits: Vec<Edit> = kept_rows_edit(model, target).into_iter().collect();
    let after_from = ctx.caps.writes.on_conflict_after_from_needs_where;
    let guard = match &model.source {
        Source::Query(q) if needs_where_guard(after_from, q) => " WHERE true",
        _ => "",
    };
    let mut text = String::with_capacity(guard.len() + clause.len() + 8);
    text.push_str(guard);
    text.push_str(&layout.sep());
    text.push_str(&clause);
    edits.push(Edit::insert(model.base + model.source_span.1, text));
    Ok(Rewrite {
        title: title.to_string(),
        edits,
    })
}

/// sqlparser cannot read `ON CONFLICT` after a SELECT without FROM, and SQLite cannot tell it
/// from a join's `ON` after `SELECT ... FROM t` (`after_from`): both need a WHERE clause first
/// (<https://sqlite.org/lang_upsert.html>, "Parsing Ambiguity").
fn needs_where_guard(after_from: bool, q: &Query) -> bool {
    if q.order_by.is_some() || q.limit_clause.is_some() || q.fetch.is_some() {
        return false;
    }
    let mut body = q.body.as_ref();
    loop {
        match body {
            SetExpr::SetOperation { right, .. } => body = right,
            SetExpr::Select(s) => {
                let plain = s.selection.is_none()
                    && s.having.is_none()
                    && s.qualify.is_none()
                    && s.named_window.is_empty()
                    && matches!(&s.group_by, GroupByExpr::Expressions(e, m) if e.is_empty() && m.is_empty());
                return plain && (s.from.is_empty() || after_from);
            }
            _ => return false,
        }
    }
}
