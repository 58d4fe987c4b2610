//! Planning a keyed form (upsert, insert-if-absent, MERGE): the key's columns, whether the
//! DDL makes it a unique constraint, how NULL keys are compared, and the rows to keep.

use super::{Col, Ctx, Form, Key, Partitions, Plan, Refusal, Replaced, Target, dedupe, form};
use crate::insert::{InsertModel, Source};
use crate::names::Name;
use crate::rules::{
    Finding, ambiguous_conflict_target, key_not_inserted, key_not_unique, missing_key,
    nullable_key, trigger_rewrites_row, unsupported_form,
};
use crate::settings::options::Strategy;

/// Plan an upsert, ignore or merge of `model` on the key `names` (from `source`).
pub(super) fn plan_keyed<'a>(
    ctx: &Ctx<'a>,
    model: &'a InsertModel,
    mut target: Target<'a>,
    strategy: Strategy,
    names: &[Name],
    source: &str,
) -> Result<Plan<'a>, Refusal> {
    let cols = key_columns(ctx, model, &target.cols, names, source)?;
    let chosen = form::choose(ctx, model, strategy, cols.len() == target.cols.len())?;
    super::volatile::check(model, &target.cols, &cols, "key")?;
    let mut notes = Vec::new();
    let chosen = form::without_later_constraint(ctx, model, &target, &cols, chosen, &mut notes);
    let predicate = conflict_predicate(ctx, model, &target, &cols, &chosen)?;
    let null_safe = null_safety(ctx, model, &target, &cols, &chosen, &mut notes)?;
    if matches!(chosen, form::Chosen::DuplicateKey { .. })
        && target.table.is_some_and(|t| t.unique_key_count() > 1)
    {
        notes.push(ambiguous_conflict_target::several_unique_keys(
            model.insert_span(),
            model.table_text(),
        ));
    }
    if let Some(note) = trigger_note(model, &target, chosen) {
        notes.push(note);
    }
    target.rows = dedupe::rows(ctx, model, &cols, &chosen)?;
    let key = Key { cols, null_safe };
    let form = match chosen {
        form::Chosen::OnConflict { ignore } => Form::OnConflict {
            key,
            ignore,
            predicate,
        },
        form::Chosen::DuplicateKey { ignore } => Form::DuplicateKey { key, ignore },
        form::Chosen::Merge { insert_only } => Form::Merge { key, insert_only },
        form::Chosen::NotExists => Form::NotExists { key },
        form::Chosen::KeyDeleteInsert => {
            Form::DeleteInsert(deleted_keys(ctx, model, &target, key)?)
        }
    };
    Ok(Plan {
        target,
        form,
        notes,
    })
}

/// The key's columns as indices into the inserted columns.
fn key_columns(
    ctx: &Ctx,
    model: &InsertModel,
    cols: &[Col],
    names: &[Name],
    source: &str,
) -> Result<Vec<usize>, Refusal> {
    let folding = ctx.caps.names.folding;
    let mut key = Vec::new();
    for k in names {
        match cols.iter().position(|c| c.name.same(k, folding)) {
            Some(i) if !key.contains(&i) => key.push(i),
            Some(_) => {}
            None => {
                return Err(Box::new(key_not_inserted::key_column(
                    model.insert_span(),
                    &k.value,
                    source,
                )));
            }
        }
    }
    if key.is_empty() {
        return Err(Box::new(missing_key::empty_key(
            model.insert_span(),
            model.table_text(),
        )));
    }
    Ok(key)
}

/// ON CONFLICT and ON DUPLICATE KEY act only on a unique constraint: with the table's DDL at
/// hand, the key must be one (PostgreSQL errors, MySQL silently inserts duplicates). Returns
/// the `WHERE` of the partial unique index the key is, if it is one.
fn conflict_predicate(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    key: &[usize],
    chosen: &form::Chosen,
) -> Result<Option<String>, Refusal> {
    let by_constraint = matches!(
        chosen,
        form::Chosen::OnConflict { .. } | form::Chosen::DuplicateKey { .. }
    );
    let Some(t) = target
        .table
        .filter(|t| by_constraint && !t.columns.is_empty())
    else {
        return Ok(None);
    };
    let names: Vec<&Name> = key.iter().map(|&i| target.cols[i].name).collect();
    match t.unique_matching(&names, ctx.caps.names.folding) {
        Some(pred) => Ok(pred.map(str::to_string)),
        None => {
            let shown = names
                .iter()
                .map(|n| n.value.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            Err(Box::new(key_not_unique::not_unique(
                model.insert_span(),
                &shown,
                model.table_text(),
            )))
        }
    }
}

/// A `BEFORE` trigger that can change rows the chosen form writes again on a rerun: one on
/// INSERT changes `EXCLUDED` / `VALUES()` before ON CONFLICT and ON DUPLICATE KEY compare them,
/// one on UPDATE fires on every duplicate row of ON DUPLICATE KEY, which has no condition.
/// MERGE and `ON CONFLICT ... WHERE` update only rows that differ, so they fire no UPDATE trigger.
fn trigger_note(model: &InsertModel, target: &Target, chosen: form::Chosen) -> Option<Finding> {
    let triggers = &target.table?.triggers;
    let before =
        |pick: fn(&crate::catalog::Trigger) -> bool| triggers.iter().any(|t| t.before && pick(t));
    let (form, event) = match chosen {
        form::Chosen::OnConflict { ignore: false } if before(|t| t.on_insert) => {
            ("ON CONFLICT DO UPDATE", "INSERT")
        }
        form::Chosen::DuplicateKey { .. } if before(|t| t.on_update) => {
            ("ON DUPLICATE KEY UPDATE", "UPDATE")
        }
        form::Chosen::DuplicateKey { ignore: false } if before(|t| t.on_insert) => {
            ("ON DUPLICATE KEY UPDATE", "INSERT")
        }
        _ => return None,
    };
    Some(trigger_rewrites_row::before_trigger(
        model.insert_span(),
        model.table_text(),
        form,
        event,
    ))
}

/// Per key column, whether to compare it NULL-safely. A literal NULL key never matches in ON
/// CONFLICT / ODKU and is refused; MERGE and NOT EXISTS compare NULL-safely when asked, when
/// the DDL says the column is nullable, or when a row gives it NULL. Warnings go to `notes`.
fn null_safety(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    key: &[usize],
    chosen: &form::Chosen,
    notes: &mut Vec<Finding>,
) -> Result<Vec<bool>, Refusal> {
    let uses_predicate = matches!(
        chosen,
        form::Chosen::Merge { .. } | form::Chosen::NotExists | form::Chosen::KeyDeleteInsert
    );
    let asked = ctx.options.null_safe || ctx.directives.null_safe;
    let mut null_safe = Vec::new();
    for &ki in key {
        let col = &target.cols[ki];
        let declared = target
            .table
            .and_then(|t| t.nullable(col.name, ctx.caps.names.folding));
        let null_at = literal_null(model, ki);
        if let (Some(range), false) = (null_at, uses_predicate) {
            return Err(Box::new(nullable_key::null_literal(
                model.input_span(range),
                &col.name.value,
            )));
        }
        let safe = uses_predicate && (asked || declared == Some(true) || null_at.is_some());
        if uses_predicate && !safe && declared.is_none() {
            notes.push(nullable_key::may_be_null(
                model.insert_span(),
                &col.name.value,
            ));
        }
        if !uses_predicate && declared == Some(true) && matches!(model.source, Source::Query(_)) {
            notes.push(nullable_key::nullable_from_query(
                model.insert_span(),
                &col.name.value,
            ));
        }
        null_safe.push(safe);
    }
    Ok(null_safe)
}

/// The range of the first literal NULL the rows give column `i`.
fn literal_null(model: &InsertModel, i: usize) -> Option<(usize, usize)> {
    let Source::Values { rows, .. } = &model.source else {
        return None;
    };
    rows.iter()
        .filter_map(|r| r.value(i))
        .find(|v| v.is_null())
        .map(|v| v.range())
}

/// Delete-then-insert by key: the keys to delete come from the rows, or from the query.
fn deleted_keys(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    key: Key,
) -> Result<Replaced, Refusal> {
    let values = match &model.source {
        Source::Values { .. } => super::partitions::values(ctx, model, &target.cols, &key.cols)?,
        Source::Query(_) if key.cols.len() == 1 => Partitions::FromQuery,
        Source::Query(_) => {
            return Err(Box::new(unsupported_form::composite_key_delete(
                model.insert_span(),
                ctx.dialect,
            )));
        }
    };
    Ok(Replaced {
        cols: key.cols,
        values,
        named: None,
    })
}
