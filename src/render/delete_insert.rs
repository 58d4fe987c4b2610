//! `BEGIN; DELETE FROM t WHERE <replaced rows>; INSERT ...; COMMIT`: replace the partitions
//! (or, for an upsert by delete, the keys) a statement writes, in the dialect's transaction
//! when it has one and the script has not opened its own.

use super::layout::Layout;
use super::predicate::replaced_rows;
use super::{Ctx, Rendered, Rewrite, replace_statement};
use crate::dialect::Transaction;
use crate::insert::InsertModel;
use crate::plan::{Replaced, Target};

pub(super) fn render(
    ctx: &Ctx,
    model: &InsertModel,
    target: &Target,
    replaced: &Replaced,
) -> Rendered {
    let sep = Layout::new(model.text, ctx.indent).sep();
    let tx = if ctx.in_transaction {
        Transaction::NONE
    } else {
        ctx.caps.script.transaction
    };
    let mut parts: Vec<String> = tx.begin.iter().map(|s| s.to_string()).collect();
    parts.push(format!(
        "DELETE FROM {} WHERE {}",
        model.table_text(),
        replaced_rows(ctx, model, target, replaced, None)?
    ));
    parts.push(match ctx.caps.writes.overwrite_insert_settings {
        Some(settings) => {
            let at = model.source_span.0;
            format!("{}{settings} {}", &model.text[..at], &model.text[at..])
        }
        None => model.text.to_string(),
    });
    if let Some(c) = tx.commit {
        parts.push(c.to_string());
    }
    let text = parts.join(&format!(";{sep}"));
    let title = if tx.begin.is_empty() {
        "Rewrite as DELETE of the written partitions, then INSERT"
    } else {
        "Rewrite as DELETE of the written partitions and INSERT in one transaction"
    };
    Ok(Rewrite {
        title: title.into(),
        edits: replace_statement(ctx, model, text, false),
    })
}
