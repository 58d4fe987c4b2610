//! `IDEM017 ambiguous-conflict-target`: MySQL's `ON DUPLICATE KEY UPDATE` fires on whichever
//! unique key collides, and the table has more than one, so a row may update another row than
//! the one with its key.

use super::{Finding, Rule};
use crate::text::edit::Span;

/// `table` has several unique keys.
pub(crate) fn several_unique_keys(span: Span, table: &str) -> Finding {
    Finding::at(
        Rule::AmbiguousConflictTarget,
        span,
        format!("{} has more than one unique key; ON DUPLICATE KEY UPDATE fires on whichever one collides", super::code(table)),
    )
    .help("make sure the other unique keys cannot collide, or drop them")
}
