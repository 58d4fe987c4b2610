//! The `idemsql` command: a thin adapter over the library. It reads files, finds the
//! configuration, prints diagnostics, and writes fixes atomically; all SQL logic is in the
//! library.

mod args;
mod config;
mod fsutil;
mod report;
mod server;

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use idemsql::{Diagnostic, Rule, Severity};

use args::{Cli, Command, Format, Shared};
use config::{Fatal, Resolver};
use report::FileReport;

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
        Command::Rewrite { file, shared } => rewrite(file, shared),
        Command::Check {
            paths,
            fix,
            diff,
            stdin_filename,
            shared,
        } => check(paths, fix, diff, stdin_filename, shared),
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

/// Write to stdout; a closed pipe (`idemsql ... | head`) ends the run quietly.
fn out(text: &str) -> Result<(), Fatal> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Fatal(format!("writing output: {e}"))),
    }
}

fn format_of(shared: &Shared) -> Format {
    shared.format.unwrap_or_else(|| {
        if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            Format::Github
        } else {
            Format::Text
        }
    })
}

fn read_input(path: Option<&Path>) -> Result<String, Fatal> {
    match path {
        None => {
            let mut s = String::new();
            io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Fatal(format!("reading stdin: {e}")))?;
            Ok(s)
        }
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| Fatal(format!("{}: {e}", p.display())))?;
            String::from_utf8(bytes)
                .map_err(|e| Fatal(format!("{}: not UTF-8 text ({e})", p.display())))
        }
    }
}

fn is_failure(d: &Diagnostic) -> bool {
    d.severity == Severity::Error
}

fn rewrite(file: Option<PathBuf>, shared: Shared) -> Result<ExitCode, Fatal> {
    let path = file.filter(|f| f.as_os_str() != "-");
    let format = format_of(&shared);
    let mut resolver = Resolver::new(shared.clone());
    let options = resolver.options_for(path.as_deref())?;
    let source = read_input(path.as_deref())?;
    // Stream the output: a 50 MB dump is written as it is rewritten.
    let stdout = io::stdout();
    let mut writer = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut failed: Option<io::Error> = None;
    let diagnostics = idemsql::rewrite_streaming(&source, &options, |piece| {
        if failed.is_none() {
            if let Err(e) = writer.write_all(piece.as_bytes()) {
                failed = Some(e);
            }
        }
    })?;
    if failed.is_none() {
        if let Err(e) = writer.flush() {
            failed = Some(e);
        }
    }
    drop(writer);
    if let Some(e) = failed {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return Ok(ExitCode::SUCCESS);
        }
        return Err(Fatal(format!("writing output: {e}")));
    }
    let name = path
        .as_deref()
        .map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string());
    let failing = diagnostics.iter().any(is_failure);
    let report = FileReport {
        name,
        source: &source,
        diagnostics,
    };
    let rendered = report::render(format, std::slice::from_ref(&report));
    eprint!("{rendered}");
    Ok(if failing && !shared.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn check(
    paths: Vec<PathBuf>,
    fix: bool,
    diff: bool,
    stdin_filename: Option<PathBuf>,
    shared: Shared,
) -> Result<ExitCode, Fatal> {
    let format = format_of(&shared);
    let mut resolver = Resolver::new(shared.clone());
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let mut inputs: Vec<Option<PathBuf>> = Vec::new();
    for p in &paths {
        if p.as_os_str() == "-" {
            inputs.push(None);
        } else if p.is_dir() {
            inputs.extend(fsutil::sql_files(p)?.into_iter().map(Some));
        } else if p.exists() {
            inputs.push(Some(p.clone()));
        } else {
            return Err(Fatal(format!("{}: no such file or directory", p.display())));
        }
    }
    let mut sources = Vec::new();
    for input in &inputs {
        let config_path = input.clone().or_else(|| stdin_filename.clone());
        let options = resolver.options_for(config_path.as_deref())?;
        let source = read_input(input.as_deref())?;
        sources.push((input.clone(), options, source));
    }
    let mut reports = Vec::new();
    let mut failing = false;
    let mut diffs = String::new();
    let mut fixed_files = 0usize;
    for (input, options, source) in &sources {
        let name = match input {
            Some(p) => p.display().to_string(),
            None => stdin_filename
                .as_ref()
                .map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string()),
        };
        let diagnostics = if fix || diff {
            let result = idemsql::fix(source, options)?;
            if result.sql != *source {
                if diff {
                    diffs.push_str(&fsutil::unified_diff(&name, source, &result.sql));
                    failing = true;
                } else if let Some(p) = input {
                    fsutil::write_atomic(p, &result.sql)?;
                    fixed_files += 1;
                } else {
                    out(&result.sql)?;
                }
            }
            // A diff's diagnostics are those of the text it patches.
            if diff && !result.edits.is_empty() {
                idemsql::check(source, options)?
            } else {
                result.diagnostics
            }
        } else {
            idemsql::check(source, options)?
        };
        failing |= diagnostics.iter().any(is_failure);
        reports.push(FileReport {
            name,
            source: source.as_str(),
            diagnostics,
        });
    }
    if diff {
        out(&diffs)?;
        // The diagnostics go to stderr so the diff on stdout stays a clean patch.
        eprint!("{}", report::render(format, &reports));
    } else if fix && inputs.iter().all(Option::is_none) {
        eprint!("{}", report::render(format, &reports));
    } else {
        out(&report::render(format, &reports))?;
    }
    if format == Format::Text {
        let count: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
        let fixable = reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(|d| d.fix.is_some())
            .count();
        let mut summary = if count == 0 {
            format!("All clear: {} file(s) checked.", reports.len())
        } else {
            format!(
                "Found {count} finding(s) in {} file(s); {fixable} fixable with `idemsql check --fix`.",
                reports.len()
            )
        };
        if fix {
            summary = format!("Fixed {fixed_files} file(s). {summary}");
        }
        eprintln!("{summary}");
    }
    Ok(if failing && !shared.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
