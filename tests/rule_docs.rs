//! Every rule has a real page, `docs/rules/<name>.md`, and the examples on it are true.
//!
//! An example is a ```` ```sql ```` block whose first line is a command and what it reports:
//!
//! ```text
//! -- idemsql check --dialect mysql => IDEM001
//! -- idemsql check --dialect mysql --key orders=order_id => ok
//! ```
//!
//! The block is run through `idemsql check` with those flags (and no config file); `=> CODE`
//! means the code is reported, `=> ok` means the page's own code is not.

use std::process::{Command, Stdio};

use idemsql::Rule;

const BIN: &str = env!("CARGO_BIN_EXE_idemsql");
const HEADINGS: &[&str] = &[
    "## What it finds",
    "## Why a rerun breaks",
    "## Example",
    "## How to fix",
];

/// The ```sql blocks of a page.
fn sql_blocks(page: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in page.lines() {
        match &mut current {
            None if line.trim_start() == "```sql" => current = Some(String::new()),
            None => {}
            Some(_) if line.trim_start() == "```" => blocks.push(current.take().unwrap()),
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
        }
    }
    assert!(current.is_none(), "unclosed ```sql block");
    blocks
}

/// The codes `idemsql check <args>` reports for `sql`.
fn codes(args: &[&str], sql: &str) -> Vec<String> {
    let mut child = Command::new(BIN)
        .arg("check")
        .arg("--no-config")
        .args(["--format", "json"])
        .args(args)
        .arg("-")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run idemsql");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(sql.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "idemsql check {args:?} gave no JSON ({e}): {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    all.iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_rule_has_a_page_with_true_examples() {
    let mut failures = Vec::new();
    for rule in Rule::ALL {
        let page = rule.documentation();
        let name = rule.name();
        let code = rule.code();
        // The page on disk is the page in the binary.
        let path = format!("{}/docs/rules/{name}.md", env!("CARGO_MANIFEST_DIR"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), page, "{path}");
        let title = format!("# {name} ({code})");
        if page.lines().next() != Some(title.as_str()) {
            failures.push(format!("{name}: the first line is not `{title}`"));
        }
        for h in HEADINGS {
            if !page.lines().any(|l| l == *h) {
                failures.push(format!("{name}: no `{h}` heading"));
            }
        }
        if page.len() < 1200 {
            failures.push(format!("{name}: only {} bytes", page.len()));
        }
        let mut shows_itself = false;
        for block in sql_blocks(page) {
            let first = block.lines().next().unwrap_or("");
            let Some(command) = first.strip_prefix("-- idemsql check") else {
                continue;
            };
            let Some((args, expect)) = command.rsplit_once("=>") else {
                failures.push(format!("{name}: `{first}` says nothing after `=>`"));
                continue;
            };
            let args: Vec<&str> = args.split_whitespace().collect();
            let found = codes(&args, &block);
            match expect.trim() {
                "ok" => {
                    if found.iter().any(|c| c == code) {
                        failures.push(format!(
                            "{name}: this example should not report {code} but does:\n{block}"
                        ));
                    }
                }
                expected => {
                    if !found.iter().any(|c| c == expected) {
                        failures.push(format!(
                            "{name}: this example should report {expected}, reports {found:?}:\n{block}"
                        ));
                    }
                    shows_itself |= expected == code;
                }
            }
        }
        if !shows_itself {
            failures.push(format!(
                "{name}: no example shows {code} (`-- idemsql check ... => {code}`)"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn explain_prints_each_page() {
    for rule in Rule::ALL {
        for arg in [rule.code(), rule.name()] {
            let out = Command::new(BIN).args(["explain", arg]).output().unwrap();
            assert!(out.status.success());
            assert_eq!(String::from_utf8(out.stdout).unwrap(), rule.documentation());
        }
    }
}
