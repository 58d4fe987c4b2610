//! `IDEM026 rewrite-breaks-parameters`: the idempotent form would not take the statement's
//! driver parameters as the caller passes them, so the statement is left as it is:
//!
//! - it would need a positional parameter (`?`, `%s`) again, elsewhere or not at all, and the
//!   caller binds values by position;
//! - it is several statements (`BEGIN; DELETE ...; INSERT ...; COMMIT;`), and drivers bind
//!   parameters to one statement per call (sqlite3, psycopg 3, DuckDB, PyMySQL and
//!   mysql-connector by default refuse a parameterized call with more than one).

use super::{Finding, Rule, code};

const HELP_NAMED: &str = "write the statement with named or numbered parameters, which may \
    appear twice (`:name`, `%(name)s`, `$1`, `?1`, `@name`, as the driver allows), or choose a \
    strategy that writes each value once (`--strategy upsert` or `merge`, where the dialect has \
    one); if the caller already guards reruns, mark it `-- idemsql: ignore`";

const HELP_STATEMENTS: &str = "choose a strategy whose form is one statement (`--strategy upsert` \
    or `merge`, where the dialect has one), or run the partition's DELETE and the INSERT as two \
    calls in one transaction; if the caller already guards reruns, mark it `-- idemsql: ignore`";

/// The rewrite of the statement holding the positional parameter `param` (at `start..end`)
/// needs it twice or elsewhere.
pub(crate) fn positional(start: usize, end: usize, param: &str) -> Finding {
    Finding::new(
        Rule::RewriteBreaksParameters,
        start,
        end,
        format!(
            "not rewritten: the idempotent form of this statement would need the positional \
             parameter {} again or in another place, and the caller binds its values by position",
            code(param)
        ),
    )
    .help(HELP_NAMED)
}

/// The rewrite of the statement at `start..end`, which has driver parameters, is several
/// statements.
pub(crate) fn several_statements(start: usize, end: usize) -> Finding {
    Finding::new(
        Rule::RewriteBreaksParameters,
        start,
        end,
        "not rewritten: the idempotent form of this statement is several statements, and a \
         driver runs one statement with parameters per call",
    )
    .help(HELP_STATEMENTS)
}
