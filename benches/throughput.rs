//! Throughput and peak memory of `idemsql rewrite` next to a sqlparser parse-only pass over
//! the same statements, measured in the same run on generated inputs:
//!
//! - a 50 MB pg_dump-style file of single-row INSERTs,
//! - a 50 MB file of 1000-row INSERTs,
//! - a few MB of dbt-style `INSERT ... SELECT` with CTEs.
//!
//! Each measurement runs in a child process (the release `idemsql` binary for the rewrite,
//! this bench itself in `--parse-only` mode for the baseline), so peak memory is the child's
//! own maximum resident set, read with `wait4`. Run with `cargo bench --bench throughput`;
//! `IDEMSQL_BENCH_MB=10` makes smaller inputs for a quick look.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use idemsql::{Dialect, StatementKind};
use sqlparser::parser::Parser;

/// The baseline: split into statements and parse each with sqlparser, nothing else.
fn parse_only(path: &Path) {
    let sql = std::fs::read_to_string(path).expect("read input");
    let dialect = Dialect::Postgres;
    let pd = dialect.parser_dialect();
    let mut statements = 0usize;
    let mut failures = 0usize;
    for s in idemsql::statements(&sql, dialect) {
        if s.kind != StatementKind::Sql {
            continue;
        }
        match Parser::parse_sql(&*pd, &sql[s.code.start..s.code.end]) {
            Ok(s) => statements += s.len(),
            Err(_) => failures += 1,
        }
    }
    println!("{statements} {failures}");
}

const KINDS: [&str; 6] = [
    "click",
    "view",
    "purchase",
    "it's \"quoted\"",
    "Zoë Ångström",
    "back\\slash",
];

/// Row `i` of the events table: `(id, user_id, 'kind', amount, 'timestamp')`.
fn push_row(s: &mut String, i: u64) {
    let kind = KINDS[(i % 6) as usize].replace('\'', "''");
    let _ = write!(
        s,
        "({i}, {}, '{kind}', {}.{:02}, '2024-01-{:02} {:02}:{:02}:00')",
        i % 9973,
        i % 1000,
        i % 100,
        1 + i % 28,
        i % 24,
        i % 60
    );
}

fn dump_single_rows(target: usize) -> String {
    let mut s = String::with_capacity(target + 4096);
    s.push_str("--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n\n");
    s.push_str("CREATE TABLE public.events (\n    id bigint NOT NULL,\n    user_id bigint,\n    kind text,\n    amount numeric(12,2),\n    created_at timestamp without time zone\n);\n\n");
    let mut i = 0u64;
    while s.len() < target {
        i += 1;
        s.push_str("INSERT INTO public.events VALUES ");
        push_row(&mut s, i);
        s.push_str(";\n");
    }
    s.push_str(
        "\nALTER TABLE ONLY public.events\n    ADD CONSTRAINT events_pkey PRIMARY KEY (id);\n",
    );
    s
}

fn batched_rows(target: usize) -> String {
    let mut s = String::with_capacity(target + 4096);
    s.push_str("CREATE TABLE events (id bigint PRIMARY KEY, user_id bigint, kind text, amount numeric(12,2), created_at timestamp);\n\n");
    let mut i = 0u64;
    while s.len() < target {
        s.push_str("INSERT INTO events (id, user_id, kind, amount, created_at) VALUES\n");
        for r in 0..1000 {
            i += 1;
            s.push_str("    ");
            push_row(&mut s, i);
            s.push_str(if r == 999 { ";\n" } else { ",\n" });
        }
    }
    s
}

fn dbt_models(target: usize) -> String {
    let mut s = String::with_capacity(target + 4096);
    let mut n = 0u64;
    while s.len() < target {
        n += 1;
        let _ = write!(
            s,
            "-- dbt model customer_revenue_{n}, incremental, unique_key = customer_id\n\
             -- idemsql: key(customer_id)\n\
             INSERT INTO analytics.customer_revenue_{n} (customer_id, first_order_at, orders, revenue)\n\
             WITH orders AS (\n    SELECT o.customer_id, o.ordered_at, o.amount, c.region\n    FROM raw.orders o\n    JOIN raw.customers c ON c.customer_id = o.customer_id\n    WHERE o.status <> 'cancelled' AND o.ordered_at >= DATE '2024-01-01'\n),\n\
             refunds AS (\n    SELECT order_id, sum(amount) AS refunded\n    FROM raw.refunds\n    GROUP BY order_id\n),\n\
             agg AS (\n    SELECT customer_id, min(ordered_at) AS first_order_at, count(*) AS orders,\n           sum(amount) - coalesce(sum(r.refunded), 0) AS revenue\n    FROM orders\n    LEFT JOIN refunds r ON r.order_id = orders.customer_id\n    GROUP BY customer_id\n    HAVING count(*) > {}\n)\n\
             SELECT customer_id, first_order_at, orders, CASE WHEN revenue < 0 THEN 0 ELSE revenue END\nFROM agg\nWHERE customer_id % 10 = {};\n\n",
            n % 5,
            n % 10
        );
    }
    s
}

/// Run a command with stdout to /dev/null; wall time and peak RSS in bytes. The child is
/// reaped with `wait4`, which also reports its own peak RSS.
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> (f64, u64) {
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, status and usage are valid out-pointers.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed().as_secs_f64();
    assert_eq!(r, pid, "wait4 failed");
    assert!(libc::WIFEXITED(status), "child crashed");
    // ru_maxrss is in kilobytes on Linux.
    (elapsed, usage.ru_maxrss as u64 * 1024)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--parse-only") {
        parse_only(Path::new(&args[i + 1]));
        return;
    }
    // Inputs are generated by a child process: the parent stays small, so the measured
    // children (forked from it) do not count its pages.
    if let Some(i) = args.iter().position(|a| a == "--generate") {
        let kind = args[i + 1].as_str();
        let size: usize = args[i + 2].parse().expect("size");
        let text = match kind {
            "dump" => dump_single_rows(size),
            "batched" => batched_rows(size),
            _ => dbt_models(size),
        };
        std::fs::write(&args[i + 3], text).expect("write input");
        return;
    }
    // `cargo test --all-targets` runs this too (without `--bench`): then only check that the
    // generators and the rewrite work, on small inputs, and measure nothing.
    let measuring = args.iter().any(|a| a == "--bench");
    let mb: usize = std::env::var("IDEMSQL_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if measuring { 50 } else { 1 });
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs: Vec<(&str, &str, usize)> = vec![
        ("pg_dump, single-row INSERTs", "dump", mb << 20),
        ("1000-row INSERTs", "batched", mb << 20),
        (
            "dbt INSERT ... SELECT with CTEs",
            "dbt",
            (mb / 10).max(1) << 20,
        ),
    ];
    let me = std::env::current_exe().expect("bench path");
    let idemsql = env!("CARGO_BIN_EXE_idemsql");
    let runs = if measuring { 5 } else { 1 };
    println!(
        "idemsql rewrite vs sqlparser parse-only, best of {runs} runs (same machine, same run)\n"
    );
    println!(
        "| input | size | parse-only MB/s | rewrite MB/s | rewrite / parse | parse-only peak | rewrite peak | rewrite peak / input |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut ok = true;
    for (name, kind, target) in &inputs {
        let path = dir.path().join(format!("{kind}.sql"));
        let status = Command::new(&me)
            .args(["--generate", kind, &target.to_string()])
            .arg(&path)
            .status()
            .expect("generate input");
        assert!(status.success(), "generating {kind} failed");
        let size = std::fs::metadata(&path).expect("input written").len() as f64;
        let size_mb = size / (1 << 20) as f64;
        // Alternate the two measurements so that other load on the machine hits both alike.
        let (mut tp, mut mp, mut tr, mut mr) = (f64::MAX, 0u64, f64::MAX, 0u64);
        for _ in 0..runs {
            let (t, m) = measure(Command::new(&me).arg("--parse-only").arg(&path));
            tp = tp.min(t);
            mp = mp.max(m);
            let (t, m) = measure(
                Command::new(idemsql)
                    .args(["rewrite", "--dialect", "postgres", "--no-config"])
                    .arg(&path),
            );
            tr = tr.min(t);
            mr = mr.max(m);
        }
        let ratio = tp / tr;
        let mem_ratio = mr as f64 / size;
        println!(
            "| {name} | {size_mb:.1} MB | {:.1} | {:.1} | {:.0}% | {:.0} MB | {:.0} MB | {:.2}x |",
            size_mb / tp,
            size_mb / tr,
            ratio * 100.0,
            mp as f64 / (1 << 20) as f64,
            mr as f64 / (1 << 20) as f64,
            mem_ratio
        );
        ok &= ratio >= 0.70 && mem_ratio <= 3.0;
    }
    println!(
        "\ntargets: rewrite throughput >= 70% of parse-only, rewrite peak memory <= 3x input: {}",
        if ok { "met" } else { "NOT met" }
    );
}
