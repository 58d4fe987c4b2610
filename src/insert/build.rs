//! Building an [`InsertModel`] from sqlparser's AST (what the statement means) and the
//! statement's tokens (where each part is), step by step along the statement.

use sqlparser::ast::{AssignmentTarget, Insert, Query, SetExpr, TableObject, Values};

use super::{ColumnRef, InsertModel, ModelError, Row, Source, Value};
use crate::names::object_parts;
use crate::text::lexer::{Kind, Token};
use crate::text::tokens::{matching_paren, split_commas};

/// Words that may stand between `INSERT` and the table name.
const MODIFIERS: &[&str] = &[
    "OR",
    "REPLACE",
    "IGNORE",
    "ROLLBACK",
    "ABORT",
    "FAIL",
    "INTO",
    "TABLE",
    "LOW_PRIORITY",
    "DELAYED",
    "HIGH_PRIORITY",
];

fn unsupported<T>(what: &str) -> Result<T, ModelError> {
    Err(ModelError::Unsupported(what.to_string()))
}

/// A walk over the statement's code tokens.
struct Reader<'a, 't> {
    text: &'a str,
    toks: &'t [Token],
    insert: &'a Insert,
    /// The next token to read.
    i: usize,
}

impl<'a> InsertModel<'a> {
    /// Build the model of `insert`, whose statement text is `text` (at `base` in the input).
    pub fn new(
        text: &'a str,
        base: usize,
        insert: &'a Insert,
        has_with_prefix: bool,
        toks: &[Token],
    ) -> Result<Self, ModelError> {
        let query = supported_source(insert)?;
        let mut r = Reader {
            text,
            toks,
            insert,
            i: 0,
        };
        let insert_idx = r.insert_keyword()?;
        let with_prefix = has_with_prefix.then(|| {
            let end = toks[..insert_idx].last().map_or(0, |t| t.end);
            (toks.first().map_or(0, |t| t.start), end)
        });
        r.i = insert_idx + 1;
        r.skip_modifiers();
        let table_span = r.table_name()?;
        let TableObject::TableName(name) = &insert.table else {
            return unsupported("INSERT INTO a table function or query");
        };
        let alias = r.alias()?;
        let mut columns = r.column_list()?;
        let Some(source_tok) = toks.get(r.i).copied() else {
            return unsupported("INSERT without rows");
        };
        let returning = r.returning()?;
        let source_end_limit = returning.map_or(text.len(), |r| r.0);
        let source_end = toks
            .iter()
            .take_while(|t| t.end <= source_end_limit)
            .last()
            .map_or(source_tok.start, |t| t.end);
        let source = match query {
            None => r.set_source(source_tok, source_end, &mut columns)?,
            Some(q) => r.query_source(q, source_tok, source_end)?,
        };
        Ok(InsertModel {
            text,
            base,
            with_prefix,
            insert_start: toks[insert_idx].start,
            table: object_parts(name),
            table_span,
            alias,
            columns,
            source,
            source_span: (source_tok.start, source_end),
            returning,
        })
    }
}

/// The statement's query, `None` for MySQL's `INSERT ... SET`; an error for the forms idemsql
/// does not rewrite.
fn supported_source(insert: &Insert) -> Result<Option<&Query>, ModelError> {
    if insert.multi_table_insert_type.is_some() || !insert.multi_table_into_clauses.is_empty() {
        return unsupported("multi-table INSERT ALL/FIRST");
    }
    if insert.output.is_some() {
        return unsupported("INSERT with an OUTPUT clause");
    }
    if insert.format_clause.is_some() || insert.settings.is_some() {
        return unsupported("INSERT with SETTINGS or FORMAT");
    }
    if insert.partitioned.is_some() || !insert.after_columns.is_empty() {
        return unsupported("INSERT ... PARTITION (...)");
    }
    if insert.overriding.is_some() {
        return unsupported("INSERT ... OVERRIDING ... VALUE");
    }
    if insert.insert_alias.is_some() {
        return unsupported("INSERT with a row alias but no ON DUPLICATE KEY UPDATE");
    }
    // MySQL's `INSERT INTO t SET a = 1, b = 2` has assignments instead of a query.
    match insert.source.as_deref() {
        Some(q) => Ok(Some(q)),
        None if !insert.assignments.is_empty() => Ok(None),
        None => unsupported("INSERT ... DEFAULT VALUES (every row is new: there is no key value)"),
    }
}

impl<'a> Reader<'a, '_> {
    fn word(&self, i: usize, kw: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_word(self.text, kw))
    }

    fn punct(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_punct(self.text, c))
    }

    /// The INSERT keyword: the first one at depth 0 (after a WITH prefix, if any).
    fn insert_keyword(&self) -> Result<usize, ModelError> {
        let mut depth = 0usize;
        for (i, t) in self.toks.iter().enumerate() {
            if t.is_punct(self.text, '(') {
                depth += 1;
            } else if t.is_punct(self.text, ')') {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && t.is_word(self.text, "INSERT") {
                return Ok(i);
            }
        }
        unsupported("INSERT whose keyword could not be found")
    }

    fn skip_modifiers(&mut self) {
        while MODIFIERS.iter().any(|m| self.word(self.i, m)) {
            self.i += 1;
        }
    }

    /// The table name's range: parts separated by dots.
    fn table_name(&mut self) -> Result<(usize, usize), ModelError> {
        let is_part = |t: &Token| matches!(t.kind, Kind::Word | Kind::QuotedIdent);
        let start = self.i;
        if !self.toks.get(start).is_some_and(is_part) {
            return unsupported("INSERT whose table name could not be found");
        }
        self.i += 1;
        while self.punct(self.i, '.') && self.toks.get(self.i + 1).is_some_and(is_part) {
            self.i += 2;
        }
        Ok((self.toks[start].start, self.toks[self.i - 1].end))
    }

    /// An alias: `AS o` (PostgreSQL) or `o` (Oracle); its text range.
    fn alias(&mut self) -> Result<Option<(usize, usize)>, ModelError> {
        let Some(alias) = &self.insert.table_alias else {
            return Ok(None);
        };
        if self.word(self.i, "AS") {
            self.i += 1;
        }
        let text = self.text;
        if self
            .toks
            .get(self.i)
            .is_some_and(|t| t.text(text).trim_matches(['"', '`']) == alias.alias.value)
        {
            let t = self.toks[self.i];
            self.i += 1;
            Ok(Some((t.start, t.end)))
        } else {
            unsupported("INSERT whose table alias could not be found")
        }
    }

    /// The explicit column list, each column as written.
    fn column_list(&mut self) -> Result<Vec<ColumnRef>, ModelError> {
        let mut columns = Vec::new();
        if self.insert.columns.is_empty() {
            return Ok(columns);
        }
        if !self.punct(self.i, '(') {
            return unsupported("INSERT whose column list could not be found");
        }
        let Some(close) = matching_paren(self.toks, self.i, self.text) else {
            return unsupported("unbalanced column list");
        };
        let items = split_commas(&self.toks[self.i + 1..close], self.text);
        if items.len() != self.insert.columns.len() {
            return unsupported("INSERT whose column list could not be read");
        }
        for ((s, e), col) in items.into_iter().zip(&self.insert.columns) {
            let Some(name) = object_parts(col).last().cloned() else {
                return unsupported("INSERT with an empty column name");
            };
            columns.push(ColumnRef {
                name,
                text: self.text[s..e].to_string(),
            });
        }
        self.i = close + 1;
        Ok(columns)
    }

    /// The `RETURNING ...` clause's range, where the source ends.
    fn returning(&self) -> Result<Option<(usize, usize)>, ModelError> {
        if self.insert.returning.is_none() {
            return Ok(None);
        }
        let mut depth = 0usize;
        let mut found = None;
        for t in &self.toks[self.i..] {
            if t.is_punct(self.text, '(') {
                depth += 1;
            } else if t.is_punct(self.text, ')') {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && t.is_word(self.text, "RETURNING") {
                found = Some(t.start);
            }
        }
        let Some(r) = found else {
            return unsupported("INSERT whose RETURNING clause could not be found");
        };
        Ok(Some((
            r,
            self.toks.last().map_or(self.text.len(), |t| t.end),
        )))
    }

    /// `SET a = 1, b = 2`: one row, the columns are the assignments' targets.
    fn set_source(
        &self,
        set: Token,
        source_end: usize,
        columns: &mut Vec<ColumnRef>,
    ) -> Result<Source<'a>, ModelError> {
        if !set.is_word(self.text, "SET") {
            return unsupported("INSERT ... SET whose SET could not be found");
        }
        let end_idx = self
            .toks
            .iter()
            .position(|t| t.start >= source_end)
            .unwrap_or(self.toks.len());
        let toks = &self.toks[self.i + 1..end_idx];
        let items = split_commas(toks, self.text);
        if items.len() != self.insert.assignments.len() {
            return unsupported("INSERT ... SET whose assignments could not be read");
        }
        let mut values = Vec::new();
        for (&(s, e), a) in items.iter().zip(&self.insert.assignments) {
            let eq = toks
                .iter()
                .find(|t| t.start >= s && t.end <= e && t.text(self.text) == "=");
            let (Some(eq), AssignmentTarget::ColumnName(target)) = (eq, &a.target) else {
                return unsupported("INSERT ... SET whose assignments could not be read");
            };
            let Some(name) = object_parts(target).last().cloned() else {
                return unsupported("INSERT ... SET with an empty column name");
            };
            columns.push(ColumnRef {
                name,
                text: self.text[s..eq.start].trim().to_string(),
            });
            let value_start = toks
                .iter()
                .find(|t| t.start >= eq.end)
                .map_or(eq.end, |t| t.start);
            values.push(Value::new((value_start, e), &a.value));
        }
        let (Some(first), Some(last)) = (items.first(), items.last()) else {
            return unsupported("INSERT ... SET without assignments");
        };
        Ok(Source::Values {
            keyword: (set.start, set.end),
            rows: vec![Row {
                start: first.0,
                end: last.1,
                values,
            }],
        })
    }

    /// `VALUES (...), (...)` read row by row, or any other query kept whole.
    fn query_source(
        &self,
        query: &'a Query,
        first: Token,
        source_end: usize,
    ) -> Result<Source<'a>, ModelError> {
        let values_keyword =
            first.is_word(self.text, "VALUES") || first.is_word(self.text, "VALUE");
        match query.body.as_ref() {
            SetExpr::Values(values)
                if query.with.is_none()
                    && query.order_by.is_none()
                    && query.limit_clause.is_none()
                    && values_keyword =>
            {
                Ok(Source::Values {
                    keyword: (first.start, first.end),
                    rows: self.rows(values, source_end)?,
                })
            }
            _ => Ok(Source::Query(query)),
        }
    }

    /// Read the `(..), (..)` rows after `VALUES`, up to `limit`, and pair them with the AST's.
    fn rows(&self, values: &'a Values, limit: usize) -> Result<Vec<Row<'a>>, ModelError> {
        let (text, toks) = (self.text, self.toks);
        let mut rows = Vec::new();
        let mut i = self.i + 1;
        let mut ast = values.rows.iter();
        loop {
            // MySQL's `VALUES ROW(1, 2)`.
            if self.word(i, "ROW") {
                i += 1;
            }
            if !self.punct(i, '(') {
                return unsupported("VALUES rows that could not be read");
            }
            let Some(close) = matching_paren(toks, i, text) else {
                return unsupported("VALUES rows that could not be read");
            };
            let ranges = split_commas(&toks[i + 1..close], text);
            let Some(row) = ast.next().filter(|r| r.content.len() == ranges.len()) else {
                return unsupported("VALUES rows that could not be read");
            };
            rows.push(Row {
                start: toks[i].start,
                end: toks[close].end,
                values: ranges
                    .into_iter()
                    .zip(&row.content)
                    .map(|(range, e)| Value::new(range, e))
                    .collect(),
            });
            i = close + 1;
            match toks.get(i) {
                Some(t) if t.is_punct(text, ',') => i += 1,
                Some(t) if t.start >= limit => break,
                None => break,
                Some(_) => return unsupported("VALUES rows that could not be read"),
            }
        }
        if ast.next().is_some() {
            return unsupported("VALUES rows that could not be read");
        }
        Ok(rows)
    }
}
