//! One statement (or client command) of the input: its directives, reading it, and handing it
//! to the INSERT path or to the statement checks.

use sqlparser::ast::Statement;

use super::state::State;
use super::{Engine, Mode, Out};
use crate::insert::insert_of;
use crate::parse::{MAX_OPERATOR_CHAIN, Read};
use crate::rules::{
    Finding, LintCtx, Rule, invalid_directive, lint_statement, load_appends_on_rerun,
    unparsed_statement, unparsed_write,
};
use crate::settings::directive::{self, Directives};
use crate::text::edit::{Edit, Span};
use crate::text::lexer::{Token, code_tokens};
use crate::text::split::{Chunk, ChunkKind};

/// The statement being handled.
pub(super) struct Current<'s> {
    pub chunk: &'s Chunk,
    /// Its code, without terminator.
    pub code: &'s str,
    pub directives: &'s Directives,
    /// Its code tokens.
    pub toks: &'s [Token],
}

impl Current<'_> {
    /// The statement's code, in the input.
    pub fn span(&self) -> Span {
        Span::new(self.chunk.span.start, self.chunk.code_end)
    }
}

impl Engine<'_> {
    /// The edits and findings of one chunk; `after_statement` says a statement ends right
    /// before its leading trivia (so a comment on that line is not this chunk's directive).
    pub(super) fn chunk(
        &self,
        mode: Mode,
        chunk: &Chunk,
        after_statement: bool,
        state: &mut State,
    ) -> (Vec<Edit>, Vec<Finding>) {
        let directives = directive::parse(self.src, chunk.leading, after_statement, self.caps.lex);
        let mut out = Out::default();
        for (span, message) in &directives.errors {
            out.findings
                .push(invalid_directive::unreadable(*span, message));
        }
        if !directives.ignore {
            self.statement(mode, chunk, &directives, state, &mut out);
        }
        let ignored = |r: Rule| {
            self.ignored_rules.contains(&r)
                || directives
                    .ignore_rules
                    .iter()
                    .any(|x| Rule::from_code_or_name(x) == Some(r))
        };
        out.findings.retain(|f| !ignored(f.rule));
        for f in &mut out.findings {
            self.configured_severity(f);
        }
        (out.edits, out.findings)
    }

    /// The severity the options give the finding's rule, in place of the rule's default. A
    /// finding the rule gave a level of its own below the default (a client command under
    /// IDEM016, a no-op note) keeps it: the option is about the rule's findings, not its notes.
    fn configured_severity(&self, f: &mut Finding) {
        let Some((_, level)) = self.severities.iter().find(|(r, _)| *r == f.rule) else {
            return;
        };
        if f.severity.is_none_or(|s| s >= f.rule.severity()) {
            f.severity = Some(*level);
        }
    }

    /// Read one statement and handle what it is.
    fn statement(
        &self,
        mode: Mode,
        chunk: &Chunk,
        directives: &Directives,
        state: &mut State,
        out: &mut Out,
    ) {
        let code = chunk.code(self.src);
        let base = chunk.span.start;
        let span = Span::new(base, chunk.code_end);
        if chunk.kind == ChunkKind::ClientCommand {
            out.findings
                .push(unparsed_statement::client_command(span, code.trim()));
            return;
        }
        // Rewrite runs take the first pass's word for CREATE and ALTER statements.
        let known_ddl = match mode {
            Mode::Rewrite => self.prepared.ddl.get(&base),
            Mode::Check => None,
        };
        let (toks, read) = match known_ddl {
            Some(None) => {
                if let Some(created) = self.prepared.created.get(&base) {
                    state.created(created, self.caps.names.folding);
                }
                return;
            }
            Some(Some(e)) => (Vec::new(), Read::Failed(e.clone())),
            None => {
                let toks = code_tokens(code, self.caps.lex);
                let batches = self.caps.script.unterminated_batches;
                let read =
                    crate::parse::read_versioned(code, &toks, &*self.pd, batches, self.caps.lex);
                (toks, read)
            }
        };
        let stmts = match read {
            Read::Parsed(stmts) => stmts,
            Read::TooDeep => {
                let f = match self.write_kind(code, &toks) {
                    Some(kind) => {
                        unparsed_write::too_deep(span, self.dialect, kind, MAX_OPERATOR_CHAIN)
                    }
                    None => unparsed_statement::too_deep(span, MAX_OPERATOR_CHAIN),
                };
                out.findings.push(f);
                return;
            }
            // T-SQL scripts often leave out `;`: each statement of the batch on its own (before
            // the look at the batch's words, which would take one statement's for all).
            Read::Batch(pieces) => {
                self.batch(mode, base, &pieces, directives, state, out);
                return;
            }
            _ if crate::insert::already::unparsed_idempotent(code, self.caps.lex) => return,
            Read::Failed(e) => {
                // What an unreadable CREATE makes still counts (the first pass read its head).
                if let Some(created) = self.prepared.created.get(&base) {
                    state.created(created, self.caps.names.folding);
                }
                for drop in super::state::guarded_drops_in_tokens(code, &toks, &*self.pd) {
                    state.track(&drop, self.caps.names.folding);
                    state.track_ddl(&drop, self.caps.names.folding);
                }
                self.unread(mode, code, &toks, span, &e, state, out);
                return;
            }
        };
        let [stmt] = stmts.as_slice() else {
            if stmts.iter().any(|s| insert_of(s).is_some()) {
                out.findings
                    .push(unparsed_statement::several_statements(span));
            }
            return;
        };
        state.track(stmt, self.caps.names.folding);
        let current = Current {
            chunk,
            code,
            directives,
            toks: &toks,
        };
        match insert_of(stmt) {
            Some(found) => self.insert(mode, &current, found, state, out),
            None => self.other(mode, stmt, &current, state, out),
        }
    }

    /// The statements of a T-SQL batch without `;` (`pieces`, relative to `base`). A directive
    /// comment between two of them is that statement's; the others take the batch's.
    fn batch(
        &self,
        mode: Mode,
        base: usize,
        pieces: &[(usize, usize)],
        directives: &Directives,
        state: &mut State,
        out: &mut Out,
    ) {
        let mut prev_end = None;
        for &(s, e) in pieces {
            let leading = Span::new(prev_end.map_or(base + s, |p| base + p), base + s);
            prev_end = Some(e);
            let piece = Chunk {
                kind: ChunkKind::Sql,
                span: Span::new(base + s, base + e),
                code_end: base + e,
                terminator: None,
                leading,
            };
            let own = &self.src[leading.start..leading.end];
            if own.contains("idemsql") || own.contains("IDEMSQL") {
                let (edits, findings) = self.chunk(mode, &piece, true, state);
                out.edits.extend(edits);
                out.findings.extend(findings);
            } else {
                self.statement(mode, &piece, directives, state, out);
            }
        }
    }

    /// A statement sqlparser could not read (`error`): a write is an error of its own, and a
    /// bulk load whose tokens say what it loads is checked from them; anything else is a
    /// warning.
    #[allow(clippy::too_many_arguments)]
    fn unread(
        &self,
        mode: Mode,
        code: &str,
        toks: &[Token],
        span: Span,
        error: &str,
        state: &State,
        out: &mut Out,
    ) {
        let Some(kind) = self.write_kind(code, toks) else {
            out.findings
                .push(unparsed_statement::parse_error(span, self.dialect, error));
            return;
        };
        if let Some(load) = load_appends_on_rerun::read_load(code, toks, &self.caps) {
            if mode == Mode::Check {
                let lint = self.lint_ctx(state);
                out.findings.extend(load_appends_on_rerun::report(
                    &load, code, span.start, &lint,
                ));
            }
            return;
        }
        out.findings
            .push(unparsed_write::parse_error(span, self.dialect, kind, error));
    }

    /// The kind of write a statement is, from its tokens (`None`: it writes no rows).
    fn write_kind(&self, code: &str, toks: &[Token]) -> Option<&'static str> {
        unparsed_write::write_kind(code, toks, &self.caps)
    }

    /// What the statement checks may consult, at this point of the script.
    fn lint_ctx<'s>(&self, state: &'s State) -> LintCtx<'s> {
        LintCtx {
            dialect: self.dialect,
            caps: self.caps,
            lex: self.caps.lex,
            dropped: &state.dropped,
            rebuilt_containers: &state.rebuilt,
            fresh_database: state.fresh_database,
            in_transaction: state.in_transaction,
        }
    }

    /// A statement that is not an INSERT: the statement checks, and what it tells the state.
    fn other(
        &self,
        mode: Mode,
        stmt: &Statement,
        current: &Current,
        state: &mut State,
        out: &mut Out,
    ) {
        if mode == Mode::Check {
            let lint = self.lint_ctx(state);
            out.findings.extend(lint_statement(
                stmt,
                current.code,
                current.chunk.span.start,
                &lint,
            ));
        }
        state.track_ddl(stmt, self.caps.names.folding);
    }
}
