//! dbt models: the `{{ config(...) }}` of an incremental model, read from the template.
//!
//! A dbt model is a SELECT that dbt wraps in its own DDL and DML; how a rerun behaves is
//! decided by the config: `materialized='incremental'` with the `append` strategy (the
//! default of dbt-postgres, dbt-redshift and dbt-spark when no `unique_key` is given, and what
//! `merge` and `delete+insert` do without one) inserts the new rows again on every rerun of the
//! same interval. `unique_key` columns that the model's SELECT may make NULL (the outer side of
//! a LEFT JOIN, `NULL`, `NULLIF`, a `CASE` without `ELSE`) never match on the rerun, so the row
//! is inserted again.
//!
//! Only the config call's keyword arguments are read (string and list-of-string values); a
//! project-wide config in `dbt_project.yml` is not seen, so a model without a config call is
//! left alone.

use sqlparser::ast::{Expr, JoinOperator, SelectItem, SetExpr, Statement, TableFactor};

use crate::rules::Finding;
use crate::rules::incremental_model_appends as rule;

/// The arguments of a `config(...)` call that decide how a rerun behaves.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Config {
    pub materialized: Option<String>,
    pub unique_key: Vec<String>,
    pub strategy: Option<String>,
}

/// The strategies that replace what they write, with or without a `unique_key`.
const REPLACING: &[&str] = &["insert_overwrite", "microbatch", "replace_where"];

/// `text` (a `{{ ... }}` expression) as a config call, if it is one.
pub(crate) fn config(text: &str) -> Option<Config> {
    let inner = text
        .strip_prefix("{{")?
        .strip_suffix("}}")?
        .trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
    let args = inner
        .strip_prefix("config")?
        .trim_start()
        .strip_prefix('(')?;
    let args = args.strip_suffix(')')?;
    let mut out = Config::default();
    for (key, value) in keyword_args(args) {
        match key.as_str() {
            "materialized" => out.materialized = strings(&value).into_iter().next(),
            "unique_key" => out.unique_key = strings(&value),
            "incremental_strategy" => out.strategy = strings(&value).into_iter().next(),
            _ => {}
        }
    }
    Some(out)
}

/// `key=value` pairs at depth 0 of a Python-like argument list.
fn keyword_args(args: &str) -> Vec<(String, String)> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0);
    for (i, c) in args.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(&args[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&args[start..]);
    parts
        .into_iter()
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            Some((k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

/// The quoted strings of a value: `'id'` or `['a', "b"]`.
fn strings(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\'' || c == '"' {
            out.push(chars.by_ref().take_while(|d| *d != c).collect());
        }
    }
    out
}

/// What a rerun of the model at `start..end` (the config call) does wrong, if anything;
/// `model` is its SELECT, when it could be read.
pub(crate) fn findings(
    cfg: &Config,
    start: usize,
    end: usize,
    model: Option<&Statement>,
) -> Vec<Finding> {
    if cfg.materialized.as_deref() != Some("incremental") {
        return Vec::new();
    }
    let strategy = cfg.strategy.as_deref();
    if strategy.is_some_and(|s| REPLACING.contains(&s)) {
        return Vec::new();
    }
    if cfg.unique_key.is_empty() || strategy == Some("append") {
        return vec![rule::appends(start, end, strategy)];
    }
    let Some(Statement::Query(q)) = model else {
        return Vec::new();
    };
    let SetExpr::Select(select) = q.body.as_ref() else {
        return Vec::new();
    };
    let outer = nullable_tables(select);
    cfg.unique_key
        .iter()
        .filter(|k| {
            select.projection.iter().any(|item| {
                let (name, expr) = match item {
                    SelectItem::ExprWithAlias { expr, alias } => (alias.value.as_str(), expr),
                    SelectItem::UnnamedExpr(e) => match e {
                        Expr::Identifier(i) => (i.value.as_str(), e),
                        Expr::CompoundIdentifier(p) => {
                            (p.last().map_or("", |i| i.value.as_str()), e)
                        }
                        _ => return false,
                    },
                    _ => return false,
                };
                name.eq_ignore_ascii_case(k) && may_be_null(expr, &outer)
            })
        })
        .map(|k| rule::nullable_key(start, end, k))
        .collect()
}

/// The names (aliases) of the tables on the outer side of a join: their columns may be NULL.
fn nullable_tables(select: &sqlparser::ast::Select) -> Vec<String> {
    let name = |t: &TableFactor| match t {
        TableFactor::Table { name, alias, .. } => Some(alias.as_ref().map_or_else(
            || name.0.last().map(|p| p.to_string()).unwrap_or_default(),
            |a| a.name.value.clone(),
        )),
        _ => None,
    };
    let mut out = Vec::new();
    for t in &select.from {
        for j in &t.joins {
            match &j.join_operator {
                JoinOperator::Left(_) | JoinOperator::LeftOuter(_) => out.extend(name(&j.relation)),
                JoinOperator::Right(_) | JoinOperator::RightOuter(_) => {
                    out.extend(name(&t.relation))
                }
                JoinOperator::FullOuter(_) => {
                    out.extend(name(&j.relation));
                    out.extend(name(&t.relation));
                }
                _ => {}
            }
        }
    }
    out
}

fn may_be_null(expr: &Expr, outer: &[String]) -> bool {
    match expr {
        Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
            let table = &parts[parts.len() - 2].value;
            outer.iter().any(|o| o.eq_ignore_ascii_case(table))
        }
        Expr::Case { else_result, .. } => else_result.is_none(),
        Expr::Function(f) => f.name.to_string().eq_ignore_ascii_case("nullif"),
        Expr::Nested(e) | Expr::Cast { expr: e, .. } => may_be_null(e, outer),
        e => crate::ast::exprs::is_null(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_config_call() {
        let c = config(
            "{{ config(materialized='incremental', unique_key=['a', \"b\"], \
             incremental_strategy='merge', on_schema_change='fail') }}",
        )
        .unwrap();
        assert_eq!(c.materialized.as_deref(), Some("incremental"));
        assert_eq!(c.unique_key, ["a", "b"]);
        assert_eq!(c.strategy.as_deref(), Some("merge"));
        assert!(config("{{- config(materialized = \"table\") -}}").is_some());
        assert_eq!(config("{{ ref('x') }}"), None);
    }
}
