//! Byte offsets to 1-based line and column, in the encodings editors use.
//!
//! The library keeps byte offsets everywhere. Columns are reported in characters (Unicode scalar
//! values), as rustc does; the WASM and LSP adapters ask for UTF-16 code units, which JavaScript
//! strings, Monaco, CodeMirror and VS Code count in.

use serde::Serialize;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (JavaScript, LSP's default).
    Utf16,
    /// Unicode scalar values (characters).
    Utf32,
}

/// Start offsets of every line of a text.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text.as_bytes()));
        LineIndex { text, starts }
    }

    /// The 0-based line holding `offset` and that line's start offset.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        };
        (line, self.starts[line])
    }

    /// Line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        self.position_in(offset, Encoding::Utf32)
    }

    /// Line and column of a byte offset, columns counted in `encoding`.
    pub fn position_in(&self, offset: usize, encoding: Encoding) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let (line, start) = self.line_of(offset);
        let prefix = &self.text[start..offset];
        let column = match encoding {
            Encoding::Utf8 => prefix.len(),
            Encoding::Utf16 => prefix.encode_utf16().count(),
            Encoding::Utf32 => prefix.chars().count(),
        };
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The offset of a byte position counted in `encoding` from the start of the text
    /// (for UTF-16: the index a JavaScript string would use).
    pub fn offset_in(&self, offset: usize, encoding: Encoding) -> usize {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let prefix = &self.text[..offset];
        match encoding {
            Encoding::Utf8 => offset,
            Encoding::Utf16 => prefix.encode_utf16().count(),
            Encoding::Utf32 => prefix.chars().count(),
        }
    }

    /// The byte offset of a 1-based line and column counted in `encoding`; clamps to the line's end.
    pub fn offset_of(&self, position: Position, encoding: Encoding) -> usize {
        let line = position.line.saturating_sub(1);
        let Some(&start) = self.starts.get(line) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let mut remaining = position.column.saturating_sub(1);
        for (i, c) in self.text[start..end].char_indices() {
            if remaining == 0 {
                return start + i;
            }
            let width = match encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
                Encoding::Utf32 => 1,
            };
            remaining = remaining.saturating_sub(width);
        }
        if remaining == 0 {
            end
        } else {
            end.min(self.text.len())
        }
    }

    /// The byte offset of an offset counted in `encoding` from the start of the text.
    pub fn offset_from(&self, units: usize, encoding: Encoding) -> usize {
        let mut remaining = units;
        for (i, c) in self.text.char_indices() {
            if remaining == 0 {
                return i;
            }
            let width = match encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
                Encoding::Utf32 => 1,
            };
            remaining = remaining.saturating_sub(width);
        }
        self.text.len()
    }

    /// The text of the 1-based `line`, without its line break.
    pub fn line_text(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
}

pub(crate) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_each_encoding() {
        let text = "ab\n😀é x\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(x), Position { line: 2, column: 4 });
        assert_eq!(
            idx.position_in(x, Encoding::Utf16),
            Position { line: 2, column: 5 }
        );
        assert_eq!(
            idx.position_in(x, Encoding::Utf8),
            Position { line: 2, column: 8 }
        );
        assert_eq!(
            idx.offset_of(Position { line: 2, column: 5 }, Encoding::Utf16),
            x
        );
        assert_eq!(idx.offset_in(x, Encoding::Utf16), 3 + 4);
        assert_eq!(idx.offset_from(7, Encoding::Utf16), x);
        assert_eq!(idx.line_text(2), "😀é x");
    }
}
