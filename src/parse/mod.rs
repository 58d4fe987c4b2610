//! Reading one statement with sqlparser: the nesting bounds that keep deep input from
//! overflowing the stack, and T-SQL batches whose statements have no `;` between them.
//!
//! Owns every call into sqlparser's parser. It may not look at what a statement means: that is
//! the catalog's, the rules' and the planner's work.

mod unterminated;

use sqlparser::ast::Statement;
use sqlparser::parser::Parser;

use crate::text::lexer::{Kind, Token};

pub(crate) use unterminated::split_unterminated;

/// sqlparser's nesting bound: deeper input is reported, never a stack overflow.
pub(crate) const RECURSION_LIMIT: usize = 64;
/// Longest run of binary operators (or UNION arms) at one nesting level that is parsed.
/// sqlparser builds such chains as deep trees whose printing and dropping recurse once per
/// operator; 2000 stays within a WebAssembly instance's stack.
pub(crate) const MAX_OPERATOR_CHAIN: usize = 2000;

/// Parse `code` as statements, within the nesting bound.
pub(crate) fn parse(
    pd: &dyn sqlparser::dialect::Dialect,
    code: &str,
) -> Result<Vec<Statement>, sqlparser::parser::ParserError> {
    Parser::new(pd)
        .with_recursion_limit(RECURSION_LIMIT)
        .try_with_sql(code)?
        .parse_statements()
}

/// What reading one statement's code gave.
pub(crate) enum Read {
    /// The statements sqlparser read.
    Parsed(Vec<Statement>),
    /// A T-SQL batch written without `;`: the ranges (in the code) of its statements, each of
    /// which parses on its own.
    Batch(Vec<(usize, usize)>),
    /// Too many operators in a row for sqlparser's recursive trees: not parsed at all.
    TooDeep,
    /// sqlparser's error.
    Failed(String),
}

/// Read `code` (whose code tokens are `toks`): parse it, and where the dialect's batches may
/// leave out `;`, cut a batch that does not parse whole into the statements that do.
pub(crate) fn read(
    code: &str,
    toks: &[Token],
    pd: &dyn sqlparser::dialect::Dialect,
    unterminated_batches: bool,
) -> Read {
    if too_deep(toks, code) {
        return Read::TooDeep;
    }
    match parse(pd, code) {
        Ok(stmts) => Read::Parsed(stmts),
        Err(e) => match unterminated_batches
            .then(|| split_unterminated(code, toks, pd))
            .flatten()
        {
            Some(pieces) => Read::Batch(pieces),
            None => Read::Failed(e.to_string()),
        },
    }
}

/// [`read`] `code` with the content of MySQL version comments (`/*!50705 ... */`) as code, as
/// the server reads it. A CREATE or ALTER whose version-comment content sqlparser cannot read
/// (mysqldump's `/*!50100 PARTITION BY ... */`) is read without that content (as an older
/// server would), which keeps its columns and keys; any other statement is read only as the
/// server would.
pub(crate) fn read_versioned(
    code: &str,
    toks: &[Token],
    pd: &dyn sqlparser::dialect::Dialect,
    unterminated_batches: bool,
    lex: crate::text::lexer::LexOptions,
) -> Read {
    let readable = crate::text::lexer::without_version_markers(code, lex);
    let read = read(&readable, toks, pd, unterminated_batches);
    let is_ddl = || {
        let first = crate::text::tokens::first_word(code, lex);
        first.eq_ignore_ascii_case("CREATE") || first.eq_ignore_ascii_case("ALTER")
    };
    if matches!(readable, std::borrow::Cow::Owned(_)) && matches!(read, Read::Failed(_)) && is_ddl()
    {
        let older = crate::text::lexer::without_version_comments(code, lex);
        if let Ok(stmts) = parse(pd, &older) {
            return Read::Parsed(stmts);
        }
    }
    read
}

/// Too many binary operators in a row at one nesting level for sqlparser's recursive trees.
pub(crate) fn too_deep(toks: &[Token], code: &str) -> bool {
    let bytes = code.as_bytes();
    let mut chain: Vec<usize> = vec![0];
    for t in toks {
        let operator = match t.kind {
            Kind::Punct => {
                match bytes.get(t.start) {
                    Some(b'(') => chain.push(0),
                    Some(b')') if chain.len() > 1 => {
                        chain.pop();
                    }
                    Some(b',') => {
                        if let Some(c) = chain.last_mut() {
                            *c = 0;
                        }
                    }
                    _ => {}
                }
                false
            }
            Kind::Op => true,
            Kind::Word if matches!(t.end - t.start, 2..=9) => {
                let w = t.text(code);
                ["AND", "OR", "UNION", "EXCEPT", "INTERSECT", "MINUS"]
                    .iter()
                    .any(|k| w.eq_ignore_ascii_case(k))
            }
            _ => false,
        };
        if operator {
            if let Some(c) = chain.last_mut() {
                *c += 1;
                if *c > MAX_OPERATOR_CHAIN {
                    return true;
                }
            }
        }
        if chain.len() > 4 * RECURSION_LIMIT {
            return true;
        }
    }
    false
}

/// What a statement of a script is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StatementKind {
    /// SQL for the database.
    Sql,
    /// A line for the client program, not the server (`\c db`, `GO`, `DELIMITER //`, `/`).
    ClientCommand,
}

/// Where one statement of a script is, as idemsql reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct StatementSpan {
    pub kind: StatementKind,
    /// The statement's code, from its first character to its last; no terminator.
    pub code: crate::Span,
    /// The `;` (or custom delimiter) that ends it, when one does.
    pub terminator: Option<crate::Span>,
}

impl StatementSpan {
    /// The code and the terminator.
    pub fn span(&self) -> crate::Span {
        crate::Span::new(
            self.code.start,
            self.terminator.map_or(self.code.end, |t| t.end),
        )
    }
}

/// The statements of `sql` in `dialect`, cut where idemsql cuts them: at terminators, client
/// commands and block ends, and, in T-SQL batches written without `;`, between the
/// statements that parse on their own.
pub(crate) fn statements(sql: &str, dialect: crate::Dialect) -> Vec<StatementSpan> {
    use crate::text::split::{ChunkKind, Splitter};
    let caps = dialect.caps();
    let lex = caps.lex;
    let pd = dialect.parser_dialect();
    let mut out = Vec::new();
    for chunk in Splitter::new(sql, lex) {
        let code = chunk.code(sql);
        let kind = match chunk.kind {
            ChunkKind::Sql => StatementKind::Sql,
            ChunkKind::ClientCommand => StatementKind::ClientCommand,
        };
        let base = chunk.span.start;
        let pieces = (kind == StatementKind::Sql
            && caps.script.unterminated_batches
            && parse(&*pd, code).is_err())
        .then(|| {
            let toks = crate::text::lexer::code_tokens(code, lex);
            split_unterminated(code, &toks, &*pd)
        })
        .flatten();
        match pieces {
            Some(pieces) => {
                let last = pieces.len() - 1;
                for (i, (s, e)) in pieces.into_iter().enumerate() {
                    out.push(StatementSpan {
                        kind,
                        code: crate::Span::new(base + s, base + e),
                        terminator: chunk.terminator.filter(|_| i == last),
                    });
                }
            }
            None => out.push(StatementSpan {
                kind,
                code: crate::Span::new(base, chunk.code_end),
                terminator: chunk.terminator,
            }),
        }
    }
    out
}
