//! Walking a statement's code tokens: matching parentheses, depth-0 commas, the first word.

use super::lexer::{Kind, LexOptions, Lexer, Token};

/// The index of the `)` matching the `(` at `open`.
pub(crate) fn matching_paren(toks: &[Token], open: usize, text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate().skip(open) {
        if t.is_punct(text, '(') {
            depth += 1;
        } else if t.is_punct(text, ')') {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Split tokens at depth-0 commas; each part's text range.
pub(crate) fn split_commas(toks: &[Token], text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start: Option<usize> = None;
    let mut end = 0;
    for t in toks {
        if depth == 0 && t.is_punct(text, ',') {
            if let Some(s) = start.take() {
                out.push((s, end));
            }
            continue;
        }
        if t.is_punct(text, '(') || t.is_punct(text, '[') {
            depth += 1;
        } else if t.is_punct(text, ')') || t.is_punct(text, ']') {
            depth = depth.saturating_sub(1);
        }
        start.get_or_insert(t.start);
        end = t.end;
    }
    if let Some(s) = start {
        out.push((s, end));
    }
    out
}

/// The first code token of `code` when it is a word (`CREATE`, `INSERT`), else "".
pub(crate) fn first_word(code: &str, lex: LexOptions) -> &str {
    Lexer::new(code, lex)
        .find(|t| !t.is_trivia())
        .filter(|t| t.kind == Kind::Word)
        .map_or("", |t| t.text(code))
}
