//! "Delete, then insert": an INSERT whose rows an earlier DELETE (or TRUNCATE) of the same
//! table removes, in the same transaction, is already safe to rerun. This is how idemsql
//! recognises the overwrite form it writes itself, and the same pattern written by hand.

use std::collections::HashMap;

use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, CreateTable, Delete, Expr, FromTable, InTarget, ObjectName, SelectItem,
    SetExpr, Statement,
};

use crate::ast::exprs::{self, Pinned};
use crate::dialect::CaseFolding;
use crate::insert::{InsertModel, Source};
use crate::names::{Name, object_parts, same_table};

/// One condition on one column.
#[derive(Debug, Clone, PartialEq)]
enum Atom {
    /// The column holds one of these constants (canonical forms; `None` is NULL).
    Values(Name, Vec<Option<String>>),
    /// `col BETWEEN lo AND hi`, canonical forms.
    Between(Name, String, String),
    /// `col IN (SELECT ... FROM (<query>) ...)`: the column holds what `<query>` selects
    /// (the query's body, compared without its column aliases).
    InQuery(Name, String),
}

/// A query body's text without its column aliases: renaming the columns of a derived table
/// does not change which rows it yields. (Built from the parts, not from a clone of the tree.)
pub(crate) fn query_shape(body: &SetExpr) -> String {
    match body {
        SetExpr::Select(s) => {
            let items: Vec<String> = s
                .projection
                .iter()
                .map(|i| match i {
                    SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                        e.to_string()
                    }
                    other => other.to_string(),
                })
                .collect();
            let from: Vec<String> = s.from.iter().map(|t| t.to_string()).collect();
            format!(
                "SELECT {} {:?} FROM {} WHERE {} GROUP BY {} HAVING {} QUALIFY {}",
                items.join(", "),
                s.distinct.as_ref().map(|d| d.to_string()),
                from.join(", "),
                s.selection
                    .as_ref()
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
                s.group_by,
                s.having.as_ref().map(|e| e.to_string()).unwrap_or_default(),
                s.qualify
                    .as_ref()
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
            )
        }
        SetExpr::SetOperation {
            op,
            set_quantifier,
            left,
            right,
        } => format!(
            "({}) {op} {set_quantifier} ({})",
            query_shape(left),
            query_shape(right)
        ),
        SetExpr::Query(q) => query_shape(&q.body),
        other => other.to_string(),
    }
}

/// The rows of a table a DELETE removed.
#[derive(Debug, Clone)]
pub(crate) struct Cover {
    table: Vec<Name>,
    /// A disjunction of conjunctions; `None` means every row.
    disjuncts: Option<Vec<Vec<Atom>>>,
    /// `DELETE FROM t USING staging WHERE t.k = staging.k`: every row whose key the table
    /// `staging` holds.
    via: Option<Vec<Name>>,
}

const MAX_DISJUNCTS: usize = 256;

/// A `CREATE TABLE` as far as covers care: the table it makes, and whether it replaces
/// whatever was there.
#[derive(Debug, Clone)]
pub(crate) struct Created {
    pub table: Vec<Name>,
    /// `CREATE OR REPLACE TABLE`: the table is new on every run.
    pub or_replace: bool,
    /// The new table's rows come from the table itself (`CREATE OR REPLACE TABLE t AS SELECT
    /// ... FROM t`): it keeps what earlier runs wrote, so it is not new.
    pub reads_itself: bool,
}

impl Created {
    /// The table a `CREATE TABLE` statement makes.
    pub fn of(stmt: &Statement, folding: CaseFolding) -> Option<Self> {
        let Statement::CreateTable(ct) = stmt else {
            return None;
        };
        let table = object_parts(&ct.name);
        let reads_itself = reads_table(ct, &table, folding);
        Some(Created {
            table,
            or_replace: ct.or_replace,
            reads_itself,
        })
    }
}

/// Does the CREATE's query or CLONE source read `table`?
fn reads_table(ct: &CreateTable, table: &[Name], folding: CaseFolding) -> bool {
    let is_it = |n: &ObjectName| same_table(&object_parts(n), table, folding);
    if ct.clone.as_ref().is_some_and(is_it) {
        return true;
    }
    ct.query.as_ref().is_some_and(|q| {
        sqlparser::ast::visit_relations(q.as_ref(), |r| {
            if is_it(r) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .is_break()
    })
}

impl Cover {
    pub fn table(&self) -> &[Name] {
        &self.table
    }

    /// Does the cover depend on a parameter or variable (`@d`, `$1`, `:d`), whose value a
    /// `SET` can change before the INSERT?
    pub fn uses_parameter(&self) -> bool {
        let is_param = |v: &str| v.contains("p:");
        self.disjuncts.iter().flatten().flatten().any(|a| match a {
            Atom::Values(_, vs) => vs.iter().flatten().any(|v| is_param(v)),
            Atom::Between(_, lo, hi) => is_param(lo) || is_param(hi),
            Atom::InQuery(..) => true,
        })
    }

    /// Every row of `table` (TRUNCATE, or DELETE without WHERE).
    pub fn all(table: Vec<Name>) -> Self {
        Cover {
            table,
            disjuncts: None,
            via: None,
        }
    }

    /// What a DELETE removes, when its WHERE can be read as conditions on columns.
    pub fn from_delete(del: &Delete) -> Option<Self> {
        if del.limit.is_some() {
            return None;
        }
        let tables = match &del.from {
            FromTable::WithFromKeyword(t) | FromTable::WithoutKeyword(t) => t,
        };
        let [twj] = tables.as_slice() else {
            return None;
        };
        if !twj.joins.is_empty() {
            return None;
        }
        let sqlparser::ast::TableFactor::Table { name, .. } = &twj.relation else {
            return None;
        };
        let table = object_parts(name);
        if let Some(using) = &del.using {
            // The staged-upsert pattern: the WHERE joins the key to one staging table.
            let [staging] = using.as_slice() else {
                return None;
            };
            let sqlparser::ast::TableFactor::Table {
                name: sname, alias, ..
            } = &staging.relation
            else {
                return None;
            };
            let sparts = object_parts(sname);
            let squal = alias
                .as_ref()
                .map(|a| a.name.value.clone())
                .or_else(|| sparts.last().map(|n| n.value.clone()));
            let joins = del.selection.as_ref().is_some_and(|w| {
                exprs::conjuncts(w).iter().any(|c| match c {
                    Expr::BinaryOp {
                        left,
                        op: BinaryOperator::Eq,
                        right,
                    } => [left, right].iter().any(|side| {
                        exprs::column_ref(side).is_some_and(|(q, _)| q.is_some() && q == squal)
                    }),
                    _ => false,
                })
            });
            return joins.then_some(Cover {
                table,
                disjuncts: Some(Vec::new()),
                via: Some(sparts),
            });
        }
        match &del.selection {
            None => Some(Cover::all(table)),
            Some(w) => Some(Cover {
                table,
                disjuncts: Some(dnf(w)?),
                via: None,
            }),
        }
    }
}

/// A WHERE clause as a disjunction of conjunctions of atoms, when it is made of conditions
/// on columns idemsql can read.
fn dnf(e: &Expr) -> Option<Vec<Vec<Atom>>> {
    match e {
        Expr::Nested(inner) => dnf(inner),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Or,
            right,
        } => {
            let mut l = dnf(left)?;
            l.extend(dnf(right)?);
            (l.len() <= MAX_DISJUNCTS).then_some(l)
        }
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            let l = dnf(left)?;
            let r = dnf(right)?;
            if l.len() * r.len() > MAX_DISJUNCTS {
                return None;
            }
            let mut out = Vec::new();
            for a in &l {
                for b in &r {
                    let mut c = a.clone();
                    c.extend(b.iter().cloned());
                    out.push(c);
                }
            }
            Some(out)
        }
        leaf => atom(leaf).map(|a| vec![vec![a]]),
    }
}

/// One condition on one column: `c = v`, `c IN (...)`, `c IN (SELECT ... FROM (<query>))`,
/// `c IS NULL`, `c BETWEEN lo AND hi`.
fn atom(e: &Expr) -> Option<Atom> {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        } => {
            let (col, val) = if exprs::column_ref(left).is_some() {
                (left, right)
            } else {
                (right, left)
            };
            let (_, ident) = exprs::column_ref(col)?;
            let v = exprs::canonical(val)?;
            Some(Atom::Values(Name::from(ident), vec![Some(v)]))
        }
        Expr::In {
            expr,
            target: InTarget::List(list),
            negated: false,
            ..
        } => {
            let (_, ident) = exprs::column_ref(expr)?;
            let vals: Option<Vec<Option<String>>> =
                list.iter().map(|v| exprs::canonical(v).map(Some)).collect();
            Some(Atom::Values(Name::from(ident), vals?))
        }
        Expr::In {
            expr,
            target: InTarget::Subquery(q),
            negated: false,
            ..
        } => {
            let (_, ident) = exprs::column_ref(expr)?;
            let SetExpr::Select(sel) = q.body.as_ref() else {
                return None;
            };
            let [twj] = sel.from.as_slice() else {
                return None;
            };
            let sqlparser::ast::TableFactor::Derived { subquery, .. } = &twj.relation else {
                return None;
            };
            Some(Atom::InQuery(
                Name::from(ident),
                query_shape(&subquery.body),
            ))
        }
        Expr::IsNull(inner) => {
            let (_, ident) = exprs::column_ref(inner)?;
            Some(Atom::Values(Name::from(ident), vec![None]))
        }
        Expr::Between {
            expr,
            negated: false,
            low,
            high,
        } => {
            let (_, ident) = exprs::column_ref(expr)?;
            Some(Atom::Between(
                Name::from(ident),
                exprs::canonical(low)?,
                exprs::canonical(high)?,
            ))
        }
        _ => None,
    }
}

/// What one inserted column is known to hold.
#[derive(Debug, Clone)]
enum Known {
    /// One value per VALUES row.
    Rows(Vec<Option<String>>),
    /// The query only yields these values.
    Set(Vec<Option<String>>),
    Range(String, String),
}

/// The values an INSERT writes, per column (folded name), as far as they can be read.
fn known_values(
    model: &InsertModel,
    cols: &[Name],
    folding: CaseFolding,
) -> HashMap<String, Known> {
    let mut out = HashMap::new();
    match &model.source {
        Source::Values { rows, .. } => {
            for (ci, c) in cols.iter().enumerate() {
                let vals: Option<Vec<Option<String>>> = rows
                    .iter()
                    .map(|r| {
                        let v = r.value(ci)?;
                        if v.is_null() {
                            Some(None)
                        } else {
                            v.canonical().map(Some)
                        }
                    })
                    .collect();
                if let Some(v) = vals {
                    out.insert(c.key(folding), Known::Rows(v));
                }
            }
        }
        Source::Query(q) => {
            let SetExpr::Select(sel) = q.body.as_ref() else {
                return out;
            };
            for (ci, c) in cols.iter().enumerate() {
                let Some(expr) = crate::ast::query::projected(sel, ci) else {
                    continue;
                };
                if exprs::is_constant(expr) {
                    let v = if exprs::is_null(expr) {
                        None
                    } else {
                        exprs::canonical(expr)
                    };
                    out.insert(c.key(folding), Known::Set(vec![v]));
                } else if let Some(w) = &sel.selection {
                    match exprs::pinned_item(expr, w, folding) {
                        Some(Pinned::Values(vs)) => {
                            let vals: Option<Vec<Option<String>>> =
                                vs.iter().map(|v| exprs::canonical(v).map(Some)).collect();
                            if let Some(v) = vals {
                                out.insert(c.key(folding), Known::Set(v));
                            }
                        }
                        Some(Pinned::Range(lo, hi)) => {
                            if let (Some(l), Some(h)) = (exprs::canonical(lo), exprs::canonical(hi))
                            {
                                out.insert(c.key(folding), Known::Range(l, h));
                            }
                        }
                        None => {}
                    }
                }
            }
        }
    }
    out
}

/// Does one of `covers` remove, before the insert, every row the insert writes?
pub(crate) fn covered(
    covers: &[Cover],
    model: &InsertModel,
    cols: &[Name],
    folding: CaseFolding,
) -> bool {
    let relevant: Vec<&Cover> = covers
        .iter()
        .filter(|c| same_table(&c.table, &model.table, folding))
        .collect();
    if relevant.is_empty() {
        return false;
    }
    if relevant.iter().any(|c| c.disjuncts.is_none()) || from_staging(model, &relevant, folding) {
        return true;
    }
    let mut known = known_values(model, cols, folding);
    let row_count = match &model.source {
        Source::Values { rows, .. } => rows.len(),
        Source::Query(_) => match pinned_rows(&mut known) {
            Some(n) => n,
            None => return false,
        },
    };
    let shape = match &model.source {
        Source::Query(q) => Some(query_shape(&q.body)),
        Source::Values { .. } => None,
    };
    let atom_holds_row = |a: &Atom, row: usize| match a {
        Atom::InQuery(_, s) => shape.as_ref() == Some(s),
        Atom::Values(n, vs) => match known.get(&n.key(folding)) {
            Some(Known::Rows(vals)) => vals.get(row).is_some_and(|v| vs.contains(v)),
            _ => false,
        },
        Atom::Between(n, lo, hi) => matches!(
            known.get(&n.key(folding)),
            Some(Known::Range(l, h)) if l == lo && h == hi
        ),
    };
    (0..row_count).all(|row| {
        relevant.iter().any(|c| {
            c.disjuncts.as_ref().is_some_and(|ds| {
                ds.iter()
                    .any(|conj| conj.iter().all(|a| atom_holds_row(a, row)))
            })
        })
    })
}

/// Are the rows selected from the staging table a `DELETE ... USING staging` joined on?
fn from_staging(model: &InsertModel, relevant: &[&Cover], folding: CaseFolding) -> bool {
    let Source::Query(q) = &model.source else {
        return false;
    };
    let SetExpr::Select(sel) = q.body.as_ref() else {
        return false;
    };
    let [twj] = sel.from.as_slice() else {
        return false;
    };
    let sqlparser::ast::TableFactor::Table { name, .. } = &twj.relation else {
        return false;
    };
    let from = object_parts(name);
    twj.joins.is_empty()
        && relevant.iter().any(|c| {
            c.via
                .as_ref()
                .is_some_and(|v| same_table(v, &from, folding))
        })
}

/// A query's pinned sets become rows: the cross product of every pinned column's values.
/// Returns the number of rows, `None` when there would be too many to compare.
fn pinned_rows(known: &mut HashMap<String, Known>) -> Option<usize> {
    let set_cols: Vec<(String, Vec<Option<String>>)> = known
        .iter()
        .filter_map(|(k, v)| match v {
            Known::Set(s) => Some((k.clone(), s.clone())),
            _ => None,
        })
        .collect();
    let mut combos: Vec<Vec<Option<String>>> = vec![Vec::new()];
    for (_, vals) in &set_cols {
        let mut next = Vec::new();
        for c in &combos {
            for v in vals {
                let mut c2 = c.clone();
                c2.push(v.clone());
                next.push(c2);
            }
        }
        if next.len() > MAX_DISJUNCTS {
            return None;
        }
        combos = next;
    }
    for (i, (k, _)) in set_cols.iter().enumerate() {
        known.insert(
            k.clone(),
            Known::Rows(combos.iter().map(|c| c[i].clone()).collect()),
        );
    }
    Some(combos.len())
}
