//! The checks every case goes through on an engine:
//! 1. twice equals once, and once equals the expected state;
//! 2. the original plain SQL run twice fails or duplicates (the case has teeth);
//! 3. crash and rerun: for rewritten SQL of several statements, each proper prefix is run on a
//!    second connection that is then dropped without commit, then the whole rewritten SQL runs:
//!    the result equals the expected state;
//! 4. the second run writes nothing: the engine's affected-row counts of the second run are 0,
//!    except for statements whose form rewrites rows by design (`exempt_by_form`). A rerun
//!    that rewrites identical rows fires UPDATE triggers and moves `last_update` columns.

use std::fmt::Write as _;

use idemsql::{Options, Severity};

use crate::db::{self, Db, Row, ScriptError};
use crate::report::{clip, side_by_side};
use crate::sqlsplit;

/// What idemsql should do with the case's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// Rewrite it without error diagnostics; then every check must hold.
    Rewrite,
    /// Leave the statement as it is, with an error diagnostic of this code.
    Refuse(&'static str),
    /// Leave the input as it is, without error: it is already rerun-safe (a DELETE of the
    /// same rows before the INSERT). The original must then run twice = once by itself.
    AlreadySafe,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    /// Statements that create the tables (run on the engine before every scenario).
    pub ddl: Vec<String>,
    /// Statements that put the rows there before the load.
    pub initial: Vec<String>,
    /// The SQL handed to idemsql and, rewritten, run on the engine.
    pub input: String,
    /// The DDL text is also handed to idemsql, in front of `input` (keys "from the DDL in the
    /// same input"); it must come back byte for byte and is cut off before running.
    pub ddl_in_input: bool,
    pub options: Options,
    /// Statements that, after `ddl`, build the expected final state.
    pub expected: Vec<String>,
    /// The tables to compare, as SQL identifiers.
    pub tables: Vec<String>,
    pub expect: Expect,
    /// How to reproduce a generated case (seed and index).
    pub repro: Option<String>,
}

pub struct Outcome {
    pub passed: bool,
    /// The failure report (empty when passed).
    pub report: String,
}

type Snap = Vec<Vec<Row>>;

struct Ctx<'a> {
    db: &'a mut dyn Db,
    case: &'a Case,
    failures: Vec<String>,
}

impl Ctx<'_> {
    fn fail(&mut self, what: impl Into<String>) {
        self.failures.push(what.into());
    }

    /// Reset and run `ddl`, then `initial` if asked.
    fn prepare(&mut self, with_initial: bool) -> Result<(), String> {
        self.db.reset()?;
        let mut stmts = self.case.ddl.clone();
        if with_initial {
            stmts.extend(self.case.initial.iter().cloned());
        }
        db::run_all(self.db, &stmts).map_err(|e| format!("setup failed: {e}"))
    }

    fn snap(&mut self) -> Result<Snap, String> {
        let mut out = Vec::new();
        for t in &self.case.tables {
            out.push(db::snapshot(self.db, t)?);
        }
        Ok(out)
    }

    fn compare(
        &mut self,
        what: &str,
        left_title: &str,
        left: &Snap,
        right_title: &str,
        right: &Snap,
    ) {
        for (i, t) in self.case.tables.iter().enumerate() {
            if left[i] != right[i] {
                let mut msg = format!("{what}: table {t} differs\n");
                msg.push_str(&side_by_side(left_title, &left[i], right_title, &right[i]));
                self.fail(msg);
            }
        }
    }
}

fn describe_options(options: &Options) -> String {
    let default = serde_json::to_value(Options::for_dialect(options.dialect)).unwrap_or_default();
    let mut v = serde_json::to_value(options).unwrap_or_default();
    if let (Some(obj), Some(def)) = (v.as_object_mut(), default.as_object()) {
        obj.retain(|k, val| k == "dialect" || def.get(k) != Some(val));
        if let Some(s) = obj.get_mut("schema") {
            *s = serde_json::Value::String(clip(s.as_str().unwrap_or(""), 300));
        }
    }
    v.to_string()
}

fn script_err(e: ScriptError) -> String {
    e.to_string()
}

/// Run every check of `case` on `db`.
pub fn run_case(db: &mut dyn Db, case: &Case) -> Outcome {
    let kind = db.kind();
    let ddl_text = case.ddl.join(";\n") + ";\n";
    let given = if case.ddl_in_input {
        format!("{ddl_text}{}", case.input)
    } else {
        case.input.clone()
    };
    let mut ctx = Ctx {
        db,
        case,
        failures: Vec::new(),
    };

    let result =
        std::panic::catch_unwind(|| idemsql::rewrite(&given, &case.options)).map_err(|p| {
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "(no message)".into())
        });
    let out = match result {
        Ok(Ok(o)) => o,
        Ok(Err(e)) => {
            ctx.fail(format!("idemsql::rewrite returned an error: {e}"));
            return finish(kind.label(), case, &given, None, ctx.failures);
        }
        Err(panic) => {
            ctx.fail(format!("idemsql::rewrite panicked: {panic}"));
            return finish(kind.label(), case, &given, None, ctx.failures);
        }
    };
    let errors: Vec<String> = out
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            format!(
                "{} {} at {}:{}: {}",
                d.code, d.name, d.start.line, d.start.column, d.message
            )
        })
        .collect();

    match &case.expect {
        Expect::Refuse(code) => {
            if out.sql != given {
                ctx.fail(format!("expected idemsql to refuse ({code}) and leave the SQL unchanged, but it rewrote it"));
            }
            if !out
                .diagnostics
                .iter()
                .any(|d| d.code == *code && d.severity == Severity::Error)
            {
                ctx.fail(format!(
                    "expected an error diagnostic {code}; got: {}",
                    if errors.is_empty() {
                        "none".to_string()
                    } else {
                        errors.join("; ")
                    }
                ));
            }
            return finish(kind.label(), case, &given, Some(&out.sql), ctx.failures);
        }
        Expect::Rewrite => {
            if !errors.is_empty() {
                ctx.fail(format!("idemsql refused: {}", errors.join("; ")));
            }
        }
        Expect::AlreadySafe => {
            if out.sql != given || !errors.is_empty() {
                ctx.fail(format!(
                    "expected idemsql to leave the already rerun-safe SQL unchanged without error; errors: {}",
                    errors.join("; ")
                ));
            }
        }
    }

    // The SQL to run: without the DDL that was handed over in front of the input.
    let rewritten = if case.ddl_in_input {
        match out.sql.strip_prefix(&ddl_text) {
            Some(rest) => rest.to_string(),
            None => {
                ctx.fail("the DDL in front of the input did not come back unchanged");
                return finish(kind.label(), case, &given, Some(&out.sql), ctx.failures);
            }
        }
    } else {
        out.sql.clone()
    };
    let original_stmts = sqlsplit::statements(&case.input, kind.lex());
    let rewritten_stmts = sqlsplit::statements(&rewritten, kind.lex());

    if let Err(e) = run_scenarios(&mut ctx, &original_stmts, &rewritten_stmts) {
        ctx.fail(e);
    }
    finish(kind.label(), case, &given, Some(&out.sql), ctx.failures)
}

fn run_scenarios(
    ctx: &mut Ctx<'_>,
    original: &[String],
    rewritten: &[String],
) -> Result<(), String> {
    // The expected state.
    ctx.prepare(false)?;
    db::run_all(ctx.db, &ctx.case.expected)
        .map_err(|e| format!("building the expected state failed: {e}"))?;
    let expected = ctx.snap()?;

    // 1. Once, then twice.
    ctx.prepare(true)?;
    if let Err(e) = db::run_all(ctx.db, rewritten) {
        ctx.fail(format!(
            "the rewritten SQL failed on its first run: {}",
            script_err(e)
        ));
        return Ok(());
    }
    let once = ctx.snap()?;
    ctx.compare(
        "once vs expected",
        "after one run",
        &once,
        "expected",
        &expected,
    );
    match db::run_all_counted(ctx.db, rewritten) {
        Err(e) => ctx.fail(format!(
            "the rewritten SQL failed on its second run: {}",
            script_err(e)
        )),
        Ok(counts) => {
            if let Some(why) = rerun_writes(rewritten, &counts) {
                ctx.fail(why);
            }
            let twice = ctx.snap()?;
            ctx.compare(
                "twice vs once",
                "after one run",
                &once,
                "after two runs",
                &twice,
            );
        }
    }

    // 2. The original has teeth.
    ctx.prepare(true)?;
    let first = db::run_all(ctx.db, original);
    let after_first = ctx.snap()?;
    let second = db::run_all(ctx.db, original);
    let after_second = ctx.snap()?;
    let teeth = first.is_err() || second.is_err() || after_first != after_second;
    if ctx.case.expect == Expect::AlreadySafe {
        if teeth {
            ctx.fail("the SQL left unchanged as already rerun-safe did not run twice = once");
        }
    } else if !teeth {
        ctx.fail(format!(
            "the original SQL run twice neither failed nor changed the table: this case cannot tell a \
             rewrite from no rewrite\n{}",
            side_by_side("after one run", &after_first[0], "after two runs", &after_second[0])
        ));
    }

    // 3. Crash half-way, then run the whole rewritten SQL.
    if rewritten.len() > 1 {
        for k in 1..rewritten.len() {
            ctx.prepare(true)?;
            if let Err(e) = ctx.db.crash(&rewritten[..k]) {
                ctx.fail(format!(
                    "crash after {k} statements: the first statements failed: {e}"
                ));
                continue;
            }
            if let Err(e) = db::run_all(ctx.db, rewritten) {
                ctx.fail(format!(
                    "crash after {k} statements, then the whole rewritten SQL: {}",
                    script_err(e)
                ));
                continue;
            }
            let after = ctx.snap()?;
            ctx.compare(
                &format!(
                    "crash after {k} of {} statements, then a full run",
                    rewritten.len()
                ),
                "crash + rerun",
                &after,
                "expected",
                &expected,
            );
        }
    }
    Ok(())
}

/// Delete-then-insert: the DELETE removes the rows the INSERTs after it write back, so a rerun
/// deletes and inserts them again (overwrite, and upsert by deleting the incoming keys).
const DELETE_THEN_INSERT: &str =
    "delete-then-insert rewrites the rows it deletes on every run, by design";
/// Spark/Hive `INSERT OVERWRITE`: the partition is replaced whole on every run.
const INSERT_OVERWRITE: &str = "INSERT OVERWRITE replaces the partition on every run, by design";

/// Per statement, why its form may write rows on a rerun (`None`: it must write none). A
/// DELETE and the INSERTs that follow it (transaction markers between them do not break the
/// group) are delete-then-insert; any other statement, COMMIT included, ends the group.
pub fn exempt_by_form(statements: &[String]) -> Vec<Option<&'static str>> {
    let mut in_group = false;
    statements
        .iter()
        .map(|s| {
            let words = sqlsplit::leading_words(s, 2);
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            match words.as_slice() {
                ["DELETE", ..] => {
                    in_group = true;
                    Some(DELETE_THEN_INSERT)
                }
                ["INSERT", "OVERWRITE"] => Some(INSERT_OVERWRITE),
                ["INSERT", ..] if in_group => Some(DELETE_THEN_INSERT),
                ["BEGIN" | "START", ..] => None,
                _ => {
                    in_group = false;
                    None
                }
            }
        })
        .collect()
}

/// The failure when statements of a rerun wrote rows their form must not write: each with its
/// count. `None` when they wrote none, or when the engine reports no counts.
pub fn rerun_writes(statements: &[String], counts: &[Option<u64>]) -> Option<String> {
    let exempt = exempt_by_form(statements);
    let wrote: Vec<(usize, u64)> = counts
        .iter()
        .enumerate()
        .filter(|(i, _)| exempt.get(*i).copied().flatten().is_none())
        .filter_map(|(i, c)| c.filter(|&n| n > 0).map(|n| (i, n)))
        .collect();
    if wrote.is_empty() {
        return None;
    }
    let total: u64 = wrote.iter().map(|(_, n)| n).sum();
    let mut msg = format!(
        "the second run wrote {total} rows in {} statements (it must write none: rewriting \
         identical rows fires UPDATE triggers and moves last_update columns)",
        wrote.len()
    );
    for (i, n) in wrote.iter().take(5) {
        let _ = write!(
            msg,
            "\n  statement {} wrote {n}: {}",
            i + 1,
            clip(&statements[*i], 300).replace('\n', "\n    ")
        );
    }
    if wrote.len() > 5 {
        let _ = write!(msg, "\n  ({} more statements wrote rows)", wrote.len() - 5);
    }
    Some(msg)
}

/// Checks of the exemption rule and the rerun report, run at the start of every engine run.
pub fn self_check() {
    let stmts: Vec<String> = [
        "BEGIN",
        "DELETE FROM t WHERE d IN (1)",
        "INSERT INTO t VALUES (1)",
        "COMMIT",
        "INSERT INTO u VALUES (1) ON CONFLICT (k) DO NOTHING",
        "INSERT OVERWRITE TABLE e PARTITION (d = 1) SELECT 1",
    ]
    .map(String::from)
    .to_vec();
    let exempt: Vec<bool> = exempt_by_form(&stmts).iter().map(Option::is_some).collect();
    assert_eq!(exempt, [false, true, true, false, false, true]);
    let counts = [Some(0), Some(3), Some(3), Some(0), Some(0), Some(2)];
    assert!(rerun_writes(&stmts, &counts).is_none());
    let wrote = rerun_writes(&stmts, &[None, None, None, None, Some(2), None]);
    assert!(wrote.is_some_and(|w| w.contains("statement 5 wrote 2")));
    assert!(rerun_writes(&stmts, &[None; 6]).is_none());
}

fn finish(
    engine: &str,
    case: &Case,
    given: &str,
    rewritten: Option<&str>,
    failures: Vec<String>,
) -> Outcome {
    if failures.is_empty() {
        return Outcome {
            passed: true,
            report: String::new(),
        };
    }
    let mut r = String::new();
    if let Some(dir) = std::env::var_os("IDEMSQL_ENGINE_DUMP") {
        // Files to reproduce the case by hand: the input, the options and idemsql's output.
        let stem: String = format!("{engine}-{}", case.name)
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .take(60)
            .collect();
        let dir = std::path::PathBuf::from(dir);
        let _ = std::fs::create_dir_all(&dir);
        let mut setup = case.ddl.join(";\n") + ";\n";
        for s in &case.initial {
            setup.push_str(s);
            setup.push_str(";\n");
        }
        let _ = std::fs::write(dir.join(format!("{stem}.setup.sql")), setup);
        let _ = std::fs::write(dir.join(format!("{stem}.input.sql")), given);
        let _ = std::fs::write(
            dir.join(format!("{stem}.options.json")),
            serde_json::to_string_pretty(&case.options).unwrap_or_default(),
        );
        if let Some(sql) = rewritten {
            let _ = std::fs::write(dir.join(format!("{stem}.output.sql")), sql);
        }
        let _ = writeln!(r, "  files: {}/{stem}.*", dir.display());
    }
    let _ = writeln!(r, "FAIL [{engine}] {}", case.name);
    if let Some(repro) = &case.repro {
        let _ = writeln!(r, "  reproduce: {repro}");
    }
    let _ = writeln!(r, "  options: {}", describe_options(&case.options));
    let _ = writeln!(r, "  setup (DDL and rows before the load):");
    for s in case.ddl.iter().chain(&case.initial) {
        let _ = writeln!(r, "    {};", clip(s, 800).replace('\n', "\n    "));
    }
    let _ = writeln!(r, "  input given to idemsql:");
    let _ = writeln!(
        r,
        "    {}",
        clip(given.trim_end(), 2000).replace('\n', "\n    ")
    );
    if let Some(sql) = rewritten {
        let _ = writeln!(r, "  SQL that ran (idemsql's output):");
        let _ = writeln!(
            r,
            "    {}",
            clip(sql.trim_end(), 2000).replace('\n', "\n    ")
        );
    }
    for f in &failures {
        let _ = writeln!(r, "  - {}", f.trim_end().replace('\n', "\n    "));
    }
    Outcome {
        passed: false,
        report: r,
    }
}
