//! `IDEM027 incremental-model-appends`: a dbt incremental model that appends, so a rerun of
//! the same interval inserts its rows again; and `unique_key` columns the model may make NULL.

use super::{Finding, Rule, code};
use crate::diagnostic::Severity;

const FIX: &str = "give the model a `unique_key` (with `incremental_strategy='merge'` or \
    `'delete+insert'`, or the adapter's default), or replace what it writes: \
    `incremental_strategy='insert_overwrite'` (with `partition_by`) or `'microbatch'` (with \
    `event_time`); `append` is only safe when the model's filter can never select a row twice";

/// The incremental model whose config is at `start..end` appends on a rerun.
pub(crate) fn appends(start: usize, end: usize, strategy: Option<&str>) -> Finding {
    let how = match strategy {
        Some("append") => "its strategy is `append`".to_string(),
        Some(s) => format!("it has no `unique_key`, and {} without one appends", code(s)),
        None => "it has no `unique_key`, so the adapter's default strategy appends".to_string(),
    };
    Finding::new(
        Rule::IncrementalModelAppends,
        start,
        end,
        format!(
            "incremental dbt model is not rerun-safe: {how}; a rerun of the same interval \
             inserts its rows again"
        ),
    )
    .help(FIX)
}

/// The `unique_key` column `key` of the model whose config is at `start..end` may be NULL.
pub(crate) fn nullable_key(start: usize, end: usize, key: &str) -> Finding {
    Finding::new(
        Rule::IncrementalModelAppends,
        start,
        end,
        format!(
            "`unique_key` column {} may be NULL in the model's SELECT (an outer join, NULL, \
             NULLIF or CASE without ELSE): NULL never matches, so such rows are inserted again \
             on every run",
            code(key)
        ),
    )
    .help("make the key NOT NULL in the model (filter or COALESCE it), or choose a key that is")
    .severity(Severity::Warning)
}
