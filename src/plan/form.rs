//! Which keyed form the dialect writes for a strategy, from the capability table.

use super::{Ctx, Refusal, Target};
use crate::catalog::Enforced;
use crate::dialect::{IgnoreForm, UpsertForm};
use crate::insert::InsertModel;
use crate::names::Name;
use crate::rules::{Finding, constraint_declared_later, unsupported_form};
use crate::settings::options::Strategy;

/// The keyed form chosen, before its key is known in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Chosen {
    OnConflict {
        ignore: bool,
    },
    DuplicateKey {
        ignore: bool,
    },
    Merge {
        insert_only: bool,
    },
    NotExists,
    /// Delete the incoming keys, then insert.
    KeyDeleteInsert,
}

/// The form of `strategy` in the dialect; `all_key` says every inserted column is in the key.
pub(super) fn choose(
    ctx: &Ctx,
    model: &InsertModel,
    strategy: Strategy,
    all_key: bool,
) -> Result<Chosen, Refusal> {
    let writes = ctx.caps.writes;
    let merge = |insert_only: bool| match ctx.caps.merge {
        Some(m) if insert_only && !m.insert_only_allowed => Ok(Chosen::NotExists),
        Some(_) => Ok(Chosen::Merge { insert_only }),
        None => Err(Box::new(unsupported_form::no_merge_strategy(
            model.insert_span(),
            ctx.dialect,
        ))),
    };
    let ignore = || match writes.ignore {
        IgnoreForm::OnConflictDoNothing => Ok(Chosen::OnConflict { ignore: true }),
        IgnoreForm::DuplicateKeyNoop => Ok(Chosen::DuplicateKey { ignore: true }),
        IgnoreForm::MergeInsertOnly => merge(true),
        IgnoreForm::NotExists => Ok(Chosen::NotExists),
    };
    match strategy {
        Strategy::Ignore => ignore(),
        // With every column in the key there is nothing to update: upsert is insert-if-absent.
        Strategy::Merge if all_key => merge(true),
        Strategy::Upsert if all_key => ignore(),
        Strategy::Merge => merge(false),
        Strategy::Upsert | Strategy::Auto | Strategy::Overwrite => match writes.upsert {
            UpsertForm::OnConflict => Ok(Chosen::OnConflict { ignore: false }),
            UpsertForm::DuplicateKeyRowAlias | UpsertForm::DuplicateKeyValueFn => {
                Ok(Chosen::DuplicateKey { ignore: false })
            }
            UpsertForm::Merge => merge(false),
            UpsertForm::DeleteInsert => Ok(Chosen::KeyDeleteInsert),
            UpsertForm::None => Err(Box::new(unsupported_form::no_upsert(
                model.insert_span(),
                ctx.dialect,
            ))),
        },
    }
}

/// `ON CONFLICT` and `ON DUPLICATE KEY` need the key's unique constraint in force when the
/// statement runs. A dump that adds its keys after the data (pg_dump's `ALTER TABLE ONLY t ADD
/// CONSTRAINT t_pkey PRIMARY KEY`, mysqldump's indexes) would make them fail or, in MySQL,
/// silently insert duplicates; the statement is written in a form that matches rows by its own
/// predicate instead, and a note says which and why.
pub(super) fn without_later_constraint(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    key: &[usize],
    chosen: Chosen,
    notes: &mut Vec<Finding>,
) -> Chosen {
    let ignore = match chosen {
        Chosen::OnConflict { ignore } | Chosen::DuplicateKey { ignore } => ignore,
        _ => return chosen,
    };
    let Some(table) = target.table else {
        return chosen;
    };
    let names: Vec<&Name> = key.iter().map(|&i| target.cols[i].name).collect();
    let at = model.insert_span().start;
    let Enforced::Later(declared) = table.unique_enforced(&names, ctx.caps.names.folding, at)
    else {
        return chosen;
    };
    let fallback = match (ignore, ctx.caps.merge) {
        (true, _) => Chosen::NotExists,
        (false, Some(_)) => Chosen::Merge { insert_only: false },
        (false, None) => Chosen::KeyDeleteInsert,
    };
    notes.push(constraint_declared_later::note(
        model.insert_span(),
        model.table_text(),
        declared,
        fallback.describe(),
    ));
    fallback
}

impl Chosen {
    /// The form in a few words, for notes.
    fn describe(self) -> &'static str {
        match self {
            Chosen::OnConflict { ignore: true } => "INSERT ... ON CONFLICT DO NOTHING",
            Chosen::OnConflict { ignore: false } => "INSERT ... ON CONFLICT DO UPDATE",
            Chosen::DuplicateKey { .. } => "INSERT ... ON DUPLICATE KEY UPDATE",
            Chosen::Merge { .. } => "MERGE",
            Chosen::NotExists => "INSERT ... SELECT ... WHERE NOT EXISTS",
            Chosen::KeyDeleteInsert => "DELETE of the incoming keys, then INSERT",
        }
    }
}
