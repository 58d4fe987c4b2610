//! `IDEM021 trigger-rewrites-row`: the upsert's form cannot skip rows that are already as the
//! statement would leave them, and a `BEFORE` trigger on the table can change what is written
//! (`SET NEW.updated_at = NOW()`), so a rerun still changes those rows. MERGE and `ON CONFLICT
//! DO UPDATE ... WHERE` skip unchanged rows; MySQL's `ON DUPLICATE KEY UPDATE` has no condition,
//! and `EXCLUDED` carries what a `BEFORE INSERT` trigger set.

use super::{Finding, Rule};
use crate::text::edit::Span;

/// The upsert into `table` in `form` fires a `BEFORE` trigger on rows that are unchanged.
pub(crate) fn before_trigger(span: Span, table: &str, form: &str, event: &str) -> Finding {
    Finding::at(
        Rule::TriggerRewritesRow,
        span,
        format!(
            "{} has a BEFORE {event} trigger; on a rerun, {form} fires it for rows that are already there, and what it sets (a timestamp, a counter) changes again",
            super::code(table)
        ),
    )
    .help("make the trigger skip rows whose values do not change (`IF NEW IS DISTINCT FROM OLD`), or use `-- idemsql: strategy(ignore)` when existing rows may win")
}
