//! The first pass over the input: what the DDL (in `schema` and in the input itself) says
//! about each table, and whether the file asks to be left alone.

use std::collections::HashMap;

use super::Prepared;
use crate::catalog::Catalog;
use crate::dialect::{Caps, Dialect};
use crate::insert::cover::Created;
use crate::parse::{self, Read};
use crate::settings::directive;
use crate::text::lexer::{LexOptions, Lexer, Token, code_tokens};
use crate::text::split::{ChunkKind, Splitter};
use crate::text::tokens::first_word;
use crate::text::tokens::matching_paren;

/// Learn the catalog from the DDL of `schema` and of the input `src`.
pub(super) fn prepare(src: &str, schema: &str, dialect: Dialect) -> Prepared {
    let caps = dialect.caps();
    let mut pass = Pass {
        catalog: Catalog::new(dialect),
        caps,
        pd: dialect.parser_dialect(),
        ddl: HashMap::new(),
        created: HashMap::new(),
        ignore_file: false,
    };
    pass.text(schema, false);
    pass.text(src, true);
    Prepared {
        catalog: pass.catalog,
        ddl: pass.ddl,
        created: pass.created,
        ignore_file: pass.ignore_file,
    }
}

struct Pass {
    catalog: Catalog,
    caps: Caps,
    pd: Box<dyn sqlparser::dialect::Dialect>,
    ddl: HashMap<usize, Option<String>>,
    created: HashMap<usize, Created>,
    ignore_file: bool,
}

impl Pass {
    /// Learn from the CREATE and ALTER statements of `text`; `is_input` for the input itself
    /// (whose parse results are kept for the main pass, and whose `ignore-file` counts).
    fn text(&mut self, text: &str, is_input: bool) {
        let lex = self.caps.lex;
        let mut prev_end = None;
        self.catalog.start_text();
        for chunk in Splitter::new(text, lex) {
            let lead = &text[chunk.leading.start..chunk.leading.end];
            if is_input && (lead.contains("idemsql") || lead.contains("IDEMSQL")) {
                let d = directive::parse(text, chunk.leading, prev_end.is_some(), lex);
                self.ignore_file |= d.ignore_file;
            }
            prev_end = Some(chunk.span.end);
            let code = chunk.code(text);
            let first = first_word(code, lex);
            if changes_scope(code, first) {
                let at = is_input.then_some(chunk.span.start);
                self.catalog.follow_scope(code, at);
            }
            if chunk.kind != ChunkKind::Sql {
                continue;
            }
            if !(first.eq_ignore_ascii_case("CREATE") || first.eq_ignore_ascii_case("ALTER")) {
                continue;
            }
            self.catalog
                .set_position(if is_input { chunk.span.start } else { 0 });
            if first.eq_ignore_ascii_case("CREATE") {
                self.catalog.learn_trigger(code);
            }
            if let Some((error, created)) = self.statement(code) {
                if is_input && !makes_container(code, lex) {
                    self.ddl.insert(chunk.span.start, error);
                    if let Some(c) = created {
                        self.created.insert(chunk.span.start, c);
                    }
                }
            }
        }
    }

    /// Learn from one DDL statement. Returns its parse outcome for the main pass (`None` when
    /// the main pass must read it again itself: too deep, or a batch to cut), with the table
    /// it creates.
    fn statement(&mut self, code: &str) -> Option<(Option<String>, Option<Created>)> {
        let toks = code_tokens(code, self.caps.lex);
        match parse::read_versioned(
            code,
            &toks,
            &*self.pd,
            self.caps.script.unterminated_batches,
            self.caps.lex,
        ) {
            Read::TooDeep => None,
            Read::Parsed(stmts) => {
                for s in &stmts {
                    self.catalog.learn(s, code);
                }
                let created = match stmts.as_slice() {
                    [one] => Created::of(one, self.caps.names.folding),
                    _ => None,
                };
                Some((None, created))
            }
            // T-SQL without `;`: learn from each statement; the main pass cuts the batch
            // again to check and rewrite it.
            Read::Batch(pieces) => {
                for (s, e) in pieces {
                    let piece = &code[s..e];
                    match parse::parse(&*self.pd, piece) {
                        Ok(stmts) => {
                            for st in &stmts {
                                self.catalog.learn(st, piece);
                            }
                        }
                        Err(_) => self.catalog.learn_unparsed(piece),
                    }
                }
                None
            }
            Read::Failed(e) => {
                self.catalog.learn_unparsed(code);
                Some((Some(e), self.created_unparsed(code, &toks)))
            }
        }
    }

    /// The table an unreadable CREATE makes (Databricks `USING DELTA`, ClickHouse engines):
    /// sqlparser reads the part up to the column list. Whether the statement reads the table
    /// itself is judged from the rest's words: any word spelled like the table's name counts,
    /// so a doubt leaves the INSERTs after it checked.
    fn created_unparsed(&self, code: &str, toks: &[Token]) -> Option<Created> {
        let open = toks.iter().position(|t| t.is_punct(code, '('))?;
        let close = matching_paren(toks, open, code)?;
        let stmts = parse::parse(&*self.pd, &code[..toks[close].end]).ok()?;
        let [one] = stmts.as_slice() else {
            return None;
        };
        let mut created = Created::of(one, self.caps.names.folding)?;
        let last = created.table.last()?.value.clone();
        created.reads_itself |= toks[close + 1..].iter().any(|t| {
            t.text(code)
                .trim_matches(['"', '`', '[', ']'])
                .eq_ignore_ascii_case(&last)
        });
        Some(created)
    }
}

/// Whether a statement may change the current database or schema: `USE`, `SET` (search path,
/// schema), `ALTER SESSION`, pg_dump's `SELECT pg_catalog.set_config(...)`, psql `\c`. A cheap
/// test first: a dump is mostly INSERTs.
fn changes_scope(code: &str, first: &str) -> bool {
    let is = |w: &str| first.eq_ignore_ascii_case(w);
    if is("USE") || is("SET") || is("ALTER") {
        return true;
    }
    if is("SELECT") {
        return code.len() < 200 && code.to_ascii_lowercase().contains("set_config");
    }
    code.trim_start().starts_with('\\')
}

/// `CREATE DATABASE` / `CREATE SCHEMA`: the main pass reads these itself, in every mode, because
/// the tables created in a container the script dropped and made again are new (so INSERTs into
/// them are already rerun-safe), and a rewrite must know it as a check does.
fn makes_container(code: &str, lex: LexOptions) -> bool {
    let mut words = Lexer::new(code, lex)
        .filter(|t| !t.is_trivia())
        .map(|t| t.text(code));
    words
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("CREATE"))
        && words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("DATABASE") || w.eq_ignore_ascii_case("SCHEMA"))
}
