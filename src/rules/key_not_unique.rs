//! `IDEM019 key-not-unique`: `ON CONFLICT` and `ON DUPLICATE KEY` act only on a primary key or
//! unique constraint; when the table's DDL shows the key is neither, PostgreSQL rejects the
//! upsert and MySQL silently inserts duplicates.

use super::{Finding, Rule};
use crate::text::edit::Span;

/// `(cols)` (shown comma-separated) is no unique constraint of `table`.
pub(crate) fn not_unique(span: Span, cols: &str, table: &str) -> Finding {
    Finding::at(
        Rule::KeyNotUnique,
        span,
        format!(
            "({cols}) is not the primary key or a unique constraint of `{table}` in its DDL, so the upsert cannot detect existing rows by it"
        ),
    )
    .help(format!(
        "add `UNIQUE ({cols})` (or the index) to the table, or use --strategy merge, which compares the key itself"
    ))
}
