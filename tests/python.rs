//! Python fixtures: `tests/python/<case>.py` in; the diagnostics of `check_python` and the
//! module after `fix_python` out (`tests/python/snapshots`). Every fixed module must still
//! compile (Python's own `compile()`, under `IDEMSQL_PYTHON` or `python3`), and fixing it
//! again changes nothing.
//!
//! Options: a first line `# options: {...}` (the JSON options object).

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

fn options(src: &str) -> idemsql::Options {
    let json = src
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# options:"))
        .unwrap_or("{}");
    idemsql::Options::from_json(json.trim()).expect("options header is valid")
}

/// Python's own verdict on `src`: does it compile?
fn compiles(src: &str) -> Result<(), String> {
    let python = std::env::var("IDEMSQL_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut child = Command::new(&python)
        .args([
            "-c",
            "import sys; compile(sys.stdin.read(), '<fixed>', 'exec')",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {python}: {e}"))?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(src.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn python_fixtures() {
    insta::glob!("python/*.py", |path| {
        let src = std::fs::read_to_string(path).expect("read fixture");
        let options = options(&src);
        let checked = idemsql::check_python(&src, &options).expect("check");
        let fixed = idemsql::fix_python(&src, &options).expect("fix");
        let mut snapshot = String::from("----- check diagnostics -----\n");
        for d in &checked {
            snapshot.push_str(&common::describe(d));
            snapshot.push('\n');
        }
        snapshot.push_str("----- fixed module -----\n");
        snapshot.push_str(&fixed.sql);
        snapshot.push_str("----- diagnostics after the fix -----\n");
        for d in &fixed.diagnostics {
            snapshot.push_str(&common::describe(d));
            snapshot.push('\n');
        }
        insta::with_settings!({ snapshot_path => "python/snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(snapshot);
        });
        if fixed.sql != src {
            if let Err(e) = compiles(&fixed.sql) {
                panic!("{}: the fixed module does not compile: {e}", path.display());
            }
            let again = idemsql::fix_python(&fixed.sql, &options).expect("fix again");
            assert_eq!(
                again.sql,
                fixed.sql,
                "{}: fix is not a fixed point",
                path.display()
            );
        }
    });
}
