//! Repeated keys in one VALUES batch: refused (`IDEM004`), or one row kept per key with
//! `dedupe first|last`. ON CONFLICT DO NOTHING and ON DUPLICATE KEY UPDATE apply rows one by
//! one and tolerate repeats; MERGE and DO UPDATE fail or pick a row at random.

use std::collections::HashMap;

use super::form::Chosen;
use super::{Ctx, Refusal};
use crate::insert::{InsertModel, Row, Source};
use crate::rules::duplicate_key_in_batch;
use crate::settings::options::Dedupe;

/// The rows to keep (`None`: all of them), or the refusal of a repeated key.
pub(super) fn rows(
    ctx: &Ctx,
    model: &InsertModel,
    key: &[usize],
    form: &Chosen,
) -> Result<Option<Vec<usize>>, Refusal> {
    let Source::Values { rows, .. } = &model.source else {
        return Ok(None);
    };
    if rows.len() < 2 {
        return Ok(None);
    }
    let Some(groups) = key_groups(rows, key) else {
        // A key computed by an expression: duplicates cannot be told.
        return Ok(None);
    };
    let Some((first, second)) = first_repeat(&groups) else {
        return Ok(None);
    };
    let mode = ctx.directives.dedupe.or(ctx.options.dedupe);
    let tolerated = matches!(
        form,
        Chosen::OnConflict { ignore: true } | Chosen::DuplicateKey { .. }
    );
    match mode {
        None if tolerated => Ok(None),
        Some(m) => {
            let mut keep: Vec<usize> = groups
                .iter()
                .map(|members| match m {
                    Dedupe::First => members[0],
                    Dedupe::Last => members[members.len() - 1],
                })
                .collect();
            keep.sort_unstable();
            Ok(Some(keep))
        }
        None => {
            let r = &rows[second];
            Err(Box::new(duplicate_key_in_batch::repeated(
                model.input_span((r.start, r.end)),
                first + 1,
            )))
        }
    }
}

/// The rows grouped by key, groups in order of first appearance; `None` when a key value is
/// not a constant.
fn key_groups(rows: &[Row], key: &[usize]) -> Option<Vec<Vec<usize>>> {
    let mut first_at: HashMap<Vec<String>, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (ri, r) in rows.iter().enumerate() {
        let k: Vec<String> = key
            .iter()
            .map(|&i| r.value(i).and_then(|v| v.canonical()))
            .collect::<Option<_>>()?;
        match first_at.get(&k) {
            Some(&g) => groups[g].push(ri),
            None => {
                first_at.insert(k, groups.len());
                groups.push(vec![ri]);
            }
        }
    }
    Some(groups)
}

/// The earliest row that repeats a key, with the first row of that key.
fn first_repeat(groups: &[Vec<usize>]) -> Option<(usize, usize)> {
    groups
        .iter()
        .filter_map(|g| g.get(1).map(|&second| (g[0], second)))
        .min_by_key(|&(_, second)| second)
}
