//! Printing diagnostics: rustc-style text, JSON, GitHub Actions annotations, SARIF.

use std::fmt::Write as _;

use idemsql::{Diagnostic, LineIndex, Severity};
use serde::Serialize;

use crate::args::Format;

/// Diagnostics of one input, with what is needed to show them.
pub struct FileReport<'a> {
    /// The name to show (a path, or `<stdin>`).
    pub name: String,
    pub source: &'a str,
    pub diagnostics: Vec<Diagnostic>,
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

pub fn render(format: Format, reports: &[FileReport]) -> String {
    match format {
        Format::Text => reports.iter().map(text).collect(),
        Format::Json => {
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
        Format::Github => reports.iter().map(github).collect(),
        Format::Sarif => {
            let mut s = serde_json::to_string_pretty(&crate::sarif::log(reports))
                .unwrap_or_else(|_| "{}".into());
            s.push('\n');
            s
        }
    }
}

fn text(report: &FileReport) -> String {
    if report.diagnostics.is_empty() {
        return String::new();
    }
    let index = LineIndex::new(report.source);
    let mut out = String::new();
    for d in &report.diagnostics {
        let _ = writeln!(out, "{}[{}]: {}", d.severity.as_str(), d.code, d.message);
        let _ = writeln!(
            out,
            "  --> {}:{}:{}",
            report.name, d.start.line, d.start.column
        );
        let line = index.line_text(d.start.line);
        let gutter = d.start.line.to_string().len();
        let pad = " ".repeat(gutter);
        let _ = writeln!(out, "{pad} |");
        let shown: String = line.chars().take(200).collect();
        let _ = writeln!(out, "{} | {}", d.start.line, shown);
        let start_col = d.start.column.saturating_sub(1);
        let width = if d.end.line == d.start.line {
            d.end.column.saturating_sub(d.start.column).max(1)
        } else {
            line.chars().count().saturating_sub(start_col).max(1)
        };
        let width = width.min(200usize.saturating_sub(start_col).max(1));
        let lead: String = line
            .chars()
            .take(start_col)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let more = if d.end.line > d.start.line {
            format!(" ... to line {}", d.end.line)
        } else {
            String::new()
        };
        let _ = writeln!(out, "{pad} | {lead}{}{more}", "^".repeat(width));
        if let Some(h) = &d.help {
            let _ = writeln!(out, "{pad} = help: {h}");
        }
        if d.fix.is_some() {
            let _ = writeln!(out, "{pad} = fix available: `idemsql check --fix`");
        }
        let _ = writeln!(out, "{pad} = see: idemsql explain {}", d.code);
        out.push('\n');
    }
    out
}

/// Escape a workflow-command message (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a workflow-command property (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn github(report: &FileReport) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&report.name),
            d.start.line,
            d.start.column,
            d.end.line,
            d.end.column,
            escape_property(&format!("{} {}", d.code, d.name)),
            escape_data(&message)
        );
    }
    out
}
