//! Standard input and output.

use std::io::{self, Read, Write};
use std::path::Path;

use crate::exit::Fatal;

/// Write to stdout; a closed pipe (`idemsql ... | head`) ends the run quietly.
pub fn out(text: &str) -> Result<(), Fatal> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Fatal(format!("writing output: {e}"))),
    }
}

/// The SQL of an input: the file at `path`, or stdin (`None`). It must be UTF-8.
pub fn read_input(path: Option<&Path>) -> Result<String, Fatal> {
    match path {
        None => {
            let mut s = String::new();
            io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Fatal(format!("reading stdin: {e}")))?;
            Ok(s)
        }
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| Fatal(format!("{}: {e}", p.display())))?;
            String::from_utf8(bytes)
                .map_err(|e| Fatal(format!("{}: not UTF-8 text ({e})", p.display())))
        }
    }
}
