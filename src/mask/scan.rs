//! Finding driver parameters and template code in SQL text, and what each stands for.
//!
//! One pass of the dialect's lexer, so nothing inside a string, a quoted name or a comment is
//! touched (`'{{ ds }}'` and `'50%'` stay literal). What a construct stands for is read from
//! where it is: the last code token before it says whether the SQL expects a value there
//! (`VALUES (`, `= `, `WHERE `), a name (`FROM `, `INTO `, a column list, glued to a word or a
//! `.`), or nothing (the start of a statement, after a complete operand), where a template
//! can only be a clause or a whole statement of its own and reads as a comment.

use crate::dialect::Params;
use crate::text::lexer::{Kind, LexOptions, Lexer};

/// What a construct stands for in the SQL around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A parameter bound by position (`?`, `%s`): each one is a value of its own, and the
    /// caller passes them in their order in the text.
    Positional,
    /// A value that may appear more than once with the same meaning: a named or numbered
    /// parameter (`:id`, `%(id)s`, `$1`, `?1`, `@id`) or a template expression (`{{ ds }}`).
    Named,
    /// A name or part of one: `{{ params.table }}`, `orders_{{ ds_nodash }}`, `${schema}.t`.
    Identifier,
    /// Template control (`{% if %}`, `{# #}`) or a template expression that stands for a
    /// clause or a statement: read as a comment.
    Tag,
}

/// One construct: its byte range in the text and its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub role: Role,
}

/// What the SQL expects at a position, from the code token before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// The start of a statement.
    Statement,
    /// A value: after `(`, `,`, an operator, `VALUES`, `WHERE`, ...
    Value,
    /// A name: after `FROM`, `INTO`, `TABLE`, `.`, in an INSERT's column list.
    Name,
    /// Something that follows a complete operand: an operator, a clause.
    AfterOperand,
}

/// Keywords after which a name comes.
const BEFORE_NAME: &[&str] = &[
    "from",
    "into",
    "join",
    "update",
    "table",
    "exists",
    "using",
    "truncate",
    "view",
    "as",
    "set",
    "to",
    "with",
    "overwrite",
    "database",
    "schema",
    "index",
];

/// Keywords after which a value (an expression) comes.
const BEFORE_VALUE: &[&str] = &[
    "select",
    "values",
    "value",
    "where",
    "and",
    "or",
    "not",
    "on",
    "when",
    "then",
    "else",
    "in",
    "like",
    "ilike",
    "between",
    "is",
    "limit",
    "offset",
    "return",
    "distinct",
    "case",
    "having",
    "top",
    "interval",
    "all",
    "any",
    "some",
    "by",
    "escape",
    "default",
    "if",
    "returning",
    "fetch",
    "first",
    "next",
    "similar",
    "rlike",
    "regexp",
    "glob",
];

/// Keywords whose following parenthesis, after a name, is a column list: `INTO t (a, b)`.
const BEFORE_COLUMN_LIST: &[&str] = &["into", "table", "exists"];

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The scanner's state between tokens.
struct Scan<'a> {
    src: &'a str,
    params: Params,
    expect: Expect,
    /// The last code token was a name right after `INTO`/`TABLE` (or a part of one).
    after_target_name: bool,
    /// The keyword that asked for the name being read, while it is read.
    name_keyword: Option<&'static str>,
    depth: usize,
    /// Where the last name (or piece of one) ended: a word or template glued to it continues
    /// the same name (`orders_{{ ds }}`, `{{ schema }}_raw`).
    name_end: Option<usize>,
    /// The depth inside an INSERT's or CREATE TABLE's column list, while in one.
    column_list: Option<usize>,
    out: Vec<Found>,
}

/// Every parameter and template construct of `src` outside strings and comments, in order.
pub(crate) fn scan(src: &str, lex: LexOptions, params: Params) -> Vec<Found> {
    let mut scan = Scan {
        src,
        params,
        expect: Expect::Statement,
        after_target_name: false,
        name_keyword: None,
        name_end: None,
        depth: 0,
        column_list: None,
        out: Vec::new(),
    };
    let mut lexer = Lexer::new(src, lex);
    while let Some(t) = lexer.next() {
        match t.kind {
            Kind::Whitespace | Kind::LineComment | Kind::BlockComment => {}
            Kind::Op => {
                if let Some(end) = scan.operator(t.start, t.end) {
                    lexer.seek(end);
                }
            }
            Kind::Param => {
                if let Some(end) = scan.param(t.start, t.end) {
                    lexer.seek(end);
                }
            }
            Kind::Punct => scan.punct(src.as_bytes()[t.start]),
            Kind::Word => scan.word(t.start, t.end),
            Kind::QuotedIdent => {
                scan.name();
                scan.name_end = Some(t.end);
            }
            Kind::String | Kind::Number => scan.operand(),
        }
    }
    scan.out
}

impl Scan<'_> {
    fn byte(&self, i: usize) -> u8 {
        self.src.as_bytes().get(i).copied().unwrap_or(0)
    }

    fn push(&mut self, start: usize, end: usize, role: Role) {
        self.out.push(Found { start, end, role });
        match role {
            Role::Tag => {}
            Role::Identifier => {
                if self.name_end != Some(start) {
                    self.name();
                }
                self.name_end = Some(end);
            }
            Role::Positional | Role::Named => self.operand(),
        }
    }

    /// A complete operand was read (a literal, a parameter, a `)`).
    fn operand(&mut self) {
        self.expect = Expect::AfterOperand;
        self.after_target_name = false;
        self.name_keyword = None;
    }

    /// A name (or a part of a dotted one) was read.
    fn name(&mut self) {
        let keyword = self.name_keyword.take();
        self.after_target_name = self.after_target_name && self.expect == Expect::Name
            || keyword.is_some_and(|k| BEFORE_COLUMN_LIST.contains(&k));
        self.expect = Expect::AfterOperand;
    }

    fn word(&mut self, start: usize, end: usize) {
        let word = &self.src[start..end];
        if self.name_end == Some(start) {
            self.name_end = Some(end);
            return;
        }
        if let Some(k) = BEFORE_NAME.iter().find(|k| k.eq_ignore_ascii_case(word)) {
            self.expect = Expect::Name;
            self.name_keyword = Some(k);
            self.after_target_name = false;
        } else if BEFORE_VALUE.iter().any(|k| k.eq_ignore_ascii_case(word)) {
            self.expect = Expect::Value;
            self.after_target_name = false;
            self.name_keyword = None;
        } else if self.expect == Expect::Name {
            self.name();
            self.name_end = Some(end);
        } else {
            // A column, a function's name, or a keyword that ends a clause.
            self.operand();
            self.name_end = Some(end);
        }
    }

    fn punct(&mut self, b: u8) {
        match b {
            b'(' => {
                self.depth += 1;
                if self.after_target_name {
                    self.column_list = Some(self.depth);
                }
                self.expect = self.list_item();
                self.after_target_name = false;
            }
            b',' | b'[' => self.expect = self.list_item(),
            b')' | b']' => {
                if self.column_list == Some(self.depth) {
                    self.column_list = None;
                }
                self.depth = self.depth.saturating_sub(1);
                self.operand();
            }
            b'.' => {
                let keep = self.after_target_name;
                self.expect = Expect::Name;
                self.after_target_name = keep;
                self.name_keyword = None;
            }
            b';' => {
                self.expect = Expect::Statement;
                self.depth = 0;
                self.column_list = None;
                self.after_target_name = false;
            }
            _ => {}
        }
    }

    /// What an item of a parenthesised list is: a name in a column list, else a value.
    fn list_item(&self) -> Expect {
        if self.column_list == Some(self.depth) {
            Expect::Name
        } else {
            Expect::Value
        }
    }

    /// A lexer `Param` token (`?`, `$1`, `:name`, `@name`, `@@name`) at `start..end`. Returns
    /// where lexing goes on when the construct is longer than the token (`?12`).
    fn param(&mut self, start: usize, end: usize) -> Option<usize> {
        let text = &self.src[start..end];
        let value_here = self.expect != Expect::AfterOperand;
        if text == "?" {
            let next = self.byte(end);
            if next == b'?' || next == b'|' || next == b'&' {
                self.expect = Expect::Value;
                return None;
            }
            if self.params.question_mark_operator && !value_here {
                self.expect = Expect::Value;
                return None;
            }
            let digits = self.src.as_bytes()[end..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits > 0 {
                self.push(start, end + digits, Role::Named);
                return Some(end + digits);
            }
            self.push(start, end, Role::Positional);
            return None;
        }
        let named = match text.as_bytes()[0] {
            b'$' => true,
            // `:name.col` is a record (Oracle's `:new.col` in triggers); after an operand,
            // `a:b` is a path into semi-structured data (Snowflake, Databricks).
            b':' => value_here && self.byte(end) != b'.',
            // `@name` is a variable everywhere it is a value; after DECLARE, SET, INTO or an
            // operand it is being declared, assigned or named, and stays as written.
            b'@' => self.expect == Expect::Value && !text.starts_with("@@") && text.len() > 1,
            _ => false,
        };
        if named {
            self.push(start, end, Role::Named);
        } else {
            self.operand();
        }
        None
    }

    /// An operator token at `start..end`: the constructs that begin with operator characters
    /// (`%s`, `%(name)s`, `{{ }}`, `{% %}`, `{# #}`, `${name}`, `$name`, `:1`) may start inside
    /// it. Returns where lexing goes on after a construct.
    fn operator(&mut self, start: usize, end: usize) -> Option<usize> {
        let bytes = self.src.as_bytes();
        let mut i = start;
        while i < end {
            let found = match (bytes[i], self.byte(i + 1)) {
                (b'%', b'%') => {
                    i += 2;
                    continue;
                }
                (b'{', b'{' | b'%' | b'#') => self.template(i),
                (b'$', b'{') => self.src[i..].find('}').map(|n| (i + n + 1, None)),
                (b'$', b) if b.is_ascii_alphabetic() || b == b'_' => {
                    let n = bytes[i + 1..]
                        .iter()
                        .take_while(|b| is_ident_byte(**b))
                        .count();
                    Some((i + 1 + n, Some(Role::Named)))
                }
                (b'%', b's') if !is_ident_byte(self.byte(i + 2)) => {
                    Some((i + 2, Some(Role::Positional)))
                }
                (b'%', b'(') => self.pyformat_name(i),
                (b':', b'0'..=b'9') if i == 0 || bytes[i - 1] != b':' => {
                    let n = bytes[i + 1..]
                        .iter()
                        .take_while(|b| b.is_ascii_digit())
                        .count();
                    Some((i + 1 + n, Some(Role::Named)))
                }
                _ => None,
            };
            if let Some((construct_end, role)) = found {
                if i > start {
                    // The operator before the construct (`=` of `=%s`).
                    self.expect = Expect::Value;
                    self.after_target_name = false;
                }
                let role = role.unwrap_or_else(|| self.expression_role(i, construct_end));
                let role = match role {
                    // `$name` and `:1` after an operand are not parameters.
                    Role::Named
                        if self.expect == Expect::AfterOperand
                            && matches!(bytes[i], b'$' | b':')
                            && bytes[i + 1] != b'{' =>
                    {
                        None
                    }
                    r => Some(r),
                };
                match role {
                    Some(r) => self.push(i, construct_end, r),
                    None => self.operand(),
                }
                return Some(construct_end);
            }
            i += 1;
        }
        self.expect = Expect::Value;
        self.after_target_name = false;
        self.name_keyword = None;
        None
    }

    /// `%(name)s` at `at`.
    fn pyformat_name(&self, at: usize) -> Option<(usize, Option<Role>)> {
        let rest = &self.src.as_bytes()[at + 2..];
        let n = rest.iter().take_while(|b| is_ident_byte(**b)).count();
        (n > 0 && rest.get(n) == Some(&b')') && rest.get(n + 1) == Some(&b's'))
            .then_some((at + 2 + n + 2, Some(Role::Named)))
    }

    /// A Jinja construct at `at` (`{{`, `{%` or `{#`): its end, and its role when the kind
    /// decides it (control tags and comments), else `None` (an expression: by position).
    fn template(&self, at: usize) -> Option<(usize, Option<Role>)> {
        let kind = self.byte(at + 1);
        let close: &[u8] = match kind {
            b'{' => b"}}",
            b'%' => b"%}",
            _ => b"#}",
        };
        let bytes = self.src.as_bytes();
        let mut i = at + 2;
        let mut quote: Option<u8> = None;
        while i + 1 < bytes.len() {
            let b = bytes[i];
            match quote {
                Some(_) if b == b'\\' => i += 1,
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if kind != b'#' && (b == b'\'' || b == b'"') => quote = Some(b),
                None if bytes[i..].starts_with(close) => {
                    let role = (kind != b'{').then_some(Role::Tag);
                    return Some((i + 2, role));
                }
                None => {}
            }
            i += 1;
        }
        None
    }

    /// What a template expression (`{{ x }}`, `${x}`) at `start..end` stands for.
    fn expression_role(&self, start: usize, end: usize) -> Role {
        let before = if start == 0 { 0 } else { self.byte(start - 1) };
        let after = self.byte(end);
        let glued = |b: u8| is_ident_byte(b) || b == b'.';
        if glued(before) || glued(after) || before == b'"' || before == b'`' {
            return Role::Identifier;
        }
        match self.expect {
            Expect::Statement | Expect::AfterOperand => Role::Tag,
            Expect::Name => Role::Identifier,
            Expect::Value => Role::Named,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(sql: &str) -> Vec<(&str, Role)> {
        let params = crate::Dialect::Postgres.caps().params;
        scan(sql, LexOptions::STANDARD, params)
            .into_iter()
            .map(|f| (&sql[f.start..f.end], f.role))
            .collect()
    }

    #[test]
    fn driver_parameters() {
        use Role::*;
        assert_eq!(
            roles("INSERT INTO t (a, b, c) VALUES (%s, %(b)s, ?)"),
            [("%s", Positional), ("%(b)s", Named), ("?", Positional)]
        );
        assert_eq!(
            roles("UPDATE t SET a=%s WHERE b = :b AND c = $1 AND d = ?12 AND e = @e"),
            [
                ("%s", Positional),
                (":b", Named),
                ("$1", Named),
                ("?12", Named),
                ("@e", Named)
            ]
        );
        assert_eq!(roles("SELECT a FROM t WHERE x = $name"), [("$name", Named)]);
        assert_eq!(roles("SELECT a FROM t WHERE x = :1"), [(":1", Named)]);
    }

    #[test]
    fn what_is_not_a_parameter() {
        // Strings, comments, casts, JSON operators, paths, escapes, variables being set.
        assert!(roles("SELECT '%s', \"%s\" -- %s\n /* ? */ FROM t").is_empty());
        assert!(roles("SELECT a::int, b ? 'k', c ?| d FROM t").is_empty());
        assert!(roles("SELECT src:customer FROM t WHERE a LIKE 'x' || 50 %% 3").is_empty());
        assert!(roles("DECLARE @x int; SET @x = 1; SELECT @@ROWCOUNT").is_empty());
        assert!(
            roles("CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW SET :new.a = 1").is_empty()
        );
    }

    #[test]
    fn templates_by_position() {
        use Role::*;
        assert_eq!(
            roles("{{ config(materialized='incremental') }}\nSELECT * FROM {{ ref('a') }}"),
            [
                ("{{ config(materialized='incremental') }}", Tag),
                ("{{ ref('a') }}", Identifier)
            ]
        );
        assert_eq!(
            roles(
                "INSERT INTO {{ params.schema }}.orders_{{ ds_nodash }} ({{ col }}, b) VALUES ({{ v }}, '{{ ds }}')"
            ),
            [
                ("{{ params.schema }}", Identifier),
                ("{{ ds_nodash }}", Identifier),
                ("{{ col }}", Identifier),
                ("{{ v }}", Named)
            ]
        );
        assert_eq!(
            roles(
                "SELECT a FROM t {% if is_incremental() %} WHERE d > {{ x }} {% endif %} {# c #}"
            ),
            [
                ("{% if is_incremental() %}", Tag),
                ("{{ x }}", Named),
                ("{% endif %}", Tag),
                ("{# c #}", Tag)
            ]
        );
        assert_eq!(
            roles("DELETE FROM ${schema}.t WHERE d = ${run_date}"),
            [("${schema}", Identifier), ("${run_date}", Named)]
        );
        assert_eq!(
            roles("SELECT '{{ a }}' FROM {{ \"}}\" }}"),
            [("{{ \"}}\" }}", Identifier)]
        );
    }
}
