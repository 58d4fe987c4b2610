//! Editor settings: the same fields as `idemsql.toml` (the [`Options`] struct), laid over the
//! options of the project's configuration file.

use serde_json::{Map, Value};

use crate::settings::options::Options;

/// Keys an editor extension may keep in the `idemsql` settings section for itself (the path
/// of a native binary, tracing); the server does not read them.
pub(crate) const EDITOR_ONLY: &[&str] = &["path", "executable", "trace", "enable", "server"];

/// The settings object a client sent (`initializationOptions`, `workspace/didChangeConfiguration`
/// or `workspace/configuration`): the options themselves or `{ "idemsql": { ... } }`.
/// Keys are brought to camelCase (`null-safe` and `null_safe` become `nullSafe`).
pub(crate) fn client_settings(value: &Value) -> Result<Map<String, Value>, String> {
    // An empty Lua table reaches us as `[]` (Neovim cannot tell an empty list from an empty map).
    let empty = |v: &Value| match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    let object = match value {
        v if empty(v) => return Ok(Map::new()),
        Value::Object(o) => match o.get("idemsql") {
            Some(Value::Object(inner)) => inner,
            Some(v) if empty(v) => return Ok(Map::new()),
            _ => o,
        },
        other => return Err(format!("settings must be an object, not `{other}`")),
    };
    Ok(object
        .iter()
        .filter(|(k, _)| !EDITOR_ONLY.contains(&k.as_str()))
        .map(|(k, v)| (camel_case(k), v.clone()))
        .collect())
}

fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '-' || c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The schema file names of client settings (`schemaFiles`), read by the server relative to
/// the workspace folder.
pub(crate) fn schema_files(settings: &Map<String, Value>) -> Result<Vec<String>, String> {
    match settings.get("schemaFiles") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("schemaFiles: `{v}` is not a string"))
            })
            .collect(),
        Some(other) => Err(format!(
            "schemaFiles: `{other}` is not a list of file names"
        )),
    }
}

/// Lay client settings over `base` (the configuration file's options), the way command-line
/// flags go over the file: a table's entry in `keys`, `partitions` or `partitionValues`
/// replaces the file's entry for that table; `ignore` and `schema` add to the file's; every
/// other setting replaces the file's value. `extra_schema` (the text of the client's
/// `schemaFiles`) is appended to `schema`.
pub(crate) fn overlay(
    base: &Options,
    settings: &Map<String, Value>,
    extra_schema: &str,
) -> Result<Options, String> {
    let mut merged = match serde_json::to_value(base) {
        Ok(Value::Object(o)) => o,
        _ => return Err("options could not be represented as JSON".into()),
    };
    for (key, value) in settings {
        match key.as_str() {
            "schemaFiles" => {}
            "keys" | "partitions" | "partitionValues" => {
                let Value::Object(entries) = value else {
                    return Err(format!(
                        "{key}: expected a table of column lists, got `{value}`"
                    ));
                };
                let slot = merged
                    .entry(key.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(existing) = slot {
                    for (table, cols) in entries {
                        existing.insert(table.clone(), cols.clone());
                    }
                }
            }
            "ignore" => {
                let Value::Array(items) = value else {
                    return Err(format!(
                        "ignore: expected a list of rule codes, got `{value}`"
                    ));
                };
                if let Some(Value::Array(existing)) = merged.get_mut("ignore") {
                    existing.extend(items.iter().cloned());
                }
            }
            "schema" => {
                let Value::String(text) = value else {
                    return Err(format!("schema: expected DDL text, got `{value}`"));
                };
                append_schema(&mut merged, text);
            }
            _ => {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    if !extra_schema.is_empty() {
        append_schema(&mut merged, extra_schema);
    }
    let options: Options =
        serde_json::from_value(Value::Object(merged)).map_err(|e| e.to_string())?;
    options.validate().map_err(|e| e.to_string())?;
    Ok(options)
}

fn append_schema(merged: &mut Map<String, Value>, text: &str) {
    let mut schema = merged
        .get("schema")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    schema.push_str(text);
    schema.push_str("\n;\n");
    merged.insert("schema".into(), Value::String(schema));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dialect;
    use serde_json::json;

    #[test]
    fn settings_shapes() {
        let wrapped =
            client_settings(&json!({"idemsql": {"null-safe": true, "path": "/bin/x"}})).unwrap();
        assert_eq!(Value::Object(wrapped), json!({"nullSafe": true}));
        let plain = client_settings(&json!({"default_key": ["id"]})).unwrap();
        assert_eq!(Value::Object(plain), json!({"defaultKey": ["id"]}));
        assert!(client_settings(&Value::Null).unwrap().is_empty());
        assert!(client_settings(&json!([])).unwrap().is_empty());
        assert!(client_settings(&json!({"idemsql": []})).unwrap().is_empty());
        assert!(client_settings(&json!([1])).is_err());
    }

    #[test]
    fn overlay_like_flags() {
        let base = Options::from_toml(
            "dialect = \"mysql\"\nignore = [\"IDEM013\"]\n[keys]\norders = [\"order_id\"]\nitems = [\"item_id\"]\n",
        )
        .unwrap();
        let settings = client_settings(&json!({
            "dialect": "duckdb",
            "keys": {"orders": ["id"]},
            "ignore": ["IDEM014"],
            "schema": "CREATE TABLE t (a int)"
        }))
        .unwrap();
        let o = overlay(&base, &settings, "CREATE TABLE u (b int)").unwrap();
        assert_eq!(o.dialect, Dialect::Duckdb);
        assert_eq!(o.keys["orders"], vec!["id"]);
        assert_eq!(o.keys["items"], vec!["item_id"]);
        assert_eq!(o.ignore, vec!["IDEM013", "IDEM014"]);
        assert!(o.schema.contains("CREATE TABLE t") && o.schema.contains("CREATE TABLE u"));
        let bad = client_settings(&json!({"dialekt": "x"})).unwrap();
        assert!(overlay(&base, &bad, "").unwrap_err().contains("dialekt"));
        let bad_rule = client_settings(&json!({"ignore": ["NOPE"]})).unwrap();
        assert!(overlay(&base, &bad_rule, "").unwrap_err().contains("NOPE"));
    }
}
