//! What idemsql needs to know about expressions: is a value the same on every run, is it
//! NULL, which constants does a WHERE clause pin a column to.

use std::ops::ControlFlow;

use sqlparser::ast::{BinaryOperator, Expr, Ident, InTarget, UnaryOperator, Value, Visit, Visitor};

/// Functions whose value differs from one run to the next. A key or partition computed by one
/// of these gives a rerun new keys, so its rows are written again.
const VOLATILE: &[&str] = &[
    "now",
    "current_timestamp",
    "current_date",
    "current_time",
    "localtimestamp",
    "localtime",
    "sysdate",
    "systimestamp",
    "sysdatetime",
    "sysutcdatetime",
    "sysdatetimeoffset",
    "getdate",
    "getutcdate",
    "statement_timestamp",
    "transaction_timestamp",
    "clock_timestamp",
    "timeofday",
    "unix_timestamp",
    "utc_timestamp",
    "current_datetime",
    "random",
    "rand",
    "uuid",
    "uuid_short",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
    "newid",
    "newsequentialid",
    "generate_uuid",
    "uuid_string",
    "generateuuidv4",
    "generateuuidv7",
    "randomuuid",
    "nextval",
    "currval",
    "last_insert_id",
    "row_number",
    "rownum",
    "rowid",
    "sys_guid",
    "randomblob",
];

fn is_volatile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    VOLATILE.contains(&lower.as_str())
}

/// The first volatile function (or `DEFAULT`, or `seq.NEXTVAL`) used in `expr`.
pub fn volatile_call(expr: &Expr) -> Option<String> {
    struct Finder(Option<String>);
    impl Visitor for Finder {
        type Break = ();
        fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
            let found = match expr {
                Expr::Subquery(q) => Some(format!("({q})")),
                Expr::Function(f) => f
                    .name
                    .0
                    .last()
                    .map(|p| p.to_string())
                    .filter(|n| is_volatile_name(n.trim_matches(['"', '`', '[', ']'])))
                    .map(|_| f.to_string()),
                Expr::Identifier(i) if i.quote_style.is_none() => {
                    let v = i.value.to_ascii_lowercase();
                    (v == "default" || is_volatile_name(&v)).then(|| i.value.clone())
                }
                Expr::CompoundIdentifier(parts) => parts
                    .last()
                    .filter(|p| {
                        p.quote_style.is_none()
                            && matches!(
                                p.value.to_ascii_lowercase().as_str(),
                                "nextval" | "currval"
                            )
                    })
                    .map(|_| expr.to_string()),
                _ => None,
            };
            if let Some(f) = found {
                self.0 = Some(f);
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        }
    }
    let mut f = Finder(None);
    let _ = expr.visit(&mut f);
    f.0
}

/// A parameter that BigQuery (query parameters) and T-SQL (variables) read as an identifier:
/// `@name`. It holds one value for the whole script run, like `$1` or `:name`, so it is a
/// constant and not a column. `@@name` is not: T-SQL's `@@ROWCOUNT` and `@@IDENTITY` change
/// from one statement to the next.
pub fn is_at_parameter(ident: &Ident) -> bool {
    ident.quote_style.is_none()
        && ident.value.len() > 1
        && ident.value.starts_with('@')
        && !ident.value.starts_with("@@")
}

/// A value that is the same on every run and names no column: a literal, a typed or cast
/// literal, a bind parameter.
pub fn is_constant(expr: &Expr) -> bool {
    match expr {
        Expr::Value(_) | Expr::TypedString(_) => true,
        Expr::Identifier(i) => is_at_parameter(i),
        Expr::Cast { expr, .. } => is_constant(expr),
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        } => is_constant(expr),
        Expr::Nested(inner) => is_constant(inner),
        Expr::Interval(_) => true,
        _ => false,
    }
}

/// The `DEFAULT` keyword as a value: it means something only inside INSERT ... VALUES.
pub fn is_default(expr: &Expr) -> bool {
    matches!(expr, Expr::Identifier(i) if i.quote_style.is_none() && i.value.eq_ignore_ascii_case("default"))
}

pub fn is_null(expr: &Expr) -> bool {
    match expr {
        Expr::Value(v) => matches!(v.value, Value::Null),
        Expr::Nested(inner) => is_null(inner),
        Expr::Cast { expr, .. } => is_null(expr),
        _ => false,
    }
}

/// A canonical form of a constant, so that `1`, `1.0` and `01` compare equal, and
/// `'a'` and `N'a'` too. `None` for non-constants.
pub fn canonical(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Value(v) => Some(match &v.value {
            Value::Number(n, _) => match n.parse::<f64>() {
                Ok(f) if f.is_finite() => format!("n:{f}"),
                _ => format!("n:{n}"),
            },
            Value::SingleQuotedString(s)
            | Value::DoubleQuotedString(s)
            | Value::NationalStringLiteral(s)
            | Value::EscapedStringLiteral(s)
            | Value::UnicodeStringLiteral(s)
            | Value::TripleSingleQuotedString(s)
            | Value::TripleDoubleQuotedString(s) => format!("s:{s}"),
            Value::Null => "null".to_string(),
            // `?` is a new value each time it appears; `$1` and `:name` repeat the same one.
            Value::Placeholder(p) if p == "?" => return None,
            Value::Placeholder(p) => format!("p:{p}"),
            Value::Boolean(b) => format!("b:{b}"),
            other => format!("v:{other}"),
        }),
        Expr::TypedString(t) => Some(format!("t:{}:{}", t.data_type, t.value)),
        Expr::Identifier(i) if is_at_parameter(i) => Some(format!("p:{}", i.value)),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => canonical(expr).map(|c| match c.strip_prefix("n:") {
            Some(n) => format!("n:-{n}"),
            None => format!("-{c}"),
        }),
        Expr::Nested(inner) => canonical(inner),
        Expr::Cast {
            expr, data_type, ..
        } => canonical(expr).map(|c| format!("c:{data_type}:{c}")),
        _ if is_constant(expr) => Some(expr.to_string()),
        _ => None,
    }
}

/// The name a column reference points at: `x` or `s.x` gives `(qualifier, x)`.
pub fn column_ref(expr: &Expr) -> Option<(Option<String>, &sqlparser::ast::Ident)> {
    match expr {
        Expr::Identifier(i) if !is_at_parameter(i) => Some((None, i)),
        Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
            let last = parts.last()?;
            Some((Some(parts[parts.len() - 2].value.clone()), last))
        }
        Expr::Nested(inner) => column_ref(inner),
        _ => None,
    }
}

/// What a WHERE clause says about one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Pinned<'a> {
    /// `col = c` or `col IN (c1, c2)`: the column holds one of these constants.
    Values(Vec<&'a Expr>),
    /// `col BETWEEN lo AND hi`.
    Range(&'a Expr, &'a Expr),
}

/// The constants the WHERE clause `w` pins a selected expression `item` to: a column (`d` or
/// `s.d`, matched by name with the dialect's folding) or any other expression written the same
/// way in the WHERE (`DATE(created_at)`).
pub fn pinned_item<'a>(
    item: &Expr,
    w: &'a Expr,
    folding: crate::dialect::CaseFolding,
) -> Option<Pinned<'a>> {
    use crate::names::Name;
    match column_ref(item) {
        Some((qual, ident)) => {
            let matches = |e: &Expr| {
                column_ref(e).is_some_and(|(q2, i2)| {
                    Name::from(i2).same(&Name::from(ident), folding)
                        && (qual.is_none() || q2.is_none() || q2 == qual)
                })
            };
            pinned(w, &matches)
        }
        None => {
            let shown = item.to_string();
            pinned(w, &|e: &Expr| e.to_string() == shown)
        }
    }
}

/// The top-level conjuncts of a predicate (`a AND (b AND c)` gives `[a, b, c]`).
pub fn conjuncts(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            let mut v = conjuncts(left);
            v.extend(conjuncts(right));
            v
        }
        Expr::Nested(inner) => conjuncts(inner),
        other => vec![other],
    }
}

/// The constants `where_clause` pins the column `matches` to, from its top-level conjuncts.
pub fn pinned<'a>(where_clause: &'a Expr, matches: &dyn Fn(&Expr) -> bool) -> Option<Pinned<'a>> {
    for c in conjuncts(where_clause) {
        match c {
            Expr::BinaryOp {
                left,
                op: BinaryOperator::Eq,
                right,
            } => {
                if matches(left) && is_constant(right) {
                    return Some(Pinned::Values(vec![right]));
                }
                if matches(right) && is_constant(left) {
                    return Some(Pinned::Values(vec![left]));
                }
            }
            Expr::In {
                expr,
                target: InTarget::List(list),
                negated: false,
                ..
            } if matches(expr) && !list.is_empty() && list.iter().all(is_constant) => {
                return Some(Pinned::Values(list.iter().collect()));
            }
            Expr::Between {
                expr,
                negated: false,
                low,
                high,
            } if matches(expr) && is_constant(low) && is_constant(high) => {
                return Some(Pinned::Range(low, high));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn expr(s: &str) -> Expr {
        Parser::new(&PostgreSqlDialect {})
            .try_with_sql(s)
            .unwrap()
            .parse_expr()
            .unwrap()
    }

    #[test]
    fn volatility() {
        for v in [
            "now()",
            "CURRENT_TIMESTAMP",
            "gen_random_uuid()",
            "seq.nextval",
            "nextval('s')",
            "DEFAULT",
            "1 + random()",
        ] {
            assert!(volatile_call(&expr(v)).is_some(), "{v}");
        }
        assert!(volatile_call(&expr("(SELECT max(id) + 1 FROM t)")).is_some());
        for c in ["1", "'x'", "DATE '2024-01-01'", "lower('A')", "\"now\""] {
            assert!(volatile_call(&expr(c)).is_none(), "{c}");
        }
    }

    #[test]
    fn constants_and_canonical_forms() {
        assert!(is_constant(&expr("-1")));
        assert!(is_constant(&expr("CAST('1' AS int)")));
        assert!(!is_constant(&expr("a")));
        assert_eq!(canonical(&expr("1")), canonical(&expr("1.0")));
        assert_ne!(canonical(&expr("1")), canonical(&expr("'1'")));
        assert_eq!(canonical(&expr("$1")), canonical(&expr("$1")));
        assert_ne!(canonical(&expr("$1")), canonical(&expr("$2")));
        assert!(is_null(&expr("NULL")));
    }

    #[test]
    fn at_parameters_are_constants_not_columns() {
        let p = Expr::Identifier(Ident::new("@submission_date"));
        assert!(is_constant(&p));
        assert!(column_ref(&p).is_none());
        assert_eq!(canonical(&p), Some("p:@submission_date".to_string()));
        let system = Expr::Identifier(Ident::new("@@rowcount"));
        assert!(!is_constant(&system));
        assert!(canonical(&system).is_none());
        let quoted = Expr::Identifier(Ident::with_quote('`', "@x"));
        assert!(!is_constant(&quoted));
    }

    #[test]
    fn pinned_columns() {
        let w = expr("s.d = '2024-01-01' AND x > 1");
        let is_d = |e: &Expr| column_ref(e).is_some_and(|(_, i)| i.value == "d");
        assert!(matches!(pinned(&w, &is_d), Some(Pinned::Values(v)) if v.len() == 1));
        let w = expr("d IN ('a', 'b')");
        assert!(matches!(pinned(&w, &is_d), Some(Pinned::Values(v)) if v.len() == 2));
        let w = expr("d BETWEEN 1 AND 5");
        assert!(matches!(pinned(&w, &is_d), Some(Pinned::Range(..))));
        let w = expr("d = 1 OR d = 2");
        assert!(pinned(&w, &is_d).is_none());
    }
}
