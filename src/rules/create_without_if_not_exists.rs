//! `IDEM013 create-without-if-not-exists`: `CREATE TABLE/INDEX/VIEW/SCHEMA/SEQUENCE/DATABASE`,
//! `CREATE FUNCTION/PROCEDURE/TRIGGER/TYPE/EXTENSION` fail on a rerun once the object exists.
//! Fix: `IF NOT EXISTS` (or `OR REPLACE` for views, functions and procedures, `OR ALTER` on SQL
//! Server), where the dialect reads it for that kind of object (`dialect/ddl.rs`).
//!
//! Not reported: temporary tables (a rerun opens a new session), objects that an earlier
//! `DROP ... IF EXISTS` in the same file removed, and everything after a `CREATE DATABASE` /
//! `CREATE SCHEMA` that an earlier `DROP ... IF EXISTS` emptied (the script rebuilds from scratch).

use sqlparser::ast::Statement;

use super::{Finding, LintCtx, Rule, insert_after_word};
use crate::Edit;
use crate::dialect::Recreate;
use crate::names::{Name, object_parts};
use crate::text::lexer::code_tokens;

pub(crate) fn check(stmt: &Statement, text: &str, offset: usize, ctx: &LintCtx) -> Vec<Finding> {
    let fx = Fixer { text, offset, ctx };
    let Some((kind, name, fix)) = created(stmt, &fx) else {
        return Vec::new();
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
    let f = Finding::new(
        Rule::CreateWithoutIfNotExists,
        offset,
        offset + text.len(),
        format!(
            "{} fails when a rerun finds it already created",
            super::code(&format!("CREATE {kind} {shown}"))
        ),
    );
    let f = match fix {
        Some(e) if !reads_back(text, offset, &e, ctx) => {
            let title = e.text.trim().to_string();
            f.help(format!(
                "add {title} (idemsql cannot read the statement back with it, so `--fix` leaves it to you)"
            ))
        }
        Some(e) => {
            let title = e.text.trim().to_string();
            f.help(format!("add {title}"))
                .fix(format!("Add {title}"), vec![e])
        }
        None => f.help(format!(
            "{} cannot write this CREATE to be rerun: check the catalog first, or drop the object with IF EXISTS before creating it",
            ctx.dialect
        )),
    };
    vec![f]
}

/// Does the statement still parse with the fix applied? A fix idemsql's parser cannot read
/// back (`CREATE OR REPLACE PROCEDURE` in PostgreSQL) would leave an unread statement, which
/// stops every later `--fix` of the file.
fn reads_back(text: &str, offset: usize, e: &Edit, ctx: &LintCtx) -> bool {
    let at = e.start.saturating_sub(offset).min(text.len());
    let (Some(head), Some(tail)) = (text.get(..at), text.get(at..)) else {
        return false;
    };
    let fixed = format!("{head}{}{tail}", e.text);
    // Read back as the statement was read: version comments' code in, else (DDL whose
    // versioned options sqlparser does not know) out.
    let pd = ctx.dialect.parser_dialect();
    let parses = |sql: &str| crate::parse::parse(&*pd, sql).is_ok();
    parses(&crate::text::lexer::without_version_markers(&fixed, ctx.lex))
        || parses(&crate::text::lexer::without_version_comments(&fixed, ctx.lex))
}

/// What a CREATE that fails on a rerun creates: the object's kind, its name, and the edit that
/// makes it rerun-safe where the dialect has one. `None` for everything else.
fn created(stmt: &Statement, fx: &Fixer) -> Option<(&'static str, Vec<Name>, Option<Edit>)> {
    let ddl = fx.ctx.caps.ddl;
    Some(match stmt {
        Statement::CreateTable(ct) if !ct.if_not_exists && !ct.or_replace && !ct.temporary => (
            "TABLE",
            object_parts(&ct.name),
            fx.if_not_exists(ddl.create_table, "TABLE"),
        ),
        Statement::CreateIndex(ci) if !ci.if_not_exists => (
            "INDEX",
            ci.name.as_ref().map(object_parts).unwrap_or_default(),
            // Only a named index can be skipped when it exists.
            (ci.name.is_some() && ddl.create_index)
                .then(|| fx.after(&["INDEX"], &["CONCURRENTLY"], " IF NOT EXISTS"))
                .flatten(),
        ),
        Statement::CreateView(cv) if !cv.or_replace && !cv.if_not_exists && !cv.or_alter => {
            if cv.materialized {
                let fix = fx.after(&["VIEW"], &[], " IF NOT EXISTS");
                ("MATERIALIZED VIEW", object_parts(&cv.name), fix)
            } else {
                let fix = fx.recreate(ddl.create_view, "VIEW");
                ("VIEW", object_parts(&cv.name), fix)
            }
        }
        Statement::CreateSchema {
            if_not_exists: false,
            schema_name,
            ..
        } => (
            "SCHEMA",
            vec![Name::unquoted(&schema_name.to_string())],
            fx.if_not_exists(ddl.create_schema, "SCHEMA"),
        ),
        Statement::CreateDatabase {
            if_not_exists: false,
            db_name,
            ..
        } => (
            "DATABASE",
            object_parts(db_name),
            fx.if_not_exists(ddl.create_database, "DATABASE"),
        ),
        Statement::CreateSequence {
            if_not_exists: false,
            name,
            temporary: false,
            ..
        } => (
            "SEQUENCE",
            object_parts(name),
            fx.if_not_exists(ddl.create_sequence, "SEQUENCE"),
        ),
        Statement::CreateFunction(cf)
            if !cf.or_replace && !cf.or_alter && !cf.if_not_exists && !cf.temporary =>
        {
            let fix = fx.recreate(ddl.create_function, "FUNCTION");
            ("FUNCTION", object_parts(&cf.name), fix)
        }
        Statement::CreateTrigger(ct) if !ct.or_replace && !ct.or_alter && !ct.temporary => {
            let fix = fx.recreate(ddl.create_trigger, "TRIGGER");
            ("TRIGGER", object_parts(&ct.name), fix)
        }
        Statement::CreateExtension(ce) if !ce.if_not_exists => (
            "EXTENSION",
            vec![Name::from(&ce.name)],
            fx.if_not_exists(true, "EXTENSION"),
        ),
        _ => return created_routine_or_type(stmt, fx),
    })
}

/// `CREATE PROCEDURE` and `CREATE TYPE`, whose AST keeps no `OR REPLACE` / `IF NOT EXISTS`.
fn created_routine_or_type(
    stmt: &Statement,
    fx: &Fixer,
) -> Option<(&'static str, Vec<Name>, Option<Edit>)> {
    let ddl = fx.ctx.caps.ddl;
    Some(match stmt {
        Statement::CreateProcedure {
            or_alter: false,
            name,
            ..
        } if !fx.guarded() => (
            "PROCEDURE",
            object_parts(name),
            fx.recreate(ddl.create_procedure, "PROCEDURE"),
        ),
        Statement::CreateType { name, .. } if !fx.guarded() => (
            "TYPE",
            object_parts(name),
            fx.recreate(ddl.create_type, "TYPE"),
        ),
        _ => return None,
    })
}

/// Builds the edits that make one CREATE statement (`text` at `offset`) rerun-safe.
struct Fixer<'t> {
    text: &'t str,
    offset: usize,
    ctx: &'t LintCtx<'t>,
}

impl Fixer<'_> {
    /// Does the statement say `CREATE OR ...` or `IF NOT EXISTS` (for the kinds whose AST
    /// does not keep those words)?
    fn guarded(&self) -> bool {
        let toks = code_tokens(self.text, self.ctx.lex);
        let is = |i: usize, w: &str| toks.get(i).is_some_and(|t| t.is_word(self.text, w));
        is(1, "OR") || (0..toks.len().min(8)).any(|i| is(i, "IF") && is(i + 1, "NOT") && is(i + 2, "EXISTS"))
    }

    /// Insert `words` after the first of `after` (and any of `skip` right behind it).
    fn after(&self, after: &[&str], skip: &[&str], words: &str) -> Option<Edit> {
        insert_after_word(self.text, self.offset, self.ctx, after, skip, words)
    }

    /// ` IF NOT EXISTS` after the object word, where the dialect reads it.
    fn if_not_exists(&self, supported: bool, object: &str) -> Option<Edit> {
        supported
            .then(|| self.after(&[object], &[], " IF NOT EXISTS"))
            .flatten()
    }

    /// The words that make the CREATE of `object` rerun-safe, where the dialect has them.
    fn recreate(&self, how: Option<Recreate>, object: &str) -> Option<Edit> {
        match how? {
            Recreate::OrReplace => self.modifier(" OR REPLACE"),
            Recreate::OrAlter => self.modifier(" OR ALTER"),
            Recreate::IfNotExists => self.if_not_exists(true, object),
        }
    }

    /// Insert a modifier right after the `CREATE` keyword.
    fn modifier(&self, modifier: &str) -> Option<Edit> {
        let toks = code_tokens(self.text, self.ctx.lex);
        let first = toks.first().filter(|t| t.is_word(self.text, "CREATE"))?;
        Some(Edit::insert(self.offset + first.end, modifier))
    }
}
