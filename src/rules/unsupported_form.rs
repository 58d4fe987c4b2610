//! `IDEM010 unsupported-form`: the dialect has no idempotent form for this statement and
//! strategy (MERGE on MySQL, an upsert on ClickHouse, RETURNING with MERGE, a CTE where the
//! dialect takes none, ...), or the statement is a form idemsql does not rewrite. The
//! statement is left as it is.

use super::{Finding, Rule};
use crate::Dialect;
use crate::text::edit::Span;

/// An INSERT form idemsql does not rewrite (`what` names it).
pub(crate) fn not_rewritten(span: Span, what: &str) -> Finding {
    Finding::at(
        Rule::UnsupportedForm,
        span,
        format!("idemsql does not rewrite {what}"),
    )
    .help("rewrite the statement by hand, or mark it `-- idemsql: ignore` if a rerun is safe")
}

/// `--strategy merge` (or a form that needs MERGE) on a dialect without MERGE.
pub(crate) fn no_merge_strategy(span: Span, dialect: Dialect) -> Finding {
    Finding::at(
        Rule::UnsupportedForm,
        span,
        format!("{dialect} has no MERGE statement"),
    )
    .help(format!(
        "use --strategy upsert or ignore, which {dialect} writes natively"
    ))
}

/// A MERGE form asked of a dialect without MERGE, once the plan is made.
pub(crate) fn no_merge(span: Span, dialect: Dialect) -> Finding {
    Finding::at(
        Rule::UnsupportedForm,
        span,
        format!("{dialect} has no MERGE statement"),
    )
}

/// An upsert on a dialect that cannot update rows in place by key (ClickHouse).
pub(crate) fn no_upsert(span: Span, dialect: Dialect) -> Finding {
    Finding::at(
        Rule::UnsupportedForm,
        span,
        format!("{dialect} has no upsert: rows cannot be updated in place by key"),
    )
    .help("use --strategy ignore (insert the rows that are missing) or overwrite (replace whole partitions); for last-write-wins, a ReplacingMergeTree table")
}

/// RETURNING on a MERGE, which returns nothing.
pub(crate) fn merge_returning(span: Span, dialect: Dialect) -> Finding {
    Finding::at(
        Rule::UnsupportedForm,
        span,
        format!("MERGE in {dialect} cannot return rows, so RETURNING cannot be kept"),
    )
    .help("drop RETURNING, or use a dialect with an upsert that keeps it (ON CONFLICT)")
}

/// A `WITH` before INSERT that can go neither into the MERGE's source nor before it.
pub(crate) fn merge_cte(span: Span, dialect: Dialect) -> Finding {
    Finding::at(
        Rule::UnsupportedForm,
        span,
        format!("{dialect} takes a WITH clause neither inside MERGE's source nor before MERGE"),
    )
    .help("move the CTE into a view or a staging table, or use --strategy overwrite")
}

/// A MERGE that reads only tables (Redshift), for rows from VALUES or a query.
pub(crate) fn merge_needs_table(span: Span, dialect: Dialect) -> Finding {
    Finding::at(
        Rule::UnsupportedForm,
        span,
        format!(
            "MERGE in {dialect} reads only from a table, and this INSERT's rows come from VALUES or a query"
        ),
    )
    .help("use --strategy upsert (delete the incoming keys, then insert, in one transaction), or load the rows into a staging table and INSERT ... SELECT from it")
}

/// RETURNING with the insert-if-absent form.
pub(crate) fn not_exists_returning(span: Span) -> Finding {
    Finding::at(
        Rule::UnsupportedForm,
        span,
        "RETURNING cannot be kept by the NOT EXISTS form",
    )
}

/// RETURNING with an overwrite form other than delete-then-insert.
pub(crate) fn overwrite_returning(span: Span, dialect: Dialect) -> Finding {
    Finding::at(
        Rule::UnsupportedForm,
        span,
        format!("the {dialect} overwrite form cannot keep RETURNING"),
    )
    .help("drop RETURNING from the statement")
}

/// One `INSERT OVERWRITE ... PARTITION` per static partition, and the rows have several or a
/// NULL one.
pub(crate) fn several_static_partitions(span: Span, dialect: Dialect) -> Finding {
    Finding::at(
        Rule::UnsupportedForm,
        span,
        format!(
            "INSERT OVERWRITE ... PARTITION in {dialect} names one static partition; this statement writes several, or a NULL one"
        ),
    )
    .help("split the statement into one per partition")
}

/// An upsert by delete-then-insert of a query's composite keys.
pub(crate) fn composite_key_delete(span: Span, dialect: Dialect) -> Finding {
    Finding::at(
        Rule::UnsupportedForm,
        span,
        format!(
            "{dialect} upserts by deleting the incoming keys first, and a query's composite keys cannot be listed in one DELETE"
        ),
    )
    .help("load the query into a staging table and MERGE from it, or use a single-column key")
}

/// `DEFAULT` in a row that moves into a derived table.
pub(crate) fn default_in_row_source(span: Span, dialect: Dialect) -> Finding {
    Finding::at(
        Rule::UnsupportedForm,
        span,
        format!("DEFAULT cannot be moved into the {dialect} form's row source"),
    )
    .help("write the default value itself, or leave the column out of the INSERT")
}

/// The query's columns cannot be named like the target's (`why` says what stops it).
pub(crate) fn unnamed_query_columns(span: Span, why: String, columns: &str) -> Finding {
    Finding::at(Rule::UnsupportedForm, span, why).help(format!(
        "list the SELECT's columns with aliases matching the target's ({columns})"
    ))
}

/// The rewrite would replace part of a MySQL version comment (`/*!50705 ... */`), or put
/// statements inside one: the comment could not be kept as written.
pub(crate) fn cuts_version_comment(span: Span) -> Finding {
    Finding::at(
        Rule::UnsupportedForm,
        span,
        "idemsql does not rewrite this INSERT: its rewrite would cut a version comment (`/*!NNNNN ... */`) the statement holds",
    )
    .help("move the statement's parts out of the version comment, or rewrite it by hand")
}
