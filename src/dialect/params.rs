//! Driver parameters: which spellings of a bind parameter the dialect's text may also use for
//! something else.
//!
//! idemsql reads every parameter style Python, JDBC and the engines' own clients write (`?`,
//! `?NNN`, `$1`, `:name`, `@name`, `%s`, `%(name)s`, `$name`, `${name}`) in every dialect:
//! the driver, not the database, decides which one a statement uses. Only where the same
//! characters mean something else in the dialect's own SQL does the position decide.

use super::Dialect;

/// What parameter spellings collide with in the dialect's SQL.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    /// `?` is also a binary operator (PostgreSQL's `jsonb ? 'key'`): after an operand it is
    /// the operator, elsewhere a parameter.
    pub question_mark_operator: bool,
    /// The sigil of the placeholders idemsql reads parameters as: `$name` is a parameter to
    /// every sqlparser dialect but MySQL's (and Hive's), which read it as a name, as MySQL
    /// does; there `:name` is one.
    pub placeholder_sigil: char,
}

pub(super) fn of(dialect: Dialect) -> Params {
    Params {
        question_mark_operator: matches!(dialect, Dialect::Postgres),
        placeholder_sigil: match dialect {
            Dialect::Mysql | Dialect::Mariadb => ':',
            _ => '$',
        },
    }
}
