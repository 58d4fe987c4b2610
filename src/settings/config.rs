//! The configuration file and what goes over it, shared by every adapter that reads files:
//! the CLI and the language server.
//!
//! Both look for the nearest configuration file at or above an input, read the schema files it
//! names (relative to the file) into [`Options::schema`], and lay their own settings over it
//! (command-line flags, editor settings) with one rule, [`Overrides::apply`]. The library does
//! no I/O, so files are read through a callback that answers with a [`FileText`]: the CLI reads
//! them from disk as they are asked for, the language server asks its client and answers
//! [`FileText::Pending`] until the text arrives, and then looks again.
//!
//! Paths are strings with `/` separators (`C:/x` on Windows is fine too); nothing here touches
//! the file system.
//!
//! ```
//! use idemsql::config::{self, FileText, Lookup, Overrides};
//! use idemsql::Dialect;
//!
//! let mut read = |path: &str| match path {
//!     "/p/idemsql.toml" => FileText::Text("dialect = \"mysql\"\nnull-safe = true\n".into()),
//!     _ => FileText::Missing(None),
//! };
//! let Lookup::Ready(file) = config::discover(Some("/p/models"), &mut read) else {
//!     panic!("no pending file, no broken one")
//! };
//! // `--dialect duckdb` (or the editor's `"dialect": "duckdb"`) over the file.
//! let flags = Overrides { dialect: Some(Dialect::Duckdb), ..Overrides::default() };
//! let options = flags.apply(file).unwrap();
//! assert_eq!(options.dialect, Dialect::Duckdb);
//! assert!(options.null_safe);
//! ```

use std::collections::BTreeMap;

use crate::Dialect;
use crate::diagnostic::Severity;
use crate::error::Error;
use crate::settings::options::{Dedupe, Options, Strategy};

/// One kind of configuration file: its name, and how its text becomes options.
///
/// A kind whose file may hold no idemsql settings at all (a `pyproject.toml` without a
/// `[tool.idemsql]` table) returns `Ok(None)`, and the search goes on upwards as if the file
/// were not there.
struct ConfigFile {
    name: &'static str,
    parse: fn(&str) -> Result<Option<Options>, Error>,
}

/// The configuration files looked for in each directory, nearest directory first and, within
/// a directory, in this order. A second kind is one more entry here.
/// `idemsql.toml` wins over a `pyproject.toml` in the same directory, as ruff's own file wins
/// over `[tool.ruff]`.
const CONFIG_FILES: &[ConfigFile] = &[
    ConfigFile {
        name: "idemsql.toml",
        parse: |text| Options::from_toml(text).map(Some),
    },
    ConfigFile {
        name: "pyproject.toml",
        parse: Options::from_pyproject,
    },
];

/// The names of the configuration files, for a client's file watcher.
#[cfg(feature = "lsp")]
pub(crate) fn config_file_names() -> impl Iterator<Item = &'static str> {
    CONFIG_FILES.iter().map(|f| f.name)
}

/// What an adapter knows about the file at a path, the answer of the read callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileText {
    /// The file's text.
    Text(String),
    /// There is no file at the path (or it is not a regular file). The search for a
    /// configuration file goes on upwards; a file the configuration names is an error, in the
    /// reader's words (`reason`, an I/O error) when it has them.
    Missing(Option<String>),
    /// A file is there but cannot be read (the reason). Always an error: a configuration file
    /// that cannot be read must not silently give way to the one above it.
    Unreadable(String),
    /// Not known yet: the reader has asked for it and will look again when it arrives (the
    /// language server asks its client). The CLI reads synchronously and never answers this.
    Pending,
}

/// A configuration file that could not be used. The message names the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The configuration file could not be read, or its contents are not valid options.
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
    /// A file of the configuration's `schema-files` could not be read.
    #[error(
        "{path} (schema-files in {config}){}",
        reason.as_ref().map_or_else(|| " could not be read".to_string(), |r| format!(": {r}"))
    )]
    SchemaFile {
        path: String,
        config: String,
        /// The reader's words, when it has them.
        reason: Option<String>,
    },
}

/// The outcome of reading configuration through a callback that may not know a file yet.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// The options of the configuration file (the defaults when there is none).
    Ready(Options),
    /// A file was not known yet ([`FileText::Pending`]): look again when it is.
    Pending,
    /// A file could not be used.
    Failed(ConfigError),
}

/// The options of the nearest configuration file at or above the directory `dir`, with its
/// schema files read into `schema`; the defaults when there is none (or no `dir`).
///
/// Every candidate is asked for, from `dir` up, until one has text; so a reader that answers
/// [`FileText::Pending`] is asked for all the candidates at once. A file found above a pending
/// one is not read further: the pending one, nearer, may win.
pub fn discover(dir: Option<&str>, read: &mut dyn FnMut(&str) -> FileText) -> Lookup {
    let mut waiting = false;
    let mut dir = dir.map(str::to_string);
    while let Some(d) = dir {
        for kind in CONFIG_FILES {
            let candidate = join(&d, kind.name);
            match read(&candidate) {
                FileText::Pending => waiting = true,
                FileText::Missing(_) => {}
                FileText::Unreadable(reason) => return failed_file(candidate, reason),
                FileText::Text(_) if waiting => return Lookup::Pending,
                FileText::Text(text) => match (kind.parse)(&text) {
                    Ok(Some(options)) => return with_schema_files(options, &candidate, read),
                    Ok(None) => {}
                    Err(e) => return failed_file(candidate, e.to_string()),
                },
            }
        }
        dir = parent_dir(&d).map(str::to_string);
    }
    if waiting {
        Lookup::Pending
    } else {
        Lookup::Ready(Options::default())
    }
}

/// The options of the configuration file at `path`, named by the user (the CLI's `--config`),
/// with its schema files read into `schema`. The file is read as an `idemsql.toml`.
pub fn load(path: &str, read: &mut dyn FnMut(&str) -> FileText) -> Lookup {
    let text = match read(path) {
        FileText::Text(text) => text,
        FileText::Pending => return Lookup::Pending,
        FileText::Missing(reason) => {
            let reason = reason.unwrap_or_else(|| "could not be read".to_string());
            return failed_file(path.to_string(), reason);
        }
        FileText::Unreadable(reason) => return failed_file(path.to_string(), reason),
    };
    match Options::from_toml(&text) {
        Ok(options) => with_schema_files(options, path, read),
        Err(e) => failed_file(path.to_string(), e.to_string()),
    }
}

fn failed_file(path: String, reason: String) -> Lookup {
    Lookup::Failed(ConfigError::File { path, reason })
}

/// Read the `schema_files` of the options of the configuration file `config` (relative to
/// it) into `schema`. Every file is asked for before the result is pending, so a reader that
/// waits is asked for all of them at once.
fn with_schema_files(
    mut options: Options,
    config: &str,
    read: &mut dyn FnMut(&str) -> FileText,
) -> Lookup {
    let base = parent_dir(config).unwrap_or("");
    let mut waiting = false;
    for name in std::mem::take(&mut options.schema_files) {
        let path = join(base, &name);
        let reason = match read(&path) {
            FileText::Text(ddl) => {
                append_schema(&mut options.schema, &ddl);
                continue;
            }
            FileText::Pending => {
                waiting = true;
                continue;
            }
            FileText::Missing(reason) => reason,
            FileText::Unreadable(reason) => Some(reason),
        };
        return Lookup::Failed(ConfigError::SchemaFile {
            path,
            config: config.to_string(),
            reason,
        });
    }
    if waiting {
        Lookup::Pending
    } else {
        Lookup::Ready(options)
    }
}

/// Add one file's (or setting's) DDL to a schema. The `;` line ends a statement the file may
/// have left open, so that the next file's first statement is not read as part of it.
fn append_schema(schema: &mut String, ddl: &str) {
    schema.push_str(ddl);
    schema.push_str("\n;\n");
}

/// What an adapter lays over the configuration file's options: the CLI's flags, the
/// language server's editor settings. Both go through [`Overrides::apply`], so a flag and the
/// editor setting of the same name mean the same thing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// Replaces the file's dialect.
    pub dialect: Option<Dialect>,
    /// Replaces the file's strategy.
    pub strategy: Option<Strategy>,
    /// Each table's entry replaces the file's entry for that table; other tables keep theirs.
    pub keys: BTreeMap<String, Vec<String>>,
    /// Replaces the file's default key.
    pub default_key: Option<Vec<String>>,
    /// Each table's entry replaces the file's entry for that table.
    pub partitions: BTreeMap<String, Vec<String>>,
    /// Each column's entry replaces the file's entry for that column.
    pub partition_values: BTreeMap<String, Vec<String>>,
    /// DDL texts added, in order, after the file's schema.
    pub schema: Vec<String>,
    /// Replaces the file's `null-safe`.
    pub null_safe: Option<bool>,
    /// Replaces the file's `dedupe` (`Some(None)`: no dedupe, whatever the file says).
    pub dedupe: Option<Option<Dedupe>>,
    /// Rule codes or names ignored as well as the file's.
    pub ignore: Vec<String>,
    /// Each rule's entry replaces the file's severity for that rule.
    pub severity: BTreeMap<String, Severity>,
}

impl Overrides {
    /// `base` (a configuration file's options) with these overrides laid over it, checked
    /// with [`Options::validate`]: what a run uses.
    pub fn apply(&self, mut base: Options) -> Result<Options, Error> {
        if let Some(dialect) = self.dialect {
            base.dialect = dialect;
        }
        if let Some(strategy) = self.strategy {
            base.strategy = strategy;
        }
        base.keys.extend(self.keys.clone());
        if let Some(default_key) = &self.default_key {
            base.default_key = default_key.clone();
        }
        base.partitions.extend(self.partitions.clone());
        base.partition_values.extend(self.partition_values.clone());
        for ddl in &self.schema {
            append_schema(&mut base.schema, ddl);
        }
        if let Some(null_safe) = self.null_safe {
            base.null_safe = null_safe;
        }
        if let Some(dedupe) = self.dedupe {
            base.dedupe = dedupe;
        }
        base.ignore.extend(self.ignore.iter().cloned());
        base.severity.extend(self.severity.clone());
        base.validate()?;
        Ok(base)
    }
}

/// The directory holding `path`, or `None` at the root (and for a bare file name).
pub(crate) fn parent_dir(path: &str) -> Option<&str> {
    let trimmed = path.trim_end_matches('/');
    let i = trimmed.rfind('/')?;
    Some(if i == 0 { "/" } else { &trimmed[..i] })
}

/// Is `path` absolute (`/x`, `C:/x`, `C:\x`, `\\host\x`)?
fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (b.len() >= 3
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'/' | b'\\'))
}

/// `name` inside `dir` (`name` itself when it is absolute or `dir` is empty, the directory of
/// a bare file name).
pub(crate) fn join(dir: &str, name: &str) -> String {
    if is_absolute(name) || dir.is_empty() {
        name.to_string()
    } else if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader over a fixed set of files; `pending` paths are not known yet. Records what
    /// was asked.
    fn reader<'a>(
        files: &'a [(&'a str, &'a str)],
        pending: &'a [&'a str],
        asked: &'a mut Vec<String>,
    ) -> impl FnMut(&str) -> FileText + 'a {
        move |path| {
            asked.push(path.to_string());
            if pending.contains(&path) {
                return FileText::Pending;
            }
            files
                .iter()
                .find(|(p, _)| *p == path)
                .map_or(FileText::Missing(None), |(_, t)| {
                    FileText::Text(t.to_string())
                })
        }
    }

    #[test]
    fn paths() {
        assert_eq!(parent_dir("/a/b/c.sql"), Some("/a/b"));
        assert_eq!(parent_dir("/a"), Some("/"));
        assert_eq!(parent_dir("/"), None);
        assert_eq!(parent_dir("C:/a/b.sql"), Some("C:/a"));
        assert_eq!(parent_dir("idemsql.toml"), None);
        assert_eq!(join("/", "idemsql.toml"), "/idemsql.toml");
        assert_eq!(join("/a", "s/ddl.sql"), "/a/s/ddl.sql");
        assert_eq!(join("/a", "/etc/ddl.sql"), "/etc/ddl.sql");
        assert_eq!(join("", "ddl.sql"), "ddl.sql");
    }

    #[test]
    fn discovery_walks_up_and_reads_schema_files() {
        let files = [
            (
                "/p/idemsql.toml",
                "dialect = \"mysql\"\nschema-files = [\"d/s.sql\"]\n",
            ),
            ("/p/d/s.sql", "CREATE TABLE t (a int)"),
        ];
        let mut asked = Vec::new();
        let found = discover(Some("/p/sub"), &mut reader(&files, &[], &mut asked));
        let Lookup::Ready(o) = found else {
            panic!("{found:?}")
        };
        assert_eq!(o.dialect, Dialect::Mysql);
        assert_eq!(o.schema, "CREATE TABLE t (a int)\n;\n");
        assert!(o.schema_files.is_empty());
        assert_eq!(
            asked,
            [
                "/p/sub/idemsql.toml",
                "/p/sub/pyproject.toml",
                "/p/idemsql.toml",
                "/p/d/s.sql"
            ]
        );
        let mut asked = Vec::new();
        let none = discover(Some("/q"), &mut reader(&files, &[], &mut asked));
        assert_eq!(none, Lookup::Ready(Options::default()));
        assert_eq!(
            asked,
            [
                "/q/idemsql.toml",
                "/q/pyproject.toml",
                "/idemsql.toml",
                "/pyproject.toml"
            ]
        );
    }

    #[test]
    fn pyproject_tool_table_is_read_and_idemsql_toml_wins() {
        let files = [
            (
                "/p/pyproject.toml",
                "[project]\nname = \"x\"\n[tool.idemsql]\ndialect = \"duckdb\"\nnull-safe = true\n",
            ),
            (
                "/p/sub/pyproject.toml",
                "[project]\nname = \"no idemsql table\"\n",
            ),
            ("/q/idemsql.toml", "dialect = \"mysql\"\n"),
            (
                "/q/pyproject.toml",
                "[tool.idemsql]\ndialect = \"duckdb\"\n",
            ),
        ];
        let mut asked = Vec::new();
        let Lookup::Ready(o) = discover(Some("/p/sub"), &mut reader(&files, &[], &mut asked))
        else {
            panic!("not ready");
        };
        assert_eq!((o.dialect, o.null_safe), (crate::Dialect::Duckdb, true));
        let Lookup::Ready(o) = discover(Some("/q"), &mut reader(&files, &[], &mut asked)) else {
            panic!("not ready");
        };
        assert_eq!(o.dialect, crate::Dialect::Mysql);
        let bad = [("/r/pyproject.toml", "[tool.idemsql]\nnope = 1\n")];
        let Lookup::Failed(e) = discover(Some("/r"), &mut reader(&bad, &[], &mut asked)) else {
            panic!("not failed");
        };
        let e = e.to_string();
        assert!(e.starts_with("/r/pyproject.toml: "), "{e}");
        assert!(e.contains("[tool.idemsql]"), "{e}");
        assert!(e.contains("unknown field `nope`"), "{e}");
    }

    #[test]
    fn pending_candidates_are_all_asked_for() {
        let files = [("/idemsql.toml", "dialect = \"mysql\"\n")];
        let mut asked = Vec::new();
        let found = discover(
            Some("/a"),
            &mut reader(&files, &["/a/idemsql.toml"], &mut asked),
        );
        assert_eq!(found, Lookup::Pending);
        assert_eq!(
            asked,
            ["/a/idemsql.toml", "/a/pyproject.toml", "/idemsql.toml"]
        );
    }

    #[test]
    fn errors_name_the_file() {
        let files = [("/p/idemsql.toml", "schema-files = [\"nope.sql\"]\n")];
        let mut asked = Vec::new();
        let Lookup::Failed(e) = discover(Some("/p"), &mut reader(&files, &[], &mut asked)) else {
            panic!()
        };
        assert_eq!(
            e.to_string(),
            "/p/nope.sql (schema-files in /p/idemsql.toml) could not be read"
        );
        let e = ConfigError::SchemaFile {
            path: "s.sql".into(),
            config: "c.toml".into(),
            reason: Some("denied".into()),
        };
        assert_eq!(e.to_string(), "s.sql (schema-files in c.toml): denied");
        let files = [("c.toml", "dialekt = 1\n")];
        let Lookup::Failed(e) = load("c.toml", &mut reader(&files, &[], &mut asked)) else {
            panic!()
        };
        assert!(e.to_string().starts_with("c.toml: "), "{e}");
        assert!(e.to_string().contains("dialekt"), "{e}");
    }

    #[test]
    fn overrides_replace_per_table_and_add_lists() {
        let base = Options::from_toml(
            "dialect = \"mysql\"\nignore = [\"IDEM013\"]\nschema = \"CREATE TABLE a (x int)\"\n\
             [severity]\nIDEM016 = \"error\"\nIDEM022 = \"warning\"\n\
             [keys]\norders = [\"order_id\"]\nitems = [\"item_id\"]\n\
             [partition-values]\nd = [\"'1'\"]\n",
        )
        .unwrap();
        let overrides = Overrides {
            dialect: Some(Dialect::Duckdb),
            keys: BTreeMap::from([("orders".to_string(), vec!["id".to_string()])]),
            partition_values: BTreeMap::from([("d".to_string(), vec!["'2'".to_string()])]),
            schema: vec!["CREATE TABLE t (a int)".into()],
            ignore: vec!["IDEM014".into()],
            dedupe: Some(None),
            severity: BTreeMap::from([("IDEM022".to_string(), Severity::Info)]),
            ..Overrides::default()
        };
        let o = overrides.apply(base).unwrap();
        assert_eq!(o.severity["IDEM016"], Severity::Error);
        assert_eq!(o.severity["IDEM022"], Severity::Info);
        assert_eq!(o.dialect, Dialect::Duckdb);
        assert_eq!(o.keys["orders"], vec!["id"]);
        assert_eq!(o.keys["items"], vec!["item_id"]);
        assert_eq!(o.partition_values["d"], vec!["'2'"]);
        assert_eq!(o.ignore, vec!["IDEM013", "IDEM014"]);
        assert_eq!(
            o.schema,
            "CREATE TABLE a (x int)CREATE TABLE t (a int)\n;\n"
        );
        let bad = Overrides {
            ignore: vec!["NOPE".into()],
            ..Overrides::default()
        };
        assert!(
            bad.apply(Options::default())
                .unwrap_err()
                .to_string()
                .contains("NOPE")
        );
    }
}
