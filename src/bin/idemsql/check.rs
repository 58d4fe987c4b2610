//! `idemsql check`: report (and with `--fix` or `--diff`, fix) every input, in steps: collect
//! the inputs, resolve each one's options and read it, check, fix or diff each file, render
//! the reports, print the summary.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use idemsql::{Diagnostic, Options};

use crate::args::{Format, Shared};
use crate::config::Resolver;
use crate::exit::{self, Fatal};
use crate::fsutil;
use crate::report::{self, FileReport};
use crate::stdio::{out, read_input};

/// What `check` does with each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Report only.
    Check,
    /// `--fix`: write the fixes in place (stdin's to stdout).
    Fix,
    /// `--diff`: print the fixes as a patch, write nothing.
    Diff,
}

impl Mode {
    pub fn new(fix: bool, diff: bool) -> Self {
        match (fix, diff) {
            (true, _) => Mode::Fix,
            (false, true) => Mode::Diff,
            (false, false) => Mode::Check,
        }
    }
}

/// One input, read, with the options it is checked with.
struct Input {
    /// `None`: stdin.
    path: Option<PathBuf>,
    /// The name reports show.
    name: String,
    options: Options,
    source: String,
}

/// What the files did to the run, beyond their diagnostics.
#[derive(Default)]
struct Tally {
    failing: bool,
    /// The patch `--diff` prints.
    diffs: String,
    fixed_files: usize,
}

pub fn run(
    paths: Vec<PathBuf>,
    extensions: &[String],
    mode: Mode,
    stdin_filename: Option<PathBuf>,
    shared: Shared,
) -> Result<ExitCode, Fatal> {
    let format = report::format_of(shared.format);
    let inputs = read_inputs(
        collect(paths, extensions)?,
        stdin_filename.as_deref(),
        &shared,
    )?;
    let mut tally = Tally::default();
    let mut reports = Vec::new();
    for input in &inputs {
        let diagnostics = check_file(input, mode, &mut tally)?;
        tally.failing |= report::failing(&diagnostics);
        reports.push(FileReport {
            name: input.name.clone(),
            source: input.source.as_str(),
            diagnostics,
        });
    }
    let only_stdin = inputs.iter().all(|i| i.path.is_none());
    render(format, mode, only_stdin, &tally, &reports)?;
    if format == Format::Text {
        eprintln!("{}", summary(&reports, mode, tally.fixed_files));
    }
    Ok(exit::findings(tally.failing, shared.exit_zero))
}

/// The files to check (`None` for stdin, `-`): files as named, directories searched for
/// files with `extensions` (`sql`, `py`); the current directory when nothing is named.
fn collect(paths: Vec<PathBuf>, extensions: &[String]) -> Result<Vec<Option<PathBuf>>, Fatal> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths
    };
    let mut inputs = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(None);
        } else if p.is_dir() {
            inputs.extend(fsutil::sql_files(&p, extensions)?.into_iter().map(Some));
        } else if p.exists() {
            inputs.push(Some(p));
        } else {
            return Err(Fatal(format!("{}: no such file or directory", p.display())));
        }
    }
    Ok(inputs)
}

/// Each input's options (from its `idemsql.toml`, or `--stdin-filename`'s for stdin) and
/// text, all before any is checked: a configuration error stops the run before a file is
/// written.
fn read_inputs(
    paths: Vec<Option<PathBuf>>,
    stdin_filename: Option<&Path>,
    shared: &Shared,
) -> Result<Vec<Input>, Fatal> {
    let mut resolver = Resolver::new(shared.clone());
    let mut inputs = Vec::new();
    for path in paths {
        let config_path = path.as_deref().or(stdin_filename);
        let options = resolver.options_for(config_path)?;
        let source = read_input(path.as_deref())?;
        let name = config_path.map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string());
        inputs.push(Input {
            path,
            name,
            options,
            source,
        });
    }
    Ok(inputs)
}

/// Check one file, or fix it (`--fix`: written in place, stdin's to stdout) or diff it
/// (`--diff`: the patch is added to the tally); its diagnostics.
fn check_file(input: &Input, mode: Mode, tally: &mut Tally) -> Result<Vec<Diagnostic>, Fatal> {
    let Input {
        path,
        name,
        options,
        source,
    } = input;
    let python = fsutil::is_python(path.as_deref().or(Some(Path::new(name.as_str()))));
    let check = |text: &str| {
        if python {
            idemsql::check_python(text, options)
        } else {
            idemsql::check(text, options)
        }
    };
    if mode == Mode::Check {
        return Ok(check(source)?);
    }
    let result = if python {
        idemsql::fix_python(source, options)?
    } else {
        idemsql::fix(source, options)?
    };
    if result.sql != *source {
        if mode == Mode::Diff {
            tally
                .diffs
                .push_str(&fsutil::unified_diff(name, source, &result.sql));
            tally.failing = true;
        } else if let Some(p) = path {
            fsutil::write_atomic(p, &result.sql)?;
            tally.fixed_files += 1;
        } else {
            out(&result.sql)?;
        }
    }
    // A diff's diagnostics are those of the text it patches.
    if mode == Mode::Diff && !result.edits.is_empty() {
        Ok(check(source)?)
    } else {
        Ok(result.diagnostics)
    }
}

/// Print the reports: on stdout, except when stdout carries something else (the patch of
/// `--diff`, the fixed SQL of `--fix` on stdin), then on stderr.
fn render(
    format: Format,
    mode: Mode,
    only_stdin: bool,
    tally: &Tally,
    reports: &[FileReport],
) -> Result<(), Fatal> {
    let rendered = report::render(format, reports);
    match mode {
        Mode::Diff => {
            out(&tally.diffs)?;
            eprint!("{rendered}");
        }
        Mode::Fix if only_stdin => eprint!("{rendered}"),
        Mode::Fix | Mode::Check => out(&rendered)?,
    }
    Ok(())
}

/// The last line of a text report: how many findings in how many files, how many `--fix`
/// would fix, and with `--fix` how many files it wrote.
fn summary(reports: &[FileReport], mode: Mode, fixed_files: usize) -> String {
    let count: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let fixable = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .filter(|d| d.fix.is_some())
        .count();
    let summary = if count == 0 {
        format!("All clear: {} file(s) checked.", reports.len())
    } else {
        format!(
            "Found {count} finding(s) in {} file(s); {fixable} fixable with `idemsql check --fix`.",
            reports.len()
        )
    };
    if mode == Mode::Fix {
        format!("Fixed {fixed_files} file(s). {summary}")
    } else {
        summary
    }
}
