//! Driver parameters and template code, read as SQL and given back as written.
//!
//! Pipelines' SQL carries `%s` and `%(name)s` (psycopg, PyMySQL), `?` (sqlite3, JDBC), `$1`,
//! `:name`, `@name`, and Jinja (`{{ ds }}`, `{% if is_incremental() %}`). sqlparser reads some
//! of them in some dialects and none of `%s` or Jinja in any. So before the engine sees a
//! script, every such construct outside strings and comments is replaced by a placeholder every
//! sqlparser dialect reads in its place (`scan.rs` decides what each stands for):
//!
//! - a value by `$__idem_p0_` (positional: a new one each time) or `$__idem_n1_` (named: the
//!   same text gets the same placeholder, so `:id` twice is the same value). `$name` is read as
//!   a parameter by every sqlparser dialect but MySQL's, which reads `:name` (`:name` fails in
//!   Oracle's, Hive's and ANSI's, `?` in PostgreSQL's, `@name` in four);
//! - a name by the identifier `__idem_i2_`, which glues to the words around it as the
//!   template does (`orders_{{ ds_nodash }}`);
//! - a control tag by the comment `/*__idem_c3_*/`, so both branches of an `{% if %}` are read.
//!
//! The engine runs on the masked text. [`Masked::restore`] brings back what it returns: spans
//! through the offset map, replacement texts and messages with each placeholder replaced by the
//! user's text, so no byte of a template or a parameter changes. On the way it checks that
//! every rewrite takes the positional parameters of its statement once each and in their order
//! (`fit.rs`): a caller's parameter tuple must still fit.
//!
//! Owns the placeholders and the way back. May not decide or word rewrites.

mod dbt;
mod fit;
mod scan;

use std::borrow::Cow;
use std::cell::OnceCell;

use crate::diagnostic::Diagnostic;
use crate::dialect::Dialect;
use crate::engine::Item;
use crate::parse::StatementSpan;
use crate::text::edit::{Edit, Span};
use crate::text::line_index::LineIndex;
use scan::Role;

/// One construct replaced by a placeholder.
#[derive(Debug, Clone, Copy)]
struct Mark {
    /// Its placeholder's range in the masked text (with any space added around it).
    masked: (usize, usize),
    /// The construct's range in the original text.
    original: (usize, usize),
    /// Its entry in [`Masked::entries`].
    id: usize,
}

/// A placeholder and the text it stands for.
#[derive(Debug, Clone)]
struct Entry {
    placeholder: String,
    original: (usize, usize),
    role: Role,
    /// A driver's parameter (bound per call), not a template (rendered into the text) or a
    /// session variable (`@name`: MySQL's and SQL Server's variables, which a script sets and
    /// uses across statements; BigQuery's `@param` runs as one script job).
    driver: bool,
}

/// A text with its parameters and templates replaced, and the way back.
pub(crate) struct Masked<'a> {
    original: &'a str,
    text: Cow<'a, str>,
    /// What value placeholders start with.
    sigil: char,
    lex: crate::text::lexer::LexOptions,
    marker: String,
    /// In text order (the same in both texts).
    marks: Vec<Mark>,
    entries: Vec<Entry>,
    original_index: OnceCell<LineIndex<'a>>,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

impl<'a> Masked<'a> {
    /// Mask `src` for `dialect`. A text with nothing to mask is borrowed as it is.
    pub fn new(src: &'a str, dialect: Dialect) -> Self {
        let caps = dialect.caps();
        let found = if src
            .bytes()
            .any(|b| matches!(b, b'?' | b'%' | b'{' | b'$' | b'@' | b':'))
        {
            scan::scan(src, caps.lex, caps.params)
        } else {
            Vec::new()
        };
        let mut marker = "__idem_".to_string();
        let mut n = 0;
        while src.contains(&marker) {
            n += 1;
            marker = format!("__idem{n}_");
        }
        let mut masked = Masked {
            original: src,
            text: Cow::Borrowed(src),
            sigil: caps.params.placeholder_sigil,
            lex: caps.lex,
            marker,
            marks: Vec::with_capacity(found.len()),
            entries: Vec::new(),
            original_index: OnceCell::new(),
        };
        if !found.is_empty() {
            masked.text = Cow::Owned(masked.build(&found));
        }
        masked
    }

    fn build(&mut self, found: &[scan::Found]) -> String {
        let src = self.original;
        let bytes = src.as_bytes();
        let mut out = String::with_capacity(src.len() + found.len() * 12);
        let mut shared: std::collections::HashMap<(bool, &str), usize> =
            std::collections::HashMap::new();
        let mut pos = 0;
        for f in found {
            out.push_str(&src[pos..f.start]);
            let text = &src[f.start..f.end];
            let id = match f.role {
                Role::Named | Role::Identifier => {
                    let key = (f.role == Role::Named, text);
                    match shared.get(&key) {
                        Some(&id) => id,
                        None => {
                            let id = self.entry(f);
                            shared.insert(key, id);
                            id
                        }
                    }
                }
                Role::Positional | Role::Tag => self.entry(f),
            };
            let value = matches!(f.role, Role::Positional | Role::Named);
            let start = out.len();
            let before = f.start.checked_sub(1).map_or(0, |i| bytes[i]);
            if value && is_word_byte(before) {
                out.push(' ');
            }
            out.push_str(&self.entries[id].placeholder);
            if value && bytes.get(f.end).is_some_and(|b| is_word_byte(*b)) {
                out.push(' ');
            }
            self.marks.push(Mark {
                masked: (start, out.len()),
                original: (f.start, f.end),
                id,
            });
            pos = f.end;
        }
        out.push_str(&src[pos..]);
        out
    }

    fn entry(&mut self, f: &scan::Found) -> usize {
        let id = self.entries.len();
        let (m, sigil) = (&self.marker, self.sigil);
        let placeholder = match f.role {
            Role::Positional => format!("{sigil}{m}p{id}_"),
            Role::Named => format!("{sigil}{m}n{id}_"),
            Role::Identifier => format!("{m}i{id}_"),
            Role::Tag => format!("/*{m}c{id}_*/"),
        };
        let text = &self.original[f.start..f.end];
        self.entries.push(Entry {
            placeholder,
            original: (f.start, f.end),
            role: f.role,
            driver: matches!(f.role, Role::Positional | Role::Named)
                && !text.starts_with("{{")
                && !text.starts_with("${")
                && !text.starts_with('@'),
        });
        id
    }

    /// The text the engine reads.
    pub fn text(&self) -> &str {
        &self.text
    }

    fn original_index(&self) -> &LineIndex<'a> {
        self.original_index
            .get_or_init(|| LineIndex::new(self.original))
    }

    /// An offset of the masked text in the original. An offset inside a placeholder goes to
    /// the construct's start, or its end when `end` is set.
    fn offset(&self, pos: usize, end: bool) -> usize {
        let i = self.marks.partition_point(|m| m.masked.0 <= pos);
        let Some(m) = i.checked_sub(1).map(|i| self.marks[i]) else {
            return pos;
        };
        if pos >= m.masked.1 {
            pos - m.masked.1 + m.original.1
        } else if pos == m.masked.0 || !end {
            m.original.0
        } else {
            m.original.1
        }
    }

    fn span(&self, span: Span) -> Span {
        let empty = span.start == span.end;
        Span::new(
            self.offset(span.start, false),
            self.offset(span.end, !empty),
        )
    }

    /// `text` with every placeholder replaced by the text it stands for.
    fn unmask(&self, text: &str) -> String {
        if !text.contains(self.marker.as_str()) {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut pos = 0;
        let mut from = 0;
        while let Some(found) = text[from..].find(self.marker.as_str()) {
            let at = from + found;
            from = at + self.marker.len();
            let Some((id, start)) = self.placeholder_at(text, at) else {
                continue;
            };
            let entry = &self.entries[id];
            let (s, e) = entry.original;
            out.push_str(&text[pos..start]);
            out.push_str(&self.original[s..e]);
            pos = start + entry.placeholder.len();
            from = pos;
        }
        out.push_str(&text[pos..]);
        out
    }

    /// The entry (its id) whose placeholder has its marker at `at` in `text`, and where it starts.
    fn placeholder_at(&self, text: &str, at: usize) -> Option<(usize, usize)> {
        let rest = &text.as_bytes()[at + self.marker.len()..];
        let digits = rest
            .get(1..)?
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let id: usize = std::str::from_utf8(&rest[1..1 + digits])
            .ok()?
            .parse()
            .ok()?;
        let entry = self.entries.get(id)?;
        let lead = match entry.role {
            Role::Positional | Role::Named => 1,
            Role::Identifier => 0,
            Role::Tag => 2,
        };
        let start = at.checked_sub(lead)?;
        text[start..]
            .starts_with(entry.placeholder.as_str())
            .then_some((id, start))
    }

    fn edit(&self, e: Edit) -> Edit {
        let span = self.span(Span::new(e.start, e.end));
        Edit {
            start: span.start,
            end: span.end,
            text: self.unmask(&e.text),
        }
    }

    fn diagnostic(&self, mut d: Diagnostic) -> Diagnostic {
        d.span = self.span(d.span);
        d.start = self.original_index().position(d.span.start);
        d.end = self.original_index().position(d.span.end);
        d.message = self.unmask(&d.message);
        d.help = d.help.map(|h| self.unmask(&h));
        if let Some(fix) = &mut d.fix {
            fix.message = self.unmask(&fix.message);
            fix.edits = std::mem::take(&mut fix.edits)
                .into_iter()
                .map(|e| self.edit(e))
                .collect();
        }
        d
    }

    /// What the engine returned for one statement of the masked text, in the original's
    /// offsets and words; a rewrite that would change the statement's positional parameters
    /// is withdrawn and reported instead.
    pub fn restore(&self, item: Item) -> Item {
        if self.marks.is_empty() {
            return item;
        }
        let (item, findings) = fit::guard(self, item);
        let mut diagnostics: Vec<Diagnostic> = item
            .diagnostics
            .into_iter()
            .map(|d| self.diagnostic(d))
            .collect();
        diagnostics.extend(
            findings
                .into_iter()
                .map(|f| f.diagnostic(self.original_index())),
        );
        Item {
            statement: self.span(item.statement),
            edits: item.edits.into_iter().map(|e| self.edit(e)).collect(),
            diagnostics,
        }
    }

    /// What the text's templates themselves say about reruns: a dbt model's `config(...)`
    /// (`dbt.rs`). The options' `ignore` and `severity` apply as to every rule.
    pub fn template_diagnostics(&self, options: &crate::Options) -> Vec<Diagnostic> {
        let Some((entry, cfg)) = self
            .entries
            .iter()
            .filter(|e| e.role == Role::Tag)
            .find_map(|e| Some((e, dbt::config(&self.original[e.original.0..e.original.1])?)))
        else {
            return Vec::new();
        };
        let pd = options.dialect.parser_dialect();
        let model = crate::parse::parse(&*pd, &self.text).ok();
        let model = model.as_ref().and_then(|m| match m.as_slice() {
            [one] => Some(one),
            _ => None,
        });
        let (start, end) = entry.original;
        dbt::findings(&cfg, start, end, model)
            .into_iter()
            .filter(|f| {
                !options
                    .ignore
                    .iter()
                    .any(|i| crate::rules::Rule::from_code_or_name(i) == Some(f.rule))
            })
            .map(|mut f| {
                if let Some((_, sev)) = options
                    .severity
                    .iter()
                    .find(|(c, _)| crate::rules::Rule::from_code_or_name(c) == Some(f.rule))
                {
                    f.severity = Some(*sev);
                }
                f.diagnostic(self.original_index())
            })
            .collect()
    }

    /// A statement's place in the masked text, in the original.
    pub fn statement(&self, mut s: StatementSpan) -> StatementSpan {
        if self.marks.is_empty() {
            return s;
        }
        s.code = self.span(s.code);
        s.terminator = s.terminator.map(|t| self.span(t));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_round_trip() {
        let src = "INSERT INTO {{ t }} (a, b) VALUES (%s, %(b)s) {# note #}; SELECT ?, :b";
        let m = Masked::new(src, Dialect::Postgres);
        assert_eq!(
            m.text(),
            "INSERT INTO __idem_i0_ (a, b) VALUES ($__idem_p1_, $__idem_n2_) /*__idem_c3_*/; \
             SELECT $__idem_p4_, $__idem_n5_"
        );
        assert_eq!(m.unmask(m.text()), src);
        // Offsets: the start and end of a construct, and the text after it.
        let at = m.text().find("$__idem_n2_").unwrap();
        assert_eq!(m.offset(at, false), src.find("%(b)s").unwrap());
        assert_eq!(m.offset(at + 11, true), src.find("%(b)s").unwrap() + 5);
        assert_eq!(m.offset(m.text().len(), true), src.len());
    }

    #[test]
    fn a_glued_parameter_is_set_apart() {
        let m = Masked::new("SELECT a%s", Dialect::Postgres);
        assert_eq!(m.text(), "SELECT a $__idem_p0_");
        assert_eq!(m.offset(m.text().len(), true), "SELECT a%s".len());
    }

    #[test]
    fn same_name_same_placeholder() {
        let m = Masked::new("SELECT :a, :a, ?, ?", Dialect::Sqlite);
        assert_eq!(
            m.text(),
            "SELECT $__idem_n0_, $__idem_n0_, $__idem_p1_, $__idem_p2_"
        );
    }

    #[test]
    fn text_that_holds_the_marker_gets_another() {
        let src = "SELECT '__idem_p0_', %s";
        let m = Masked::new(src, Dialect::Postgres);
        assert_eq!(m.text(), "SELECT '__idem_p0_', $__idem1_p0_");
        assert_eq!(m.unmask(m.text()), src);
    }

    #[test]
    fn nothing_to_mask_is_borrowed() {
        let m = Masked::new("INSERT INTO t VALUES (1, 'a?')", Dialect::Postgres);
        assert!(matches!(m.text, Cow::Borrowed(_)));
    }
}
