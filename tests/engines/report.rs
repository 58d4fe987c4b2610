//! What a failing case prints: the engine, the SQL that ran, and two table states side by side.

use std::fmt::Write as _;
use std::sync::Mutex;

use crate::db::Row;

/// Output of concurrent engine threads must not interleave within one failure report.
pub static PRINT: Mutex<()> = Mutex::new(());

pub fn print_block(text: &str) {
    let _guard = PRINT.lock().unwrap_or_else(|e| e.into_inner());
    println!("{text}");
}

/// At most `max` bytes of `s` (on a character boundary), with a note of what was cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{} ... [{} more bytes]", &s[..end], s.len() - end)
}

pub fn fmt_row(row: &Row) -> String {
    let vals: Vec<String> = row
        .iter()
        .map(|v| match v {
            None => "NULL".to_string(),
            // One line per row: control characters shown escaped.
            Some(s) => s
                .replace('\n', "\\n")
                .replace('\r', "\\r")
                .replace('\t', "\\t"),
        })
        .collect();
    format!("({})", vals.join(", "))
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// Two sorted table states side by side. Rows present on both sides are aligned; a row that
/// is only on one side is marked with `<` or `>`. Long tables show only the differing rows
/// (and a count of the equal ones).
pub fn side_by_side(left_title: &str, left: &[Row], right_title: &str, right: &[Row]) -> String {
    // Merge the two sorted lists.
    let mut lines: Vec<(char, Option<&Row>, Option<&Row>)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < left.len() || j < right.len() {
        match (left.get(i), right.get(j)) {
            (Some(a), Some(b)) if a == b => {
                lines.push((' ', Some(a), Some(b)));
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a < b => {
                lines.push(('<', Some(a), None));
                i += 1;
            }
            (Some(_), Some(b)) => {
                lines.push(('>', None, Some(b)));
                j += 1;
            }
            (Some(a), None) => {
                lines.push(('<', Some(a), None));
                i += 1;
            }
            (None, Some(b)) => {
                lines.push(('>', None, Some(b)));
                j += 1;
            }
            (None, None) => break,
        }
    }
    let equal = lines.iter().filter(|l| l.0 == ' ').count();
    let only_diff = lines.len() > 40;
    let shown: Vec<_> = lines
        .iter()
        .filter(|l| !only_diff || l.0 != ' ')
        .take(60)
        .collect();
    let cells: Vec<(char, String, String)> = shown
        .iter()
        .map(|(m, a, b)| {
            (
                *m,
                a.map(|r| clip(&fmt_row(r), 90)).unwrap_or_default(),
                b.map(|r| clip(&fmt_row(r), 90)).unwrap_or_default(),
            )
        })
        .collect();
    let w = cells
        .iter()
        .map(|c| width(&c.1))
        .chain([width(left_title)])
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "    {left_title:<w$} | {right_title}   ({} vs {} rows)",
        left.len(),
        right.len()
    );
    let _ = writeln!(out, "    {:-<w$}-+-{:-<20}", "", "");
    for (m, a, b) in &cells {
        // `{:<w$}` pads to `w` characters.
        let _ = writeln!(out, "  {m} {a:<w$} | {b}");
    }
    let hidden = lines.iter().filter(|l| !only_diff || l.0 != ' ').count() - shown.len();
    if only_diff {
        let _ = writeln!(out, "    ({equal} equal rows not shown)");
    }
    if hidden > 0 {
        let _ = writeln!(out, "    ({hidden} more differing rows not shown)");
    }
    out
}
