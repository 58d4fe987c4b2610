//! T-SQL batches written without `;` between statements: where one statement ends is found
//! by the parser, not the lexer, so this lives with parsing.
//!
//! SQL Server itself ends a statement where its grammar does. sqlparser does the same: asked
//! for one statement, it stops at the first token that cannot continue it. So each statement
//! is parsed once, from where the previous one ended, in a window of text that reaches the
//! next few line-initial statement words; the window grows only while the statement runs past
//! its end. A batch of any size is cut in time linear in its length, and a statement
//! sqlparser cannot read costs only itself: it becomes an unparsed piece of its own and the
//! statements after it are still read.

use crate::text::lexer::{Kind, Token};
use crate::text::split::Blocks;

/// Words that start a T-SQL statement at the beginning of a line: the ends of the parse
/// windows, and where reading resumes after a statement sqlparser cannot read. (UPDATE,
/// INSERT and DELETE also continue a MERGE, and SET an UPDATE: the parser tells which.)
const STATEMENT_STARTS: &[&str] = &[
    "INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "ALTER", "DROP", "TRUNCATE", "DECLARE",
    "EXEC", "EXECUTE", "PRINT", "USE", "GRANT", "REVOKE", "SET",
];

/// Words that may also start the statement after the one the parser just read, when they
/// begin a line. They do not end windows: `SELECT` lines also continue `UNION ALL` chains of
/// any length.
const ALSO_STARTS: &[&str] = &[
    "SELECT",
    "WITH",
    "IF",
    "WHILE",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVE",
    "RAISERROR",
    "THROW",
    "RETURN",
    "WAITFOR",
    "DBCC",
    "BULK",
    "OPEN",
    "CLOSE",
    "FETCH",
    "DEALLOCATE",
    "BACKUP",
    "RESTORE",
    "DENY",
    "CHECKPOINT",
    "RECONFIGURE",
];

/// Objects whose body runs to the end of the batch (`CREATE PROCEDURE p AS ...` needs no
/// `BEGIN`): nothing after their header is cut.
const BATCH_BODIES: &[&str] = &["PROC", "PROCEDURE", "FUNCTION", "TRIGGER", "VIEW"];

/// The largest parse window, in statement words: a statement still incomplete after this many
/// is read as unparsed, so that each costs a bounded amount of parsing.
const MAX_WINDOW: usize = 64;

/// Where statements of a batch may start: line-initial words outside parentheses and
/// `BEGIN ... END` blocks.
struct Marks {
    /// Offsets of line-initial [`STATEMENT_STARTS`] words.
    windows: Vec<usize>,
    /// Offsets of every line-initial word a statement may start with (a superset of `windows`).
    starts: Vec<usize>,
}

impl Marks {
    fn scan(code: &str, toks: &[Token]) -> Marks {
        let mut marks = Marks {
            windows: Vec::new(),
            starts: Vec::new(),
        };
        let mut depth = 0usize;
        let mut blocks = Blocks::default();
        let mut prev_end = None;
        for (i, t) in toks.iter().enumerate() {
            blocks.token(*t, code);
            let line_initial = prev_end.is_some_and(|p| starts_line(code, p, t.start));
            prev_end = Some(t.end);
            if t.is_punct(code, '(') {
                depth += 1;
            } else if t.is_punct(code, ')') {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && blocks.depth == 0 && line_initial && t.kind == Kind::Word {
                let is = |list: &[&str]| list.iter().any(|w| t.is_word(code, w));
                if is(STATEMENT_STARTS) {
                    marks.windows.push(t.start);
                    marks.starts.push(t.start);
                } else if is(ALSO_STARTS) {
                    marks.starts.push(t.start);
                }
            }
            if routine_header(code, &toks[i..]) {
                break;
            }
        }
        marks
    }

    /// The `n`th window end after `pos`, or the end of the code.
    fn window_end(&self, pos: usize, n: usize, len: usize) -> usize {
        let first = self.windows.partition_point(|&w| w <= pos);
        self.windows.get(first + n - 1).copied().unwrap_or(len)
    }

    fn is_start(&self, pos: usize) -> bool {
        self.starts.binary_search(&pos).is_ok()
    }
}

/// Is there a line break between the code token ending at `prev_end` and the one at `start`,
/// with only blanks between the break and `start`?
fn starts_line(code: &str, prev_end: usize, start: usize) -> bool {
    let gap = &code[prev_end..start];
    gap.rfind('\n')
        .is_some_and(|nl| gap[nl..].trim().is_empty())
}

/// Do `toks` begin with `CREATE [OR ALTER] PROCEDURE|FUNCTION|TRIGGER|VIEW` or
/// `ALTER PROCEDURE|...`, whose body runs to the end of the batch?
fn routine_header(code: &str, toks: &[Token]) -> bool {
    let word = |i: usize, w: &str| toks.get(i).is_some_and(|t| t.is_word(code, w));
    let object_at = if word(0, "CREATE") && word(1, "OR") && word(2, "ALTER") {
        3
    } else if word(0, "CREATE") || word(0, "ALTER") {
        1
    } else {
        return false;
    };
    BATCH_BODIES.iter().any(|w| word(object_at, w))
}

/// Split statements written without `;` between them (T-SQL) into the ranges (in `code`) of
/// its statements. A range sqlparser cannot read runs to the next line-initial statement word
/// and is kept as a piece of its own. `None` when there is nothing to cut, or when no piece
/// parses (the batch is then one unparsed statement, as written).
pub(crate) fn split_unterminated(
    code: &str,
    toks: &[Token],
    pd: &dyn sqlparser::dialect::Dialect,
) -> Option<Vec<(usize, usize)>> {
    let marks = Marks::scan(code, toks);
    if marks.windows.is_empty() {
        return None;
    }
    let lines = LineStarts::new(code);
    let end_of = |s: usize, e: usize| code_end(toks, s, e);
    let mut pieces = Vec::new();
    let mut parsed = 0usize;
    let mut start = toks.first()?.start;
    while start < code.len() {
        let next = match next_statement(code, start, &marks, &lines, pd) {
            Some(next) => {
                parsed += 1;
                next
            }
            None => marks.window_end(start, 1, code.len()),
        };
        pieces.push((start, end_of(start, next)));
        start = toks
            .get(toks.partition_point(|t| t.start < next))
            .map_or(code.len(), |t| t.start);
    }
    (parsed > 0 && pieces.len() > 1).then_some(pieces)
}

/// The end of the last code token in `start..end`.
fn code_end(toks: &[Token], start: usize, end: usize) -> usize {
    let i = toks.partition_point(|t| t.start < end);
    toks[..i].last().map_or(start, |t| t.end.max(start))
}

/// Parse the statement at `start`: where the next statement starts (or the code's end), or
/// `None` when sqlparser cannot read it or it does not end where a statement may start.
fn next_statement(
    code: &str,
    start: usize,
    marks: &Marks,
    lines: &LineStarts,
    pd: &dyn sqlparser::dialect::Dialect,
) -> Option<usize> {
    let mut n = 1;
    loop {
        let end = marks.window_end(start, n, code.len());
        let window = &code[start..end];
        let mut parser = sqlparser::parser::Parser::new(pd)
            .with_recursion_limit(super::RECURSION_LIMIT)
            .try_with_sql(window)
            .ok()?;
        match parser.parse_statement() {
            Ok(_) => {
                let next = parser.peek_token();
                if next.token == sqlparser::tokenizer::Token::EOF {
                    return Some(end);
                }
                let loc = next.span.start;
                let at = lines.offset(code, start, loc.line, loc.column)?;
                return marks.is_start(at).then_some(at);
            }
            Err(e) if end < code.len() && n < MAX_WINDOW && at_end(&e) => n *= 2,
            Err(_) => return None,
        }
    }
}

/// Did sqlparser stop for want of more text (so a larger window may read the statement)?
/// Its errors at a token carry that token's position; those at the end of input do not.
fn at_end(e: &sqlparser::parser::ParserError) -> bool {
    !e.to_string().contains(" at Line: ")
}

/// Where each line of the code starts: turns sqlparser's line and column (in characters) of
/// a window back into a byte offset.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(code: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(code.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts(starts)
    }

    /// The byte offset of (1-based) `line` and `column` of the window starting at `base`.
    fn offset(&self, code: &str, base: usize, line: u64, column: u64) -> Option<usize> {
        let base_line = self.0.partition_point(|&s| s <= base) - 1;
        let line = usize::try_from(line).ok()?.checked_sub(1)?;
        let column = usize::try_from(column).ok()?.checked_sub(1)?;
        let line_start = if line == 0 {
            base
        } else {
            *self.0.get(base_line + line)?
        };
        let rest = code.get(line_start..)?;
        let skip: usize = rest.chars().take(column).map(char::len_utf8).sum();
        Some(line_start + skip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lexer::code_tokens;
    use sqlparser::dialect::MsSqlDialect;

    fn pieces(code: &str) -> Option<Vec<&str>> {
        let toks = code_tokens(code, crate::Dialect::Mssql.caps().lex);
        split_unterminated(code, &toks, &MsSqlDialect {})
            .map(|p| p.into_iter().map(|(s, e)| &code[s..e]).collect())
    }

    #[test]
    fn identity_insert_script() {
        let code = "SET IDENTITY_INSERT [dbo].[T] ON\n\
            INSERT [dbo].[T] ([a], [b]) VALUES (1, CAST(0x0000 AS DateTime))\n\
            -- the second row\n\
            INSERT [dbo].[T] ([a], [b]) VALUES (2, N'x')\n\
            SET IDENTITY_INSERT [dbo].[T] OFF";
        assert_eq!(
            pieces(code).unwrap(),
            vec![
                "SET IDENTITY_INSERT [dbo].[T] ON",
                "INSERT [dbo].[T] ([a], [b]) VALUES (1, CAST(0x0000 AS DateTime))",
                "INSERT [dbo].[T] ([a], [b]) VALUES (2, N'x')",
                "SET IDENTITY_INSERT [dbo].[T] OFF",
            ]
        );
    }

    #[test]
    fn statements_that_continue_on_the_next_line() {
        let code = "IF EXISTS (SELECT 1 FROM x)\n  DROP TABLE a\nUPDATE t\nSET a = 1\n\
            MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED THEN\nINSERT (a) VALUES (s.a)\n\
            INSERT INTO t (a)\nSELECT 1\nUNION ALL\nSELECT 2\nSELECT 3";
        assert_eq!(
            pieces(code).unwrap(),
            vec![
                "IF EXISTS (SELECT 1 FROM x)\n  DROP TABLE a",
                "UPDATE t\nSET a = 1",
                "MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED THEN\nINSERT (a) VALUES (s.a)",
                "INSERT INTO t (a)\nSELECT 1\nUNION ALL\nSELECT 2",
                "SELECT 3",
            ]
        );
    }

    #[test]
    fn an_unreadable_statement_is_a_piece_of_its_own() {
        let code = "INSERT INTO t VALUES (1)\nALTER TABLE t NOCHECK CONSTRAINT ALL\n\
            INSERT INTO t VALUES (2)\nCREATE INDEX i ON t (a)\nON [PRIMARY]\nINSERT INTO t VALUES (3)";
        assert_eq!(
            pieces(code).unwrap(),
            vec![
                "INSERT INTO t VALUES (1)",
                "ALTER TABLE t NOCHECK CONSTRAINT ALL",
                "INSERT INTO t VALUES (2)",
                "CREATE INDEX i ON t (a)\nON [PRIMARY]",
                "INSERT INTO t VALUES (3)",
            ]
        );
    }

    #[test]
    fn routine_bodies_are_not_cut() {
        let code = "INSERT INTO t VALUES (1)\nCREATE PROCEDURE p AS\nSET NOCOUNT ON\nINSERT INTO t VALUES (2)";
        assert_eq!(
            pieces(code).unwrap(),
            vec![
                "INSERT INTO t VALUES (1)",
                "CREATE PROCEDURE p AS\nSET NOCOUNT ON\nINSERT INTO t VALUES (2)",
            ]
        );
        let code = "IF 1 = 1\nBEGIN\n  INSERT INTO t VALUES (1)\n  INSERT INTO t VALUES (2)\nEND\nINSERT INTO t VALUES (3)";
        let p = pieces(code).unwrap();
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].ends_with("END"));
    }

    #[test]
    fn nothing_read_is_no_split() {
        assert_eq!(pieces("FOO bar\nINSERT baz qux ("), None);
        assert_eq!(pieces("INSERT INTO t VALUES (1)"), None);
    }

    #[test]
    fn positions_count_characters() {
        let code = "INSERT INTO t VALUES (N'é\tà')\nINSERT INTO t VALUES (N'ü')\nPRINT 'done'";
        assert_eq!(
            pieces(code).unwrap(),
            vec![
                "INSERT INTO t VALUES (N'é\tà')",
                "INSERT INTO t VALUES (N'ü')",
                "PRINT 'done'"
            ]
        );
    }

    /// 50,000 statements in one batch are cut in linear time (a quadratic cut takes minutes
    /// in a debug build).
    #[test]
    fn a_large_batch_is_cut_in_linear_time() {
        let mut code = String::from("SET IDENTITY_INSERT [dbo].[Orders] ON\n");
        for i in 0..50_000 {
            code.push_str(&format!(
                "INSERT [dbo].[Orders] ([OrderID], [ShipName]) VALUES ({i}, N'Vins et alcools')\n"
            ));
            if i % 5000 == 0 {
                code.push_str("ALTER TABLE [dbo].[Orders] NOCHECK CONSTRAINT ALL\n");
            }
        }
        let started = std::time::Instant::now();
        let p = pieces(&code).unwrap();
        assert_eq!(p.len(), 1 + 50_000 + 10);
        assert_eq!(
            p[50_000 + 10],
            "INSERT [dbo].[Orders] ([OrderID], [ShipName]) VALUES (49999, N'Vins et alcools')"
        );
        assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    }
}
