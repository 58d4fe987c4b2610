//! Split a script into statements with exact byte spans, in one pass and without parsing.
//!
//! Parsing a whole 50 MB dump at once costs sqlparser several gigabytes; splitting first and
//! parsing each statement alone keeps memory to a fraction of the input. The splitter knows
//! what separates statements in the wild besides `;`:
//! - client commands that are not SQL: psql `\` meta-commands, SQL Server `GO` lines,
//!   MySQL `DELIMITER`, SQL*Plus `/` lines; each becomes a [`ChunkKind::ClientCommand`];
//! - `BEGIN ... END` blocks (triggers, procedures, PL/SQL, T-SQL `IF ... BEGIN ... END`),
//!   whose inner `;` do not end the statement;
//! - a custom MySQL delimiter set by `DELIMITER //`.

use crate::text::edit::Span;
use crate::text::lexer::{Kind, LexOptions, Lexer, Token};

/// What a chunk of the script is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkKind {
    /// SQL text to parse.
    Sql,
    /// A line for the client program, not the server (`\c db`, `GO`, `DELIMITER //`, `/`).
    ClientCommand,
}

/// One statement (or client command) of the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub kind: ChunkKind,
    /// From the first code character to the end of the terminator, if any.
    pub span: Span,
    /// End of the statement's code: the terminator and the trivia before it are excluded.
    pub code_end: usize,
    /// The `;` (or custom delimiter) that ends the statement.
    pub terminator: Option<Span>,
    /// Comments and blank space between the previous chunk and this one.
    pub leading: Span,
}

impl Chunk {
    /// The statement's code, without terminator.
    pub fn code<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.span.start..self.code_end).unwrap_or("")
    }
}

/// The statement-splitting iterator.
pub struct Splitter<'a> {
    src: &'a str,
    lexer: Lexer<'a>,
    opts: LexOptions,
    /// Where the trivia before the next chunk starts.
    trivia_start: usize,
    delimiter: Option<String>,
    pending: Option<Token>,
}

impl<'a> Splitter<'a> {
    pub fn new(src: &'a str, opts: LexOptions) -> Self {
        Splitter {
            src,
            lexer: Lexer::new(src, opts),
            opts,
            trivia_start: 0,
            delimiter: None,
            pending: None,
        }
    }

    fn next_token(&mut self) -> Option<Token> {
        self.pending.take().or_else(|| self.lexer.next())
    }

    fn at_line_start(&self, pos: usize) -> bool {
        let before = &self.src[..pos];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        before[line_start..].trim().is_empty()
    }

    fn line_end(&self, pos: usize) -> usize {
        self.src[pos..]
            .find('\n')
            .map_or(self.src.len(), |i| pos + i)
    }

    /// The client command starting at `tok`, if the token begins one: returns the end of its line.
    fn client_command(&self, tok: &Token) -> Option<usize> {
        let text = tok.text(self.src);
        let candidate = text.starts_with('\\')
            || text == "/"
            || text.eq_ignore_ascii_case("go")
            || (self.opts.hash_comments && text.eq_ignore_ascii_case("delimiter"));
        if !candidate || !self.at_line_start(tok.start) {
            return None;
        }
        let line_end = self.line_end(tok.start);
        let line = self.src[tok.start..line_end].trim_end();
        if line.starts_with('\\') {
            return Some(tok.start + line.len());
        }
        if is_go_line(line) {
            return Some(tok.start + line.len());
        }
        if self.opts.hash_comments
            && line
                .get(..9)
                .is_some_and(|p| p.eq_ignore_ascii_case("delimiter"))
            && line.as_bytes().get(9).is_some_and(u8::is_ascii_whitespace)
        {
            return Some(tok.start + line.len());
        }
        if line == "/" {
            return Some(tok.start + 1);
        }
        None
    }

    /// Make a chunk of one client-command line and remember a new delimiter.
    fn command_chunk(&mut self, tok: Token, end: usize) -> Chunk {
        let line = &self.src[tok.start..end];
        if self.opts.hash_comments
            && line
                .get(..9)
                .is_some_and(|p| p.eq_ignore_ascii_case("delimiter"))
        {
            let d = line[9..].trim();
            self.delimiter = if d.is_empty() || d == ";" {
                None
            } else {
                Some(d.to_string())
            };
        }
        // Skip the lexer past the command's line.
        self.lexer = Lexer::at(self.src, end, self.opts);
        let chunk = Chunk {
            kind: ChunkKind::ClientCommand,
            span: Span::new(tok.start, end),
            code_end: end,
            terminator: None,
            leading: Span::new(self.trivia_start, tok.start),
        };
        self.trivia_start = end;
        chunk
    }
}

/// `GO` or `GO 5` alone on its line.
fn is_go_line(line: &str) -> bool {
    let mut words = line.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some(go), None, None) => go.eq_ignore_ascii_case("go"),
        (Some(go), Some(n), None) => {
            go.eq_ignore_ascii_case("go") && n.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// Words after `BEGIN` that make it a transaction statement rather than a block.
const BEGIN_TXN: &[&str] = &[
    "TRANSACTION",
    "TRAN",
    "WORK",
    "DEFERRED",
    "IMMEDIATE",
    "EXCLUSIVE",
    "ISOLATION",
    "READ",
    "DISTRIBUTED",
    "NOT",
];

/// Words after `END` that close something other than `BEGIN` or `CASE`.
const END_OTHER: &[&str] = &["IF", "LOOP", "WHILE", "REPEAT", "FOR"];

/// Where `BEGIN ... END` blocks open and close, so that the `;` inside them do not end the
/// statement.
#[derive(Default)]
pub(crate) struct Blocks {
    pub(crate) depth: usize,
    /// The `END` just seen, to read `END IF`, `END CASE`, `END LOOP` ...
    prev_end: Option<Token>,
    /// The `BEGIN` just seen: a block, or `BEGIN TRANSACTION`?
    pending_begin: Option<Token>,
    /// The last `END` closed a block.
    end_closed: bool,
}

impl Blocks {
    /// Account for one code token.
    #[inline]
    pub(crate) fn token(&mut self, tok: Token, src: &str) {
        if tok.kind != Kind::Word {
            self.pending_begin = None;
            self.prev_end = None;
            return;
        }
        let w = tok.text(src);
        // Most words are none of BEGIN, CASE, END or what follows them: skip them fast.
        let matters =
            self.pending_begin.is_some() || self.prev_end.is_some() || matches!(w.len(), 3..=5);
        if matters {
            self.word(tok, w, src);
        }
    }

    fn word(&mut self, tok: Token, w: &str, src: &str) {
        // `BEGIN` followed by a statement word opens a block; `BEGIN;`, `BEGIN TRANSACTION`,
        // `BEGIN IMMEDIATE` ... start a transaction.
        if self.pending_begin.take().is_some()
            && !BEGIN_TXN.iter().any(|k| w.eq_ignore_ascii_case(k))
        {
            self.depth += 1;
        }
        let after_end = self
            .prev_end
            .take()
            .is_some_and(|p: Token| !src[p.end..tok.start].contains('\n'));
        if w.eq_ignore_ascii_case("BEGIN") {
            self.pending_begin = Some(tok);
        } else if w.eq_ignore_ascii_case("CASE") {
            // `END CASE` closes a CASE statement the END already counted.
            if !after_end {
                self.depth += 1;
            }
        } else if w.eq_ignore_ascii_case("END") {
            self.end_closed = self.depth > 0;
            self.depth = self.depth.saturating_sub(1);
            self.prev_end = Some(tok);
        } else if after_end
            && self.end_closed
            && END_OTHER.iter().any(|k| w.eq_ignore_ascii_case(k))
        {
            // `END IF` closed an IF, not a BEGIN: undo the END's decrement.
            self.depth += 1;
        }
    }
}

impl Iterator for Splitter<'_> {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        // Skip leading trivia.
        let first = loop {
            let tok = self.next_token()?;
            if !tok.is_trivia() {
                break tok;
            }
        };
        if let Some(end) = self.client_command(&first) {
            return Some(self.command_chunk(first, end));
        }
        let start = first.start;
        let leading = Span::new(self.trivia_start, start);
        let chunk = |end: usize, code_end: usize, terminator: Option<Span>| Chunk {
            kind: ChunkKind::Sql,
            span: Span::new(start, end),
            code_end,
            terminator,
            leading,
        };
        let mut code_end = first.end;
        let mut blocks = Blocks::default();
        let mut tok = first;
        loop {
            if !tok.is_trivia() {
                blocks.token(tok, self.src);
            }
            // Statement end: delimiter, `;` outside blocks, or a `GO` line.
            if let Some(term) = self.terminator(&tok, blocks.depth) {
                if self.opts.copy_data && self.copies_from_stdin(start, code_end) {
                    self.skip_copy_data(term.end);
                }
                return Some(chunk(term.end, code_end, Some(term)));
            }
            if !tok.is_trivia() {
                code_end = tok.end;
            }
            let Some(next) = self.next_token() else {
                self.trivia_start = self.src.len();
                return Some(chunk(code_end, code_end, None));
            };
            if self.ends_batch(&next, blocks.depth) {
                self.pending = Some(next);
                self.trivia_start = code_end;
                return Some(chunk(code_end, code_end, None));
            }
            tok = next;
        }
    }
}

impl Splitter<'_> {
    /// The terminator `tok` is, if it ends the statement: the custom delimiter, or `;` outside
    /// blocks. Moves past it.
    #[inline]
    fn terminator(&mut self, tok: &Token, depth: usize) -> Option<Span> {
        if let Some(d) = &self.delimiter {
            if tok.is_trivia() || !self.src[tok.start..].starts_with(d.as_str()) {
                return None;
            }
            let term = Span::new(tok.start, tok.start + d.len());
            self.lexer = Lexer::at(self.src, term.end, self.opts);
            self.trivia_start = term.end;
            return Some(term);
        }
        if tok.kind == Kind::Punct && tok.is_punct(self.src, ';') && depth == 0 {
            self.trivia_start = tok.end;
            return Some(Span::new(tok.start, tok.end));
        }
        None
    }

    /// Is the statement `src[start..end]` a `COPY ... FROM STDIN`, whose data lines follow it?
    fn copies_from_stdin(&self, start: usize, end: usize) -> bool {
        let code = &self.src[start..end];
        if !code
            .get(..4)
            .is_some_and(|w| w.eq_ignore_ascii_case("COPY"))
        {
            return false;
        }
        let toks = crate::text::lexer::code_tokens(code, self.opts);
        toks.windows(2)
            .any(|w| w[0].is_word(code, "FROM") && w[1].is_word(code, "STDIN"))
    }

    /// Move past the data of a `COPY ... FROM STDIN` ended at `after`: the lines from the next
    /// one up to the `\.` line (or the end of the input, where psql ends the data too). The
    /// data is no statement: it lies between this chunk and the next, like trivia, and is never
    /// lexed as SQL (its tabs, quotes and `;` mean nothing there).
    fn skip_copy_data(&mut self, after: usize) {
        let mut line = self.line_end(after);
        let end = loop {
            if line >= self.src.len() {
                break self.src.len();
            }
            let start = line + 1;
            let next = self.line_end(start);
            if self.src[start..next].trim_end_matches('\r') == "\\." {
                break next;
            }
            line = next;
        };
        self.lexer = Lexer::at(self.src, end, self.opts);
        self.trivia_start = end;
    }

    /// Does `next` start a client command that ends the statement before it: a `GO` line, or
    /// SQL*Plus's `/` outside blocks?
    #[inline]
    fn ends_batch(&self, next: &Token, depth: usize) -> bool {
        if next.kind == Kind::Word
            && next.text(self.src).eq_ignore_ascii_case("go")
            && self.client_command(next).is_some()
        {
            let line_end = self.line_end(next.start);
            return is_go_line(self.src[next.start..line_end].trim_end());
        }
        next.kind == Kind::Op
            && next.text(self.src) == "/"
            && depth == 0
            && self.client_command(next).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dialect;

    fn parts(src: &str, d: Dialect) -> Vec<(ChunkKind, String)> {
        Splitter::new(src, d.caps().lex)
            .map(|c| (c.kind, c.code(src).to_string()))
            .collect()
    }

    #[test]
    fn copy_from_stdin_data_is_no_statement() {
        let src = "COPY public.t (a, b) FROM stdin;\n1\tit's; x\n2\t\\N\n\\.\r\nSELECT 1;\nCOPY t TO stdout;\nCOPY u FROM stdin;\n3\n";
        let p = parts(src, Dialect::Postgres);
        let codes: Vec<&str> = p.iter().map(|(_, c)| c.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "COPY public.t (a, b) FROM stdin",
                "SELECT 1",
                "COPY t TO stdout",
                "COPY u FROM stdin"
            ]
        );
        // Other dialects have no inline COPY data: the lines are read as SQL.
        assert_ne!(parts(src, Dialect::Duckdb)[1].1, "SELECT 1");
    }

    #[test]
    fn semicolons_strings_and_comments() {
        let src = "-- a;\nINSERT INTO t VALUES (';');  /* ; */ SELECT 1\n";
        let p = parts(src, Dialect::Postgres);
        assert_eq!(
            p,
            vec![
                (ChunkKind::Sql, "INSERT INTO t VALUES (';')".into()),
                (ChunkKind::Sql, "SELECT 1".into())
            ]
        );
        let chunks: Vec<Chunk> = Splitter::new(src, Dialect::Postgres.caps().lex).collect();
        assert_eq!(
            &src[chunks[0].leading.start..chunks[0].leading.end],
            "-- a;\n"
        );
    }

    #[test]
    fn client_commands() {
        let src = "CREATE DATABASE x;\n\\c x;\nCREATE TABLE t (a int)\nGO\nINSERT INTO t VALUES (1);\nGO\n";
        let p = parts(src, Dialect::Mssql);
        assert_eq!(p[1], (ChunkKind::ClientCommand, "\\c x;".into()));
        assert_eq!(p[2], (ChunkKind::Sql, "CREATE TABLE t (a int)".into()));
        assert_eq!(p[3], (ChunkKind::ClientCommand, "GO".into()));
        assert_eq!(p[4], (ChunkKind::Sql, "INSERT INTO t VALUES (1)".into()));
        assert_eq!(p[5], (ChunkKind::ClientCommand, "GO".into()));
    }

    #[test]
    fn blocks_keep_inner_semicolons() {
        let src = "BEGIN;\nINSERT INTO t VALUES (1);\nCOMMIT;\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = CASE WHEN a > 1 THEN 1 ELSE 2 END; DELETE FROM u; END;\nSELECT 2;";
        let p = parts(src, Dialect::Sqlite);
        assert_eq!(p.len(), 5, "{p:?}");
        assert_eq!(p[0].1, "BEGIN");
        assert!(p[3].1.starts_with("CREATE TRIGGER") && p[3].1.ends_with("END"));
        assert_eq!(p[4].1, "SELECT 2");
    }

    #[test]
    fn tsql_if_begin_end() {
        let src = "IF EXISTS (SELECT 1)\nBEGIN\n\tALTER DATABASE x SET OFFLINE;\n\tDROP DATABASE x;\nEND\nGO\nSELECT 1;";
        let p = parts(src, Dialect::Mssql);
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p[0].1.ends_with("END"));
    }

    #[test]
    fn plsql_end_if() {
        let src = "BEGIN\n IF x THEN y; END IF;\n z;\nEND;\n/\nSELECT 1 FROM dual;";
        let p = parts(src, Dialect::Oracle);
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!(p[1], (ChunkKind::ClientCommand, "/".into()));
    }

    #[test]
    fn mysql_delimiter() {
        let src = "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\nDELIMITER ;\nINSERT INTO t VALUES (1);";
        let p = parts(src, Dialect::Mysql);
        assert_eq!(p.len(), 4, "{p:?}");
        assert_eq!(p[1].1, "CREATE PROCEDURE p() BEGIN SELECT 1; END");
        assert_eq!(p[3].1, "INSERT INTO t VALUES (1)");
    }
}
