//! The proof that running a script twice leaves what running it once leaves: snapshots of
//! every table in, the tables that differ and their rows out, and the words that report it.
//!
//! No I/O: `idemsql test` (the CLI) and the playground's "Run twice" take the rows from a real
//! engine, normalised to text by their engine adapter, and report with [`report`], so both say
//! the same thing in the same words.

pub mod report;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One value as the engine adapter normalised it to text; `None` is SQL NULL.
pub type Value = Option<String>;
/// One row, in the table's column order.
pub type Row = Vec<Value>;

/// How many rows of each side a difference lists; the counts are always whole.
pub const ROWS_SHOWN: usize = 10;

/// Every row of one table at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// The table's name as the engine lists it (schema-qualified when not in the default one).
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

/// Every table of the scratch database at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub tables: Vec<Table>,
}

/// A column whose changes are expected (`updated_at = now()`), named `table.column`; matched
/// without regard to case or quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredColumn {
    pub table: String,
    pub column: String,
}

impl IgnoredColumn {
    /// `table.column` (or `schema.table.column`): the last dot separates the column.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (table, column) = spec
            .rsplit_once('.')
            .filter(|(t, c)| !t.trim().is_empty() && !c.trim().is_empty())
            .ok_or_else(|| format!("`{spec}` is not `table.column`"))?;
        Ok(IgnoredColumn {
            table: fold(table),
            column: fold(column),
        })
    }

    fn matches(&self, table: &str, column: &str) -> bool {
        fold(column) == self.column
            && (fold(table) == self.table || fold(table).ends_with(&format!(".{}", self.table)))
    }
}

/// Names compare without quotes and case: `"Orders"."Updated_At"` is `orders.updated_at`.
fn fold(name: &str) -> String {
    name.trim()
        .chars()
        .filter(|c| !matches!(c, '"' | '`' | '[' | ']'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// How one table differs between two snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableDiff {
    pub table: String,
    pub columns: Vec<String>,
    /// Rows after the first run (`None`: the table did not exist then).
    pub rows_before: Option<usize>,
    /// Rows after the second run (`None`: the table did not exist then).
    pub rows_after: Option<usize>,
    /// Rows only in the first snapshot (up to [`ROWS_SHOWN`]), and how many there are.
    pub only_before: Vec<Row>,
    pub only_before_count: usize,
    /// Rows only in the second snapshot (up to [`ROWS_SHOWN`]), and how many there are.
    pub only_after: Vec<Row>,
    pub only_after_count: usize,
    /// When as many rows left as came and they differ only in some columns: those columns
    /// (`updated_at`), which `--ignore-column` can leave out if they change on purpose.
    pub changed_columns: Vec<String>,
    /// Columns left out of the comparison (`--ignore-column`).
    pub ignored_columns: Vec<String>,
}

/// The tables that differ between `before` and `after`, by name; rows compare as multisets
/// (order does not matter, a duplicated row does), without the `ignore`d columns.
pub fn compare(before: &Snapshot, after: &Snapshot, ignore: &[IgnoredColumn]) -> Vec<TableDiff> {
    let mut names: BTreeMap<&str, (Option<&Table>, Option<&Table>)> = BTreeMap::new();
    for t in &before.tables {
        names.entry(&t.name).or_default().0 = Some(t);
    }
    for t in &after.tables {
        names.entry(&t.name).or_default().1 = Some(t);
    }
    names
        .into_iter()
        .filter_map(|(name, (b, a))| compare_table(name, b, a, ignore))
        .collect()
}

fn compare_table(
    name: &str,
    before: Option<&Table>,
    after: Option<&Table>,
    ignore: &[IgnoredColumn],
) -> Option<TableDiff> {
    let columns = after.or(before).map(|t| t.columns.clone())?;
    let kept: Vec<usize> = (0..columns.len())
        .filter(|&i| !ignore.iter().any(|c| c.matches(name, &columns[i])))
        .collect();
    let project = |t: Option<&Table>| -> Vec<Row> {
        let mut rows: Vec<Row> = t
            .map(|t| {
                t.rows
                    .iter()
                    .map(|r| kept.iter().map(|&i| r.get(i).cloned().flatten()).collect())
                    .collect()
            })
            .unwrap_or_default();
        rows.sort();
        rows
    };
    let (b, a) = (project(before), project(after));
    let same_columns = before.map(|t| &t.columns) == after.map(|t| &t.columns);
    if same_columns && b == a {
        return None;
    }
    let (only_before, only_after) = multiset_difference(&b, &a);
    let shown_columns: Vec<String> = kept.iter().map(|&i| columns[i].clone()).collect();
    Some(TableDiff {
        table: name.to_string(),
        changed_columns: changed_columns(&shown_columns, &only_before, &only_after),
        ignored_columns: (0..columns.len())
            .filter(|i| !kept.contains(i))
            .map(|i| columns[i].clone())
            .collect(),
        columns: shown_columns,
        rows_before: before.map(|t| t.rows.len()),
        rows_after: after.map(|t| t.rows.len()),
        only_before_count: only_before.len(),
        only_before: only_before.into_iter().take(ROWS_SHOWN).collect(),
        only_after_count: only_after.len(),
        only_after: only_after.into_iter().take(ROWS_SHOWN).collect(),
    })
}

/// The rows of sorted `a` not matched in sorted `b`, and those of `b` not matched in `a`.
fn multiset_difference(a: &[Row], b: &[Row]) -> (Vec<Row>, Vec<Row>) {
    let (mut i, mut j) = (0, 0);
    let (mut only_a, mut only_b) = (Vec::new(), Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => (i, j) = (i + 1, j + 1),
            std::cmp::Ordering::Less => {
                only_a.push(a[i].clone());
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                only_b.push(b[j].clone());
                j += 1;
            }
        }
    }
    only_a.extend_from_slice(&a[i..]);
    only_b.extend_from_slice(&b[j..]);
    (only_a, only_b)
}

/// When the rows that left and the rows that came pair up one to one (in sorted order) and
/// differ only in some columns, those columns; otherwise none.
fn changed_columns(columns: &[String], gone: &[Row], came: &[Row]) -> Vec<String> {
    if gone.is_empty() || gone.len() != came.len() {
        return Vec::new();
    }
    let mut changed = vec![false; columns.len()];
    for (g, c) in gone.iter().zip(came) {
        for (k, flag) in changed.iter_mut().enumerate() {
            *flag |= g.get(k) != c.get(k);
        }
    }
    if changed.iter().all(|&f| f) {
        return Vec::new();
    }
    columns
        .iter()
        .zip(changed)
        .filter(|(_, f)| *f)
        .map(|(c, _)| c.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        Some(s.to_string())
    }

    fn table(name: &str, columns: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            name: name.to_string(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|x| v(x)).collect())
                .collect(),
        }
    }

    fn snap(tables: Vec<Table>) -> Snapshot {
        Snapshot { tables }
    }

    #[test]
    fn equal_snapshots_in_any_row_order_do_not_differ() {
        let a = snap(vec![table("t", &["a"], &[&["1"], &["2"]])]);
        let b = snap(vec![table("t", &["a"], &[&["2"], &["1"]])]);
        assert!(compare(&a, &b, &[]).is_empty());
    }

    #[test]
    fn a_duplicated_row_is_a_difference() {
        let a = snap(vec![table("orders", &["id"], &[&["1"], &["2"]])]);
        let b = snap(vec![table(
            "orders",
            &["id"],
            &[&["1"], &["1"], &["2"], &["2"]],
        )]);
        let [d] = compare(&a, &b, &[]).try_into().unwrap();
        assert_eq!((d.rows_before, d.rows_after), (Some(2), Some(4)));
        assert_eq!(d.only_after, vec![vec![v("1")], vec![v("2")]]);
        assert_eq!((d.only_before_count, d.only_after_count), (0, 2));
        assert!(d.changed_columns.is_empty());
    }

    #[test]
    fn rows_that_differ_in_one_column_name_it_and_ignoring_it_passes() {
        let a = snap(vec![table(
            "t",
            &["id", "seen"],
            &[&["1", "10:00"], &["2", "10:00"]],
        )]);
        let b = snap(vec![table(
            "t",
            &["id", "seen"],
            &[&["1", "10:01"], &["2", "10:01"]],
        )]);
        let [d] = compare(&a, &b, &[]).try_into().unwrap();
        assert_eq!(d.changed_columns, ["seen"]);
        let ignore = [IgnoredColumn::parse("T.\"SEEN\"").unwrap()];
        assert!(compare(&a, &b, &ignore).is_empty());
    }

    #[test]
    fn a_table_made_by_the_second_run_differs() {
        let a = snap(vec![]);
        let b = snap(vec![table("log", &["x"], &[&["1"]])]);
        let [d] = compare(&a, &b, &[]).try_into().unwrap();
        assert_eq!((d.rows_before, d.rows_after), (None, Some(1)));
    }

    #[test]
    fn at_most_ten_rows_are_listed_and_all_are_counted() {
        let rows: Vec<Vec<&str>> = (0..25).map(|_| vec!["x"]).collect();
        let rows: Vec<&[&str]> = rows.iter().map(|r| r.as_slice()).collect();
        let b = snap(vec![table("t", &["a"], &rows)]);
        let [d] = compare(&snap(vec![table("t", &["a"], &[])]), &b, &[])
            .try_into()
            .unwrap();
        assert_eq!((d.only_after.len(), d.only_after_count), (10, 25));
    }

    #[test]
    fn ignored_columns_parse_as_table_dot_column() {
        assert_eq!(
            IgnoredColumn::parse("sales.orders.updated_at").unwrap(),
            IgnoredColumn {
                table: "sales.orders".into(),
                column: "updated_at".into()
            }
        );
        assert!(IgnoredColumn::parse("updated_at").is_err());
        assert!(IgnoredColumn::parse("orders.").is_err());
        // A bare table name matches the table in any schema.
        assert!(
            IgnoredColumn::parse("orders.x")
                .unwrap()
                .matches("public.orders", "X")
        );
    }
}
