//! `IDEM009 unknown-partition-values`: a VALUES row computes its partition value, so the
//! partition it writes cannot be known before it runs, and an overwrite cannot be bounded.

use super::{Finding, Rule};
use crate::text::edit::Span;

/// Partition column `col` gets an expression.
pub(crate) fn expression(span: Span, col: &str) -> Finding {
    Finding::at(
        Rule::UnknownPartitionValues,
        span,
        format!(
            "partition column `{col}` gets an expression, so the partition it writes cannot be known before it runs"
        ),
    )
    .help("write the partition value as a literal")
}
