//! Turning one plain INSERT into its idempotent form.
//!
//! [`plan`] decides (strategy, key, partition, columns) and refuses with a diagnostic what
//! cannot be made safe; the form modules render the dialect's SQL around the user's own text:
//! [`on_conflict`] and [`duplicate_key`] append a clause, [`merge`], [`not_exists`] and
//! [`overwrite`] build a new statement from the user's values and query.

pub(crate) mod already;
pub(crate) mod cover;
pub(crate) mod duplicate_key;
pub(crate) mod exprs;
pub(crate) mod layout;
pub(crate) mod merge;
pub(crate) mod model;
pub(crate) mod not_exists;
pub(crate) mod on_conflict;
pub(crate) mod overwrite;
pub(crate) mod plan;
pub(crate) mod source;

use crate::Edit;
use crate::catalog::Catalog;
use crate::dialect::{Caps, Dialect};
use crate::rules::Finding;
use crate::settings::directive::Directives;
use crate::settings::options::Options;
use crate::text::lexer::LexOptions;

pub(crate) use model::InsertModel;

/// Everything a rewrite of one statement may consult.
pub(crate) struct Ctx<'a> {
    pub dialect: Dialect,
    pub caps: Caps,
    pub options: &'a Options,
    pub catalog: &'a Catalog,
    pub directives: &'a Directives,
    pub lex: LexOptions,
    /// The whitespace before the statement on its first line.
    pub indent: &'a str,
    /// The statement ends with `;` in the input.
    pub terminated: bool,
    /// The statement runs inside a transaction the script opened itself: an overwrite then
    /// adds no BEGIN/COMMIT of its own, which would commit the script's work early.
    pub in_transaction: bool,
}

/// The rewrite of one statement: a title for quick-fix menus and absolute edits.
#[derive(Debug, Clone)]
pub(crate) struct Rewrite {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// What became of one INSERT.
#[derive(Debug, Default)]
pub(crate) struct InsertOutcome {
    pub rewrite: Option<Rewrite>,
    pub findings: Vec<Finding>,
}

/// Rewrite one modelled INSERT.
pub(crate) fn rewrite_insert(ctx: &Ctx, model: &InsertModel) -> InsertOutcome {
    let mut out = InsertOutcome::default();
    let plan = match plan::plan(ctx, model, &mut out.findings) {
        Some(p) => p,
        None => return out,
    };
    let rendered = match plan.form {
        plan::Form::OnConflict { ignore } => on_conflict::render(ctx, model, &plan, ignore),
        plan::Form::DuplicateKey { ignore } => duplicate_key::render(ctx, model, &plan, ignore),
        plan::Form::Merge { insert_only } => merge::render_upsert(ctx, model, &plan, insert_only),
        plan::Form::NotExists => not_exists::render(ctx, model, &plan),
        plan::Form::Overwrite(form) => overwrite::render(ctx, model, &plan, form),
        plan::Form::KeyDeleteInsert => overwrite::render(
            ctx,
            model,
            &plan,
            crate::dialect::OverwriteForm::DeleteInsert,
        ),
    };
    match rendered {
        Ok(rewrite) => {
            out.rewrite = Some(rewrite);
            out.findings.extend(plan.notes);
        }
        Err(finding) => out.findings.push(*finding),
    }
    out
}

/// The result of rendering: the rewrite, or why it could not be written.
pub(crate) type Rendered = Result<Rewrite, Box<Finding>>;

/// An edit that replaces the whole statement's code with `text`, adding the terminator a
/// dialect requires when the input had none.
pub(crate) fn replace_statement(
    ctx: &Ctx,
    model: &InsertModel,
    mut text: String,
    needs_terminator: bool,
) -> Vec<Edit> {
    if needs_terminator && !ctx.terminated {
        text.push(';');
    }
    vec![Edit::replace(
        crate::Span::new(model.base, model.base + model.text.len()),
        text,
    )]
}
