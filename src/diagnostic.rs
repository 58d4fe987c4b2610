//! What idemsql reports: [`Diagnostic`]s, each optionally carrying a [`Fix`] made of [`Edit`]s.

use serde::Serialize;

use crate::rules::Rule;
use crate::text::edit::{Edit, Span};
use crate::text::line_index::{LineIndex, Position};

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
pub(crate) const DOCS_BASE: &str = "https://github.com/idemsql/idemsql/blob/main/docs/rules";

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
            url: rule.url(),
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
