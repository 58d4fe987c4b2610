//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Examples:
  idemsql rewrite load_orders.sql > load_orders.idempotent.sql
  idemsql rewrite --dialect mysql --key orders=order_id load.sql
  idemsql check models/ migrations/
  idemsql check --fix --dialect duckdb sql/
  idemsql check --diff --format github .
  idemsql check --format sarif . > idemsql.sarif
  idemsql explain IDEM001
  idemsql server                      (the language server, for editors)

Keys and partitions, most specific first: a directive comment before the statement
(-- idemsql: key(order_id) strategy(merge)), --key/--partition options, idemsql.toml
(found by walking up from the input file), the table's DDL (in the input or --schema),
then a default --key without a table.

Exit codes: 0 clean, 1 findings remain (or a statement could not be rewritten),
2 usage, configuration or I/O error.";

/// Make SQL writes safe to run twice: rewrite plain INSERTs into idempotent upserts,
/// MERGEs and partition overwrites, and lint writes that are not safe to rerun.
#[derive(Debug, Parser)]
#[command(name = "idemsql", version, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rewrite every plain INSERT into its idempotent form; the SQL goes to stdout,
    /// diagnostics to stderr.
    #[command(after_help = "\
Examples:
  idemsql rewrite orders.sql
  cat orders.sql | idemsql rewrite --dialect sqlite -
  idemsql rewrite --strategy overwrite --partition events=event_date daily.sql

Only INSERT statements change; every other byte of the input is kept. Use
`idemsql check --fix` to also apply the DDL fixes (IF NOT EXISTS, IF EXISTS).")]
    Rewrite {
        /// The SQL file to rewrite; `-` or nothing reads stdin.
        file: Option<PathBuf>,
        #[command(flatten)]
        shared: Shared,
    },
    /// Run each script twice on a real database, in a scratch database, and report whether the
    /// second run left the same data as the first.
    #[command(after_help = "\
Examples:
  idemsql test --db sqlite::memory: load.sql
  idemsql test --rewrite load.sql               (the script and its rewrite, side by side)
  idemsql test --crash --setup schema.sql move.sql
  idemsql test --ignore-column orders.updated_at --format junit models/*.sql > idemsql.xml

--format is text (default), json or junit.

Every table of the scratch database is compared, all rows, after one run and after two.
--crash also stops a run after each statement (the connection dropped, an open transaction
rolled back), runs the whole script again and compares with one clean run.
--db sqlite:PATH tests on a copy of that file; the file itself is only read.

Exit codes: 0 every file is idempotent, 1 one is not or a run failed, 2 usage or connection
error.")]
    Test {
        /// The SQL scripts to test; a directory means every *.sql file under it.
        files: Vec<PathBuf>,
        /// The database: `sqlite::memory:` or `sqlite:PATH` [default: the dialect's embedded
        /// engine].
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// SQL run before each script, in the same scratch database (a schema, seed data).
        /// Repeatable.
        #[arg(long, value_name = "FILE")]
        setup: Vec<PathBuf>,
        /// Also rewrite each script (every fix, as `check --fix`) and test the rewrite.
        #[arg(long)]
        rewrite: bool,
        /// Also stop a run after each statement, rerun the script, and compare with one run.
        #[arg(long)]
        crash: bool,
        /// A column that changes on purpose (`orders.updated_at`), left out of the
        /// comparison. Repeatable.
        #[arg(long, value_name = "TABLE.COLUMN")]
        ignore_column: Vec<String>,
        #[command(flatten)]
        shared: Shared,
    },
    /// Report every write that is not safe to rerun (directories are searched for *.sql).
    #[command(after_help = "\
Examples:
  idemsql check models/
  idemsql check --fix migrations/0042_backfill.sql
  idemsql check --diff .
  idemsql check --format json - < load.sql")]
    Check {
        /// Files or directories; `-` reads stdin. Default: the current directory.
        paths: Vec<PathBuf>,
        /// Apply every available fix, writing files in place (atomically). A file with a
        /// statement that cannot be parsed is not written.
        #[arg(long, conflicts_with = "diff")]
        fix: bool,
        /// Print the fixes as a unified diff and write nothing.
        #[arg(long)]
        diff: bool,
        /// The file name to report (and to look up idemsql.toml from) for stdin.
        #[arg(long, value_name = "PATH")]
        stdin_filename: Option<PathBuf>,
        /// The file extensions searched for in directories: SQL files, and Python files
        /// (whose SQL is in their strings). Files named on the command line are always read.
        #[arg(
            long,
            value_name = "EXT,...",
            value_delimiter = ',',
            default_value = "sql,py"
        )]
        extensions: Vec<String>,
        #[command(flatten)]
        shared: Shared,
    },
    /// Show what a rule finds, why a rerun breaks, and how to fix it.
    #[command(
        after_help = "Examples:\n  idemsql explain IDEM004\n  idemsql explain nullable-key\n  idemsql explain"
    )]
    Explain {
        /// A rule code (IDEM001) or name (non-idempotent-insert); without one, list the rules.
        rule: Option<String>,
    },
    /// List the dialects and the strategies each can write.
    Dialects,
    /// Run the language server (LSP over stdin and stdout) for editors.
    #[command(after_help = "\
Diagnostics on open, change and save; a quick fix per fixable finding and
`source.fixAll.idemsql`; hover on a finding shows the rewritten statement.
Settings: the nearest idemsql.toml above each file, then the editor's settings
(initializationOptions, workspace/didChangeConfiguration), with the same fields.
Setup for Neovim, Helix and VS Code: docs/integrations.md.")]
    Server {
        /// Accepted for clients that pass it; stdio is the only transport.
        #[arg(long, hide = true)]
        stdio: bool,
    },
}

/// Flags every command that reads SQL shares.
#[derive(Debug, Args, Clone, Default)]
pub struct Shared {
    /// The database the SQL is for [default: postgres, or idemsql.toml's `dialect`].
    #[arg(long, short = 'd', value_name = "DIALECT")]
    pub dialect: Option<String>,
    /// auto, upsert, ignore, merge or overwrite [default: auto].
    #[arg(long, short = 's', value_name = "STRATEGY")]
    pub strategy: Option<String>,
    /// Key columns: `table=col1,col2`, or `col` for any table without another key. Repeatable.
    #[arg(long, short = 'k', value_name = "TABLE=COLS")]
    pub key: Vec<String>,
    /// Partition columns: `table=col`. Repeatable.
    #[arg(long, short = 'p', value_name = "TABLE=COLS")]
    pub partition: Vec<String>,
    /// Partition values an overwrite may write: `col='2024-01-01'` (SQL literal). Repeatable.
    #[arg(long, value_name = "COL=VALUE")]
    pub partition_value: Vec<String>,
    /// A file of DDL describing the tables (keys, partitions, columns). Repeatable.
    #[arg(long, value_name = "FILE")]
    pub schema: Vec<PathBuf>,
    /// The configuration file [default: the nearest idemsql.toml above the input].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any idemsql.toml.
    #[arg(long)]
    pub no_config: bool,
    /// Compare key columns NULL-safely in MERGE and DELETE predicates.
    #[arg(long)]
    pub null_safe: bool,
    /// Keep one row per key when a VALUES batch repeats a key: `first` or `last`.
    #[arg(long, value_name = "WHICH")]
    pub dedupe: Option<String>,
    /// Do not report this rule (code or name). Repeatable.
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
    /// A rule's severity: `RULE=error|warning|info` (`unparsed-write=warning`). Repeatable.
    #[arg(long, value_name = "RULE=LEVEL")]
    pub severity: Vec<String>,
    /// How to print diagnostics [default: text; github when GITHUB_ACTIONS=true].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// Exit 0 even when findings remain.
    #[arg(long)]
    pub exit_zero: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// file:line:col, the source line and a caret, like rustc.
    Text,
    /// One JSON array of diagnostics with stable fields.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
    /// SARIF 2.1.0, for code scanning: rules with help, results with locations and fixes.
    Sarif,
    /// GitLab Code Quality (`artifacts:reports:codequality`).
    Gitlab,
    /// JUnit XML: one test case per finding, for CI test reports.
    Junit,
}
