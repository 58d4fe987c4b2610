//! `IDEM020 constraint-declared-later`: the table's key is declared by a statement after the
//! INSERT (pg_dump writes every `ADD CONSTRAINT ... PRIMARY KEY` after the data), so at the
//! INSERT's place in the script no unique constraint exists for `ON CONFLICT` or `ON DUPLICATE
//! KEY` to use. The planner then writes a form that matches rows by its own predicate.

use super::{Finding, Rule};
use crate::text::edit::Span;

/// The INSERT into `table` is written as `form` because its key's constraint is declared by the
/// statement starting at byte `_declared` (after the INSERT).
pub(crate) fn note(span: Span, table: &str, _declared: usize, form: &str) -> Finding {
    Finding::at(
        Rule::ConstraintDeclaredLater,
        span,
        format!(
            "the unique constraint on the key of `{table}` is added later in the script, so it does not exist yet when this INSERT runs; written as {form}, which does not need it"
        ),
    )
    .help("declare the key in the CREATE TABLE to get ON CONFLICT / ON DUPLICATE KEY, or keep this form")
}
