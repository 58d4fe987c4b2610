//! `IDEM006 volatile-key`: a key or partition value that differs on every run (`now()`,
//! `random()`, `gen_random_uuid()`, `nextval(...)`, `DEFAULT`) gives a rerun new keys, so its
//! rows are written again.

use super::{Finding, Rule};
use crate::text::edit::Span;

/// The `which` ("key" or "partition") column `col` gets `call`.
pub(crate) fn volatile(span: Span, which: &str, col: &str, call: &str) -> Finding {
    Finding::at(
        Rule::VolatileKey,
        span,
        format!(
            "{which} column `{col}` gets `{call}`, which differs on every run, so a rerun writes new rows"
        ),
    )
    .help(format!(
        "compute the {which} from the data (a natural key), or write a fixed value"
    ))
}
