//! The inserted columns: the statement's own list, else the table's columns from its DDL; and
//! every VALUES row must have one value per column.

use super::{Col, Refusal};
use crate::catalog::Table;
use crate::insert::{InsertModel, Source};
use crate::rules::unknown_columns;

/// The columns `model` writes, in order.
pub(super) fn resolve<'a>(
    model: &'a InsertModel,
    table: Option<&'a Table>,
) -> Result<Vec<Col<'a>>, Refusal> {
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
        return Err(Box::new(unknown_columns::no_column_list(
            model.insert_span(),
            model.table_text(),
        )));
    };
    if let Source::Values { rows, .. } = &model.source {
        if let Some(r) = rows.iter().find(|r| r.values.len() != cols.len()) {
            return Err(Box::new(unknown_columns::row_width(
                model.input_span((r.start, r.end)),
                r.values.len(),
                cols.len(),
            )));
        }
    }
    Ok(cols)
}
