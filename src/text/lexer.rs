//! A small, forgiving SQL lexer with exact byte spans.
//!
//! sqlparser's tokenizer reports line/column locations and fails on text it does not know;
//! idemsql needs byte offsets (to splice edits) and must keep going over anything (to split a
//! 50 MB dump into statements in one cheap pass, and to pass vendor syntax through untouched).
//! This lexer only tells apart what matters for that: words, quoted names, strings, numbers,
//! punctuation, operators, comments and whitespace. It never fails and never panics: an
//! unterminated string or comment runs to the end of the input.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An unquoted identifier or keyword.
    Word,
    /// `"name"`, `` `name` `` or `[name]`.
    QuotedIdent,
    /// A string literal, with any prefix (`E'..'`, `N'..'`, `$$..$$`, `'''..'''`).
    String,
    Number,
    /// A bind parameter or variable: `$1`, `:name`, `?`, `@var`.
    Param,
    /// One of `( ) , ; .`.
    Punct,
    /// A run of operator characters: `=`, `<=>`, `::`, `||`.
    Op,
    LineComment,
    BlockComment,
    Whitespace,
}

/// A token: its kind and the byte range it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start..self.end).unwrap_or("")
    }

    pub fn is_trivia(&self) -> bool {
        matches!(
            self.kind,
            Kind::Whitespace | Kind::LineComment | Kind::BlockComment
        )
    }

    /// Is this the (unquoted) keyword `kw`, case-insensitively?
    pub fn is_word(&self, src: &str, kw: &str) -> bool {
        self.kind == Kind::Word
            && self.end - self.start == kw.len()
            && src
                .as_bytes()
                .get(self.start..self.end)
                .is_some_and(|w| w.eq_ignore_ascii_case(kw.as_bytes()))
    }

    pub fn is_punct(&self, src: &str, c: char) -> bool {
        self.kind == Kind::Punct && src.as_bytes().get(self.start) == Some(&(c as u8))
    }
}

/// Lexing rules that differ between dialects.
#[derive(Debug, Clone, Copy)]
pub struct LexOptions {
    pub hash_comments: bool,
    pub backslash_escapes: bool,
    pub dollar_quotes: bool,
    pub nested_comments: bool,
    pub bracket_idents: bool,
    pub double_quote_is_string: bool,
    pub triple_quotes: bool,
    /// Which `/*!NNNNN ... */` and `/*M!NNNNNN ... */` comments hold code: their opener and
    /// closer are comments of their own ([`is_version_marker`]) and what is between them is
    /// lexed as SQL. The others are plain comments.
    pub version_comments: Option<VersionComments>,
    /// `COPY ... FROM STDIN;` is followed by data lines up to a `\.` line (psql, pg_dump).
    pub copy_data: bool,
}

/// Which version comments the server runs as code (MySQL's `/*!`, MariaDB's `/*M!`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionComments {
    /// `/*!NNNNN` (five digits) holds code when NNNNN is below this.
    pub bang_below: u32,
    /// `/*!` may carry a six-digit version (else a sixth digit is content).
    pub six_digits: bool,
    /// `/*M!NNNNNN` holds code (else it is a plain comment).
    pub m_bang: bool,
}

impl LexOptions {
    /// Standard SQL: `--` and `/* */` comments, `'...'` strings, `"..."` names.
    pub const STANDARD: LexOptions = LexOptions {
        hash_comments: false,
        backslash_escapes: false,
        dollar_quotes: false,
        nested_comments: false,
        bracket_idents: false,
        double_quote_is_string: false,
        triple_quotes: false,
        version_comments: None,
        copy_data: false,
    };

    /// Options that read every dialect's names: for scanning, not for splitting.
    pub fn permissive() -> Self {
        LexOptions {
            bracket_idents: true,
            ..LexOptions::STANDARD
        }
    }
}

/// Iterates over the tokens of `src`, trivia included.
pub struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    opts: LexOptions,
    /// Inside a version comment: its `*/` closes it.
    in_version_comment: bool,
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str, opts: LexOptions) -> Self {
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            opts,
            in_version_comment: false,
        }
    }

    /// Start lexing at byte `pos` (which must be a token boundary).
    pub fn at(src: &'a str, pos: usize, opts: LexOptions) -> Self {
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos: pos.min(src.len()),
            opts,
            in_version_comment: false,
        }
    }

    /// Go on lexing at byte `pos` (a token boundary at or after the current position), keeping
    /// the lexer's state: for callers that read a construct of their own and then resume.
    pub fn seek(&mut self, pos: usize) {
        self.pos = pos.clamp(self.pos, self.src.len());
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    /// Advance to the end of a quoted run that started at `self.pos` with `open` and ends with `close`.
    /// `doubled` means a doubled closing character is an escaped one; `backslash` enables `\x` escapes.
    fn quoted(&mut self, open_len: usize, close: u8, doubled: bool, backslash: bool) {
        let mut i = self.pos + open_len;
        let n = self.bytes.len();
        while i < n {
            let b = self.bytes[i];
            if backslash && b == b'\\' {
                i += 2;
                continue;
            }
            if b == close {
                if doubled && i + 1 < n && self.bytes[i + 1] == close {
                    i += 2;
                    continue;
                }
                i += 1;
                self.pos = i;
                return;
            }
            i += 1;
        }
        self.pos = n;
    }

    /// `$tag$ ... $tag$`; returns false when the text at `pos` is not a dollar-quote opener.
    fn dollar_quoted(&mut self) -> bool {
        let rest = &self.bytes[self.pos + 1..];
        let tag_len = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b >= 0x80)
            .count();
        if rest.get(tag_len) != Some(&b'$') || rest.first().is_some_and(|b| b.is_ascii_digit()) {
            return false;
        }
        let delim_end = self.pos + 1 + tag_len + 1;
        let delim = &self.src[self.pos..delim_end];
        match self.src[delim_end..].find(delim) {
            Some(i) => self.pos = delim_end + i + delim.len(),
            None => self.pos = self.bytes.len(),
        }
        true
    }

    fn block_comment(&mut self) {
        let n = self.bytes.len();
        let mut depth = 1usize;
        let mut i = self.pos + 2;
        while i < n {
            if self.bytes[i] == b'*' && i + 1 < n && self.bytes[i + 1] == b'/' {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    self.pos = i;
                    return;
                }
            } else if self.opts.nested_comments
                && self.bytes[i] == b'/'
                && i + 1 < n
                && self.bytes[i + 1] == b'*'
            {
                depth += 1;
                i += 2;
            } else {
                i += 1;
            }
        }
        self.pos = n;
    }

    /// At `/*`: when it opens a version comment that holds code (`/*!`, `/*!50705`,
    /// `/*M!100100`), move past the opener and its version number and return true.
    fn version_opener(&mut self) -> bool {
        let Some(rule) = self.opts.version_comments else {
            return false;
        };
        if self.in_version_comment {
            return false;
        }
        let (bang, max_digits) = match (self.peek(2), self.peek(3)) {
            (b'!', _) => (3, if rule.six_digits { 6 } else { 5 }),
            (b'M', b'!') if rule.m_bang => (4, 6),
            _ => return false,
        };
        let from = (self.pos + bang).min(self.bytes.len());
        let digits = self.bytes[from..]
            .iter()
            .take(max_digits)
            .take_while(|b| b.is_ascii_digit())
            .count();
        let version: u32 = self.src[from..from + digits].parse().unwrap_or(0);
        // Five digits after `/*!` are a MySQL version; the server runs the content only from
        // that version on (MariaDB: below 5.7, which it branched from).
        if bang == 3 && digits == 5 && version >= rule.bang_below {
            return false;
        }
        self.pos += bang + digits;
        self.in_version_comment = true;
        true
    }

    fn line_comment(&mut self) {
        match self.bytes[self.pos..].iter().position(|b| *b == b'\n') {
            Some(i) => self.pos += i,
            None => self.pos = self.bytes.len(),
        }
    }

    fn word_end(&self, from: usize) -> usize {
        let mut i = from;
        while i < self.bytes.len() {
            let b = self.bytes[i];
            if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80 {
                i += 1;
            } else {
                break;
            }
        }
        i
    }

    /// A string that starts at `self.pos + prefix` with quote `q`.
    fn string_at(&mut self, prefix: usize, q: u8, backslash: bool) {
        let start = self.pos + prefix;
        // BigQuery-style triple quotes.
        if self.opts.triple_quotes
            && self.bytes.get(start + 1) == Some(&q)
            && self.bytes.get(start + 2) == Some(&q)
        {
            let delim = if q == b'\'' { "'''" } else { "\"\"\"" };
            match self.src[start + 3..].find(delim) {
                Some(i) => self.pos = start + 3 + i + 3,
                None => self.pos = self.bytes.len(),
            }
            return;
        }
        self.pos = start;
        self.quoted(1, q, true, backslash);
    }
}

fn is_op_byte(b: u8) -> bool {
    matches!(
        b,
        b'=' | b'<'
            | b'>'
            | b'!'
            | b'+'
            | b'-'
            | b'*'
            | b'/'
            | b'%'
            | b'|'
            | b'&'
            | b'^'
            | b'~'
            | b':'
            | b'#'
            | b'{'
            | b'}'
            | b'\\'
    )
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let start = self.pos;
        let b = *self.bytes.get(start)?;
        let kind = match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => {
                let n = self.bytes[start..]
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
                    .count();
                self.pos += n;
                Kind::Whitespace
            }
            b'-' if self.peek(1) == b'-' => {
                self.line_comment();
                Kind::LineComment
            }
            b'#' if self.opts.hash_comments => {
                self.line_comment();
                Kind::LineComment
            }
            b'/' if self.peek(1) == b'*' && self.version_opener() => Kind::BlockComment,
            // A `*/` outside any comment closes a version comment the text started in (a
            // statement's code may begin inside one).
            b'*' if self.opts.version_comments.is_some() && self.peek(1) == b'/' => {
                self.pos += 2;
                self.in_version_comment = false;
                Kind::BlockComment
            }
            b'/' if self.peek(1) == b'*' => {
                self.block_comment();
                Kind::BlockComment
            }
            b'\'' | b'"' | b'`' | b'[' | b'$' | b'?' | b'@' | b':' => self.quote_or_param(b),
            b'0'..=b'9' => {
                self.pos = number_end(self.bytes, start);
                Kind::Number
            }
            b'.' if self.peek(1).is_ascii_digit() => {
                self.pos = number_end(self.bytes, start);
                Kind::Number
            }
            b'(' | b')' | b',' | b';' | b'.' | b']' => {
                self.pos += 1;
                Kind::Punct
            }
            _ if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => self.word_or_string(),
            _ if is_op_byte(b) => {
                self.operator();
                Kind::Op
            }
            _ => {
                // Anything else (control characters, stray `$`): one character of its own.
                let len = self.src[start..].chars().next().map_or(1, char::len_utf8);
                self.pos += len;
                Kind::Op
            }
        };
        debug_assert!(self.pos > start);
        Some(Token {
            kind,
            start,
            end: self.pos,
        })
    }
}

impl Lexer<'_> {
    /// A token that starts with a quote or a parameter sigil (`b` is its first byte).
    fn quote_or_param(&mut self, b: u8) -> Kind {
        let start = self.pos;
        match b {
            b'\'' => {
                self.string_at(0, b'\'', self.opts.backslash_escapes);
                Kind::String
            }
            b'"' if self.opts.double_quote_is_string => {
                self.string_at(0, b'"', self.opts.backslash_escapes);
                Kind::String
            }
            b'"' => {
                self.quoted(1, b'"', true, false);
                Kind::QuotedIdent
            }
            b'`' => {
                self.quoted(1, b'`', true, false);
                Kind::QuotedIdent
            }
            b'[' if self.opts.bracket_idents => {
                self.quoted(1, b']', true, false);
                Kind::QuotedIdent
            }
            b'[' => {
                self.pos += 1;
                Kind::Punct
            }
            b'$' if self.opts.dollar_quotes && self.dollar_quoted() => Kind::String,
            b'$' if self.peek(1).is_ascii_digit() => {
                self.pos = self.word_end(start + 1);
                Kind::Param
            }
            b'?' => {
                self.pos += 1;
                // `?|`, `?&` are PostgreSQL JSON operators; a lone `?` is a parameter.
                Kind::Param
            }
            b'@' => {
                let mut i = start + 1;
                if self.bytes.get(i) == Some(&b'@') {
                    i += 1;
                }
                self.pos = self.word_end(i).max(start + 1);
                Kind::Param
            }
            b':' if self.peek(1).is_ascii_alphabetic() || self.peek(1) == b'_' => {
                self.pos = self.word_end(start + 1);
                Kind::Param
            }
            _ if is_op_byte(b) => {
                self.operator();
                Kind::Op
            }
            _ => {
                // A stray `$`: one character of its own.
                self.pos += 1;
                Kind::Op
            }
        }
    }

    /// A word, or a string with a prefix: `E'..'`, `N'..'`, `X'..'`, `B'..'`, `U&'..'`, `r'..'`,
    /// `b'..'`, `_utf8'..'`.
    fn word_or_string(&mut self) -> Kind {
        let start = self.pos;
        let end = self.word_end(start);
        let word = &self.bytes[start..end];
        let next = self.bytes.get(end).copied().unwrap_or(0);
        let is_prefix = word.len() <= 2
            && word
                .iter()
                .all(|c| matches!(c.to_ascii_lowercase(), b'e' | b'n' | b'x' | b'b' | b'r'))
            || (word.first() == Some(&b'_') && word.len() > 1);
        let raw = word.iter().any(|c| c.eq_ignore_ascii_case(&b'r'));
        if next == b'\'' && is_prefix {
            let backslash = self.opts.backslash_escapes
                || word.eq_ignore_ascii_case(b"e") && !word.eq_ignore_ascii_case(b"r");
            self.string_at(end - start, b'\'', backslash && !raw);
            Kind::String
        } else if next == b'"' && self.opts.double_quote_is_string && is_prefix && word.len() <= 2 {
            self.string_at(end - start, b'"', self.opts.backslash_escapes && !raw);
            Kind::String
        } else if next == b'&'
            && word.eq_ignore_ascii_case(b"u")
            && self.bytes.get(end + 1) == Some(&b'\'')
        {
            self.string_at(2, b'\'', false);
            Kind::String
        } else {
            self.pos = end;
            Kind::Word
        }
    }

    /// A run of operator characters, stopping before a comment opener.
    fn operator(&mut self) {
        let mut i = self.pos + 1;
        while i < self.bytes.len() && is_op_byte(self.bytes[i]) {
            let nb = self.bytes.get(i + 1).copied().unwrap_or(0);
            if (self.bytes[i] == b'-' && nb == b'-') || (self.bytes[i] == b'/' && nb == b'*') {
                break;
            }
            if self.bytes[i] == b'#' && self.opts.hash_comments {
                break;
            }
            if self.opts.version_comments.is_some() && self.bytes[i] == b'*' && nb == b'/' {
                break;
            }
            i += 1;
        }
        self.pos = i;
    }
}

fn number_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    let n = bytes.len();
    if bytes.get(i) == Some(&b'0') && matches!(bytes.get(i + 1), Some(b'x' | b'X')) {
        i += 2;
        while i < n && bytes[i].is_ascii_hexdigit() {
            i += 1;
        }
        return i;
    }
    while i < n && (bytes[i].is_ascii_digit() || bytes[i] == b'_') {
        i += 1;
    }
    if i < n && bytes[i] == b'.' && bytes.get(i + 1) != Some(&b'.') {
        i += 1;
        while i < n && bytes[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i < n && matches!(bytes[i], b'e' | b'E') {
        let mut j = i + 1;
        if j < n && matches!(bytes[j], b'+' | b'-') {
            j += 1;
        }
        if j < n && bytes[j].is_ascii_digit() {
            while j < n && bytes[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    i
}

/// Is `tok` the opener (`/*!50705`, `/*M!100100`) or the closer (`*/`) of a version comment?
/// Only a lexer with [`LexOptions::version_comments`] makes such tokens.
pub fn is_version_marker(tok: &Token, src: &str) -> bool {
    let t = tok.text(src);
    let opener = (t.starts_with("/*!") || t.starts_with("/*M!")) && !t.ends_with("*/");
    tok.kind == Kind::BlockComment && (t == "*/" || opener)
}

/// `src` as sqlparser must read it: the openers and closers of version comments turned into
/// blanks of the same length, so that their content is code and every offset stays the same.
pub fn without_version_markers(src: &str, opts: LexOptions) -> std::borrow::Cow<'_, str> {
    blank_version_comments(src, opts, false)
}

/// `src` with its version comments blanked whole, content included: the statement as a
/// server older than every version comment reads it.
pub fn without_version_comments(src: &str, opts: LexOptions) -> std::borrow::Cow<'_, str> {
    blank_version_comments(src, opts, true)
}

fn blank_version_comments(src: &str, opts: LexOptions, content: bool) -> std::borrow::Cow<'_, str> {
    let has_markers = src.contains("/*!") || src.contains("/*M!") || src.contains("*/");
    if opts.version_comments.is_none() || !has_markers {
        return std::borrow::Cow::Borrowed(src);
    }
    let mut out = String::with_capacity(src.len());
    let mut last = 0;
    let mut inside = false;
    for t in Lexer::new(src, opts) {
        let marker = is_version_marker(&t, src);
        if marker || (content && inside) {
            out.push_str(&src[last..t.start]);
            // Blanks of the same byte length: offsets stay those of the input.
            out.extend(std::iter::repeat_n(' ', t.end - t.start));
            last = t.end;
        }
        if marker {
            inside = t.text(src) != "*/";
        }
    }
    out.push_str(&src[last..]);
    std::borrow::Cow::Owned(out)
}

/// The code tokens (no whitespace, no comments) of `src`.
pub fn code_tokens(src: &str, opts: LexOptions) -> Vec<Token> {
    // About one code token per five bytes of SQL: one allocation for most statements.
    let mut out = Vec::with_capacity(src.len() / 5 + 8);
    out.extend(Lexer::new(src, opts).filter(|t| !t.is_trivia()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dialect;

    fn kinds(src: &str, d: Dialect) -> Vec<(Kind, &str)> {
        Lexer::new(src, d.caps().lex)
            .filter(|t| t.kind != Kind::Whitespace)
            .map(|t| (t.kind, t.text(src)))
            .collect()
    }

    #[test]
    fn strings_comments_and_quotes() {
        let src = "SELECT 'it''s', E'a\\'b', $x$ ; $x$, \"q\"\"d\" -- c ;\n/* a /* b */ c */ 1.5e3";
        let k = kinds(src, Dialect::Postgres);
        assert_eq!(k[1], (Kind::String, "'it''s'"));
        assert_eq!(k[3], (Kind::String, "E'a\\'b'"));
        assert_eq!(k[5], (Kind::String, "$x$ ; $x$"));
        assert_eq!(k[7], (Kind::QuotedIdent, "\"q\"\"d\""));
        assert_eq!(k[8].0, Kind::LineComment);
        assert_eq!(k[9], (Kind::BlockComment, "/* a /* b */ c */"));
        assert_eq!(k[10], (Kind::Number, "1.5e3"));
    }

    #[test]
    fn mysql_backslashes_and_hash() {
        let k = kinds("'a\\'b' # x\n`t` \"s\"", Dialect::Mysql);
        assert_eq!(k[0], (Kind::String, "'a\\'b'"));
        assert_eq!(k[1].0, Kind::LineComment);
        assert_eq!(k[2], (Kind::QuotedIdent, "`t`"));
        assert_eq!(k[3], (Kind::String, "\"s\""));
    }

    #[test]
    fn doubled_quote_at_string_start() {
        let k = kinds("N'''Round Midnight', 1", Dialect::Postgres);
        assert_eq!(k[0], (Kind::String, "N'''Round Midnight'"));
        let k = kinds("'''a''' x", Dialect::Bigquery);
        assert_eq!(k[0], (Kind::String, "'''a'''"));
    }

    #[test]
    fn unterminated_runs_to_end() {
        let k = kinds("'abc", Dialect::Postgres);
        assert_eq!(k, vec![(Kind::String, "'abc")]);
        let k = kinds("/* x", Dialect::Postgres);
        assert_eq!(k, vec![(Kind::BlockComment, "/* x")]);
    }

    #[test]
    fn version_comments_hold_code() {
        let src = "INSERT /*!40000 IGNORE */ INTO t VALUES (1) /*M!100100 ,(2)*/ /* x */";
        let k = kinds(src, Dialect::Mariadb);
        assert_eq!(k[1], (Kind::BlockComment, "/*!40000"));
        assert_eq!(k[2], (Kind::Word, "IGNORE"));
        assert_eq!(k[3], (Kind::BlockComment, "*/"));
        assert_eq!(k[10], (Kind::BlockComment, "/*M!100100"));
        assert_eq!(k[11], (Kind::Punct, ","));
        assert_eq!(k[15], (Kind::BlockComment, "*/"));
        assert_eq!(k[16], (Kind::BlockComment, "/* x */"));
        let blank = without_version_markers(src, Dialect::Mariadb.caps().lex);
        assert_eq!(
            blank,
            "INSERT          IGNORE    INTO t VALUES (1)            ,(2)   /* x */"
        );
        // MariaDB reads MySQL 5.7+ version comments as comments; MySQL has no `/*M!`.
        let k = kinds("SELECT 1 /*!50700 +1 */ /*!50699 +2 */", Dialect::Mariadb);
        assert_eq!(k[2], (Kind::BlockComment, "/*!50700 +1 */"));
        assert_eq!(k[3], (Kind::BlockComment, "/*!50699"));
        let k = kinds("SELECT 1 /*M!100100 +1 */ /*!80023 +2 */", Dialect::Mysql);
        assert_eq!(k[2], (Kind::BlockComment, "/*M!100100 +1 */"));
        assert_eq!(k[3], (Kind::BlockComment, "/*!80023"));
        // Elsewhere they stay comments.
        let k = kinds("SELECT /*!1 2 */ 3", Dialect::Postgres);
        assert_eq!(k[1], (Kind::BlockComment, "/*!1 2 */"));
        let k = kinds("SELECT /*!1 a=*/ 3", Dialect::Mysql);
        assert_eq!(k[3], (Kind::Op, "="));
        assert_eq!(k[4], (Kind::BlockComment, "*/"));
    }

    #[test]
    fn never_panics_on_odd_bytes() {
        for src in [
            "$",
            "$$",
            "\u{0}",
            "é'",
            "N",
            "U&",
            "0x",
            "1e",
            "@",
            ":",
            "[",
            "'''",
            "r'",
            "/*!",
            "/*M!1",
            "/*!1 */ */",
            "/*!é",
        ] {
            for d in Dialect::ALL {
                let toks: Vec<_> = Lexer::new(src, d.caps().lex).collect();
                assert_eq!(toks.last().map(|t| t.end), Some(src.len()), "{src:?} {d}");
            }
        }
    }
}
