//! idemsql makes SQL writes safe to run twice.
//!
//! A plain `INSERT` that runs again (a retry, a crash and restart, a scheduler's rerun)
//! doubles its rows. idemsql reads SQL as people write it and returns the same SQL with every
//! plain `INSERT` turned into the idempotent form the target database accepts: an upsert
//! (`ON CONFLICT ... DO UPDATE`, `ON DUPLICATE KEY UPDATE`), a `MERGE`, an insert-if-absent, or
//! a partition overwrite. As a linter it reports every write that is not safe to rerun.
//!
//! ```
//! use idemsql::{rewrite, Dialect, Options};
//!
//! let sql = "CREATE TABLE orders (order_id int PRIMARY KEY, amount numeric);\n\
//!            INSERT INTO orders (order_id, amount) VALUES (1, 10.5);\n";
//! let out = rewrite(sql, &Options::for_dialect(Dialect::Postgres)).unwrap();
//! assert!(out.sql.contains(
//!     "VALUES (1, 10.5) ON CONFLICT (order_id) DO UPDATE SET amount = EXCLUDED.amount \
//!      WHERE orders.amount IS DISTINCT FROM EXCLUDED.amount;"
//! ));
//! // Rewriting the output again changes nothing.
//! assert_eq!(rewrite(&out.sql, &Options::default()).unwrap().sql, out.sql);
//! ```
//!
//! The library does no I/O: it reads no files, clock or environment, so it compiles to
//! WebAssembly unchanged. The CLI, the WASM package and the editor integrations are thin
//! adapters over [`rewrite`], [`check`] and [`fix`], all driven by one [`Options`] struct.

#![warn(clippy::too_many_lines)]

mod ast;
mod catalog;
mod diagnostic;
mod dialect;
mod engine;
mod error;
mod insert;
mod mask;
mod names;
mod parse;
mod plan;
#[cfg(feature = "python")]
mod python;
mod render;
mod rules;
mod settings;
mod text;
pub mod twice;

#[cfg(feature = "lsp")]
pub mod lsp;

#[cfg(feature = "wasm")]
mod wasm;

#[cfg(feature = "wasm-lsp")]
mod wasm_lsp;

pub use diagnostic::{Diagnostic, Fix, Severity};
pub use dialect::Dialect;
pub use error::Error;
pub use parse::{StatementKind, StatementSpan};
pub use rules::Rule;
pub use settings::config;
pub use settings::options::{Dedupe, Options, Strategy};
pub use text::edit::{Edit, Span, apply_edits};
pub use text::line_index::{Encoding, LineIndex, Position};

use engine::{Engine, Mode};
use mask::Masked;

/// The result of [`rewrite`] and [`fix`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Output {
    /// The input with the edits applied.
    pub sql: String,
    /// Why statements were left as they were, and what needs a look.
    pub diagnostics: Vec<Diagnostic>,
    /// The edits that turn the input into `sql`, in input byte offsets, sorted.
    pub edits: Vec<Edit>,
}

/// Rewrite every plain INSERT of `sql` into its idempotent form; leave every other byte as it is.
///
/// Statements that cannot be made safe are left unchanged, each with a diagnostic that says
/// why and how to fix it.
pub fn rewrite(sql: &str, options: &Options) -> Result<Output, Error> {
    let masked = Masked::new(sql, options.dialect);
    let engine = Engine::new(masked.text(), options)?;
    let mut edits = Vec::new();
    let mut diagnostics = Vec::new();
    engine.run(Mode::Rewrite, |item| {
        let item = masked.restore(item);
        edits.extend(item.edits);
        diagnostics.extend(item.diagnostics);
    });
    diagnostics.extend(masked.template_diagnostics(options));
    Ok(Output {
        sql: apply_edits(sql, &edits),
        diagnostics,
        edits,
    })
}

/// Rewrite `sql` and hand the output to `write` piece by piece, in order, without holding the
/// whole output or its edits: for very large inputs. Returns the diagnostics.
pub fn rewrite_streaming(
    sql: &str,
    options: &Options,
    mut write: impl FnMut(&str),
) -> Result<Vec<Diagnostic>, Error> {
    let masked = Masked::new(sql, options.dialect);
    let engine = Engine::new(masked.text(), options)?;
    let mut diagnostics = Vec::new();
    let mut splice = text::edit::Splice::new(sql);
    engine.run(Mode::Rewrite, |item| {
        let item = masked.restore(item);
        splice.apply(&item.edits, &mut write);
        diagnostics.extend(item.diagnostics);
    });
    diagnostics.extend(masked.template_diagnostics(options));
    splice.finish(write);
    Ok(diagnostics)
}

/// Report every write in `sql` that is not safe to rerun, each with its fix when one exists.
pub fn check(sql: &str, options: &Options) -> Result<Vec<Diagnostic>, Error> {
    let masked = Masked::new(sql, options.dialect);
    let engine = Engine::new(masked.text(), options)?;
    let mut diagnostics = Vec::new();
    engine.run(Mode::Check, |item| {
        diagnostics.extend(masked.restore(item).diagnostics);
    });
    diagnostics.extend(masked.template_diagnostics(options));
    Ok(diagnostics)
}

/// Apply every available fix (INSERT rewrites and the DDL guards); the diagnostics are those
/// that remain after fixing.
///
/// A script with a statement idemsql could not read is not fixed at all: the output is the
/// input, and each unread statement is reported as an error ("file not fixed"). A fix of the
/// statements around it could change what the unread one means, and a file that was fixed
/// only in part would pass as clean. Every adapter (the CLI's `--fix` and `--diff`, the
/// editor's fix-all, the WebAssembly `fix`) shares this guard.
pub fn fix(sql: &str, options: &Options) -> Result<Output, Error> {
    let found = check(sql, options)?;
    if found.iter().any(blocks_fix) {
        return Ok(Output {
            sql: sql.to_string(),
            diagnostics: mark_not_fixed(found),
            edits: Vec::new(),
        });
    }
    let edits = fix_edits(&found);
    let fixed = apply_edits(sql, &edits);
    let remaining = check(&fixed, options)?;
    Ok(Output {
        sql: fixed,
        diagnostics: remaining,
        edits,
    })
}

/// Every fix's edits of `found`, sorted, each once: what fixing the whole file applies.
fn fix_edits(found: &[Diagnostic]) -> Vec<Edit> {
    let mut edits: Vec<Edit> = found
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| f.edits.iter().cloned())
        .collect();
    edits.sort_by_key(|e| (e.start, e.end));
    edits.dedup();
    edits
}

/// The diagnostics of a file that was not fixed, those that stopped the fix marked so.
fn mark_not_fixed(found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    found
        .into_iter()
        .map(|mut d| {
            if blocks_fix(&d) {
                d.severity = Severity::Error;
                d.message.push_str(" (file not fixed)");
            }
            d
        })
        .collect()
}

/// Report every write in the SQL of a Python module that is not safe to rerun: the string
/// literals it passes to `execute`, `executemany`, `executescript`, `text`, `read_sql`,
/// `spark.sql`, `op.execute`, `exec_driver_sql`, Airflow operators' `sql=` (and the options'
/// `pythonCalls`), read as one script in file order. Positions are in the Python source.
/// A file that is not Python gives one IDEM022 error.
#[cfg(feature = "python")]
pub fn check_python(source: &str, options: &Options) -> Result<Vec<Diagnostic>, Error> {
    python::check(source, options)
}

/// Apply every available fix inside the SQL strings of a Python module, as [`fix`] does for
/// SQL: only inside plain string literals (never f-strings, concatenations or strings with
/// escapes), in the literal's own quotes, and only when the fixed module still parses.
#[cfg(feature = "python")]
pub fn fix_python(source: &str, options: &Options) -> Result<Output, Error> {
    python::fix(source, options)
}

/// A statement that was not read (not a client command, which is only for the client).
fn blocks_fix(d: &Diagnostic) -> bool {
    d.rule() == Some(Rule::UnparsedWrite)
        || (d.rule() == Some(Rule::UnparsedStatement) && d.severity >= Severity::Warning)
}

/// Where each statement of `sql` is, cut the way [`rewrite`] and [`check`] cut them: at
/// terminators, client commands (`GO`, psql `\` lines, `DELIMITER`), block ends, and between
/// the statements of a T-SQL batch written without `;`.
pub fn statements(sql: &str, dialect: Dialect) -> Vec<StatementSpan> {
    let masked = Masked::new(sql, dialect);
    parse::statements(masked.text(), dialect)
        .into_iter()
        .map(|s| masked.statement(s))
        .collect()
}

/// `sql` as idemsql's parser reads it: every driver parameter (`%s`, `?`, `:name`, ...) and
/// template construct (`{{ }}`, `{% %}`, `{# #}`, `${name}`) outside strings and comments
/// replaced by a placeholder every dialect's parser accepts (`$__idem_p0_`, `__idem_i1_`,
/// `/*__idem_c2_*/`). For seeing why a statement was read the way it was, and for validating
/// output with a parser that does not know the driver's parameter style.
pub fn parser_view(sql: &str, dialect: Dialect) -> String {
    Masked::new(sql, dialect).text().to_string()
}

/// A dialect and what it can write, for listings.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DialectInfo {
    pub name: &'static str,
    pub strategies: Vec<&'static str>,
}

/// Every dialect with its strategies.
pub fn dialects() -> Vec<DialectInfo> {
    Dialect::ALL
        .iter()
        .map(|d| DialectInfo {
            name: d.name(),
            strategies: d.strategies().iter().map(|s| s.name()).collect(),
        })
        .collect()
}

/// The crate's version.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
