//! `IDEM001 non-idempotent-insert`: a plain INSERT writes its rows again on every rerun.
//!
//! Reported by `check` on every INSERT that is not already idempotent, with the rewrite the
//! planner chose as its fix; when no rewrite is possible, the other diagnostics on the
//! statement say why.

use super::{Finding, Rule};
use crate::text::edit::{Edit, Span};

/// The finding on a plain INSERT into `table` (as written), with the rewrite as fix if any.
pub(crate) fn finding(span: Span, table: &str, fix: Option<(String, Vec<Edit>)>) -> Finding {
    let f = Finding::at(
        Rule::NonIdempotentInsert,
        span,
        format!("plain INSERT into {table} writes its rows again on every rerun"),
    );
    match fix {
        Some((title, edits)) => f.help(title.clone()).fix(title, edits),
        None => f.help("no automatic fix: see the other diagnostics on this statement"),
    }
}
