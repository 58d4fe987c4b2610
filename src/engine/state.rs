//! What the engine remembers from one statement to the next: transactions, the rows earlier
//! DELETEs removed and the tables a CREATE made new (so a later INSERT of them is already
//! rerun-safe), and objects an earlier
//! `DROP ... IF EXISTS` removed (so a later CREATE of them is too).

use sqlparser::ast::{AlterTableOperation, Expr, ObjectType, Statement};

use crate::dialect::CaseFolding;
use crate::insert::cover::{Cover, Created};
use crate::names::{Name, object_parts, same_table};
use crate::text::lexer::Token;

#[derive(Default)]
pub(super) struct State {
    pub covers: Vec<Cover>,
    /// Per cover: made since the current transaction's BEGIN (a ROLLBACK undoes it).
    uncommitted: Vec<bool>,
    /// Tables a DROP removed and no CREATE made again yet: a CREATE of one makes it new.
    gone: Vec<Vec<Name>>,
    /// Objects dropped with `IF EXISTS`: (kind, name).
    pub dropped: Vec<(String, Vec<Name>)>,
    /// Schemas dropped and created again.
    pub rebuilt: Vec<Vec<Name>>,
    /// A database was dropped and created again: everything after is new.
    pub fresh_database: bool,
    pub in_transaction: bool,
}

/// How long a cover holds. It says "every run, this statement removed these rows before the
/// INSERT", so it holds as long as that stays true of the same table:
///
/// - across COMMIT and BEGIN: a committed DELETE ran before the INSERT on every run, and a
///   crash between them is mended by the rerun's DELETE. Only ROLLBACK undoes it: the covers
///   made since BEGIN go (all of them when no BEGIN was seen, as with Oracle's implicit
///   transactions, since the DELETE may be what it rolls back);
/// - across other writes to the table (more INSERTs, UPDATEs): the next run's DELETE removes
///   the inserted rows whatever ran in between. (An UPDATE *after* the INSERT that moves its
///   rows out of the deleted range defeats this; idemsql does not look ahead for it.)
/// - not across a DROP or a rename of the table, nor a `USE` (the name may now mean another
///   table), nor a `SET`/`DECLARE` for covers that depend on a variable or parameter.
impl State {
    /// Follow transactions, the deletes and truncates, and the tables made new.
    pub fn track(&mut self, stmt: &Statement, folding: CaseFolding) {
        if let Some(drops) = guarded_drops(stmt) {
            return drops.iter().for_each(|d| self.track(d, folding));
        }
        match stmt {
            Statement::StartTransaction { .. } => self.in_transaction = true,
            Statement::Commit { .. } => {
                self.uncommitted.iter_mut().for_each(|u| *u = false);
                self.in_transaction = false;
            }
            Statement::Rollback { savepoint, .. } => self.rolled_back(savepoint.is_none()),
            Statement::Delete(d) => {
                if let Some(c) = Cover::from_delete(d) {
                    self.push(c);
                }
            }
            Statement::Truncate(t) => {
                for tn in &t.table_names {
                    self.push(Cover::all(object_parts(&tn.name)));
                }
            }
            Statement::Drop {
                object_type: ObjectType::Table,
                names,
                ..
            } => {
                for n in names {
                    let name = object_parts(n);
                    self.retain(|c| !same_table(c.table(), &name, folding));
                    self.gone.push(name);
                }
            }
            Statement::CreateTable(_) => {
                if let Some(created) = Created::of(stmt, folding) {
                    self.created(&created, folding);
                }
            }
            Statement::RenameTable(_) | Statement::Use(_) => self.forget_names(),
            Statement::AlterTable(a)
                if a.operations
                    .iter()
                    .any(|o| matches!(o, AlterTableOperation::RenameTable { .. })) =>
            {
                self.forget_names();
            }
            Statement::Set(_) | Statement::Declare { .. } => self.retain(|c| !c.uses_parameter()),
            _ => {}
        }
    }

    /// A `CREATE TABLE` (tracked here, or read by the first pass): `CREATE OR REPLACE`, or a
    /// CREATE of a table a DROP just removed, makes a table that is empty on every run (or
    /// holds what its query selects, the same on every run), so INSERTs into it are rerun-safe.
    pub fn created(&mut self, created: &Created, folding: CaseFolding) {
        let was_gone = self
            .gone
            .iter()
            .any(|g| same_table(g, &created.table, folding))
            || self.in_new_container(&created.table, folding);
        self.gone
            .retain(|g| !same_table(g, &created.table, folding));
        if (created.or_replace || was_gone) && !created.reads_itself {
            self.push(Cover::all(created.table.clone()));
        }
    }

    fn push(&mut self, cover: Cover) {
        self.covers.push(cover);
        self.uncommitted.push(self.in_transaction);
    }

    fn retain(&mut self, keep: impl Fn(&Cover) -> bool) {
        let mut flags = std::mem::take(&mut self.uncommitted).into_iter();
        let mut kept_flags = Vec::new();
        self.covers.retain(|c| {
            let flag = flags.next().unwrap_or(false);
            let keep_it = keep(c);
            if keep_it {
                kept_flags.push(flag);
            }
            keep_it
        });
        self.uncommitted = kept_flags;
    }

    /// A ROLLBACK (`whole`) or a ROLLBACK TO SAVEPOINT: drop what it may have undone.
    fn rolled_back(&mut self, whole: bool) {
        if self.in_transaction {
            let covers = std::mem::take(&mut self.covers);
            let flags = std::mem::take(&mut self.uncommitted);
            self.covers = covers
                .into_iter()
                .zip(flags)
                .filter_map(|(c, uncommitted)| (!uncommitted).then_some(c))
                .collect();
            self.uncommitted = vec![false; self.covers.len()];
        } else {
            self.covers.clear();
            self.uncommitted.clear();
        }
        if whole {
            self.in_transaction = false;
        }
    }

    /// Names may now point at other tables: nothing earlier holds for them.
    fn forget_names(&mut self) {
        self.covers.clear();
        self.uncommitted.clear();
        self.gone.clear();
    }

    /// Remember drops and rebuilt databases, for the CREATE rule.
    pub fn track_ddl(&mut self, stmt: &Statement, folding: CaseFolding) {
        if let Some(drops) = guarded_drops(stmt) {
            return drops.iter().for_each(|d| self.track_ddl(d, folding));
        }
        match stmt {
            Statement::Drop {
                object_type,
                if_exists: true,
                names,
                ..
            } => {
                let kind = match object_type {
                    ObjectType::Table => "TABLE",
                    ObjectType::View | ObjectType::MaterializedView => "VIEW",
                    ObjectType::Index => "INDEX",
                    ObjectType::Schema => "SCHEMA",
                    ObjectType::Database => "DATABASE",
                    ObjectType::Sequence => "SEQUENCE",
                    _ => "",
                };
                for n in names {
                    self.dropped.push((kind.to_string(), object_parts(n)));
                }
            }
            // `DROP CONSTRAINT IF EXISTS` lets a later `ADD CONSTRAINT` of it run again.
            Statement::AlterTable(alter) => {
                for op in &alter.operations {
                    if let AlterTableOperation::DropConstraint {
                        if_exists: true,
                        name,
                        ..
                    } = op
                    {
                        let mut key = object_parts(&alter.name);
                        key.push(Name::from(name));
                        self.dropped.push(("CONSTRAINT".to_string(), key));
                    }
                }
            }
            Statement::CreateDatabase { db_name, .. }
                if self.was_dropped("DATABASE", &object_parts(db_name), folding) =>
            {
                self.fresh_database = true;
            }
            Statement::CreateSchema { schema_name, .. } => {
                let name = vec![Name::unquoted(&schema_name.to_string())];
                if self.was_dropped("SCHEMA", &name, folding) {
                    self.rebuilt.push(name);
                }
            }
            _ => {}
        }
    }

    /// Is `table` in a database or schema the script dropped and created again, so that it is
    /// new on every run?
    fn in_new_container(&self, table: &[Name], folding: CaseFolding) -> bool {
        let schema = table.len().checked_sub(2).and_then(|i| table.get(i));
        self.fresh_database
            || schema.is_some_and(|s| {
                self.rebuilt
                    .iter()
                    .any(|c| c.last().is_some_and(|r| r.same(s, folding)))
            })
    }

    fn was_dropped(&self, kind: &str, name: &[Name], folding: CaseFolding) -> bool {
        self.dropped
            .iter()
            .any(|(k, n)| k == kind && same_table(n, name, folding))
    }
}

/// SQL Server's guard from before `DROP ... IF EXISTS` existed, `IF EXISTS (SELECT ...) DROP
/// ...` or `IF OBJECT_ID(N'x') IS NOT NULL DROP ...` (alone or in a `BEGIN ... END` with other
/// statements): the DROPs it guards, as `IF EXISTS`. Other conditions are not about whether the
/// object exists, so their DROPs may not run.
fn guarded_drops(stmt: &Statement) -> Option<Vec<Statement>> {
    let Statement::If(i) = stmt else {
        return None;
    };
    if !i.elseif_blocks.is_empty() || i.else_block.is_some() {
        return None;
    }
    let block = &i.if_block;
    let exists_check = match &block.condition {
        Some(Expr::Exists { negated: false, .. }) => true,
        Some(Expr::IsNotNull(e)) => matches!(e.as_ref(), Expr::Function(f)
            if f.name.to_string().to_ascii_uppercase().ends_with("_ID")),
        _ => false,
    };
    let drops: Vec<Statement> = block
        .conditional_statements
        .statements()
        .iter()
        .filter_map(as_drop_if_exists)
        .collect();
    (exists_check && !drops.is_empty()).then_some(drops)
}

/// [`guarded_drops`] for a guard sqlparser cannot read whole (its block holds `ALTER DATABASE
/// ... SET OFFLINE`, say): from the tokens, each `DROP ...` up to its `;` (or the block's
/// `END`) read on its own.
pub(super) fn guarded_drops_in_tokens(
    code: &str,
    toks: &[Token],
    pd: &dyn sqlparser::dialect::Dialect,
) -> Vec<Statement> {
    let word = |i: usize, w: &str| toks.get(i).is_some_and(|t| t.is_word(code, w));
    if !word(0, "IF") || toks.iter().any(|t| t.is_word(code, "ELSE")) {
        return Vec::new();
    }
    let Some(first_drop) = (0..toks.len()).find(|&i| word(i, "DROP")) else {
        return Vec::new();
    };
    let guard = &toks[..first_drop];
    let exists = guard
        .iter()
        .enumerate()
        .any(|(i, t)| t.is_word(code, "EXISTS") && !(i > 0 && guard[i - 1].is_word(code, "NOT")));
    let not_null = guard.windows(3).any(|w| {
        w[0].is_word(code, "IS") && w[1].is_word(code, "NOT") && w[2].is_word(code, "NULL")
    });
    if !(exists || not_null) {
        return Vec::new();
    }
    let mut drops = Vec::new();
    for i in (first_drop..toks.len()).filter(|&i| word(i, "DROP")) {
        let end = (i..toks.len())
            .find(|&j| toks[j].is_punct(code, ';') || word(j, "END") || word(j, "ELSE"))
            .map_or(code.len(), |j| toks[j].start);
        if let Ok(stmts) = crate::parse::parse(pd, &code[toks[i].start..end]) {
            drops.extend(stmts.iter().filter_map(as_drop_if_exists));
        }
    }
    drops
}

/// A DROP statement as the `DROP ... IF EXISTS` its guard makes it; `None` for anything else.
fn as_drop_if_exists(stmt: &Statement) -> Option<Statement> {
    let mut drop = stmt.clone();
    let Statement::Drop { if_exists, .. } = &mut drop else {
        return None;
    };
    *if_exists = true;
    Some(drop)
}
