//! What an LSP client does with the server's answers, written independently of the server:
//! turning positions into byte offsets and applying text edits.
#![allow(dead_code)]

use serde_json::Value;

/// How positions count columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Units {
    Utf8,
    Utf16,
}

/// The byte offset of an LSP position in `text`.
pub fn offset(text: &str, position: &Value, units: Units) -> usize {
    let line = position["line"].as_u64().expect("line") as usize;
    let character = position["character"].as_u64().expect("character") as usize;
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..];
    let line_text = &line_text[..line_text.find('\n').unwrap_or(line_text.len())];
    let mut counted = 0;
    for (i, c) in line_text.char_indices() {
        if counted >= character {
            return start + i;
        }
        counted += match units {
            Units::Utf8 => c.len_utf8(),
            Units::Utf16 => c.len_utf16(),
        };
    }
    start + line_text.len()
}

/// Apply LSP `TextEdit`s (non-overlapping, all against the same text).
pub fn apply_text_edits(text: &str, edits: &[Value], units: Units) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"], units),
                offset(text, &e["range"]["end"], units),
                e["newText"].as_str().expect("newText").to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse((s.0, s.1)));
    let mut out = text.to_string();
    for (start, end, new_text) in spans {
        out.replace_range(start..end, &new_text);
    }
    out
}

/// The text edits a `WorkspaceEdit` makes to `uri` (`changes` or `documentChanges`).
pub fn edits_for(workspace_edit: &Value, uri: &str) -> Vec<Value> {
    if let Some(changes) = workspace_edit.get("changes") {
        return changes[uri].as_array().cloned().unwrap_or_default();
    }
    workspace_edit["documentChanges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["textDocument"]["uri"] == uri)
        .flat_map(|c| c["edits"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// Apply a `WorkspaceEdit` to the text of `uri`.
pub fn apply_workspace_edit(text: &str, workspace_edit: &Value, uri: &str, units: Units) -> String {
    apply_text_edits(text, &edits_for(workspace_edit, uri), units)
}

/// A `file:` URI for a path (percent-encoding what needs it).
pub fn file_uri(path: &std::path::Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
