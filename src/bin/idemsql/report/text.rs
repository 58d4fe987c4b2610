//! `--format text`: rustc-style, each finding with `file:line:col`, the source line and a
//! caret under the span, its help, and the command that explains it.

use std::fmt::Write as _;

use idemsql::LineIndex;

use super::file::FileReport;

/// Every report's findings, one after the other.
pub fn render(reports: &[FileReport]) -> String {
    reports.iter().map(text).collect()
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
