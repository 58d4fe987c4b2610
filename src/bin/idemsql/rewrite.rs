//! `idemsql rewrite`: the rewritten SQL on stdout, as it is rewritten; the diagnostics on
//! stderr. A Python file (`.py`) comes out with its SQL strings fixed.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use idemsql::{Diagnostic, Options};

use crate::args::Shared;
use crate::config::Resolver;
use crate::exit::{self, Fatal};
use crate::report::{self, FileReport};
use crate::stdio::read_input;

pub fn run(file: Option<PathBuf>, shared: Shared) -> Result<ExitCode, Fatal> {
    let path = file.filter(|f| f.as_os_str() != "-");
    let format = report::format_of(shared.format);
    let mut resolver = Resolver::new(shared.clone());
    let options = resolver.options_for(path.as_deref())?;
    let source = read_input(path.as_deref())?;
    let diagnostics = if crate::fsutil::is_python(path.as_deref()) {
        // A Python module: the module with its SQL strings fixed, as `check --fix` writes it.
        let out = idemsql::fix_python(&source, &options)?;
        crate::stdio::out(&out.sql)?;
        out.diagnostics
    } else {
        let Some(diagnostics) = stream(&source, &options)? else {
            return Ok(ExitCode::SUCCESS);
        };
        diagnostics
    };
    let name = path
        .as_deref()
        .map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string());
    let failing = report::failing(&diagnostics);
    let report = FileReport {
        name,
        source: &source,
        diagnostics,
    };
    let rendered = report::render(format, std::slice::from_ref(&report));
    eprint!("{rendered}");
    Ok(exit::findings(failing, shared.exit_zero))
}

/// Rewrite `source` to stdout piece by piece (a 50 MB dump is written as it is rewritten);
/// the diagnostics, or `None` when stdout was closed (`idemsql rewrite ... | head`): the
/// run ends quietly then.
fn stream(source: &str, options: &Options) -> Result<Option<Vec<Diagnostic>>, Fatal> {
    let stdout = io::stdout();
    let mut writer = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut failed: Option<io::Error> = None;
    let diagnostics = idemsql::rewrite_streaming(source, options, |piece| {
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
    match failed {
        None => Ok(Some(diagnostics)),
        Some(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(None),
        Some(e) => Err(Fatal(format!("writing output: {e}"))),
    }
}
