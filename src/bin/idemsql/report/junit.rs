//! `--format junit`: JUnit XML, which CI systems show as test results (GitLab's
//! `artifacts:reports:junit`, Jenkins, Azure Pipelines, GitHub test reporters): one test suite
//! per file, one failing test case per finding (a file without findings has one passing case).

use std::fmt::Write as _;

use idemsql::Severity;

use super::file::FileReport;

/// The JUnit XML of `reports`.
pub fn render(reports: &[FileReport]) -> String {
    let failures = |r: &FileReport| r.diagnostics.len();
    let total: usize = reports.iter().map(|r| failures(r).max(1)).sum();
    let failed: usize = reports.iter().map(failures).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"idemsql\" tests=\"{total}\" failures=\"{failed}\">"
    );
    for r in reports {
        let name = escape(&r.name);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{}\">",
            failures(r).max(1),
            failures(r)
        );
        if r.diagnostics.is_empty() {
            let _ = writeln!(
                out,
                "    <testcase name=\"rerun-safe\" classname=\"{name}\"/>"
            );
        }
        for d in &r.diagnostics {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            let _ = writeln!(
                out,
                "    <testcase name=\"{} {} at {}:{}\" classname=\"{name}\">",
                d.code, d.name, d.start.line, d.start.column
            );
            let mut body = format!(
                "{}:{}:{}: {}",
                r.name, d.start.line, d.start.column, d.message
            );
            if let Some(h) = &d.help {
                let _ = write!(body, "\nhelp: {h}");
            }
            let _ = write!(body, "\nsee: {}", d.url);
            let _ = writeln!(
                out,
                "      <failure type=\"{level}\" message=\"{}\">{}</failure>",
                escape(&d.message),
                escape(&body)
            );
            let _ = writeln!(out, "    </testcase>");
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    out.push_str("</testsuites>\n");
    out
}

/// `s` as XML attribute or text content; characters XML 1.0 cannot hold become U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
