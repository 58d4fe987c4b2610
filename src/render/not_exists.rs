//! `INSERT INTO t (cols) SELECT ... FROM (rows) AS s WHERE NOT EXISTS (...)`: insert the rows
//! whose key is missing, where nothing better exists (Redshift, whose MERGE must update;
//! ClickHouse, which has neither upsert nor MERGE and reads the check as `NOT IN`).

use super::derived::named_source;
use super::layout::Layout;
use super::merge::{key_match, refs};
use super::rows::{all, column_list};
use super::{Ctx, Rendered, Rewrite, replace_statement};
use crate::dialect::{AbsentTest, MERGE_STD, MergeStyle};
use crate::insert::InsertModel;
use crate::plan::{Key, Target};
use crate::rules::unsupported_form;

pub(super) fn render(ctx: &Ctx, model: &InsertModel, target: &Target, key: &Key) -> Rendered {
    if model.returning.is_some() {
        return Err(Box::new(unsupported_form::not_exists_returning(
            model.span(),
        )));
    }
    let sep = Layout::new(model.text, ctx.indent).sep();
    // The target is named by the table itself: NOT EXISTS needs no alias.
    let style = MergeStyle {
        target_alias: false,
        ..ctx.caps.merge.unwrap_or(MERGE_STD)
    };
    let r = refs(model, &style);
    let s = &r.source;
    let source = named_source(ctx, model, target, s)?;
    let table = model.table_text();
    let head = &model.text[model.insert_start..model.source_span.0];
    let select_list = column_list(target, &format!("{s}."), &all(target));
    let guard = match ctx.caps.writes.absent {
        AbsentTest::NotIn => {
            let keys = column_list(target, "", &key.cols);
            let src_keys = column_list(target, &format!("{s}."), &key.cols);
            if key.cols.len() == 1 {
                format!("{src_keys} NOT IN (SELECT {keys} FROM {table})")
            } else {
                format!("({src_keys}) NOT IN (SELECT {keys} FROM {table})")
            }
        }
        AbsentTest::NotExists => {
            let src: Vec<String> = target
                .cols
                .iter()
                .map(|c| format!("{s}.{}", c.text))
                .collect();
            let on = key_match(ctx, target, key, &r.target, &src);
            format!("NOT EXISTS (SELECT 1 FROM {table} WHERE {on})")
        }
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
