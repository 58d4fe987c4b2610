//! The INSERT path: already idempotent statements are left alone; the others are modelled,
//! planned and rendered, and in check mode reported as `IDEM001` with the rewrite as fix.

use sqlparser::ast::{Insert, TableObject};

use super::state::State;
use super::statement::Current;
use super::{Engine, Mode, Out};
use crate::insert::{InsertModel, ModelError, already, cover};
use crate::names::{Name, object_parts};
use crate::plan::Ctx;
use crate::render::Rewrite;
use crate::rules::{Finding, non_idempotent_insert, unsupported_form};
use crate::text::edit::{Edit, Span};
use crate::text::lexer::{Lexer, is_version_marker};

impl Engine<'_> {
    /// Handle the INSERT `found` (and whether a WITH clause precedes it).
    pub(super) fn insert(
        &self,
        mode: Mode,
        current: &Current,
        found: (&Insert, bool),
        state: &State,
        out: &mut Out,
    ) {
        let (insert, with_prefix) = found;
        let folding = self.caps.names.folding;
        let table = match &insert.table {
            TableObject::TableName(n) => object_parts(n),
            _ => Vec::new(),
        };
        if already::reason(insert, &table, folding).is_some() {
            return;
        }
        let span = current.span();
        let model =
            match InsertModel::new(current.code, span.start, insert, with_prefix, current.toks) {
                Ok(m) => m,
                Err(ModelError::Unsupported(what)) => {
                    if mode == Mode::Check {
                        out.findings.push(non_idempotent_insert::finding(
                            span,
                            &insert.table.to_string(),
                            None,
                        ));
                    }
                    out.findings
                        .push(unsupported_form::not_rewritten(span, &what));
                    return;
                }
            };
        if cover::covered(&state.covers, &model, &self.columns(&model), folding) {
            return;
        }
        let ctx = Ctx {
            dialect: self.dialect,
            caps: self.caps,
            options: self.options,
            catalog: &self.prepared.catalog,
            directives: current.directives,
            lex: self.caps.lex,
            indent: self.indent_at(span.start),
            terminated: current.chunk.terminator.is_some(),
            in_transaction: state.in_transaction,
        };
        let (mut rewrite, mut findings) = rewrite(&ctx, &model);
        if rewrite
            .as_ref()
            .is_some_and(|r| self.cuts_version_comment(current, &r.edits))
        {
            rewrite = None;
            findings = vec![unsupported_form::cuts_version_comment(span)];
        }
        match mode {
            Mode::Rewrite => out.edits.extend(rewrite.into_iter().flat_map(|r| r.edits)),
            Mode::Check => out.findings.push(non_idempotent_insert::finding(
                span,
                model.table_text(),
                rewrite.map(|r| (r.title, r.edits)),
            )),
        }
        out.findings.extend(findings);
    }

    /// Would `edits` cut a MySQL version comment around or inside the statement: replace a
    /// range holding its opener or closer, or insert statements (`;`) inside it?
    fn cuts_version_comment(&self, current: &Current, edits: &[Edit]) -> bool {
        let lex = self.caps.lex;
        let from = current.chunk.leading.start;
        let text = &self.src[from..current.chunk.span.end];
        if lex.version_comments.is_none() || !(text.contains("/*!") || text.contains("/*M!")) {
            return false;
        }
        let markers: Vec<Span> = Lexer::new(text, lex)
            .filter(|t| is_version_marker(t, text))
            .map(|t| Span::new(from + t.start, from + t.end))
            .collect();
        let inside = |at: usize| {
            markers
                .iter()
                .rfind(|m| m.end <= at)
                .is_some_and(|m| self.src[m.start..m.end] != *"*/")
        };
        edits.iter().any(|e| {
            let replaces =
                e.start < e.end && markers.iter().any(|m| m.start < e.end && e.start < m.end);
            replaces || (e.text.contains(';') && inside(e.start))
        })
    }

    /// The inserted columns: the statement's list, else the table's from the catalog.
    fn columns(&self, model: &InsertModel) -> Vec<Name> {
        if model.columns.is_empty() {
            self.prepared
                .catalog
                .lookup_at(&model.table, model.span().start)
                .map(|t| t.columns.iter().map(|c| c.name.clone()).collect())
                .unwrap_or_default()
        } else {
            model.columns.iter().map(|c| c.name.clone()).collect()
        }
    }

    /// The whitespace before `pos` on its line.
    fn indent_at(&self, pos: usize) -> &str {
        let line_start = self.src[..pos].rfind('\n').map_or(0, |i| i + 1);
        let prefix = &self.src[line_start..pos];
        if prefix.chars().all(char::is_whitespace) {
            prefix
        } else {
            ""
        }
    }
}

/// Plan and render one INSERT: the rewrite with the plan's notes, or the refusal.
fn rewrite(ctx: &Ctx, model: &InsertModel) -> (Option<Rewrite>, Vec<Finding>) {
    let plan = match crate::plan::plan(ctx, model) {
        Ok(p) => p,
        Err(refusal) => return (None, vec![*refusal]),
    };
    match crate::render::render(ctx, model, &plan) {
        Ok(rewrite) => (Some(rewrite), plan.notes),
        Err(refusal) => (None, vec![*refusal]),
    }
}
