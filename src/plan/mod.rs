//! Deciding how to rewrite one INSERT, or refusing with the diagnostic that says why.
//!
//! [`plan`] reads the statement model ([`InsertModel`]), the catalog, the options and the
//! statement's directives, and returns a [`Plan`]: the columns and rows to write
//! ([`Target`]) and the [`Form`] to write them in, each form carrying exactly what it needs.
//! The most specific source wins, for keys and partitions alike: a directive on the statement,
//! then options naming the table (CLI flags over `idemsql.toml`, merged by the adapter), then
//! the table's DDL (in the input or `schema`), then the default key.
//!
//! Owns every decision about a rewrite. It may not write SQL (that is `render/`), and reads
//! rows only through [`crate::insert::Value`], never through AST nodes.

mod columns;
mod dedupe;
mod form;
mod key;
mod partitions;
mod sources;
mod volatile;

use crate::catalog::{Catalog, Table};
use crate::dialect::{Caps, Dialect, OverwriteForm};
use crate::insert::InsertModel;
use crate::names::Name;
use crate::rules::Finding;
use crate::settings::directive::Directives;
use crate::settings::options::{Options, Strategy};
use crate::text::lexer::LexOptions;

/// Everything the planning and the rendering of one statement may consult.
pub(crate) struct Ctx<'a> {
    pub dialect: Dialect,
    pub caps: Caps,
    pub options: &'a Options,
    pub catalog: &'a Catalog,
    pub directives: &'a Directives,
    pub lex: LexOptions,
    /// The whitespace before the statement on its first line.
    pub indent: &'a str,
    /// The statement ends with `;` in the input.
    pub terminated: bool,
    /// The statement runs inside a transaction the script opened itself: an overwrite then
    /// adds no BEGIN/COMMIT of its own, which would commit the script's work early.
    pub in_transaction: bool,
}

/// Why a statement is not rewritten: the one finding that says so.
pub(crate) type Refusal = Box<Finding>;

/// One inserted column: its name and how to write it (borrowed from the statement or the DDL).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col<'a> {
    pub name: &'a Name,
    pub text: &'a str,
}

/// What the rewritten statement writes: the columns, the rows of a VALUES batch to keep, and
/// the table's DDL when it is known.
#[derive(Debug, Clone)]
pub(crate) struct Target<'a> {
    pub cols: Vec<Col<'a>>,
    /// The VALUES rows to keep, when deduplication dropped some (else all of them).
    pub rows: Option<Vec<usize>>,
    pub table: Option<&'a Table>,
}

/// The key a keyed form matches existing rows on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key {
    /// Indices into the target's columns.
    pub cols: Vec<usize>,
    /// Per key column: compare NULL-safely.
    pub null_safe: Vec<bool>,
}

impl Key {
    /// The target's columns that are not part of the key, in insert order.
    pub fn others(&self, width: usize) -> Vec<usize> {
        (0..width).filter(|i| !self.cols.contains(i)).collect()
    }
}

/// The values whose rows a delete-then-insert form removes first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Partitions {
    /// Distinct tuples of constant texts, one value per column; `None` is SQL NULL.
    Tuples(Vec<Vec<Option<String>>>),
    /// `col BETWEEN lo AND hi` (one column).
    Range(String, String),
    /// The one column's values are those the statement's query selects for it.
    FromQuery,
}

/// The rows a delete-then-insert form replaces: those whose `cols` hold one of `values`
/// (the partitions of an overwrite, or the incoming keys of an upsert by delete).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Replaced {
    /// Indices into the target's columns.
    pub cols: Vec<usize>,
    pub values: Partitions,
    /// The columns as SQL text, when the statement lists no columns and no DDL gives them
    /// (`REPLACE WHERE` needs none): `cols` then indexes nothing.
    pub named: Option<Vec<String>>,
}

/// The SQL form a statement becomes, with what that form needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Form {
    /// `ON CONFLICT (k) [WHERE p] DO UPDATE | DO NOTHING`.
    OnConflict {
        key: Key,
        ignore: bool,
        /// The `WHERE` of the partial unique index the key is.
        predicate: Option<String>,
    },
    /// `ON DUPLICATE KEY UPDATE`.
    DuplicateKey { key: Key, ignore: bool },
    /// `MERGE INTO ... USING (rows) ON key ...`.
    Merge { key: Key, insert_only: bool },
    /// `INSERT ... SELECT ... WHERE NOT EXISTS (...)`.
    NotExists { key: Key },
    /// `DELETE` the replaced rows, then `INSERT`, in the dialect's transaction.
    DeleteInsert(Replaced),
    /// `INSERT OVERWRITE TABLE t PARTITION (...)`, one statement per static partition.
    InsertOverwrite(Replaced),
    /// `INSERT INTO t REPLACE WHERE <replaced rows>`.
    ReplaceWhere(Replaced),
    /// `MERGE ... ON FALSE ... WHEN NOT MATCHED BY SOURCE AND <replaced rows> THEN DELETE`.
    MergeBySource(Replaced),
}

impl Form {
    /// The form a dialect's overwrite takes.
    fn overwrite(form: OverwriteForm, replaced: Replaced) -> Form {
        match form {
            OverwriteForm::DeleteInsert => Form::DeleteInsert(replaced),
            OverwriteForm::InsertOverwritePartition => Form::InsertOverwrite(replaced),
            OverwriteForm::ReplaceWhere => Form::ReplaceWhere(replaced),
            OverwriteForm::MergeBySource => Form::MergeBySource(replaced),
        }
    }
}

/// Everything decided about one INSERT.
#[derive(Debug, Clone)]
pub(crate) struct Plan<'a> {
    pub target: Target<'a>,
    pub form: Form,
    /// Warnings to report with the rewrite.
    pub notes: Vec<Finding>,
}

/// Decide the plan for `model`, or the finding that refuses it.
pub(crate) fn plan<'a>(ctx: &Ctx<'a>, model: &'a InsertModel) -> Result<Plan<'a>, Refusal> {
    let at = model.insert_span().start;
    let table = ctx.catalog.lookup_at(&model.table, at);
    let ambiguous = ctx
        .catalog
        .names_of(&ctx.catalog.resolve_at(&model.table, at));
    let key = sources::key_names(ctx, model, table);
    let partition = sources::partition_names(ctx, model, table);
    let requested = ctx.directives.strategy.unwrap_or(ctx.options.strategy);
    let strategy = match requested {
        Strategy::Auto if partition.is_some() && key.is_none() => Strategy::Overwrite,
        Strategy::Auto => Strategy::Upsert,
        s => s,
    };
    let cols = match columns::resolve(model, table) {
        Ok(cols) => cols,
        // Delta checks a REPLACE WHERE predicate against every inserted row: the form needs
        // the partitions written, not the columns.
        Err(refusal)
            if strategy == Strategy::Overwrite
                && ctx.caps.writes.overwrite == OverwriteForm::ReplaceWhere
                && model.columns.is_empty()
                && table.is_none_or(|t| t.columns.is_empty()) =>
        {
            return partitions::plan_unlisted(ctx, model, table, partition, refusal);
        }
        Err(refusal) => return Err(refusal),
    };
    let target = Target {
        cols,
        rows: None,
        table,
    };
    if strategy == Strategy::Overwrite {
        return partitions::plan_overwrite(ctx, model, target, partition);
    }
    let span = model.insert_span();
    let Some((names, source)) = key else {
        return Err(Box::new(if ambiguous.is_empty() {
            crate::rules::missing_key::no_key(span, model.table_text())
        } else {
            crate::rules::missing_key::ambiguous_table(span, model.table_text(), &ambiguous)
        }));
    };
    let mut plan = key::plan_keyed(ctx, model, target, strategy, &names, source)?;
    // The key came from elsewhere, but the DDL of the table is not known: say so.
    if !ambiguous.is_empty() {
        plan.notes.push(
            crate::rules::missing_key::ambiguous_table(span, model.table_text(), &ambiguous)
                .severity(crate::diagnostic::Severity::Warning),
        );
    }
    Ok(plan)
}
