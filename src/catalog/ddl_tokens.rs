//! DDL that sqlparser cannot read, read from its tokens: the columns (name, type text, NOT
//! NULL), the primary key, unique constraints and unique indexes of a `CREATE TABLE`, an
//! `ALTER TABLE ... ADD [CONSTRAINT x] PRIMARY KEY | UNIQUE`, or a `CREATE UNIQUE INDEX`.
//!
//! Vendor DDL is full of options sqlparser does not know (MySQL `VARCHAR(40) BINARY`, SQL Server
//! `PRIMARY KEY NONCLUSTERED (...) WITH (PAD_INDEX = OFF) ON [PRIMARY]`, user-defined types,
//! Oracle storage clauses), but what idemsql needs from it has the same shape everywhere: a
//! parenthesised list of elements split at depth-0 commas, each a column or a constraint. What
//! cannot be read with certainty (an expression or prefix in a key) is left out rather than
//! guessed: a key that is not really unique would make a wrong conflict target.

use super::{Column, Table, UniqueKey, ident_name};
use crate::dialect::Dialect;
use crate::names::Name;
use crate::text::lexer::{Kind, Token, code_tokens};
use crate::text::tokens::matching_paren;

/// What one unreadable DDL statement declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Declared {
    /// A whole table (its partition is scanned apart).
    Table(Table),
    /// Keys added to an existing table by `ALTER TABLE` or `CREATE UNIQUE INDEX`.
    Keys {
        table: Vec<Name>,
        primary_key: Option<Vec<Name>>,
        unique: Vec<UniqueKey>,
    },
}

/// Read `text` (one statement's code) when it is one of the DDL forms above.
pub(super) fn scan(text: &str, dialect: Dialect) -> Option<Declared> {
    let toks = code_tokens(text, dialect.caps().lex);
    let r = Reader { toks: &toks, text };
    if toks.first()?.is_word(text, "CREATE") {
        // `CREATE [OR REPLACE] [TEMPORARY | GLOBAL TEMPORARY | UNLOGGED ...] TABLE`,
        // `CREATE UNIQUE [CLUSTERED | NONCLUSTERED] INDEX`.
        let lead = (1..toks.len().min(8))
            .take_while(|&i| toks[i].kind == Kind::Word)
            .find(|&i| toks[i].is_word(text, "TABLE") || toks[i].is_word(text, "INDEX"))?;
        if toks[lead].is_word(text, "TABLE") {
            return r.create_table(lead + 1, dialect).map(Declared::Table);
        }
        if toks[1..lead].iter().any(|t| t.is_word(text, "UNIQUE")) {
            return r.unique_index(lead + 1);
        }
        return None;
    }
    if toks.first()?.is_word(text, "ALTER") && toks.get(1)?.is_word(text, "TABLE") {
        return r.alter_table(2);
    }
    None
}

/// Tokens of one statement and its text.
struct Reader<'a> {
    toks: &'a [Token],
    text: &'a str,
}

/// The words that end a column's type and start its constraints or options.
const AFTER_TYPE: &[&str] = &[
    "NOT",
    "NULL",
    "PRIMARY",
    "UNIQUE",
    "DEFAULT",
    "CONSTRAINT",
    "REFERENCES",
    "CHECK",
    "COLLATE",
    "CHARACTER",
    "CHARSET",
    "BINARY",
    "AUTO_INCREMENT",
    "AUTOINCREMENT",
    "IDENTITY",
    "GENERATED",
    "COMMENT",
    "ON",
    "AS",
    "ENCODE",
    "SPARSE",
    "ROWGUIDCOL",
    "MASKED",
    "INVISIBLE",
    "VISIBLE",
    "STORAGE",
    "COLUMN_FORMAT",
    "KEY",
    "ENABLE",
    "DISABLE",
    "WITH",
    "FILESTREAM",
    "SERIAL",
];

/// Table elements that are neither columns nor keys.
const OTHER_ELEMENTS: &[&str] = &[
    "KEY", "INDEX", "FULLTEXT", "SPATIAL", "CHECK", "FOREIGN", "EXCLUDE", "LIKE", "PERIOD",
];

impl<'a> Reader<'a> {
    fn is(&self, i: usize, word: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_word(self.text, word))
    }

    fn punct(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_punct(self.text, c))
    }

    /// Skip `IF NOT EXISTS` / `IF EXISTS` at `i`.
    fn skip_if_exists(&self, mut i: usize) -> usize {
        if self.is(i, "IF") {
            i += 1;
            if self.is(i, "NOT") {
                i += 1;
            }
            if self.is(i, "EXISTS") {
                i += 1;
            }
        }
        i
    }

    /// A possibly qualified name at `i`: its parts and the index after it.
    fn object_name(&self, mut i: usize) -> Option<(Vec<Name>, usize)> {
        let mut parts = Vec::new();
        loop {
            let tok = self.toks.get(i)?;
            if !matches!(tok.kind, Kind::Word | Kind::QuotedIdent) {
                return None;
            }
            let name = ident_name(tok, self.text)?;
            // BigQuery's `proj.ds.t` is three parts in one quoted name.
            if tok.text(self.text).starts_with('`') && name.value.contains('.') {
                parts.extend(name.value.split('.').map(|p| Name {
                    value: p.to_string(),
                    quoted: true,
                }));
            } else {
                parts.push(name);
            }
            i += 1;
            if !self.punct(i, '.') {
                return Some((parts, i));
            }
            i += 1;
        }
    }

    /// The elements of the parenthesised list opening at `open`: token ranges split at
    /// depth-0 commas, and the index of the closing parenthesis.
    fn elements(&self, open: usize) -> Option<(Vec<(usize, usize)>, usize)> {
        let close = matching_paren(self.toks, open, self.text)?;
        let mut out = Vec::new();
        let mut depth = 0usize;
        let mut start = open + 1;
        for i in open + 1..close {
            let t = &self.toks[i];
            if t.is_punct(self.text, '(') {
                depth += 1;
            } else if t.is_punct(self.text, ')') {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && t.is_punct(self.text, ',') {
                out.push((start, i));
                start = i + 1;
            }
        }
        out.push((start, close));
        Some((out.into_iter().filter(|(s, e)| s < e).collect(), close))
    }

    /// A key's column list at `open`: plain column names, each maybe with `ASC`/`DESC`. A list
    /// with an expression or a prefix length (`email(50)`) is not a key on the columns: `None`.
    fn key_columns(&self, open: usize) -> Option<(Vec<Name>, usize)> {
        if !self.punct(open, '(') {
            return None;
        }
        let (items, close) = self.elements(open)?;
        let mut cols = Vec::new();
        for (s, e) in items {
            let tok = &self.toks[s];
            if !matches!(tok.kind, Kind::Word | Kind::QuotedIdent) {
                return None;
            }
            let plain = (s + 1..e).all(|i| {
                ["ASC", "DESC", "NULLS", "FIRST", "LAST"]
                    .iter()
                    .any(|w| self.is(i, w))
            });
            if !plain {
                return None;
            }
            cols.push(ident_name(tok, self.text)?);
        }
        (!cols.is_empty()).then_some((cols, close))
    }

    /// After `PRIMARY KEY` or `UNIQUE [KEY | INDEX] [name]`: skip to the column list (past
    /// `CLUSTERED`, `NONCLUSTERED`, `USING BTREE`, an index name) and read it.
    fn constraint_columns(&self, mut i: usize, end: usize) -> Option<Vec<Name>> {
        while i < end && !self.punct(i, '(') {
            if !matches!(self.toks[i].kind, Kind::Word | Kind::QuotedIdent) {
                return None;
            }
            i += 1;
        }
        self.key_columns(i).map(|(cols, _)| cols)
    }

    /// A table-level constraint in `s..e`, after any `CONSTRAINT name`: `Some(true, cols)` for a
    /// primary key, `Some(false, cols)` for a unique one; `None` for anything else.
    fn table_constraint(&self, s: usize, e: usize) -> Option<(bool, Vec<Name>)> {
        if self.is(s, "PRIMARY") && self.is(s + 1, "KEY") {
            return self.constraint_columns(s + 2, e).map(|c| (true, c));
        }
        if self.is(s, "UNIQUE") {
            return self.constraint_columns(s + 1, e).map(|c| (false, c));
        }
        None
    }

    /// Skip a leading `CONSTRAINT name`.
    fn skip_constraint_name(&self, s: usize, e: usize) -> usize {
        if self.is(s, "CONSTRAINT") && s + 2 <= e {
            s + 2
        } else {
            s
        }
    }

    /// `CREATE TABLE` from the token after `TABLE`.
    fn create_table(&self, i: usize, dialect: Dialect) -> Option<Table> {
        let i = self.skip_if_exists(i);
        let (name, i) = self.object_name(i)?;
        if !self.punct(i, '(') {
            return None;
        }
        let (elements, _) = self.elements(i)?;
        let mut table = Table {
            name,
            ..Table::default()
        };
        for (s, e) in elements {
            self.element(&mut table, s, e, dialect);
        }
        let folding = dialect.caps().names.folding;
        if let Some(pk) = &table.primary_key {
            for c in table.columns.iter_mut() {
                if pk.iter().any(|k| k.same(&c.name, folding)) {
                    c.not_null = true;
                }
            }
        }
        Some(table)
    }

    /// One element of a CREATE TABLE's list: a column or a constraint.
    fn element(&self, table: &mut Table, s: usize, e: usize, dialect: Dialect) {
        let named = self.skip_constraint_name(s, e);
        if let Some((primary, cols)) = self.table_constraint(named, e) {
            add_key(table, primary, cols);
            return;
        }
        // A key that could not be read (an expression, a prefix) is still no column.
        let unreadable_key =
            self.is(s, "UNIQUE") || (self.is(s, "PRIMARY") && self.is(s + 1, "KEY"));
        if named > s || unreadable_key || self.is_other_element(s, e) {
            return;
        }
        let tok = &self.toks[s];
        if !matches!(tok.kind, Kind::Word | Kind::QuotedIdent) {
            return;
        }
        let Some(name) = ident_name(tok, self.text) else {
            return;
        };
        let (data_type, rest) = self.column_type(s + 1, e);
        let mut not_null = false;
        let mut depth = 0usize;
        for i in rest..e {
            if self.punct(i, '(') {
                depth += 1;
            } else if self.punct(i, ')') {
                depth = depth.saturating_sub(1);
            } else if depth > 0 {
                continue;
            } else if self.is(i, "NOT") && self.is(i + 1, "NULL") {
                not_null = true;
            } else if self.is(i, "PRIMARY") && self.is(i + 1, "KEY") {
                not_null = true;
                table.primary_key = Some(vec![name.clone()]);
            } else if self.is(i, "UNIQUE") {
                table.unique.push(UniqueKey {
                    cols: vec![name.clone()],
                    predicate: None,
                    at: 0,
                });
            }
        }
        table
            .columns
            .push(Column::new(name, dialect, data_type, not_null));
    }

    /// `KEY ix (a)`, `INDEX ix (a)`, `CHECK (...)`, `FOREIGN KEY ...`: not a column. A column
    /// that happens to be called `key` is quoted or followed by its type, not by `(` or a name
    /// and `(`.
    fn is_other_element(&self, s: usize, e: usize) -> bool {
        let Some(word) = OTHER_ELEMENTS.iter().find(|w| self.is(s, w)) else {
            return false;
        };
        match *word {
            "KEY" | "INDEX" => {
                self.punct(s + 1, '(')
                    || (s + 2 < e && self.punct(s + 2, '('))
                    || self.is(s + 1, "USING")
            }
            "PERIOD" => self.is(s + 1, "FOR"),
            "LIKE" => e - s == 2 || self.punct(s + 2, '.'),
            _ => true,
        }
    }

    /// A column's type from `s`: its text as written (up to the first constraint or option
    /// word at depth 0) and the index after it.
    fn column_type(&self, s: usize, e: usize) -> (Option<String>, usize) {
        let mut depth = 0usize;
        let mut end = s;
        for i in s..e {
            if self.punct(i, '(') {
                depth += 1;
            } else if self.punct(i, ')') {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && i > s && AFTER_TYPE.iter().any(|w| self.is(i, w)) {
                break;
            }
            end = i + 1;
        }
        if end == s {
            return (None, s);
        }
        let text = &self.text[self.toks[s].start..self.toks[end - 1].end];
        (Some(text.to_string()), end)
    }

    /// `CREATE UNIQUE INDEX` from the token after `INDEX`.
    fn unique_index(&self, i: usize) -> Option<Declared> {
        let mut i = self.skip_if_exists(i);
        if !self.is(i, "ON") {
            let (_, next) = self.object_name(i)?;
            i = next;
        }
        if !self.is(i, "ON") {
            return None;
        }
        i += 1;
        if self.is(i, "ONLY") {
            i += 1;
        }
        let (table, mut i) = self.object_name(i)?;
        if self.is(i, "USING") {
            i += 2;
        }
        let (cols, close) = self.key_columns(i)?;
        let predicate = self.index_predicate(close + 1);
        Some(Declared::Keys {
            table,
            primary_key: None,
            unique: vec![UniqueKey {
                cols,
                predicate,
                at: 0,
            }],
        })
    }

    /// The `WHERE` of a filtered index after its column list, up to a depth-0 `WITH` or `ON`.
    fn index_predicate(&self, from: usize) -> Option<String> {
        let w = (from..self.toks.len()).find(|&i| self.is(i, "WHERE"))?;
        let mut depth = 0usize;
        let mut end = w + 1;
        for i in w + 1..self.toks.len() {
            if self.punct(i, '(') {
                depth += 1;
            } else if self.punct(i, ')') {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && (self.is(i, "WITH") || self.is(i, "ON")) {
                break;
            }
            end = i + 1;
        }
        (end > w + 1).then(|| self.text[self.toks[w + 1].start..self.toks[end - 1].end].to_string())
    }

    /// `ALTER TABLE` from the token after `TABLE`: every `ADD [CONSTRAINT x] PRIMARY KEY | UNIQUE`
    /// of its comma-separated actions (mysqldump adds several keys in one statement).
    fn alter_table(&self, i: usize) -> Option<Declared> {
        let mut i = self.skip_if_exists(i);
        if self.is(i, "ONLY") {
            i += 1;
        }
        let (table, mut i) = self.object_name(i)?;
        // T-SQL `WITH CHECK ADD ...`, `WITH NOCHECK ADD ...`.
        if self.is(i, "WITH") {
            i += 2;
        }
        let mut primary_key = None;
        let mut unique = Vec::new();
        for (s, e) in self.actions(i) {
            if !self.is(s, "ADD") {
                continue;
            }
            let named = self.skip_constraint_name(s + 1, e);
            match self.table_constraint(named, e) {
                Some((true, cols)) => primary_key = Some(cols),
                Some((false, cols)) => unique.push(UniqueKey {
                    cols,
                    predicate: None,
                    at: 0,
                }),
                None => {}
            }
        }
        (primary_key.is_some() || !unique.is_empty()).then_some(Declared::Keys {
            table,
            primary_key,
            unique,
        })
    }

    /// Token ranges of the actions from `from` to the end, split at depth-0 commas.
    fn actions(&self, from: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        let mut start = from;
        for i in from..self.toks.len() {
            if self.punct(i, '(') {
                depth += 1;
            } else if self.punct(i, ')') {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && self.punct(i, ',') {
                out.push((start, i));
                start = i + 1;
            }
        }
        out.push((start, self.toks.len()));
        out.retain(|(s, e)| s < e);
        out
    }
}

fn add_key(table: &mut Table, primary: bool, cols: Vec<Name>) {
    if primary {
        table.primary_key = Some(cols);
    } else {
        table.unique.push(UniqueKey {
            cols,
            predicate: None,
            at: 0,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(d: Dialect, sql: &str) -> Table {
        match scan(sql, d) {
            Some(Declared::Table(t)) => t,
            other => panic!("not a table: {other:?}"),
        }
    }

    fn values(names: &[Name]) -> Vec<&str> {
        names.iter().map(|n| n.value.as_str()).collect()
    }

    fn column<'t>(t: &'t Table, name: &str) -> &'t Column {
        t.columns.iter().find(|c| c.name.value == name).unwrap()
    }

    #[test]
    fn mysql_table_with_odd_types_and_keys() {
        let t = table(
            Dialect::Mysql,
            "CREATE TABLE `users` (
               `id` int(11) unsigned NOT NULL AUTO_INCREMENT,
               `password` VARCHAR(40) BINARY NOT NULL,
               `name` varchar(50) CHARACTER SET latin1 COLLATE latin1_bin DEFAULT NULL,
               `price` DECIMAL(10,2) NOT NULL DEFAULT '0.00',
               `kind` ENUM('a','b,c') NOT NULL,
               `email` varchar(100),
               PRIMARY KEY (`id`),
               UNIQUE KEY `u_email` (`email`),
               UNIQUE KEY `u_pre` (`name`(10)),
               KEY `ix_name` (`name`),
               CONSTRAINT `fk` FOREIGN KEY (`kind`) REFERENCES `k` (`id`),
               CHECK (price > 0)
             ) ENGINE=InnoDB DEFAULT CHARSET=utf8",
        );
        assert_eq!(values(&t.name), vec!["users"]);
        assert_eq!(
            t.columns
                .iter()
                .map(|c| c.name.value.as_str())
                .collect::<Vec<_>>(),
            vec!["id", "password", "name", "price", "kind", "email"]
        );
        assert_eq!(values(t.primary_key.as_ref().unwrap()), vec!["id"]);
        // The prefix index is not a key on the whole column.
        assert_eq!(t.unique.len(), 1);
        assert_eq!(values(&t.unique[0].cols), vec!["email"]);
        assert_eq!(
            column(&t, "password").data_type.as_deref(),
            Some("VARCHAR(40)")
        );
        assert_eq!(
            column(&t, "price").data_type.as_deref(),
            Some("DECIMAL(10,2)")
        );
        assert_eq!(
            column(&t, "kind").data_type.as_deref(),
            Some("ENUM('a','b,c')")
        );
        assert_eq!(
            column(&t, "id").data_type.as_deref(),
            Some("int(11) unsigned")
        );
        assert!(column(&t, "id").not_null && column(&t, "password").not_null);
        assert!(!column(&t, "name").not_null && !column(&t, "email").not_null);
    }

    #[test]
    fn sql_server_table_with_clustered_key_and_user_types() {
        let t = table(
            Dialect::Mssql,
            "CREATE TABLE [dbo].[Order Details](
               [OrderID] [int] NOT NULL,
               [ProductID] [int] NOT NULL,
               [Flag] [dbo].[Flag] NULL,
               [Code] nvarchar(10) COLLATE Latin1_General_CI_AS NOT NULL UNIQUE,
               CONSTRAINT [PK_Order_Details] PRIMARY KEY NONCLUSTERED ([OrderID] ASC, [ProductID] ASC)
                 WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF) ON [PRIMARY]
             ) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]",
        );
        assert_eq!(values(&t.name), vec!["dbo", "Order Details"]);
        assert!(t.name[1].quoted);
        assert_eq!(
            values(t.primary_key.as_ref().unwrap()),
            vec!["OrderID", "ProductID"]
        );
        assert_eq!(values(&t.unique[0].cols), vec!["Code"]);
        assert_eq!(
            column(&t, "Flag").data_type.as_deref(),
            Some("[dbo].[Flag]")
        );
        assert!(!column(&t, "Flag").not_null);
        assert!(column(&t, "Code").not_null);
    }

    #[test]
    fn column_level_primary_key_and_oracle_storage() {
        let t = table(
            Dialect::Oracle,
            "CREATE TABLE hr.regions (region_id NUMBER CONSTRAINT reg_id_pk PRIMARY KEY USING INDEX TABLESPACE x,
               region_name VARCHAR2(25) CONSTRAINT reg_name_nn NOT NULL)
             PCTFREE 10 STORAGE (INITIAL 64K) TABLESPACE users",
        );
        assert_eq!(values(t.primary_key.as_ref().unwrap()), vec!["region_id"]);
        assert!(column(&t, "region_id").not_null && column(&t, "region_name").not_null);
        assert_eq!(
            column(&t, "region_name").data_type.as_deref(),
            Some("VARCHAR2(25)")
        );
    }

    #[test]
    fn alter_table_and_unique_index() {
        let keys = |d: Dialect, sql: &str| match scan(sql, d) {
            Some(Declared::Keys {
                table,
                primary_key,
                unique,
            }) => (
                values(&table).join("."),
                primary_key.map(|p| values(&p).join(",")),
                unique
                    .iter()
                    .map(|u| values(&u.cols).join(","))
                    .collect::<Vec<_>>(),
            ),
            other => panic!("no keys: {other:?}"),
        };
        assert_eq!(
            keys(
                Dialect::Mysql,
                "ALTER TABLE `t` ADD PRIMARY KEY (`id`), ADD UNIQUE KEY `u` (`a`,`b`), ADD KEY `k` (`c`)"
            ),
            ("t".into(), Some("id".into()), vec!["a,b".to_string()])
        );
        assert_eq!(
            keys(
                Dialect::Mssql,
                "ALTER TABLE [dbo].[t] WITH CHECK ADD CONSTRAINT [PK_t] PRIMARY KEY CLUSTERED ([id] ASC) WITH (FILLFACTOR = 90) ON [PRIMARY]"
            ),
            ("dbo.t".into(), Some("id".into()), vec![])
        );
        assert_eq!(
            keys(
                Dialect::Postgres,
                "ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id)"
            ),
            ("public.t".into(), Some("id".into()), vec![])
        );
        assert_eq!(
            keys(
                Dialect::Mssql,
                "CREATE UNIQUE NONCLUSTERED INDEX [ix] ON [dbo].[t] ([code] ASC) WHERE ([code] IS NOT NULL) WITH (PAD_INDEX = OFF) ON [PRIMARY]"
            ),
            ("dbo.t".into(), None, vec!["code".to_string()])
        );
        let Some(Declared::Keys { unique, .. }) = scan(
            "CREATE UNIQUE INDEX ix ON t USING btree (a) WHERE (a IS NOT NULL)",
            Dialect::Postgres,
        ) else {
            panic!()
        };
        assert_eq!(unique[0].predicate.as_deref(), Some("(a IS NOT NULL)"));
        // Nothing declared: nothing read.
        assert_eq!(
            scan("ALTER TABLE t ADD COLUMN c int", Dialect::Postgres),
            None
        );
        assert_eq!(scan("CREATE INDEX ix ON t (a)", Dialect::Postgres), None);
        assert_eq!(
            scan("CREATE UNIQUE INDEX ix ON t (lower(a))", Dialect::Postgres),
            None
        );
    }

    #[test]
    fn bad_input_gives_nothing_and_never_panics() {
        for sql in [
            "",
            "CREATE",
            "CREATE TABLE",
            "CREATE TABLE (",
            "CREATE TABLE t (",
            "CREATE TABLE t ((",
            "CREATE TABLE t ())))",
            "CREATE TABLE t (a",
            "CREATE TABLE t (, ,)",
            "ALTER TABLE",
            "ALTER TABLE t ADD",
            "ALTER TABLE t ADD CONSTRAINT",
            "ALTER TABLE t ADD PRIMARY KEY (",
            "CREATE UNIQUE INDEX",
            "CREATE UNIQUE INDEX ON",
            "CREATE UNIQUE INDEX i ON t USING",
            "CREATE TABLE t (CONSTRAINT)",
            "CREATE TABLE t (PRIMARY KEY ())",
            "CREATE TABLE . (a int)",
            "CREATE TABLE t (a int NOT",
            "CREATE TABLE t (KEY",
            "CREATE TABLE t (LIKE",
        ] {
            for d in Dialect::ALL {
                let _ = scan(sql, d);
            }
        }
        assert_eq!(scan("CREATE TABLE t (", Dialect::Postgres), None);
        let t = table(Dialect::Postgres, "CREATE TABLE t (PRIMARY KEY ())");
        assert!(t.primary_key.is_none());
    }
}
