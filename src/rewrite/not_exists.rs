//! `INSERT INTO t (cols) SELECT ... FROM (rows) AS s WHERE NOT EXISTS (...)`: insert the rows
//! whose key is missing, where nothing better exists (Redshift, whose MERGE must update;
//! ClickHouse, which has neither upsert nor MERGE and reads the check as `NOT IN`).

use crate::dialect::AbsentTest;
use crate::rewrite::layout::Layout;
use crate::rewrite::merge::refs;
use crate::rewrite::model::InsertModel;
use crate::rewrite::plan::Plan;
use crate::rewrite::source::named_source;
use crate::rewrite::{Ctx, Rendered, Rewrite, replace_statement};
use crate::rules::{Finding, Rule};

pub(crate) fn render(ctx: &Ctx, model: &InsertModel, plan: &Plan) -> Rendered {
    if model.returning.is_some() {
        return Err(Box::new(Finding::new(
            Rule::UnsupportedForm,
            model.base,
            model.base + model.text.len(),
            "RETURNING cannot be kept by the NOT EXISTS form".to_string(),
        )));
    }
    let layout = Layout::new(model.text, ctx.indent);
    let sep = layout.sep();
    // The target is named by the table itself: NOT EXISTS needs no alias.
    let style = crate::dialect::MergeStyle {
        target_alias: false,
        ..ctx.caps.merge.unwrap_or(crate::dialect::MERGE_STD)
    };
    let r = refs(model, &style);
    let s = &r.source;
    let source = named_source(ctx, model, plan, s)?;
    let table = model.table_text();
    let head = &model.text[model.insert_start..model.source_span.0];
    let select_list = plan
        .cols
        .iter()
        .map(|c| format!("{s}.{}", c.text))
        .collect::<Vec<_>>()
        .join(", ");
    let guard = if ctx.caps.writes.absent == AbsentTest::NotIn {
        let keys: Vec<&str> = plan.key.iter().map(|&i| plan.cols[i].text).collect();
        let src_keys: Vec<String> = keys.iter().map(|k| format!("{s}.{k}")).collect();
        if keys.len() == 1 {
            format!("{} NOT IN (SELECT {} FROM {table})", src_keys[0], keys[0])
        } else {
            format!(
                "({}) NOT IN (SELECT {} FROM {table})",
                src_keys.join(", "),
                keys.join(", ")
            )
        }
    } else {
        let t = &r.target;
        let on = plan
            .key
            .iter()
            .zip(&plan.null_safe)
            .map(|(&i, &safe)| {
                let c = &plan.cols[i].text;
                ctx.caps
                    .null_safe
                    .eq(&format!("{t}.{c}"), &format!("{s}.{c}"), safe)
            })
            .collect::<Vec<_>>()
            .join(" AND ");
        format!("NOT EXISTS (SELECT 1 FROM {table} WHERE {on})")
    };
    // A `WITH` written before INSERT moves into the derived table with the query.
    let text = format!(
        "{}{sep}SELECT {select_list} FROM {source}{sep}WHERE {guard}",
        head.trim_end()
    );
    Ok(Rewrite {
        title: "Rewrite to insert only rows whose key is missing (existing rows win)".into(),
        edits: replace_statement(ctx, model, text, false),
    })
}
