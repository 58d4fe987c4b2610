//! Conversions between the library's byte offsets and LSP positions, and between `file:` URIs
//! and paths. Pure string work: nothing here touches the file system.

use lsp_types::{Position, Range};

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

/// Do two ranges overlap or touch?
pub(crate) fn touches(a: &Range, b: &Range) -> bool {
    let key = |p: &Position| (p.line, p.character);
    key(&a.start) <= key(&b.end) && key(&b.start) <= key(&a.end)
}

/// The path of a `file:` URI, with `/` separators (`C:/x/y.sql` on Windows); `None` for
/// other schemes (`untitled:`, `inmemory:`).
pub fn uri_to_path(uri: &str) -> Option<String> {
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

/// The directory holding `path`, or `None` at the root.
pub(crate) fn parent_dir(path: &str) -> Option<&str> {
    let trimmed = path.trim_end_matches('/');
    let i = trimmed.rfind('/')?;
    Some(if i == 0 { "/" } else { &trimmed[..i] })
}

/// Is `path` absolute (`/x`, `C:/x`, `C:\x`, `\\host\x`)?
pub(crate) fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (b.len() >= 3
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'/' | b'\\'))
}

/// `name` inside `dir` (or `name` itself when it is absolute).
pub(crate) fn join(dir: &str, name: &str) -> String {
    if is_absolute(name) {
        name.to_string()
    } else if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Does `path` lie inside the directory `dir`?
pub(crate) fn is_inside(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
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
    fn paths() {
        assert_eq!(parent_dir("/a/b/c.sql"), Some("/a/b"));
        assert_eq!(parent_dir("/a"), Some("/"));
        assert_eq!(parent_dir("/"), None);
        assert_eq!(parent_dir("C:/a/b.sql"), Some("C:/a"));
        assert_eq!(join("/", "idemsql.toml"), "/idemsql.toml");
        assert_eq!(join("/a", "s/ddl.sql"), "/a/s/ddl.sql");
        assert_eq!(join("/a", "/etc/ddl.sql"), "/etc/ddl.sql");
        assert!(is_inside("/a/b/c.sql", "/a/b"));
        assert!(is_inside("/a/b/c.sql", "/a/b/"));
        assert!(!is_inside("/a/bc/c.sql", "/a/b"));
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
