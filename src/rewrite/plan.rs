//! Deciding how to rewrite one INSERT, and refusing what cannot be made safe.
//!
//! The most specific source wins, for keys and partitions alike: a directive on the statement,
//! then options naming the table (CLI flags over `idemsql.toml`, merged by the adapter), then
//! the table's DDL (in the input or `schema`), then the default key.

use std::collections::HashMap;

use sqlparser::ast::{SelectItem, SetExpr};

use crate::catalog::Table;
use crate::dialect::{IgnoreForm, OverwriteForm, UpsertForm};
use crate::names::{Name, parse_qualified, same_table};
use crate::rewrite::Ctx;
use crate::rewrite::exprs::{self, Pinned};
use crate::rewrite::model::{InsertModel, Source};
use crate::rules::{Finding, Rule};
use crate::settings::options::{Dedupe, Strategy};

/// One inserted column: its name and how to write it (borrowed from the statement or the DDL).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col<'a> {
    pub name: &'a Name,
    pub text: &'a str,
}

/// The SQL form a statement becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    OnConflict {
        ignore: bool,
    },
    DuplicateKey {
        ignore: bool,
    },
    Merge {
        insert_only: bool,
    },
    NotExists,
    Overwrite(OverwriteForm),
    /// Delete the incoming keys, then insert (in the columns `partition` of the plan).
    KeyDeleteInsert,
}

/// The partitions an overwrite replaces.
#[derive(Debug, Clone)]
pub(crate) enum Partitions {
    /// Distinct tuples of constant texts, one value per partition column; `None` is SQL NULL.
    Tuples(Vec<Vec<Option<String>>>),
    /// `col BETWEEN lo AND hi` (one partition column).
    Range(String, String),
    /// The one column's values are those the statement's query selects for it.
    FromQuery,
}

/// Everything decided about one INSERT.
#[derive(Debug, Clone)]
pub(crate) struct Plan<'a> {
    pub form: Form,
    pub cols: Vec<Col<'a>>,
    /// Indices into `cols`.
    pub key: Vec<usize>,
    /// Per key column: compare NULL-safely.
    pub null_safe: Vec<bool>,
    /// Indices into `cols`.
    pub partition: Vec<usize>,
    pub partitions: Option<Partitions>,
    /// The VALUES rows to keep (all of them unless deduplicated).
    pub rows: Option<Vec<usize>>,
    /// Warnings to report with the rewrite.
    pub notes: Vec<Finding>,
    /// The `WHERE` of the partial unique index the key is (for `ON CONFLICT (k) WHERE ...`).
    pub conflict_predicate: Option<String>,
    pub table: Option<&'a Table>,
}

impl Plan<'_> {
    /// Columns that are not part of the key, in insert order.
    pub fn non_key(&self) -> Vec<usize> {
        (0..self.cols.len())
            .filter(|i| !self.key.contains(i))
            .collect()
    }
}

fn stmt_finding(model: &InsertModel, rule: Rule, message: String) -> Finding {
    Finding::new(
        rule,
        model.base + model.insert_start,
        model.base + model.text.len(),
        message,
    )
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

/// Find the entry of `map` whose table name matches `table`: exact length first.
fn option_for<'m>(
    map: &'m std::collections::BTreeMap<String, Vec<String>>,
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

/// Decide the plan, or push the findings that refuse it and return `None`.
pub(crate) fn plan<'a>(
    ctx: &Ctx<'a>,
    model: &'a InsertModel,
    findings: &mut Vec<Finding>,
) -> Option<Plan<'a>> {
    let folding = ctx.caps.names.folding;
    let table = ctx.catalog.lookup(&model.table);
    let table_text = model.table_text();

    // Columns: the statement's list, else the schema's.
    let cols: Vec<Col> = if !model.columns.is_empty() {
        model
            .columns
            .iter()
            .map(|c| Col {
                name: &c.name,
                text: &c.text,
            })
            .collect()
    } else if let Some(t) = table.filter(|t| !t.columns.is_empty()) {
        t.columns
            .iter()
            .map(|c| Col {
                name: &c.name,
                text: c.sql(),
            })
            .collect()
    } else {
        findings.push(
            stmt_finding(
                model,
                Rule::UnknownColumns,
                format!("`INSERT INTO {table_text}` lists no columns and no DDL for `{table_text}` is known"),
            )
            .help(format!(
                "list the columns (`INSERT INTO {table_text} (col, ...)`), or give the table's CREATE TABLE with --schema"
            )),
        );
        return None;
    };
    if let Source::Values { rows, .. } = &model.source {
        if let Some(r) = rows.iter().find(|r| r.values.len() != cols.len()) {
            findings.push(
                Finding::new(
                    Rule::UnknownColumns,
                    model.base + r.start,
                    model.base + r.end,
                    format!(
                        "this row has {} values but {} columns are inserted",
                        r.values.len(),
                        cols.len()
                    ),
                )
                .help("give each row one value per column"),
            );
            return None;
        }
    }
    let index_of = |n: &Name| cols.iter().position(|c| c.name.same(n, folding));

    // Key and partition, most specific source first.
    let (key_names, key_source): (Option<Vec<Name>>, &str) = if let Some(k) = &ctx.directives.key {
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
    let part_names: Option<Vec<Name>> = if let Some(p) = &ctx.directives.partition {
        parse_cols(p, ctx)
    } else if let Some(p) = option_for(&ctx.options.partitions, &model.table, ctx) {
        parse_cols(p, ctx)
    } else {
        table.and_then(|t| t.partition.clone())
    };

    let requested = ctx.directives.strategy.unwrap_or(ctx.options.strategy);
    let strategy = match requested {
        Strategy::Auto if part_names.is_some() && key_names.is_none() => Strategy::Overwrite,
        Strategy::Auto => Strategy::Upsert,
        s => s,
    };

    if strategy == Strategy::Overwrite {
        return plan_overwrite(ctx, model, findings, cols, part_names, table);
    }

    let Some(key_names) = key_names else {
        findings.push(
            stmt_finding(
                model,
                Rule::MissingKey,
                format!("no key is known for `{table_text}`, so a rerun cannot recognise the rows it already wrote"),
            )
            .help(format!(
                "add `-- idemsql: key(<column>)` before the statement, pass `--key {table_text}=<column>`, add it under [keys] in idemsql.toml, or give the table's PRIMARY KEY with --schema"
            )),
        );
        return None;
    };
    let mut key = Vec::new();
    for k in &key_names {
        match index_of(k) {
            Some(i) if !key.contains(&i) => key.push(i),
            Some(_) => {}
            None => {
                findings.push(
                    stmt_finding(
                        model,
                        Rule::KeyNotInserted,
                        format!(
                            "key column `{}` (from {key_source}) is not among the inserted columns",
                            k.value
                        ),
                    )
                    .help(format!(
                        "insert `{}` explicitly, or name a key the statement writes: `-- idemsql: key(<column>)`",
                        k.value
                    )),
                );
                return None;
            }
        }
    }
    if key.is_empty() {
        findings.push(stmt_finding(
            model,
            Rule::MissingKey,
            format!("the key for `{table_text}` lists no columns"),
        ));
        return None;
    }

    let form = match choose_form(ctx, strategy, key.len() == cols.len()) {
        Ok(f) => f,
        Err(message) => {
            findings.push(stmt_finding(model, Rule::UnsupportedForm, message.0).help(message.1));
            return None;
        }
    };

    if !check_volatile(ctx, model, &cols, &key, "key", findings) {
        return None;
    }

    // ON CONFLICT and ON DUPLICATE KEY act only on a unique constraint: with the table's DDL at
    // hand, the key must be one (PostgreSQL errors, MySQL silently inserts duplicates).
    let mut conflict_predicate = None;
    if let (Form::OnConflict { .. } | Form::DuplicateKey { .. }, Some(t)) =
        (form, table.filter(|t| !t.columns.is_empty()))
    {
        let key_names: Vec<&Name> = key.iter().map(|&i| cols[i].name).collect();
        match t.unique_matching(&key_names, folding) {
            Some(pred) => conflict_predicate = pred.map(str::to_string),
            None => {
                let shown = key_names
                    .iter()
                    .map(|n| n.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                findings.push(
                    stmt_finding(
                        model,
                        Rule::KeyNotUnique,
                        format!(
                            "({shown}) is not the primary key or a unique constraint of `{table_text}` in its DDL, so the upsert cannot detect existing rows by it"
                        ),
                    )
                    .help(format!(
                        "add `UNIQUE ({shown})` (or the index) to the table, or use --strategy merge, which compares the key itself"
                    )),
                );
                return None;
            }
        }
    }

    // NULL keys: a literal NULL never matches in ON CONFLICT / ODKU; MERGE and NOT EXISTS can
    // compare NULL-safely.
    let uses_predicate = matches!(
        form,
        Form::Merge { .. } | Form::NotExists | Form::KeyDeleteInsert
    );
    let literal_null = |ki: usize| -> Option<(usize, usize)> {
        if let Source::Values { rows, .. } = &model.source {
            for r in rows {
                if r.expr(ki).is_some_and(exprs::is_null) {
                    return r.values.get(ki).copied();
                }
            }
        }
        None
    };
    // Warnings that matter only if the statement is rewritten.
    let mut notes = Vec::new();
    let mut null_safe = Vec::new();
    for &ki in &key {
        let col = &cols[ki];
        let declared = table.and_then(|t| t.nullable(col.name, folding));
        let asked = ctx.options.null_safe || ctx.directives.null_safe;
        let null_at = literal_null(ki);
        if let Some((s, e)) = null_at {
            if !uses_predicate {
                findings.push(
                    Finding::new(
                        Rule::NullableKey,
                        model.base + s,
                        model.base + e,
                        format!(
                            "key column `{}` is NULL here; NULL never conflicts, so every rerun inserts this row again",
                            col.name.value
                        ),
                    )
                    .severity(crate::Severity::Error)
                    .help("give the row a key value, or use `-- idemsql: strategy(merge) null-safe` where the dialect has MERGE"),
                );
                return None;
            }
        }
        let safe = uses_predicate && (asked || declared == Some(true) || null_at.is_some());
        if uses_predicate && !safe && declared.is_none() {
            notes.push(
                stmt_finding(
                    model,
                    Rule::NullableKey,
                    format!(
                        "key column `{}` may be NULL (no DDL says NOT NULL); a NULL key never equals NULL, so such rows are inserted again on every rerun",
                        col.name.value
                    ),
                )
                .help("pass --null-safe (or `-- idemsql: null-safe`) to compare keys NULL-safely, or declare the column NOT NULL"),
            );
        }
        if !uses_predicate && declared == Some(true) && matches!(model.source, Source::Query(_)) {
            notes.push(
                stmt_finding(
                    model,
                    Rule::NullableKey,
                    format!(
                        "key column `{}` is nullable; rows whose key is NULL never conflict and are inserted again on every rerun",
                        col.name.value
                    ),
                )
                .help("declare the key NOT NULL, or filter NULL keys out of the SELECT"),
            );
        }
        null_safe.push(safe);
    }

    // MySQL's ON DUPLICATE KEY UPDATE fires on any unique key.
    if matches!(form, Form::DuplicateKey { .. }) && table.is_some_and(|t| t.unique_key_count() > 1)
    {
        notes.push(
            stmt_finding(
                model,
                Rule::AmbiguousConflictTarget,
                format!("`{table_text}` has more than one unique key; ON DUPLICATE KEY UPDATE fires on whichever one collides"),
            )
            .help("make sure the other unique keys cannot collide, or drop them"),
        );
    }

    let rows = match dedupe(ctx, model, &cols, &key, form, findings) {
        Ok(r) => r,
        Err(()) => return None,
    };

    // Delete-then-insert by key: the keys to delete come from the rows, or from the query.
    let (partition, partitions) = if form == Form::KeyDeleteInsert {
        let p = match &model.source {
            Source::Values { .. } => partition_values(ctx, model, &cols, &key, findings)?,
            Source::Query(_) if key.len() == 1 => Partitions::FromQuery,
            Source::Query(_) => {
                findings.push(
                    stmt_finding(
                        model,
                        Rule::UnsupportedForm,
                        format!(
                            "{} upserts by deleting the incoming keys first, and a query's composite keys cannot be listed in one DELETE",
                            ctx.dialect
                        ),
                    )
                    .help("load the query into a staging table and MERGE from it, or use a single-column key"),
                );
                return None;
            }
        };
        (key.clone(), Some(p))
    } else {
        (Vec::new(), None)
    };

    Some(Plan {
        form,
        cols,
        key,
        null_safe,
        partition,
        partitions,
        rows,
        notes,
        conflict_predicate,
        table,
    })
}

type Refusal = (String, String);

fn choose_form(ctx: &Ctx, strategy: Strategy, all_key: bool) -> Result<Form, Refusal> {
    let d = ctx.dialect;
    let merge_form = |insert_only: bool| -> Result<Form, Refusal> {
        match ctx.caps.merge {
            Some(m) if insert_only && !m.insert_only_allowed => Ok(Form::NotExists),
            Some(_) => Ok(Form::Merge { insert_only }),
            None => Err((
                format!("{d} has no MERGE statement"),
                format!("use --strategy upsert or ignore, which {d} writes natively"),
            )),
        }
    };
    let ignore_form = || -> Result<Form, Refusal> {
        match ctx.caps.writes.ignore {
            IgnoreForm::OnConflictDoNothing => Ok(Form::OnConflict { ignore: true }),
            IgnoreForm::DuplicateKeyNoop => Ok(Form::DuplicateKey { ignore: true }),
            IgnoreForm::MergeInsertOnly => merge_form(true),
            IgnoreForm::NotExists => Ok(Form::NotExists),
        }
    };
    match strategy {
        Strategy::Ignore => ignore_form(),
        // With every column in the key there is nothing to update: upsert is insert-if-absent.
        Strategy::Upsert | Strategy::Merge if all_key => match strategy {
            Strategy::Merge => merge_form(true),
            _ => ignore_form(),
        },
        Strategy::Merge => merge_form(false),
        Strategy::Upsert | Strategy::Auto | Strategy::Overwrite => match ctx.caps.writes.upsert {
            UpsertForm::OnConflict => Ok(Form::OnConflict { ignore: false }),
            UpsertForm::DuplicateKeyRowAlias | UpsertForm::DuplicateKeyValueFn => {
                Ok(Form::DuplicateKey { ignore: false })
            }
            UpsertForm::Merge => merge_form(false),
            UpsertForm::DeleteInsert => Ok(Form::KeyDeleteInsert),
            UpsertForm::None => Err((
                format!("{d} has no upsert: rows cannot be updated in place by key"),
                "use --strategy ignore (insert the rows that are missing) or overwrite (replace whole partitions); for last-write-wins, a ReplacingMergeTree table".to_string(),
            )),
        },
    }
}

/// Report volatile values in the `which` (key or partition) columns. Returns false if any.
fn check_volatile(
    _ctx: &Ctx,
    model: &InsertModel,
    cols: &[Col],
    idx: &[usize],
    which: &str,
    findings: &mut Vec<Finding>,
) -> bool {
    let report = |findings: &mut Vec<Finding>,
                  range: Option<(usize, usize)>,
                  col: &Col,
                  f: String| {
        let (s, e) = range.unwrap_or((model.insert_start, model.text.len()));
        findings.push(
            Finding::new(
                Rule::VolatileKey,
                model.base + s,
                model.base + e,
                format!(
                    "{which} column `{}` gets `{f}`, which differs on every run, so a rerun writes new rows",
                    col.name.value
                ),
            )
            .help(format!("compute the {which} from the data (a natural key), or write a fixed value")),
        );
    };
    match &model.source {
        Source::Values { rows, .. } => {
            for r in rows {
                for &i in idx {
                    if let Some(f) = r.expr(i).and_then(exprs::volatile_call) {
                        report(findings, r.values.get(i).copied(), &cols[i], f);
                        return false;
                    }
                }
            }
        }
        Source::Query(q) => {
            for sel in select_arms(&q.body) {
                for &i in idx {
                    let item = sel.projection.get(i);
                    let expr = match item {
                        Some(SelectItem::UnnamedExpr(e))
                        | Some(SelectItem::ExprWithAlias { expr: e, .. }) => e,
                        _ => continue,
                    };
                    if let Some(f) = exprs::volatile_call(expr) {
                        report(findings, model.node_range(expr), &cols[i], f);
                        return false;
                    }
                }
            }
        }
    }
    true
}

/// Every SELECT arm of a query body (`a UNION b` gives both).
pub(crate) fn select_arms(body: &SetExpr) -> Vec<&sqlparser::ast::Select> {
    match body {
        SetExpr::Select(s) => vec![s],
        SetExpr::SetOperation { left, right, .. } => {
            let mut v = select_arms(left);
            v.extend(select_arms(right));
            v
        }
        SetExpr::Query(q) => select_arms(&q.body),
        _ => Vec::new(),
    }
}

/// Find repeated keys in a VALUES batch; refuse, or keep one row per key with `dedupe`.
fn dedupe(
    ctx: &Ctx,
    model: &InsertModel,
    _cols: &[Col],
    key: &[usize],
    form: Form,
    findings: &mut Vec<Finding>,
) -> Result<Option<Vec<usize>>, ()> {
    let Source::Values { rows, .. } = &model.source else {
        return Ok(None);
    };
    if rows.len() < 2 {
        return Ok(None);
    }
    let mut first_at: HashMap<Vec<String>, usize> = HashMap::new();
    let mut dup: Option<(usize, usize)> = None;
    let mut groups: Vec<(Vec<String>, Vec<usize>)> = Vec::new();
    for (ri, r) in rows.iter().enumerate() {
        let k: Option<Vec<String>> = key
            .iter()
            .map(|&i| r.expr(i).and_then(exprs::canonical))
            .collect();
        let Some(k) = k else {
            // A key computed by an expression: duplicates cannot be told.
            return Ok(None);
        };
        match first_at.get(&k) {
            Some(&g) => {
                dup.get_or_insert((groups[g].1[0], ri));
                groups[g].1.push(ri);
            }
            None => {
                first_at.insert(k.clone(), groups.len());
                groups.push((k, vec![ri]));
            }
        }
    }
    let Some((first, second)) = dup else {
        return Ok(None);
    };
    let mode = ctx.directives.dedupe.or(ctx.options.dedupe);
    // ON CONFLICT DO NOTHING and ODKU apply rows one by one; MERGE and DO UPDATE fail or pick at random.
    let tolerated = matches!(
        form,
        Form::OnConflict { ignore: true } | Form::DuplicateKey { .. }
    ) && mode.is_none();
    if tolerated {
        return Ok(None);
    }
    match mode {
        Some(m) => {
            let mut keep: Vec<usize> = groups
                .iter()
                .map(|(_, members)| match m {
                    Dedupe::First => members[0],
                    Dedupe::Last => members[members.len() - 1],
                })
                .collect();
            keep.sort_unstable();
            Ok(Some(keep))
        }
        None => {
            let r = &rows[second];
            findings.push(
                Finding::new(
                    Rule::DuplicateKeyInBatch,
                    model.base + r.start,
                    model.base + r.end,
                    format!(
                        "this row repeats the key of row {} in the same batch; the upsert would fail (\"cannot affect row a second time\") or keep either row",
                        first + 1
                    ),
                )
                .help("remove the duplicate, or pass --dedupe last (or first) to keep one row per key"),
            );
            Err(())
        }
    }
}

fn plan_overwrite<'a>(
    ctx: &Ctx<'a>,
    model: &'a InsertModel,
    findings: &mut Vec<Finding>,
    cols: Vec<Col<'a>>,
    part_names: Option<Vec<Name>>,
    table: Option<&'a Table>,
) -> Option<Plan<'a>> {
    let folding = ctx.caps.names.folding;
    let table_text = model.table_text();
    let Some(part_names) = part_names else {
        findings.push(
            stmt_finding(
                model,
                Rule::MissingKey,
                format!("no partition column is known for `{table_text}`, so an overwrite cannot tell which rows to replace"),
            )
            .help(format!(
                "add `-- idemsql: partition(<column>)` before the statement, pass `--partition {table_text}=<column>`, or give the table's PARTITION BY with --schema"
            )),
        );
        return None;
    };
    let mut partition = Vec::new();
    for p in &part_names {
        match cols.iter().position(|c| c.name.same(p, folding)) {
            Some(i) => partition.push(i),
            None => {
                findings.push(
                    stmt_finding(
                        model,
                        Rule::KeyNotInserted,
                        format!("partition column `{}` is not among the inserted columns", p.value),
                    )
                    .help("insert the partition column, so idemsql can tell which partitions the statement writes"),
                );
                return None;
            }
        }
    }
    if !check_volatile(ctx, model, &cols, &partition, "partition", findings) {
        return None;
    }
    let partitions = partition_values(ctx, model, &cols, &partition, findings)?;
    Some(Plan {
        form: Form::Overwrite(ctx.caps.writes.overwrite),
        cols,
        key: Vec::new(),
        null_safe: Vec::new(),
        partition,
        partitions: Some(partitions),
        rows: None,
        notes: Vec::new(),
        conflict_predicate: None,
        table,
    })
}

/// The partitions a statement writes, read from its rows or its SELECT; checked against
/// the partition values the options or directive declare.
fn partition_values(
    ctx: &Ctx,
    model: &InsertModel,
    cols: &[Col],
    partition: &[usize],
    findings: &mut Vec<Finding>,
) -> Option<Partitions> {
    let folding = ctx.caps.names.folding;
    // Declared values, per partition column (canonical texts).
    let mut declared: Vec<Option<Vec<String>>> = vec![None; partition.len()];
    for (pi, &ci) in partition.iter().enumerate() {
        let name = &cols[ci].name;
        let mut vals: Vec<String> = ctx
            .directives
            .partition_values
            .iter()
            .filter(|(c, _)| {
                parse_qualified(c, ctx.dialect)
                    .ok()
                    .and_then(|p| p.last().cloned())
                    .is_some_and(|n| n.same(name, folding))
            })
            .map(|(_, v)| v.clone())
            .collect();
        if vals.is_empty() {
            for (c, vs) in &ctx.options.partition_values {
                if parse_qualified(c, ctx.dialect)
                    .ok()
                    .and_then(|p| p.last().cloned())
                    .is_some_and(|n| n.same(name, folding))
                {
                    vals.extend(vs.iter().cloned());
                }
            }
        }
        if !vals.is_empty() {
            declared[pi] = Some(vals.iter().map(|v| canonical_text(ctx, v)).collect());
        }
    }

    let derived = match &model.source {
        Source::Values { rows, .. } => {
            let mut seen: Vec<Vec<Option<String>>> = Vec::new();
            let mut seen_keys: Vec<Vec<String>> = Vec::new();
            for r in rows {
                let mut tuple = Vec::new();
                let mut key = Vec::new();
                for &ci in partition {
                    let (Some(e), Some(&(s, en))) = (r.expr(ci), r.values.get(ci)) else {
                        return None;
                    };
                    let Some(c) = exprs::canonical(e) else {
                        findings.push(
                            Finding::new(
                                Rule::UnknownPartitionValues,
                                model.base + s,
                                model.base + en,
                                format!(
                                    "partition column `{}` gets an expression, so the partition it writes cannot be known before it runs",
                                    cols[ci].name.value
                                ),
                            )
                            .help("write the partition value as a literal"),
                        );
                        return None;
                    };
                    tuple.push((!exprs::is_null(e)).then(|| model.text[s..en].to_string()));
                    key.push(c);
                }
                if !seen_keys.contains(&key) {
                    seen_keys.push(key);
                    seen.push(tuple);
                }
            }
            // Every written value must be declared, when values are declared.
            for (pi, d) in declared.iter().enumerate() {
                if let Some(d) = d {
                    for k in &seen_keys {
                        if !d.contains(&k[pi]) {
                            findings.push(
                                stmt_finding(
                                    model,
                                    Rule::OverwriteOutsidePartition,
                                    format!(
                                        "the rows write partition values of `{}` that the declared partition values do not list",
                                        cols[partition[pi]].name.value
                                    ),
                                )
                                .help("declare every partition the statement writes, or remove the rows outside them"),
                            );
                            return None;
                        }
                    }
                }
            }
            Partitions::Tuples(seen)
        }
        Source::Query(q) => {
            let arms = select_arms(&q.body);
            let simple = matches!(q.body.as_ref(), SetExpr::Select(_));
            let Some(sel) = arms.first().filter(|_| simple) else {
                findings.push(
                    stmt_finding(
                        model,
                        Rule::OverwriteOutsidePartition,
                        "the SELECT is a set operation; idemsql cannot prove which partitions it writes".into(),
                    )
                    .help("overwrite one SELECT at a time, each with `WHERE <partition column> = <value>`"),
                );
                return None;
            };
            let mut tuple_values: Vec<Vec<Option<String>>> = Vec::new();
            let mut range: Option<(String, String)> = None;
            for (pi, &ci) in partition.iter().enumerate() {
                let item = sel.projection.get(ci);
                let expr = match item {
                    Some(SelectItem::UnnamedExpr(e))
                    | Some(SelectItem::ExprWithAlias { expr: e, .. }) => e,
                    _ => {
                        findings.push(outside(model, &cols[ci].name.value));
                        return None;
                    }
                };
                let texts: Vec<Option<String>> = if exprs::is_constant(expr) {
                    vec![(!exprs::is_null(expr)).then(|| expr.to_string())]
                } else if let Some(w) = sel.selection.as_ref() {
                    match exprs::pinned_item(expr, w, folding) {
                        Some(Pinned::Values(vs)) => {
                            let mut out = Vec::new();
                            for v in vs {
                                out.push((!exprs::is_null(v)).then(|| v.to_string()));
                            }
                            out
                        }
                        Some(Pinned::Range(lo, hi)) if partition.len() == 1 => {
                            range = Some((lo.to_string(), hi.to_string()));
                            Vec::new()
                        }
                        _ => {
                            findings.push(outside(model, &cols[ci].name.value));
                            return None;
                        }
                    }
                } else {
                    findings.push(outside(model, &cols[ci].name.value));
                    return None;
                };
                if let Some(d) = &declared[pi] {
                    let all_declared = texts
                        .iter()
                        .all(|t| d.contains(&canonical_text(ctx, t.as_deref().unwrap_or("NULL"))));
                    if range.is_some() || !all_declared {
                        findings.push(
                            stmt_finding(
                                model,
                                Rule::OverwriteOutsidePartition,
                                format!(
                                    "the SELECT writes values of `{}` that the declared partition values do not list",
                                    cols[ci].name.value
                                ),
                            )
                            .help("declare every partition the statement writes"),
                        );
                        return None;
                    }
                }
                tuple_values.push(texts);
            }
            if let Some((lo, hi)) = range {
                Partitions::Range(lo, hi)
            } else {
                // The cross product of each column's values.
                let mut tuples: Vec<Vec<Option<String>>> = vec![Vec::new()];
                for vals in tuple_values {
                    let mut next = Vec::new();
                    for t in &tuples {
                        for v in &vals {
                            let mut t2 = t.clone();
                            t2.push(v.clone());
                            next.push(t2);
                        }
                    }
                    tuples = next;
                }
                Partitions::Tuples(tuples)
            }
        }
    };
    Some(derived)
}

fn outside(model: &InsertModel, col: &str) -> Finding {
    stmt_finding(
        model,
        Rule::OverwriteOutsidePartition,
        format!(
            "idemsql cannot tell which `{col}` partitions this SELECT writes, so deleting them first could miss rows it inserts"
        ),
    )
    .help(format!(
        "select the partition column as written and filter it: `WHERE {col} = <value>` (or `IN (...)`, `BETWEEN ... AND ...`)"
    ))
}

/// The canonical form of a SQL literal written in an option or directive.
fn canonical_text(ctx: &Ctx, text: &str) -> String {
    let d = ctx.dialect.parser_dialect();
    sqlparser::parser::Parser::new(&*d)
        .try_with_sql(text)
        .and_then(|mut p| p.parse_expr())
        .ok()
        .and_then(|e| exprs::canonical(&e))
        .unwrap_or_else(|| text.trim().to_string())
}
