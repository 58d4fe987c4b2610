//! `IDEM011 unknown-columns`: the rewrite needs the inserted columns (their names, their
//! number, their table order or their types) and neither the statement nor any DDL gives them.

use super::{Finding, Rule};
use crate::Dialect;
use crate::text::edit::Span;

/// No column list and no DDL for `table`.
pub(crate) fn no_column_list(span: Span, table: &str) -> Finding {
    Finding::at(
        Rule::UnknownColumns,
        span,
        format!(
            "{} lists no columns and no DDL for {} is known",
            super::code(&format!("INSERT INTO {table}")),
            super::code(table)
        ),
    )
    .help(format!(
        "list the columns (`INSERT INTO {table} (col, ...)`), or give the table's CREATE TABLE with --schema"
    ))
}

/// A row with another number of values than columns.
pub(crate) fn row_width(row: Span, values: usize, columns: usize) -> Finding {
    Finding::at(
        Rule::UnknownColumns,
        row,
        format!("this row has {values} values but {columns} columns are inserted"),
    )
    .help("give each row one value per column")
}

/// A column of only NULLs in a derived table of a strictly typed dialect, without DDL.
pub(crate) fn untyped_nulls(span: Span, col: &str, dialect: Dialect) -> Finding {
    Finding::at(
        Rule::UnknownColumns,
        span,
        format!(
            "column `{col}` gets only NULL, which a {dialect} derived table types as it likes (not as the column); its type is unknown without the table's DDL"
        ),
    )
    .help("give the table's CREATE TABLE (--schema or in the input) so idemsql can cast the values, or leave the column out")
}

/// A form that takes whole rows in table order, without DDL giving that order.
pub(crate) fn no_table_order(span: Span, dialect: Dialect, table: &str) -> Finding {
    Finding::at(
        Rule::UnknownColumns,
        span,
        format!(
            "the {dialect} overwrite form takes columns in table order, and no DDL for `{table}` gives that order"
        ),
    )
    .help("give the table's CREATE TABLE with --schema, or insert without a column list in table order")
}

/// A column of the table that a whole-row form needs is not inserted.
pub(crate) fn column_not_inserted(span: Span, col: &str) -> Finding {
    Finding::at(
        Rule::UnknownColumns,
        span,
        format!(
            "column `{col}` of the table is not inserted, and this overwrite form writes whole rows"
        ),
    )
    .help("insert every column of the table (NULL where there is no value)")
}
