//! Hover: the diagnostics under the cursor, each with its help, the statement as its fix
//! rewrites it, and a link to the rule's documentation.

use lsp_types as lsp;
use serde_json::{Value, json};

use super::SOURCE;
use super::convert;
use super::server::Server;
use crate::diagnostic::Diagnostic;
use crate::text::edit::Edit;
use crate::text::line_index::LineIndex;

impl Server {
    /// `textDocument/hover`: one markdown section per diagnostic at the position, over the
    /// range they cover together; `null` where there is none.
    pub(super) fn hover(&self, p: lsp::HoverParams) -> Value {
        let pos = p.text_document_position_params;
        let Some(doc) = self.docs.get(pos.text_document.uri.as_str()) else {
            return Value::Null;
        };
        let index = LineIndex::new(&doc.text);
        let at = convert::offset(&index, pos.position, self.encoding);
        let found: Vec<&Diagnostic> = doc
            .diagnostics
            .iter()
            .filter(|d| d.span.start <= at && at <= d.span.end)
            .collect();
        if found.is_empty() {
            return Value::Null;
        }
        let sections: Vec<String> = found.iter().map(|d| section(&doc.text, d)).collect();
        let start = found.iter().map(|d| d.span.start).min().unwrap_or(at);
        let end = found.iter().map(|d| d.span.end).max().unwrap_or(at);
        json!({
            "contents": {"kind": "markdown", "value": sections.join("\n\n---\n\n")},
            "range": convert::range(&index, crate::Span::new(start, end), self.encoding),
        })
    }
}

/// One diagnostic's hover text. The help is left out when it only repeats the fix's title.
fn section(text: &str, d: &Diagnostic) -> String {
    let mut s = format!("**{} {}** ({}): {}", SOURCE, d.code, d.name, d.message);
    if let Some(h) = &d.help {
        if d.fix.as_ref().is_none_or(|f| f.message != *h) {
            s.push_str(&format!("\n\nhelp: {h}"));
        }
    }
    if let Some(fix) = &d.fix {
        let rewritten = rewritten_statement(text, d.span, &fix.edits);
        s.push_str(&format!(
            "\n\n{}:\n\n```sql\n{}\n```",
            fix.message, rewritten
        ));
    }
    s.push_str(&format!("\n\n[{} documentation]({})", d.name, d.url));
    s
}

/// The statement of a diagnostic with its fix applied: the text from the start of the span
/// (or the first edit) to the end of the span (or the last edit).
fn rewritten_statement(text: &str, span: crate::Span, edits: &[Edit]) -> String {
    let start = edits.iter().map(|e| e.start).fold(span.start, usize::min);
    let end = edits.iter().map(|e| e.end).fold(span.end, usize::max);
    let (start, end) = (start.min(text.len()), end.min(text.len()));
    crate::text::edit::apply_in(text, start, end, edits).unwrap_or_default()
}
