//! What idemsql reads off sqlparser's AST: facts about expressions (constant, volatile, NULL,
//! canonical form, pinned by a WHERE), the arms of a query, and byte ranges of nodes.
//!
//! Owns the questions every later stage asks of a parsed statement. It may not decide
//! anything about rewriting or reporting.

pub(crate) mod exprs;
pub(crate) mod query;
pub(crate) mod spans;
