//! The shape of `src/` that the README's "How it works" promises, checked so it stays true:
//!
//! - no import cycles: between the crate's top-level modules, and between sibling modules of
//!   any folder (a module may use its parent's items; a parent declares its children);
//! - every dialect fact lives in `src/dialect/`: no other module names a dialect variant;
//! - every folder's `mod.rs` (and the crate root) opens with a doc comment.
//!
//! Test code (`#[cfg(test)]` modules at the end of a file) is not part of the architecture
//! and is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module of the library: its path (`["plan", "key"]`) and its code without tests.
struct Module {
    path: Vec<String>,
    file: PathBuf,
    code: String,
}

fn modules() -> Vec<Module> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                // The binary is a crate of its own.
                if p.file_name().is_some_and(|n| n != "bin") {
                    stack.push(p);
                }
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = p.strip_prefix(&src).unwrap();
            let mut path: Vec<String> = rel
                .with_extension("")
                .iter()
                .map(|c| c.to_string_lossy().into_owned())
                .collect();
            if path.last().is_some_and(|l| l == "mod" || l == "lib") {
                path.pop();
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let code = match text.find("#[cfg(test)]\nmod tests") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            out.push(Module {
                path,
                file: p,
                code,
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The module paths `m` refers to: `crate::a::b::...` and `super::...` paths, with `use`
/// groups (`super::{a, b::c}`) expanded, each cut to the longest prefix that is a module.
fn references(m: &Module, known: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    let code = m.code.as_bytes();
    for (start, _) in m
        .code
        .match_indices("crate::")
        .chain(m.code.match_indices("super::"))
    {
        if start > 0 && (code[start - 1].is_ascii_alphanumeric() || code[start - 1] == b'_') {
            continue;
        }
        for path in expand(&m.code[start..]) {
            let mut parts = path.iter().map(String::as_str).peekable();
            let mut base = match parts.next() {
                Some("crate") => Vec::new(),
                // The module's parent (`plan` for `plan::key` and for `plan/mod.rs`'s children).
                Some("super") => m.path[..m.path.len().saturating_sub(1)].to_vec(),
                _ => continue,
            };
            while parts.peek() == Some(&"super") {
                parts.next();
                base.pop();
            }
            let mut longest = base.clone();
            for p in parts {
                base.push(p.to_string());
                if known.contains(&base) {
                    longest = base.clone();
                }
            }
            out.insert(longest);
        }
    }
    out
}

/// The paths written at the start of `text`: `a::b::c`, or every path of a group
/// `a::{b, c::{d, e}}`.
fn expand(text: &str) -> Vec<Vec<String>> {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    let head: Vec<String> = text[..end]
        .split("::")
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    if !text[end..].starts_with('{') {
        return vec![head];
    }
    // The group's items, split at depth-0 commas.
    let mut depth = 0;
    let mut items = Vec::new();
    let mut item_start = end + 1;
    for (i, c) in text[end..].char_indices() {
        let i = end + i;
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    items.push(&text[item_start..i]);
                    break;
                }
            }
            ',' if depth == 1 => {
                items.push(&text[item_start..i]);
                item_start = i + 1;
            }
            _ => {}
        }
    }
    let mut out = vec![head.clone()];
    for item in items {
        for tail in expand(item.trim_start()) {
            let mut p = head.clone();
            p.extend(tail);
            out.push(p);
        }
    }
    out
}

/// For each folder (parent module path), the edges between its children: a child (or a
/// module inside it) that refers to a sibling (or a module inside it).
fn sibling_edges(mods: &[Module]) -> BTreeMap<Vec<String>, BTreeSet<(String, String)>> {
    let known: BTreeSet<Vec<String>> = mods.iter().map(|m| m.path.clone()).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<(String, String)>> = BTreeMap::new();
    for m in mods {
        for r in references(m, &known) {
            // The deepest common parent of the two, and the children of it on each side.
            let common = m.path.iter().zip(&r).take_while(|(a, b)| a == b).count();
            if common == m.path.len() || common == r.len() {
                continue; // one contains the other: parent and child
            }
            let parent = m.path[..common].to_vec();
            edges
                .entry(parent)
                .or_default()
                .insert((m.path[common].clone(), r[common].clone()));
        }
    }
    edges
}

/// A cycle in the graph `edges`, if there is one.
fn cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        graph.entry(a).or_default().push(b);
    }
    fn visit<'a>(
        n: &'a str,
        graph: &BTreeMap<&'a str, Vec<&'a str>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| *s == n) {
            let mut c: Vec<String> = stack[i..].iter().map(|s| s.to_string()).collect();
            c.push(n.to_string());
            return Some(c);
        }
        if !done.insert(n) {
            return None;
        }
        stack.push(n);
        for next in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(next, graph, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        if let Some(c) = visit(n, &graph, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

#[test]
fn no_import_cycles() {
    let mods = modules();
    assert!(mods.len() > 30, "found only {} modules", mods.len());
    let mut cycles = Vec::new();
    for (parent, edges) in sibling_edges(&mods) {
        if let Some(c) = cycle(&edges) {
            let at = if parent.is_empty() {
                "crate".to_string()
            } else {
                parent.join("::")
            };
            cycles.push(format!("in {at}: {}", c.join(" -> ")));
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_crate_layers_are_seen() {
    let edges = sibling_edges(&modules());
    let top = &edges[&Vec::new()];
    // A few dependencies that must be there, or the reading of references is broken.
    for (a, b) in [
        ("plan", "insert"),
        ("render", "plan"),
        ("engine", "render"),
        ("dialect", "text"),
    ] {
        assert!(
            top.contains(&(a.to_string(), b.to_string())),
            "{a} -> {b} not seen in {top:?}"
        );
    }
    assert!(edges[&vec!["plan".to_string()]].contains(&("key".into(), "form".into())));
}

#[test]
fn cycles_are_found() {
    let edges: BTreeSet<(String, String)> = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(cycle(&edges).unwrap(), vec!["a", "b", "c", "a"]);
    let dag: BTreeSet<(String, String)> = [("a", "b"), ("a", "c"), ("b", "c")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert!(cycle(&dag).is_none());
}

#[test]
fn dialect_facts_live_in_dialect() {
    let variants = [
        "Postgres",
        "Sqlite",
        "Duckdb",
        "Mysql",
        "Mariadb",
        "Snowflake",
        "Bigquery",
        "Mssql",
        "Oracle",
        "Databricks",
        "Spark",
        "Hive",
        "Redshift",
        "Trino",
        "Clickhouse",
    ];
    let mut found = Vec::new();
    for m in modules() {
        if m.path.first().is_some_and(|p| p == "dialect") {
            continue;
        }
        for v in variants {
            let needle = format!("Dialect::{v}");
            for (i, _) in m.code.match_indices(&needle) {
                let line = m.code[..i].lines().count();
                let line_start = m.code[..i].rfind('\n').map_or(0, |n| n + 1);
                if m.code[line_start..i].trim_start().starts_with("//") {
                    continue; // documentation
                }
                let text = m.code[i..].lines().next().unwrap_or("");
                // The options' default dialect is a default, not a dialect fact.
                if m.path == ["settings", "options"] && text.starts_with("Dialect::Postgres,") {
                    continue;
                }
                found.push(format!("{}:{line}: {text}", m.file.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "dialect variants named outside src/dialect/ (ask the capability table instead):\n{}",
        found.join("\n")
    );
}

#[test]
fn every_folder_says_what_it_owns() {
    for m in modules() {
        let is_folder = m
            .file
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs");
        if is_folder {
            assert!(
                m.code.trim_start().starts_with("//!"),
                "{} opens without a doc comment saying what the folder owns",
                m.file.display()
            );
        }
    }
}
