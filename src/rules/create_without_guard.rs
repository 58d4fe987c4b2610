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
use crate::names::object_parts;
use crate::text::lexer::code_tokens;

pub(crate) fn check(stmt: &Statement, text: &str, offset: usize, ctx: &LintCtx) -> Vec<Finding> {
    let (kind, name, fix) = match stmt {
        Statement::CreateTable(ct) if !ct.if_not_exists && !ct.or_replace && !ct.temporary => (
            "TABLE",
            object_parts(&ct.name),
            ctx.caps
                .if_not_exists_table
                .then(|| insert_after_word(text, offset, ctx, &["TABLE"], &[], " IF NOT EXISTS"))
                .flatten(),
        ),
        Statement::CreateIndex(ci) if !ci.if_not_exists => {
            let fix = match (&ci.name, ctx.caps.if_not_exists_index) {
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
            } else if ctx.dialect == crate::Dialect::Mssql {
                create_modifier(text, offset, ctx, " OR ALTER")
            } else if ctx.caps.or_replace_view {
                create_modifier(text, offset, ctx, " OR REPLACE")
            } else if ctx.dialect == crate::Dialect::Sqlite {
                insert_after_word(text, offset, ctx, &["VIEW"], &[], " IF NOT EXISTS")
            } else {
                None
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
            (ctx.dialect != crate::Dialect::Mssql)
                .then(|| insert_after_word(text, offset, ctx, &["SCHEMA"], &[], " IF NOT EXISTS"))
                .flatten(),
        ),
        Statement::CreateDatabase {
            if_not_exists: false,
            db_name,
            ..
        } => (
            "DATABASE",
            object_parts(db_name),
            matches!(
                ctx.dialect,
                crate::Dialect::Mysql
                    | crate::Dialect::Mariadb
                    | crate::Dialect::Snowflake
                    | crate::Dialect::Databricks
                    | crate::Dialect::Spark
                    | crate::Dialect::Hive
                    | crate::Dialect::Clickhouse
            )
            .then(|| insert_after_word(text, offset, ctx, &["DATABASE"], &[], " IF NOT EXISTS"))
            .flatten(),
        ),
        Statement::CreateSequence {
            if_not_exists: false,
            name,
            temporary: false,
            ..
        } => (
            "SEQUENCE",
            object_parts(name),
            matches!(
                ctx.dialect,
                crate::Dialect::Postgres
                    | crate::Dialect::Duckdb
                    | crate::Dialect::Snowflake
                    | crate::Dialect::Mariadb
            )
            .then(|| insert_after_word(text, offset, ctx, &["SEQUENCE"], &[], " IF NOT EXISTS"))
            .flatten(),
        ),
        Statement::CreateFunction(cf)
            if !cf.or_replace && !cf.or_alter && !cf.if_not_exists && !cf.temporary =>
        {
            (
                "FUNCTION",
                object_parts(&cf.name),
                match ctx.dialect {
                    crate::Dialect::Mssql => create_modifier(text, offset, ctx, " OR ALTER"),
                    crate::Dialect::Mysql | crate::Dialect::Sqlite | crate::Dialect::Clickhouse => {
                        None
                    }
                    _ => create_modifier(text, offset, ctx, " OR REPLACE"),
                },
            )
        }
        Statement::CreateTrigger(ct) if !ct.or_replace && !ct.or_alter && !ct.temporary => (
            "TRIGGER",
            object_parts(&ct.name),
            match ctx.dialect {
                crate::Dialect::Mssql => create_modifier(text, offset, ctx, " OR ALTER"),
                crate::Dialect::Postgres | crate::Dialect::Oracle => {
                    create_modifier(text, offset, ctx, " OR REPLACE")
                }
                _ => None,
            },
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

/// Insert a modifier right after the `CREATE` keyword.
fn create_modifier(text: &str, offset: usize, ctx: &LintCtx, modifier: &str) -> Option<Edit> {
    let toks = code_tokens(text, ctx.lex);
    let first = toks.first().filter(|t| t.is_word(text, "CREATE"))?;
    Some(Edit::insert(offset + first.end, modifier))
}
