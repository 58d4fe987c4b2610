//! Real-engine tests: idemsql's output, run twice on SQLite, DuckDB, PostgreSQL 15,
//! MariaDB 10.11, ClickHouse (chDB) and Spark SQL (pyspark, local mode), leaves exactly the
//! data that one run leaves, including after a crash half-way; and the original plain INSERTs
//! do not (so the tests can tell).
//!
//! Run alone: `scripts/test-engines.sh` (starts and stops the servers), or with servers already
//! running (`eval "$(scripts/services.sh start)"`): `cargo test --test engines`. Arguments after
//! `--` select engines and groups: `cargo test --test engines -- postgres generated`.
//! See docs/engine-tests.md for the variables.
//!
//! This binary has its own harness (`harness = false`): it runs the engines in parallel threads
//! and prints, per engine, how many cases ran and passed.

mod check;
mod chinook;
mod cli;
mod db;
mod dumps;
mod generate;
mod model;
mod named;
mod named_nontx;
mod pyengine;
mod report;
mod sqlsplit;

use std::collections::BTreeSet;
use std::time::Instant;

use idemsql::Strategy;
use proptest::strategy::ValueTree;

use check::{Case, Outcome};
use db::{Db, Kind};
use report::print_block;

/// The run seed when none is given: CI always runs the same cases.
const DEFAULT_SEED: u64 = 0x1de5_0c0d_e5ee_d001;
/// Generated cases per engine when IDEMSQL_ENGINE_CASES does not say.
const DEFAULT_CASES: usize = 240;
/// Shrinking steps for the first failing generated case of each engine and strategy.
const SHRINK_STEPS: usize = 48;
/// Failing generated cases reported in full per engine; later ones get one line each.
const FULL_REPORTS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Named,
    Generated,
    Chinook,
    Dumps,
    /// `idemsql test` on the named cases' outputs.
    Cli,
}

impl Group {
    const ALL: [Group; 5] = [
        Group::Named,
        Group::Generated,
        Group::Chinook,
        Group::Dumps,
        Group::Cli,
    ];
    fn name(self) -> &'static str {
        match self {
            Group::Named => "named",
            Group::Generated => "generated",
            Group::Chinook => "chinook",
            Group::Dumps => "dumps",
            Group::Cli => "cli",
        }
    }
}

#[derive(Debug, Default, Clone)]
struct Tally {
    ran: usize,
    passed: usize,
}

struct EngineResult {
    kind: Kind,
    version: String,
    tallies: Vec<(Group, Tally)>,
    /// Set when the engine could not be reached at all.
    missing: Option<String>,
    secs: f64,
}

struct Settings {
    seed: u64,
    cases: usize,
    only_case: Option<usize>,
    groups: BTreeSet<Group>,
    verbose: bool,
}

fn parse_seed(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("random") {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        return Some(nanos ^ (u64::from(std::process::id()) << 32));
    }
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(&h.replace('_', ""), 16).ok(),
        None => s.parse().ok(),
    }
}

fn main() {
    sqlsplit::self_check();
    model::self_check();
    check::self_check();
    let started = Instant::now();

    // Which engines and groups: positional arguments filter; libtest flags are ignored.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let mut kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| {
            args.is_empty()
                || args.iter().any(|a| a == k.name())
                || !args.iter().any(|a| Kind::ALL.iter().any(|k| k.name() == a))
        })
        .collect();
    let groups: BTreeSet<Group> = Group::ALL
        .into_iter()
        .filter(|g| {
            !args
                .iter()
                .any(|a| Group::ALL.iter().any(|g| g.name() == a))
                || args.iter().any(|a| a == g.name())
        })
        .collect();
    let known = |a: &String| {
        Kind::ALL.iter().any(|k| k.name() == a) || Group::ALL.iter().any(|g| g.name() == a)
    };
    let unknown: Vec<&String> = args.iter().filter(|a| !known(a)).collect();
    if !unknown.is_empty() {
        // Probably a libtest name filter meant for other test binaries (`cargo test foo`).
        println!(
            "engine tests: ignoring argument(s) {unknown:?}: not an engine (sqlite duckdb postgres mariadb clickhouse spark) or group (named generated chinook dumps cli)"
        );
        if !args.iter().any(known) {
            println!("engine tests: nothing selected; 0 passed, 0 failed");
            return;
        }
    }

    // A developer may opt out of engines locally, loudly; never in CI.
    let mut skipped: Vec<Kind> = Vec::new();
    if let Ok(skip) = std::env::var("IDEMSQL_SKIP_ENGINES") {
        let names: Vec<String> = skip
            .split(',')
            .map(|s| s.trim().to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        if !names.is_empty() {
            if std::env::var("CI")
                .map(|v| !v.is_empty() && v != "false" && v != "0")
                .unwrap_or(false)
            {
                eprintln!(
                    "engine tests: IDEMSQL_SKIP_ENGINES={skip} is refused because CI is set: every engine must run in CI"
                );
                std::process::exit(1);
            }
            for n in &names {
                match Kind::ALL.iter().find(|k| k.name() == n) {
                    Some(k) => skipped.push(*k),
                    None => {
                        eprintln!(
                            "engine tests: IDEMSQL_SKIP_ENGINES names an unknown engine `{n}`"
                        );
                        std::process::exit(2);
                    }
                }
            }
            kinds.retain(|k| !skipped.contains(k));
        }
    }

    let settings = Settings {
        seed: match std::env::var("IDEMSQL_ENGINE_SEED") {
            Ok(s) => parse_seed(&s).unwrap_or_else(|| {
                eprintln!(
                    "engine tests: IDEMSQL_ENGINE_SEED `{s}` is not a number, 0x-hex or `random`"
                );
                std::process::exit(2);
            }),
            Err(_) => DEFAULT_SEED,
        },
        cases: std::env::var("IDEMSQL_ENGINE_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(DEFAULT_CASES),
        only_case: std::env::var("IDEMSQL_ENGINE_CASE")
            .ok()
            .and_then(|s| s.parse().ok()),
        groups,
        verbose: std::env::var("IDEMSQL_ENGINE_VERBOSE").is_ok_and(|v| !v.is_empty() && v != "0"),
    };
    println!(
        "engine tests: engines {:?}, groups {:?}, seed {:#x}, {} generated cases per engine",
        kinds.iter().map(|k| k.name()).collect::<Vec<_>>(),
        settings.groups.iter().map(|g| g.name()).collect::<Vec<_>>(),
        settings.seed,
        settings.cases
    );
    if !skipped.is_empty() {
        let names: Vec<&str> = skipped.iter().map(|k| k.label()).collect();
        let banner = "!".repeat(78);
        eprintln!(
            "\n{banner}\n!!! IDEMSQL_SKIP_ENGINES: NOT TESTING {}.\n!!! This run proves nothing about those engines. CI refuses this variable.\n{banner}\n",
            names.join(", ")
        );
    }

    let results: Vec<EngineResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = kinds
            .iter()
            .map(|&kind| {
                let settings = &settings;
                scope.spawn(move || run_engine(kind, settings))
            })
            .collect();
        handles
            .into_iter()
            .zip(&kinds)
            .map(|(h, &kind)| {
                h.join().unwrap_or_else(|_| EngineResult {
                    kind,
                    version: String::new(),
                    tallies: Vec::new(),
                    missing: Some("the test thread panicked (see above)".into()),
                    secs: 0.0,
                })
            })
            .collect()
    });

    // The report.
    let mut total = Tally::default();
    let mut lines = String::from("\nengine tests: cases run and passed, per engine\n");
    lines.push_str(&format!(
        "  {:<10} {:<14} {:>14} {:>14} {:>14} {:>14} {:>14} {:>14} {:>8}\n",
        "engine",
        "version",
        "named",
        "generated",
        "chinook",
        "dumps",
        "idemsql test",
        "total",
        "time"
    ));
    for r in &results {
        let mut row = format!(
            "  {:<10} {:<14}",
            r.kind.name(),
            r.version.chars().take(14).collect::<String>()
        );
        if let Some(m) = &r.missing {
            row.push_str(&format!(" MISSING: {m}"));
            lines.push_str(&row);
            lines.push('\n');
            continue;
        }
        let mut t = Tally::default();
        for g in Group::ALL {
            match r.tallies.iter().find(|(gg, _)| *gg == g) {
                Some((_, x)) => {
                    row.push_str(&format!(
                        " {:>14}",
                        format!("{}/{} passed", x.passed, x.ran)
                    ));
                    t.ran += x.ran;
                    t.passed += x.passed;
                }
                None => row.push_str(&format!(" {:>14}", "-")),
            }
        }
        row.push_str(&format!(
            " {:>14} {:>7.1}s",
            format!("{}/{} passed", t.passed, t.ran),
            r.secs
        ));
        total.ran += t.ran;
        total.passed += t.passed;
        lines.push_str(&row);
        lines.push('\n');
    }
    for k in &skipped {
        lines.push_str(&format!(
            "  {:<10} SKIPPED by IDEMSQL_SKIP_ENGINES (not a pass)\n",
            k.name()
        ));
    }
    lines.push_str(&format!(
        "engine tests: seed {:#x}; rerun one generated case with IDEMSQL_ENGINE_SEED={:#x} IDEMSQL_ENGINE_CASE=<index>; {:.1}s in all\n",
        settings.seed,
        settings.seed,
        started.elapsed().as_secs_f64()
    ));
    // An engine that could not be reached counts as one failed case.
    let missing = results.iter().filter(|r| r.missing.is_some()).count();
    let failed = total.ran - total.passed + missing;
    lines.push_str(&format!(
        "engines: {} passed, {} failed\n",
        total.passed, failed
    ));
    print_block(&lines);
    if failed > 0 || total.ran == 0 {
        std::process::exit(1);
    }
}

fn run_engine(kind: Kind, settings: &Settings) -> EngineResult {
    let started = Instant::now();
    let mut result = EngineResult {
        kind,
        version: String::new(),
        tallies: Vec::new(),
        missing: None,
        secs: 0.0,
    };
    let mut db = match db::connect(kind) {
        Ok(db) => db,
        Err(e) => {
            print_block(&format!("FAIL [{}] {e}", kind.label()));
            result.missing = Some(e);
            return result;
        }
    };
    result.version = db.version().unwrap_or_else(|e| format!("? ({e})"));

    for &group in &settings.groups {
        let tally = match group {
            Group::Named => run_named(db.as_mut(), settings),
            Group::Cli if !cli::runs_on(kind) => continue,
            Group::Cli => {
                let (ran, failures) = cli::run(kind);
                for f in &failures {
                    print_block(f);
                }
                Tally {
                    ran,
                    passed: ran - failures.len(),
                }
            }
            Group::Generated if strategies(kind).is_empty() => continue,
            Group::Generated => run_generated(db.as_mut(), settings),
            Group::Chinook => {
                if chinook::script_name(kind).is_none() {
                    continue;
                }
                if chinook::corpus_dir().is_none() {
                    print_block(&format!(
                        "NOT RUN [{}] Chinook: set IDEMSQL_CHINOOK_DIR to the folder of the Chinook scripts",
                        kind.label()
                    ));
                    continue;
                }
                let outcome = chinook::run(db.as_mut());
                report_outcome(
                    kind,
                    "Chinook",
                    &outcome,
                    settings.verbose || !outcome.passed,
                );
                Tally {
                    ran: 1,
                    passed: usize::from(outcome.passed),
                }
            }
            Group::Dumps => {
                if dumps::flavours(kind).is_empty() {
                    continue;
                }
                run_dumps(kind, settings)
            }
        };
        result.tallies.push((group, tally));
    }
    result.secs = started.elapsed().as_secs_f64();
    result
}

fn report_outcome(kind: Kind, name: &str, outcome: &Outcome, show: bool) {
    if !outcome.report.is_empty() && show {
        if outcome.passed {
            print_block(&format!("ok [{}] {name}\n{}", kind.label(), outcome.report));
        } else {
            print_block(&outcome.report);
        }
    }
}

fn run_dumps(kind: Kind, settings: &Settings) -> Tally {
    let results = dumps::run(kind, settings.verbose);
    for (_, outcome) in &results {
        if !outcome.report.is_empty() {
            print_block(&outcome.report);
        }
    }
    dumps::print_tally(kind, &results);
    Tally {
        ran: results.len(),
        passed: results.iter().filter(|(_, o)| o.passed).count(),
    }
}

fn run_named(db: &mut dyn Db, settings: &Settings) -> Tally {
    let mut t = Tally::default();
    for case in named::cases(db.kind()) {
        let outcome = check::run_case(db, &case);
        t.ran += 1;
        if outcome.passed {
            t.passed += 1;
            if settings.verbose {
                print_block(&format!("ok [{}] {}", db.kind().label(), case.name));
            }
        } else {
            print_block(&outcome.report);
        }
    }
    t
}

/// Generated cases run on `kind`: every one, except on Spark, whose statements take about a
/// second each in local mode (a case runs a dozen): a tenth of them, at least 12.
fn cases_for(kind: Kind, cases: usize) -> usize {
    match kind {
        Kind::Spark => cases.min((cases / 10).max(12)),
        _ => cases,
    }
}

/// The strategies an engine runs, cycled over the generated cases.
fn strategies(kind: Kind) -> Vec<Strategy> {
    match kind {
        // The forms idemsql writes for them that run without Delta or transactions.
        Kind::Clickhouse => return vec![Strategy::Ignore, Strategy::Overwrite],
        Kind::Spark => return vec![Strategy::Overwrite],
        _ => {}
    }
    let mut s = vec![Strategy::Upsert, Strategy::Ignore];
    if kind.has_merge() {
        s.push(Strategy::Merge);
    }
    s.push(Strategy::Overwrite);
    s
}

fn generated_case(kind: Kind, seed: u64, index: usize, spec: &generate::Spec) -> Case {
    let strategies = strategies(kind);
    let strategy = strategies[index % strategies.len()];
    let mut case = generate::build(spec, kind, strategy, format!("generated case {index}"));
    case.repro = Some(format!(
        "IDEMSQL_ENGINE_SEED={seed:#x} IDEMSQL_ENGINE_CASE={index} cargo test --test engines -- {} generated",
        kind.name()
    ));
    case
}

fn run_generated(db: &mut dyn Db, settings: &Settings) -> Tally {
    let kind = db.kind();
    let mut t = Tally::default();
    let mut shrunk: std::collections::HashSet<Strategy> = std::collections::HashSet::new();
    let indexes: Vec<usize> = match settings.only_case {
        Some(i) => vec![i],
        None => (0..cases_for(kind, settings.cases)).collect(),
    };
    let strategies = strategies(kind);
    let mut failures = 0;
    for index in indexes {
        let mut tree = generate::tree(settings.seed, kind, index);
        let case = generated_case(kind, settings.seed, index, &tree.current());
        let outcome = check::run_case(db, &case);
        t.ran += 1;
        if outcome.passed {
            t.passed += 1;
            if settings.verbose {
                print_block(&format!("ok [{}] {}", kind.label(), case.name));
            }
            continue;
        }
        failures += 1;
        if failures <= FULL_REPORTS || settings.verbose {
            print_block(&format!(
                "{}  (generated with seed {:#x}, case {index})",
                outcome.report, settings.seed
            ));
        } else {
            // Past the first few, one line each: the case and its first failure.
            let first = outcome
                .report
                .lines()
                .find(|l| l.starts_with("  - "))
                .unwrap_or("")
                .trim_start_matches("  - ");
            print_block(&format!(
                "FAIL [{}] {} -- {} (full report: IDEMSQL_ENGINE_CASE={index})",
                kind.label(),
                case.name,
                report::clip(first, 160)
            ));
        }
        // Shrink the first failure of each strategy to a smaller input that still fails.
        let strategy = strategies[index % strategies.len()];
        if shrunk.insert(strategy) {
            if let Some(report) = shrink(db, &mut tree, kind, settings.seed, index) {
                print_block(&format!(
                    "SHRUNK [{}] generated case {index} ({strategy}) to a smaller failing input:\n{report}",
                    kind.label()
                ));
            }
        }
    }
    t
}

/// Simplify a failing case while it keeps failing (bounded); the report of the smallest.
fn shrink(
    db: &mut dyn Db,
    tree: &mut impl ValueTree<Value = generate::Spec>,
    kind: Kind,
    seed: u64,
    index: usize,
) -> Option<String> {
    let mut best = None;
    if !tree.simplify() {
        return None;
    }
    for _ in 0..SHRINK_STEPS {
        let case = generated_case(kind, seed, index, &tree.current());
        let outcome = check::run_case(db, &case);
        if !outcome.passed {
            best = Some(outcome.report);
            if !tree.simplify() {
                break;
            }
        } else if !tree.complicate() {
            break;
        }
    }
    best
}
