//! What is known about each table: columns, keys, partition columns, nullability.
//!
//! Facts come from DDL (in the input itself and in `schema`): column and table `PRIMARY KEY`
//! and `UNIQUE` constraints, `CREATE UNIQUE INDEX`, `ALTER TABLE ... ADD PRIMARY KEY / UNIQUE`,
//! `PARTITION BY` / `PARTITIONED BY` / Trino's `partitioning = ARRAY[...]`, and `NOT NULL`.
//! DDL that sqlparser cannot read whole (Databricks `USING DELTA`, ClickHouse engines) is read
//! in two parts: the column list by sqlparser, the partition clause by a token scan; DDL whose
//! column list or constraints sqlparser cannot read either (vendor types and options) is read
//! from its tokens alone (`ddl_tokens.rs`).

use sqlparser::ast::{
    AlterTableOperation, ColumnOption, CreateTable, Expr, HiveDistributionStyle, IndexColumn,
    Statement, TableConstraint,
};

use crate::dialect::{CaseFolding, Dialect};
use crate::names::{Name, object_parts};

mod ddl_tokens;
mod scope;

use crate::text::lexer::{Kind, Token, code_tokens};
use crate::text::tokens::matching_paren;
use scope::FullName;
pub(crate) use scope::Scope;

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: Name,
    /// The name as the dialect writes it, when that differs from `name.value` (else empty:
    /// a catalog of thousands of tables should not hold every name twice).
    pub text: String,
    /// The declared type, as SQL text.
    pub data_type: Option<String>,
    pub not_null: bool,
}

/// A `UNIQUE` constraint or unique index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UniqueKey {
    pub cols: Vec<Name>,
    /// The `WHERE` of a partial unique index, as SQL text.
    pub predicate: Option<String>,
    /// Where the statement that declared it starts in the input (0 for `schema`): from there on
    /// the engine enforces it, and `ON CONFLICT` / `ON DUPLICATE KEY` may rely on it.
    pub at: usize,
}

/// What the DDL says about one table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub name: Vec<Name>,
    pub columns: Vec<Column>,
    pub primary_key: Option<Vec<Name>>,
    /// Where the statement that declared the primary key starts in the input (0 for `schema`).
    pub primary_key_at: usize,
    pub unique: Vec<UniqueKey>,
    pub partition: Option<Vec<Name>>,
    /// The timings and events of the triggers declared on the table (`BEFORE UPDATE`, ...):
    /// an upsert that rewrites a row fires them, so a rerun may change the row.
    pub triggers: Vec<Trigger>,
}

/// A trigger on a table, as far as a rerun is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trigger {
    /// `BEFORE` (or `INSTEAD OF`): it can change the row being written.
    pub before: bool,
    pub on_insert: bool,
    pub on_update: bool,
}

/// Whether a unique constraint with the asked columns is in force at a point of the script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enforced<'a> {
    /// In force; with the `WHERE` of a partial unique index.
    Yes(Option<&'a str>),
    /// Declared only by a statement that starts at this offset, after the point asked about.
    Later(usize),
    /// No constraint has these columns.
    No,
}

impl Column {
    fn new(name: Name, dialect: Dialect, data_type: Option<String>, not_null: bool) -> Self {
        let sql = name.to_sql(dialect);
        Column {
            text: if sql == name.value {
                String::new()
            } else {
                sql
            },
            name,
            data_type,
            not_null,
        }
    }

    /// The name as SQL text.
    pub fn sql(&self) -> &str {
        if self.text.is_empty() {
            &self.name.value
        } else {
            &self.text
        }
    }
}

impl Table {
    /// The key the DDL gives: the primary key, else the first unique constraint whose
    /// columns are all NOT NULL, else the first unique constraint.
    pub fn key(&self) -> Option<&[Name]> {
        if let Some(pk) = &self.primary_key {
            return Some(pk);
        }
        let all_not_null = |u: &&UniqueKey| {
            u.cols.iter().all(|c| {
                self.column(c, CaseFolding::Insensitive)
                    .is_some_and(|c| c.not_null)
            })
        };
        let whole = || self.unique.iter().filter(|u| u.predicate.is_none());
        whole()
            .find(all_not_null)
            .or_else(|| whole().next())
            .or_else(|| self.unique.first())
            .map(|u| u.cols.as_slice())
    }

    /// The unique constraint whose columns are exactly `cols` (in any order): `Some(None)` for
    /// the primary key or a full unique constraint, `Some(Some(predicate))` for a partial unique
    /// index, `None` when no constraint has these columns.
    pub fn unique_matching(&self, cols: &[&Name], folding: CaseFolding) -> Option<Option<&str>> {
        let same_set = |key: &[Name]| {
            key.len() == cols.len() && key.iter().all(|k| cols.iter().any(|c| c.same(k, folding)))
        };
        if self.primary_key.as_deref().is_some_and(same_set) {
            return Some(None);
        }
        let mut found: Option<Option<&str>> = None;
        for u in &self.unique {
            if same_set(&u.cols) {
                match u.predicate.as_deref() {
                    None => return Some(None),
                    Some(p) => found = found.or(Some(Some(p))),
                }
            }
        }
        found
    }

    /// Like [`Table::unique_matching`], at the statement starting at `at`: a constraint declared
    /// by a later statement (pg_dump adds every key after the data) is not in force yet.
    pub fn unique_enforced(&self, cols: &[&Name], folding: CaseFolding, at: usize) -> Enforced<'_> {
        let same_set = |key: &[Name]| {
            key.len() == cols.len() && key.iter().all(|k| cols.iter().any(|c| c.same(k, folding)))
        };
        let mut later: Option<usize> = None;
        let mut note_later = |when: usize| later = Some(later.map_or(when, |l| l.min(when)));
        if self.primary_key.as_deref().is_some_and(same_set) {
            if self.primary_key_at <= at {
                return Enforced::Yes(None);
            }
            note_later(self.primary_key_at);
        }
        let mut partial: Option<&str> = None;
        for u in self.unique.iter().filter(|u| same_set(&u.cols)) {
            if u.at > at {
                note_later(u.at);
                continue;
            }
            match u.predicate.as_deref() {
                None => return Enforced::Yes(None),
                Some(p) => partial = partial.or(Some(p)),
            }
        }
        match (partial, later) {
            (Some(p), _) => Enforced::Yes(Some(p)),
            (None, Some(l)) => Enforced::Later(l),
            (None, None) => Enforced::No,
        }
    }

    /// How many distinct unique keys (primary key included) the table has.
    pub fn unique_key_count(&self) -> usize {
        self.primary_key.iter().count() + self.unique.len()
    }

    pub fn column(&self, name: &Name, folding: CaseFolding) -> Option<&Column> {
        self.columns.iter().find(|c| c.name.same(name, folding))
    }

    /// Whether `name` may hold NULL: `Some(true)` when the DDL declares it without NOT NULL
    /// (and not in the primary key), `Some(false)` when it cannot, `None` when the column is unknown.
    pub fn nullable(&self, name: &Name, folding: CaseFolding) -> Option<bool> {
        if self
            .primary_key
            .as_ref()
            .is_some_and(|pk| pk.iter().any(|k| k.same(name, folding)))
        {
            return Some(false);
        }
        self.column(name, folding).map(|c| !c.not_null)
    }
}

/// Every table the DDL describes.
#[derive(Debug, Clone)]
pub struct Catalog {
    dialect: Dialect,
    folding: CaseFolding,
    tables: Vec<Table>,
    /// Each table's full name (`tables[i]`'s database and schema as far as they are known).
    full: Vec<FullName>,
    /// Table positions by their own name's folded last part.
    index: std::collections::HashMap<String, Vec<usize>>,
    /// The scope the DDL being learned runs in.
    scope: Scope,
    /// The scope in force from each offset of the input on, in order.
    scopes: Vec<(usize, Scope)>,
    /// The last name looked up, in which scope, and its answer: a dump inserts into one table
    /// many times in a row.
    last: std::cell::RefCell<Option<(Vec<Name>, usize, Found)>>,
    /// Where the statement being learnt starts in the input (0 while learning `schema`).
    at: usize,
}

/// What a table name refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    Table(usize),
    /// Several tables in different schemas fit: their names as the DDL wrote them.
    Ambiguous(Vec<usize>),
    Missing,
}

impl Catalog {
    pub fn new(dialect: Dialect) -> Self {
        let rules = dialect.caps().names;
        Catalog {
            dialect,
            folding: rules.folding,
            tables: Vec::new(),
            full: Vec::new(),
            index: std::collections::HashMap::new(),
            scope: Scope::start(&rules),
            scopes: Vec::new(),
            last: std::cell::RefCell::new(None),
            at: 0,
        }
    }

    /// The statements learnt next start at `at` in the input: the keys they declare are in
    /// force from there on.
    pub fn set_position(&mut self, at: usize) {
        self.at = at;
    }

    #[cfg(test)]
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// Start learning a new text (the input after `--schema`): it starts in the default scope.
    pub fn start_text(&mut self) {
        self.scope = Scope::start(&self.dialect.caps().names);
    }

    /// Follow a statement that may change the current database or schema (`USE`, `SET
    /// search_path`, psql `\c`, ...); `at` is its offset in the input, when it is the input's.
    pub fn follow_scope(&mut self, code: &str, at: Option<usize>) {
        let caps = self.dialect.caps();
        if self.scope.follow(code, &caps.names, caps.lex) {
            if let Some(at) = at {
                self.scopes.push((at, self.scope.clone()));
            }
        }
    }

    /// The scope in force at input offset `at`.
    fn scope_at(&self, at: usize) -> (usize, Scope) {
        let i = self.scopes.partition_point(|(o, _)| *o <= at);
        match i.checked_sub(1).and_then(|j| self.scopes.get(j)) {
            Some((_, s)) => (i, s.clone()),
            None => (0, Scope::start(&self.dialect.caps().names)),
        }
    }

    /// Do the known parts of two full names agree?
    fn compatible(&self, a: &FullName, b: &FullName) -> Option<usize> {
        if a.len() != b.len() {
            return None;
        }
        let mut known = 0;
        for (x, y) in a.iter().zip(b) {
            if let (Some(x), Some(y)) = (x, y) {
                if !x.same(y, self.folding) {
                    return None;
                }
                known += 1;
            }
        }
        Some(known)
    }

    /// The table `name` denotes in `scope`: the one table whose known name parts agree with
    /// it (the one agreeing on the most parts when several do, ambiguous on a tie).
    fn find(&self, name: &[Name], scope: &Scope) -> Found {
        let Some(last) = name.last() else {
            return Found::Missing;
        };
        let Some(candidates) = self.index.get(&last.key(self.folding)) else {
            return Found::Missing;
        };
        for full in scope.resolve(name) {
            let mut best: Vec<(usize, usize)> = candidates
                .iter()
                .filter_map(|&i| self.compatible(&self.full[i], &full).map(|k| (k, i)))
                .collect();
            let Some(top) = best.iter().map(|(k, _)| *k).max() else {
                continue;
            };
            best.retain(|(k, _)| *k == top);
            return match best.as_slice() {
                [(_, i)] => Found::Table(*i),
                _ => Found::Ambiguous(best.iter().map(|(_, i)| *i).collect()),
            };
        }
        Found::Missing
    }

    /// The table `name` refers to, in the scope a script starts in. Names must agree on every
    /// part that is known: an unqualified PostgreSQL name is in `public`, not in another schema.
    #[allow(dead_code)] // for callers without a position in the input
    pub fn lookup(&self, name: &[Name]) -> Option<&Table> {
        self.lookup_at(name, 0)
    }

    /// The table `name` refers to at input offset `at` (after the `USE` and `SET search_path`
    /// before it).
    pub fn lookup_at(&self, name: &[Name], at: usize) -> Option<&Table> {
        match self.resolve_at(name, at) {
            Found::Table(i) => self.tables.get(i),
            _ => None,
        }
    }

    /// What `name` denotes at input offset `at`.
    pub(crate) fn resolve_at(&self, name: &[Name], at: usize) -> Found {
        let (scope_id, scope) = self.scope_at(at);
        if let Some((n, id, found)) = self.last.borrow().as_ref() {
            if *id == scope_id && n.as_slice() == name {
                return found.clone();
            }
        }
        let found = self.find(name, &scope);
        *self.last.borrow_mut() = Some((name.to_vec(), scope_id, found.clone()));
        found
    }

    /// The names of the tables `found` lists as ambiguous, as the DDL wrote them.
    pub(crate) fn names_of(&self, found: &Found) -> Vec<String> {
        let Found::Ambiguous(list) = found else {
            return Vec::new();
        };
        list.iter()
            .filter_map(|&i| self.tables.get(i))
            .map(|t| {
                t.name
                    .iter()
                    .map(|n| n.to_sql(self.dialect))
                    .collect::<Vec<_>>()
                    .join(".")
            })
            .collect()
    }

    /// The full name a table created as `name` gets in the current scope.
    fn created_name(&self, name: &[Name]) -> FullName {
        self.scope
            .resolve(name)
            .into_iter()
            .next()
            .unwrap_or_else(|| {
                let mut f: FullName = vec![None; self.dialect.caps().names.containers.max(1)];
                f.push(name.last().cloned());
                f
            })
    }

    /// The table a `CREATE TABLE name` defines: the one of exactly that full name, or a new one.
    fn entry(&mut self, name: Vec<Name>) -> &mut Table {
        self.last.replace(None);
        let full = self.created_name(&name);
        let key = name.last().map(|n| n.key(self.folding)).unwrap_or_default();
        let same = |f: &FullName| {
            f.len() == full.len()
                && f.iter().zip(&full).all(|(a, b)| match (a, b) {
                    (Some(a), Some(b)) => a.same(b, self.folding),
                    (None, None) => true,
                    _ => false,
                })
        };
        let existing = self
            .index
            .get(&key)
            .and_then(|c| c.iter().copied().find(|&i| same(&self.full[i])));
        let i = match existing {
            Some(i) => i,
            None => {
                self.tables.push(Table {
                    name,
                    ..Table::default()
                });
                self.full.push(full);
                let i = self.tables.len() - 1;
                self.index.entry(key).or_default().push(i);
                i
            }
        };
        &mut self.tables[i]
    }

    /// The table an `ALTER TABLE name` or `CREATE INDEX ... ON name` changes: the one `name`
    /// denotes now, else a new one.
    fn existing(&mut self, name: Vec<Name>) -> &mut Table {
        match self.find(&name, &self.scope.clone()) {
            Found::Table(i) => {
                self.last.replace(None);
                &mut self.tables[i]
            }
            _ => self.entry(name),
        }
    }

    /// Learn from one parsed statement; statements that are not DDL are ignored.
    pub fn learn(&mut self, stmt: &Statement, text: &str) {
        match stmt {
            Statement::CreateTable(ct) => {
                let table = table_from_create(ct, self.dialect);
                let partition = scan_partition(text, self.dialect);
                self.replace(Table {
                    partition: table.partition.clone().or(partition),
                    ..table
                });
            }
            Statement::CreateIndex(ci) if ci.unique => {
                let cols = index_columns(&ci.columns);
                if !cols.is_empty() {
                    let name = object_parts(&ci.table_name);
                    let predicate = ci.predicate.as_ref().map(|p| p.to_string());
                    let at = self.at;
                    self.existing(name).unique.push(UniqueKey {
                        cols,
                        predicate,
                        at,
                    });
                }
            }
            Statement::AlterTable(alter) => {
                let name = object_parts(&alter.name);
                let at = self.at;
                for op in &alter.operations {
                    if let AlterTableOperation::AddConstraint { constraint, .. } = op {
                        let entry = self.existing(name.clone());
                        add_constraint(entry, constraint, at);
                    }
                }
            }
            Statement::Drop { .. } => {}
            _ => {}
        }
    }

    /// Learn from a DDL statement sqlparser could not read: a `CREATE TABLE` whose column list
    /// it reads alone, else what the statement's tokens declare (columns, keys, NOT NULL). The
    /// statement is still reported as unparsed by the main pass; only its declarations are kept.
    pub fn learn_unparsed(&mut self, text: &str) {
        if self.learn_unparsed_create(text) {
            return;
        }
        match ddl_tokens::scan(text, self.dialect) {
            Some(ddl_tokens::Declared::Table(table)) => {
                let partition = scan_partition(text, self.dialect);
                self.replace(Table {
                    partition: table.partition.clone().or(partition),
                    ..table
                });
            }
            Some(ddl_tokens::Declared::Keys {
                table,
                primary_key,
                unique,
            }) => {
                let (folding, at) = (self.folding, self.at);
                let entry = self.existing(table);
                if let Some(pk) = primary_key {
                    for c in entry.columns.iter_mut() {
                        if pk.iter().any(|k| k.same(&c.name, folding)) {
                            c.not_null = true;
                        }
                    }
                    entry.primary_key = Some(pk);
                    entry.primary_key_at = at;
                }
                entry
                    .unique
                    .extend(unique.into_iter().map(|u| UniqueKey { at, ..u }));
            }
            None => {}
        }
    }

    /// Learn from a `CREATE TABLE` that sqlparser could not read whole: read its name and
    /// column list alone, and scan the rest for a partition clause. Whether it could.
    pub fn learn_unparsed_create(&mut self, text: &str) -> bool {
        let opts = self.dialect.caps().lex;
        let toks = code_tokens(text, opts);
        let Some(open) = toks.iter().position(|t| t.is_punct(text, '(')) else {
            return false;
        };
        let Some(close) = matching_paren(&toks, open, text) else {
            return false;
        };
        let head = &text[..toks[close].end];
        let dialect = self.dialect.parser_dialect();
        let Ok(stmts) = crate::parse::parse(&*dialect, head) else {
            return false;
        };
        let Some(Statement::CreateTable(ct)) = stmts.first() else {
            return false;
        };
        let table = table_from_create(ct, self.dialect);
        let partition = scan_partition(text, self.dialect);
        self.replace(Table {
            partition: table.partition.clone().or(partition),
            ..table
        });
        true
    }

    /// A `CREATE TABLE` replaces what was known of the table; its keys are in force from the
    /// statement on. Triggers declared before survive a re-create only if declared again, as
    /// on the engine.
    fn replace(&mut self, mut table: Table) {
        table.primary_key_at = self.at;
        for u in &mut table.unique {
            u.at = self.at;
        }
        let entry = self.entry(table.name.clone());
        *entry = table;
    }

    /// Learn the trigger a `CREATE [OR REPLACE] [DEFINER = x] TRIGGER name {BEFORE | AFTER |
    /// INSTEAD OF} event [OR event ...] ON table` declares, from its tokens: trigger bodies
    /// are where sqlparser fails most, and only the head matters here.
    pub fn learn_trigger(&mut self, text: &str) {
        let toks = code_tokens(text, self.dialect.caps().lex);
        // The object kind comes before any parenthesis or other kind (`RETURNS trigger` of a
        // function, a column named `trigger`).
        let Some(kw) = toks
            .iter()
            .take_while(|t| {
                !t.is_punct(text, '(')
                    && !["TABLE", "FUNCTION", "PROCEDURE", "VIEW", "INDEX"]
                        .iter()
                        .any(|k| t.is_word(text, k))
            })
            .position(|t| t.is_word(text, "TRIGGER"))
        else {
            return;
        };
        let head = &toks[kw + 1..];
        let Some(on) = head.iter().position(|t| t.is_word(text, "ON")) else {
            return;
        };
        let words = &head[..on];
        let has = |w: &str| words.iter().any(|t| t.is_word(text, w));
        let trigger = Trigger {
            before: has("BEFORE") || has("INSTEAD"),
            on_insert: has("INSERT"),
            on_update: has("UPDATE"),
        };
        let Some(name) = table_name_at(&head[on + 1..], text) else {
            return;
        };
        self.entry(name).triggers.push(trigger);
    }
}

/// The possibly qualified name the tokens start with (`a.b.c`, any quoting).
fn table_name_at(toks: &[Token], text: &str) -> Option<Vec<Name>> {
    let mut parts = vec![ident_name(toks.first()?, text)?];
    let mut i = 1;
    while toks.get(i).is_some_and(|t| t.is_punct(text, '.')) {
        parts.push(ident_name(toks.get(i + 1)?, text)?);
        i += 2;
    }
    Some(parts)
}

fn table_from_create(ct: &CreateTable, dialect: Dialect) -> Table {
    let mut table = Table {
        name: object_parts(&ct.name),
        ..Table::default()
    };
    for col in &ct.columns {
        let name = Name::from(&col.name);
        let mut not_null = false;
        for opt in &col.options {
            match &opt.option {
                ColumnOption::NotNull => not_null = true,
                ColumnOption::PrimaryKey(_) => {
                    not_null = true;
                    table.primary_key = Some(vec![name.clone()]);
                }
                ColumnOption::Unique(_) => table.unique.push(UniqueKey {
                    cols: vec![name.clone()],
                    predicate: None,
                    at: 0,
                }),
                _ => {}
            }
        }
        let data_type = Some(col.data_type.to_string()).filter(|t| !t.is_empty());
        table
            .columns
            .push(Column::new(name, dialect, data_type, not_null));
    }
    for c in &ct.constraints {
        add_constraint(&mut table, c, 0);
    }
    if let HiveDistributionStyle::PARTITIONED { columns } = &ct.hive_distribution {
        let names: Vec<Name> = columns.iter().map(|c| Name::from(&c.name)).collect();
        // Hive declares partition columns apart from the others; they are columns too.
        for c in columns {
            let n = Name::from(&c.name);
            if table.column(&n, dialect.caps().names.folding).is_none() {
                table.columns.push(Column::new(
                    n,
                    dialect,
                    Some(c.data_type.to_string()),
                    false,
                ));
            }
        }
        if !names.is_empty() {
            table.partition = Some(names);
        }
    }
    if table.partition.is_none() {
        if let Some(expr) = &ct.partition_by {
            if let Some(cols) = partition_expr_columns(expr) {
                table.partition = Some(cols);
            }
        }
    }
    // A primary key's columns are NOT NULL.
    if let Some(pk) = table.primary_key.clone() {
        for k in pk {
            if let Some(c) = table
                .columns
                .iter_mut()
                .find(|c| c.name.same(&k, dialect.caps().names.folding))
            {
                c.not_null = true;
            }
        }
    }
    table
}

/// A plain column, or `RANGE (a, b)` / `LIST (a)`: the partition columns. Expressions such as
/// `DATE(ts)` are not plain columns and give `None`.
fn partition_expr_columns(expr: &Expr) -> Option<Vec<Name>> {
    match expr {
        Expr::Identifier(i) => Some(vec![Name::from(i)]),
        Expr::Nested(inner) => partition_expr_columns(inner),
        Expr::Tuple(items) => items
            .iter()
            .map(|e| match e {
                Expr::Identifier(i) => Some(Name::from(i)),
                _ => None,
            })
            .collect(),
        Expr::Function(f) => {
            let fname = f.name.to_string().to_ascii_uppercase();
            if !matches!(fname.as_str(), "RANGE" | "LIST" | "HASH") {
                return None;
            }
            let sqlparser::ast::FunctionArguments::List(list) = &f.args else {
                return None;
            };
            list.args
                .iter()
                .map(|a| match a {
                    sqlparser::ast::FunctionArg::Unnamed(
                        sqlparser::ast::FunctionArgExpr::Expr(Expr::Identifier(i)),
                    ) => Some(Name::from(i)),
                    _ => None,
                })
                .collect()
        }
        _ => None,
    }
}

fn index_columns(cols: &[IndexColumn]) -> Vec<Name> {
    cols.iter()
        .filter_map(|c| match &c.column.expr {
            Expr::Identifier(i) => Some(Name::from(i)),
            _ => None,
        })
        .collect()
}

/// Add a table constraint declared by the statement starting at `at`.
fn add_constraint(table: &mut Table, c: &TableConstraint, at: usize) {
    match c {
        TableConstraint::PrimaryKey(pk) => {
            let cols = index_columns(&pk.columns);
            if !cols.is_empty() {
                for k in &cols {
                    if let Some(col) = table
                        .columns
                        .iter_mut()
                        .find(|c| c.name.same(k, CaseFolding::Sensitive))
                    {
                        col.not_null = true;
                    }
                }
                table.primary_key = Some(cols);
                table.primary_key_at = at;
            }
        }
        TableConstraint::Unique(u) => {
            let cols = index_columns(&u.columns);
            if !cols.is_empty() {
                table.unique.push(UniqueKey {
                    cols,
                    predicate: None,
                    at,
                });
            }
        }
        _ => {}
    }
}

fn ident_name(tok: &Token, text: &str) -> Option<Name> {
    let raw = tok.text(text);
    match tok.kind {
        Kind::Word => Some(Name::unquoted(raw)),
        Kind::QuotedIdent if raw.len() >= 2 => {
            let close = raw.chars().last().unwrap_or('"');
            Some(Name {
                value: raw[1..raw.len() - 1]
                    .replace(&format!("{close}{close}"), &close.to_string()),
                quoted: true,
            })
        }
        Kind::String if raw.len() >= 2 && raw.starts_with('\'') => Some(Name {
            value: raw[1..raw.len() - 1].replace("''", "'"),
            quoted: false,
        }),
        _ => None,
    }
}

/// Scan a CREATE TABLE's text after its column list for the partition columns:
/// `PARTITIONED BY (a, b)`, `PARTITION BY a`, `PARTITION BY (a)`, `PARTITION BY RANGE (a)`,
/// `partitioning = ARRAY['a']` / `partitioned_by = ARRAY['a']` (Trino).
pub fn scan_partition(text: &str, dialect: Dialect) -> Option<Vec<Name>> {
    let toks = code_tokens(text, dialect.caps().lex);
    let open = toks.iter().position(|t| t.is_punct(text, '('))?;
    let close = matching_paren(&toks, open, text)?;
    let tail = &toks[close + 1..];
    let mut i = 0;
    while i < tail.len() {
        let t = &tail[i];
        let is_by = tail.get(i + 1).is_some_and(|n| n.is_word(text, "BY"));
        if (t.is_word(text, "PARTITIONED") || t.is_word(text, "PARTITION")) && is_by {
            let mut j = i + 2;
            if tail.get(j).is_some_and(|n| {
                n.is_word(text, "RANGE") || n.is_word(text, "LIST") || n.is_word(text, "HASH")
            }) {
                j += 1;
            }
            if tail.get(j).is_some_and(|n| n.is_punct(text, '(')) {
                // A list of columns, each maybe followed by a type (Hive).
                let mut names = Vec::new();
                let mut expect_name = true;
                let mut depth = 0usize;
                for tok in &tail[j + 1..] {
                    if tok.is_punct(text, '(') {
                        depth += 1;
                        if depth == 1 && !expect_name && names.is_empty() {
                            return None;
                        }
                    } else if tok.is_punct(text, ')') {
                        if depth == 0 {
                            break;
                        }
                        depth -= 1;
                    } else if depth == 0 && tok.is_punct(text, ',') {
                        expect_name = true;
                    } else if depth == 0 && expect_name {
                        names.push(ident_name(tok, text)?);
                        expect_name = false;
                    }
                }
                return (!names.is_empty()).then_some(names);
            }
            let name = ident_name(tail.get(j)?, text)?;
            // `PARTITION BY DATE(ts)`: an expression, not a column.
            if tail
                .get(j + 1)
                .is_some_and(|n| n.is_punct(text, '(') || n.kind == Kind::Op)
            {
                return None;
            }
            return Some(vec![name]);
        }
        if (t.is_word(text, "partitioning") || t.is_word(text, "partitioned_by"))
            && tail.get(i + 1).is_some_and(|n| n.text(text) == "=")
            && tail.get(i + 2).is_some_and(|n| n.is_word(text, "ARRAY"))
        {
            let names: Vec<Name> = tail[i + 3..]
                .iter()
                .take_while(|n| !n.is_punct(text, ']'))
                .filter(|n| n.kind == Kind::String)
                .filter_map(|n| ident_name(n, text))
                .collect();
            return (!names.is_empty()).then_some(names);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::parse_qualified;
    use sqlparser::parser::Parser;

    fn catalog(dialect: Dialect, ddl: &str) -> Catalog {
        let mut c = Catalog::new(dialect);
        let pd = dialect.parser_dialect();
        for part in ddl.split(';').filter(|p| !p.trim().is_empty()) {
            match Parser::parse_sql(&*pd, part) {
                Ok(stmts) => {
                    for s in &stmts {
                        c.learn(s, part);
                    }
                }
                Err(_) => c.learn_unparsed(part),
            }
        }
        c
    }

    fn name(d: Dialect, s: &str) -> Vec<Name> {
        parse_qualified(s, d).unwrap()
    }

    #[test]
    fn keys_from_each_form() {
        let d = Dialect::Postgres;
        let c = catalog(
            d,
            "CREATE TABLE a (id int PRIMARY KEY, v text);
             CREATE TABLE b (x int NOT NULL, y int NOT NULL, CONSTRAINT pk PRIMARY KEY (x, y));
             CREATE TABLE c (e text);
             CREATE UNIQUE INDEX ci ON c (e);
             CREATE TABLE s.d (k int, v int);
             ALTER TABLE s.d ADD CONSTRAINT dk UNIQUE (k);",
        );
        let key = |t: &str| -> Vec<String> {
            c.lookup(&name(d, t))
                .and_then(Table::key)
                .unwrap()
                .iter()
                .map(|n| n.value.clone())
                .collect()
        };
        assert_eq!(key("a"), vec!["id"]);
        assert_eq!(key("B"), vec!["x", "y"]);
        assert_eq!(key("c"), vec!["e"]);
        assert_eq!(key("s.d"), vec!["k"]);
        // An unqualified name does not guess another schema; the default schema is the table.
        assert!(c.lookup(&name(d, "d")).is_none());
        assert_eq!(key("public.a"), vec!["id"]);
        let dt = c.lookup(&name(d, "s.d")).unwrap();
        assert_eq!(
            dt.nullable(&Name::unquoted("k"), CaseFolding::Lower),
            Some(true)
        );
        let a = c.lookup(&name(d, "a")).unwrap();
        assert_eq!(
            a.nullable(&Name::unquoted("id"), CaseFolding::Lower),
            Some(false)
        );
        assert!(c.lookup(&name(d, "\"A\"")).is_none());
    }

    #[test]
    fn partitions_from_each_form() {
        let part = |d: Dialect, ddl: &str| -> Option<Vec<String>> {
            let c = catalog(d, ddl);
            c.tables()
                .first()
                .and_then(|t| t.partition.clone())
                .map(|p| p.into_iter().map(|n| n.value).collect())
        };
        let one = Some(vec!["d".to_string()]);
        assert_eq!(
            part(
                Dialect::Postgres,
                "CREATE TABLE ev (d date, id int) PARTITION BY RANGE (d)"
            ),
            one
        );
        assert_eq!(
            part(
                Dialect::Bigquery,
                "CREATE TABLE ev (d date, id int) PARTITION BY d"
            ),
            one
        );
        assert_eq!(
            part(
                Dialect::Bigquery,
                "CREATE TABLE ev (ts timestamp) PARTITION BY DATE(ts)"
            ),
            None
        );
        assert_eq!(
            part(
                Dialect::Databricks,
                "CREATE TABLE ev (id int, d date) USING DELTA PARTITIONED BY (d)"
            ),
            one
        );
        assert_eq!(
            part(
                Dialect::Hive,
                "CREATE TABLE ev (id int) PARTITIONED BY (d string) STORED AS ORC"
            ),
            one
        );
        assert_eq!(
            part(
                Dialect::Clickhouse,
                "CREATE TABLE ev (id UInt32, d Date) ENGINE = MergeTree PARTITION BY d ORDER BY id"
            ),
            one
        );
        assert_eq!(
            part(
                Dialect::Trino,
                "CREATE TABLE ev (id int, d date) WITH (partitioning = ARRAY['d'])"
            ),
            one
        );
        let hive = catalog(
            Dialect::Hive,
            "CREATE TABLE ev (id int) PARTITIONED BY (d string)",
        );
        assert_eq!(hive.tables()[0].columns.len(), 2);
    }
}
