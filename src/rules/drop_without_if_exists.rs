//! `IDEM014 drop-without-if-exists`: `DROP TABLE t` fails when a rerun finds `t` already gone.
//! Fix: `DROP TABLE IF EXISTS t`, where the dialect has it (not Oracle before 23ai).

use sqlparser::ast::Statement;

use super::{Finding, LintCtx, Rule, insert_after_word};

const OBJECT_WORDS: &[&str] = &[
    "TABLE",
    "VIEW",
    "INDEX",
    "SCHEMA",
    "DATABASE",
    "SEQUENCE",
    "TYPE",
    "DOMAIN",
    "EXTENSION",
    "ROLE",
    "USER",
    "STAGE",
    "STREAM",
    "FUNCTION",
    "PROCEDURE",
    "TRIGGER",
];

pub(crate) fn check(stmt: &Statement, text: &str, offset: usize, ctx: &LintCtx) -> Vec<Finding> {
    let what = match stmt {
        Statement::Drop {
            if_exists: false,
            temporary: false,
            names,
            ..
        } => names
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Statement::DropFunction(d) if !d.if_exists => d
            .func_desc
            .iter()
            .map(|f| f.name.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Statement::DropTrigger(d) if !d.if_exists => d.trigger_name.to_string(),
        Statement::DropExtension(d) if !d.if_exists => d
            .names
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        _ => return Vec::new(),
    };
    let mut f = Finding::new(
        Rule::DropWithoutIfExists,
        offset,
        offset + text.len(),
        format!("`DROP` of {what} fails when a rerun finds it already dropped"),
    );
    let edit = if ctx.caps.ddl.drop_if_exists {
        // After the object word, and after CONCURRENTLY (PostgreSQL indexes).
        insert_after_word(
            text,
            offset,
            ctx,
            OBJECT_WORDS,
            &["CONCURRENTLY"],
            " IF EXISTS",
        )
    } else {
        None
    };
    match edit {
        Some(e) => f = f.help("add IF EXISTS").fix("Add IF EXISTS", vec![e]),
        None => {
            f = f.help(format!(
                "{} has no DROP ... IF EXISTS: check the catalog before dropping",
                ctx.dialect
            ))
        }
    }
    vec![f]
}
