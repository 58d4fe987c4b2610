//! Which keyed form the dialect writes for a strategy, from the capability table.

use super::{Ctx, Refusal};
use crate::dialect::{IgnoreForm, UpsertForm};
use crate::insert::InsertModel;
use crate::rules::unsupported_form;
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
