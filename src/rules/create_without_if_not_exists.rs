//! `IDEM013 create-without-if-not-exists`: `CREATE TABLE/INDEX/VIEW/SCHEMA/SEQUENCE/DATABASE`
//! fails on a rerun once the object exists. Fix: `IF NOT EXISTS` (or `OR REPLACE` for views,
//! `OR ALTER` on SQL Server), where the dialect reads it.
//!
//! Not reported: temporary tables (a rerun opens a new session), objects that an earlier
//! `DROP ... IF EXISTS` in the same file removed, and everything after a `CREATE DATABASE` /
//! `CREATE SCHEMA` that an earlier `DROP ... IF EXISTS` emptied (the script rebuilds from scratch).

use sqlparser::ast::Statement;

use super::{Finding, LintCtx, Rule, insert_after_word};
use crate::Edit;
use crate::dialect::Recreate;
use crate::names::object_parts;
use crate::text::lexer::code_tokens;

pub(crate) fn check(stmt: &Statement, text: &str, offset: usize, ctx: &LintCtx) -> Vec<Finding> {
    let (kind, name, fix) = match stmt {
        Statement::CreateTable(ct) if !ct.if_not_exists && !ct.or_replace && !ct.temporary => (
            "TABLE",
            object_parts(&ct.name),
            if_not_exists(ctx.caps.ddl.create_table, text, offset, ctx, "TABLE"),
        ),
        Statement::CreateIndex(ci) if !ci.if_not_exists => {
            let fix = match (&ci.name, ctx.caps.ddl.create_index) {
                (Some(_), true) => insert_after_word(
                    text,
                    offset,
                    ctx,
                    &["INDEX"],
                    &["CONCURRENTLY"],
                    " IF NOT EXISTS",
                ),
                _ => None,
            };
            (
                "INDEX",
                ci.name.as_ref().map(object_parts).unwrap_or_default(),
                fix,
            )
        }
        Statement::CreateView(cv) if !cv.or_replace && !cv.if_not_exists && !cv.or_alter => {
            let fix = if cv.materialized {
                insert_after_word(text, offset, ctx, &["VIEW"], &[], " IF NOT EXISTS")
            } else {
                ctx.caps
                    .ddl
                    .create_view
                    .and_then(|r| recreate(text, offset, ctx, r, "VIEW"))
            };
            (
                if cv.materialized {
                    "MATERIALIZED VIEW"
                } else {
                    "VIEW"
                },
                object_parts(&cv.name),
                fix,
            )
        }
        Statement::CreateSchema {
            if_not_exists: false,
            schema_name,
            ..
        } => (
            "SCHEMA",
            vec![crate::names::Name::unquoted(&schema_name.to_string())],
            if_not_exists(ctx.caps.ddl.create_schema, text, offset, ctx, "SCHEMA"),
        ),
        Statement::CreateDatabase {
            if_not_exists: false,
            db_name,
            ..
        } => (
            "DATABASE",
            object_parts(db_name),
            if_not_exists(ctx.caps.ddl.create_database, text, offset, ctx, "DATABASE"),
        ),
        Statement::CreateSequence {
            if_not_exists: false,
            name,
            temporary: false,
            ..
        } => (
            "SEQUENCE",
            object_parts(name),
            if_not_exists(ctx.caps.ddl.create_sequence, text, offset, ctx, "SEQUENCE"),
        ),
        Statement::CreateFunction(cf)
            if !cf.or_replace && !cf.or_alter && !cf.if_not_exists && !cf.temporary =>
        {
            (
                "FUNCTION",
                object_parts(&cf.name),
                ctx.caps
                    .ddl
                    .create_function
                    .and_then(|r| recreate(text, offset, ctx, r, "FUNCTION")),
            )
        }
        Statement::CreateTrigger(ct) if !ct.or_replace && !ct.or_alter && !ct.temporary => (
            "TRIGGER",
            object_parts(&ct.name),
            ctx.caps
                .ddl
                .create_trigger
                .and_then(|r| recreate(text, offset, ctx, r, "TRIGGER")),
        ),
        Statement::CreateExtension(ce) if !ce.if_not_exists => (
            "EXTENSION",
            vec![crate::names::Name::from(&ce.name)],
            insert_after_word(text, offset, ctx, &["EXTENSION"], &[], " IF NOT EXISTS"),
        ),
        _ => return Vec::new(),
    };
    if ctx.rebuilt(kind.trim_start_matches("MATERIALIZED "), &name) {
        return Vec::new();
    }
    // The name as the statement writes it, quotes included.
    let shown = name
        .iter()
        .map(|n| n.to_sql(ctx.dialect))
        .collect::<Vec<_>>()
        .join(".");
    let mut f = Finding::new(
        Rule::CreateWithoutIfNotExists,
        offset,
        offset + text.len(),
        format!("`CREATE {kind} {shown}` fails when a rerun finds it already created"),
    );
    match fix {
        Some(e) => {
            let title = e.text.trim().to_string();
            f = f
                .help(format!("add {title}"))
                .fix(format!("Add {title}"), vec![e]);
        }
        None => {
            f = f.help(format!(
                "{} cannot write this CREATE to be rerun: check the catalog first, or drop the object with IF EXISTS before creating it",
                ctx.dialect
            ));
        }
    }
    vec![f]
}

/// ` IF NOT EXISTS` after the object word, where the dialect reads it.
fn if_not_exists(
    supported: bool,
    text: &str,
    offset: usize,
    ctx: &LintCtx,
    object: &str,
) -> Option<Edit> {
    supported
        .then(|| insert_after_word(text, offset, ctx, &[object], &[], " IF NOT EXISTS"))
        .flatten()
}

/// The words that make the CREATE of `object` rerun-safe, where they go.
fn recreate(text: &str, offset: usize, ctx: &LintCtx, how: Recreate, object: &str) -> Option<Edit> {
    match how {
        Recreate::OrReplace => create_modifier(text, offset, ctx, " OR REPLACE"),
        Recreate::OrAlter => create_modifier(text, offset, ctx, " OR ALTER"),
        Recreate::IfNotExists => if_not_exists(true, text, offset, ctx, object),
    }
}

/// Insert a modifier right after the `CREATE` keyword.
fn create_modifier(text: &str, offset: usize, ctx: &LintCtx, modifier: &str) -> Option<Edit> {
    let toks = code_tokens(text, ctx.lex);
    let first = toks.first().filter(|t| t.is_word(text, "CREATE"))?;
    Some(Edit::insert(offset + first.end, modifier))
}
