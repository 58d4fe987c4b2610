//! BigQuery's partition overwrite as one atomic statement: `MERGE ... ON FALSE WHEN NOT
//! MATCHED BY SOURCE AND <partitions> THEN DELETE WHEN NOT MATCHED THEN INSERT ...`.

use super::derived::named_source;
use super::merge::{MergeParts, layout, refs};
use super::predicate::replaced_rows;
use super::rows::{all, column_list};
use super::{Ctx, Rendered, Rewrite, replace_statement};
use crate::insert::InsertModel;
use crate::plan::{Replaced, Target};
use crate::rules::unsupported_form;

pub(super) fn render(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    replaced: &Replaced,
) -> Rendered {
    if let Some(refusal) = super::insert_overwrite::returning_refusal(ctx, model) {
        return Err(refusal);
    }
    let Some(style) = ctx.caps.merge else {
        return Err(Box::new(unsupported_form::no_merge(
            model.insert_span(),
            ctx.dialect,
        )));
    };
    let r = refs(model, &style);
    let source = named_source(ctx, model, target, &r.source)?;
    let parts = MergeParts {
        on: "FALSE".into(),
        by_source_delete: Some(replaced_rows(
            ctx,
            model,
            target,
            replaced,
            Some(&r.target),
        )?),
        update: None,
        insert_cols: column_list(target, "", &all(target)),
        insert_vals: column_list(target, &format!("{}.", r.source), &all(target)),
    };
    let text = layout(ctx, model, &r, &source, &parts);
    Ok(Rewrite {
        title: "Rewrite as one MERGE that replaces the written partitions".into(),
        edits: replace_statement(ctx, model, text, style.needs_terminator),
    })
}
