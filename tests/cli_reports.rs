//! The report formats of `idemsql check` (text, json, github, sarif), pinned by snapshots of
//! one fixed input, and the promises behind them: exit codes, stable JSON fields, SARIF that
//! refers to its rules and whose fixes give what `--fix` gives.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_idemsql");

const INPUT: &str = "\
CREATE TABLE orders (order_id int PRIMARY KEY, amount numeric, note text);
-- Nightly load ☕
INSERT INTO orders (order_id, amount, note) VALUES (1, 10.5, 'café 😀');
INSERT INTO events (kind, at) VALUES ('x', now());
UPDATE counters SET hits = hits + 1 WHERE id = 1;
DROP TABLE staging;
";

const CLEAN: &str = "CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY);\nSELECT 1;\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(dir).env_remove("GITHUB_ACTIONS");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run idemsql");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("input.sql"), INPUT).unwrap();
    std::fs::write(dir.path().join("clean.sql"), CLEAN).unwrap();
    dir
}

fn check(dir: &Path, format: &str) -> Run {
    run(
        dir,
        &["check", "--no-config", "--format", format, "input.sql"],
        &[],
    )
}

fn snapshot_text(r: &Run) -> String {
    format!(
        "exit code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        r.code, r.stdout, r.stderr
    )
}

#[test]
fn text_format() {
    let dir = workspace();
    let r = check(dir.path(), "text");
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("format_text", snapshot_text(&r));
}

#[test]
fn github_format() {
    let dir = workspace();
    let r = check(dir.path(), "github");
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("format_github", snapshot_text(&r));
    // Chosen by itself inside GitHub Actions.
    let auto = run(
        dir.path(),
        &["check", "--no-config", "input.sql"],
        &[("GITHUB_ACTIONS", "true")],
    );
    assert_eq!(auto.stdout, r.stdout);
}

/// The JSON fields, as docs/integrations.md documents them.
const JSON_FIELDS: &[&str] = &[
    "file", "code", "name", "severity", "message", "help", "span", "start", "end", "fix", "url",
];

#[test]
fn json_format() {
    let dir = workspace();
    let r = check(dir.path(), "json");
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "");
    insta::assert_snapshot!("format_json", r.stdout);

    let all: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(all.len(), 6);
    for d in &all {
        let keys: BTreeSet<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, JSON_FIELDS.iter().copied().collect());
        assert!(["error", "warning", "info"].contains(&d["severity"].as_str().unwrap()));
        let span = (
            d["span"]["start"].as_u64().unwrap() as usize,
            d["span"]["end"].as_u64().unwrap() as usize,
        );
        // Line and column (in characters) agree with the byte span.
        let before = &INPUT[..span.0];
        let line = before.matches('\n').count() + 1;
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1;
        assert_eq!(d["start"]["line"], line);
        assert_eq!(d["start"]["column"], column);
    }
    // Applying every fix's edits gives what `--fix` writes.
    let mut edits: Vec<(usize, usize, String)> = all
        .iter()
        .filter(|d| !d["fix"].is_null())
        .flat_map(|d| d["fix"]["edits"].as_array().unwrap().clone())
        .map(|e| {
            (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
                e["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut fixed = INPUT.to_string();
    for (s, e, t) in edits {
        fixed.replace_range(s..e, &t);
    }
    assert_eq!(fixed, fixed_by_cli(dir.path()));
}

/// What `idemsql check --fix` writes for the input (on a copy).
fn fixed_by_cli(dir: &Path) -> String {
    std::fs::write(dir.join("copy.sql"), INPUT).unwrap();
    let r = run(dir, &["check", "--no-config", "--fix", "copy.sql"], &[]);
    // Findings without a fix remain.
    assert_eq!(r.code, 1, "{}", r.stderr);
    std::fs::read_to_string(dir.join("copy.sql")).unwrap()
}

/// Offset of a 1-based line and column counted in characters.
fn offset(text: &str, line: u64, column: u64) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line as usize - 1)
        .map(str::len)
        .sum();
    start
        + text[start..]
            .chars()
            .take(column as usize - 1)
            .map(char::len_utf8)
            .sum::<usize>()
}

#[test]
fn sarif_format() {
    let dir = workspace();
    let r = check(dir.path(), "sarif");
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "");
    let mut log: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run0 = &log["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "idemsql");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);
    let mut edits = Vec::new();
    for result in results {
        let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], result["ruleId"]);
        let name = rule["name"].as_str().unwrap();
        assert_eq!(
            rule["helpUri"],
            format!("https://github.com/idemsql/idemsql/blob/main/docs/rules/{name}.md")
        );
        // The rule's help is its documentation page, the one `idemsql explain` prints.
        let explain = run(
            dir.path(),
            &["explain", result["ruleId"].as_str().unwrap()],
            &[],
        );
        assert_eq!(rule["help"]["markdown"].as_str().unwrap(), explain.stdout);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "input.sql");
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        for fix in result["fixes"].as_array().into_iter().flatten() {
            for change in fix["artifactChanges"].as_array().unwrap() {
                for rep in change["replacements"].as_array().unwrap() {
                    let region = &rep["deletedRegion"];
                    let start = offset(
                        INPUT,
                        region["startLine"].as_u64().unwrap(),
                        region["startColumn"].as_u64().unwrap(),
                    );
                    let end = offset(
                        INPUT,
                        region["endLine"].as_u64().unwrap(),
                        region["endColumn"].as_u64().unwrap(),
                    );
                    let text = rep["insertedContent"]["text"].as_str().unwrap().to_string();
                    edits.push((start, end, text));
                }
            }
        }
    }
    // The fixes, as replacements, give what `--fix` writes.
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut fixed = INPUT.to_string();
    for (s, e, t) in edits {
        fixed.replace_range(s..e, &t);
    }
    assert_eq!(fixed, fixed_by_cli(dir.path()));

    // Pin the rest; the rule pages are checked above and have their own test.
    for rule in log["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .unwrap()
    {
        let id = rule["id"].as_str().unwrap().to_string();
        rule["help"]["markdown"] = Value::String(format!("[docs/rules page of {id}]"));
    }
    log["runs"][0]["tool"]["driver"]["version"] = "[version]".into();
    log["runs"][0]["tool"]["driver"]["semanticVersion"] = "[version]".into();
    insta::assert_snapshot!("format_sarif", serde_json::to_string_pretty(&log).unwrap());
}

#[test]
fn clean_input_exits_0_in_every_format() {
    let dir = workspace();
    for format in ["text", "json", "github", "sarif"] {
        let r = run(
            dir.path(),
            &["check", "--no-config", "--format", format, "clean.sql"],
            &[],
        );
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        match format {
            "json" => assert_eq!(r.stdout.trim(), "[]"),
            "github" => assert_eq!(r.stdout, ""),
            "sarif" => {
                let log: Value = serde_json::from_str(&r.stdout).unwrap();
                assert_eq!(log["runs"][0]["results"], Value::Array(vec![]));
                assert_eq!(
                    log["runs"][0]["tool"]["driver"]["rules"],
                    Value::Array(vec![])
                );
            }
            _ => assert!(r.stderr.contains("All clear"), "{}", r.stderr),
        }
    }
}

#[test]
fn exit_codes() {
    let dir = workspace();
    let findings = run(
        dir.path(),
        &["check", "--no-config", "--format", "sarif", "input.sql"],
        &[],
    );
    assert_eq!(findings.code, 1);
    let zero = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "sarif",
            "--exit-zero",
            "input.sql",
        ],
        &[],
    );
    assert_eq!(zero.code, 0);
    assert_eq!(zero.stdout, findings.stdout);
    let unknown_format = run(dir.path(), &["check", "--format", "xml", "input.sql"], &[]);
    assert_eq!(unknown_format.code, 2);
    assert!(
        unknown_format.stderr.contains("sarif"),
        "{}",
        unknown_format.stderr
    );
    let missing = run(dir.path(), &["check", "--format", "sarif", "nope.sql"], &[]);
    assert_eq!(missing.code, 2);
    assert!(missing.stdout.is_empty());
    // --diff with SARIF: the patch on stdout, the report on stderr, exit 1.
    let diff = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--diff",
            "--format",
            "sarif",
            "input.sql",
        ],
        &[],
    );
    assert_eq!(diff.code, 1);
    assert!(
        diff.stdout.starts_with("--- a/input.sql"),
        "{}",
        diff.stdout
    );
    let log: Value = serde_json::from_str(&diff.stderr).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 6);
}

#[test]
fn sarif_uris_for_nested_and_absolute_paths() {
    let dir = workspace();
    std::fs::create_dir_all(dir.path().join("models/my dir")).unwrap();
    std::fs::write(dir.path().join("models/my dir/load.sql"), INPUT).unwrap();
    let r = run(
        dir.path(),
        &["check", "--no-config", "--format", "sarif", "./models"],
        &[],
    );
    let log: Value = serde_json::from_str(&r.stdout).unwrap();
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(uri["uri"], "models/my%20dir/load.sql");
    let abs = dir.path().join("input.sql");
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "sarif",
            abs.to_str().unwrap(),
        ],
        &[],
    );
    let log: Value = serde_json::from_str(&r.stdout).unwrap();
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert!(
        uri["uri"].as_str().unwrap().starts_with("file:///"),
        "{uri}"
    );
    assert!(uri.get("uriBaseId").is_none());
}

#[test]
fn server_subcommand_is_listed() {
    let dir = workspace();
    let help = run(dir.path(), &["--help"], &[]);
    assert!(help.stdout.contains("server"), "{}", help.stdout);
    let server_help = run(dir.path(), &["server", "--help"], &[]);
    assert_eq!(server_help.code, 0);
    assert!(server_help.stdout.contains("source.fixAll.idemsql"));
}

#[test]
fn gitlab_format() {
    let dir = workspace();
    let r = check(dir.path(), "gitlab");
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "");
    insta::assert_snapshot!("format_gitlab", r.stdout);
    let issues: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(issues.len(), 6);
    let prints: BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), 6, "fingerprints are unique");
    for i in &issues {
        assert_eq!(i["location"]["path"], "input.sql");
        assert!(["info", "minor", "major"].contains(&i["severity"].as_str().unwrap()));
    }
    // The same input gives the same fingerprints: GitLab matches issues between pipelines.
    assert_eq!(check(dir.path(), "gitlab").stdout, r.stdout);
}

#[test]
fn junit_format() {
    let dir = workspace();
    let r = run(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "junit",
            "input.sql",
            "clean.sql",
        ],
        &[],
    );
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "");
    insta::assert_snapshot!("format_junit", r.stdout);
    assert!(
        r.stdout
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites")
    );
    assert_eq!(r.stdout.matches("<failure ").count(), 6);
    assert!(
        r.stdout
            .contains("<testcase name=\"rerun-safe\" classname=\"clean.sql\"/>")
    );
    // Well formed: every element that opens closes.
    for tag in ["testsuites", "testsuite", "failure"] {
        assert_eq!(
            r.stdout.matches(&format!("<{tag} ")).count(),
            r.stdout.matches(&format!("</{tag}>")).count(),
            "{tag}"
        );
    }
}

#[test]
fn paths_found_under_dot_have_no_leading_dot_slash() {
    let dir = workspace();
    std::fs::create_dir_all(dir.path().join("models")).unwrap();
    std::fs::write(dir.path().join("models/load.sql"), INPUT).unwrap();
    let r = run(
        dir.path(),
        &["check", "--no-config", "--format", "github", "."],
        &[],
    );
    let files: std::collections::BTreeSet<&str> = r
        .stdout
        .lines()
        .filter_map(|l| l.split("file=").nth(1)?.split(',').next())
        .collect();
    assert_eq!(
        files.into_iter().collect::<Vec<_>>(),
        ["input.sql", "models/load.sql"],
        "{}",
        r.stdout
    );
}
