//! Code actions: a quick fix per fixable diagnostic, an "ignore this rule here" directive per
//! diagnostic, and `source.fixAll.idemsql`, which applies the library's [`fix`](crate::fix).

use lsp_types as lsp;
use serde_json::{Value, json};

use super::FIX_ALL_KIND;
use super::convert;
use super::server::{Document, Server, guarded};
use crate::diagnostic::Diagnostic;
use crate::settings::options::Options;
use crate::text::edit::Edit;
use crate::text::line_index::LineIndex;
use crate::text::split;

impl Server {
    /// `textDocument/codeAction`: the actions of the kinds the client asked for (`only`) for
    /// the diagnostics that touch the range.
    pub(super) fn code_actions(&self, p: lsp::CodeActionParams) -> Value {
        let uri = p.text_document.uri.as_str();
        let Some(doc) = self.docs.get(uri) else {
            return Value::Null;
        };
        let wants = |kind: &str| match &p.context.only {
            None => true,
            Some(only) => only.iter().any(|k| {
                let k = k.as_str();
                kind == k
                    || kind
                        .strip_prefix(k)
                        .is_some_and(|rest| rest.starts_with('.'))
            }),
        };
        let mut actions = Vec::new();
        if wants(lsp::CodeActionKind::QUICKFIX.as_str()) {
            actions.extend(self.quick_fixes(uri, doc, &p.range));
        }
        if wants(FIX_ALL_KIND) {
            actions.extend(self.fix_all(uri, doc));
        }
        Value::Array(actions)
    }

    /// For each diagnostic touching `range`: its fix (preferred), and a directive that
    /// ignores its rule for the statement.
    fn quick_fixes(&self, uri: &str, doc: &Document, range: &lsp::Range) -> Vec<Value> {
        let index = LineIndex::new(&doc.text);
        let mut actions = Vec::new();
        for d in &doc.diagnostics {
            let d_range = convert::range(&index, d.span, self.encoding);
            if !convert::touches(&d_range, range) {
                continue;
            }
            let lsp_diagnostic = convert::to_lsp(d, &index, self.encoding);
            if let Some(fix) = &d.fix {
                actions.push(json!({
                    "title": format!("{} ({})", fix.message, d.code),
                    "kind": "quickfix",
                    "diagnostics": [lsp_diagnostic],
                    "isPreferred": true,
                    "edit": self.workspace_edit(uri, doc, &fix.edits),
                }));
            }
            if let Some(edit) = doc.options.as_ref().and_then(|o| {
                #[cfg(feature = "python")]
                if uri.ends_with(".py") {
                    return crate::python::ignore_edit(&doc.text, d, o);
                }
                ignore_edit(&doc.text, d, o)
            }) {
                actions.push(json!({
                    "title": format!("Ignore {} for this statement", d.code),
                    "kind": "quickfix",
                    "diagnostics": [lsp_diagnostic],
                    "edit": self.workspace_edit(uri, doc, std::slice::from_ref(&edit)),
                }));
            }
        }
        actions
    }

    /// Every fix of the file at once, when there is one (and the library agrees to fix the
    /// file: it refuses one with a statement it could not read).
    fn fix_all(&self, uri: &str, doc: &Document) -> Option<Value> {
        let options = doc.options.as_ref()?;
        let fixed = guarded(|| super::fix_document(uri, &doc.text, options)).ok()?;
        (!fixed.edits.is_empty()).then(|| {
            json!({
                "title": "idemsql: fix all",
                "kind": FIX_ALL_KIND,
                "edit": self.workspace_edit(uri, doc, &fixed.edits),
            })
        })
    }

    /// A workspace edit of `edits` to the document, versioned when the client takes
    /// `documentChanges`, so an edit made for an older text is refused.
    fn workspace_edit(&self, uri: &str, doc: &Document, edits: &[Edit]) -> Value {
        let index = LineIndex::new(&doc.text);
        let text_edits: Vec<lsp::TextEdit> = edits
            .iter()
            .map(|e| lsp::TextEdit {
                range: convert::range(&index, crate::Span::new(e.start, e.end), self.encoding),
                new_text: e.text.clone(),
            })
            .collect();
        if self.caps.document_changes {
            json!({
                "documentChanges": [{
                    "textDocument": {"uri": uri, "version": doc.version},
                    "edits": text_edits,
                }]
            })
        } else {
            json!({ "changes": { uri: text_edits } })
        }
    }
}

/// An edit that puts `-- idemsql: ignore(CODE)` on its own line before the statement holding
/// the diagnostic.
fn ignore_edit(text: &str, d: &Diagnostic, options: &Options) -> Option<Edit> {
    let lex = options.dialect.caps().lex;
    let chunk = split::Splitter::new(text, lex)
        .find(|c| c.leading.start <= d.span.start && d.span.start <= c.span.end)?;
    let at = chunk.span.start;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    let directive = format!("-- idemsql: ignore({})", d.code);
    let new_text = if before.chars().all(char::is_whitespace) {
        format!("{directive}\n{before}")
    } else {
        format!("\n{directive}\n")
    };
    Some(Edit {
        start: at,
        end: at,
        text: new_text,
    })
}
