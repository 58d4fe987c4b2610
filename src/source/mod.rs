//! Reading the input text: tokens, statement boundaries, directives and positions.

pub mod directive;
pub mod lexer;
pub mod line_index;
pub mod split;
