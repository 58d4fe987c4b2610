//! The rules: one code, one name, one page each.
//!
//! The INSERT rules (`IDEM001`–`IDEM011`, `IDEM017`) are reported by the rewrite planner, which
//! is where the facts they need are found; the other rules look at one statement each and live
//! in their own files here. Every rule has a page `docs/rules/<name>.md`, shown by
//! `idemsql explain <code>`.

mod add_column;
mod create_without_guard;
mod drop_without_guard;
mod merge_updates_key;
mod relative_update;

use sqlparser::ast::Statement;

use crate::Dialect;
use crate::diagnostic::Severity;

pub(crate) use add_column::check as check_add_column;
pub(crate) use create_without_guard::check as check_create;
pub(crate) use drop_without_guard::check as check_drop;
pub(crate) use merge_updates_key::check as check_merge_updates_key;
pub(crate) use relative_update::check as check_relative_update;

macro_rules! rules {
    ($( $variant:ident = $code:literal, $name:literal, $sev:ident, $summary:literal; )*) => {
        /// Every rule idemsql reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule { $( $variant, )* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[ $( Rule::$variant, )* ];

            /// The stable code (`IDEM001`).
            pub fn code(self) -> &'static str {
                match self { $( Rule::$variant => $code, )* }
            }

            /// The kebab-case name, also the documentation page's file name.
            pub fn name(self) -> &'static str {
                match self { $( Rule::$variant => $name, )* }
            }

            /// The default severity.
            pub fn severity(self) -> Severity {
                match self { $( Rule::$variant => Severity::$sev, )* }
            }

            /// One line on what the rule finds.
            pub fn summary(self) -> &'static str {
                match self { $( Rule::$variant => $summary, )* }
            }
        }
    };
}

rules! {
    NonIdempotentInsert = "IDEM001", "non-idempotent-insert", Error,
        "A plain INSERT writes its rows again on every rerun.";
    MissingKey = "IDEM002", "missing-key", Error,
        "No key (or partition) is known for the table, so the INSERT cannot be made idempotent.";
    KeyNotInserted = "IDEM003", "key-not-inserted", Error,
        "A key or partition column is not among the inserted columns.";
    DuplicateKeyInBatch = "IDEM004", "duplicate-key-in-batch", Error,
        "One VALUES batch has the same key twice; upserts and MERGE fail or pick a row at random.";
    NullableKey = "IDEM005", "nullable-key", Warning,
        "A key column may be NULL, and NULL never equals NULL: a rerun inserts the row again.";
    VolatileKey = "IDEM006", "volatile-key", Error,
        "A key or partition value changes on every run (now(), random(), uuid(), nextval()).";
    MergeUpdatesKey = "IDEM007", "merge-updates-key", Error,
        "A MERGE updates a column of its ON condition.";
    OverwriteOutsidePartition = "IDEM008", "overwrite-outside-partition", Error,
        "An overwrite's INSERT could write rows outside the partitions it deletes.";
    UnknownPartitionValues = "IDEM009", "unknown-partition-values", Error,
        "The partitions a statement writes cannot be read from it, so an overwrite cannot be bounded.";
    UnsupportedForm = "IDEM010", "unsupported-form", Error,
        "The dialect has no idempotent form for this statement and strategy.";
    UnknownColumns = "IDEM011", "unknown-columns", Error,
        "The INSERT has no column list and no schema gives the table's columns.";
    RelativeUpdate = "IDEM012", "relative-update", Error,
        "An UPDATE sets a column from its own value (x = x + 1): every rerun changes it again.";
    CreateWithoutIfNotExists = "IDEM013", "create-without-if-not-exists", Error,
        "CREATE without IF NOT EXISTS or OR REPLACE fails on a rerun.";
    DropWithoutIfExists = "IDEM014", "drop-without-if-exists", Error,
        "DROP without IF EXISTS fails on a rerun.";
    AddColumnWithoutIfNotExists = "IDEM015", "add-column-without-if-not-exists", Error,
        "ALTER TABLE ... ADD COLUMN without IF NOT EXISTS fails on a rerun.";
    UnparsedStatement = "IDEM016", "unparsed-statement", Warning,
        "A statement idemsql could not read was passed through unchanged and unchecked.";
    AmbiguousConflictTarget = "IDEM017", "ambiguous-conflict-target", Warning,
        "ON DUPLICATE KEY UPDATE fires on any unique key, and the table has more than one.";
    InvalidDirective = "IDEM018", "invalid-directive", Error,
        "An `idemsql:` directive comment could not be read.";
    KeyNotUnique = "IDEM019", "key-not-unique", Error,
        "The key is not a primary key or unique constraint of the table, so ON CONFLICT / ON DUPLICATE KEY cannot use it.";
}

impl Rule {
    /// Find a rule by code (`IDEM013`, any case) or name (`drop-without-if-exists`).
    pub fn from_code_or_name(s: &str) -> Option<Rule> {
        let s = s.trim();
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.code().eq_ignore_ascii_case(s) || r.name() == s)
    }

    /// The address of the rule's documentation page.
    pub fn url(self) -> String {
        format!("{}/{}.md", crate::diagnostic::DOCS_BASE, self.name())
    }

    /// The rule's documentation page (Markdown), as shipped in `docs/rules/`.
    pub fn documentation(self) -> &'static str {
        crate::rules::docs::page(self)
    }
}

mod docs;

/// What the statement-level rules may consult.
pub(crate) struct LintCtx<'a> {
    pub dialect: Dialect,
    pub caps: crate::dialect::Caps,
    pub lex: crate::text::lexer::LexOptions,
    /// Objects an earlier `DROP ... IF EXISTS` removed: (kind, name).
    pub dropped: &'a [(String, Vec<crate::names::Name>)],
    /// Databases or schemas an earlier `DROP ... IF EXISTS` emptied and a CREATE rebuilt.
    pub rebuilt_containers: &'a [Vec<crate::names::Name>],
    /// A database was dropped and created again earlier: everything after is new.
    pub fresh_database: bool,
}

impl LintCtx<'_> {
    /// Was this object removed earlier in the script, so creating it again cannot fail?
    pub fn rebuilt(&self, kind: &str, name: &[crate::names::Name]) -> bool {
        if self.fresh_database && kind != "DATABASE" {
            return true;
        }
        let folding = self.caps.names.folding;
        let dropped = self
            .dropped
            .iter()
            .any(|(k, n)| k == kind && crate::names::same_table(n, name, folding));
        let in_rebuilt_schema = name.len() >= 2
            && self.rebuilt_containers.iter().any(|c| {
                c.last()
                    .zip(name.get(name.len() - 2))
                    .is_some_and(|(a, b)| a.same(b, folding))
            });
        dropped || in_rebuilt_schema
    }
}

/// An edit inserting `text` after the first depth-0 word of `words` (and after any of
/// `then_skip` right behind it).
pub(crate) fn insert_after_word(
    stmt: &str,
    offset: usize,
    ctx: &LintCtx,
    words: &[&str],
    then_skip: &[&str],
    text: &str,
) -> Option<crate::Edit> {
    let toks = crate::text::lexer::code_tokens(stmt, ctx.lex);
    let i = toks
        .iter()
        .position(|t| words.iter().any(|w| t.is_word(stmt, w)))?;
    let mut end = toks[i].end;
    let mut j = i + 1;
    while toks
        .get(j)
        .is_some_and(|t| then_skip.iter().any(|w| t.is_word(stmt, w)))
    {
        end = toks[j].end;
        j += 1;
    }
    Some(crate::Edit {
        start: offset + end,
        end: offset + end,
        text: text.to_string(),
    })
}

/// The statement-level lint rules (everything but the INSERT rewrite), on one statement.
pub(crate) fn lint_statement(
    stmt: &Statement,
    text: &str,
    offset: usize,
    ctx: &LintCtx,
) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(check_relative_update(stmt, text, offset, ctx));
    out.extend(check_create(stmt, text, offset, ctx));
    out.extend(check_drop(stmt, text, offset, ctx));
    out.extend(check_add_column(stmt, text, offset, ctx));
    out.extend(check_merge_updates_key(stmt, text, offset, ctx));
    out
}

/// A rule's finding before it is positioned: the engine turns it into a [`Diagnostic`](crate::Diagnostic).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub rule: Rule,
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub help: Option<String>,
    /// Byte-offset edits (absolute) and the fix's title.
    pub fix: Option<(String, Vec<crate::Edit>)>,
    pub severity: Option<Severity>,
}

impl Finding {
    pub fn new(rule: Rule, start: usize, end: usize, message: impl Into<String>) -> Self {
        Finding {
            rule,
            start,
            end,
            message: message.into(),
            help: None,
            fix: None,
            severity: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn fix(mut self, title: impl Into<String>, edits: Vec<crate::Edit>) -> Self {
        self.fix = Some((title.into(), edits));
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
}
