//! Byte ranges of AST nodes in the statement's text.
//!
//! sqlparser reports line/column spans; edits need byte offsets. Some spans are short of the
//! node (`CAST(x AS int)`), so a SELECT's projection items are located from the tokens.

use crate::text::lexer::{Kind, LexOptions, Token, code_tokens};
use crate::text::line_index::{Encoding, LineIndex, Position};
use crate::text::tokens::matching_paren;
use sqlparser::ast::Spanned;

/// The byte range in `text` of an AST node parsed from `text`.
pub(crate) fn node_range(text: &str, node: &impl Spanned) -> Option<(usize, usize)> {
    span_range(text, node.span())
}

/// The byte range in `text` of a sqlparser span over `text`.
pub(crate) fn span_range(text: &str, span: sqlparser::tokenizer::Span) -> Option<(usize, usize)> {
    if span.start.line == 0 || span.end.line == 0 {
        return None;
    }
    let idx = LineIndex::new(text);
    let pos = |l: sqlparser::tokenizer::Location| Position {
        line: l.line as usize,
        column: l.column as usize,
    };
    let start = idx.offset_of(pos(span.start), Encoding::Utf32);
    let end = idx.offset_of(pos(span.end), Encoding::Utf32);
    (start < end && end <= text.len()).then_some((start, end))
}

/// Words that end a SELECT's projection list.
const PROJECTION_END: &[&str] = &[
    "FROM",
    "INTO",
    "WHERE",
    "GROUP",
    "HAVING",
    "WINDOW",
    "QUALIFY",
    "ORDER",
    "LIMIT",
    "OFFSET",
    "FETCH",
    "UNION",
    "EXCEPT",
    "INTERSECT",
    "MINUS",
    "FOR",
    "CONNECT",
    "START",
    "SETTINGS",
    "FORMAT",
    "PREWHERE",
    "CLUSTER",
    "DISTRIBUTE",
    "SORT",
    "LATERAL",
];

/// The text ranges of a SELECT's projection items, read from the tokens (sqlparser's spans of
/// some expressions, such as `CAST(x AS int)`, do not cover the whole expression).
pub(crate) fn projection_ranges(
    text: &str,
    select: &sqlparser::ast::Select,
    lex: LexOptions,
) -> Option<Vec<(usize, usize)>> {
    let (start, _) = span_range(text, select.select_token.0.span)?;
    let toks: Vec<Token> = code_tokens(&text[start..], lex)
        .into_iter()
        .map(|t| Token {
            start: t.start + start,
            end: t.end + start,
            ..t
        })
        .collect();
    let word = |i: usize, w: &str| toks.get(i).is_some_and(|t| t.is_word(text, w));
    if !word(0, "SELECT") {
        return None;
    }
    let mut i = 1;
    loop {
        if word(i, "DISTINCT")
            && word(i + 1, "ON")
            && toks.get(i + 2).is_some_and(|t| t.is_punct(text, '('))
        {
            i = matching_paren(&toks, i + 2, text)? + 1;
        } else if word(i, "DISTINCT")
            || word(i, "ALL")
            || word(i, "DISTINCTROW")
            || word(i, "PERCENT")
        {
            i += 1;
        } else if word(i, "WITH") && word(i + 1, "TIES") {
            i += 2;
        } else if word(i, "TOP") {
            i += 1;
            if toks.get(i).is_some_and(|t| t.is_punct(text, '(')) {
                i = matching_paren(&toks, i, text)? + 1;
            } else {
                i += 1;
            }
        } else {
            break;
        }
    }
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut item_start: Option<usize> = None;
    let mut item_end = 0;
    for t in &toks[i..] {
        if depth == 0 {
            let ends = t.is_punct(text, ')')
                || t.is_punct(text, ';')
                || (t.kind == Kind::Word && PROJECTION_END.iter().any(|w| t.is_word(text, w)));
            if ends {
                break;
            }
            if t.is_punct(text, ',') {
                items.push((item_start.take()?, item_end));
                continue;
            }
        }
        if t.is_punct(text, '(') || t.is_punct(text, '[') {
            depth += 1;
        } else if t.is_punct(text, ')') || t.is_punct(text, ']') {
            depth = depth.saturating_sub(1);
        }
        item_start.get_or_insert(t.start);
        item_end = t.end;
    }
    items.push((item_start?, item_end));
    (items.len() == select.projection.len()).then_some(items)
}
