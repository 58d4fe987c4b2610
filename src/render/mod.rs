//! Writing the planned form of one INSERT: the dialect's SQL around the user's own text, as
//! byte-range edits of the input. One file per output form; `rows.rs` and `derived.rs` turn the
//! user's rows or query into text the forms embed, `layout.rs` lays added clauses out the way
//! the statement is laid out.
//!
//! Owns how each form is spelled, reading the dialect's spelling from the capability table.
//! It may not decide what to write (that is `plan/`), and reports only refusals that come
//! from spelling (a dialect that cannot express a part of the statement).

mod changed;
mod delete_insert;
mod derived;
mod duplicate_key;
mod insert_overwrite;
mod layout;
mod merge;
mod merge_by_source;
mod not_exists;
mod on_conflict;
mod predicate;
mod replace_where;
mod rows;

use crate::insert::InsertModel;
use crate::plan::{Ctx, Form, Plan, Refusal};
use crate::text::edit::Edit;

/// The rewrite of one statement: a title for quick-fix menus and absolute edits.
#[derive(Debug, Clone)]
pub(crate) struct Rewrite {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// The result of rendering: the rewrite, or why it could not be written.
pub(crate) type Rendered = Result<Rewrite, Refusal>;

/// Write `plan` for `model`.
pub(crate) fn render(ctx: &Ctx, model: &InsertModel, plan: &Plan) -> Rendered {
    let target = &plan.target;
    match &plan.form {
        Form::OnConflict {
            key,
            ignore,
            predicate,
        } => on_conflict::render(ctx, model, target, key, *ignore, predicate.as_deref()),
        Form::DuplicateKey { key, ignore } => {
            duplicate_key::render(ctx, model, target, key, *ignore)
        }
        Form::Merge { key, insert_only } => merge::render(ctx, model, target, key, *insert_only),
        Form::NotExists { key } => not_exists::render(ctx, model, target, key),
        Form::DeleteInsert(replaced) => delete_insert::render(ctx, model, target, replaced),
        Form::InsertOverwrite(replaced) => insert_overwrite::render(ctx, model, target, replaced),
        Form::ReplaceWhere(replaced) => replace_where::render(ctx, model, target, replaced),
        Form::MergeBySource(replaced) => merge_by_source::render(ctx, model, target, replaced),
    }
}

/// An edit that replaces the whole statement's code with `text`, adding the terminator a
/// dialect requires when the input had none.
fn replace_statement(
    ctx: &Ctx,
    model: &InsertModel,
    mut text: String,
    needs_terminator: bool,
) -> Vec<Edit> {
    if needs_terminator && !ctx.terminated {
        text.push(';');
    }
    vec![Edit::replace(model.span(), text)]
}
