//! The `idemsql` command: exit codes, `--fix`, `--diff`, formats, configuration lookup.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn idemsql(args: &[&str], dir: &Path, stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_idemsql"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn idemsql");
    if let Some(input) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().expect("run idemsql")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const PLAIN: &str = "CREATE TABLE IF NOT EXISTS orders (order_id int PRIMARY KEY, amount numeric);\nINSERT INTO orders (order_id, amount) VALUES (1, 2.5);\n";
const CLEAN: &str = "CREATE TABLE IF NOT EXISTS orders (order_id int PRIMARY KEY, amount numeric);\nINSERT INTO orders (order_id, amount) VALUES (1, 2.5) ON CONFLICT (order_id) DO NOTHING;\n";

#[test]
fn rewrite_reads_stdin_and_writes_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = idemsql(&["rewrite", "-"], dir.path(), Some(PLAIN));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(
        "VALUES (1, 2.5) ON CONFLICT (order_id) DO UPDATE SET amount = EXCLUDED.amount WHERE orders.amount IS DISTINCT FROM EXCLUDED.amount;"
    ));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn rewrite_exits_1_when_a_statement_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = idemsql(
        &["rewrite"],
        dir.path(),
        Some("INSERT INTO t (a) VALUES (1);\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "INSERT INTO t (a) VALUES (1);\n");
    let err = text(&out.stderr);
    assert!(
        err.contains("error[IDEM002]") && err.contains("<stdin>:1:1"),
        "{err}"
    );
    let zero = idemsql(
        &["rewrite", "--exit-zero"],
        dir.path(),
        Some("INSERT INTO t (a) VALUES (1);\n"),
    );
    assert_eq!(zero.status.code(), Some(0));
}

#[test]
fn usage_and_config_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = idemsql(&["rewrite", "--dialect", "nosuchdb"], dir.path(), Some(""));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown dialect `nosuchdb`"));
    let out = idemsql(&["check", "missing.sql"], dir.path(), None);
    assert_eq!(out.status.code(), Some(2));
    std::fs::write(dir.path().join("idemsql.toml"), "dialekt = \"mysql\"\n").unwrap();
    std::fs::write(dir.path().join("a.sql"), PLAIN).unwrap();
    let out = idemsql(&["check", "a.sql"], dir.path(), None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("dialekt"),
        "{}",
        text(&out.stderr)
    );
    let out = idemsql(&["check", "--bogus-flag"], dir.path(), None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_reports_and_fix_writes_atomically_keeping_the_mode() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("models");
    std::fs::create_dir(&sub).unwrap();
    let file = sub.join("load.sql");
    std::fs::write(&file, PLAIN).unwrap();
    std::fs::write(sub.join("clean.sql"), CLEAN).unwrap();
    std::fs::write(sub.join("notes.txt"), PLAIN).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    }

    let out = idemsql(&["check", "models"], dir.path(), None);
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stdout);
    assert!(report.contains("error[IDEM001]"), "{report}");
    assert!(report.contains("models/load.sql:2:1"), "{report}");
    assert!(report.contains("2 | INSERT INTO orders"), "{report}");
    assert!(!report.contains("clean.sql:"), "{report}");

    let out = idemsql(&["check", "--fix", "models"], dir.path(), None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let fixed = std::fs::read_to_string(&file).unwrap();
    assert!(fixed.contains(
        "ON CONFLICT (order_id) DO UPDATE SET amount = EXCLUDED.amount WHERE orders.amount IS DISTINCT FROM EXCLUDED.amount;"
    ));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(&sub)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
    assert_eq!(
        std::fs::read_to_string(sub.join("clean.sql")).unwrap(),
        CLEAN
    );

    let again = idemsql(&["check", "models"], dir.path(), None);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stdout));
}

#[test]
fn fix_does_not_write_a_file_with_a_syntax_error() {
    let dir = tempfile::tempdir().unwrap();
    let broken = format!("{PLAIN}INSERT INTO orders (order_id VALUES (2, 3);\n");
    let file = dir.path().join("broken.sql");
    std::fs::write(&file, &broken).unwrap();
    let out = idemsql(&["check", "--fix", "broken.sql"], dir.path(), None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        broken,
        "the file was written"
    );
    let report = text(&out.stdout);
    assert!(report.contains("broken.sql:3:1"), "{report}");
    assert!(report.contains("file not fixed"), "{report}");
}

#[test]
fn diff_prints_a_patch_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("load.sql");
    std::fs::write(&file, PLAIN).unwrap();
    let out = idemsql(&["check", "--diff", "load.sql"], dir.path(), None);
    assert_eq!(out.status.code(), Some(1));
    let patch = text(&out.stdout);
    assert!(
        patch.contains("--- a/load.sql") && patch.contains("+++ b/load.sql"),
        "{patch}"
    );
    assert!(
        patch.contains("-INSERT INTO orders (order_id, amount) VALUES (1, 2.5);"),
        "{patch}"
    );
    assert!(
        patch.contains("+INSERT INTO orders (order_id, amount) VALUES (1, 2.5) ON CONFLICT"),
        "{patch}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), PLAIN);
}

#[test]
fn json_and_github_formats() {
    let dir = tempfile::tempdir().unwrap();
    let out = idemsql(&["check", "--format", "json", "-"], dir.path(), Some(PLAIN));
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let d = &v[0];
    assert_eq!(d["file"], "<stdin>");
    assert_eq!(d["code"], "IDEM001");
    assert_eq!(d["name"], "non-idempotent-insert");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["start"]["line"], 2);
    assert_eq!(d["start"]["column"], 1);
    assert!(
        d["fix"]["edits"][0]["text"]
            .as_str()
            .unwrap()
            .contains("ON CONFLICT")
    );

    let out = idemsql(
        &[
            "check",
            "--format",
            "github",
            "--stdin-filename",
            "m/load.sql",
            "-",
        ],
        dir.path(),
        Some(PLAIN),
    );
    let gh = text(&out.stdout);
    assert!(
        gh.starts_with("::error file=m/load.sql,line=2,col=1,"),
        "{gh}"
    );
    assert!(gh.contains("title=IDEM001 non-idempotent-insert::"), "{gh}");
}

#[test]
fn config_file_is_found_by_walking_up_and_flags_override_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("idemsql.toml"),
        "dialect = \"mysql\"\n[keys]\nevents = [\"event_id\"]\n",
    )
    .unwrap();
    let deep = dir.path().join("a/b");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(
        deep.join("e.sql"),
        "INSERT INTO events (event_id, v) VALUES (1, 'x');\n",
    )
    .unwrap();
    let out = idemsql(&["rewrite", "a/b/e.sql"], dir.path(), None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("AS new ON DUPLICATE KEY UPDATE v = new.v;"),
        "{}",
        text(&out.stdout)
    );
    let out = idemsql(
        &[
            "rewrite",
            "--dialect",
            "postgres",
            "--key",
            "events=v",
            "a/b/e.sql",
        ],
        dir.path(),
        None,
    );
    assert!(
        text(&out.stdout).contains("ON CONFLICT (v) DO UPDATE SET event_id = EXCLUDED.event_id WHERE events.event_id IS DISTINCT FROM EXCLUDED.event_id;"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn explain_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let out = idemsql(&["explain"], dir.path(), None);
    assert_eq!(out.status.code(), Some(0));
    for r in idemsql::Rule::ALL {
        assert!(text(&out.stdout).contains(r.code()));
    }
    let out = idemsql(&["explain", "nullable-key"], dir.path(), None);
    assert_eq!(out.status.code(), Some(0));
    assert!(!out.stdout.is_empty());
    let out = idemsql(&["explain", "IDEM999"], dir.path(), None);
    assert_eq!(out.status.code(), Some(2));
    let out = idemsql(&["--help"], dir.path(), None);
    let help = text(&out.stdout);
    assert!(help.contains("Examples:") && help.contains("rewrite") && help.contains("check"));
    let out = idemsql(&["check", "--help"], dir.path(), None);
    assert!(text(&out.stdout).contains("--fix"));
}

#[test]
fn closed_stdout_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let big = PLAIN.repeat(20_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_idemsql"))
        .args(["rewrite", "-"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = stdin.write_all(big.as_bytes());
        });
    }
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
}

/// A write idemsql could not read fails `check` (exit 1); any other unread statement is a
/// warning (exit 0). Both levels come from `--severity` or the config file's `[severity]`.
#[test]
fn unread_writes_fail_check_and_severity_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let unread_update = "UPDATE orders SET amount = 1 WHERE;\n";
    let out = idemsql(
        &["check", "--no-config", "-"],
        dir.path(),
        Some(unread_update),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let report = text(&out.stdout);
    assert!(
        report.contains("error[IDEM022]") && report.contains("this UPDATE"),
        "{report}"
    );
    assert!(report.contains("Expected: an expression"), "{report}");
    // A CTE in front and a comment do not hide the write.
    let cte = "-- load\nWITH s AS (SELECT 1 AS id) DELETE FROM orders WHERE id IN (SELECT id FROM s) AND;\n";
    let out = idemsql(&["check", "--no-config", "-"], dir.path(), Some(cte));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("this DELETE"),
        "{}",
        text(&out.stdout)
    );
    // An unread statement that writes no rows stays a warning.
    let unread_select = "SELECT FROM WHERE;\n";
    let out = idemsql(
        &["check", "--no-config", "-"],
        dir.path(),
        Some(unread_select),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("warning[IDEM016]"));
    // The flag lowers the write; the config file raises the other.
    let out = idemsql(
        &[
            "check",
            "--no-config",
            "--severity",
            "unparsed-write=warning",
            "-",
        ],
        dir.path(),
        Some(unread_update),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("warning[IDEM022]"));
    std::fs::write(
        dir.path().join("idemsql.toml"),
        "[severity]\nIDEM016 = \"error\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("s.sql"), unread_select).unwrap();
    let out = idemsql(&["check", "s.sql"], dir.path(), None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("error[IDEM016]"));
    let out = idemsql(
        &["check", "--severity", "IDEM016=loud", "s.sql"],
        dir.path(),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn directories_give_their_python_files_and_extensions_choose() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("dags");
    std::fs::create_dir_all(sub.join(".venv")).unwrap();
    let py = "cur.execute(\"CREATE TABLE IF NOT EXISTS orders (order_id int PRIMARY KEY, amount numeric)\")\n\
              cur.execute(\"INSERT INTO orders (order_id, amount) VALUES (%s, %s)\", row)\n";
    std::fs::write(sub.join("load.py"), py).unwrap();
    std::fs::write(sub.join(".venv").join("lib.py"), py).unwrap();
    std::fs::write(sub.join("clean.sql"), CLEAN).unwrap();

    let out = idemsql(&["check", "dags"], dir.path(), None);
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stdout);
    assert!(report.contains("dags/load.py:2:14"), "{report}");
    assert!(!report.contains(".venv"), "{report}");

    let rewritten = idemsql(&["rewrite", "dags/load.py"], dir.path(), None);
    assert!(
        text(&rewritten.stdout).contains("VALUES (%s, %s) ON CONFLICT (order_id)"),
        "{}",
        text(&rewritten.stdout)
    );

    let sql_only = idemsql(&["check", "--extensions", "sql", "dags"], dir.path(), None);
    assert_eq!(
        sql_only.status.code(),
        Some(0),
        "{}",
        text(&sql_only.stdout)
    );

    let fixed = idemsql(&["check", "--fix", "dags"], dir.path(), None);
    assert_eq!(fixed.status.code(), Some(0), "{}", text(&fixed.stderr));
    let after = std::fs::read_to_string(sub.join("load.py")).unwrap();
    assert!(
        after.contains("VALUES (%s, %s) ON CONFLICT (order_id) DO UPDATE"),
        "{after}"
    );
}

#[test]
fn pyproject_tool_idemsql_configures_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[project]\nname = \"pipelines\"\n\n[tool.idemsql]\ndialect = \"mysql\"\n\n[tool.idemsql.keys]\norders = [\"order_id\"]\n",
    )
    .unwrap();
    let sub = dir.path().join("sql");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(
        sub.join("load.sql"),
        "INSERT INTO orders (order_id, amount) VALUES (1, 2);\n",
    )
    .unwrap();
    let out = idemsql(&["rewrite", "sql/load.sql"], dir.path(), None);
    assert!(
        text(&out.stdout).contains("AS new ON DUPLICATE KEY UPDATE amount = new.amount"),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    // idemsql.toml in the same directory wins.
    std::fs::write(
        dir.path().join("idemsql.toml"),
        "dialect = \"sqlite\"\n[keys]\norders = [\"order_id\"]\n",
    )
    .unwrap();
    let out = idemsql(&["rewrite", "sql/load.sql"], dir.path(), None);
    assert!(
        text(&out.stdout).contains("ON CONFLICT (order_id)"),
        "{}",
        text(&out.stdout)
    );
}
