//! Split a script into the statements a client would send, one by one (like `psql -f` or
//! `mariadb < file`), independently of idemsql's own splitter: the harness must not trust the
//! code it tests to decide what runs.

/// One piece of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// SQL text for the server, with its leading comments, without the terminating `;`.
    Sql(String),
    /// A client command such as psql's `\c chinook` (not SQL; the loader decides what to do).
    Client(String),
}

/// How strings are written in the dialect.
#[derive(Debug, Clone, Copy)]
pub struct Lex {
    /// MySQL/MariaDB: `\` escapes the next character inside '...' and "...".
    pub backslash_escapes: bool,
}

/// Split `src` at top-level `;`. Comments, quoted strings and identifiers ('...', "...", `...`,
/// [...]) are skipped; a line that starts with `\` is a client command. Pieces that hold only
/// comments and blanks are dropped.
pub fn split(src: &str, lex: Lex) -> Vec<Piece> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut line_start = true;
    let push_sql = |out: &mut Vec<Piece>, text: &str| {
        if !only_trivia(text) {
            out.push(Piece::Sql(text.trim().to_string()));
        }
    };
    while i < b.len() {
        let c = b[i];
        if line_start && c == b'\\' && only_trivia(&src[start..i]) {
            let end = src[i..].find('\n').map_or(b.len(), |n| i + n);
            out.push(Piece::Client(src[i..end].trim().to_string()));
            i = end;
            start = end;
            continue;
        }
        line_start = c == b'\n' || (line_start && (c == b' ' || c == b'\t'));
        match c {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                i = src[i..].find('\n').map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = src[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
            }
            b'\'' | b'"' | b'`' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                let escapes = lex.backslash_escapes && (c == b'\'' || c == b'"');
                i += 1;
                while i < b.len() {
                    if escapes && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == close {
                        // A doubled quote is an escaped quote.
                        if close != b']' && b.get(i + 1) == Some(&close) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b';' => {
                push_sql(&mut out, &src[start..i]);
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < b.len() {
        push_sql(&mut out, &src[start.min(b.len())..]);
    }
    out
}

/// Text holds no code: only blanks and comments.
pub fn only_trivia(text: &str) -> bool {
    strip_trivia(text).is_empty()
}

/// `text` without its leading blanks and comments. MySQL version comments (`/*!40000 ...*/`,
/// `/*M!100100 ...*/`) hold code the server runs: they are kept.
pub fn strip_trivia(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        let version_comment = text.starts_with("/*!") || text.starts_with("/*M!");
        if let Some(rest) = text.strip_prefix("--") {
            text = rest.find('\n').map_or("", |n| &rest[n..]);
        } else if let Some(rest) = text.strip_prefix("/*").filter(|_| !version_comment) {
            text = rest.find("*/").map_or("", |n| &rest[n + 2..]);
        } else {
            return text;
        }
    }
}

/// The first `n` words of the statement's code, upper-cased (`["DROP", "DATABASE"]`).
pub fn leading_words(sql: &str, n: usize) -> Vec<String> {
    strip_trivia(sql)
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .take(n)
        .map(|w| w.to_ascii_uppercase())
        .collect()
}

/// The SQL statements of `src`, client commands left out.
pub fn statements(src: &str, lex: Lex) -> Vec<String> {
    split(src, lex)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Sql(s) => Some(s),
            Piece::Client(_) => None,
        })
        .collect()
}

/// Checks of the splitter itself, run at the start of every engine test run.
pub fn self_check() {
    let lex = Lex {
        backslash_escapes: true,
    };
    let s =
        "-- c;\nINSERT INTO t VALUES ('a;''b', 'c\\';d');\n\\c x;\n/* ; */ SELECT [a;b] ;  -- end";
    assert_eq!(
        split(s, lex),
        vec![
            Piece::Sql("-- c;\nINSERT INTO t VALUES ('a;''b', 'c\\';d')".into()),
            Piece::Client("\\c x;".into()),
            Piece::Sql("/* ; */ SELECT [a;b]".into()),
        ]
    );
    assert_eq!(
        leading_words("/* x */ -- y\n drop  database z", 2),
        vec!["DROP", "DATABASE"]
    );
}
