//! `idemsql test`: run each script twice on a real database and prove that the second run
//! leaves what the first left (and, with `--crash`, that a run stopped after any statement and
//! then run again leaves what one clean run leaves). The runs and the snapshots are here; the
//! comparison and its words are the library's (`idemsql::twice`), shared with the playground.

mod engine;

use std::path::PathBuf;
use std::process::ExitCode;

use idemsql::twice::report::{self, Failure, Outcome, Run, TableCount, Trial};
use idemsql::twice::{IgnoredColumn, Snapshot, compare};
use idemsql::{LineIndex, Options, StatementKind};

use crate::args::{Format, Shared};
use crate::config::Resolver;
use crate::exit::Fatal;
use engine::Engine;

/// The reports `idemsql test` writes (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TestFormat {
    Text,
    Json,
    Junit,
}

/// What `idemsql test` was asked.
pub struct Request {
    pub files: Vec<PathBuf>,
    pub db: Option<String>,
    pub setup: Vec<PathBuf>,
    pub rewrite: bool,
    pub crash: bool,
    pub ignore_columns: Vec<String>,
    pub shared: Shared,
}

/// A script split into the statements the engine runs, with where each starts.
struct Script {
    statements: Vec<Statement>,
}

struct Statement {
    sql: String,
    line: usize,
    column: usize,
}

impl Script {
    /// Each statement is sent as a client sends it, up to its terminator: its code alone is
    /// not enough, as the code of `INSERT ... /*M!100100 , (2) */;` ends inside the version
    /// comment (whose rows MariaDB reads), and that of `/*!40101 SET NAMES utf8 */;` starts
    /// inside one. Whitespace and whole comments before it are left out, as engines quote the
    /// statement in their errors.
    fn new(sql: &str, options: &Options) -> Self {
        let index = LineIndex::new(sql);
        let spans = idemsql::statements(sql, options.dialect);
        let mut statements = Vec::new();
        let mut from = 0;
        for (i, s) in spans.iter().enumerate() {
            let end = match s.terminator {
                Some(t) => t.start,
                None => spans.get(i + 1).map_or(sql.len(), |next| next.code.start),
            };
            let start = leading_trivia_end(sql, from.min(s.code.start), s.code.start);
            let text = &sql[start..end.max(s.code.end)];
            from = s.span().end;
            // Client commands (psql's `\`, `GO`) are for the client, not the server.
            if s.kind != StatementKind::Sql {
                continue;
            }
            let at = index.position(s.code.start);
            statements.push(Statement {
                sql: text.to_string(),
                line: at.line,
                column: at.column,
            });
        }
        Script { statements }
    }

    fn texts(&self, n: usize) -> Vec<&str> {
        self.statements[..n]
            .iter()
            .map(|s| s.sql.as_str())
            .collect()
    }
}

/// Where the text from `from` stops being whitespace or comments that end before `code`
/// (a comment that holds `code`, a version comment, is kept). Anything else read here (a
/// nested comment) keeps the whole text from `from`, as the client would send it.
fn leading_trivia_end(sql: &str, start: usize, code: usize) -> usize {
    let mut from = start;
    loop {
        let rest = &sql[from..code];
        let trimmed = rest.trim_start();
        from += rest.len() - trimmed.len();
        let skip = if trimmed.starts_with("--") || trimmed.starts_with('#') {
            trimmed.find('\n').map(|n| n + 1)
        } else if trimmed.starts_with("/*") {
            trimmed.find("*/").map(|n| n + 2)
        } else {
            None
        };
        match skip {
            Some(n) if from + n <= code => from += n,
            _ if from == code || trimmed.starts_with("/*") => return from,
            _ => return start,
        }
    }
}

pub fn run(req: Request) -> Result<ExitCode, Fatal> {
    if req.files.is_empty() {
        return Err(Fatal("idemsql test: name the SQL files to test".into()));
    }
    let ignore = req
        .ignore_columns
        .iter()
        .map(|c| IgnoredColumn::parse(c).map_err(|m| Fatal(format!("--ignore-column {m}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let format = test_format(req.shared.format)?;
    let mut shared = req.shared.clone();
    let mut engine = engine::open(req.db.as_deref(), dialect_of(&shared)?)?;
    // The scripts run on this engine, so they are read (and rewritten) in its dialect.
    if shared.dialect.is_none() {
        shared.dialect = Some(engine.dialect().name().to_string());
    }
    let mut resolver = Resolver::new(shared);
    let setup = req
        .setup
        .iter()
        .map(|p| read(p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut results = Vec::new();
    for file in &scripts(&req.files)? {
        let mut options = resolver.options_for(Some(file))?;
        // What the setup creates is the schema the rewrite reads (keys, columns).
        for text in &setup {
            options.schema.push('\n');
            options.schema.push_str(text);
        }
        let sql = read(file)?;
        let setup: Vec<Script> = setup.iter().map(|s| Script::new(s, &options)).collect();
        let mut trials = vec![trial(
            engine.as_mut(),
            "original",
            &setup,
            &Script::new(&sql, &options),
            req.crash,
            &ignore,
        )?];
        if req.rewrite {
            let fixed = idemsql::fix(&sql, &options)?.sql;
            trials.push(trial(
                engine.as_mut(),
                "rewritten",
                &setup,
                &Script::new(&fixed, &options),
                req.crash,
                &ignore,
            )?);
        }
        results.push((file.display().to_string(), trials));
    }
    let passed = results.iter().all(|(_, trials)| report::passed(trials));
    let out = render(
        format,
        &engine.describe(),
        &results,
        &req.ignore_columns,
        passed,
    );
    crate::stdio::out(&out)?;
    Ok(if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `--format`: text (the default, also under GitHub Actions), json or junit.
fn test_format(asked: Option<Format>) -> Result<TestFormat, Fatal> {
    match asked {
        None | Some(Format::Text) => Ok(TestFormat::Text),
        Some(Format::Json) => Ok(TestFormat::Json),
        Some(Format::Junit) => Ok(TestFormat::Junit),
        Some(other) => Err(Fatal(format!(
            "idemsql test reports as text, json or junit, not {}",
            format!("{other:?}").to_lowercase()
        ))),
    }
}

fn render(
    format: TestFormat,
    engine: &str,
    results: &[(String, Vec<Trial>)],
    ignored: &[String],
    passed: bool,
) -> String {
    match format {
        TestFormat::Text => {
            let mut out = format!("idemsql test on {engine}");
            if !ignored.is_empty() {
                out.push_str(&format!(" (not compared: {})", ignored.join(", ")));
            }
            out.push('\n');
            for (file, trials) in results {
                out.push_str(&report::text(file, trials));
            }
            out
        }
        TestFormat::Json => json(engine, results, passed),
        TestFormat::Junit => junit(engine, results),
    }
}

/// The dialect the flags name, for choosing the embedded engine when `--db` is not given.
fn dialect_of(shared: &Shared) -> Result<idemsql::Dialect, Fatal> {
    match &shared.dialect {
        Some(d) => Ok(d.parse()?),
        None => Ok(Resolver::new(shared.clone()).options_for(None)?.dialect),
    }
}

/// The files to test: each file named, and every `.sql` file under each directory named, in
/// order (a migrations folder runs file by file, each in its own scratch database).
fn scripts(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Fatal> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            out.extend(crate::fsutil::sql_files(p, &["sql".to_string()])?);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn read(path: &std::path::Path) -> Result<String, Fatal> {
    std::fs::read_to_string(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))
}

/// One script: setup, run, snapshot, run again, snapshot, compare; then the crashes.
fn trial(
    engine: &mut dyn Engine,
    label: &str,
    setup: &[Script],
    script: &Script,
    crash: bool,
    ignore: &[IgnoredColumn],
) -> Result<Trial, Fatal> {
    let done = |counts, outcome| Trial {
        label: label.to_string(),
        counts,
        outcome,
    };
    // The scripts' qualifiers are read once; every fresh start (one per crash point) uses them.
    let qualifiers = qualifiers(setup.iter().chain([script]), engine.dialect());
    if let Err(failure) = start(engine, &qualifiers, setup)? {
        return Ok(done(Vec::new(), Outcome::Failed { failure }));
    }
    if let Err(failure) = run_script(engine, script, Run::First) {
        return Ok(done(Vec::new(), Outcome::Failed { failure }));
    }
    let once = engine.snapshot().map_err(Fatal)?;
    if let Err(failure) = run_script(engine, script, Run::Second) {
        return Ok(done(counts(&once, None), Outcome::Failed { failure }));
    }
    let twice = engine.snapshot().map_err(Fatal)?;
    let counts = counts(&once, Some(&twice));
    let tables = compare(&once, &twice, ignore);
    if !tables.is_empty() {
        return Ok(done(counts, Outcome::NotIdempotent { tables }));
    }
    if crash {
        if let Some(outcome) = crashes(engine, &qualifiers, setup, script, &once, ignore)? {
            return Ok(done(counts, outcome));
        }
    }
    Ok(done(counts, Outcome::Idempotent))
}

/// Stop a run after each statement but the last (dropping the connection, so an open
/// transaction rolls back), run the whole script again, and compare with one clean run.
fn crashes(
    engine: &mut dyn Engine,
    qualifiers: &[String],
    setup: &[Script],
    script: &Script,
    once: &Snapshot,
    ignore: &[IgnoredColumn],
) -> Result<Option<Outcome>, Fatal> {
    for stopped_after in 1..script.statements.len() {
        if let Err(failure) = start(engine, qualifiers, setup)? {
            return Ok(Some(Outcome::Failed { failure }));
        }
        // A statement that fails in the half run is where that client would have stopped.
        let _ = engine.crash(&script.texts(stopped_after));
        if let Err(failure) = run_script(engine, script, Run::AfterCrash { stopped_after }) {
            return Ok(Some(Outcome::Failed { failure }));
        }
        let after = engine.snapshot().map_err(Fatal)?;
        let tables = compare(once, &after, ignore);
        if !tables.is_empty() {
            let at = &script.statements[stopped_after - 1];
            return Ok(Some(Outcome::NotCrashSafe {
                stopped_after,
                line: at.line,
                column: at.column,
                tables,
            }));
        }
    }
    Ok(None)
}

/// The schemas (or databases) that qualify the tables the scripts name (`analytics` of
/// `analytics.orders`), sorted, each once. A statement sqlparser cannot read names none here;
/// the engine reports on it when it runs.
fn qualifiers<'a>(
    scripts: impl Iterator<Item = &'a Script>,
    dialect: idemsql::Dialect,
) -> Vec<String> {
    use std::ops::ControlFlow;
    let parser_dialect = sqlparser::dialect::dialect_from_str(dialect.name())
        .unwrap_or_else(|| Box::new(sqlparser::dialect::MySqlDialect {}));
    let mut found = Vec::new();
    for s in scripts.flat_map(|s| &s.statements) {
        let Ok(parsed) = sqlparser::parser::Parser::parse_sql(parser_dialect.as_ref(), &s.sql)
        else {
            continue;
        };
        // `ATTACH DATABASE 'file' AS other` (SQLite) would write a file outside.
        for st in &parsed {
            if let sqlparser::ast::Statement::AttachDatabase { schema_name, .. } = st {
                found.push(schema_name.value.clone());
            }
        }
        let _ = sqlparser::ast::visit_relations(&parsed, |name| {
            if name.0.len() >= 2 {
                let parts: Vec<String> = name.0[..name.0.len() - 1]
                    .iter()
                    .filter_map(|p| p.as_ident().map(|i| i.value.clone()))
                    .collect();
                found.push(parts.join("."));
            }
            ControlFlow::<()>::Continue(())
        });
    }
    found.sort();
    found.dedup();
    found
}

/// A fresh scratch database made ready for the scripts' qualifiers (a refusal stops the run),
/// with the setup run in it; the setup's failure, if it fails.
fn start(
    engine: &mut dyn Engine,
    qualifiers: &[String],
    setup: &[Script],
) -> Result<Result<(), Failure>, Fatal> {
    engine.fresh()?;
    engine.prepare(qualifiers).map_err(Fatal)?;
    Ok(setup
        .iter()
        .try_for_each(|s| run_script(engine, s, Run::Setup)))
}

fn run_script(engine: &mut dyn Engine, script: &Script, run: Run) -> Result<(), Failure> {
    for (i, s) in script.statements.iter().enumerate() {
        engine.exec(&s.sql).map_err(|error| Failure {
            run,
            statement: i + 1,
            line: s.line,
            column: s.column,
            error,
        })?;
    }
    Ok(())
}

fn counts(once: &Snapshot, twice: Option<&Snapshot>) -> Vec<TableCount> {
    let mut names: Vec<&str> = once.tables.iter().map(|t| t.name.as_str()).collect();
    if let Some(t) = twice {
        names.extend(t.tables.iter().map(|t| t.name.as_str()));
    }
    names.sort_unstable();
    names.dedup();
    let rows = |s: &Snapshot, name: &str| {
        s.tables
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.rows.len())
    };
    names
        .into_iter()
        .map(|name| TableCount {
            table: name.to_string(),
            once: rows(once, name),
            twice: twice.and_then(|t| rows(t, name)),
        })
        .collect()
}

/// `--format json`: `{ engine, passed, files: [{ file, passed, trials: [...] }] }`.
fn json(engine: &str, results: &[(String, Vec<Trial>)], passed: bool) -> String {
    let files: Vec<serde_json::Value> = results
        .iter()
        .map(|(file, trials)| {
            serde_json::json!({
                "file": file,
                "passed": report::passed(trials),
                "trials": trials,
            })
        })
        .collect();
    let doc = serde_json::json!({ "engine": engine, "passed": passed, "files": files });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}

/// `--format junit`: one test case per file, failed with the text report.
fn junit(engine: &str, results: &[(String, Vec<Trial>)]) -> String {
    let failures = results
        .iter()
        .filter(|(_, trials)| !report::passed(trials))
        .count();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"idemsql test\" tests=\"{n}\" failures=\"{failures}\">\n  <testsuite name=\"idemsql test on {e}\" tests=\"{n}\" failures=\"{failures}\">\n",
        n = results.len(),
        e = crate::report::xml_escape(engine),
    );
    for (file, trials) in results {
        let name = crate::report::xml_escape(file);
        if report::passed(trials) {
            out.push_str(&format!(
                "    <testcase classname=\"idemsql.test\" name=\"{name}\"/>\n"
            ));
        } else {
            let text = report::text(file, trials);
            let first = text.lines().nth(1).unwrap_or_default().trim();
            out.push_str(&format!(
                "    <testcase classname=\"idemsql.test\" name=\"{name}\">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                crate::report::xml_escape(first),
                crate::report::xml_escape(&text)
            ));
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::Script;
    use idemsql::{Dialect, Options};

    fn texts(sql: &str, dialect: Dialect) -> Vec<String> {
        let script = Script::new(sql, &Options::for_dialect(dialect));
        script.statements.into_iter().map(|s| s.sql).collect()
    }

    #[test]
    fn statements_are_sent_whole_with_their_version_comments_and_without_leading_comments() {
        let dump = "-- dump\n/*!40101 SET NAMES utf8mb4 */;\n\
                    INSERT INTO t VALUES (1) /*M!100100 , (2) */ /*!50705 , (5) */;\n\
                    /* a note */ /*!40000 INSERT INTO t VALUES (4) */;\n";
        assert_eq!(
            texts(dump, Dialect::Mariadb),
            [
                "/*!40101 SET NAMES utf8mb4 */",
                "INSERT INTO t VALUES (1) /*M!100100 , (2) */ /*!50705 , (5) */",
                "/*!40000 INSERT INTO t VALUES (4) */",
            ]
        );
        assert_eq!(
            texts(
                "-- the schema\nCREATE TABLE t (a int);\n# x\nSELECT 1",
                Dialect::Mysql
            ),
            ["CREATE TABLE t (a int)", "SELECT 1"]
        );
    }
}
