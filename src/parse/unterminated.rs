//! T-SQL batches written without `;` between statements: where one statement ends is found
//! by the parser, not the lexer, so this lives with parsing.

use crate::text::lexer::{Kind, Token};

/// Words that start a T-SQL statement and cannot continue the previous one when they begin a
/// line (UPDATE, INSERT and DELETE can, inside MERGE: those cuts are tried and kept only if
/// the text before them parses alone).
const STATEMENT_STARTS: &[&str] = &[
    "INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "ALTER", "DROP", "TRUNCATE", "DECLARE",
    "EXEC", "EXECUTE", "PRINT", "USE", "GRANT", "REVOKE",
];

/// Split statements written without `;` between them (T-SQL): cut before line-initial
/// statement words wherever the text before the cut parses on its own. `None` unless every
/// piece parses.
pub(crate) fn split_unterminated(
    code: &str,
    toks: &[Token],
    pd: &dyn sqlparser::dialect::Dialect,
) -> Option<Vec<(usize, usize)>> {
    let mut candidates = Vec::new();
    let mut depth = 0usize;
    for t in toks {
        if t.is_punct(code, '(') {
            depth += 1;
        } else if t.is_punct(code, ')') {
            depth = depth.saturating_sub(1);
        } else if depth == 0
            && t.kind == Kind::Word
            && t.start > 0
            && code[..t.start]
                .rfind('\n')
                .is_some_and(|nl| code[nl..t.start].trim().is_empty())
            && STATEMENT_STARTS.iter().any(|w| t.is_word(code, w))
        {
            candidates.push(t.start);
        }
    }
    if candidates.is_empty() || candidates.len() > 500 {
        return None;
    }
    let end_of = |s: usize, e: usize| s + code[s..e].trim_end().len();
    let mut pieces = Vec::new();
    let mut start = 0;
    for c in candidates {
        let piece_end = end_of(start, c);
        if parses_alone(pd, &code[start..piece_end]) {
            pieces.push((start, piece_end));
            start = c;
        }
    }
    let last_end = end_of(start, code.len());
    if pieces.is_empty() || !parses_alone(pd, &code[start..last_end]) {
        return None;
    }
    pieces.push((start, last_end));
    Some(pieces)
}

/// Does `code` parse as exactly one statement?
fn parses_alone(pd: &dyn sqlparser::dialect::Dialect, code: &str) -> bool {
    sqlparser::parser::Parser::new(pd)
        .try_with_sql(code)
        .and_then(|mut p| p.parse_statements())
        .is_ok_and(|s| s.len() == 1)
}
