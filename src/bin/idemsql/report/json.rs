//! `--format json`: one array of every diagnostic, with stable fields.

use idemsql::Diagnostic;
use serde::Serialize;

use super::file::FileReport;

/// The JSON array of every diagnostic of `reports`, pretty-printed, with a final newline.
pub fn render(reports: &[FileReport]) -> String {
    let all: Vec<JsonDiagnostic> = reports
        .iter()
        .flat_map(|r| {
            r.diagnostics
                .iter()
                .map(|d| JsonDiagnostic::new(&r.name, d))
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// One diagnostic in the JSON format. The fields are a documented contract
/// (docs/integrations.md), spelled out here so a change in the library cannot change them.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    span: JsonSpan,
    start: JsonPosition,
    end: JsonPosition,
    fix: Option<JsonFix<'a>>,
    url: &'a str,
}

#[derive(Serialize)]
struct JsonSpan {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

impl<'a> JsonDiagnostic<'a> {
    fn new(file: &'a str, d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            file,
            code: d.code,
            name: d.name,
            severity: d.severity.as_str(),
            message: &d.message,
            help: d.help.as_deref(),
            span: JsonSpan {
                start: d.span.start,
                end: d.span.end,
            },
            start: JsonPosition {
                line: d.start.line,
                column: d.start.column,
            },
            end: JsonPosition {
                line: d.end.line,
                column: d.end.column,
            },
            fix: d.fix.as_ref().map(|f| JsonFix {
                message: &f.message,
                edits: f
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        start: e.start,
                        end: e.end,
                        text: &e.text,
                    })
                    .collect(),
            }),
            url: &d.url,
        }
    }
}
