//! What the engine remembers from one statement to the next: transactions, the rows earlier
//! DELETEs removed (so a later INSERT of them is already rerun-safe), and objects an earlier
//! `DROP ... IF EXISTS` removed (so a later CREATE of them is too).

use sqlparser::ast::{ObjectType, Statement};

use crate::dialect::CaseFolding;
use crate::insert::cover::Cover;
use crate::names::{Name, object_parts, same_table};

#[derive(Default)]
pub(super) struct State {
    pub covers: Vec<Cover>,
    /// Objects dropped with `IF EXISTS`: (kind, name).
    pub dropped: Vec<(String, Vec<Name>)>,
    /// Schemas dropped and created again.
    pub rebuilt: Vec<Vec<Name>>,
    /// A database was dropped and created again: everything after is new.
    pub fresh_database: bool,
    pub in_transaction: bool,
}

impl State {
    /// Follow transactions and the deletes inside them.
    pub fn track(&mut self, stmt: &Statement) {
        match stmt {
            Statement::StartTransaction { .. } => {
                self.covers.clear();
                self.in_transaction = true;
            }
            Statement::Commit { .. } | Statement::Rollback { .. } => {
                self.covers.clear();
                self.in_transaction = false;
            }
            Statement::Delete(d) => {
                if let Some(c) = Cover::from_delete(d) {
                    self.covers.push(c);
                }
            }
            Statement::Truncate(t) => {
                for tn in &t.table_names {
                    self.covers.push(Cover::all(object_parts(&tn.name)));
                }
            }
            _ => {}
        }
    }

    /// Remember drops and rebuilt databases, for the CREATE rule.
    pub fn track_ddl(&mut self, stmt: &Statement, folding: CaseFolding) {
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

    fn was_dropped(&self, kind: &str, name: &[Name], folding: CaseFolding) -> bool {
        self.dropped
            .iter()
            .any(|(k, n)| k == kind && same_table(n, name, folding))
    }
}
