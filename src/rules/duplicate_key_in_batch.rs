//! `IDEM004 duplicate-key-in-batch`: one VALUES batch has the same key twice. An upsert or
//! MERGE then fails ("cannot affect row a second time") or keeps either row; `--dedupe
//! first|last` keeps one row per key instead.

use super::{Finding, Rule};
use crate::text::edit::Span;

/// The row at `row` repeats the key of row number `first` (1-based).
pub(crate) fn repeated(row: Span, first: usize) -> Finding {
    Finding::at(
        Rule::DuplicateKeyInBatch,
        row,
        format!(
            "this row repeats the key of row {first} in the same batch; the upsert would fail (\"cannot affect row a second time\") or keep either row"
        ),
    )
    .help("remove the duplicate, or pass --dedupe last (or first) to keep one row per key")
}
