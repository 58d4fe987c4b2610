//! Where a statement's key and partition columns come from, most specific first: a directive
//! on the statement, then options naming the table, then the table's DDL, then (keys only)
//! the default key.

use std::collections::BTreeMap;

use super::Ctx;
use crate::catalog::Table;
use crate::insert::InsertModel;
use crate::names::{Name, parse_qualified, same_table};

/// The key's column names and which source gave them ("the directive", "the options", ...).
/// A source whose names cannot be read gives no key.
pub(super) fn key_names(
    ctx: &Ctx,
    model: &InsertModel,
    table: Option<&Table>,
) -> Option<(Vec<Name>, &'static str)> {
    let (names, source) = if let Some(k) = &ctx.directives.key {
        (parse_cols(k, ctx), "the directive")
    } else if let Some(k) = option_for(&ctx.options.keys, &model.table, ctx) {
        (parse_cols(k, ctx), "the options")
    } else if let Some(k) = table.and_then(Table::key) {
        (Some(k.to_vec()), "the table's DDL")
    } else if !ctx.options.default_key.is_empty() {
        (parse_cols(&ctx.options.default_key, ctx), "the default key")
    } else {
        (None, "")
    };
    names.map(|n| (n, source))
}

/// The partition column names.
pub(super) fn partition_names(
    ctx: &Ctx,
    model: &InsertModel,
    table: Option<&Table>,
) -> Option<Vec<Name>> {
    if let Some(p) = &ctx.directives.partition {
        parse_cols(p, ctx)
    } else if let Some(p) = option_for(&ctx.options.partitions, &model.table, ctx) {
        parse_cols(p, ctx)
    } else {
        table.and_then(|t| t.partition.clone())
    }
}

/// Parse the column names of an option or directive.
fn parse_cols(cols: &[String], ctx: &Ctx) -> Option<Vec<Name>> {
    cols.iter()
        .map(|c| {
            parse_qualified(c, ctx.dialect)
                .ok()
                .and_then(|p| p.last().cloned())
        })
        .collect()
}

/// The entry of `map` whose table name matches `table`: exact length first.
fn option_for<'m>(
    map: &'m BTreeMap<String, Vec<String>>,
    table: &[Name],
    ctx: &Ctx,
) -> Option<&'m Vec<String>> {
    let folding = ctx.caps.names.folding;
    let mut best: Option<(usize, &Vec<String>)> = None;
    for (name, cols) in map {
        let Ok(parts) = parse_qualified(name, ctx.dialect) else {
            continue;
        };
        if same_table(&parts, table, folding) {
            let exact = usize::from(parts.len() == table.len());
            if best.is_none_or(|(b, _)| exact > b) {
                best = Some((exact, cols));
            }
        }
    }
    best.map(|(_, c)| c)
}
