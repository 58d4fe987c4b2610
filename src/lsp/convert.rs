//! Conversions between the library's byte offsets and LSP positions, between its diagnostics
//! and LSP's, and between `file:` URIs and paths. Pure string work: nothing here touches the
//! file system.

use std::str::FromStr;

use lsp_types::{self as lsp, Position, Range};
use serde_json::json;

use super::SOURCE;
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::edit::Span;
use crate::text::line_index::{self, Encoding, LineIndex};

/// The LSP position (0-based line, 0-based column in `encoding` units) of a byte offset.
pub(crate) fn position(index: &LineIndex, offset: usize, encoding: Encoding) -> Position {
    let p = index.position_in(offset, encoding);
    Position {
        line: (p.line - 1) as u32,
        character: (p.column - 1) as u32,
    }
}

/// The LSP range of a byte span.
pub(crate) fn range(index: &LineIndex, span: Span, encoding: Encoding) -> Range {
    Range {
        start: position(index, span.start, encoding),
        end: position(index, span.end, encoding),
    }
}

/// The byte offset of an LSP position. A column past the end of its line means the line's
/// end (before the line break); a line past the end of the text means the text's end.
pub(crate) fn offset(index: &LineIndex, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize + 1;
    let start = index.offset_of(line_index::Position { line, column: 1 }, encoding);
    let line_end = start + index.line_text(line).len();
    let at = index.offset_of(
        line_index::Position {
            line,
            column: position.character as usize + 1,
        },
        encoding,
    );
    at.min(line_end.max(start))
}

/// The LSP form of a diagnostic: the help goes into the message (LSP has no field for it),
/// the rule's page into `codeDescription`, and whether it has a fix into `data`.
pub(crate) fn to_lsp(d: &Diagnostic, index: &LineIndex, encoding: Encoding) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    lsp::Diagnostic {
        range: range(index, d.span, encoding),
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: lsp::Uri::from_str(&d.url)
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: None,
        tags: None,
        data: Some(json!({"name": d.name, "fixable": d.fix.is_some()})),
    }
}

/// Do two ranges overlap or touch?
pub(crate) fn touches(a: &Range, b: &Range) -> bool {
    let key = |p: &Position| (p.line, p.character);
    key(&a.start) <= key(&b.end) && key(&b.start) <= key(&a.end)
}

/// The path of a `file:` URI, with `/` separators (`C:/x/y.sql` on Windows); `None` for
/// other schemes (`untitled:`, `inmemory:`).
pub(crate) fn uri_to_path(uri: &str) -> Option<String> {
    let rest = uri
        .strip_prefix("file://")
        .or_else(|| uri.strip_prefix("FILE://"))?;
    // `file:///path` has an empty authority; `file://host/share` is a UNC path.
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    let decoded = if authority.is_empty() || authority.eq_ignore_ascii_case("localhost") {
        decoded
    } else {
        format!("//{authority}{decoded}")
    };
    // `/C:/dir` is a Windows drive path.
    let b = decoded.as_bytes();
    if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
        return Some(decoded[1..].to_string());
    }
    Some(decoded)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Replace the bytes `start..end` of `text`, clamped to character boundaries.
pub(crate) fn splice(text: &mut String, start: usize, end: usize, with: &str) {
    let start = line_index::floor_char_boundary(text, start.min(text.len()));
    let end = line_index::floor_char_boundary(text, end.clamp(start, text.len()));
    text.replace_range(start..end, with);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris() {
        assert_eq!(
            uri_to_path("file:///home/a/b%20c.sql").as_deref(),
            Some("/home/a/b c.sql")
        );
        assert_eq!(
            uri_to_path("file:///c%3A/x/y.sql").as_deref(),
            Some("c:/x/y.sql")
        );
        assert_eq!(
            uri_to_path("file:///C:/x/y.sql").as_deref(),
            Some("C:/x/y.sql")
        );
        assert_eq!(
            uri_to_path("file://server/share/y.sql").as_deref(),
            Some("//server/share/y.sql")
        );
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
        assert_eq!(uri_to_path("file:///bad%zz"), None);
    }

    #[test]
    fn positions_round_trip_in_utf16_and_clamp() {
        let text = "ab\n😀é x\r\nlast";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        let p = position(&index, x, Encoding::Utf16);
        assert_eq!((p.line, p.character), (1, 4));
        assert_eq!(offset(&index, p, Encoding::Utf16), x);
        let p8 = position(&index, x, Encoding::Utf8);
        assert_eq!((p8.line, p8.character), (1, 7));
        // Past the end of line 1: its end, before "\r\n".
        let end = offset(
            &index,
            Position {
                line: 1,
                character: 99,
            },
            Encoding::Utf16,
        );
        assert_eq!(&text[end..end + 2], "\r\n");
        // Past the last line: the end of the text.
        assert_eq!(
            offset(
                &index,
                Position {
                    line: 9,
                    character: 0
                },
                Encoding::Utf16
            ),
            text.len()
        );
    }
}
