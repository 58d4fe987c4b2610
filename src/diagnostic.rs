//! What idemsql reports: [`Diagnostic`]s, each optionally carrying a [`Fix`] made of [`Edit`]s.

use serde::{Deserialize, Serialize};

use crate::text::edit::{Edit, Span};
use crate::text::line_index::Position;

/// How much a finding matters.
/// Options name severities in lower case (`severity = { IDEM016 = "error" }`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
