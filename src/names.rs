//! SQL names as users write them, and how each dialect compares them.
//!
//! `orders`, `ORDERS` and `"orders"` are one table in PostgreSQL and three spellings of two
//! tables in Snowflake. Every comparison of a table or column name goes through [`Name::key`],
//! which applies the dialect's folding, so a `--key` option, a directive and the DDL agree
//! with the statement exactly when the database would.

use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};

use crate::dialect::{CaseFolding, Dialect};

/// One part of a name: its text and whether it was quoted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Name {
    pub value: String,
    pub quoted: bool,
}

impl Name {
    pub fn unquoted(value: &str) -> Self {
        Name {
            value: value.to_string(),
            quoted: false,
        }
    }

    /// The form two names are compared in, under `folding`.
    pub fn key(&self, folding: CaseFolding) -> String {
        match folding {
            CaseFolding::Sensitive => self.value.clone(),
            CaseFolding::Insensitive => self.value.to_lowercase(),
            CaseFolding::Lower if !self.quoted => self.value.to_lowercase(),
            CaseFolding::Upper if !self.quoted => self.value.to_uppercase(),
            CaseFolding::Lower | CaseFolding::Upper => self.value.clone(),
        }
    }

    pub fn same(&self, other: &Name, folding: CaseFolding) -> bool {
        let (a, b) = (self.value.as_str(), other.value.as_str());
        // The common case, ASCII names, compares without allocating.
        if a.is_ascii() && b.is_ascii() {
            return match folding {
                CaseFolding::Sensitive => a == b,
                CaseFolding::Insensitive => a.eq_ignore_ascii_case(b),
                CaseFolding::Lower | CaseFolding::Upper => match (self.quoted, other.quoted) {
                    (false, false) => a.eq_ignore_ascii_case(b),
                    (true, true) => a == b,
                    // A quoted name matches an unquoted one only in its folded form.
                    (true, false) => fold_matches(a, b, folding),
                    (false, true) => fold_matches(b, a, folding),
                },
            };
        }
        self.key(folding) == other.key(folding)
    }

    /// The name as SQL text for `dialect`: quoted when it was quoted or must be.
    pub fn to_sql(&self, dialect: Dialect) -> String {
        let needs_quote = self.quoted
            || self.value.is_empty()
            || !self
                .value
                .chars()
                .enumerate()
                .all(|(i, c)| c == '_' || c.is_alphabetic() || (i > 0 && c.is_ascii_digit()));
        if !needs_quote {
            return self.value.clone();
        }
        let (open, close) = dialect.caps().names.quote;
        let escaped = self.value.replace(close, &format!("{close}{close}"));
        format!("{open}{escaped}{close}")
    }
}

impl From<&Ident> for Name {
    fn from(i: &Ident) -> Self {
        Name {
            value: i.value.clone(),
            quoted: i.quote_style.is_some(),
        }
    }
}

/// Does the quoted name `exact` equal the unquoted `bare` after folding?
fn fold_matches(exact: &str, bare: &str, folding: CaseFolding) -> bool {
    exact.len() == bare.len()
        && exact.bytes().zip(bare.bytes()).all(|(e, b)| match folding {
            CaseFolding::Upper => e == b.to_ascii_uppercase(),
            _ => e == b.to_ascii_lowercase(),
        })
}

/// The parts of an object name (`schema.table`), BigQuery's `` `proj.ds.t` `` split at the dots.
pub fn object_parts(name: &ObjectName) -> Vec<Name> {
    let mut out = Vec::new();
    for part in &name.0 {
        if let ObjectNamePart::Identifier(ident) = part {
            if ident.quote_style == Some('`') && ident.value.contains('.') {
                out.extend(ident.value.split('.').map(|p| Name {
                    value: p.to_string(),
                    quoted: true,
                }));
            } else {
                out.push(Name::from(ident));
            }
        } else {
            out.push(Name::unquoted(&part.to_string()));
        }
    }
    out
}

/// Do two qualified names denote the same table? The shorter one may leave out leading
/// parts (`orders` matches `public.orders`), the parts they both have must be equal.
pub fn same_table(a: &[Name], b: &[Name], folding: CaseFolding) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .all(|(x, y)| x.same(y, folding))
}

/// Parse a (possibly qualified, possibly quoted) name written in an option or directive:
/// `orders`, `ds.events`, `"Order Lines"`, `[dbo].[Album]`, `` `proj.ds.t` ``.
pub fn parse_qualified(text: &str, dialect: Dialect) -> Result<Vec<Name>, String> {
    let caps = dialect.caps();
    let mut parts = Vec::new();
    let mut chars = text.trim().char_indices().peekable();
    let s = text.trim();
    loop {
        let Some(&(start, c)) = chars.peek() else {
            return Err("empty name".into());
        };
        let close = match c {
            '"' => Some('"'),
            '`' => Some('`'),
            '[' if caps.lex.bracket_idents => Some(']'),
            _ => None,
        };
        if let Some(close) = close {
            chars.next();
            let mut value = String::new();
            let mut closed = false;
            while let Some((_, ch)) = chars.next() {
                if ch == close {
                    if chars.peek().map(|p| p.1) == Some(close) {
                        chars.next();
                        value.push(close);
                        continue;
                    }
                    closed = true;
                    break;
                }
                value.push(ch);
            }
            if !closed {
                return Err(format!("unclosed quote in `{s}`"));
            }
            if close == '`' && value.contains('.') {
                parts.extend(value.split('.').map(|p| Name {
                    value: p.to_string(),
                    quoted: true,
                }));
            } else {
                parts.push(Name {
                    value,
                    quoted: true,
                });
            }
        } else {
            let mut end = s.len();
            for (i, ch) in s[start..].char_indices() {
                if ch == '.' {
                    end = start + i;
                    break;
                }
                if !(ch.is_alphanumeric() || ch == '_' || ch == '$' || ch == '@' || ch == '#') {
                    return Err(format!("unexpected `{ch}` in `{s}`; quote the name"));
                }
            }
            if end == start {
                return Err(format!("empty part in `{s}`"));
            }
            parts.push(Name::unquoted(&s[start..end]));
            while chars.peek().is_some_and(|&(i, _)| i < end) {
                chars.next();
            }
        }
        match chars.next() {
            None => return Ok(parts),
            Some((_, '.')) => continue,
            Some((_, ch)) => return Err(format!("unexpected `{ch}` in `{s}`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_folds() {
        let p = parse_qualified("ds.\"Order Lines\"", Dialect::Postgres).unwrap();
        assert_eq!(p.len(), 2);
        assert!(p[1].quoted && p[1].value == "Order Lines");
        let q = parse_qualified("[dbo].[Album]", Dialect::Mssql).unwrap();
        assert_eq!(q[1].value, "Album");
        let b = parse_qualified("`proj.ds.t`", Dialect::Bigquery).unwrap();
        assert_eq!(b.len(), 3);
        assert!(parse_qualified("a b", Dialect::Postgres).is_err());
        assert!(parse_qualified("\"a", Dialect::Postgres).is_err());

        let lower = CaseFolding::Lower;
        assert!(Name::unquoted("Orders").same(&Name::unquoted("ORDERS"), lower));
        assert!(
            !Name {
                value: "Orders".into(),
                quoted: true
            }
            .same(&Name::unquoted("orders"), lower)
        );
        assert!(
            Name {
                value: "ORDERS".into(),
                quoted: true
            }
            .same(&Name::unquoted("orders"), CaseFolding::Upper)
        );
        assert!(same_table(
            &parse_qualified("orders", Dialect::Postgres).unwrap(),
            &parse_qualified("public.orders", Dialect::Postgres).unwrap(),
            lower
        ));
    }

    #[test]
    fn renders_with_quotes_when_needed() {
        assert_eq!(
            Name::unquoted("order_id").to_sql(Dialect::Mysql),
            "order_id"
        );
        assert_eq!(
            Name::unquoted("Line No").to_sql(Dialect::Mysql),
            "`Line No`"
        );
        assert_eq!(
            Name {
                value: "a]b".into(),
                quoted: true
            }
            .to_sql(Dialect::Mssql),
            "[a]]b]"
        );
    }
}
