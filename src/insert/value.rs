//! One value of a `VALUES` row, and the questions the planner and the renderers ask of it.
//!
//! Today every value is read from sqlparser's AST; the questions are answered here, in one
//! place, so that values read from tokens alone can answer them too.

use sqlparser::ast::{Expr, UnaryOperator, Value as SqlValue};

use crate::ast::exprs;

/// One value of a row: its text range in the statement and what it is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Value<'a> {
    pub start: usize,
    pub end: usize,
    expr: &'a Expr,
}

/// What kind of literal a value is, for the types a derived table gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Literal {
    Null,
    String,
    Integer,
    Decimal,
    Boolean,
}

impl<'a> Value<'a> {
    pub fn new(range: (usize, usize), expr: &'a Expr) -> Self {
        Value {
            start: range.0,
            end: range.1,
            expr,
        }
    }

    /// The value's text range in the statement.
    pub fn range(&self) -> (usize, usize) {
        (self.start, self.end)
    }

    /// A canonical form of a constant (`1` and `1.0` agree), `None` for anything computed.
    pub fn canonical(&self) -> Option<String> {
        exprs::canonical(self.expr)
    }

    /// SQL `NULL`.
    pub fn is_null(&self) -> bool {
        exprs::is_null(self.expr)
    }

    /// The `DEFAULT` keyword: it means something only inside INSERT ... VALUES.
    pub fn is_default(&self) -> bool {
        exprs::is_default(self.expr)
    }

    /// The first call whose result differs on every run (`now()`, `random()`, a sequence).
    pub fn volatile(&self) -> Option<String> {
        exprs::volatile_call(self.expr)
    }

    /// The kind of literal the value is, `None` for anything else (a parameter, a cast, a call).
    pub fn literal(&self) -> Option<Literal> {
        let value = match self.expr {
            Expr::Value(v) => &v.value,
            Expr::UnaryOp {
                op: UnaryOperator::Minus,
                expr,
            } => match expr.as_ref() {
                Expr::Value(v) => &v.value,
                _ => return None,
            },
            _ => return None,
        };
        match value {
            SqlValue::Null => Some(Literal::Null),
            SqlValue::SingleQuotedString(_)
            | SqlValue::DoubleQuotedString(_)
            | SqlValue::NationalStringLiteral(_)
            | SqlValue::EscapedStringLiteral(_)
            | SqlValue::TripleSingleQuotedString(_)
            | SqlValue::TripleDoubleQuotedString(_) => Some(Literal::String),
            SqlValue::Number(n, _) if n.bytes().all(|b| b.is_ascii_digit()) => {
                Some(Literal::Integer)
            }
            SqlValue::Number(..) => Some(Literal::Decimal),
            SqlValue::Boolean(_) => Some(Literal::Boolean),
            _ => None,
        }
    }
}
