//! The rules: one code, one name, one page and one file each.
//!
//! Every diagnostic idemsql reports belongs to a rule, and the rule's file owns its messages:
//! the planner, the renderers and the engine call the constructors there instead of writing
//! strings. Rules that look at one statement on their own (DDL, UPDATE, MERGE) also own their
//! check, registered in the table below; the INSERT rules are reported by the planner, which is
//! where the facts they need are found.
//!
//! Adding a rule: a file here, a row in [`rules!`] below, and its page `docs/rules/<name>.md`
//! (shown by `idemsql explain <code>`). This folder may not plan or render rewrites.

use sqlparser::ast::Statement;

use crate::Dialect;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::names::Name;
use crate::text::edit::{Edit, Span};
use crate::text::lexer::LexOptions;
use crate::text::line_index::LineIndex;

/// The address of the rule pages; each page is `docs/rules/<name>.md` in the repository.
const DOCS_BASE: &str = "https://github.com/idemsql/idemsql/blob/main/docs/rules";

/// The check of a rule that looks at one statement: `(statement, its code, its offset, context)`.
pub(crate) type Check = fn(&Statement, &str, usize, &LintCtx) -> Vec<Finding>;

macro_rules! rules {
    ($( $variant:ident = $code:literal, $name:literal, $module:ident, $sev:ident, $check:ident,
        $summary:literal; )*) => {
        $( pub(crate) mod $module; )*

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

            /// The rule's documentation page (Markdown), as shipped in `docs/rules/`, compiled
            /// in so `idemsql explain` works offline.
            pub fn documentation(self) -> &'static str {
                match self {
                    $( Rule::$variant => include_str!(concat!("../../docs/rules/", $name, ".md")), )*
                }
            }
        }

        /// The statement checks, in code order.
        const CHECKS: &[Option<Check>] = &[ $( rules!(@check $check $module), )* ];
    };
    (@check check $module:ident) => { Some($module::check as Check) };
    (@check none $module:ident) => { None };
}

rules! {
    NonIdempotentInsert = "IDEM001", "non-idempotent-insert", non_idempotent_insert, Error, none,
        "A plain INSERT writes its rows again on every rerun.";
    MissingKey = "IDEM002", "missing-key", missing_key, Error, none,
        "No key (or partition) is known for the table, so the INSERT cannot be made idempotent.";
    KeyNotInserted = "IDEM003", "key-not-inserted", key_not_inserted, Error, none,
        "A key or partition column is not among the inserted columns.";
    DuplicateKeyInBatch = "IDEM004", "duplicate-key-in-batch", duplicate_key_in_batch, Error, none,
        "One VALUES batch has the same key twice; upserts and MERGE fail or pick a row at random.";
    NullableKey = "IDEM005", "nullable-key", nullable_key, Warning, none,
        "A key column may be NULL, and NULL never equals NULL: a rerun inserts the row again.";
    VolatileKey = "IDEM006", "volatile-key", volatile_key, Error, none,
        "A key or partition value changes on every run (now(), random(), uuid(), nextval()).";
    MergeUpdatesKey = "IDEM007", "merge-updates-key", merge_updates_key, Error, check,
        "A MERGE updates a column of its ON condition.";
    OverwriteOutsidePartition = "IDEM008", "overwrite-outside-partition", overwrite_outside_partition, Error, none,
        "An overwrite's INSERT could write rows outside the partitions it deletes.";
    UnknownPartitionValues = "IDEM009", "unknown-partition-values", unknown_partition_values, Error, none,
        "The partitions a statement writes cannot be read from it, so an overwrite cannot be bounded.";
    UnsupportedForm = "IDEM010", "unsupported-form", unsupported_form, Error, none,
        "The dialect has no idempotent form for this statement and strategy.";
    UnknownColumns = "IDEM011", "unknown-columns", unknown_columns, Error, none,
        "The INSERT has no column list and no schema gives the table's columns.";
    RelativeUpdate = "IDEM012", "relative-update", relative_update, Error, check,
        "An UPDATE sets a column from its own value (x = x + 1): every rerun changes it again.";
    CreateWithoutIfNotExists = "IDEM013", "create-without-if-not-exists", create_without_if_not_exists, Error, check,
        "CREATE without IF NOT EXISTS or OR REPLACE fails on a rerun.";
    DropWithoutIfExists = "IDEM014", "drop-without-if-exists", drop_without_if_exists, Error, check,
        "DROP without IF EXISTS fails on a rerun.";
    AddColumnWithoutIfNotExists = "IDEM015", "add-column-without-if-not-exists", add_column_without_if_not_exists, Error, check,
        "ALTER TABLE ... ADD COLUMN without IF NOT EXISTS fails on a rerun.";
    UnparsedStatement = "IDEM016", "unparsed-statement", unparsed_statement, Warning, none,
        "A statement idemsql could not read was passed through unchanged and unchecked.";
    AmbiguousConflictTarget = "IDEM017", "ambiguous-conflict-target", ambiguous_conflict_target, Warning, none,
        "ON DUPLICATE KEY UPDATE fires on any unique key, and the table has more than one.";
    InvalidDirective = "IDEM018", "invalid-directive", invalid_directive, Error, none,
        "An `idemsql:` directive comment could not be read.";
    KeyNotUnique = "IDEM019", "key-not-unique", key_not_unique, Error, none,
        "The key is not a primary key or unique constraint of the table, so ON CONFLICT / ON DUPLICATE KEY cannot use it.";
    ConstraintDeclaredLater = "IDEM020", "constraint-declared-later", constraint_declared_later, Info, none,
        "The key's unique constraint is added later in the script, so the INSERT is written in a form that does not need it.";
    TriggerRewritesRow = "IDEM021", "trigger-rewrites-row", trigger_rewrites_row, Warning, none,
        "A trigger on the table can change a row the upsert writes again, so a rerun may not leave the row as it was.";
    UnparsedWrite = "IDEM022", "unparsed-write", unparsed_write, Error, none,
        "A write (INSERT, UPDATE, DELETE, MERGE, COPY, LOAD DATA, ...) idemsql could not read: it was not checked, and a rerun may repeat it.";
    LoadAppendsOnRerun = "IDEM023", "load-appends-on-rerun", load_appends_on_rerun, Error, check,
        "A bulk load (COPY FROM, LOAD DATA) appends its rows again on every rerun.";
    AddConstraintFailsOnRerun = "IDEM024", "add-constraint-fails-on-rerun", add_constraint_fails_on_rerun, Error, check,
        "ALTER TABLE ... ADD CONSTRAINT fails on a rerun once the constraint exists.";
    RenameFailsOnRerun = "IDEM025", "rename-fails-on-rerun", rename_fails_on_rerun, Error, check,
        "RENAME of a table or column fails on a rerun: the old name is gone.";
    RewriteBreaksParameters = "IDEM026", "rewrite-breaks-parameters", rewrite_breaks_parameters, Error, none,
        "The idempotent form would not take the statement's driver parameters as the caller passes them: a positional one twice or moved, or several statements where a driver runs one per call.";
    IncrementalModelAppends = "IDEM027", "incremental-model-appends", incremental_model_appends, Error, none,
        "A dbt incremental model without `unique_key` (or with the append strategy) inserts its rows again when an interval is rerun.";
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
        format!("{DOCS_BASE}/{}.md", self.name())
    }
}

impl Diagnostic {
    /// The rule that produced this diagnostic.
    pub fn rule(&self) -> Option<Rule> {
        Rule::from_code_or_name(self.code)
    }
}

/// What the statement checks may consult.
pub(crate) struct LintCtx<'a> {
    pub dialect: Dialect,
    pub caps: crate::dialect::Caps,
    pub lex: LexOptions,
    /// Objects an earlier `DROP ... IF EXISTS` removed: (kind, name).
    pub dropped: &'a [(String, Vec<Name>)],
    /// Databases or schemas an earlier `DROP ... IF EXISTS` emptied and a CREATE rebuilt.
    pub rebuilt_containers: &'a [Vec<Name>],
    /// A database was dropped and created again earlier: everything after is new.
    pub fresh_database: bool,
    /// The script holds a transaction open here.
    pub in_transaction: bool,
}

impl LintCtx<'_> {
    /// Was this object removed earlier in the script, so creating it again cannot fail?
    pub fn rebuilt(&self, kind: &str, name: &[Name]) -> bool {
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

/// Every statement check on one statement (everything but the INSERT rewrite).
pub(crate) fn lint_statement(
    stmt: &Statement,
    text: &str,
    offset: usize,
    ctx: &LintCtx,
) -> Vec<Finding> {
    CHECKS
        .iter()
        .flatten()
        .flat_map(|check| check(stmt, text, offset, ctx))
        .collect()
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
) -> Option<Edit> {
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
    Some(Edit::insert(offset + end, text))
}

/// A rule's finding before it is positioned: the engine turns it into a [`Diagnostic`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub rule: Rule,
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub help: Option<String>,
    /// Byte-offset edits (absolute) and the fix's title.
    pub fix: Option<(String, Vec<Edit>)>,
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

    /// A finding over `span`.
    pub fn at(rule: Rule, span: Span, message: impl Into<String>) -> Self {
        Finding::new(rule, span.start, span.end, message)
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn fix(mut self, title: impl Into<String>, edits: Vec<Edit>) -> Self {
        self.fix = Some((title.into(), edits));
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    /// The diagnostic this finding is, positioned with `index`.
    pub fn diagnostic(self, index: &LineIndex) -> Diagnostic {
        Diagnostic {
            code: self.rule.code(),
            name: self.rule.name(),
            severity: self.severity.unwrap_or(self.rule.severity()),
            message: self.message,
            help: self.help,
            span: Span::new(self.start, self.end),
            start: index.position(self.start),
            end: index.position(self.end),
            fix: self.fix.map(|(message, edits)| Fix { message, edits }),
            url: self.rule.url(),
        }
    }
}

/// `text` as inline code in a message: in backticks, unless it has its own (a MySQL name
/// written `` `orders` `` is shown once, not as ``` ``orders`` ```).
pub(crate) fn code(text: &str) -> String {
    if text.contains('`') {
        text.to_string()
    } else {
        format!("`{text}`")
    }
}
