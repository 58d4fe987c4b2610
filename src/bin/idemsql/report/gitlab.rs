//! `--format gitlab`: a GitLab Code Quality report (a JSON array of issues), which GitLab
//! shows in merge requests when a job publishes it as `artifacts:reports:codequality`.

use idemsql::{Diagnostic, Severity};
use serde::Serialize;

use super::file::FileReport;

/// The Code Quality JSON of every diagnostic of `reports`, with a final newline.
pub fn render(reports: &[FileReport]) -> String {
    let all: Vec<Issue> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().map(|d| Issue::new(&r.name, d)))
        .collect();
    let mut s = serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// One issue, in the fields GitLab reads (docs.gitlab.com, "Code Quality": `description`,
/// `check_name`, `fingerprint`, `severity`, `location.path`, `location.positions`).
#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    positions: Positions,
}

#[derive(Serialize)]
struct Positions {
    begin: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

impl<'a> Issue<'a> {
    fn new(path: &'a str, d: &'a Diagnostic) -> Self {
        Issue {
            kind: "issue",
            description: format!("{} {}: {}", d.code, d.name, d.message),
            check_name: d.code,
            fingerprint: fingerprint(path, d),
            // GitLab's scale: info, minor, major, critical, blocker.
            severity: match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            },
            location: Location {
                path,
                positions: Positions {
                    begin: Position {
                        line: d.start.line,
                        column: d.start.column,
                    },
                    end: Position {
                        line: d.end.line,
                        column: d.end.column,
                    },
                },
            },
        }
    }
}

/// A stable id of a finding (GitLab matches issues between pipelines by it): FNV-1a over the
/// file, the rule, the message and the position, as 16 hex digits.
fn fingerprint(path: &str, d: &Diagnostic) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let key = format!(
        "{path}\0{}\0{}\0{}:{}",
        d.code, d.message, d.start.line, d.start.column
    );
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}
