//! The input as text: byte spans and edits, the lexer, statement boundaries, line and column
//! positions, and separators outside quotes.
//!
//! Owns everything that is about bytes and tokens, not about SQL meaning. It may not use the
//! parser, the catalog or any rule; dialects reach it only as [`lexer::LexOptions`].

pub(crate) mod edit;
pub(crate) mod lexer;
pub(crate) mod line_index;
pub(crate) mod quoting;
pub(crate) mod split;
pub(crate) mod tokens;
