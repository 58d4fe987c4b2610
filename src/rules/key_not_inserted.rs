//! `IDEM003 key-not-inserted`: the key (or partition) column is not among the columns the
//! INSERT writes, so the rewrite has no value to match existing rows on.

use super::{Finding, Rule};
use crate::text::edit::Span;

/// Key column `col`, named by `source` ("the directive", "the options", ...), is not inserted.
pub(crate) fn key_column(span: Span, col: &str, source: &str) -> Finding {
    Finding::at(
        Rule::KeyNotInserted,
        span,
        format!("key column `{col}` (from {source}) is not among the inserted columns"),
    )
    .help(format!(
        "insert `{col}` explicitly, or name a key the statement writes: `-- idemsql: key(<column>)`"
    ))
}

/// Partition column `col` is not inserted.
pub(crate) fn partition_column(span: Span, col: &str) -> Finding {
    Finding::at(
        Rule::KeyNotInserted,
        span,
        format!("partition column `{col}` is not among the inserted columns"),
    )
    .help("insert the partition column, so idemsql can tell which partitions the statement writes")
}
