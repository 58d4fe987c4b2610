//! `IDEM002 missing-key`: no key (or, for an overwrite, no partition column) is known for the
//! table, so a rerun cannot recognise the rows it already wrote. Fix: name the key in a
//! directive, an option, the config file, or give the table's DDL.

use super::{Finding, Rule};
use crate::text::edit::Span;

/// No key from any source.
pub(crate) fn no_key(span: Span, table: &str) -> Finding {
    Finding::at(
        Rule::MissingKey,
        span,
        format!("no key is known for `{table}`, so a rerun cannot recognise the rows it already wrote"),
    )
    .help(format!(
        "add `-- idemsql: key(<column>)` before the statement, pass `--key {table}=<column>`, add it under [keys] in idemsql.toml, or give the table's PRIMARY KEY with --schema"
    ))
}

/// A key that names no columns.
pub(crate) fn empty_key(span: Span, table: &str) -> Finding {
    Finding::at(
        Rule::MissingKey,
        span,
        format!("the key for `{table}` lists no columns"),
    )
}

/// An overwrite without partition columns.
pub(crate) fn no_partition(span: Span, table: &str) -> Finding {
    Finding::at(
        Rule::MissingKey,
        span,
        format!("no partition column is known for `{table}`, so an overwrite cannot tell which rows to replace"),
    )
    .help(format!(
        "add `-- idemsql: partition(<column>)` before the statement, pass `--partition {table}=<column>`, or give the table's PARTITION BY with --schema"
    ))
}
