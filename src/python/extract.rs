//! Finding the SQL in a Python module: the string arguments of the calls that run SQL.
//!
//! The module is parsed with a real Python parser (rustpython-parser), so strings are found
//! as Python reads them: prefixes, triple quotes, implicit concatenation, f-strings, comments
//! and nesting are never guessed at. A call runs SQL when its function (the last name of a
//! dotted callee) is one of [`CALLS`] (or of the options' `pythonCalls`), with the SQL as its
//! first argument, or when it has a `sql=` keyword (Airflow's SQL operators, pandas). An
//! argument that is a name assigned a string earlier in the module is followed to it.

use std::collections::HashMap;

use rustpython_parser::ast::{self, Constant, Expr, Ranged, Stmt, Visitor};
use rustpython_parser::{Parse, ParseError};

/// The functions whose first argument is SQL: DB-API cursors (`execute`, `executemany`,
/// `executescript`), SQLAlchemy (`text`, `exec_driver_sql`), pandas (`read_sql`,
/// `read_sql_query`), Spark and Snowpark sessions (`sql`), Alembic (`op.execute`).
pub(crate) const CALLS: &[&str] = &[
    "execute",
    "executemany",
    "executescript",
    "exec_driver_sql",
    "text",
    "read_sql",
    "read_sql_query",
    "sql",
];

/// How a literal's source text relates to the string Python makes of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One string literal whose body is the SQL byte for byte (no escapes, or raw): offsets
    /// map one to one, and the literal can be fixed in place.
    Plain {
        /// Where the body starts in the source.
        body: usize,
        quote: char,
        triple: bool,
        raw: bool,
    },
    /// Anything else Python builds a string from (escapes, implicit concatenation, f-strings,
    /// `+`, `%`, `.format`): read with each computed part as a template value, never fixed;
    /// positions are the literal's start.
    Composite,
}

/// One SQL string of the module.
#[derive(Debug, Clone)]
pub(crate) struct Literal {
    /// Where the expression starts in the source.
    pub start: usize,
    /// The SQL, with each computed part written as `{{ ... }}` (a template value).
    pub sql: String,
    pub shape: Shape,
    /// Where the call starts: directive comments are on the lines before it.
    pub call_start: usize,
    /// The call runs a whole script (`executescript`), not one statement.
    pub script: bool,
}

/// The SQL strings of `src`, in source order.
pub(crate) fn literals(src: &str, extra_calls: &[String]) -> Result<Vec<Literal>, ParseError> {
    let suite = ast::Suite::parse(src, "<python>")?;
    let mut finder = Finder {
        src,
        extra_calls,
        assigned: HashMap::new(),
        out: Vec::new(),
    };
    for stmt in suite {
        finder.visit_stmt(stmt);
    }
    let mut out = finder.out;
    out.sort_by_key(|l| (l.start, l.call_start));
    out.dedup_by_key(|l| l.start);
    Ok(out)
}

/// Does `src` parse as Python? (A fix must leave a module that still compiles.)
pub(crate) fn parses(src: &str) -> bool {
    ast::Suite::parse(src, "<python>").is_ok()
}

struct Finder<'a> {
    src: &'a str,
    extra_calls: &'a [String],
    /// The string last assigned to each plain name, so far in source order.
    assigned: HashMap<String, Expr>,
    out: Vec<Literal>,
}

fn offset(r: ast::text_size::TextSize) -> usize {
    u32::from(r) as usize
}

impl Finder<'_> {
    fn runs_sql<'e>(&self, func: &'e Expr) -> Option<&'e str> {
        let name = match func {
            Expr::Attribute(a) => a.attr.as_str(),
            Expr::Name(n) => n.id.as_str(),
            _ => return None,
        };
        (CALLS.contains(&name) || self.extra_calls.iter().any(|c| c == name)).then_some(name)
    }

    fn add(&mut self, arg: &Expr, call_start: usize, script: bool) {
        let arg = match arg {
            Expr::Name(n) => match self.assigned.get(n.id.as_str()) {
                Some(e) => e.clone(),
                None => return,
            },
            e => e.clone(),
        };
        if let Expr::List(l) = &arg {
            for e in &l.elts {
                self.add(e, call_start, script);
            }
            return;
        }
        let Some(sql) = self.sql_of(&arg) else {
            return;
        };
        // `sql='load.sql'`: a template file the operator reads, not SQL.
        if sql.trim_end().ends_with(".sql") && !sql.contains(char::is_whitespace) {
            return;
        }
        let range = arg.range();
        let shape = self.shape(offset(range.start()), offset(range.end()), &arg);
        self.out.push(Literal {
            start: offset(range.start()),
            sql,
            shape,
            call_start,
            script,
        });
    }

    /// The string `e` makes, with computed parts as `{{ ... }}`; `None` when it is no string.
    fn sql_of(&self, e: &Expr) -> Option<String> {
        match e {
            Expr::Constant(c) => match &c.value {
                Constant::Str(s) => Some(s.clone()),
                _ => None,
            },
            Expr::JoinedStr(j) => {
                let mut out = String::new();
                for v in &j.values {
                    match v {
                        Expr::Constant(ast::ExprConstant {
                            value: Constant::Str(s),
                            ..
                        }) => out.push_str(s),
                        Expr::FormattedValue(f) => out.push_str(&self.hole(&f.value)),
                        other => out.push_str(&self.hole(other)),
                    }
                }
                Some(out)
            }
            Expr::BinOp(b) if matches!(b.op, ast::Operator::Add) => {
                let left = self.sql_of(&b.left);
                let right = self.sql_of(&b.right);
                if left.is_none() && right.is_none() {
                    return None;
                }
                let l = left.unwrap_or_else(|| self.hole(&b.left));
                let r = right.unwrap_or_else(|| self.hole(&b.right));
                Some(l + &r)
            }
            // `"... %s ..." % args`: Python fills the fields in, as values.
            Expr::BinOp(b) if matches!(b.op, ast::Operator::Mod) => {
                self.sql_of(&b.left).map(|s| printf_fields(&s))
            }
            // `"... {} ...".format(...)`: each field is a computed part.
            Expr::Call(c) => match &*c.func {
                Expr::Attribute(a) if a.attr.as_str() == "format" => {
                    self.sql_of(&a.value).map(|s| format_fields(&s))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// A computed part of a string, as a template value that keeps its source for messages.
    fn hole(&self, e: &Expr) -> String {
        let r = e.range();
        let text = self
            .src
            .get(offset(r.start())..offset(r.end()))
            .unwrap_or("py")
            .replace("}}", "} }")
            .replace('\n', " ");
        format!("{{{{ {text} }}}}")
    }

    /// Whether the literal at `start..end` is one plain string whose body is the SQL.
    fn shape(&self, start: usize, end: usize, e: &Expr) -> Shape {
        let (Expr::Constant(_), Some(text)) = (e, self.src.get(start..end)) else {
            return Shape::Composite;
        };
        let prefix = text.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
        let letters = text[..prefix].to_ascii_lowercase();
        if letters.contains('b') || letters.contains('f') {
            return Shape::Composite;
        }
        let raw = letters.contains('r');
        let rest = &text[prefix..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') else {
            return Shape::Composite;
        };
        let triple = rest.starts_with(&quote.to_string().repeat(3)) && rest.len() >= 6;
        let q = if triple { 3 } else { 1 };
        let body = &rest[q..rest.len().saturating_sub(q)];
        let closer = if triple {
            quote.to_string().repeat(3)
        } else {
            quote.to_string()
        };
        // Implicit concatenation ("a" "b") or an escape: the body is not the string.
        if !rest.ends_with(&closer) || body.contains(closer.as_str()) || body.contains('\\') {
            return Shape::Composite;
        }
        Shape::Plain {
            body: start + prefix + q,
            quote,
            triple,
            raw,
        }
    }
}

/// `s` with each printf-style field (`%s`, `%d`, `%(name)s`, `%-10.2f`) as a template value
/// and `%%` as the `%` it stands for.
fn printf_fields(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let field = &rest[i + 1..];
        if let Some(after) = field.strip_prefix('%') {
            out.push('%');
            rest = after;
            continue;
        }
        let name_len = if field.starts_with('(') {
            field.find(')').map_or(0, |j| j + 1)
        } else {
            0
        };
        let spec = field[name_len..]
            .bytes()
            .take_while(|b| b"-+ #0123456789.*".contains(b))
            .count();
        let conv = field[name_len + spec..].chars().next();
        match conv.filter(|c| "diouxXeEfFgGcrsa".contains(*c)) {
            Some(c) => {
                let len = name_len + spec + c.len_utf8();
                out.push_str(&format!("{{{{ %{} }}}}", &field[..len]));
                rest = &field[len..];
            }
            None => {
                out.push('%');
                rest = field;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `s` with each `str.format` field (`{}`, `{name}`, `{0!r:>10}`) as a template value and
/// `{{`/`}}` as the braces they stand for.
fn format_fields(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let field: String = chars.by_ref().take_while(|c| *c != '}').collect();
                out.push_str(&format!("{{{{ {field} }}}}"));
            }
            c => out.push(c),
        }
    }
    out
}

impl Visitor for Finder<'_> {
    fn visit_stmt(&mut self, node: Stmt) {
        if let Stmt::Assign(a) = &node
            && let [Expr::Name(n)] = a.targets.as_slice()
            && self.sql_of(&a.value).is_some()
        {
            self.assigned.insert(n.id.to_string(), (*a.value).clone());
        }
        self.generic_visit_stmt(node);
    }

    fn visit_expr_call(&mut self, node: ast::ExprCall) {
        let call_start = offset(node.range.start());
        let name = self.runs_sql(&node.func).map(str::to_string);
        if let (Some(name), Some(first)) = (&name, node.args.first()) {
            self.add(first, call_start, name == "executescript");
        }
        for k in &node.keywords {
            if k.arg.as_ref().is_some_and(|a| a.as_str() == "sql") {
                self.add(&k.value, call_start, false);
            }
        }
        self.generic_visit_expr_call(node);
    }
}
