//! Building [`Options`] for one input: `idemsql.toml` (found by walking up from the input),
//! then the command-line flags over it, then the schema files read into `schema`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use idemsql::{Options, Strategy};

use crate::args::Shared;

pub const CONFIG_NAME: &str = "idemsql.toml";

/// A failure that stops the run (exit code 2).
#[derive(Debug)]
pub struct Fatal(pub String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Self {
        Fatal(e.to_string())
    }
}

/// Resolves options per directory, reading each config file once.
pub struct Resolver {
    shared: Shared,
    found: HashMap<PathBuf, Option<PathBuf>>,
    loaded: HashMap<PathBuf, Options>,
}

impl Resolver {
    pub fn new(shared: Shared) -> Self {
        Resolver {
            shared,
            found: HashMap::new(),
            loaded: HashMap::new(),
        }
    }

    /// The nearest `idemsql.toml` at or above `dir`.
    fn find(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(f) = self.found.get(dir) {
            return f.clone();
        }
        let candidate = dir.join(CONFIG_NAME);
        let result = if candidate.is_file() {
            Some(candidate)
        } else {
            dir.parent().and_then(|p| self.find(p))
        };
        self.found.insert(dir.to_path_buf(), result.clone());
        result
    }

    fn load(&mut self, path: &Path) -> Result<Options, Fatal> {
        if let Some(o) = self.loaded.get(path) {
            return Ok(o.clone());
        }
        let text =
            std::fs::read_to_string(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
        let mut options =
            Options::from_toml(&text).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
        // Schema files are relative to the config file.
        let base = path.parent().unwrap_or(Path::new("."));
        let files = std::mem::take(&mut options.schema_files);
        for f in files {
            let p = base.join(&f);
            let ddl = std::fs::read_to_string(&p).map_err(|e| {
                Fatal(format!(
                    "{} (schema-files in {}): {e}",
                    p.display(),
                    path.display()
                ))
            })?;
            options.schema.push_str(&ddl);
            options.schema.push_str("\n;\n");
        }
        self.loaded.insert(path.to_path_buf(), options.clone());
        Ok(options)
    }

    /// The options for an input at `input` (or stdin: `None`).
    pub fn options_for(&mut self, input: Option<&Path>) -> Result<Options, Fatal> {
        let mut options = if self.shared.no_config {
            Options::default()
        } else if let Some(c) = self.shared.config.clone() {
            self.load(&c)?
        } else {
            let dir = match input {
                Some(p) => {
                    let abs = std::path::absolute(p)?;
                    abs.parent().map(Path::to_path_buf).unwrap_or_default()
                }
                None => std::env::current_dir()?,
            };
            match self.find(&dir) {
                Some(c) => self.load(&c)?,
                None => Options::default(),
            }
        };
        apply_flags(&mut options, &self.shared)?;
        Ok(options)
    }
}

/// Flags override the config: scalars replace, per-table keys and partitions replace the
/// config's entry for that table.
fn apply_flags(options: &mut Options, shared: &Shared) -> Result<(), Fatal> {
    if let Some(d) = &shared.dialect {
        options.dialect = d.parse()?;
    }
    if let Some(s) = &shared.strategy {
        options.strategy = s.parse::<Strategy>()?;
    }
    if !shared.key.is_empty() {
        let mut flags = Options::default();
        for k in &shared.key {
            flags.add_key_spec(k)?;
        }
        for (table, cols) in flags.keys {
            options.keys.insert(table, cols);
        }
        if !flags.default_key.is_empty() {
            options.default_key = flags.default_key;
        }
    }
    if !shared.partition.is_empty() {
        let mut flags = Options::default();
        for p in &shared.partition {
            flags.add_partition_spec(p)?;
        }
        for (table, cols) in flags.partitions {
            options.partitions.insert(table, cols);
        }
    }
    for v in &shared.partition_value {
        options.add_partition_value_spec(v)?;
    }
    for f in &shared.schema {
        let ddl = std::fs::read_to_string(f).map_err(|e| Fatal(format!("{}: {e}", f.display())))?;
        options.schema.push_str(&ddl);
        options.schema.push_str("\n;\n");
    }
    if shared.null_safe {
        options.null_safe = true;
    }
    if let Some(d) = &shared.dedupe {
        options.dedupe = Some(d.parse()?);
    }
    options.ignore.extend(shared.ignore.iter().cloned());
    options.validate()?;
    Ok(())
}
