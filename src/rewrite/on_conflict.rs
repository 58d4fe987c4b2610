//! `INSERT ... ON CONFLICT (k) DO UPDATE SET c = EXCLUDED.c` and `... DO NOTHING`
//! (PostgreSQL, SQLite, DuckDB): the statement stays as written and the clause is appended.

use sqlparser::ast::{Query, SetExpr};

use crate::Edit;
use crate::rewrite::layout::Layout;
use crate::rewrite::model::{InsertModel, Source};
use crate::rewrite::plan::Plan;
use crate::rewrite::source::{kept_rows, rows_text};
use crate::rewrite::{Ctx, Rendered, Rewrite};

pub(crate) fn render(ctx: &Ctx, model: &InsertModel, plan: &Plan, ignore: bool) -> Rendered {
    let layout = Layout::new(model.text, ctx.indent);
    // Built with push_str: this runs once per statement of a many-megabyte dump.
    let non_key = plan.non_key();
    let ignore = ignore || non_key.is_empty();
    let mut clause = String::with_capacity(64 + 32 * plan.cols.len());
    clause.push_str("ON CONFLICT (");
    for (n, &i) in plan.key.iter().enumerate() {
        if n > 0 {
            clause.push_str(", ");
        }
        clause.push_str(plan.cols[i].text);
    }
    clause.push(')');
    if let Some(p) = &plan.conflict_predicate {
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
            let c = plan.cols[i].text;
            clause.push_str(c);
            clause.push_str(" = EXCLUDED.");
            clause.push_str(c);
        }
        "Rewrite as INSERT ... ON CONFLICT DO UPDATE (incoming rows win)"
    };
    let mut edits = Vec::new();
    if let (Some(_), Source::Values { rows, .. }) = (&plan.rows, &model.source) {
        if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
            edits.push(Edit {
                start: model.base + first.start,
                end: model.base + last.end,
                text: rows_text(model, &kept_rows(model, plan)),
            });
        }
    }
    let guard = match &model.source {
        Source::Query(q)
            if needs_where_guard(ctx.caps.writes.on_conflict_after_from_needs_where, q) =>
        {
            " WHERE true"
        }
        _ => "",
    };
    let at = model.base + model.source_span.1;
    let mut text = String::with_capacity(guard.len() + clause.len() + 8);
    text.push_str(guard);
    text.push_str(&layout.sep());
    text.push_str(&clause);
    edits.push(Edit {
        start: at,
        end: at,
        text,
    });
    Ok(Rewrite {
        title: title.to_string(),
        edits,
    })
}

/// SQLite cannot tell `ON CONFLICT` from a join's `ON` after `SELECT ... FROM t`, and sqlparser
/// cannot read `ON CONFLICT` after a SELECT without FROM: both need a WHERE clause first
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
                    && matches!(&s.group_by, sqlparser::ast::GroupByExpr::Expressions(e, m) if e.is_empty() && m.is_empty());
                return plain && (s.from.is_empty() || after_from);
            }
            _ => return false,
        }
    }
}
