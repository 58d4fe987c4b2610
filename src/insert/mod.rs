//! An INSERT statement as idemsql edits it ([`InsertModel`]): what it means, and where each
//! part of it is in the user's text, so a rewrite can keep that text. Also the recognition of
//! INSERTs that are already safe to rerun ([`already`], [`cover`]).
//!
//! Owns the statement model the planner reads. The planner sees rows only as [`Value`]s, never
//! as AST nodes, so a model can also be built from tokens alone (a fast path for huge `VALUES`
//! batches). This folder may not decide how a statement is rewritten or reported.

pub(crate) mod already;
mod build;
pub(crate) mod cover;
mod value;

use sqlparser::ast::{Insert, Query, SetExpr, Spanned, Statement};

use crate::names::Name;

pub(crate) use value::{Literal, Value};

/// One column of the INSERT's column list, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ColumnRef {
    pub name: Name,
    /// The user's spelling (`"Line No"`, `[AlbumId]`).
    pub text: String,
}

/// One `( ... )` row of a VALUES list.
#[derive(Debug, Clone)]
pub(crate) struct Row<'a> {
    /// The row's text range, parentheses included.
    pub start: usize,
    pub end: usize,
    /// One value per column.
    pub values: Vec<Value<'a>>,
}

impl<'a> Row<'a> {
    /// The value of column `i`.
    pub fn value(&self, i: usize) -> Option<&Value<'a>> {
        self.values.get(i)
    }
}

/// Where the inserted rows come from.
#[derive(Debug, Clone)]
pub(crate) enum Source<'a> {
    /// `VALUES (...), (...)`, or MySQL's `SET a = 1, b = 2` (one row).
    Values {
        /// The `VALUES` keyword.
        keyword: (usize, usize),
        rows: Vec<Row<'a>>,
    },
    /// A query: `SELECT ...`, `WITH ... SELECT ...`, `(SELECT ...) UNION ...`.
    Query(&'a Query),
}

/// What the rewrite needs to know about one INSERT. Every position is a byte offset into the
/// statement's code (`text`); [`InsertModel::base`] turns it into an offset in the whole input.
#[derive(Debug, Clone)]
pub(crate) struct InsertModel<'a> {
    /// The statement's code, without terminator.
    pub text: &'a str,
    /// Offset of `text` in the whole input.
    pub base: usize,
    /// A `WITH ...` written before `INSERT`: its text range.
    pub with_prefix: Option<(usize, usize)>,
    /// Where the `INSERT` keyword starts.
    pub insert_start: usize,
    pub table: Vec<Name>,
    /// The table name as written.
    pub table_span: (usize, usize),
    /// The table's alias (`INSERT INTO t AS x`), as written.
    pub alias: Option<(usize, usize)>,
    /// The explicit column list, if any.
    pub columns: Vec<ColumnRef>,
    pub source: Source<'a>,
    /// The source's text range (`VALUES ...` or the query).
    pub source_span: (usize, usize),
    /// The `RETURNING ...` clause's text range.
    pub returning: Option<(usize, usize)>,
}

/// Why an INSERT cannot be modelled (and so cannot be rewritten).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ModelError {
    /// A form idemsql does not rewrite; the message names it.
    Unsupported(String),
}

impl<'a> InsertModel<'a> {
    pub fn slice(&self, range: (usize, usize)) -> &'a str {
        self.text.get(range.0..range.1).unwrap_or("")
    }

    /// The source's text.
    pub fn source_text(&self) -> &'a str {
        self.slice(self.source_span)
    }

    /// The table name's text.
    pub fn table_text(&self) -> &'a str {
        self.slice(self.table_span)
    }

    /// How the statement's own clauses name the target's existing row: the alias, else the
    /// table's last name part as written (`public.actor` is `actor` in `ON CONFLICT ... WHERE`).
    pub fn target_reference(&self) -> &'a str {
        if let Some(a) = self.alias {
            return self.slice(a);
        }
        let name = self.table_text();
        crate::text::quoting::split_unquoted(name, '.')
            .last()
            .map_or(name, |p| p.trim())
    }

    /// The whole statement's range in the input.
    pub fn span(&self) -> crate::Span {
        crate::Span::new(self.base, self.base + self.text.len())
    }

    /// From the `INSERT` keyword to the end, in the input: where statement-wide findings point.
    pub fn insert_span(&self) -> crate::Span {
        crate::Span::new(self.base + self.insert_start, self.base + self.text.len())
    }

    /// A range of `text`, in the input.
    pub fn input_span(&self, range: (usize, usize)) -> crate::Span {
        crate::Span::new(self.base + range.0, self.base + range.1)
    }

    /// The byte range in `text` of an AST node, from sqlparser's line/column span.
    pub fn node_range(&self, node: &impl Spanned) -> Option<(usize, usize)> {
        crate::ast::spans::node_range(self.text, node)
    }
}

/// The INSERT a statement is, and whether a WITH clause precedes it.
pub(crate) fn insert_of(stmt: &Statement) -> Option<(&Insert, bool)> {
    match stmt {
        Statement::Insert(i) => Some((i, false)),
        Statement::Query(q) => match q.body.as_ref() {
            SetExpr::Insert(Statement::Insert(i)) => Some((i, q.with.is_some())),
            _ => None,
        },
        _ => None,
    }
}
