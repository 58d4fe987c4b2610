//! SQL inside Python code: the string literals a module passes to `execute`, `text`,
//! `read_sql`, `spark.sql`, `op.execute`, Airflow's `sql=` ... (`extract.rs`), read as one SQL
//! script in file order, so a `CREATE TABLE` run earlier in the module gives its keys to the
//! INSERTs after it, as in a `.sql` file.
//!
//! The script is the literals' SQL, each followed by a `;` where it has none (one call runs
//! one statement), with the `# idemsql: ...` comments on the lines before each call written as
//! `-- idemsql: ...` directives. Diagnostics come back to the Python source through the
//! literals' places. A fix is applied only inside a plain literal (one string whose body is
//! the SQL byte for byte), with the replacement escaped for its quotes, and only when the
//! fixed module still parses; f-strings, concatenations and strings with escapes are linted
//! and never fixed. A form of several statements does not fit a call that runs one
//! (everything but `executescript`), so such a fix is withdrawn (IDEM026).
//!
//! Owns the way from Python source to SQL script and back. May not read SQL itself.

mod extract;

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::rules::Rule;
use crate::settings::options::Options;
use crate::text::edit::{Edit, Span, apply_edits};
use crate::text::lexer::{Kind, Lexer};
use crate::text::line_index::LineIndex;
use extract::{Literal, Shape};

/// A literal's SQL in the script.
struct Segment {
    /// Its range in the script.
    start: usize,
    end: usize,
    literal: Literal,
}

/// The SQL script of a Python module, and the way back.
struct Script<'a> {
    text: String,
    segments: Vec<Segment>,
    index: LineIndex<'a>,
}

/// `# idemsql: ...` comments on the lines right above `at` (a call's start), as SQL
/// directive comments, in order.
fn directives(src: &str, at: usize) -> Vec<String> {
    let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut out = Vec::new();
    for line in src[..line_start].lines().rev() {
        let t = line.trim();
        let Some(comment) = t.strip_prefix('#') else {
            break;
        };
        if let Some(rest) = comment.trim_start().strip_prefix("idemsql:") {
            out.push(format!("-- idemsql:{rest}\n"));
        }
    }
    out.reverse();
    out
}

impl<'a> Script<'a> {
    /// The script of `src`, or where and why `src` is not Python.
    fn new(src: &'a str, options: &Options) -> Result<Self, (usize, String)> {
        let literals = extract::literals(src, &options.python_calls)
            .map_err(|e| (u32::from(e.offset) as usize, e.error.to_string()))?;
        let lex = options.dialect.caps().lex;
        let mut text = String::new();
        // A file-wide directive anywhere in the module holds for the whole script.
        for line in src.lines() {
            let t = line.trim();
            if let Some(c) = t.strip_prefix('#')
                && let Some(rest) = c.trim_start().strip_prefix("idemsql:")
                && rest.trim().starts_with("ignore-file")
            {
                text.push_str(&format!("-- idemsql:{rest}\n"));
            }
        }
        let mut segments = Vec::with_capacity(literals.len());
        for literal in literals {
            // Above the call, or above the string inside a call written over several lines.
            let mut found = directives(src, literal.call_start);
            if line_of(src, literal.start) != line_of(src, literal.call_start) {
                found.extend(directives(src, literal.start));
            }
            for d in found {
                text.push_str(&d);
            }
            let start = text.len();
            text.push_str(&literal.sql);
            let end = text.len();
            if !ends_with_terminator(&literal.sql, lex) {
                text.push_str("\n;");
            }
            text.push('\n');
            segments.push(Segment {
                start,
                end,
                literal,
            });
        }
        Ok(Script {
            text,
            segments,
            index: LineIndex::new(src),
        })
    }

    /// The segment holding script offset `pos` (or the first after it).
    fn segment(&self, pos: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.end < pos);
        self.segments.get(i).or(self.segments.last())
    }

    /// A script offset in the Python source.
    fn offset(&self, pos: usize) -> usize {
        let Some(s) = self.segment(pos) else {
            return 0;
        };
        match s.literal.shape {
            Shape::Plain { body, .. } if pos >= s.start => {
                body + (pos - s.start).min(s.end - s.start)
            }
            _ => s.literal.start,
        }
    }

    /// An edit of the script as an edit of the Python source, when it falls inside one plain
    /// literal and its text can be written in that literal's quotes; else why not.
    fn edit(&self, e: &Edit) -> Result<Edit, &'static str> {
        const NOT_PLAIN: &str = "the fix is not applied to this Python string (an f-string, a \
            concatenation, a formatted string or a string with escapes): make the change by hand";
        let s = self.segment(e.start).ok_or(NOT_PLAIN)?;
        let Shape::Plain {
            body,
            quote,
            triple,
            raw,
        } = s.literal.shape
        else {
            return Err(NOT_PLAIN);
        };
        if e.start < s.start || e.end > s.end {
            return Err(NOT_PLAIN);
        }
        if !s.literal.script && statements_added(&e.text) {
            return Err(
                "the fix is several statements, and this call runs one: choose a \
                strategy whose form is one statement (upsert, merge), or run the statements as \
                separate calls in one transaction",
            );
        }
        let text = escape(&e.text, quote, triple, raw)
            .ok_or("the fix cannot be written inside this raw string's quotes")?;
        Ok(Edit {
            start: body + (e.start - s.start),
            end: body + (e.end - s.start),
            text,
        })
    }

    fn diagnostic(&self, d: Diagnostic) -> Diagnostic {
        let span = Span::new(self.offset(d.span.start), self.offset(d.span.end));
        let mut fix = d.fix;
        let mut help = d.help;
        if let Some(f) = &fix {
            let edits: Result<Vec<Edit>, _> = f.edits.iter().map(|e| self.edit(e)).collect();
            match edits {
                Ok(edits) => {
                    fix = Some(crate::diagnostic::Fix {
                        message: f.message.clone(),
                        edits,
                    });
                }
                Err(note) => {
                    fix = None;
                    help = Some(match help {
                        Some(h) => format!("{h}; {note}"),
                        None => note.to_string(),
                    });
                }
            }
        }
        Diagnostic {
            span,
            start: self.index.position(span.start),
            end: self.index.position(span.end),
            fix,
            help,
            ..d
        }
    }
}

/// The start of the line holding byte `at`.
fn line_of(src: &str, at: usize) -> usize {
    src[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Does the text name a write statement anywhere (`INSERT`, `UPDATE`, `DELETE`, `MERGE`,
/// `COPY`, `REPLACE`, `UPSERT`), in any case?
fn mentions_write(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    [
        "insert", "update", "delete", "merge", "copy", "replace", "upsert",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Does `sql` end with a `;` (outside strings and comments)?
fn ends_with_terminator(sql: &str, lex: crate::text::lexer::LexOptions) -> bool {
    Lexer::new(sql, lex)
        .filter(|t| !t.is_trivia())
        .last()
        .is_some_and(|t| t.kind == Kind::Punct && t.is_punct(sql, ';'))
}

/// Does an edit's text hold a statement boundary (`; BEGIN; DELETE ...`)?
fn statements_added(text: &str) -> bool {
    Lexer::new(text, crate::text::lexer::LexOptions::STANDARD)
        .any(|t| t.kind == Kind::Punct && t.is_punct(text, ';'))
}

/// `text` as it must be written inside a literal with these quotes, when it can be.
fn escape(text: &str, quote: char, triple: bool, raw: bool) -> Option<String> {
    let closer = if triple {
        quote.to_string().repeat(3)
    } else {
        quote.to_string()
    };
    let needs = text.contains('\\') || text.contains(&closer) || (!triple && text.contains('\n'));
    if !needs {
        return Some(text.to_string());
    }
    if raw {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' if !triple => out.push_str("\\n"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    Some(out)
}

/// Report every write in the SQL strings of the Python module `src` that is not safe to rerun.
pub(crate) fn check(src: &str, options: &Options) -> Result<Vec<Diagnostic>, Error> {
    options.validate()?;
    let script = match Script::new(src, options) {
        Ok(s) => s,
        // A module with no write in its text has no SQL to check (modern syntax the parser
        // does not know yet must not fail a run over a whole repository).
        Err(_) if !mentions_write(src) => return Ok(Vec::new()),
        Err((at, why)) => {
            let message = format!(
                "could not read this file as Python ({why}): its SQL was not checked, and a \
                 rerun may repeat its writes"
            );
            return Ok(vec![error_at(src, at, message)]);
        }
    };
    let found = crate::check(&script.text, options)?;
    Ok(found.into_iter().map(|d| script.diagnostic(d)).collect())
}

/// Apply every available fix inside the SQL strings of `src`, as [`crate::fix`] does for SQL.
pub(crate) fn fix(src: &str, options: &Options) -> Result<crate::Output, Error> {
    let found = check(src, options)?;
    let not_fixed = |found: Vec<Diagnostic>| crate::Output {
        sql: src.to_string(),
        diagnostics: crate::mark_not_fixed(found),
        edits: Vec::new(),
    };
    if found.iter().any(crate::blocks_fix) {
        return Ok(not_fixed(found));
    }
    let edits = crate::fix_edits(&found);
    let fixed = apply_edits(src, &edits);
    if !extract::parses(&fixed) {
        let mut found = found;
        let message = "the fixed module would not parse as Python, so it was not fixed";
        found.push(error_at(src, 0, message.into()));
        return Ok(not_fixed(found));
    }
    let remaining = check(&fixed, options)?;
    Ok(crate::Output {
        sql: fixed,
        diagnostics: remaining,
        edits,
    })
}

/// An IDEM022 error at byte `at` of the Python source: its SQL could not be read or fixed.
fn error_at(src: &str, at: usize, message: String) -> Diagnostic {
    let index = LineIndex::new(src);
    let at = at.min(src.len());
    Diagnostic {
        code: Rule::UnparsedWrite.code(),
        name: Rule::UnparsedWrite.name(),
        severity: Severity::Error,
        message,
        help: Some(
            "fix the Python syntax (idemsql reads Python 3.11), or leave the file out of the \
             run"
            .into(),
        ),
        span: Span::new(at, at),
        start: index.position(at),
        end: index.position(at),
        fix: None,
        url: Rule::UnparsedWrite.url(),
    }
}

/// An edit that puts `# idemsql: ignore(CODE)` on its own line above the line where the
/// string holding `d` starts (outside the string), indented as that line: for editors.
#[cfg(feature = "lsp")]
pub(crate) fn ignore_edit(src: &str, d: &Diagnostic, options: &Options) -> Option<Edit> {
    let literals = extract::literals(src, &options.python_calls).ok()?;
    let literal = literals.iter().rev().find(|l| l.start <= d.span.start)?;
    let line_start = line_of(src, literal.start);
    let indent: String = src[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    Some(Edit {
        start: line_start,
        end: line_start,
        text: format!("{indent}# idemsql: ignore({})\n", d.code),
    })
}
