//! Files: reading them for the configuration lookup, finding `*.sql`, writing atomically,
//! unified diffs.

use std::io::Write;
use std::path::{Path, PathBuf};

use idemsql::config::FileText;

use crate::exit::Fatal;

/// A path as the library's configuration lookup takes it: a string with `/` separators.
/// (A path that is not Unicode is read with its invalid bytes replaced.)
pub fn path_string(path: &Path) -> String {
    let s = path.to_string_lossy();
    if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

/// The text of the file at `path`, for the configuration lookup. A path that is not a regular
/// file is [`FileText::Missing`] (the lookup goes on upwards) without being opened, so a
/// directory or a FIFO named `idemsql.toml` is passed over; the reason, for a file the
/// configuration names, is what reading it says.
pub fn read_file(path: &str) -> FileText {
    let p = Path::new(path);
    match std::fs::metadata(p) {
        Ok(meta) if meta.is_file() => match std::fs::read_to_string(p) {
            Ok(text) => FileText::Text(text),
            Err(e) => FileText::Unreadable(e.to_string()),
        },
        Ok(meta) if meta.is_dir() => {
            FileText::Missing(std::fs::read_to_string(p).err().map(|e| e.to_string()))
        }
        Ok(_) => FileText::Missing(Some("not a regular file".into())),
        Err(e) => FileText::Missing(Some(e.to_string())),
    }
}

/// Every file under `dir` with one of `extensions` (`sql`, and `py`: the SQL of a Python file
/// is in its strings), sorted; hidden directories, `node_modules`, `target` and virtual
/// environments are skipped. Paths under `.` are given without the leading `./`.
pub fn sql_files(dir: &Path, extensions: &[String]) -> Result<Vec<PathBuf>, Fatal> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| Fatal(format!("{}: {e}", d.display())))?;
        for entry in entries {
            let entry = entry.map_err(|e| Fatal(format!("{}: {e}", d.display())))?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let ft = entry
                .file_type()
                .map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
            if ft.is_dir() {
                let skipped = [
                    "node_modules",
                    "target",
                    "venv",
                    "__pycache__",
                    "site-packages",
                ];
                if !name.starts_with('.') && !skipped.contains(&name.as_ref()) {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| {
                extensions
                    .iter()
                    .any(|x| e.eq_ignore_ascii_case(x.trim_start_matches('.')))
            }) {
                // `idemsql check .` names `models/a.sql`, not `./models/a.sql`, as editors,
                // GitHub annotations and GitLab reports expect paths from the project's root.
                out.push(
                    path.strip_prefix(".")
                        .map_or(path.clone(), Path::to_path_buf),
                );
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Replace `path`'s content with `text`: write a temporary file in the same directory, keep
/// the original's permissions, then rename it over the original. A crash leaves either the
/// old or the new file, never half of one.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), Fatal> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let perms = std::fs::metadata(path)
        .map_err(|e| Fatal(format!("{}: {e}", path.display())))?
        .permissions();
    let mut n = 0u32;
    let (tmp, mut file) = loop {
        let candidate = dir.join(format!(
            ".{file_name}.idemsql-{}-{n}.tmp",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(f) => break (candidate, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(Fatal(format!("{}: {e}", candidate.display()))),
        }
    };
    let result = file
        .write_all(text.as_bytes())
        .and_then(|_| file.sync_all())
        .and_then(|_| std::fs::set_permissions(&tmp, perms))
        .and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Fatal(format!("{}: {e}", path.display())));
    }
    Ok(())
}

/// A unified diff of `before` and `after`, labelled with `name`.
pub fn unified_diff(name: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// Is `path` a Python file, whose SQL is in its strings?
pub fn is_python(path: Option<&Path>) -> bool {
    path.and_then(Path::extension)
        .is_some_and(|e| e.eq_ignore_ascii_case("py"))
}
