//! Directive comments: `-- idemsql: key(order_id) strategy(merge)` right before a statement.
//!
//! Grammar (case-insensitive names, any number per comment, several comments combine):
//!
//! ```text
//! -- idemsql: key(col, ...)            key columns for this statement's table
//! -- idemsql: partition(col, ...)      partition columns
//! -- idemsql: partition(col = 'v', ...) partition columns with the values to overwrite
//! -- idemsql: strategy(upsert|ignore|merge|overwrite|auto)
//! -- idemsql: dedupe(first|last)       keep one row per key in a VALUES batch
//! -- idemsql: null-safe                compare keys NULL-safely
//! -- idemsql: ignore                   leave this statement alone
//! -- idemsql: ignore(IDEM013, ...)     do not report these rules on this statement
//! -- idemsql: ignore-file              leave the whole file alone
//! ```
//!
//! A comment that starts on the same line as the previous statement's end belongs to that
//! statement, not to the next one.

use crate::settings::options::{Dedupe, Strategy};
use crate::text::edit::Span;
use crate::text::lexer::{Kind, LexOptions, Lexer};

/// Everything the directives before one statement say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Directives {
    pub ignore: bool,
    pub ignore_rules: Vec<String>,
    pub ignore_file: bool,
    pub key: Option<Vec<String>>,
    pub partition: Option<Vec<String>>,
    /// `(column, SQL literal)` pairs from `partition(col = 'v')`.
    pub partition_values: Vec<(String, String)>,
    pub strategy: Option<Strategy>,
    pub dedupe: Option<Dedupe>,
    pub null_safe: bool,
    /// Directives that could not be read: where, and why.
    pub errors: Vec<(Span, String)>,
}

/// Read the directives in the comments of `src[region]`. `after_statement` says whether a
/// statement ends right before the region (then a comment on that same line is not ours).
pub fn parse(src: &str, region: Span, after_statement: bool, opts: LexOptions) -> Directives {
    let mut out = Directives::default();
    let text = src.get(region.start..region.end).unwrap_or("");
    if !text.contains("idemsql") && !text.contains("IDEMSQL") {
        return out;
    }
    let mut same_line = after_statement;
    for tok in Lexer::new(text, opts) {
        let body = tok.text(text);
        match tok.kind {
            Kind::Whitespace if body.contains('\n') => same_line = false,
            Kind::LineComment | Kind::BlockComment if !same_line => {
                let inner = if tok.kind == Kind::LineComment {
                    body.trim_start_matches(['-', '#'])
                } else {
                    body.trim_start_matches("/*").trim_end_matches("*/")
                };
                let trimmed = inner.trim_start();
                let lead = inner.len() - trimmed.len();
                if trimmed
                    .get(..8)
                    .is_some_and(|p| p.eq_ignore_ascii_case("idemsql:"))
                {
                    let content_start =
                        region.start + tok.start + (body.len() - inner.len()) + lead + 8;
                    let content = &trimmed[8..];
                    parse_content(content, content_start, &mut out);
                }
            }
            _ => {}
        }
    }
    out
}

fn parse_content(content: &str, offset: usize, out: &mut Directives) {
    let bytes = content.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() || bytes[i] == b',' {
            i += 1;
            continue;
        }
        let name_start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-' || bytes[i] == b'_')
        {
            i += 1;
        }
        let name = content[name_start..i].to_ascii_lowercase();
        if name.is_empty() {
            out.errors.push((
                Span::new(offset + i, offset + content.len()),
                format!("unexpected `{}` in directive", content[i..].trim()),
            ));
            return;
        }
        let mut args: Option<Vec<String>> = None;
        let mut j = i;
        while j < bytes.len() && bytes[j] == b' ' {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b'(' {
            match crate::text::quoting::close_paren(content, j) {
                Some(close) => {
                    args = Some(
                        crate::text::quoting::split_unquoted(&content[j + 1..close], ',')
                            .into_iter()
                            .map(|a| a.trim().to_string())
                            .filter(|a| !a.is_empty())
                            .collect(),
                    );
                    i = close + 1;
                }
                None => {
                    out.errors.push((
                        Span::new(offset + name_start, offset + content.len()),
                        format!("`{name}(` is not closed"),
                    ));
                    return;
                }
            }
        }
        let span = Span::new(offset + name_start, offset + i);
        apply(&name, args, span, out);
    }
}

fn apply(name: &str, args: Option<Vec<String>>, span: Span, out: &mut Directives) {
    let mut need_args = |args: Option<Vec<String>>| -> Option<Vec<String>> {
        match args {
            Some(a) if !a.is_empty() => Some(a),
            _ => {
                out.errors
                    .push((span, format!("`{name}` needs arguments: `{name}(...)`")));
                None
            }
        }
    };
    match name {
        "key" => {
            if let Some(a) = need_args(args) {
                out.key = Some(a);
            }
        }
        "partition" => {
            if let Some(a) = need_args(args) {
                let mut cols = Vec::new();
                for item in a {
                    match crate::text::quoting::find_unquoted(&item, '=') {
                        Some(eq) => {
                            let col = item[..eq].trim().to_string();
                            let val = item[eq + 1..].trim().to_string();
                            if !cols.contains(&col) {
                                cols.push(col.clone());
                            }
                            out.partition_values.push((col, val));
                        }
                        None => cols.push(item),
                    }
                }
                out.partition = Some(cols);
            }
        }
        "strategy" => {
            if let Some(a) = need_args(args) {
                match a[0].parse::<Strategy>() {
                    Ok(s) if a.len() == 1 => out.strategy = Some(s),
                    _ => out.errors.push((
                        span,
                        format!(
                            "`strategy({})` is not one of auto, upsert, ignore, merge, overwrite",
                            a.join(", ")
                        ),
                    )),
                }
            }
        }
        "dedupe" => {
            if let Some(a) = need_args(args) {
                match a[0].parse::<Dedupe>() {
                    Ok(d) if a.len() == 1 => out.dedupe = Some(d),
                    _ => out
                        .errors
                        .push((span, format!("`dedupe({})` is not first or last", a.join(", ")))),
                }
            }
        }
        "null-safe" | "null_safe" | "nullsafe" => out.null_safe = true,
        "ignore" => match args {
            Some(rules) if !rules.is_empty() => out.ignore_rules.extend(rules),
            _ => out.ignore = true,
        },
        "ignore-file" | "ignore_file" => out.ignore_file = true,
        other => out.errors.push((
            span,
            format!(
                "unknown directive `{other}`; expected key, partition, strategy, dedupe, null-safe, ignore or ignore-file"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dialect;

    fn read(src: &str) -> Directives {
        parse(
            src,
            Span::new(0, src.len()),
            false,
            Dialect::Postgres.caps().lex,
        )
    }

    #[test]
    fn reads_each_directive() {
        let d = read(
            "-- idemsql: key(order_id, \"Line No\") strategy(merge)\n/* idemsql: partition(d = '2024-01-01', d = 'x,y') dedupe(last) null-safe */\n",
        );
        assert_eq!(d.key, Some(vec!["order_id".into(), "\"Line No\"".into()]));
        assert_eq!(d.strategy, Some(Strategy::Merge));
        assert_eq!(d.partition, Some(vec!["d".into()]));
        assert_eq!(
            d.partition_values,
            vec![
                ("d".into(), "'2024-01-01'".into()),
                ("d".into(), "'x,y'".into())
            ]
        );
        assert_eq!(d.dedupe, Some(Dedupe::Last));
        assert!(d.null_safe);
        assert!(d.errors.is_empty());
    }

    #[test]
    fn ignore_forms_and_errors() {
        let d = read(
            "-- idemsql: ignore\n-- idemsql: ignore(IDEM013) ignore-file\n-- idemsql: strategy(sometimes) bogus key(\n",
        );
        assert!(d.ignore && d.ignore_file);
        assert_eq!(d.ignore_rules, vec!["IDEM013"]);
        assert_eq!(d.errors.len(), 3, "{:?}", d.errors);
    }

    #[test]
    fn non_ascii_comments_near_directives() {
        let d = read("-- abcdefgé\n-- idemsql: key(a)\n-- é\n");
        assert_eq!(d.key, Some(vec!["a".into()]));
    }

    #[test]
    fn trailing_comment_of_previous_statement_is_not_ours() {
        let src = " -- idemsql: ignore\n-- idemsql: key(a)\n";
        let d = parse(
            src,
            Span::new(0, src.len()),
            true,
            Dialect::Postgres.caps().lex,
        );
        assert!(!d.ignore);
        assert_eq!(d.key, Some(vec!["a".into()]));
    }
}
