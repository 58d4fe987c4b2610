//! Byte ranges of the input and the edits that replace them.
//!
//! Every stage keeps byte offsets into the input; edits are applied by plain splicing, in one
//! place ([`Splice`]), whether the output is built in memory ([`apply_edits`]) or streamed
//! ([`crate::rewrite_streaming`]).

use serde::Serialize;

/// A byte range `start..end` in the input text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// Replace the bytes `start..end` of the input with `text`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Edit {
    /// Insert `text` at byte `at`.
    pub(crate) fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit {
            start: at,
            end: at,
            text: text.into(),
        }
    }

    /// Replace the bytes of `span` with `text`.
    pub(crate) fn replace(span: Span, text: impl Into<String>) -> Self {
        Edit {
            start: span.start,
            end: span.end,
            text: text.into(),
        }
    }
}

/// Applies sorted edits to a text from left to right, handing out the pieces of the result.
///
/// An edit that overlaps the one before it, runs backwards, or does not fall on character
/// boundaries inside the text is skipped: the output is always valid UTF-8 made of the input's
/// bytes and the edits' texts.
pub(crate) struct Splice<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Splice<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Splice { text, pos: 0 }
    }

    /// Apply `edits` (in any order) that come after the ones applied so far.
    pub(crate) fn apply<'e>(&mut self, edits: &'e [Edit], mut write: impl FnMut(&str)) {
        let mut sorted: Vec<&'e Edit> = edits.iter().collect();
        sorted.sort_by_key(|e| (e.start, e.end));
        for e in sorted {
            if e.start < self.pos
                || e.end < e.start
                || e.end > self.text.len()
                || !self.text.is_char_boundary(e.start)
                || !self.text.is_char_boundary(e.end)
            {
                continue;
            }
            write(&self.text[self.pos..e.start]);
            write(&e.text);
            self.pos = e.end;
        }
    }

    /// Hand out the rest of the text.
    pub(crate) fn finish(self, mut write: impl FnMut(&str)) {
        write(&self.text[self.pos..]);
    }
}

/// Apply edits to `text`. Edits must not overlap; they may come in any order.
/// The region `start..end` of `text` with `edits` applied; the edits' offsets are in `text`
/// and must lie inside the region. For showing or comparing one statement's rewrite.
pub(crate) fn apply_in(text: &str, start: usize, end: usize, edits: &[Edit]) -> Option<String> {
    let region = text.get(start..end)?;
    let shifted: Vec<Edit> = edits
        .iter()
        .map(|e| Edit {
            start: e.start - start,
            end: e.end - start,
            text: e.text.clone(),
        })
        .collect();
    Some(apply_edits(region, &shifted))
}

/// Edits whose range does not fall on character boundaries inside `text` are skipped.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let extra: usize = edits.iter().map(|e| e.text.len()).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut splice = Splice::new(text);
    splice.apply(edits, |s| out.push_str(s));
    splice.finish(|s| out.push_str(s));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_what_cannot_be_spliced() {
        let text = "aé b";
        let edits = [
            Edit::insert(0, "<"),
            // Inside `é`: skipped.
            Edit::replace(Span::new(2, 3), "x"),
            Edit::replace(Span::new(4, 5), "B"),
            // Overlaps the previous edit: skipped.
            Edit::replace(Span::new(4, 5), "C"),
            // Past the end: skipped.
            Edit::insert(9, "!"),
        ];
        assert_eq!(apply_edits(text, &edits), "<aé B");
    }
}
