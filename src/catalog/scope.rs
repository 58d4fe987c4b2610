//! The database and schema in force at a point of a script, and the full names a written
//! table name may denote there.
//!
//! `CREATE TABLE northwind.customers (...)` and, after `USE northwind`, `INSERT INTO customers`
//! are one table. Scripts change the current database or schema with `USE x` / `USE [x]` /
//! `USE SCHEMA x`, `SET search_path TO a, b`, pg_dump's `set_config('search_path', '', false)`,
//! psql `\c db`, `SET SCHEMA 'x'` and Oracle's `ALTER SESSION SET CURRENT_SCHEMA = x`. What is
//! not known (the database a MySQL script runs in before any `USE`) stays unknown: a name then
//! matches any table whose known parts agree, and more than one such table is ambiguous.

use crate::dialect::NameRules;
use crate::names::Name;
use crate::text::lexer::{Kind, LexOptions, Token, code_tokens};

/// A table's name with every part before its own: `[database, schema, table]` where the
/// dialect has two container parts; `None` for a part that is not known.
pub(crate) type FullName = Vec<Option<Name>>;

/// The current database and schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scope {
    /// The container parts in force, outermost first (`containers` of the dialect).
    current: Vec<Option<Name>>,
    /// A search path: the schemas an unqualified name is looked for in, in order; empty when
    /// names must be qualified (pg_dump's `set_config('search_path', '', false)`).
    search_path: Option<Vec<Name>>,
}

impl Scope {
    /// The scope a script starts in: the dialect's default schema, the database unknown.
    pub fn start(rules: &NameRules) -> Scope {
        let mut current: Vec<Option<Name>> = vec![None; rules.containers.max(1)];
        if rules.containers >= 2 {
            if let Some(last) = current.last_mut() {
                *last = rules.default_schema.map(Name::unquoted);
            }
        } else if let Some(first) = current.first_mut() {
            // A one-part qualifier is a schema only where the dialect names a default one
            // (SQLite's `main`); MySQL's database is not known until `USE`.
            *first = rules.default_schema.map(Name::unquoted);
        }
        Scope {
            current,
            search_path: None,
        }
    }

    /// The full names `written` may denote here, the most likely first (one per schema of a
    /// search path); none when the search path is empty and the name unqualified.
    pub fn resolve(&self, written: &[Name]) -> Vec<FullName> {
        let n = self.current.len();
        let Some((table, qualifiers)) = written.split_last() else {
            return Vec::new();
        };
        let with = |prefix: &[Option<Name>], quals: &[Name]| -> FullName {
            let mut full: FullName = prefix.to_vec();
            full.extend(quals.iter().cloned().map(Some));
            full.push(Some(table.clone()));
            full
        };
        if qualifiers.len() >= n {
            return vec![with(&[], &qualifiers[qualifiers.len() - n..])];
        }
        match &self.search_path {
            Some(path) if qualifiers.is_empty() => path
                .iter()
                .map(|s| with(&self.current[..n - 1], std::slice::from_ref(s)))
                .collect(),
            _ => vec![with(&self.current[..n - qualifiers.len()], qualifiers)],
        }
    }

    /// Follow `code` when it changes the current database or schema; whether it did.
    pub fn follow(&mut self, code: &str, rules: &NameRules, lex: LexOptions) -> bool {
        let before = self.clone();
        if let Some(db) = psql_connect(code) {
            *self = Scope::start(rules);
            self.current[0] = Some(db);
            return *self != before;
        }
        let toks = code_tokens(code, lex);
        let t = Toks { toks: &toks, code };
        if t.is(0, "USE") {
            self.follow_use(&t, rules);
        } else if t.is(0, "SET") {
            self.follow_set(&t, 1);
        } else if t.is(0, "ALTER") && t.is(1, "SESSION") && t.is(2, "SET") {
            self.follow_set(&t, 3);
        } else if t.is(0, "SELECT") {
            if let Some(path) = set_config_path(&t) {
                self.search_path = Some(path);
            }
        }
        *self != before
    }

    /// `USE x`, `USE [x]`, `USE DATABASE x`, `USE CATALOG x`, `USE SCHEMA [db.]x`, `USE a.b`.
    fn follow_use(&mut self, t: &Toks, rules: &NameRules) {
        let last = self.current.len() - 1;
        let (index, from) = if t.is(1, "DATABASE") || t.is(1, "CATALOG") {
            (0, 2)
        } else if t.is(1, "SCHEMA") {
            (last, 2)
        } else if ["WAREHOUSE", "ROLE", "SECONDARY"]
            .iter()
            .any(|w| t.is(1, w))
        {
            return;
        } else {
            (rules.use_sets.min(last), 1)
        };
        let Some(parts) = t.object_name(from) else {
            return;
        };
        let start = if parts.len() > 1 {
            (index + 1).saturating_sub(parts.len())
        } else {
            index
        };
        let n = self.current.len();
        let end = (start + parts.len()).min(n);
        for (i, part) in (start..end).zip(parts) {
            self.current[i] = Some(part);
        }
        // A new database starts at its default schema.
        let fresh = Scope::start(rules);
        for i in end..n {
            self.current[i] = fresh.current[i].clone();
        }
        self.search_path = None;
    }

    /// `SET search_path TO a, b` / `= ...`, `SET SCHEMA 'x'`, `SET CURRENT SCHEMA x`,
    /// `SET CURRENT_SCHEMA = x`, from the token after `SET`.
    fn follow_set(&mut self, t: &Toks, i: usize) {
        let mut i = i;
        if t.is(i, "SESSION") || t.is(i, "LOCAL") {
            i += 1;
        }
        if t.is(i, "search_path") {
            i += 1;
            if t.is(i, "TO") || t.text(i) == "=" {
                i += 1;
            }
            if t.is(i, "DEFAULT") {
                self.search_path = None;
                return;
            }
            let mut path = Vec::new();
            while let Some(tok) = t.toks.get(i) {
                match tok.kind {
                    Kind::String => path.extend(path_list(&unquote_string(tok.text(t.code)))),
                    Kind::Word | Kind::QuotedIdent => path.extend(name_of(tok, t.code)),
                    _ if tok.is_punct(t.code, ',') => {}
                    _ => break,
                }
                i += 1;
            }
            path.retain(|n| !n.value.starts_with('$'));
            self.search_path = Some(path);
            return;
        }
        let schema_at = if t.is(i, "SCHEMA") || t.is(i, "CURRENT_SCHEMA") {
            i + 1
        } else if t.is(i, "CURRENT") && t.is(i + 1, "SCHEMA") {
            i + 2
        } else {
            return;
        };
        let at = if t.text(schema_at) == "=" {
            schema_at + 1
        } else {
            schema_at
        };
        let name = match t.toks.get(at) {
            Some(tok) if tok.kind == Kind::String => {
                let v = unquote_string(tok.text(t.code));
                (!v.is_empty()).then_some(Name {
                    value: v,
                    quoted: true,
                })
            }
            Some(tok) => name_of(tok, t.code),
            None => None,
        };
        if let (Some(name), Some(last)) = (name, self.current.last_mut()) {
            *last = Some(name);
            self.search_path = None;
        }
    }
}

/// Code tokens with their text.
struct Toks<'a> {
    toks: &'a [Token],
    code: &'a str,
}

impl Toks<'_> {
    fn is(&self, i: usize, word: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_word(self.code, word))
    }

    fn text(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.text(self.code))
    }

    /// `a`, `[a]`, `a.b`, and nothing after it but `;`.
    fn object_name(&self, mut i: usize) -> Option<Vec<Name>> {
        let mut parts = Vec::new();
        loop {
            parts.push(name_of(self.toks.get(i)?, self.code)?);
            i += 1;
            if !self.toks.get(i).is_some_and(|t| t.is_punct(self.code, '.')) {
                break;
            }
            i += 1;
        }
        let rest_ok = self.toks[i.min(self.toks.len())..]
            .iter()
            .all(|t| t.is_punct(self.code, ';'));
        rest_ok.then_some(parts)
    }
}

/// A name token: a word or a quoted name.
fn name_of(tok: &Token, code: &str) -> Option<Name> {
    match tok.kind {
        Kind::Word | Kind::QuotedIdent => super::ident_name(tok, code),
        _ => None,
    }
}

/// A string literal's content.
fn unquote_string(raw: &str) -> String {
    let inner = raw
        .strip_prefix(|c: char| c == 'E' || c == 'e' || c == 'N' || c == 'n')
        .filter(|r| r.starts_with('\''))
        .unwrap_or(raw);
    if inner.len() >= 2 && inner.starts_with('\'') && inner.ends_with('\'') {
        inner[1..inner.len() - 1].replace("''", "'")
    } else {
        String::new()
    }
}

/// A search path written as one string: `'a, "B", $user'`.
fn path_list(s: &str) -> Vec<Name> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(
            |p| match p.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
                Some(q) => Name {
                    value: q.replace("\"\"", "\""),
                    quoted: true,
                },
                None => Name::unquoted(p),
            },
        )
        .collect()
}

/// pg_dump's `SELECT pg_catalog.set_config('search_path', '...', false)`: the path it sets.
fn set_config_path(t: &Toks) -> Option<Vec<Name>> {
    let at = (0..t.toks.len()).find(|&i| t.is(i, "set_config"))?;
    let open = t.toks.get(at + 1)?;
    let key = t.toks.get(at + 2)?;
    let value = t.toks.get(at + 4)?;
    let ok = open.is_punct(t.code, '(')
        && key.kind == Kind::String
        && unquote_string(key.text(t.code)).eq_ignore_ascii_case("search_path")
        && value.kind == Kind::String;
    ok.then(|| {
        path_list(&unquote_string(value.text(t.code)))
            .into_iter()
            .filter(|n| !n.value.starts_with('$'))
            .collect()
    })
}

/// psql's `\c db` / `\connect db`: the database connected to.
fn psql_connect(code: &str) -> Option<Name> {
    let rest = code.trim_start();
    let rest = rest
        .strip_prefix("\\connect")
        .or_else(|| rest.strip_prefix("\\c"))?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let db = rest.split_whitespace().next()?.trim_end_matches(';');
    if db.is_empty() || db == "-" {
        return None;
    }
    Some(
        match db.strip_prefix('"').and_then(|d| d.strip_suffix('"')) {
            Some(q) => Name {
                value: q.to_string(),
                quoted: true,
            },
            None => Name::unquoted(db),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::names::parse_qualified;

    fn after(d: Dialect, script: &[&str]) -> Scope {
        let rules = d.caps().names;
        let mut s = Scope::start(&rules);
        for code in script {
            s.follow(code, &rules, d.caps().lex);
        }
        s
    }

    /// The first full name `name` resolves to, as `a.b.c` with `?` for unknown parts.
    fn full(s: &Scope, d: Dialect, name: &str) -> Vec<String> {
        s.resolve(&parse_qualified(name, d).unwrap())
            .iter()
            .map(|f| {
                f.iter()
                    .map(|p| p.as_ref().map_or("?".to_string(), |n| n.value.clone()))
                    .collect::<Vec<_>>()
                    .join(".")
            })
            .collect()
    }

    #[test]
    fn use_sets_the_database_or_schema() {
        let d = Dialect::Mysql;
        assert_eq!(full(&after(d, &[]), d, "t"), vec!["?.t"]);
        let s = after(d, &["USE northwind"]);
        assert_eq!(full(&s, d, "t"), vec!["northwind.t"]);
        assert_eq!(full(&s, d, "other.t"), vec!["other.t"]);
        let d = Dialect::Mssql;
        let s = after(d, &["USE [Northwind]"]);
        assert_eq!(full(&s, d, "t"), vec!["Northwind.dbo.t"]);
        assert_eq!(full(&s, d, "sales.t"), vec!["Northwind.sales.t"]);
        let d = Dialect::Snowflake;
        let s = after(d, &["USE DATABASE db", "USE SCHEMA raw", "USE WAREHOUSE w"]);
        assert_eq!(full(&s, d, "t"), vec!["db.raw.t"]);
        let d = Dialect::Databricks;
        assert_eq!(full(&after(d, &["USE sales"]), d, "t"), vec!["?.sales.t"]);
        // Not a USE of a name: left alone.
        assert_eq!(after(d, &["USE sales extra"]), after(d, &[]));
    }

    #[test]
    fn search_paths_and_schemas() {
        let d = Dialect::Postgres;
        assert_eq!(full(&after(d, &[]), d, "t"), vec!["?.public.t"]);
        let s = after(d, &["SET search_path TO a, \"B\", \"$user\""]);
        assert_eq!(full(&s, d, "t"), vec!["?.a.t", "?.B.t"]);
        let s = after(
            d,
            &["SELECT pg_catalog.set_config('search_path', '', false);"],
        );
        assert!(full(&s, d, "t").is_empty());
        assert_eq!(full(&s, d, "public.t"), vec!["?.public.t"]);
        let s = after(d, &["SET search_path = 'x, y'", "\\c shop"]);
        assert_eq!(full(&s, d, "t"), vec!["shop.public.t"]);
        let s = after(d, &["SET SCHEMA 'sales'"]);
        assert_eq!(full(&s, d, "t"), vec!["?.sales.t"]);
        let o = Dialect::Oracle;
        let s = after(o, &["ALTER SESSION SET CURRENT_SCHEMA = hr"]);
        assert_eq!(full(&s, o, "regions"), vec!["hr.regions"]);
    }

    #[test]
    fn odd_input_never_panics() {
        for code in [
            "USE",
            "USE ;",
            "SET",
            "SET search_path",
            "SET SCHEMA",
            "\\c",
            "\\connect  ",
            "SELECT set_config(",
            "SELECT set_config('search_path'",
            "ALTER SESSION SET",
            "USE a.b.c.d",
        ] {
            for d in Dialect::ALL {
                let s = after(d, &[code]);
                let _ = full(&s, d, "t");
            }
        }
    }
}
