//! `IDEM018 invalid-directive`: an `idemsql:` comment that could not be read. A directive that
//! is silently ignored would leave a statement with a key or strategy the user did not ask for.

use super::{Finding, Rule};
use crate::text::edit::Span;

/// The directive at `span` could not be read, for the reason `message`.
pub(crate) fn unreadable(span: Span, message: &str) -> Finding {
    Finding::at(Rule::InvalidDirective, span, message).help(
        "see the directive grammar: key(...), partition(...), strategy(...), dedupe(...), null-safe, ignore, ignore-file",
    )
}
