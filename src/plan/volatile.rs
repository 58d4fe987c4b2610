//! Key and partition values that differ on every run (`now()`, `random()`, a sequence): a
//! rerun would write new keys, so the rewrite is refused.

use super::{Col, Refusal};
use crate::ast::query::{projected, select_arms};
use crate::insert::{InsertModel, Source};
use crate::rules::volatile_key;

/// Refuse when one of the `which` ("key" or "partition") columns `idx` gets a volatile value.
pub(super) fn check(
    model: &InsertModel,
    cols: &[Col],
    idx: &[usize],
    which: &str,
) -> Result<(), Refusal> {
    let refuse = |range: Option<(usize, usize)>, col: &Col, call: String| {
        let range = range.unwrap_or((model.insert_start, model.text.len()));
        Err(Box::new(volatile_key::volatile(
            model.input_span(range),
            which,
            &col.name.value,
            &call,
        )))
    };
    match &model.source {
        Source::Values { rows, .. } => {
            for r in rows {
                for &i in idx {
                    if let Some(v) = r.value(i) {
                        if let Some(call) = v.volatile() {
                            return refuse(Some(v.range()), &cols[i], call);
                        }
                    }
                }
            }
        }
        Source::Query(q) => {
            for sel in select_arms(&q.body) {
                for &i in idx {
                    let Some(expr) = projected(sel, i) else {
                        continue;
                    };
                    if let Some(call) = crate::ast::exprs::volatile_call(expr) {
                        return refuse(model.node_range(expr), &cols[i], call);
                    }
                }
            }
        }
    }
    Ok(())
}
