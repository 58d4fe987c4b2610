//! The pipeline: split, learn the catalog, then look at each statement in order.
//!
//! Statements are parsed one at a time, so memory stays proportional to the largest
//! statement, not the file; results stream out through a callback so the CLI can write a
//! 50 MB rewrite without holding every edit.

use std::cell::OnceCell;

use sqlparser::ast::{ObjectType, SetExpr, Statement};

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::dialect::{Caps, Dialect};
use crate::error::Error;
use crate::names::{Name, object_parts};
use crate::parse::{MAX_OPERATOR_CHAIN, parse, split_unterminated, too_deep};
use crate::rewrite::cover::{self, Cover};
use crate::rewrite::model::{InsertModel, ModelError};
use crate::rewrite::{Ctx, already, rewrite_insert};
use crate::rules::{Finding, LintCtx, Rule, lint_statement};
use crate::settings::directive::{self, Directives};
use crate::settings::options::Options;
use crate::text::edit::{Edit, Span};
use crate::text::lexer::{LexOptions, code_tokens};
use crate::text::line_index::LineIndex;
use crate::text::split::{Chunk, ChunkKind, Splitter};
use crate::text::tokens::first_word;

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
    /// Edits for the rewritten output (rewrite mode).
    pub edits: Vec<Edit>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One run over one input text.
pub(crate) struct Engine<'a> {
    src: &'a str,
    options: &'a Options,
    dialect: Dialect,
    caps: Caps,
    lex: LexOptions,
    catalog: Catalog,
    /// The input's statements, split once.
    chunks: Vec<Chunk>,
    ignored_rules: Vec<Rule>,
    ignore_file: bool,
    /// The CREATE/ALTER statements of the input the catalog pass parsed, by start offset, with
    /// the parse error if any: rewrite runs do not parse them again.
    ddl: std::collections::HashMap<usize, Option<String>>,
    index: OnceCell<LineIndex<'a>>,
}

impl<'a> Engine<'a> {
    pub fn new(src: &'a str, options: &'a Options) -> Result<Self, Error> {
        options.validate()?;
        let dialect = options.dialect;
        let caps = dialect.caps();
        let lex = caps.lex;
        let mut catalog = Catalog::new(dialect);
        let pd = dialect.parser_dialect();
        let mut ignore_file = false;
        let mut ddl = std::collections::HashMap::new();
        let chunks: Vec<Chunk> = Splitter::new(src, lex).collect();
        let schema_chunks: Vec<Chunk> = Splitter::new(&options.schema, lex).collect();
        for (text, text_chunks) in [(options.schema.as_str(), &schema_chunks), (src, &chunks)] {
            let is_input = std::ptr::eq(text, src);
            let mut prev_end = None;
            for chunk in text_chunks {
                let lead = &text[chunk.leading.start..chunk.leading.end];
                if lead.contains("idemsql") || lead.contains("IDEMSQL") {
                    let d = directive::parse(text, chunk.leading, prev_end.is_some(), lex);
                    ignore_file |= d.ignore_file && is_input;
                }
                prev_end = Some(chunk.span.end);
                if chunk.kind != ChunkKind::Sql {
                    continue;
                }
                let code = chunk.code(text);
                let first = first_word(code, lex);
                if !(first.eq_ignore_ascii_case("CREATE") || first.eq_ignore_ascii_case("ALTER")) {
                    continue;
                }
                if too_deep(&code_tokens(code, lex), code) {
                    continue;
                }
                let error = match parse(&*pd, code) {
                    Ok(stmts) => {
                        for s in &stmts {
                            catalog.learn(s, code);
                        }
                        None
                    }
                    Err(e) => {
                        // T-SQL without `;`: learn from each statement; the main pass splits
                        // the chunk again to check and rewrite it.
                        let toks = code_tokens(code, lex);
                        match caps
                            .script
                            .unterminated_batches
                            .then(|| split_unterminated(code, &toks, &*pd))
                            .flatten()
                        {
                            Some(pieces) => {
                                for (s, e) in pieces {
                                    let piece = &code[s..e];
                                    if let Ok(stmts) = parse(&*pd, piece) {
                                        for st in &stmts {
                                            catalog.learn(st, piece);
                                        }
                                    }
                                }
                                continue;
                            }
                            None => {
                                catalog.learn_unparsed_create(code);
                                Some(e.to_string())
                            }
                        }
                    }
                };
                if is_input {
                    ddl.insert(chunk.span.start, error);
                }
            }
        }
        let ignored_rules = options
            .ignore
            .iter()
            .filter_map(|c| Rule::from_code_or_name(c))
            .collect();
        Ok(Engine {
            src,
            options,
            dialect,
            caps,
            lex,
            catalog,
            chunks,
            ignored_rules,
            ignore_file,
            ddl,
            index: OnceCell::new(),
        })
    }

    fn index(&self) -> &LineIndex<'a> {
        self.index.get_or_init(|| LineIndex::new(self.src))
    }

    fn diagnostic(&self, f: Finding) -> Diagnostic {
        let mut d = Diagnostic::new(f.rule, Span::new(f.start, f.end), f.message, self.index());
        if let Some(h) = f.help {
            d = d.with_help(h);
        }
        if let Some(s) = f.severity {
            d = d.with_severity(s);
        }
        if let Some((title, edits)) = f.fix {
            d = d.with_fix(Fix {
                message: title,
                edits,
            });
        }
        d
    }

    /// The whitespace before `pos` on its line.
    fn indent_at(&self, pos: usize) -> &'a str {
        let line_start = self.src[..pos].rfind('\n').map_or(0, |i| i + 1);
        let prefix = &self.src[line_start..pos];
        if prefix.chars().all(char::is_whitespace) {
            prefix
        } else {
            ""
        }
    }

    /// Run over every statement, handing each outcome to `sink`.
    pub fn run(&self, mode: Mode, mut sink: impl FnMut(Item)) {
        if self.ignore_file {
            return;
        }
        let pd = self.dialect.parser_dialect();
        let mut state = State::default();
        let mut prev_end: Option<usize> = None;
        for chunk in &self.chunks {
            let after_statement = prev_end.is_some();
            prev_end = Some(chunk.span.end);
            let directives = directive::parse(self.src, chunk.leading, after_statement, self.lex);
            let mut findings = Vec::new();
            for (span, message) in &directives.errors {
                findings.push(
                    Finding::new(Rule::InvalidDirective, span.start, span.end, message.clone())
                        .help("see the directive grammar: key(...), partition(...), strategy(...), dedupe(...), null-safe, ignore, ignore-file"),
                );
            }
            let mut edits = Vec::new();
            if !directives.ignore {
                self.statement(
                    mode,
                    chunk,
                    &directives,
                    &*pd,
                    &mut state,
                    &mut findings,
                    &mut edits,
                );
            }
            let ignored = |r: Rule| {
                self.ignored_rules.contains(&r)
                    || directives
                        .ignore_rules
                        .iter()
                        .any(|x| Rule::from_code_or_name(x) == Some(r))
            };
            let diagnostics: Vec<Diagnostic> = findings
                .into_iter()
                .filter(|f| !ignored(f.rule))
                .map(|f| self.diagnostic(f))
                .collect();
            if !edits.is_empty() || !diagnostics.is_empty() {
                sink(Item { edits, diagnostics });
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn statement(
        &self,
        mode: Mode,
        chunk: &Chunk,
        directives: &Directives,
        pd: &dyn sqlparser::dialect::Dialect,
        state: &mut State,
        findings: &mut Vec<Finding>,
        edits: &mut Vec<Edit>,
    ) {
        let code = chunk.code(self.src);
        let base = chunk.span.start;
        if chunk.kind == ChunkKind::ClientCommand {
            findings.push(
                Finding::new(
                    Rule::UnparsedStatement,
                    base,
                    chunk.code_end,
                    format!("client command `{}` passed through unchanged", code.trim()),
                )
                .severity(Severity::Info)
                .help("client commands (psql `\\`, `GO`, `DELIMITER`) are for the client program, not the database; idemsql keeps them as they are"),
            );
            return;
        }
        // Rewrite runs take the catalog pass's word for CREATE and ALTER statements.
        let known_ddl = if mode == Mode::Rewrite {
            self.ddl.get(&base)
        } else {
            None
        };
        let (toks, parsed) = match known_ddl {
            Some(None) => return,
            Some(Some(e)) => (Vec::new(), Err(e.clone())),
            None => {
                let toks = code_tokens(code, self.lex);
                if too_deep(&toks, code) {
                    findings.push(
                        Finding::new(
                            Rule::UnparsedStatement,
                            base,
                            chunk.code_end,
                            format!("statement nests more than {MAX_OPERATOR_CHAIN} operators deep; passed through unchanged and unchecked"),
                        )
                        .help("split the expression, or mark the statement `-- idemsql: ignore`"),
                    );
                    return;
                }
                let parsed = parse(pd, code).map_err(|e| e.to_string());
                (toks, parsed)
            }
        };
        let stmts = match parsed {
            Ok(s) => s,
            Err(e) => {
                if already::unparsed_idempotent(code, self.lex) {
                    return;
                }
                // T-SQL scripts often leave out `;`: find where the statements end.
                if self.caps.script.unterminated_batches && known_ddl.is_none() {
                    if let Some(pieces) = split_unterminated(code, &toks, pd) {
                        for (s, e) in pieces {
                            let sub = Chunk {
                                kind: ChunkKind::Sql,
                                span: Span::new(base + s, base + e),
                                code_end: base + e,
                                terminator: None,
                                leading: Span::new(base + s, base + s),
                            };
                            self.statement(mode, &sub, directives, pd, state, findings, edits);
                        }
                        return;
                    }
                }
                findings.push(
                    Finding::new(
                        Rule::UnparsedStatement,
                        base,
                        chunk.code_end,
                        format!("could not parse this statement as {} ({e}); passed through unchanged and unchecked", self.dialect),
                    )
                    .help(format!(
                        "check the dialect (--dialect; now {}), or mark the statement `-- idemsql: ignore`",
                        self.dialect
                    )),
                );
                return;
            }
        };
        let [stmt] = stmts.as_slice() else {
            if stmts.iter().any(|s| insert_of(s).is_some()) {
                findings.push(
                    Finding::new(
                        Rule::UnparsedStatement,
                        base,
                        chunk.code_end,
                        "several statements without `;` between them; their INSERTs are not rewritten".to_string(),
                    )
                    .help("end each statement with `;`"),
                );
            }
            return;
        };
        self.track(stmt, state);
        if let Some((insert, with_prefix)) = insert_of(stmt) {
            let folding = self.caps.names.folding;
            let table = match &insert.table {
                sqlparser::ast::TableObject::TableName(n) => object_parts(n),
                _ => Vec::new(),
            };
            if already::reason(insert, &table, folding).is_some() {
                return;
            }
            let model = match InsertModel::new(code, base, insert, with_prefix, &toks) {
                Ok(m) => m,
                Err(ModelError::Unsupported(what)) => {
                    if mode == Mode::Check {
                        findings.push(non_idempotent(
                            base,
                            chunk.code_end,
                            &insert.table.to_string(),
                            None,
                        ));
                    }
                    findings.push(
                        Finding::new(
                            Rule::UnsupportedForm,
                            base,
                            chunk.code_end,
                            format!("idemsql does not rewrite {what}"),
                        )
                        .help("rewrite the statement by hand, or mark it `-- idemsql: ignore` if a rerun is safe"),
                    );
                    return;
                }
            };
            let cols: Vec<Name> = if model.columns.is_empty() {
                self.catalog
                    .lookup(&model.table)
                    .map(|t| t.columns.iter().map(|c| c.name.clone()).collect())
                    .unwrap_or_default()
            } else {
                model.columns.iter().map(|c| c.name.clone()).collect()
            };
            if cover::covered(&state.covers, &model, &cols, folding) {
                return;
            }
            let ctx = Ctx {
                dialect: self.dialect,
                caps: self.caps,
                options: self.options,
                catalog: &self.catalog,
                directives,
                lex: self.lex,
                indent: self.indent_at(base),
                terminated: chunk.terminator.is_some(),
                in_transaction: state.in_transaction,
            };
            let outcome = rewrite_insert(&ctx, &model);
            match mode {
                Mode::Rewrite => {
                    if let Some(r) = outcome.rewrite {
                        edits.extend(r.edits);
                    }
                }
                Mode::Check => {
                    findings.push(non_idempotent(
                        base,
                        chunk.code_end,
                        model.table_text(),
                        outcome
                            .rewrite
                            .as_ref()
                            .map(|r| (r.title.clone(), r.edits.clone())),
                    ));
                }
            }
            findings.extend(outcome.findings);
            return;
        }
        if mode == Mode::Check {
            let lint = LintCtx {
                dialect: self.dialect,
                caps: self.caps,
                lex: self.lex,
                dropped: &state.dropped,
                rebuilt_containers: &state.rebuilt,
                fresh_database: state.fresh_database,
            };
            findings.extend(lint_statement(stmt, code, base, &lint));
        }
        self.track_ddl(stmt, state);
    }

    /// Follow transactions and the deletes inside them.
    fn track(&self, stmt: &Statement, state: &mut State) {
        match stmt {
            Statement::StartTransaction { .. } => {
                state.covers.clear();
                state.in_transaction = true;
            }
            Statement::Commit { .. } | Statement::Rollback { .. } => {
                state.covers.clear();
                state.in_transaction = false;
            }
            Statement::Delete(d) => {
                if let Some(c) = Cover::from_delete(d) {
                    state.covers.push(c);
                }
            }
            Statement::Truncate(t) => {
                for tn in &t.table_names {
                    state.covers.push(Cover::all(object_parts(&tn.name)));
                }
            }
            _ => {}
        }
    }

    /// Remember drops and rebuilt databases, for the CREATE rule.
    fn track_ddl(&self, stmt: &Statement, state: &mut State) {
        match stmt {
            Statement::Drop {
                object_type,
                if_exists: true,
                names,
                ..
            } => {
                let kind = match object_type {
                    ObjectType::Table => "TABLE",
                    ObjectType::View | ObjectType::MaterializedView => "VIEW",
                    ObjectType::Index => "INDEX",
                    ObjectType::Schema => "SCHEMA",
                    ObjectType::Database => "DATABASE",
                    ObjectType::Sequence => "SEQUENCE",
                    _ => "",
                };
                for n in names {
                    state.dropped.push((kind.to_string(), object_parts(n)));
                }
            }
            Statement::CreateDatabase { db_name, .. } => {
                let name = object_parts(db_name);
                if state.was_dropped("DATABASE", &name, self.caps.names.folding) {
                    state.fresh_database = true;
                }
            }
            Statement::CreateSchema { schema_name, .. } => {
                let name = vec![Name::unquoted(&schema_name.to_string())];
                if state.was_dropped("SCHEMA", &name, self.caps.names.folding) {
                    state.rebuilt.push(name);
                }
            }
            _ => {}
        }
    }
}

/// What the engine remembers from one statement to the next.
#[derive(Default)]
struct State {
    covers: Vec<Cover>,
    dropped: Vec<(String, Vec<Name>)>,
    rebuilt: Vec<Vec<Name>>,
    fresh_database: bool,
    in_transaction: bool,
}

impl State {
    fn was_dropped(&self, kind: &str, name: &[Name], folding: crate::dialect::CaseFolding) -> bool {
        self.dropped
            .iter()
            .any(|(k, n)| k == kind && crate::names::same_table(n, name, folding))
    }
}

fn non_idempotent(
    start: usize,
    end: usize,
    shown: &str,
    fix: Option<(String, Vec<Edit>)>,
) -> Finding {
    let mut f = Finding::new(
        Rule::NonIdempotentInsert,
        start,
        end,
        format!("plain INSERT into {shown} writes its rows again on every rerun"),
    );
    match fix {
        Some((title, edits)) => {
            f = f.help(title.clone()).fix(title, edits);
        }
        None => {
            f = f.help("no automatic fix: see the other diagnostics on this statement");
        }
    }
    f
}

/// The INSERT a statement is, and whether a WITH clause precedes it.
fn insert_of(stmt: &Statement) -> Option<(&sqlparser::ast::Insert, bool)> {
    match stmt {
        Statement::Insert(i) => Some((i, false)),
        Statement::Query(q) => match q.body.as_ref() {
            SetExpr::Insert(Statement::Insert(i)) => Some((i, q.with.is_some())),
            _ => None,
        },
        _ => None,
    }
}
