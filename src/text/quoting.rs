//! Finding separators outside quotes and parentheses, in option values (`table=a,b`) and
//! directive arguments (`partition(d = 'x,y')`), where no lexer runs.

/// The byte position of the first `needle` outside `'...'`, `"..."`, `` `...` ``, `[...]` and parentheses.
pub(crate) fn find_unquoted(s: &str, needle: char) -> Option<usize> {
    let mut close: Option<char> = None;
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match close {
            Some(q) if c == q => close = None,
            Some(_) => {}
            None => match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ if depth > 0 => {}
                '\'' => close = Some('\''),
                '"' => close = Some('"'),
                '`' => close = Some('`'),
                '[' => close = Some(']'),
                _ if c == needle => return Some(i),
                _ => {}
            },
        }
    }
    None
}

/// `s` split at every `sep` outside quotes and parentheses.
pub(crate) fn split_unquoted(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = find_unquoted(rest, sep) {
        out.push(&rest[..i]);
        rest = &rest[i + sep.len_utf8()..];
    }
    out.push(rest);
    out
}

/// The index of the `)` matching the `(` at `open`, skipping quoted text.
pub(crate) fn close_paren(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in s[open..].char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                '[' => quote = Some(']'),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(open + i);
                    }
                }
                _ => {}
            },
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_outside_quotes() {
        assert_eq!(
            split_unquoted("a,'b,c',(d,e),\"f,g\"", ','),
            vec!["a", "'b,c'", "(d,e)", "\"f,g\""]
        );
        assert_eq!(find_unquoted("[a=b]=c", '='), Some(5));
        assert_eq!(close_paren("f(a, ')', (b))", 1), Some(13));
    }
}
