//! `idemsql._native`: the Python adapter over the idemsql library (PyO3).
//!
//! Conversions only, as in the WebAssembly adapter (`src/wasm.rs`):
//!
//! - options in: the Python wrapper (`idemsql/__init__.py`) checks the option names and sends
//!   the options as one JSON object (the shape of `idemsql.toml`, in camelCase) into the
//!   library's one [`Options`] struct; an unusable value raises `ValueError` naming the field
//!   in the Python spelling (`default_key`, not `defaultKey`).
//! - results out: one JSON string, which the wrapper turns into frozen dataclasses. Positions
//!   are in characters (what Python's `str` indexes), not UTF-8 bytes.
//!
//! The work runs without the GIL, so other Python threads go on during a large rewrite.

use idemsql::{Diagnostic, Edit, Options};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde::Serialize;

/// Rewrite every plain INSERT: JSON `{sql, diagnostics, edits}`.
#[pyfunction]
fn rewrite(py: Python<'_>, sql: &str, options: &str) -> PyResult<String> {
    let options = read_options(options)?;
    let out = py
        .detach(|| idemsql::rewrite(sql, &options))
        .map_err(value_error)?;
    Ok(output_json(sql, &out, Positioned::Input))
}

/// Apply every available fix: JSON `{sql, diagnostics, edits}`, the diagnostics those that
/// remain, positioned in the fixed text.
#[pyfunction]
fn fix(py: Python<'_>, sql: &str, options: &str) -> PyResult<String> {
    let options = read_options(options)?;
    let out = py
        .detach(|| idemsql::fix(sql, &options))
        .map_err(value_error)?;
    Ok(output_json(sql, &out, Positioned::Output))
}

/// Report every write that is not safe to rerun: JSON `[diagnostic, ...]`.
#[pyfunction]
fn check(py: Python<'_>, sql: &str, options: &str) -> PyResult<String> {
    let options = read_options(options)?;
    let found = py
        .detach(|| idemsql::check(sql, &options))
        .map_err(value_error)?;
    Ok(diagnostics_json(sql, &found))
}

/// [`check`] for the SQL strings of a Python module.
#[pyfunction]
fn check_python(py: Python<'_>, source: &str, options: &str) -> PyResult<String> {
    let options = read_options(options)?;
    let found = py
        .detach(|| idemsql::check_python(source, &options))
        .map_err(value_error)?;
    Ok(diagnostics_json(source, &found))
}

/// [`fix`] for the SQL strings of a Python module.
#[pyfunction]
fn fix_python(py: Python<'_>, source: &str, options: &str) -> PyResult<String> {
    let options = read_options(options)?;
    let out = py
        .detach(|| idemsql::fix_python(source, &options))
        .map_err(value_error)?;
    Ok(output_json(source, &out, Positioned::Output))
}

/// The options of an `idemsql.toml` text (`pyproject = false`) or of a `pyproject.toml`'s
/// `[tool.idemsql]` table, as a JSON object; `None` for a pyproject.toml without the table.
#[pyfunction]
fn config_options(text: &str, pyproject: bool) -> PyResult<Option<String>> {
    let options = if pyproject {
        Options::from_pyproject(text).map_err(value_error)?
    } else {
        Some(Options::from_toml(text).map_err(value_error)?)
    };
    Ok(options.map(|o| to_json(&o)))
}

/// Every dialect with the strategies it can write: JSON `[{name, strategies}, ...]`.
#[pyfunction]
fn dialects() -> String {
    to_json(&idemsql::dialects())
}

/// The version of the idemsql crate inside this build.
#[pyfunction]
fn version() -> &'static str {
    idemsql::version()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rewrite, m)?)?;
    m.add_function(wrap_pyfunction!(fix, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(check_python, m)?)?;
    m.add_function(wrap_pyfunction!(fix_python, m)?)?;
    m.add_function(wrap_pyfunction!(config_options, m)?)?;
    m.add_function(wrap_pyfunction!(dialects, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}

// ----- options in -----

/// The options of `idemsql.toml` whose Python (and TOML) spelling differs from the JSON one.
const SNAKE_CASE: &[(&str, &str)] = &[
    ("defaultKey", "default_key"),
    ("partitionValues", "partition_values"),
    ("schemaFiles", "schema_files"),
    ("nullSafe", "null_safe"),
    ("pythonCalls", "python_calls"),
];

/// Python names its options as `idemsql.toml` does.
fn python_spelling(message: &str) -> String {
    SNAKE_CASE
        .iter()
        .fold(message.to_string(), |m, (camel, snake)| {
            m.replace(camel, snake)
        })
}

fn value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(python_spelling(&e.to_string()))
}

/// Parse the options object, naming the field on error; then the checks serde cannot make.
fn read_options(json: &str) -> PyResult<Options> {
    let options = Options::from_json_named(json).map_err(value_error)?;
    options.validate().map_err(value_error)?;
    Ok(options)
}

// ----- results out -----

fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    // Serializing these plain structs cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

/// Which text an output's diagnostics are positioned in: `rewrite` reports on the input, `fix`
/// on what remains in the fixed text.
#[derive(Clone, Copy)]
enum Positioned {
    Input,
    Output,
}

#[derive(Serialize)]
struct PyOutput<'a> {
    sql: &'a str,
    diagnostics: Vec<PyDiagnostic<'a>>,
    edits: Vec<PyEdit<'a>>,
}

#[derive(Serialize)]
struct PyDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    start: usize,
    end: usize,
    fix: Option<PyFix<'a>>,
    url: &'a str,
}

#[derive(Serialize)]
struct PyFix<'a> {
    message: &'a str,
    edits: Vec<PyEdit<'a>>,
}

#[derive(Serialize)]
struct PyEdit<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

fn output_json(input: &str, out: &idemsql::Output, positioned: Positioned) -> String {
    let diagnostics_text = match positioned {
        Positioned::Input => input,
        Positioned::Output => &out.sql,
    };
    to_json(&PyOutput {
        sql: &out.sql,
        diagnostics: py_diagnostics(diagnostics_text, &out.diagnostics),
        edits: py_edits(
            &CharOffsets::new(input, edit_offsets(&out.edits)),
            &out.edits,
        ),
    })
}

fn diagnostics_json(text: &str, found: &[Diagnostic]) -> String {
    to_json(&py_diagnostics(text, found))
}

fn py_diagnostics<'a>(text: &str, found: &'a [Diagnostic]) -> Vec<PyDiagnostic<'a>> {
    let offsets = found.iter().flat_map(|d| {
        let fix = d.fix.iter().flat_map(|f| edit_offsets(&f.edits));
        [d.span.start, d.span.end].into_iter().chain(fix)
    });
    let chars = CharOffsets::new(text, offsets.collect());
    found
        .iter()
        .map(|d| PyDiagnostic {
            code: d.code,
            name: d.name,
            severity: d.severity.as_str(),
            message: &d.message,
            help: d.help.as_deref(),
            line: d.start.line,
            column: d.start.column,
            end_line: d.end.line,
            end_column: d.end.column,
            start: chars.get(d.span.start),
            end: chars.get(d.span.end),
            fix: d.fix.as_ref().map(|f| PyFix {
                message: &f.message,
                edits: py_edits(&chars, &f.edits),
            }),
            url: &d.url,
        })
        .collect()
}

fn py_edits<'a>(chars: &CharOffsets, edits: &'a [Edit]) -> Vec<PyEdit<'a>> {
    edits
        .iter()
        .map(|e| PyEdit {
            start: chars.get(e.start),
            end: chars.get(e.end),
            text: &e.text,
        })
        .collect()
}

fn edit_offsets(edits: &[Edit]) -> Vec<usize> {
    edits.iter().flat_map(|e| [e.start, e.end]).collect()
}

/// Byte offsets of one text turned into character offsets in a single pass over the text, so
/// that a multi-megabyte input with thousands of diagnostics costs one scan, not one per offset.
struct CharOffsets {
    /// Sorted byte offsets and the character offset of each.
    table: Vec<(usize, usize)>,
}

impl CharOffsets {
    fn new(text: &str, mut bytes: Vec<usize>) -> Self {
        bytes.sort_unstable();
        bytes.dedup();
        let mut table = Vec::with_capacity(bytes.len());
        let (mut byte, mut chars) = (0, 0);
        for offset in bytes {
            let offset = offset.min(text.len());
            // Count whole characters up to the offset (an offset inside a character counts
            // from its start, which never happens for the library's spans).
            let slice = text.get(byte..offset).unwrap_or_default();
            chars += slice.chars().count();
            byte = byte.max(offset);
            table.push((offset, chars));
        }
        CharOffsets { table }
    }

    fn get(&self, byte: usize) -> usize {
        match self.table.binary_search_by_key(&byte, |&(b, _)| b) {
            Ok(i) => self.table[i].1,
            // Only offsets given to `new` are asked for; past the text's end clamps.
            Err(i) => i.checked_sub(1).map_or(0, |i| self.table[i].1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_characters_not_bytes() {
        let text = "é€😀x";
        let chars = CharOffsets::new(text, vec![0, 2, 5, 9, 10, 10]);
        assert_eq!(
            [0, 2, 5, 9, 10].map(|b| chars.get(b)),
            [0, 1, 2, 3, 4],
            "é is 2 bytes, € 3, 😀 4"
        );
    }

    #[test]
    fn python_spelling_of_option_names() {
        assert_eq!(
            python_spelling("invalid `defaultKey`: lists no columns"),
            "invalid `default_key`: lists no columns"
        );
    }
}
