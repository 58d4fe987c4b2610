//! A rewrite must take the statement's driver parameters as the caller passes them.
//!
//! A caller binds `?` and `%s` by position: `cursor.execute(sql, (order_id, amount))`. A form
//! that names a value twice (the key in `WHERE NOT EXISTS (... WHERE id = ?)`, the partition
//! in `DELETE ... WHERE d = ?` before the insert) or moves it would need another tuple, and
//! the caller would bind the wrong values without an error. Named and numbered parameters
//! (`:id`, `%(id)s`, `$1`, `?1`) may repeat: each names its value. And a driver runs one
//! statement per parameterized call, so a form of several statements (`BEGIN; DELETE ...;
//! INSERT ...; COMMIT;`) does not fit a statement with driver parameters of any style.
//! Template values (`{{ ds }}`) are rendered into the text before it runs and may repeat.
//!
//! For each set of edits, the positional placeholders in the text they replace are compared,
//! by identity, with those in the text they leave: the same ones, in the same order. Numbering
//! `?` (SQLite's `?1`, DuckDB's `$1`) would let a form name a value twice, but every form that
//! does so in those dialects is several statements, which no numbering makes fit.

use super::scan::Role;
use super::{Mark, Masked};
use crate::engine::Item;
use crate::rules::Finding;
use crate::rules::rewrite_breaks_parameters as rule;
use crate::text::edit::{Edit, apply_in};
use crate::text::lexer::{Kind, Lexer};

/// Why a set of edits does not fit the statement's parameters.
enum Misfit {
    /// This positional parameter is repeated, moved or dropped.
    Positional(Mark),
    /// The edits make several statements of a statement with driver parameters.
    SeveralStatements,
}

/// `item` with each rewrite that does not fit the statement's parameters withdrawn, and a
/// finding (in original offsets) for each.
pub(super) fn guard(m: &Masked, mut item: Item) -> (Item, Vec<Finding>) {
    let mut findings = Vec::new();
    let inside: Vec<Mark> = m
        .marks
        .iter()
        .filter(|mk| mk.masked.0 >= item.statement.start && mk.masked.1 <= item.statement.end)
        .copied()
        .collect();
    if !inside.iter().any(|mk| m.entries[mk.id].driver) {
        return (item, findings);
    }
    let statement = m.span(item.statement);
    let mut fits = |edits: &[Edit]| -> bool {
        let Some(misfit) = misfit(m, edits) else {
            return true;
        };
        let f = match misfit {
            Misfit::Positional(mark) => {
                let (s, e) = mark.original;
                rule::positional(s, e, &m.original[s..e])
            }
            Misfit::SeveralStatements => rule::several_statements(statement.start, statement.end),
        };
        if !findings.contains(&f) {
            findings.push(f);
        }
        false
    };
    if !fits(&item.edits) {
        item.edits.clear();
    }
    for d in &mut item.diagnostics {
        if let Some(fix) = &d.fix
            && !fits(&fix.edits)
        {
            d.fix = None;
        }
    }
    (item, findings)
}

/// How `edits` do not fit the parameters of the text they change, if they do not.
fn misfit(m: &Masked, edits: &[Edit]) -> Option<Misfit> {
    let start = edits.iter().map(|e| e.start).min()?;
    let end = edits.iter().map(|e| e.end).max()?;
    let region = m.text.get(start..end)?;
    let rewritten = apply_in(&m.text, start, end, edits)?;
    if terminators(m, &rewritten) > terminators(m, region) {
        return Some(Misfit::SeveralStatements);
    }
    let before = positional_ids(m, region);
    let after = positional_ids(m, &rewritten);
    if before == after {
        return None;
    }
    let k = before
        .iter()
        .zip(&after)
        .position(|(a, b)| a != b)
        .unwrap_or(before.len().min(after.len()));
    let id = after.get(k).or(before.get(k))?;
    let mark = m.marks.iter().find(|mk| mk.id == *id).copied()?;
    Some(Misfit::Positional(mark))
}

/// The `;` of `text` outside strings and comments.
fn terminators(m: &Masked, text: &str) -> usize {
    Lexer::new(text, m.lex)
        .filter(|t| t.kind == Kind::Punct && t.is_punct(text, ';'))
        .count()
}

/// The entry ids of the positional placeholders in `text`, in order.
fn positional_ids(m: &Masked, text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(m.marker.as_str()) {
        let at = from + i;
        from = at + m.marker.len();
        if let Some((id, start)) = m.placeholder_at(text, at)
            && m.entries[id].role == Role::Positional
        {
            out.push(id);
            from = start + m.entries[id].placeholder.len();
        }
    }
    out
}
