//! `IDEM016 unparsed-statement`: a statement idemsql could not read is passed through
//! unchanged and unchecked. A warning, so that the rest of the file is still checked; `fix`
//! refuses a file with one (see `crate::fix`). Client commands (psql `\` lines, `GO`,
//! `DELIMITER`) are reported as information: they are for the client, not the database.

use super::{Finding, Rule};
use crate::Dialect;
use crate::diagnostic::Severity;
use crate::text::edit::Span;

/// A line for the client program.
pub(crate) fn client_command(span: Span, command: &str) -> Finding {
    Finding::at(
        Rule::UnparsedStatement,
        span,
        format!("client command `{command}` passed through unchanged"),
    )
    .severity(Severity::Info)
    .help("client commands (psql `\\`, `GO`, `DELIMITER`) are for the client program, not the database; idemsql keeps them as they are")
}

/// A statement nested deeper than the parser is allowed to go.
pub(crate) fn too_deep(span: Span, limit: usize) -> Finding {
    Finding::at(
        Rule::UnparsedStatement,
        span,
        format!(
            "statement nests more than {limit} operators deep; passed through unchanged and unchecked"
        ),
    )
    .help("split the expression, or mark the statement `-- idemsql: ignore`")
}

/// sqlparser's error on a statement.
pub(crate) fn parse_error(span: Span, dialect: Dialect, error: &str) -> Finding {
    Finding::at(
        Rule::UnparsedStatement,
        span,
        format!(
            "could not parse this statement as {dialect} ({error}); passed through unchanged and unchecked"
        ),
    )
    .help(format!(
        "check the dialect (--dialect; now {dialect}), or mark the statement `-- idemsql: ignore`"
    ))
}

/// Several statements without `;` between them, among them an INSERT.
pub(crate) fn several_statements(span: Span) -> Finding {
    Finding::at(
        Rule::UnparsedStatement,
        span,
        "several statements without `;` between them; their INSERTs are not rewritten",
    )
    .help("end each statement with `;`")
}
