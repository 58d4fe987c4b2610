//! `--format github`: GitHub Actions workflow commands, so findings show as annotations on
//! the pull request's diff.

use std::fmt::Write as _;

use idemsql::Severity;

use super::file::FileReport;

/// One annotation per finding of every report.
pub fn render(reports: &[FileReport]) -> String {
    reports.iter().map(github).collect()
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
