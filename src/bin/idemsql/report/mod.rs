//! Printing diagnostics: one module per format (rustc-style text, JSON, GitHub Actions
//! annotations, SARIF, GitLab Code Quality, JUnit XML), each rendering the same [`FileReport`]s; the formats depend on the
//! report type, not on each other.

mod file;
mod github;
mod gitlab;
mod json;
mod junit;
mod sarif;
mod text;

pub use file::{FileReport, failing};
pub use junit::escape as xml_escape;

use crate::args::Format;

/// The format asked for; without one, GitHub annotations inside GitHub Actions
/// (`GITHUB_ACTIONS=true`), so findings show on the pull request with no setup, else text.
pub fn format_of(asked: Option<Format>) -> Format {
    asked.unwrap_or_else(|| {
        if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            Format::Github
        } else {
            Format::Text
        }
    })
}

/// `reports` in `format`.
pub fn render(format: Format, reports: &[FileReport]) -> String {
    match format {
        Format::Text => text::render(reports),
        Format::Json => json::render(reports),
        Format::Github => github::render(reports),
        Format::Sarif => sarif::render(reports),
        Format::Gitlab => gitlab::render(reports),
        Format::Junit => junit::render(reports),
    }
}
