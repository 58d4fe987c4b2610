//! `IDEM008 overwrite-outside-partition`: an overwrite deletes the partitions a statement
//! writes before inserting; when the INSERT could write rows outside the partitions that are
//! known (declared, or read from its SELECT), the rewrite is refused rather than delete too
//! little or too much.

use super::{Finding, Rule};
use crate::text::edit::Span;

/// VALUES rows write partition values of `col` that the declared values do not list.
pub(crate) fn rows_outside_declared(span: Span, col: &str) -> Finding {
    Finding::at(
        Rule::OverwriteOutsidePartition,
        span,
        format!("the rows write partition values of `{col}` that the declared partition values do not list"),
    )
    .help("declare every partition the statement writes, or remove the rows outside them")
}

/// The SELECT writes values of `col` that the declared values do not list.
pub(crate) fn select_outside_declared(span: Span, col: &str) -> Finding {
    Finding::at(
        Rule::OverwriteOutsidePartition,
        span,
        format!(
            "the SELECT writes values of `{col}` that the declared partition values do not list"
        ),
    )
    .help("declare every partition the statement writes")
}

/// A set operation's partitions cannot be proved.
pub(crate) fn set_operation(span: Span) -> Finding {
    Finding::at(
        Rule::OverwriteOutsidePartition,
        span,
        "the SELECT is a set operation; idemsql cannot prove which partitions it writes",
    )
    .help("overwrite one SELECT at a time, each with `WHERE <partition column> = <value>`")
}

/// The SELECT's `col` partitions cannot be read from it.
pub(crate) fn unknown_select_partitions(span: Span, col: &str) -> Finding {
    Finding::at(
        Rule::OverwriteOutsidePartition,
        span,
        format!(
            "idemsql cannot tell which `{col}` partitions this SELECT writes, so deleting them first could miss rows it inserts"
        ),
    )
    .help(format!(
        "select the partition column as written and filter it: `WHERE {col} = <value>` (or `IN (...)`, `BETWEEN ... AND ...`)"
    ))
}
