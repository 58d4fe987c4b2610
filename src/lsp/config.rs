//! The options a document is checked with: the nearest `idemsql.toml` above it (found and
//! read by the library's [`config`](crate::settings::config), through the files the server
//! asks for), then the client's settings over it, by the same rule as the CLI's flags.

use super::server::Server;
use super::settings;
use crate::settings::config::{self, FileText, Lookup};
use crate::settings::options::Options;

/// The options for a document, once every file they come from has been read.
pub(super) enum Resolved {
    Ready(Options),
    /// Files were asked for (see [`Server::file_requests`]); check again when they arrive.
    Waiting,
    Failed(String),
}

impl Server {
    /// The options for a document at `path`: the nearest `idemsql.toml` (from the document's
    /// directory up; from the workspace folder for a document with no path), its schema files,
    /// then the client's settings over them.
    ///
    /// Every file still unknown is asked for in one go, the configuration's and the
    /// settings' alike, so the client answers them in one round.
    pub(super) fn resolve(&mut self, path: Option<&str>) -> Resolved {
        let root = self.root_for(path);
        let start_dir = match path {
            Some(p) => config::parent_dir(p).map(str::to_string),
            None => root.clone(),
        };
        let (base, mut waiting) =
            match config::discover(start_dir.as_deref(), &mut |p| self.file(p)) {
                Lookup::Ready(options) => (options, false),
                Lookup::Pending => (Options::default(), true),
                Lookup::Failed(e) => return Resolved::Failed(e.to_string()),
            };
        let client = match &self.settings {
            Ok(s) => s.clone(),
            Err(e) => return Resolved::Failed(format!("editor settings: {e}")),
        };
        let names = match settings::schema_files(&client) {
            Ok(n) => n,
            Err(e) => return Resolved::Failed(format!("editor settings: {e}")),
        };
        // The settings' schema files are relative to the workspace folder.
        let base_dir = root
            .or_else(|| path.and_then(config::parent_dir).map(str::to_string))
            .unwrap_or_else(|| "/".into());
        let extra = match self.settings_schema(&base_dir, &names) {
            Ok(Some(extra)) => extra,
            Ok(None) => {
                waiting = true;
                String::new()
            }
            Err(e) => return Resolved::Failed(e),
        };
        if waiting {
            return Resolved::Waiting;
        }
        match settings::overrides(&client, &extra)
            .and_then(|o| o.apply(base).map_err(|e| e.to_string()))
        {
            Ok(options) => Resolved::Ready(options),
            Err(e) => Resolved::Failed(format!("editor settings: {e}")),
        }
    }

    /// The text of the settings' `schemaFiles` (in `dir`), one after the other; `None` while
    /// one is not known yet (every one is asked for).
    fn settings_schema(&mut self, dir: &str, names: &[String]) -> Result<Option<String>, String> {
        let mut extra = String::new();
        let mut waiting = false;
        for name in names {
            let p = config::join(dir, name);
            match self.file(&p) {
                FileText::Pending => waiting = true,
                FileText::Text(ddl) => {
                    if !extra.is_empty() {
                        extra.push_str("\n;\n");
                    }
                    extra.push_str(&ddl);
                }
                FileText::Missing(_) | FileText::Unreadable(_) => {
                    return Err(format!(
                        "{p} (schemaFiles in the editor settings) could not be read"
                    ));
                }
            }
        }
        Ok((!waiting).then_some(extra))
    }

    /// The workspace folder holding `path` (the innermost), or else the first folder.
    fn root_for(&self, path: Option<&str>) -> Option<String> {
        path.and_then(|p| {
            self.roots
                .iter()
                .filter(|r| is_inside(p, r))
                .max_by_key(|r| r.len())
                .cloned()
        })
        .or_else(|| self.roots.first().cloned())
    }
}

/// Does `path` lie inside the directory `dir`?
fn is_inside(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_a_folder() {
        assert!(is_inside("/a/b/c.sql", "/a/b"));
        assert!(is_inside("/a/b/c.sql", "/a/b/"));
        assert!(!is_inside("/a/bc/c.sql", "/a/b"));
    }
}
