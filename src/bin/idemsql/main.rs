#![warn(clippy::too_many_lines)]
//! The `idemsql` command: a thin adapter over the library. It reads files, finds the
//! configuration, prints diagnostics, and writes fixes atomically; all SQL logic is in the
//! library.

mod args;
mod check;
mod config;
mod exit;
mod fsutil;
mod report;
mod rewrite;
mod server;
mod stdio;
mod test;

use std::process::ExitCode;

use clap::Parser;
use idemsql::Rule;

use args::{Cli, Command};
use exit::Fatal;
use stdio::out;

fn main() -> ExitCode {
    // A generous stack for deeply nested SQL; the library also bounds nesting itself.
    let worker = std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(run);
    match worker.map(|h| h.join()) {
        Ok(Ok(code)) => code,
        _ => {
            eprintln!("idemsql: internal error");
            ExitCode::from(2)
        }
    }
}

fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Rewrite { file, shared } => rewrite::run(file, shared),
        Command::Check {
            paths,
            fix,
            diff,
            stdin_filename,
            extensions,
            shared,
        } => check::run(
            paths,
            &extensions,
            check::Mode::new(fix, diff),
            stdin_filename,
            shared,
        ),
        Command::Test {
            files,
            db,
            setup,
            rewrite,
            crash,
            ignore_column,
            shared,
        } => test::run(test::Request {
            files,
            db,
            setup,
            rewrite,
            crash,
            ignore_columns: ignore_column,
            shared,
        }),
        Command::Explain { rule } => explain(rule),
        Command::Dialects => dialects(),
        Command::Server { stdio: _ } => server::run(),
    };
    match result {
        Ok(code) => code,
        Err(Fatal(message)) => {
            eprintln!("idemsql: error: {message}");
            ExitCode::from(2)
        }
    }
}

fn explain(rule: Option<String>) -> Result<ExitCode, Fatal> {
    match rule {
        None => {
            let mut s = String::new();
            for r in Rule::ALL {
                s.push_str(&format!(
                    "{}  {:<34} {:<8} {}\n",
                    r.code(),
                    r.name(),
                    r.severity().as_str(),
                    r.summary()
                ));
            }
            out(&s)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(code) => match Rule::from_code_or_name(&code) {
            Some(r) => {
                out(r.documentation())?;
                Ok(ExitCode::SUCCESS)
            }
            None => Err(Fatal(format!(
                "`{code}` is not a rule; `idemsql explain` lists them"
            ))),
        },
    }
}

fn dialects() -> Result<ExitCode, Fatal> {
    let mut s = String::new();
    for d in idemsql::dialects() {
        s.push_str(&format!("{:<12} {}\n", d.name, d.strategies.join(", ")));
    }
    out(&s)?;
    Ok(ExitCode::SUCCESS)
}
