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
        format!("no key is known for {}, so a rerun cannot recognise the rows it already wrote", super::code(table)),
    )
    .help(format!(
        "add `-- idemsql: key(<column>)` before the statement, pass `--key {table}=<column>`, add it under [keys] in idemsql.toml, or give the table's PRIMARY KEY with --schema"
    ))
}

/// The table name fits several tables of the DDL, in different schemas or databases.
pub(crate) fn ambiguous_table(span: Span, table: &str, candidates: &[String]) -> Finding {
    Finding::at(
        Rule::MissingKey,
        span,
        format!(
            "{} may be any of {}: the current schema or database is not known here, so idemsql does not guess which table's key applies",
            super::code(table),
            candidates.join(", ")
        ),
    )
    .help("qualify the table name, or say which schema is current (`USE x`, `SET search_path TO x`) before the statement")
}

/// A key that names no columns.
pub(crate) fn empty_key(span: Span, table: &str) -> Finding {
    Finding::at(
        Rule::MissingKey,
        span,
        format!("the key for {} lists no columns", super::code(table)),
    )
}

/// An overwrite without partition columns.
pub(crate) fn no_partition(span: Span, table: &str) -> Finding {
    Finding::at(
        Rule::MissingKey,
        span,
        format!("no partition column is known for {}, so an overwrite cannot tell which rows to replace", super::code(table)),
    )
    .help(format!(
        "add `-- idemsql: partition(<column>)` before the statement, pass `--partition {table}=<column>`, or give the table's PARTITION BY with --schema"
    ))
}
