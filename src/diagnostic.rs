//! What idemsql reports: [`Diagnostic`]s, each optionally carrying a [`Fix`] made of [`Edit`]s.

use serde::Serialize;

use crate::rules::Rule;
use crate::source::line_index::{LineIndex, Position};

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,
    /// The output is correct, but something needs a look (a NULL-able key, a statement passed through unread).
    Warning,
    /// A rerun of this statement changes the data, or idemsql refused to rewrite it.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A byte range `start..end` in the input text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// Replace the bytes `start..end` of the input with `text`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A set of non-overlapping edits that resolves one diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    /// What applying the fix does, for quick-fix menus ("Rewrite as ON CONFLICT upsert").
    pub message: String,
    pub edits: Vec<Edit>,
}

/// One finding, at one place in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, `IDEM001` ...
    pub code: &'static str,
    /// Kebab-case name of the rule, also the name of its documentation page.
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    /// How to resolve it.
    pub help: Option<String>,
    /// Byte range in the input.
    pub span: Span,
    /// 1-based line and column (in characters) of `span.start`.
    pub start: Position,
    /// 1-based line and column (in characters) of `span.end`.
    pub end: Position,
    pub fix: Option<Fix>,
    /// The rule's documentation page.
    pub url: String,
}

/// The address of the rule pages; each page is `docs/rules/<name>.md` in the repository.
pub const DOCS_BASE: &str = "https://github.com/idemsql/idemsql/blob/main/docs/rules";

impl Diagnostic {
    /// A diagnostic of `rule` over `span`, positioned with `index`.
    pub(crate) fn new(rule: Rule, span: Span, message: String, index: &LineIndex) -> Self {
        Diagnostic {
            code: rule.code(),
            name: rule.name(),
            severity: rule.severity(),
            message,
            help: None,
            start: index.position(span.start),
            end: index.position(span.end),
            span,
            fix: None,
            url: format!("{DOCS_BASE}/{}.md", rule.name()),
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub(crate) fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The rule that produced this diagnostic.
    pub fn rule(&self) -> Option<Rule> {
        Rule::from_code_or_name(self.code)
    }
}

/// Apply edits to `text`. Edits must not overlap; they may come in any order.
/// Edits whose range does not fall on character boundaries inside `text` are skipped.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let extra: usize = sorted.iter().map(|e| e.text.len()).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut pos = 0;
    for e in sorted {
        if e.start < pos
            || e.end < e.start
            || !text.is_char_boundary(e.start)
            || !text.is_char_boundary(e.end)
        {
            continue;
        }
        out.push_str(&text[pos..e.start]);
        out.push_str(&e.text);
        pos = e.end;
    }
    out.push_str(&text[pos..]);
    out
}
