//! What stops a run before any SQL is read: unusable options or configuration.
//!
//! Problems *in the SQL* are never errors: they are [`Diagnostic`](crate::Diagnostic)s, so one bad
//! statement cannot stop a whole file from being checked.

/// An unusable option, option value or configuration file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The dialect name is not one idemsql knows.
    #[error("unknown dialect `{name}`; expected one of: {expected}")]
    UnknownDialect {
        /// The name as given.
        name: String,
        /// The names idemsql knows, comma-separated.
        expected: String,
    },
    /// The strategy name is not one idemsql knows.
    #[error("unknown strategy `{0}`; expected one of: auto, upsert, ignore, merge, overwrite")]
    UnknownStrategy(String),
    /// An option has a value that cannot be used; `field` names the option.
    #[error("invalid `{field}`: {message}")]
    InvalidOption {
        /// The option's name as the user wrote it (`keys`, `--key`, `dedupe`, ...).
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The configuration text (`idemsql.toml`, a JSON options object) could not be read.
    #[error("invalid configuration: {0}")]
    Config(String),
}

impl Error {
    pub(crate) fn option(field: &str, message: impl Into<String>) -> Self {
        Error::InvalidOption {
            field: field.to_string(),
            message: message.into(),
        }
    }
}
