//! [`Options`]: the one settings struct behind CLI flags, `idemsql.toml`, the JS options object
//! and the language server's settings.
//!
//! Field names are camelCase (what JavaScript callers write); kebab-case and snake_case spellings
//! are accepted too, so `idemsql.toml` can say `null-safe = true`. Unknown fields are rejected with
//! a message naming the field, in every adapter.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Dialect;
use crate::diagnostic::Severity;
use crate::error::Error;
use crate::text::quoting::{find_unquoted, split_unquoted};

/// What a rerun of a rewritten INSERT does to rows that already exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// Overwrite when the table has partition columns and no key; otherwise upsert.
    #[default]
    Auto,
    /// The incoming row wins.
    Upsert,
    /// The existing row wins.
    Ignore,
    /// Upsert, always written as `MERGE`.
    Merge,
    /// The partitions the statement writes are replaced whole.
    Overwrite,
}

impl Strategy {
    pub const ALL: [Strategy; 5] = [
        Strategy::Auto,
        Strategy::Upsert,
        Strategy::Ignore,
        Strategy::Merge,
        Strategy::Overwrite,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Strategy::Auto => "auto",
            Strategy::Upsert => "upsert",
            Strategy::Ignore => "ignore",
            Strategy::Merge => "merge",
            Strategy::Overwrite => "overwrite",
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Strategy {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Strategy::ALL
            .into_iter()
            .find(|st| st.name() == lower)
            .ok_or_else(|| Error::UnknownStrategy(s.to_string()))
    }
}

/// Which row to keep when one VALUES batch has the same key twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dedupe {
    /// Keep the first row for each key.
    First,
    /// Keep the last row for each key (what a sequence of single-row upserts would leave).
    Last,
}

impl FromStr for Dedupe {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "first" => Ok(Dedupe::First),
            "last" => Ok(Dedupe::Last),
            _ => Err(Error::option(
                "dedupe",
                format!("`{s}` is not `first` or `last`"),
            )),
        }
    }
}

/// Everything a run of idemsql can be told. The same struct is filled from CLI flags,
/// `idemsql.toml`, a JavaScript object and editor settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Options {
    /// The database the SQL is written for. Default: `postgres`.
    pub dialect: Dialect,
    /// The strategy for statements without a `strategy(...)` directive. Default: `auto`.
    pub strategy: Strategy,
    /// Key columns per table: `{ "orders": ["order_id"], "\"Order Lines\"": ["\"Line No\""] }`.
    /// Names are SQL identifiers, matched with the dialect's case rules.
    pub keys: BTreeMap<String, Vec<String>>,
    /// Key columns for any table that has no other key (`--key order_id`).
    #[serde(alias = "default-key", alias = "default_key")]
    pub default_key: Vec<String>,
    /// Partition columns per table: `{ "events": ["event_date"] }`.
    pub partitions: BTreeMap<String, Vec<String>>,
    /// Partition values to overwrite, per partition column, as SQL literals:
    /// `{ "event_date": ["DATE '2024-01-01'"] }`. Used when the statement does not say.
    #[serde(alias = "partition-values", alias = "partition_values")]
    pub partition_values: BTreeMap<String, Vec<String>>,
    /// DDL (`CREATE TABLE ...`) describing tables that the input itself does not create.
    pub schema: String,
    /// Files holding DDL, read by the CLI and the language server (relative to the config file)
    /// and appended to `schema`. The library itself reads no files.
    #[serde(alias = "schema-files", alias = "schema_files")]
    pub schema_files: Vec<String>,
    /// Compare key columns with the dialect's NULL-safe equality in MERGE and DELETE predicates.
    #[serde(alias = "null-safe", alias = "null_safe")]
    pub null_safe: bool,
    /// Keep one row per key when a VALUES batch repeats a key, instead of refusing.
    pub dedupe: Option<Dedupe>,
    /// Rule codes or names not to report (`["IDEM013", "drop-without-if-exists"]`).
    pub ignore: Vec<String>,
    /// A severity per rule code or name, replacing the rule's default
    /// (`{ "unparsed-write": "warning", "IDEM016": "error" }`). An `error` fails `check`;
    /// findings a rule itself gives a lower level (client commands under IDEM016) keep it.
    pub severity: BTreeMap<String, Severity>,
    /// In Python files, more functions whose first argument is SQL, besides `execute`,
    /// `executemany`, `executescript`, `text`, `read_sql`, `read_sql_query`, `sql` and
    /// `exec_driver_sql` (`["run_query"]`).
    #[serde(alias = "python-calls", alias = "python_calls")]
    pub python_calls: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dialect: Dialect::Postgres,
            strategy: Strategy::Auto,
            keys: BTreeMap::new(),
            default_key: Vec::new(),
            partitions: BTreeMap::new(),
            partition_values: BTreeMap::new(),
            schema: String::new(),
            schema_files: Vec::new(),
            null_safe: false,
            dedupe: None,
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            python_calls: Vec::new(),
        }
    }
}

impl Options {
    /// Options for one dialect, everything else default.
    pub fn for_dialect(dialect: Dialect) -> Self {
        Options {
            dialect,
            ..Options::default()
        }
    }

    /// Read options from the text of an `idemsql.toml` file.
    pub fn from_toml(text: &str) -> Result<Self, Error> {
        toml::from_str(text).map_err(|e| Error::Config(e.to_string()))
    }

    /// Read options from the `[tool.idemsql]` table of a `pyproject.toml` (the keys of an
    /// `idemsql.toml`); `None` when the file has no such table. The rest of the file is
    /// skipped, not built into a value (which would cost the WebAssembly modules ~13 KB).
    pub fn from_pyproject(text: &str) -> Result<Option<Self>, Error> {
        #[derive(Deserialize)]
        struct Pyproject {
            tool: Option<Tool>,
        }
        #[derive(Deserialize)]
        struct Tool {
            idemsql: Option<Options>,
        }
        toml::from_str::<Pyproject>(text)
            .map(|p| p.tool.and_then(|t| t.idemsql))
            .map_err(|e| Error::Config(format!("[tool.idemsql]: {e}")))
    }

    /// Read options from a JSON object (the shape the WASM API takes).
    pub fn from_json(text: &str) -> Result<Self, Error> {
        serde_json::from_str(text).map_err(|e| Error::Config(e.to_string()))
    }

    /// Read options from a JSON object like [`Options::from_json`], with a message that names
    /// the field by its path (`invalid option `keys.orders`: invalid type: ...`) and leaves out
    /// serde_json's " at line 1 column 42", which means nothing to a caller who passed an
    /// object or keyword arguments. The adapters that take JSON share it.
    #[cfg(feature = "json-paths")]
    pub fn from_json_named(text: &str) -> Result<Self, String> {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.inner().to_string();
            let inner = match inner.rfind(" at line ") {
                Some(i) if inner[i..].contains(" column ") => &inner[..i],
                _ => &inner,
            };
            if path == "." || path.is_empty() {
                format!("invalid options: {inner}")
            } else {
                format!("invalid option `{path}`: {inner}")
            }
        })
    }

    /// Add a key given as `table=col1,col2` (or `col1,col2` for the default key), the form of
    /// `--key`. Names may be quoted: `"Order Lines"="Line No"`.
    pub fn add_key_spec(&mut self, spec: &str) -> Result<(), Error> {
        match split_spec(spec, "--key")? {
            (Some(table), cols) => self.keys.entry(table).or_default().extend(cols),
            (None, cols) => self.default_key.extend(cols),
        }
        Ok(())
    }

    /// Add partition columns given as `table=col1,col2`, the form of `--partition`.
    pub fn add_partition_spec(&mut self, spec: &str) -> Result<(), Error> {
        match split_spec(spec, "--partition")? {
            (Some(table), cols) => self.partitions.entry(table).or_default().extend(cols),
            (None, _) => {
                return Err(Error::option(
                    "--partition",
                    format!("`{spec}` names no table; write `table=column`"),
                ));
            }
        }
        Ok(())
    }

    /// Add partition values given as `column=literal`, the form of `--partition-value`
    /// (`event_date='2024-01-01'`). The literal is SQL text.
    pub fn add_partition_value_spec(&mut self, spec: &str) -> Result<(), Error> {
        let Some(eq) = find_unquoted(spec, '=') else {
            return Err(Error::option(
                "--partition-value",
                format!("`{spec}` is not `column=value`"),
            ));
        };
        let column = spec[..eq].trim();
        let value = spec[eq + 1..].trim();
        if column.is_empty() || value.is_empty() {
            return Err(Error::option(
                "--partition-value",
                format!("`{spec}` is not `column=value`"),
            ));
        }
        self.partition_values
            .entry(column.to_string())
            .or_default()
            .push(value.to_string());
        Ok(())
    }

    /// Check values that serde cannot check: names must be non-empty identifiers.
    pub fn validate(&self) -> Result<(), Error> {
        let check_names = |field: &str, names: &[String]| -> Result<(), Error> {
            if names.is_empty() {
                return Err(Error::option(field, "lists no columns"));
            }
            for n in names {
                crate::names::parse_qualified(n, self.dialect)
                    .map_err(|m| Error::option(field, format!("`{n}`: {m}")))?;
            }
            Ok(())
        };
        for (table, cols) in &self.keys {
            check_names("keys", std::slice::from_ref(table))?;
            check_names("keys", cols)?;
        }
        if !self.default_key.is_empty() {
            check_names("defaultKey", &self.default_key)?;
        }
        for (table, cols) in &self.partitions {
            check_names("partitions", std::slice::from_ref(table))?;
            check_names("partitions", cols)?;
        }
        for (col, values) in &self.partition_values {
            check_names("partitionValues", std::slice::from_ref(col))?;
            if values.is_empty() {
                return Err(Error::option(
                    "partitionValues",
                    format!("`{col}` lists no values"),
                ));
            }
        }
        let check_rule = |field: &str, code: &str| match crate::rules::Rule::from_code_or_name(code)
        {
            Some(_) => Ok(()),
            None => Err(Error::option(
                field,
                format!("`{code}` is not a rule code or name (see `idemsql explain`)"),
            )),
        };
        for code in &self.ignore {
            check_rule("ignore", code)?;
        }
        for code in self.severity.keys() {
            check_rule("severity", code)?;
        }
        Ok(())
    }

    /// Add a severity given as `RULE=LEVEL`, the form of `--severity` (`IDEM022=warning`).
    pub fn add_severity_spec(&mut self, spec: &str) -> Result<(), Error> {
        let bad = || {
            Error::option(
                "--severity",
                format!("`{spec}` is not `RULE=error`, `RULE=warning` or `RULE=info`"),
            )
        };
        let (rule, level) = spec.split_once('=').ok_or_else(bad)?;
        let level = match level.trim().to_ascii_lowercase().as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            _ => return Err(bad()),
        };
        self.severity.insert(rule.trim().to_string(), level);
        Ok(())
    }
}

/// Split `table=a,b` into the table and its columns, honouring quotes.
fn split_spec(spec: &str, field: &str) -> Result<(Option<String>, Vec<String>), Error> {
    let (table, cols) = match find_unquoted(spec, '=') {
        Some(eq) => (Some(spec[..eq].trim().to_string()), &spec[eq + 1..]),
        None => (None, spec),
    };
    if table.as_deref() == Some("") {
        return Err(Error::option(
            field,
            format!("`{spec}` has no table before `=`"),
        ));
    }
    let cols: Vec<String> = split_unquoted(cols, ',')
        .into_iter()
        .map(|c| c.trim().to_string())
        .collect();
    if cols.iter().any(|c| c.is_empty()) {
        return Err(Error::option(
            field,
            format!("`{spec}` has an empty column name"),
        ));
    }
    Ok((table, cols))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_specs() {
        let mut o = Options::default();
        o.add_key_spec("orders=order_id,line_no").unwrap();
        o.add_key_spec("\"Order Lines\"=\"Line No\"").unwrap();
        o.add_key_spec("id").unwrap();
        assert_eq!(o.keys["orders"], vec!["order_id", "line_no"]);
        assert_eq!(o.keys["\"Order Lines\""], vec!["\"Line No\""]);
        assert_eq!(o.default_key, vec!["id"]);
        assert!(o.add_key_spec("=a").is_err());
        assert!(o.add_key_spec("t=a,,b").is_err());
        assert!(o.add_partition_spec("event_date").is_err());
        o.add_severity_spec("unparsed-write=Warning").unwrap();
        assert_eq!(o.severity["unparsed-write"], Severity::Warning);
        assert!(o.add_severity_spec("IDEM022").is_err());
        assert!(o.add_severity_spec("IDEM022=loud").is_err());
        o.add_severity_spec("NOPE=info").unwrap();
        assert!(o.validate().is_err(), "an unknown rule is refused");
    }

    #[test]
    fn toml_and_json_spellings() {
        let o = Options::from_toml(
            "dialect = \"mysql\"\nnull-safe = true\n[keys]\norders = [\"order_id\"]\n",
        )
        .unwrap();
        assert_eq!(o.dialect, Dialect::Mysql);
        assert!(o.null_safe);
        let j =
            Options::from_json(r#"{"dialect":"duckdb","nullSafe":true,"dedupe":"last"}"#).unwrap();
        assert_eq!(j.dedupe, Some(Dedupe::Last));
        let sev = Options::from_toml("[severity]\nIDEM022 = \"warning\"\n").unwrap();
        assert_eq!(sev.severity["IDEM022"], Severity::Warning);
        assert!(Options::from_toml("[severity]\nIDEM022 = \"fatal\"\n").is_err());
        let err = Options::from_json(r#"{"dialekt":"duckdb"}"#).unwrap_err();
        assert!(err.to_string().contains("dialekt"), "{err}");
    }
}
