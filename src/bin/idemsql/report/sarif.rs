//! SARIF 2.1.0 output (`--format sarif`) for code scanning: one run, the rules that were
//! found with their documentation, and one result per diagnostic with its location and its
//! fix as replacements.

use std::collections::BTreeMap;

use idemsql::{Diagnostic, LineIndex, Rule, Severity};
use serde_json::{Value, json};

use super::file::FileReport;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/idemsql/idemsql";

/// The SARIF log of `reports`, pretty-printed, with a final newline.
pub fn render(reports: &[FileReport]) -> String {
    let mut s = serde_json::to_string_pretty(&log(reports)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// The SARIF log of `reports`.
fn log(reports: &[FileReport]) -> Value {
    // The rules that occur, in code order; results refer to them by index.
    let mut used: BTreeMap<&'static str, Rule> = BTreeMap::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        if let Some(rule) = d.rule() {
            used.insert(rule.code(), rule);
        }
    }
    let index_of: BTreeMap<&str, usize> = used.keys().enumerate().map(|(i, c)| (*c, i)).collect();
    let rules: Vec<Value> = used.values().map(|r| rule(*r)).collect();
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|report| {
            let index = LineIndex::new(report.source);
            let uri = artifact(&report.name);
            report
                .diagnostics
                .iter()
                .map(|d| result(d, &uri, &index, index_of.get(d.code).copied()))
                .collect::<Vec<_>>()
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "idemsql",
                    "version": idemsql::version(),
                    "semanticVersion": idemsql::version(),
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(r: Rule) -> Value {
    let url = r.url();
    json!({
        "id": r.code(),
        "name": r.name(),
        "shortDescription": {"text": r.summary()},
        "fullDescription": {"text": r.summary()},
        "helpUri": url,
        "help": {
            "text": format!("{} See {url}", r.summary()),
            "markdown": r.documentation(),
        },
        "defaultConfiguration": {"level": level(r.severity())},
        "properties": {"tags": ["idempotency"]},
    })
}

/// The artifact location of a file name as the CLI shows it: a relative URI against
/// `%SRCROOT%` for relative paths, a `file:` URI for absolute ones.
fn artifact(name: &str) -> Value {
    let slashed = name.replace('\\', "/");
    let b = slashed.as_bytes();
    let drive = b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/';
    if slashed.starts_with('/') {
        json!({"uri": format!("file://{}", encode(&slashed))})
    } else if drive {
        json!({"uri": format!("file:///{}", encode(&slashed))})
    } else {
        let rel = slashed.trim_start_matches("./");
        json!({"uri": encode(rel), "uriBaseId": "%SRCROOT%"})
    }
}

/// Percent-encode everything but unreserved characters, `/` and `:`.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(index: &LineIndex, start: usize, end: usize) -> Value {
    let s = index.position(start);
    let e = index.position(end);
    json!({
        "startLine": s.line,
        "startColumn": s.column,
        "endLine": e.line,
        "endColumn": e.column,
    })
}

fn result(d: &Diagnostic, uri: &Value, index: &LineIndex, rule_index: Option<usize>) -> Value {
    let mut text = d.message.clone();
    if let Some(h) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    let mut out = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": uri,
                "region": {
                    "startLine": d.start.line,
                    "startColumn": d.start.column,
                    "endLine": d.end.line,
                    "endColumn": d.end.column,
                }
            }
        }],
    });
    if let Some(i) = rule_index {
        out["ruleIndex"] = json!(i);
    }
    if let Some(fix) = &d.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": region(index, e.start, e.end),
                    "insertedContent": {"text": e.text},
                })
            })
            .collect();
        out["fixes"] = json!([{
            "description": {"text": fix.message},
            "artifactChanges": [{
                "artifactLocation": uri,
                "replacements": replacements,
            }]
        }]);
    }
    out
}
