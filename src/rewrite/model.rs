//! An INSERT statement as idemsql edits it: sqlparser's AST for what it means, the
//! statement's own tokens for where each part is, so the rewrite can keep the user's text.
//!
//! Every position is a byte offset into the statement's code (`text`); [`InsertModel::base`]
//! turns it into an offset in the whole input.

use sqlparser::ast::{Expr, Insert, Query, SetExpr, Spanned};

use crate::names::{Name, object_parts};
use crate::text::lexer::{Kind, LexOptions, Token, code_tokens};
use crate::text::line_index::{Encoding, LineIndex, Position};
use crate::text::tokens::{matching_paren, split_commas};

/// One column of the INSERT's column list, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRef {
    pub name: Name,
    /// The user's spelling (`"Line No"`, `[AlbumId]`).
    pub text: String,
}

/// One `( ... )` row of a VALUES list.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    /// The row's text range, parentheses included.
    pub start: usize,
    pub end: usize,
    /// Each value's text range.
    pub values: Vec<(usize, usize)>,
    pub exprs: Vec<&'a Expr>,
}

impl<'a> Row<'a> {
    /// The value of column `i`.
    pub fn expr(&self, i: usize) -> Option<&'a Expr> {
        self.exprs.get(i).copied()
    }
}

/// Where the inserted rows come from.
#[derive(Debug, Clone)]
pub enum Source<'a> {
    /// `VALUES (...), (...)`, or MySQL's `SET a = 1, b = 2` (one row).
    Values {
        /// The `VALUES` keyword.
        keyword: (usize, usize),
        rows: Vec<Row<'a>>,
    },
    /// A query: `SELECT ...`, `WITH ... SELECT ...`, `(SELECT ...) UNION ...`.
    Query(&'a Query),
}

/// What the rewrite needs to know about one INSERT.
#[derive(Debug, Clone)]
pub struct InsertModel<'a> {
    /// The statement's code, without terminator.
    pub text: &'a str,
    /// Offset of `text` in the whole input.
    pub base: usize,
    /// A `WITH ...` written before `INSERT`: its text range.
    pub with_prefix: Option<(usize, usize)>,
    /// Where the `INSERT` keyword starts.
    pub insert_start: usize,
    pub table: Vec<Name>,
    /// The table name as written.
    pub table_span: (usize, usize),
    /// The explicit column list, if any.
    pub columns: Vec<ColumnRef>,
    pub source: Source<'a>,
    /// The source's text range (`VALUES ...` or the query).
    pub source_span: (usize, usize),
    /// The `RETURNING ...` clause's text range.
    pub returning: Option<(usize, usize)>,
}

/// Why an INSERT cannot be modelled (and so cannot be rewritten).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// A form idemsql does not rewrite; the message names it.
    Unsupported(String),
}

impl<'a> InsertModel<'a> {
    pub fn slice(&self, range: (usize, usize)) -> &'a str {
        self.text.get(range.0..range.1).unwrap_or("")
    }

    /// The source's text.
    pub fn source_text(&self) -> &'a str {
        self.slice(self.source_span)
    }

    /// The table name's text.
    pub fn table_text(&self) -> &'a str {
        self.slice(self.table_span)
    }

    /// Build the model of `insert`, whose statement text is `text` (at `base` in the input).
    pub fn new(
        text: &'a str,
        base: usize,
        insert: &'a Insert,
        has_with_prefix: bool,
        toks: &[Token],
    ) -> Result<Self, ModelError> {
        let unsupported = |m: &str| Err(ModelError::Unsupported(m.to_string()));
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
        let set_form = !insert.assignments.is_empty();
        let query = match insert.source.as_deref() {
            Some(q) => Some(q),
            None if set_form => None,
            None => {
                return unsupported(
                    "INSERT ... DEFAULT VALUES (every row is new: there is no key value)",
                );
            }
        };
        let word = |i: usize, kw: &str| toks.get(i).is_some_and(|t| t.is_word(text, kw));

        // The INSERT keyword: the first one at depth 0 (after a WITH prefix, if any).
        let mut depth = 0usize;
        let mut insert_idx = None;
        for (i, t) in toks.iter().enumerate() {
            if t.is_punct(text, '(') {
                depth += 1;
            } else if t.is_punct(text, ')') {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && t.is_word(text, "INSERT") {
                insert_idx = Some(i);
                break;
            }
        }
        let Some(insert_idx) = insert_idx else {
            return unsupported("INSERT whose keyword could not be found");
        };
        let insert_start = toks[insert_idx].start;
        let with_prefix = if has_with_prefix {
            let end = toks[..insert_idx].last().map_or(0, |t| t.end);
            Some((toks.first().map_or(0, |t| t.start), end))
        } else {
            None
        };

        // Skip the modifiers between INSERT and the table name.
        let mut i = insert_idx + 1;
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
        while toks
            .get(i)
            .is_some_and(|t| MODIFIERS.iter().any(|m| t.is_word(text, m)))
        {
            i += 1;
        }

        // The table name: parts separated by dots.
        let name_start = i;
        let is_part = |t: &Token| matches!(t.kind, Kind::Word | Kind::QuotedIdent);
        if !toks.get(i).is_some_and(is_part) {
            return unsupported("INSERT whose table name could not be found");
        }
        i += 1;
        while toks.get(i).is_some_and(|t| t.is_punct(text, '.'))
            && toks.get(i + 1).is_some_and(is_part)
        {
            i += 2;
        }
        let table_span = (toks[name_start].start, toks[i - 1].end);
        let table = match &insert.table {
            sqlparser::ast::TableObject::TableName(n) => object_parts(n),
            _ => return unsupported("INSERT INTO a table function or query"),
        };

        // An alias: `AS o` (PostgreSQL) or `o` (Oracle).
        if let Some(alias) = &insert.table_alias {
            if word(i, "AS") {
                i += 1;
            }
            if toks
                .get(i)
                .is_some_and(|t| t.text(text).trim_matches(['"', '`']) == alias.alias.value)
            {
                i += 1;
            } else {
                return unsupported("INSERT whose table alias could not be found");
            }
        }

        // The column list.
        let mut columns = Vec::new();
        if !insert.columns.is_empty() {
            if !toks.get(i).is_some_and(|t| t.is_punct(text, '(')) {
                return unsupported("INSERT whose column list could not be found");
            }
            let close = matching_paren(toks, i, text)
                .ok_or_else(|| ModelError::Unsupported("unbalanced column list".into()))?;
            let items = split_commas(&toks[i + 1..close], text);
            if items.len() != insert.columns.len() {
                return unsupported("INSERT whose column list could not be read");
            }
            for ((s, e), col) in items.into_iter().zip(&insert.columns) {
                let parts = object_parts(col);
                let Some(name) = parts.last().cloned() else {
                    return unsupported("INSERT with an empty column name");
                };
                columns.push(ColumnRef {
                    name,
                    text: text[s..e].to_string(),
                });
            }
            i = close + 1;
        }

        let Some(source_tok) = toks.get(i) else {
            return unsupported("INSERT without rows");
        };
        let source_start = source_tok.start;

        // Where the source ends: at RETURNING, or at the end of the statement.
        let returning = if insert.returning.is_some() {
            let mut depth = 0usize;
            let mut found = None;
            for t in &toks[i..] {
                if t.is_punct(text, '(') {
                    depth += 1;
                } else if t.is_punct(text, ')') {
                    depth = depth.saturating_sub(1);
                } else if depth == 0 && t.is_word(text, "RETURNING") {
                    found = Some(t.start);
                }
            }
            let Some(r) = found else {
                return unsupported("INSERT whose RETURNING clause could not be found");
            };
            Some((r, toks.last().map_or(text.len(), |t| t.end)))
        } else {
            None
        };
        let source_end_limit = returning.map_or(text.len(), |r| r.0);
        let source_end = toks
            .iter()
            .take_while(|t| t.end <= source_end_limit)
            .last()
            .map_or(source_start, |t| t.end);

        let source = match query.map(|q| (q, q.body.as_ref())) {
            None => {
                // `SET a = 1, b = 2`: one row, the columns are the assignments' targets.
                if !source_tok.is_word(text, "SET") {
                    return unsupported("INSERT ... SET whose SET could not be found");
                }
                let end_idx = toks
                    .iter()
                    .position(|t| t.start >= source_end)
                    .unwrap_or(toks.len());
                let items = split_commas(&toks[i + 1..end_idx], text);
                if items.len() != insert.assignments.len() {
                    return unsupported("INSERT ... SET whose assignments could not be read");
                }
                let mut values = Vec::new();
                for ((s, e), a) in items.iter().zip(&insert.assignments) {
                    let eq = toks[i + 1..end_idx]
                        .iter()
                        .find(|t| t.start >= *s && t.end <= *e && t.text(text) == "=");
                    let (Some(eq), sqlparser::ast::AssignmentTarget::ColumnName(target)) =
                        (eq, &a.target)
                    else {
                        return unsupported("INSERT ... SET whose assignments could not be read");
                    };
                    let Some(name) = object_parts(target).last().cloned() else {
                        return unsupported("INSERT ... SET with an empty column name");
                    };
                    columns.push(ColumnRef {
                        name,
                        text: text[*s..eq.start].trim().to_string(),
                    });
                    let value_start = toks[i + 1..end_idx]
                        .iter()
                        .find(|t| t.start >= eq.end)
                        .map_or(eq.end, |t| t.start);
                    values.push((value_start, *e));
                }
                let (Some(first), Some(last)) = (items.first(), items.last()) else {
                    return unsupported("INSERT ... SET without assignments");
                };
                Source::Values {
                    keyword: (source_tok.start, source_tok.end),
                    rows: vec![Row {
                        start: first.0,
                        end: last.1,
                        values,
                        exprs: insert.assignments.iter().map(|a| &a.value).collect(),
                    }],
                }
            }
            Some((query, SetExpr::Values(values)))
                if query.with.is_none()
                    && query.order_by.is_none()
                    && query.limit_clause.is_none()
                    && (source_tok.is_word(text, "VALUES")
                        || source_tok.is_word(text, "VALUE")) =>
            {
                let rows = read_rows(toks, i + 1, text, source_end)?;
                if rows.len() != values.rows.len()
                    || rows
                        .iter()
                        .zip(&values.rows)
                        .any(|(r, v)| r.2.len() != v.content.len())
                {
                    return unsupported("VALUES rows that could not be read");
                }
                Source::Values {
                    keyword: (source_tok.start, source_tok.end),
                    rows: rows
                        .into_iter()
                        .zip(&values.rows)
                        .map(|((start, end, vals), v)| Row {
                            start,
                            end,
                            values: vals,
                            exprs: v.content.iter().collect(),
                        })
                        .collect(),
                }
            }
            Some((query, _)) => Source::Query(query),
        };

        Ok(InsertModel {
            text,
            base,
            with_prefix,
            insert_start,
            table,
            table_span,
            columns,
            source,
            source_span: (source_start, source_end),
            returning,
        })
    }

    /// The byte range in `text` of an AST node, from sqlparser's line/column span.
    pub fn node_range(&self, node: &impl Spanned) -> Option<(usize, usize)> {
        node_range(self.text, node)
    }
}

/// The byte range in `text` of an AST node parsed from `text`.
pub fn node_range(text: &str, node: &impl Spanned) -> Option<(usize, usize)> {
    span_range(text, node.span())
}

/// The byte range in `text` of a sqlparser span over `text`.
pub fn span_range(text: &str, span: sqlparser::tokenizer::Span) -> Option<(usize, usize)> {
    if span.start.line == 0 || span.end.line == 0 {
        return None;
    }
    let idx = LineIndex::new(text);
    let pos = |l: sqlparser::tokenizer::Location| Position {
        line: l.line as usize,
        column: l.column as usize,
    };
    let start = idx.offset_of(pos(span.start), Encoding::Utf32);
    let end = idx.offset_of(pos(span.end), Encoding::Utf32);
    (start < end && end <= text.len()).then_some((start, end))
}

type RowSpans = Vec<(usize, usize, Vec<(usize, usize)>)>;

/// Read `(..), (..)` rows starting at token `i`, up to `limit`.
fn read_rows(
    toks: &[Token],
    mut i: usize,
    text: &str,
    limit: usize,
) -> Result<RowSpans, ModelError> {
    let mut rows = Vec::new();
    let bad = || ModelError::Unsupported("VALUES rows that could not be read".into());
    loop {
        // MySQL's `VALUES ROW(1, 2)`.
        if toks.get(i).is_some_and(|t| t.is_word(text, "ROW")) {
            i += 1;
        }
        if !toks.get(i).is_some_and(|t| t.is_punct(text, '(')) {
            return Err(bad());
        }
        let close = matching_paren(toks, i, text).ok_or_else(bad)?;
        let values = split_commas(&toks[i + 1..close], text);
        rows.push((toks[i].start, toks[close].end, values));
        i = close + 1;
        match toks.get(i) {
            Some(t) if t.is_punct(text, ',') => i += 1,
            Some(t) if t.start >= limit => return Ok(rows),
            None => return Ok(rows),
            Some(_) => return Err(bad()),
        }
    }
}

/// Words that end a SELECT's projection list.
const PROJECTION_END: &[&str] = &[
    "FROM",
    "INTO",
    "WHERE",
    "GROUP",
    "HAVING",
    "WINDOW",
    "QUALIFY",
    "ORDER",
    "LIMIT",
    "OFFSET",
    "FETCH",
    "UNION",
    "EXCEPT",
    "INTERSECT",
    "MINUS",
    "FOR",
    "CONNECT",
    "START",
    "SETTINGS",
    "FORMAT",
    "PREWHERE",
    "CLUSTER",
    "DISTRIBUTE",
    "SORT",
    "LATERAL",
];

/// The text ranges of a SELECT's projection items, read from the tokens (sqlparser's spans of
/// some expressions, such as `CAST(x AS int)`, do not cover the whole expression).
pub fn projection_ranges(
    text: &str,
    select: &sqlparser::ast::Select,
    lex: LexOptions,
) -> Option<Vec<(usize, usize)>> {
    let (start, _) = span_range(text, select.select_token.0.span)?;
    let toks: Vec<Token> = code_tokens(&text[start..], lex)
        .into_iter()
        .map(|t| Token {
            start: t.start + start,
            end: t.end + start,
            ..t
        })
        .collect();
    let word = |i: usize, w: &str| toks.get(i).is_some_and(|t| t.is_word(text, w));
    if !word(0, "SELECT") {
        return None;
    }
    let mut i = 1;
    loop {
        if word(i, "DISTINCT")
            && word(i + 1, "ON")
            && toks.get(i + 2).is_some_and(|t| t.is_punct(text, '('))
        {
            i = matching_paren(&toks, i + 2, text)? + 1;
        } else if word(i, "DISTINCT")
            || word(i, "ALL")
            || word(i, "DISTINCTROW")
            || word(i, "PERCENT")
        {
            i += 1;
        } else if word(i, "WITH") && word(i + 1, "TIES") {
            i += 2;
        } else if word(i, "TOP") {
            i += 1;
            if toks.get(i).is_some_and(|t| t.is_punct(text, '(')) {
                i = matching_paren(&toks, i, text)? + 1;
            } else {
                i += 1;
            }
        } else {
            break;
        }
    }
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut item_start: Option<usize> = None;
    let mut item_end = 0;
    for t in &toks[i..] {
        if depth == 0 {
            let ends = t.is_punct(text, ')')
                || t.is_punct(text, ';')
                || (t.kind == Kind::Word && PROJECTION_END.iter().any(|w| t.is_word(text, w)));
            if ends {
                break;
            }
            if t.is_punct(text, ',') {
                items.push((item_start.take()?, item_end));
                continue;
            }
        }
        if t.is_punct(text, '(') || t.is_punct(text, '[') {
            depth += 1;
        } else if t.is_punct(text, ')') || t.is_punct(text, ']') {
            depth = depth.saturating_sub(1);
        }
        item_start.get_or_insert(t.start);
        item_end = t.end;
    }
    items.push((item_start?, item_end));
    (items.len() == select.projection.len()).then_some(items)
}
