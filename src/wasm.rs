//! The WebAssembly adapter (feature `wasm`) behind the npm package in `pkg/`.
//!
//! Conversions only, no logic of its own:
//!
//! - options in: the JS object goes through `JSON.stringify` into the library's one [`Options`]
//!   struct (serde_json honours `deny_unknown_fields` and the field aliases; serde-wasm-bindgen
//!   silently ignores unknown fields). Errors name the field (`keys.orders: invalid type ...`)
//!   and are thrown as a JS `TypeError`.
//! - results out: serialized with serde_json and parsed with `JSON.parse` (one string crosses
//!   the boundary, which is the fastest way for a 1 MB rewrite), with every position converted
//!   from UTF-8 byte offsets to what JavaScript strings index: UTF-16 code units.
//!
//! The TypeScript declarations of this API are hand-written in `pkg/index.d.ts`.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::diagnostic::{Diagnostic, Severity};
use crate::text::edit::Edit;
use crate::text::line_index::{Encoding, LineIndex, floor_char_boundary};
use crate::{DialectInfo, Options};

/// Installs the panic hook when the module is instantiated.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        // A panic is a bug in idemsql. Built with panic = "abort", the instance would trap with
        // a bare "unreachable"; throwing a JS Error here carries the message out instead. The
        // instance is not usable after that: the JS wrapper (pkg/src/core.js) starts a fresh
        // one, so later calls still work.
        wasm_bindgen::throw_str(&format!("idemsql panicked: {info}"));
    }));
}

/// Panics on purpose: the package's tests use it to prove that a panic becomes a JS Error and
/// that the next call still answers. Not part of the public API (not re-exported by the package).
#[wasm_bindgen(js_name = __panicForTesting)]
pub fn panic_for_testing() {
    panic!("deliberate panic for testing");
}

/// Rewrite every plain INSERT of `sql` into its idempotent form: `{ sql, diagnostics, edits }`.
#[wasm_bindgen(js_name = rewrite)]
pub fn rewrite(sql: &str, options: JsValue) -> Result<JsValue, JsValue> {
    let options = read_options(&options)?;
    let out = crate::rewrite(sql, &options).map_err(|e| type_error(&e.to_string()))?;
    Ok(output_to_js(sql, &out))
}

/// Apply every available fix (INSERT rewrites and DDL guards): `{ sql, diagnostics, edits }`,
/// where the diagnostics are those that remain, positioned in the fixed text.
#[wasm_bindgen(js_name = fix)]
pub fn fix(sql: &str, options: JsValue) -> Result<JsValue, JsValue> {
    let options = read_options(&options)?;
    let out = crate::fix(sql, &options).map_err(|e| type_error(&e.to_string()))?;
    let mut positions = Utf16Positions::new(&out.sql);
    let diagnostics = diagnostics_to_js(&out.diagnostics, &mut positions);
    let mut input = Utf16Positions::new(sql);
    let edits = edits_to_js(&out.edits, &mut input);
    let diagnostics = positions.finish(diagnostics);
    let edits = input.finish(edits);
    Ok(to_js(&JsOutput {
        sql: &out.sql,
        diagnostics,
        edits,
    }))
}

/// Report every write in `sql` that is not safe to rerun: `Diagnostic[]`.
#[wasm_bindgen(js_name = check)]
pub fn check(sql: &str, options: JsValue) -> Result<JsValue, JsValue> {
    let options = read_options(&options)?;
    let found = crate::check(sql, &options).map_err(|e| type_error(&e.to_string()))?;
    let mut positions = Utf16Positions::new(sql);
    let diagnostics = diagnostics_to_js(&found, &mut positions);
    Ok(to_js(&positions.finish(diagnostics)))
}

/// Every dialect with the strategies it can write: `{ name, strategies }[]`.
#[wasm_bindgen(js_name = dialects)]
pub fn dialects() -> JsValue {
    let list: Vec<DialectInfo> = crate::dialects();
    to_js(&list)
}

/// The version of the idemsql crate inside this build.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    crate::version().to_string()
}

// ----- options in -----

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// `undefined` and `null` mean the defaults; anything else must be a plain object.
fn read_options(value: &JsValue) -> Result<Options, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options::default());
    }
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(type_error(
            "invalid options: expected an object such as { dialect: \"postgres\" }",
        ));
    }
    let json = js_sys::JSON::stringify(value).map_err(|e| {
        let why = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_default();
        type_error(&format!("invalid options: cannot be read as JSON: {why}"))
    })?;
    options_from_json(&String::from(json)).map_err(|m| type_error(&m))
}

/// Parse the options object, naming the field on error.
fn options_from_json(json: &str) -> Result<Options, String> {
    let options = Options::from_json_named(json)?;
    if !options.schema_files.is_empty() {
        return Err(
            "invalid option `schemaFiles`: the WebAssembly build reads no files; \
             pass the DDL text itself in `schema`"
                .to_string(),
        );
    }
    Ok(options)
}

// ----- results out -----

fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    // Serializing these plain structs cannot fail; JSON.parse of serde_json's output cannot either.
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    js_sys::JSON::parse(&json).unwrap_or(JsValue::NULL)
}

fn output_to_js(sql: &str, out: &crate::Output) -> JsValue {
    let mut positions = Utf16Positions::new(sql);
    let diagnostics = diagnostics_to_js(&out.diagnostics, &mut positions);
    let edits = edits_to_js(&out.edits, &mut positions);
    let (diagnostics, edits) = positions.finish((diagnostics, edits));
    to_js(&JsOutput {
        sql: &out.sql,
        diagnostics,
        edits,
    })
}

#[derive(Serialize)]
struct JsOutput<'a> {
    sql: &'a str,
    diagnostics: Vec<JsDiagnostic<'a>>,
    edits: Vec<JsEdit<'a>>,
}

/// A 1-based line and column, and the offset from the start of the text; columns and offsets
/// in UTF-16 code units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
struct JsPosition {
    line: usize,
    column: usize,
    offset: usize,
}

#[derive(Serialize)]
struct JsEdit<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct JsFix<'a> {
    message: &'a str,
    edits: Vec<JsEdit<'a>>,
}

#[derive(Serialize)]
struct JsDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    start: JsPosition,
    end: JsPosition,
    fix: Option<JsFix<'a>>,
    url: &'a str,
}

fn diagnostics_to_js<'a>(
    diagnostics: &'a [Diagnostic],
    positions: &mut Utf16Positions<'_>,
) -> Vec<JsDiagnostic<'a>> {
    diagnostics
        .iter()
        .map(|d| JsDiagnostic {
            code: d.code,
            name: d.name,
            severity: d.severity,
            message: &d.message,
            help: d.help.as_deref(),
            start: positions.request(d.span.start),
            end: positions.request(d.span.end),
            fix: d.fix.as_ref().map(|f| JsFix {
                message: &f.message,
                edits: edits_to_js(&f.edits, positions),
            }),
            url: &d.url,
        })
        .collect()
}

fn edits_to_js<'a>(edits: &'a [Edit], positions: &mut Utf16Positions<'_>) -> Vec<JsEdit<'a>> {
    edits
        .iter()
        .map(|e| JsEdit {
            start: positions.request(e.start).offset,
            end: positions.request(e.end).offset,
            text: &e.text,
        })
        .collect()
}

/// Converts many byte offsets of one text to UTF-16 positions in one pass over the text.
///
/// `LineIndex::offset_in` scans from the start of the text and `position_in` from the start of
/// the line on every call, so converting every diagnostic of a 1 MB input one by one is
/// quadratic. Instead, [`request`](Self::request) hands out placeholders (`offset` = the byte
/// offset) and [`finish`](Self::finish) converts all of them after one sorted scan. Lines come
/// from `LineIndex` in UTF-8 (a binary search); the UTF-16 column is the UTF-16 distance from
/// the line's start.
struct Utf16Positions<'t> {
    text: &'t str,
    index: LineIndex<'t>,
    /// Byte offsets whose UTF-16 offset is needed.
    wanted: Vec<usize>,
    /// Sorted byte offsets and their UTF-16 offsets, after `scan`.
    table: Vec<(usize, usize)>,
}

impl<'t> Utf16Positions<'t> {
    fn new(text: &'t str) -> Self {
        Utf16Positions {
            text,
            index: LineIndex::new(text),
            wanted: Vec::new(),
            table: Vec::new(),
        }
    }

    /// A placeholder position for the byte offset `offset`, converted by `finish`.
    fn request(&mut self, offset: usize) -> JsPosition {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let p = self.index.position_in(offset, Encoding::Utf8);
        let line_start = offset - (p.column - 1);
        self.wanted.push(offset);
        self.wanted.push(line_start);
        JsPosition {
            line: p.line,
            column: line_start,
            offset,
        }
    }

    /// Replace every placeholder in `value` by the real UTF-16 position.
    fn finish<T: Placeholders>(&mut self, mut value: T) -> T {
        self.scan();
        value.resolve(self);
        value
    }

    fn scan(&mut self) {
        let mut wanted = std::mem::take(&mut self.wanted);
        wanted.sort_unstable();
        wanted.dedup();
        let bytes = self.text.as_bytes();
        let mut units = 0;
        let mut pos = 0;
        self.table = wanted
            .into_iter()
            .map(|b| {
                units += utf16_len(&bytes[pos..b]);
                pos = b;
                (b, units)
            })
            .collect();
    }

    fn units(&self, byte: usize) -> usize {
        match self.table.binary_search_by_key(&byte, |&(b, _)| b) {
            Ok(i) => self.table[i].1,
            // Not requested: count it (never happens; kept correct rather than fast).
            Err(_) => utf16_len(&self.text.as_bytes()[..byte]),
        }
    }

    fn resolve_position(&self, p: &mut JsPosition) {
        let offset = self.units(p.offset);
        let line_start = self.units(p.column);
        p.column = offset - line_start + 1;
        p.offset = offset;
    }

    fn resolve_offset(&self, byte: &mut usize) {
        *byte = self.units(*byte);
    }
}

/// UTF-16 code units of a UTF-8 byte slice that starts and ends on character boundaries:
/// one per character, two for characters of four bytes.
fn utf16_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
        .sum()
}

/// Values holding placeholder positions from [`Utf16Positions::request`].
trait Placeholders {
    fn resolve(&mut self, positions: &Utf16Positions<'_>);
}

impl Placeholders for Vec<JsDiagnostic<'_>> {
    fn resolve(&mut self, positions: &Utf16Positions<'_>) {
        for d in self {
            positions.resolve_position(&mut d.start);
            positions.resolve_position(&mut d.end);
            if let Some(f) = &mut d.fix {
                f.edits.resolve(positions);
            }
        }
    }
}

impl Placeholders for Vec<JsEdit<'_>> {
    fn resolve(&mut self, positions: &Utf16Positions<'_>) {
        for e in self {
            positions.resolve_offset(&mut e.start);
            positions.resolve_offset(&mut e.end);
        }
    }
}

impl<A: Placeholders, B: Placeholders> Placeholders for (A, B) {
    fn resolve(&mut self, positions: &Utf16Positions<'_>) {
        self.0.resolve(positions);
        self.1.resolve(positions);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn convert(text: &str, offsets: &[usize]) -> Vec<JsPosition> {
        struct Ps(Vec<JsPosition>);
        impl Placeholders for Ps {
            fn resolve(&mut self, positions: &Utf16Positions<'_>) {
                for p in &mut self.0 {
                    positions.resolve_position(p);
                }
            }
        }
        let mut positions = Utf16Positions::new(text);
        let ps = Ps(offsets.iter().map(|&o| positions.request(o)).collect());
        positions.finish(ps).0
    }

    fn expected(text: &str, offset: usize) -> JsPosition {
        let index = LineIndex::new(text);
        let p = index.position_in(offset, Encoding::Utf16);
        JsPosition {
            line: p.line,
            column: p.column,
            offset: index.offset_in(offset, Encoding::Utf16),
        }
    }

    #[test]
    fn positions_after_emoji_and_accents() {
        let text = "-- héllo 😀\nINSERT INTO t VALUES ('é😀');\n";
        let insert = text.find("INSERT").unwrap();
        let quote = text.find("'é").unwrap() + 1;
        let got = convert(text, &[insert, quote, text.len(), 0]);
        assert_eq!(
            got[0],
            JsPosition {
                line: 2,
                column: 1,
                offset: 12
            }
        );
        // "INSERT INTO t VALUES ('" is 23 UTF-16 units.
        assert_eq!(
            got[1],
            JsPosition {
                line: 2,
                column: 24,
                offset: 12 + 23
            }
        );
        let js_len = text.encode_utf16().count();
        assert_eq!(got[2].offset, js_len);
        assert_eq!(
            got[3],
            JsPosition {
                line: 1,
                column: 1,
                offset: 0
            }
        );
    }

    proptest! {
        #[test]
        fn batch_conversion_matches_line_index(
            text in "(\\PC|\n|😀|é|\r\n){0,60}",
            picks in proptest::collection::vec(0usize..400, 0..12),
        ) {
            let offsets: Vec<usize> = picks.iter().map(|p| p % (text.len() + 3)).collect();
            let got = convert(&text, &offsets);
            for (o, g) in offsets.iter().zip(&got) {
                prop_assert_eq!(*g, expected(&text, *o), "offset {} of {:?}", o, text);
            }
        }
    }

    #[test]
    fn option_errors_name_the_field() {
        let err = options_from_json(r#"{"dialekt":"duckdb"}"#).unwrap_err();
        assert!(err.contains("unknown field `dialekt`"), "{err}");
        assert!(!err.contains("line 1"), "{err}");
        let err = options_from_json(r#"{"keys":{"orders":"order_id"}}"#).unwrap_err();
        assert!(err.starts_with("invalid option `keys.orders`:"), "{err}");
        let err = options_from_json(r#"{"dialect":"postgress"}"#).unwrap_err();
        assert!(err.starts_with("invalid option `dialect`:"), "{err}");
        let err = options_from_json(r#"{"schemaFiles":["a.sql"]}"#).unwrap_err();
        assert!(err.contains("`schemaFiles`"), "{err}");
        let ok = options_from_json(r#"{"dialect":"mysql","nullSafe":true,"dedupe":null}"#).unwrap();
        assert_eq!(ok.dialect, crate::Dialect::Mysql);
        assert!(ok.null_safe);
    }
}
