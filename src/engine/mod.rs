//! The pipeline's loop: split the input, learn the catalog from its DDL, then read each
//! statement in order and hand what became of it to a sink.
//!
//! The input is walked front to back twice, a statement at a time, and never held as a list:
//! once for the catalog (`prepare.rs`), once to check and rewrite. Statements are parsed one at
//! a time, so memory stays proportional to the largest statement, not the file; results stream
//! out through a callback so the CLI can write a 50 MB rewrite without holding every edit. Each statement is handled from its own text and
//! offset (`statement.rs`), with what the script did before it in [`state::State`].
//!
//! Owns the order of the stages and the script's state between statements. It may not decide
//! how a statement is rewritten (`plan/`, `render/`) or what a rule reports (`rules/`).

mod insert;
mod prepare;
mod state;
mod statement;

use std::cell::OnceCell;
use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::dialect::{Caps, Dialect};
use crate::error::Error;
use crate::rules::{Finding, Rule};
use crate::settings::options::Options;
use crate::text::edit::Edit;
use crate::text::line_index::LineIndex;
use crate::text::split::Splitter;

/// What the run is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Rewrite INSERTs; report only why a statement was not rewritten.
    Rewrite,
    /// Report every non-idempotent write, each with its fix.
    Check,
}

/// The outcome for one statement (or client command) of the input.
pub(crate) struct Item {
    /// Where the statement is, from its first code character to its terminator.
    pub statement: crate::text::edit::Span,
    /// Edits for the rewritten output (rewrite mode).
    pub edits: Vec<Edit>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What the first pass learned.
struct Prepared {
    catalog: Catalog,
    /// The CREATE/ALTER statements of the input the first pass parsed, by start offset, with
    /// the parse error if any: rewrite runs do not parse them again.
    ddl: HashMap<usize, Option<String>>,
    /// The tables those statements create, by start offset, for the script's state.
    created: HashMap<usize, crate::insert::cover::Created>,
    /// An `-- idemsql: ignore-file` directive was found.
    ignore_file: bool,
}

/// One run over one input text.
pub(crate) struct Engine<'a> {
    src: &'a str,
    options: &'a Options,
    dialect: Dialect,
    caps: Caps,
    pd: Box<dyn sqlparser::dialect::Dialect>,
    ignored_rules: Vec<Rule>,
    /// The severities the options give rules, replacing their defaults.
    severities: Vec<(Rule, crate::diagnostic::Severity)>,
    prepared: Prepared,
    index: OnceCell<LineIndex<'a>>,
}

impl<'a> Engine<'a> {
    pub fn new(src: &'a str, options: &'a Options) -> Result<Self, Error> {
        options.validate()?;
        let dialect = options.dialect;
        let caps = dialect.caps();
        let prepared = prepare::prepare(src, &options.schema, dialect);
        let ignored_rules = options
            .ignore
            .iter()
            .filter_map(|c| Rule::from_code_or_name(c))
            .collect();
        let severities = options
            .severity
            .iter()
            .filter_map(|(c, s)| Some((Rule::from_code_or_name(c)?, *s)))
            .collect();
        Ok(Engine {
            src,
            options,
            dialect,
            caps,
            pd: dialect.parser_dialect(),
            ignored_rules,
            severities,
            prepared,
            index: OnceCell::new(),
        })
    }

    fn index(&self) -> &LineIndex<'a> {
        self.index.get_or_init(|| LineIndex::new(self.src))
    }

    /// Run over every statement, handing each outcome to `sink`.
    pub fn run(&self, mode: Mode, mut sink: impl FnMut(Item)) {
        if self.prepared.ignore_file {
            return;
        }
        let mut state = state::State::default();
        let mut prev_end: Option<usize> = None;
        for chunk in Splitter::new(self.src, self.caps.lex) {
            let after_statement = prev_end.is_some();
            prev_end = Some(chunk.span.end);
            let (edits, findings) = self.chunk(mode, &chunk, after_statement, &mut state);
            let diagnostics: Vec<Diagnostic> = findings
                .into_iter()
                .map(|f| f.diagnostic(self.index()))
                .collect();
            if !edits.is_empty() || !diagnostics.is_empty() {
                sink(Item {
                    statement: chunk.span,
                    edits,
                    diagnostics,
                });
            }
        }
    }
}

/// What one statement gave: edits of the rewritten output, and findings.
#[derive(Default)]
pub(crate) struct Out {
    edits: Vec<Edit>,
    findings: Vec<Finding>,
}
