//! Printing diagnostics: one module per format (rustc-style text, JSON, GitHub Actions
//! annotations, SARIF), each rendering the same [`FileReport`]s; the formats depend on the
//! report type, not on each other.

mod file;
mod github;
mod json;
mod sarif;
mod text;

pub use file::FileReport;

use crate::args::Format;

/// `reports` in `format`.
pub fn render(format: Format, reports: &[FileReport]) -> String {
    match format {
        Format::Text => text::render(reports),
        Format::Json => json::render(reports),
        Format::Github => github::render(reports),
        Format::Sarif => sarif::render(reports),
    }
}
