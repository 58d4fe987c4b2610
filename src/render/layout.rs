//! Laying out added clauses the way the statement is laid out: on one line when the user
//! wrote the statement on one line, on lines of their own (at the statement's indentation)
//! when the statement spans several lines.

/// Where added clauses go.
#[derive(Debug, Clone)]
pub struct Layout {
    multiline: bool,
    indent: String,
    /// `\r\n` when the statement's lines end that way.
    newline: &'static str,
}

impl Layout {
    /// `indent` is the whitespace before the statement on its first line.
    pub fn new(statement: &str, indent: &str) -> Self {
        Layout {
            multiline: statement.contains('\n'),
            indent: indent.to_string(),
            newline: if statement.contains("\r\n") {
                "\r\n"
            } else {
                "\n"
            },
        }
    }

    /// The separator before an added clause.
    pub fn sep(&self) -> String {
        if self.multiline {
            format!("{}{}", self.newline, self.indent)
        } else {
            " ".to_string()
        }
    }
}
