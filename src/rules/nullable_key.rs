//! `IDEM005 nullable-key`: a key column may be NULL, and NULL never equals NULL, so a rerun
//! inserts the row again. MERGE and NOT EXISTS forms can compare keys NULL-safely
//! (`--null-safe`); `ON CONFLICT` and `ON DUPLICATE KEY` cannot.

use super::{Finding, Rule};
use crate::diagnostic::Severity;
use crate::text::edit::Span;

/// A literal NULL key in a form that cannot match it: the rewrite is refused (an error).
pub(crate) fn null_literal(span: Span, col: &str) -> Finding {
    Finding::at(
        Rule::NullableKey,
        span,
        format!("key column `{col}` is NULL here; NULL never conflicts, so every rerun inserts this row again"),
    )
    .severity(Severity::Error)
    .help("give the row a key value, or use `-- idemsql: strategy(merge) null-safe` where the dialect has MERGE")
}

/// No DDL says the key is NOT NULL, and the comparison is not NULL-safe.
pub(crate) fn may_be_null(span: Span, col: &str) -> Finding {
    Finding::at(
        Rule::NullableKey,
        span,
        format!(
            "key column `{col}` may be NULL (no DDL says NOT NULL); a NULL key never equals NULL, so such rows are inserted again on every rerun"
        ),
    )
    .help("pass --null-safe (or `-- idemsql: null-safe`) to compare keys NULL-safely, or declare the column NOT NULL")
}

/// A nullable key filled by a query, in a form that matches by constraint.
pub(crate) fn nullable_from_query(span: Span, col: &str) -> Finding {
    Finding::at(
        Rule::NullableKey,
        span,
        format!("key column `{col}` is nullable; rows whose key is NULL never conflict and are inserted again on every rerun"),
    )
    .help("declare the key NOT NULL, or filter NULL keys out of the SELECT")
}
