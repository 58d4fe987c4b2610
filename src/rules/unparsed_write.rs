//! `IDEM022 unparsed-write`: a statement that writes rows (INSERT, UPDATE, DELETE, MERGE,
//! REPLACE, UPSERT, COPY ... FROM, LOAD DATA, BULK INSERT) that sqlparser could not read. It
//! was neither checked nor rewritten, so a rerun may write its rows again: an error by
//! default, so that `check` in a pre-commit hook or CI does not pass a file it never read.
//! Other statements that could not be read stay `IDEM016` warnings. Both levels can be set
//! with the `severity` option (`--severity unparsed-write=warning`).
//!
//! Which statement writes is read from its leading tokens: comments and `WITH ...` CTEs are
//! skipped, and the dialect says which words start a write (`dialect/loads.rs`).

use super::{Finding, Rule};
use crate::Dialect;
use crate::dialect::Caps;
use crate::text::edit::Span;
use crate::text::lexer::{Kind, Token};

/// Words that start a write in every dialect.
const STANDARD_WRITES: &[&str] = &["INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT"];

/// The kind of write `code` (whose code tokens are `toks`) is, from its leading tokens:
/// `"INSERT"`, `"COPY"`, `"LOAD DATA"`, ...; `None` for a statement that writes no rows.
pub(crate) fn write_kind(code: &str, toks: &[Token], caps: &Caps) -> Option<&'static str> {
    let i = main_verb(code, toks);
    let verb = toks.get(i)?;
    let next_is = |w: &str| toks.get(i + 1).is_some_and(|t| t.is_word(code, w));
    if let Some(w) = STANDARD_WRITES.iter().find(|w| verb.is_word(code, w)) {
        return Some(w);
    }
    let word = caps
        .loads
        .write_words
        .iter()
        .find(|w| verb.is_word(code, w))?;
    match *word {
        "REPLACE" => Some("REPLACE"),
        "LOAD" if next_is("DATA") => Some("LOAD DATA"),
        "LOAD" if next_is("XML") => Some("LOAD XML"),
        "BULK" if next_is("INSERT") => Some("BULK INSERT"),
        "COPY" if copy_loads(code, &toks[i..]) => Some("COPY"),
        _ => None,
    }
}

/// The index of the statement's main verb: the first token, or the first word after the
/// `WITH` clause's CTEs (`WITH a AS (...), b (x) AS MATERIALIZED (...) INSERT ...`).
fn main_verb(code: &str, toks: &[Token]) -> usize {
    if !toks.first().is_some_and(|t| t.is_word(code, "WITH")) {
        return 0;
    }
    let mut depth = 0usize;
    let mut after_close = false;
    for (i, t) in toks.iter().enumerate().skip(1) {
        match (t.kind, code.as_bytes().get(t.start)) {
            (Kind::Punct, Some(b'(')) => depth += 1,
            (Kind::Punct, Some(b')')) => {
                depth = depth.saturating_sub(1);
                after_close = depth == 0;
                continue;
            }
            (Kind::Word, _)
                if depth == 0
                    && after_close
                    && !["AS", "NOT", "MATERIALIZED"]
                        .iter()
                        .any(|w| t.is_word(code, w)) =>
            {
                return i;
            }
            _ => {}
        }
        after_close = false;
    }
    0
}

/// Does this `COPY` load a table? `COPY t FROM ...` and `COPY INTO t FROM ...` do;
/// `COPY ... TO ...` and Snowflake's unload `COPY INTO @stage | 's3://...'` do not.
pub(crate) fn copy_loads(code: &str, toks: &[Token]) -> bool {
    if toks.get(1).is_some_and(|t| t.is_word(code, "INTO")) {
        let target = toks.get(2);
        return target.is_some_and(|t| !matches!(t.kind, Kind::String | Kind::Param))
            && !target.is_some_and(|t| t.text(code).starts_with('@'));
    }
    let mut depth = 0usize;
    for t in toks.iter().skip(1) {
        match (t.kind, code.as_bytes().get(t.start)) {
            (Kind::Punct, Some(b'(')) => depth += 1,
            (Kind::Punct, Some(b')')) => depth = depth.saturating_sub(1),
            _ if depth == 0 && t.is_word(code, "FROM") => return true,
            _ if depth == 0 && t.is_word(code, "TO") => return false,
            _ => {}
        }
    }
    false
}

/// A write sqlparser could not read (its error as `error`).
pub(crate) fn parse_error(span: Span, dialect: Dialect, kind: &str, error: &str) -> Finding {
    Finding::at(
        Rule::UnparsedWrite,
        span,
        format!(
            "could not read this {kind} as {dialect}: {error}; the write was not checked, and a rerun may write its rows again"
        ),
    )
    .help(help(dialect))
}

/// A write nested deeper than the parser is allowed to go.
pub(crate) fn too_deep(span: Span, dialect: Dialect, kind: &str, limit: usize) -> Finding {
    Finding::at(
        Rule::UnparsedWrite,
        span,
        format!(
            "this {kind} nests more than {limit} operators deep and was not read; the write was not checked, and a rerun may write its rows again"
        ),
    )
    .help(help(dialect))
}

fn help(dialect: Dialect) -> String {
    format!(
        "check the dialect (--dialect; now {dialect}) or write the statement in a form idemsql reads; if it is safe to rerun, mark it `-- idemsql: ignore`, or lower the rule: `--severity unparsed-write=warning` (idemsql.toml: `[severity]` `unparsed-write = \"warning\"`)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lexer::code_tokens;

    fn kind(sql: &str, d: Dialect) -> Option<&'static str> {
        let caps = d.caps();
        write_kind(sql, &code_tokens(sql, caps.lex), &caps)
    }

    #[test]
    fn writes_are_told_from_their_leading_words_per_dialect() {
        use Dialect::*;
        assert_eq!(kind("/* x */ insert into t values (1", Postgres), Some("INSERT"));
        assert_eq!(
            kind("WITH RECURSIVE a (x) AS (SELECT 1), b AS MATERIALIZED (SELECT 2) UPDATE t SET", Postgres),
            Some("UPDATE")
        );
        assert_eq!(kind("WITH a AS (SELECT 1) SELECT * FROM a WHERE", Postgres), None);
        assert_eq!(kind("REPLACE INTO t VALUES (1", Mysql), Some("REPLACE"));
        assert_eq!(kind("REPLACE INTO t VALUES (1", Postgres), None);
        assert_eq!(kind("COPY t (a) FROM stdin WITH", Postgres), Some("COPY"));
        assert_eq!(kind("COPY (SELECT 1 FROM x) TO 'f'", Postgres), None);
        assert_eq!(kind("COPY INTO t FROM @stage BAD", Snowflake), Some("COPY"));
        assert_eq!(kind("COPY INTO @stage/x FROM t BAD", Snowflake), None);
        assert_eq!(kind("COPY INTO 's3://b/x' FROM t BAD", Snowflake), None);
        assert_eq!(kind("LOAD DATA LOCAL INFILE 'f' INTO TABLE t", Mariadb), Some("LOAD DATA"));
        assert_eq!(kind("BULK INSERT dbo.t FROM 'f'", Mssql), Some("BULK INSERT"));
        assert_eq!(kind("BULK INSERT dbo.t FROM 'f'", Postgres), None);
        assert_eq!(kind("CREATE TABLE t (a int", Postgres), None);
    }
}
