//! "Would this update change the row?": the condition that lets an upsert skip rows already as
//! it would leave them, so a rerun writes nothing (no trigger fires, no `updated_at` moves, no
//! warehouse file is rewritten). Columns are compared NULL-safely and two-valued, in the
//! dialect's spelling; types without `=` are compared as text.

use super::Ctx;
use crate::dialect::RowDiffers;
use crate::plan::Target;

/// `old(c1) IS DISTINCT FROM new(c1) OR ...` over the columns `cols` of the target, where `old`
/// and `new` write column `i` of the existing and of the incoming row (`actor.c`, `EXCLUDED.c`).
pub(super) fn condition(
    ctx: &Ctx,
    target: &Target,
    cols: &[usize],
    old: &dyn Fn(usize) -> String,
    new: &dyn Fn(usize) -> String,
) -> String {
    let writes = ctx.caps.writes;
    let pairs: Vec<(String, String)> = cols
        .iter()
        .map(|&i| {
            if incomparable(ctx, target, i) {
                (
                    format!("CAST({} AS text)", old(i)),
                    format!("CAST({} AS text)", new(i)),
                )
            } else {
                (old(i), new(i))
            }
        })
        .collect();
    if writes.row_differs == RowDiffers::ExceptExists {
        let (a, b): (Vec<String>, Vec<String>) = pairs.into_iter().unzip();
        return format!(
            "EXISTS (SELECT {} EXCEPT SELECT {})",
            a.join(", "),
            b.join(", ")
        );
    }
    let mut out = String::with_capacity(48 * cols.len());
    for (n, (a, b)) in pairs.iter().enumerate() {
        if n > 0 {
            out.push_str(" OR ");
        }
        out.push_str(&writes.null_safe.distinct(a, b));
    }
    out
}

/// The column's declared type is one the dialect cannot compare with `=`.
fn incomparable(ctx: &Ctx, target: &Target, i: usize) -> bool {
    let list = ctx.caps.writes.incomparable;
    if list.is_empty() {
        return false;
    }
    let folding = ctx.caps.names.folding;
    let Some(ty) = target
        .table
        .and_then(|t| t.column(target.cols[i].name, folding))
        .and_then(|c| c.data_type.as_deref())
    else {
        return false;
    };
    let ty = ty.trim().trim_end_matches("[]").to_ascii_lowercase();
    let base = ty.rsplit('.').next().unwrap_or(&ty).trim_matches('"');
    list.contains(&base)
}
