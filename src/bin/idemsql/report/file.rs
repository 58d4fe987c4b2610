//! What every format prints from: the diagnostics of one input with its name and text.

use idemsql::{Diagnostic, Severity};

/// Diagnostics of one input, with what is needed to show them.
pub struct FileReport<'a> {
    /// The name to show (a path, or `<stdin>`).
    pub name: String,
    pub source: &'a str,
    pub diagnostics: Vec<Diagnostic>,
}

/// Does a finding fail the run (exit code 1, unless `--exit-zero`)? Only errors do.
pub fn failing(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}
