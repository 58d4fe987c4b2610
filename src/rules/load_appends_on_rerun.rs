//! `IDEM023 load-appends-on-rerun`: a bulk load that appends its rows again on every run.
//!
//! - PostgreSQL, Redshift, DuckDB `COPY t FROM 'file' | STDIN | PROGRAM | 's3://...'`. A pg_dump
//!   `COPY ... FROM stdin;` with its data and `\.` is a restore, and a second restore doubles
//!   it just the same. `COPY ... TO` exports and is not reported.
//! - MySQL and MariaDB `LOAD DATA [LOCAL] INFILE` without `REPLACE` or `IGNORE`, Hive and Spark
//!   `LOAD DATA INPATH` without `OVERWRITE`, BigQuery `LOAD DATA INTO`.
//! - Snowflake `COPY INTO t` and Databricks `COPY INTO` keep load metadata and skip files they
//!   already loaded: not reported, but a note says so; `FORCE = TRUE` loads them again and is.
//!
//! These statements often do not parse in sqlparser, so they are read from their tokens, for
//! parsed and unparsed statements alike. No fix: what a rerun should do with the rows already
//! loaded (replace, keep, truncate first) is the author's choice.

use sqlparser::ast::Statement;

use super::{Finding, LintCtx, Rule};
use crate::diagnostic::Severity;
use crate::dialect::{Caps, CopyLoad};
use crate::text::lexer::{Kind, Token, code_tokens};

/// A bulk load, as its tokens show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Load {
    pub what: LoadKind,
    /// The target table as written.
    pub table: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoadKind {
    /// `COPY t FROM ...` that appends; `stdin` for a pg_dump restore.
    CopyAppends { stdin: bool },
    /// `COPY INTO t` that skips files already loaded (`days` of load metadata).
    CopySkipsLoaded { days: Option<u32> },
    /// `COPY INTO t ... FORCE = TRUE`.
    CopyForced,
    /// `LOAD DATA` with the word that makes it rerun-safe (`REPLACE`, `IGNORE`, `OVERWRITE`).
    LoadDataGuarded,
    /// `LOAD DATA` that appends; `local` for MySQL's `LOCAL INFILE`.
    LoadDataAppends { local: bool },
}

/// The statement check: loads sqlparser did read.
pub(crate) fn check(stmt: &Statement, text: &str, offset: usize, ctx: &LintCtx) -> Vec<Finding> {
    let maybe_load = matches!(
        stmt,
        Statement::Copy { to: false, .. }
            | Statement::CopyIntoSnowflake { .. }
            | Statement::LoadData { .. }
    );
    if !maybe_load {
        return Vec::new();
    }
    let toks = code_tokens(text, ctx.lex);
    match read_load(text, &toks, &ctx.caps) {
        Some(load) => report(&load, text, offset, ctx),
        None => Vec::new(),
    }
}

/// The bulk load `code` is, read from its tokens; `None` when it is no load of a table.
pub(crate) fn read_load(code: &str, toks: &[Token], caps: &Caps) -> Option<Load> {
    let first = toks.first()?;
    if first.is_word(code, "COPY") && super::unparsed_write::copy_loads(code, toks) {
        return read_copy(code, toks, caps.loads.copy);
    }
    let load_data = first.is_word(code, "LOAD") && toks.get(1)?.is_word(code, "DATA");
    if load_data && caps.loads.load_data {
        return read_load_data(code, toks);
    }
    None
}

fn read_copy(code: &str, toks: &[Token], copy: CopyLoad) -> Option<Load> {
    match copy {
        CopyLoad::None => None,
        CopyLoad::Appends => {
            let from = depth0_word(code, toks, "FROM")?;
            let stdin = toks.get(from + 1).is_some_and(|t| t.is_word(code, "STDIN"));
            Some(Load {
                what: LoadKind::CopyAppends { stdin },
                table: name_at(code, toks, 1),
            })
        }
        CopyLoad::SkipsLoadedFiles { days } => {
            let what = if forced(code, toks) {
                LoadKind::CopyForced
            } else {
                LoadKind::CopySkipsLoaded { days }
            };
            Some(Load {
                what,
                table: name_at(code, toks, 2),
            })
        }
    }
}

/// `FORCE = TRUE` (Snowflake) or `'force' = 'true'` (Databricks `COPY_OPTIONS`).
fn forced(code: &str, toks: &[Token]) -> bool {
    let unquote = |t: &Token| t.text(code).trim_matches(['\'', '"']).to_ascii_lowercase();
    toks.windows(3).any(|w| {
        unquote(&w[0]) == "force" && w[1].text(code) == "=" && unquote(&w[2]) == "true"
    })
}

fn read_load_data(code: &str, toks: &[Token]) -> Option<Load> {
    // The table follows `INTO TABLE`, `INTO`, or BigQuery's `OVERWRITE`.
    let into = depth0_word(code, toks, "INTO");
    let guard = toks[..into.unwrap_or(toks.len())]
        .iter()
        .any(|t| ["REPLACE", "IGNORE", "OVERWRITE"].iter().any(|w| t.is_word(code, w)));
    let table_at = match into {
        Some(i) if toks.get(i + 1).is_some_and(|t| t.is_word(code, "TABLE")) => i + 2,
        Some(i) => i + 1,
        None => depth0_word(code, toks, "OVERWRITE")? + 1,
    };
    let local = toks.get(2).is_some_and(|t| t.is_word(code, "LOCAL"))
        || toks[2..].iter().take(3).any(|t| t.is_word(code, "LOCAL"));
    let what = if guard {
        LoadKind::LoadDataGuarded
    } else {
        LoadKind::LoadDataAppends { local }
    };
    Some(Load {
        what,
        table: name_at(code, toks, table_at),
    })
}

/// The first depth-0 token that is `word`.
fn depth0_word(code: &str, toks: &[Token], word: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate() {
        match (t.kind, code.as_bytes().get(t.start)) {
            (Kind::Punct, Some(b'(')) => depth += 1,
            (Kind::Punct, Some(b')')) => depth = depth.saturating_sub(1),
            _ if depth == 0 && t.is_word(code, word) => return Some(i),
            _ => {}
        }
    }
    None
}

/// The dotted name that starts at token `i`, as written (`public.actor`).
fn name_at(code: &str, toks: &[Token], i: usize) -> String {
    let mut end = i;
    while toks.get(end + 1).is_some_and(|t| t.is_punct(code, '.'))
        && toks
            .get(end + 2)
            .is_some_and(|t| matches!(t.kind, Kind::Word | Kind::QuotedIdent))
    {
        end += 2;
    }
    match (toks.get(i), toks.get(end)) {
        (Some(a), Some(b)) => code[a.start..b.end].to_string(),
        _ => "the table".to_string(),
    }
}

/// The findings for a load (none for a guarded `LOAD DATA`).
pub(crate) fn report(load: &Load, code: &str, offset: usize, _ctx: &LintCtx) -> Vec<Finding> {
    let at = |message: String| Finding::new(Rule::LoadAppendsOnRerun, offset, offset + code.len(), message);
    let t = &load.table;
    let f = match load.what {
        LoadKind::LoadDataGuarded => return Vec::new(),
        LoadKind::CopyAppends { stdin: true } => at(format!(
            "{} restores its data rows again on every run: a second restore doubles the table (or fails on its key)",
            super::code(&format!("COPY {t} FROM stdin"))
        ))
        .help("dump with `pg_dump --inserts` (or `--column-inserts`) and let idemsql rewrite the INSERTs, or TRUNCATE the table before the COPY in the same transaction"),
        LoadKind::CopyAppends { stdin: false } => at(format!(
            "{} appends every row of the source again on every run",
            super::code(&format!("COPY {t} FROM ..."))
        ))
        .help("COPY into a staging table and upsert from it (MERGE, or DELETE the incoming keys and INSERT in one transaction), or TRUNCATE the table before the COPY in the same transaction"),
        LoadKind::CopyForced => at(format!(
            "{} with FORCE = TRUE loads every file again, including files it already loaded",
            super::code(&format!("COPY INTO {t}"))
        ))
        .help("drop FORCE = TRUE: without it COPY INTO skips the files its load metadata says it loaded, so a rerun loads nothing twice"),
        LoadKind::CopySkipsLoaded { days } => at(format!(
            "{} skips files it already loaded, so a rerun loads nothing twice{}",
            super::code(&format!("COPY INTO {t}")),
            days.map(|d| format!(" (load metadata is kept {d} days)")).unwrap_or_default()
        ))
        .severity(Severity::Info)
        .help("rerun-safe as long as FORCE = TRUE is not set; after the metadata expires, files whose load status is unknown are skipped unless LOAD_UNCERTAIN_FILES = TRUE"),
        LoadKind::LoadDataAppends { local } => at(format!(
            "`LOAD DATA` into {t} appends the file's rows again on every run{}",
            if local {
                " (LOCAL skips rows whose unique key exists, but a table without one gets every row again)"
            } else {
                ""
            }
        ))
        .help("say what a rerun does with rows that exist: `REPLACE` (the file's rows win) or `IGNORE` (existing rows win) before INTO, with a primary key or unique index on the table; `OVERWRITE` where the dialect has it; or empty the table first in the same script"),
    };
    vec![f]
}
