//! Building [`Options`] for one input: the library's configuration lookup
//! ([`idemsql::config`]: the nearest `idemsql.toml` above the input, its schema files) over
//! files read from disk, then the command-line flags over it as [`Overrides`], by the rule
//! the language server's editor settings follow too.

use std::collections::HashMap;
use std::path::Path;

use idemsql::config::{self, FileText, Lookup, Overrides};
use idemsql::{Options, Strategy};

use crate::args::Shared;
use crate::exit::Fatal;
use crate::fsutil;

/// Resolves options per input, reading each file once.
pub struct Resolver {
    shared: Shared,
    /// The flags as overrides, built at the first input (so a run with no input reports no
    /// error in them, as before the flags were read once).
    overrides: Option<Overrides>,
    /// Every file read so far: each configuration candidate is looked at once per run.
    files: HashMap<String, FileText>,
}

impl Resolver {
    pub fn new(shared: Shared) -> Self {
        Resolver {
            shared,
            overrides: None,
            files: HashMap::new(),
        }
    }

    /// The options for an input at `input` (or stdin: `None`).
    pub fn options_for(&mut self, input: Option<&Path>) -> Result<Options, Fatal> {
        let base = self.file_options(input)?;
        let overrides = match self.overrides.take() {
            Some(o) => o,
            None => overrides(&self.shared)?,
        };
        let options = overrides.apply(base);
        self.overrides = Some(overrides);
        Ok(options?)
    }

    /// The configuration file's options: none with `--no-config`, the file `--config`
    /// names, or the nearest `idemsql.toml` above the input (above the current directory
    /// for stdin).
    fn file_options(&mut self, input: Option<&Path>) -> Result<Options, Fatal> {
        if self.shared.no_config {
            return Ok(Options::default());
        }
        let lookup = match self.shared.config.clone() {
            Some(path) => config::load(&fsutil::path_string(&path), &mut |p| self.read(p)),
            None => {
                let dir = start_dir(input)?;
                config::discover(Some(&dir), &mut |p| self.read(p))
            }
        };
        match lookup {
            Lookup::Ready(options) => Ok(options),
            Lookup::Failed(e) => Err(Fatal(e.to_string())),
            // `fsutil::read_file` never answers `Pending`: the CLI reads as it is asked.
            Lookup::Pending => Err(Fatal("configuration not read".into())),
        }
    }

    fn read(&mut self, path: &str) -> FileText {
        self.files
            .entry(path.to_string())
            .or_insert_with(|| fsutil::read_file(path))
            .clone()
    }
}

/// The directory the search for `idemsql.toml` starts in: the input's (made absolute, so the
/// search goes up past the current directory), or the current directory for stdin.
fn start_dir(input: Option<&Path>) -> Result<String, Fatal> {
    let dir = match input {
        Some(p) => {
            let abs = std::path::absolute(p)?;
            abs.parent().map(Path::to_path_buf).unwrap_or_default()
        }
        None => std::env::current_dir()?,
    };
    Ok(fsutil::path_string(&dir))
}

/// The flags as overrides of the configuration file, parsed in the order they are listed
/// in `--help`, so the first bad one is the one reported. Each `--key`, `--partition` and
/// `--partition-value` for the same table (or column) adds to the others; together they
/// replace the file's entry for it.
fn overrides(shared: &Shared) -> Result<Overrides, Fatal> {
    let dialect = shared.dialect.as_deref().map(str::parse).transpose()?;
    let strategy = shared
        .strategy
        .as_deref()
        .map(str::parse::<Strategy>)
        .transpose()?;
    let mut specs = Options::default();
    for k in &shared.key {
        specs.add_key_spec(k)?;
    }
    for p in &shared.partition {
        specs.add_partition_spec(p)?;
    }
    for v in &shared.partition_value {
        specs.add_partition_value_spec(v)?;
    }
    for v in &shared.severity {
        specs.add_severity_spec(v)?;
    }
    let mut schema = Vec::new();
    for f in &shared.schema {
        schema
            .push(std::fs::read_to_string(f).map_err(|e| Fatal(format!("{}: {e}", f.display())))?);
    }
    let dedupe = shared.dedupe.as_deref().map(str::parse).transpose()?;
    Ok(Overrides {
        dialect,
        strategy,
        keys: specs.keys,
        default_key: (!specs.default_key.is_empty()).then_some(specs.default_key),
        partitions: specs.partitions,
        partition_values: specs.partition_values,
        schema,
        null_safe: shared.null_safe.then_some(true),
        dedupe: dedupe.map(Some),
        ignore: shared.ignore.clone(),
        severity: specs.severity,
    })
}
