//! Editor settings: the same fields as `idemsql.toml` (the [`Options`] struct), laid over the
//! options of the project's configuration file.

use serde_json::{Map, Value};

use crate::settings::config::Overrides;
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

/// The client's settings as [`Overrides`], to lay over the configuration file's options the
/// way command-line flags go over it ([`Overrides::apply`]): a table's entry in `keys`,
/// `partitions` or `partitionValues` replaces the file's entry for that table (a rule's entry
/// in `severity`, the file's entry for that rule); `ignore` and
/// `schema` add to the file's; every other setting replaces the file's value. `extra_schema`
/// (the text of the client's `schemaFiles`) is added after `schema`.
///
/// The settings are read as an [`Options`] object, so a setting that is not an option, or a
/// value of the wrong type, is reported in the words of `idemsql.toml`'s errors; only the
/// settings the client sent override anything.
pub(crate) fn overrides(
    settings: &Map<String, Value>,
    extra_schema: &str,
) -> Result<Overrides, String> {
    check_shapes(settings)?;
    let mut object = settings.clone();
    object.remove("schemaFiles");
    let parsed: Options =
        serde_json::from_value(Value::Object(object)).map_err(|e| e.to_string())?;
    let sent = |key: &str| settings.contains_key(key);
    let mut schema = Vec::new();
    if sent("schema") {
        schema.push(parsed.schema);
    }
    if !extra_schema.is_empty() {
        schema.push(extra_schema.to_string());
    }
    Ok(Overrides {
        dialect: sent("dialect").then_some(parsed.dialect),
        strategy: sent("strategy").then_some(parsed.strategy),
        keys: parsed.keys,
        default_key: sent("defaultKey").then_some(parsed.default_key),
        partitions: parsed.partitions,
        partition_values: parsed.partition_values,
        schema,
        null_safe: sent("nullSafe").then_some(parsed.null_safe),
        dedupe: sent("dedupe").then_some(parsed.dedupe),
        ignore: parsed.ignore,
        severity: parsed.severity,
    })
}

/// The settings whose entries are merged must have the shape that can be merged; said in
/// words that name the setting, before any other check.
fn check_shapes(settings: &Map<String, Value>) -> Result<(), String> {
    for (key, value) in settings {
        match (key.as_str(), value) {
            ("keys" | "partitions" | "partitionValues" | "severity", Value::Object(_))
            | ("ignore", Value::Array(_))
            | ("schema", Value::String(_)) => {}
            ("severity", _) => {
                return Err(format!(
                    "severity: expected a table of rule codes and levels, got `{value}`"
                ));
            }
            ("keys" | "partitions" | "partitionValues", _) => {
                return Err(format!(
                    "{key}: expected a table of column lists, got `{value}`"
                ));
            }
            ("ignore", _) => {
                return Err(format!(
                    "ignore: expected a list of rule codes, got `{value}`"
                ));
            }
            ("schema", _) => return Err(format!("schema: expected DDL text, got `{value}`")),
            _ => {}
        }
    }
    Ok(())
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
            "severity": {"unparsed-write": "warning"},
            "schema": "CREATE TABLE t (a int)"
        }))
        .unwrap();
        let o = overrides(&settings, "CREATE TABLE u (b int)")
            .unwrap()
            .apply(base.clone())
            .unwrap();
        assert_eq!(o.dialect, Dialect::Duckdb);
        assert_eq!(o.keys["orders"], vec!["id"]);
        assert_eq!(o.keys["items"], vec!["item_id"]);
        assert_eq!(o.ignore, vec!["IDEM013", "IDEM014"]);
        assert_eq!(
            o.severity["unparsed-write"],
            crate::diagnostic::Severity::Warning
        );
        let bad_shape = client_settings(&json!({"severity": ["IDEM022"]})).unwrap();
        assert!(overrides(&bad_shape, "").unwrap_err().contains("severity"));
        assert!(o.schema.contains("CREATE TABLE t") && o.schema.contains("CREATE TABLE u"));
        let bad = client_settings(&json!({"dialekt": "x"})).unwrap();
        assert!(overrides(&bad, "").unwrap_err().contains("dialekt"));
        let bad_rule = client_settings(&json!({"ignore": ["NOPE"]})).unwrap();
        let err = overrides(&bad_rule, "").unwrap().apply(base).unwrap_err();
        assert!(err.to_string().contains("NOPE"));
    }
}
