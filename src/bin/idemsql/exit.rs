//! How a run ends: 0 clean, 1 findings remain, 2 a usage, configuration or I/O error.

use std::process::ExitCode;

/// A failure that stops the run (exit code 2); the message is printed after
/// `idemsql: error: `.
#[derive(Debug)]
pub struct Fatal(pub String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Self {
        Fatal(e.to_string())
    }
}

/// The exit code of a run that went through: 1 when a finding fails it, unless
/// `--exit-zero` asks for 0 whatever was found.
pub fn findings(failing: bool, exit_zero: bool) -> ExitCode {
    if failing && !exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
