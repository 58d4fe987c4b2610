//! `IDEM024 add-constraint-fails-on-rerun`: `ALTER TABLE t ADD CONSTRAINT name ...` fails on a
//! rerun once the constraint exists (pg_dump writes every key this way, after the data).
//!
//! Fix, where the dialect has `DROP CONSTRAINT IF EXISTS`: drop it first, in the same
//! transaction where DDL is transactional (so a failed add leaves the old constraint), unless
//! the script already holds one open. An unnamed constraint (`ADD PRIMARY KEY (...)`,
//! `ADD UNIQUE (...)`) is reported without a fix: there is no name to drop it by.
//!
//! Not reported: the table was dropped (or its schema or database rebuilt) earlier in the
//! script, or the same constraint was dropped with `IF EXISTS` earlier.

use sqlparser::ast::{AlterTableOperation, Statement};

use super::{Finding, LintCtx, Rule};
use crate::Edit;
use crate::names::{Name, object_parts, same_table};
use crate::text::lexer::{Kind, Token, code_tokens};

/// Words that start an unnamed constraint after `ADD`.
const UNNAMED: &[&str] = &["PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "EXCLUDE"];

pub(crate) fn check(stmt: &Statement, text: &str, offset: usize, ctx: &LintCtx) -> Vec<Finding> {
    let Statement::AlterTable(alter) = stmt else {
        return Vec::new();
    };
    let adds = alter
        .operations
        .iter()
        .any(|op| matches!(op, AlterTableOperation::AddConstraint { .. }));
    let table = object_parts(&alter.name);
    if !adds || ctx.rebuilt("TABLE", &table) {
        return Vec::new();
    }
    let toks = code_tokens(text, ctx.lex);
    let (named, unnamed) = added(text, &toks);
    let named: Vec<&str> = named
        .into_iter()
        .filter(|n| !dropped_before(ctx, &table, n))
        .collect();
    if named.is_empty() && unnamed == 0 {
        return Vec::new();
    }
    let shown = alter.name.to_string();
    let span = (offset, offset + text.len());
    if unnamed > 0 {
        return vec![
            Finding::new(
                Rule::AddConstraintFailsOnRerun,
                span.0,
                span.1,
                format!(
                    "{} of an unnamed constraint fails (or adds a duplicate) when a rerun finds it already added",
                    super::code(&format!("ALTER TABLE {shown} ADD"))
                ),
            )
            .help("name the constraint (`ADD CONSTRAINT name ...`) so that it can be dropped with IF EXISTS first"),
        ];
    }
    let f = Finding::new(
        Rule::AddConstraintFailsOnRerun,
        span.0,
        span.1,
        format!(
            "{} fails when a rerun finds it already added",
            super::code(&format!(
                "ALTER TABLE {shown} ADD CONSTRAINT {}",
                named.join(", ")
            ))
        ),
    );
    let f = match fix(&shown, &named, text, offset, ctx) {
        Some(edits) => f
            .help("drop the constraint with IF EXISTS first, in the same transaction")
            .fix("Drop the constraint with IF EXISTS first", edits),
        None => f.help(format!(
            "{} has no `DROP CONSTRAINT IF EXISTS`: check the catalog (information_schema.table_constraints) before adding it, or add the constraint in the CREATE TABLE",
            ctx.dialect
        )),
    };
    vec![f]
}

/// The names of the constraints `ADD CONSTRAINT name` adds (as written), and how many are
/// added without a name.
fn added<'t>(text: &'t str, toks: &[Token]) -> (Vec<&'t str>, usize) {
    let mut named = Vec::new();
    let mut unnamed = 0;
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate() {
        match (t.kind, text.as_bytes().get(t.start)) {
            (Kind::Punct, Some(b'(')) => depth += 1,
            (Kind::Punct, Some(b')')) => depth = depth.saturating_sub(1),
            _ if depth == 0 && t.is_word(text, "ADD") => {
                let next = toks.get(i + 1);
                if next.is_some_and(|n| n.is_word(text, "CONSTRAINT")) {
                    match toks.get(i + 2) {
                        Some(n) if matches!(n.kind, Kind::Word | Kind::QuotedIdent) => {
                            named.push(n.text(text))
                        }
                        _ => unnamed += 1,
                    }
                } else if next.is_some_and(|n| UNNAMED.iter().any(|w| n.is_word(text, w))) {
                    unnamed += 1;
                }
            }
            _ => {}
        }
    }
    (named, unnamed)
}

/// Was this constraint dropped with `IF EXISTS` earlier in the script?
fn dropped_before(ctx: &LintCtx, table: &[Name], constraint: &str) -> bool {
    let Ok(name) = crate::names::parse_qualified(constraint, ctx.dialect) else {
        return false;
    };
    let mut key = table.to_vec();
    key.extend(name);
    ctx.dropped
        .iter()
        .any(|(k, n)| k == "CONSTRAINT" && same_table(n, &key, ctx.caps.names.folding))
}

/// `ALTER TABLE t DROP CONSTRAINT IF EXISTS name;` before the statement, both inside a
/// transaction where DDL is transactional and the script has none open.
fn fix(table: &str, names: &[&str], text: &str, offset: usize, ctx: &LintCtx) -> Option<Vec<Edit>> {
    if !ctx.caps.ddl.drop_constraint_if_exists {
        return None;
    }
    let drops: String = names
        .iter()
        .map(|n| format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {n}; "))
        .collect();
    let txn = ctx.caps.script.transaction;
    let wrap = ctx.caps.ddl.transactional_ddl && !ctx.in_transaction && txn.commit.is_some();
    if !wrap {
        return Some(vec![Edit::insert(offset, drops)]);
    }
    let begin: String = txn.begin.iter().map(|b| format!("{b}; ")).collect();
    let commit = txn.commit?;
    Some(vec![
        Edit::insert(offset, format!("{begin}{drops}")),
        Edit::insert(offset + text.len(), format!("; {commit}")),
    ])
}
