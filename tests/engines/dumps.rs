//! Round trips with the real dump tools: a scratch database with keys (primary, composite,
//! unique), an update trigger and odd types is dumped with `pg_dump` / `mariadb-dump` as the
//! tool writes it, the dump is rewritten with idemsql's library API (target dialect, default
//! options), and then:
//! 1. the rewritten dump restored into a fresh scratch database equals the original dump
//!    restored once, table by table;
//! 2. its data part restored again (every statement but the DDL: the dump's `CREATE TABLE`
//!    fails on a rerun and mariadb-dump's `DROP TABLE IF EXISTS` would empty the table, and
//!    neither is idemsql's to rewrite) leaves the same tables, so the trigger moved no
//!    `last_update`;
//! 3. that second restore writes 0 rows, from the engine's affected-row counts
//!    (`check::rerun_writes`, the same rule as the other groups).
//!
//! The restore runs the dump through the harness's own driver, statement by statement, with a
//! splitter that does what the clients do with a dump (`psql`: dollar quotes, `\restrict`
//! meta-commands; `mariadb`: `DELIMITER`, `/*!NNNNN ... */` comments that are code), so a
//! failure names the statement, its line in the dump and the engine's error. Only scratch
//! databases this module creates are touched, and each is dropped when done.

use std::fmt::Write as _;
use std::process::Command;

use idemsql::{Options, Severity};

use crate::check::{self, Outcome};
use crate::db::{self, Kind, Row};
use crate::report::{clip, print_block, side_by_side};

/// One way of dumping, with the options the tool is given.
#[derive(Debug, Clone, Copy)]
pub struct Flavour {
    pub name: &'static str,
    args: &'static [&'static str],
    /// What a rerun runs again.
    rerun: Rerun,
}

/// What a rerun of a dump runs again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rerun {
    /// Its data part, into the tables the first restore made (a dump without DROPs).
    DataPart,
    /// The whole dump: it drops and creates each table before its INSERTs, so those are
    /// already rerun-safe and idemsql leaves them as they are.
    Whole,
}

const PG_FLAVOURS: [Flavour; 3] = [
    Flavour {
        name: "pg_dump --inserts",
        args: &["--inserts"],
        rerun: Rerun::DataPart,
    },
    Flavour {
        name: "pg_dump --column-inserts",
        args: &["--column-inserts"],
        rerun: Rerun::DataPart,
    },
    Flavour {
        name: "pg_dump --rows-per-insert=7",
        args: &["--rows-per-insert=7"],
        rerun: Rerun::DataPart,
    },
];

/// mariadb-dump writes `DROP TABLE IF EXISTS` before each table by default: that dump is rerun
/// whole; without the DROPs (`--skip-add-drop-table`) the data part is what a rerun repeats.
const MY_FLAVOURS: [Flavour; 5] = [
    Flavour {
        name: "mariadb-dump",
        args: &[],
        rerun: Rerun::Whole,
    },
    Flavour {
        name: "mariadb-dump --skip-add-drop-table",
        args: &["--skip-add-drop-table"],
        rerun: Rerun::DataPart,
    },
    Flavour {
        name: "mariadb-dump --skip-add-drop-table --skip-extended-insert",
        args: &["--skip-add-drop-table", "--skip-extended-insert"],
        rerun: Rerun::DataPart,
    },
    Flavour {
        name: "mariadb-dump --skip-add-drop-table --complete-insert",
        args: &["--skip-add-drop-table", "--complete-insert"],
        rerun: Rerun::DataPart,
    },
    Flavour {
        name: "mariadb-dump --skip-add-drop-table --hex-blob",
        args: &["--skip-add-drop-table", "--hex-blob"],
        rerun: Rerun::DataPart,
    },
];

/// The dump flavours of an engine (none: the group does not apply to it).
pub fn flavours(kind: Kind) -> &'static [Flavour] {
    match kind {
        Kind::Postgres => &PG_FLAVOURS,
        Kind::Mariadb => &MY_FLAVOURS,
        _ => &[],
    }
}

/// The source database: every key kind, a trigger that stamps `last_update` on UPDATE, odd
/// types, and rows with NULLs, quotes, backslashes, newlines and non-ASCII text.
const PG_SOURCE: &str = r#"
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN amount AS numeric(12, 2) CHECK (VALUE >= 0);
CREATE FUNCTION set_last_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.last_update := now(); RETURN NEW; END $$;
CREATE TABLE customer (customer_id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text,
  balance amount, mood mood, tags text[], photo bytea, prefs jsonb, born date, seen timestamptz,
  last_update timestamptz NOT NULL DEFAULT now());
CREATE TRIGGER customer_last_update BEFORE UPDATE ON customer
  FOR EACH ROW EXECUTE FUNCTION set_last_update();
CREATE TABLE order_line (order_id int NOT NULL, line_no smallint NOT NULL, qty numeric(10, 3),
  price numeric, note text, last_update timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, line_no));
CREATE TRIGGER order_line_last_update BEFORE UPDATE ON order_line
  FOR EACH ROW EXECUTE FUNCTION set_last_update();
CREATE TABLE country (code char(2) NOT NULL, name text NOT NULL, CONSTRAINT country_code_key UNIQUE (code));
INSERT INTO customer (email, name, balance, mood, tags, photo, prefs, born, seen, last_update) VALUES
  ('a@example.com', 'O''Brien \ back', 12.5, 'ok', '{"a b","c\"d",NULL}', '\x00ff275c', '{"k": "é \"q\"", "n": [1, null]}',
   '1999-12-31', '2024-01-02 03:04:05.123456+02', '2020-01-01 00:00:00+00'),
  ('b@example.com', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2020-01-02 00:00:00+00'),
  ('c@example.com', E'line one\nline two\ttab', 0, 'happy', '{}', '\x', '[]', '2000-02-29', '1970-01-01 00:00:00+00', '2020-01-03 00:00:00+00'),
  ('δ@example.com', 'Ελλάδα 🎉 ''quoted'' "double"', 99999.99, 'sad', '{"{}",","}', '\x27', 'null', NULL, 'infinity', '2020-01-04 00:00:00+00');
INSERT INTO order_line (order_id, line_no, qty, price, note, last_update)
  SELECT o, l, o * 1.5 + l, CASE WHEN l = 2 THEN NULL ELSE o / 7.0 END,
         CASE l WHEN 1 THEN 'it''s \ no. ' || o WHEN 2 THEN NULL ELSE 'ü' END, '2021-06-01 12:00:00+00'
  FROM generate_series(1, 20) AS o, generate_series(1, 3) AS l;
INSERT INTO country (code, name) VALUES ('GR', 'Ελλάδα'), ('IE', 'Éire'), ('US', 'United States');
"#;

/// MariaDB: `ON UPDATE CURRENT_TIMESTAMP` stamps `last_update` only when a row changes, and the
/// AFTER INSERT trigger writes an audit row; an `ON DUPLICATE KEY UPDATE` of a duplicate row
/// fires UPDATE triggers, not INSERT ones, so a rerun that changes nothing adds no audit row.
/// (A BEFORE UPDATE trigger that stamps `NEW.last_update` fires on every duplicate row of an
/// ODKU, changed or not: no upsert of this dialect can rerun silently under it.) The blob's
/// bytes are valid UTF-8: mariadb-dump writes blobs raw, and idemsql reads text.
const MY_SOURCE: &str = r#"
CREATE TABLE customer (customer_id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(80) NOT NULL UNIQUE,
  password VARCHAR(40) BINARY, mood ENUM('sad','ok','happy'), perms SET('r','w','x'), photo BLOB,
  balance DECIMAL(12,2), born DATETIME,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP) ENGINE=InnoDB;
CREATE TABLE audit (audit_id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL,
  action VARCHAR(10) NOT NULL) ENGINE=InnoDB;
CREATE TRIGGER customer_audit AFTER INSERT ON customer FOR EACH ROW
  INSERT INTO audit (customer_id, action) VALUES (NEW.customer_id, 'insert');
CREATE TABLE order_line (order_id INT NOT NULL, line_no SMALLINT NOT NULL, qty DECIMAL(10,3),
  note TEXT, last_update DATETIME(6) NOT NULL, PRIMARY KEY (order_id, line_no)) ENGINE=InnoDB;
CREATE TABLE country (code CHAR(2) NOT NULL, name VARCHAR(60) NOT NULL, UNIQUE KEY country_code (code)) ENGINE=InnoDB;
INSERT INTO customer (email, password, mood, perms, photo, balance, born, last_update) VALUES
  ('a@example.com', 'O''Brien \\ back', 'ok', 'r,w', 0x00275c1a0d0ac3a9, 12.5, '1999-12-31 23:59:59', '2020-01-01 00:00:00'),
  ('b@example.com', NULL, NULL, '', NULL, NULL, NULL, '2020-01-02 00:00:00'),
  ('c@example.com', 'line one\nline two\ttab "dq"', 'happy', 'r,w,x', '', 0, '2000-02-29 00:00:00', '2020-01-03 00:00:00'),
  ('δ@example.com', 'Ελλάδα 🎉', 'sad', 'x', 'plain', 9999999999.99, NULL, '2020-01-04 00:00:00');
INSERT INTO order_line (order_id, line_no, qty, note, last_update)
  SELECT o.seq, l.seq, o.seq * 1.5 + l.seq, CASE l.seq WHEN 1 THEN CONCAT('it''s \\ no. ', o.seq) WHEN 2 THEN NULL ELSE 'ü' END,
         '2021-06-01 12:00:00.123456'
  FROM seq_1_to_20 AS o, seq_1_to_3 AS l;
INSERT INTO country (code, name) VALUES ('GR', 'Ελλάδα'), ('IE', 'Éire'), ('US', 'United States');
"#;

// ---------------------------------------------------------------------------------------------
// Splitting a dump as its client does

/// One statement of a dump: its text (without the delimiter) and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stmt {
    pub text: String,
    pub line: usize,
}

struct Splitter<'a> {
    src: &'a str,
    kind: Kind,
    delimiter: String,
    out: Vec<Stmt>,
    start: usize,
}

impl Splitter<'_> {
    fn push(&mut self, end: usize) {
        let raw = &self.src[self.start..end];
        let text = raw.trim();
        if !code(text).trim().is_empty() {
            let offset = self.start + (raw.len() - raw.trim_start().len());
            self.out.push(Stmt {
                text: text.to_string(),
                line: self.src[..offset].matches('\n').count() + 1,
            });
        }
    }

    /// A client command at `i` (a line of its own): psql `\...`, mariadb `DELIMITER x`. The
    /// index after it, or `None` when there is none.
    fn client_command(&mut self, i: usize) -> Option<usize> {
        if !code(&self.src[self.start..i]).trim().is_empty() {
            return None;
        }
        let end = self.src[i..].find('\n').map_or(self.src.len(), |n| i + n);
        let line = &self.src[i..end];
        match self.kind {
            Kind::Postgres if line.starts_with('\\') => Some(end),
            Kind::Mariadb
                if line
                    .get(..10)
                    .is_some_and(|w| w.eq_ignore_ascii_case("DELIMITER ")) =>
            {
                self.delimiter = line[10..].trim().to_string();
                Some(end)
            }
            _ => None,
        }
    }

    fn run(mut self) -> Vec<Stmt> {
        let b = self.src.as_bytes();
        let mut i = 0;
        let mut line_start = true;
        while i < b.len() {
            if line_start {
                if let Some(next) = self.client_command(i) {
                    i = next;
                    self.start = next;
                    continue;
                }
            }
            line_start = b[i] == b'\n';
            if self.src[i..].starts_with(self.delimiter.as_str()) {
                self.push(i);
                i += self.delimiter.len();
                self.start = i;
                continue;
            }
            i = skip_token(self.src, i, self.kind);
        }
        self.push(b.len());
        self.out
    }
}

/// The index after the token at `i`: a comment, a quoted string or identifier, a PostgreSQL
/// dollar-quoted string, or one character.
fn skip_token(src: &str, i: usize, kind: Kind) -> usize {
    let b = src.as_bytes();
    let rest = &src[i..];
    if rest.starts_with("--") {
        return rest.find('\n').map_or(src.len(), |n| i + n);
    }
    if let Some(body) = rest.strip_prefix("/*") {
        return body.find("*/").map_or(src.len(), |n| i + 2 + n + 2);
    }
    let prev_ident = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
    match b[i] {
        b'\'' | b'"' | b'`' => {
            let e_string = b[i] == b'\''
                && i > 0
                && (b[i - 1] == b'E' || b[i - 1] == b'e')
                && !(i > 1 && (b[i - 2].is_ascii_alphanumeric() || b[i - 2] == b'_'));
            let escapes = match kind {
                Kind::Mariadb => b[i] != b'`',
                _ => e_string,
            };
            skip_quoted(b, i, escapes)
        }
        b'$' if kind == Kind::Postgres && !prev_ident => skip_dollar(src, i),
        _ => i + rest.chars().next().map_or(1, char::len_utf8),
    }
}

fn skip_quoted(b: &[u8], open: usize, escapes: bool) -> usize {
    let q = b[open];
    let mut i = open + 1;
    while i < b.len() {
        // A backslash escape, or a doubled quote: two bytes that do not close the string.
        let escaped = escapes && b[i] == b'\\';
        if escaped || (b[i] == q && b.get(i + 1) == Some(&q)) {
            i += 2;
        } else if b[i] == q {
            return i + 1;
        } else {
            i += 1;
        }
    }
    b.len()
}

/// `$tag$ ... $tag$`; a `$` that opens no dollar quote (`$1`) is one character.
fn skip_dollar(src: &str, i: usize) -> usize {
    let rest = &src[i + 1..];
    let tag_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let tag_ok = rest[..tag_len]
        .chars()
        .next()
        .is_none_or(|c| !c.is_ascii_digit());
    if !tag_ok || !rest[tag_len..].starts_with('$') {
        return i + 1;
    }
    let opener = &src[i..i + tag_len + 2];
    let body = i + opener.len();
    src[body..]
        .find(opener)
        .map_or(src.len(), |n| body + n + opener.len())
}

/// Split a dump into the statements its client sends (client commands left out).
pub fn split(src: &str, kind: Kind) -> Vec<Stmt> {
    Splitter {
        src,
        kind,
        delimiter: ";".into(),
        out: Vec::new(),
        start: 0,
    }
    .run()
}

/// The code of a statement: comments removed, except that a MySQL `/*!NNNNN ... */` or
/// MariaDB `/*M!NNNNNN ... */` comment is code for the server (its markers removed).
pub fn code(stmt: &str) -> String {
    let mut out = String::new();
    let mut rest = stmt;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("--") {
            rest = r.find('\n').map_or("", |n| &r[n..]);
        } else if let Some(r) = rest
            .strip_prefix("/*!")
            .or_else(|| rest.strip_prefix("/*M!"))
        {
            let body = r.trim_start_matches(|c: char| c.is_ascii_digit());
            let end = body.find("*/").unwrap_or(body.len());
            out.push(' ');
            out.push_str(&code(&body[..end]));
            out.push(' ');
            rest = body.get(end + 2..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.find("*/").map_or("", |n| &r[n + 2..]);
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// DDL: not part of the data load that a second restore runs again.
fn is_ddl(stmt: &str) -> bool {
    let code = code(stmt);
    let first = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_ascii_uppercase();
    matches!(
        first.as_str(),
        "CREATE" | "ALTER" | "DROP" | "COMMENT" | "GRANT" | "REVOKE"
    )
}

/// Checks of the dump splitter, run before the group.
pub fn self_check() {
    let pg = "\\restrict abc\nCREATE FUNCTION f() AS $$ a; b $$;\nINSERT INTO t VALUES (E'x\\';', 'y''');\nSELECT $1;\n";
    let got: Vec<String> = split(pg, Kind::Postgres)
        .into_iter()
        .map(|s| s.text)
        .collect();
    assert_eq!(
        got,
        vec![
            "CREATE FUNCTION f() AS $$ a; b $$",
            "INSERT INTO t VALUES (E'x\\';', 'y''')",
            "SELECT $1"
        ]
    );
    let my = "/*!40101 SET NAMES utf8mb4 */;\nINSERT INTO `t` VALUES ('a\\';');\nDELIMITER ;;\n/*!50003 CREATE*/ /*!50003 TRIGGER x BEGIN a; b; END */;;\nDELIMITER ;\n-- done\n";
    let got = split(my, Kind::Mariadb);
    let lines: Vec<usize> = got.iter().map(|s| s.line).collect();
    assert_eq!(lines, vec![1, 2, 4]);
    assert!(is_ddl(&got[2].text) && !is_ddl(&got[0].text));
    assert_eq!(code(&got[0].text).trim(), "SET NAMES utf8mb4");
}

// ---------------------------------------------------------------------------------------------
// Scratch databases

/// A connection to one scratch database, and the rows it wrote.
trait Scratch {
    fn exec(&mut self, sql: &str) -> Result<u64, String>;
    fn query(&mut self, sql: &str) -> Result<Vec<Row>, String>;
    fn tables_sql(&self) -> &'static str;
}

struct PgScratch(postgres::Client);

impl Scratch for PgScratch {
    fn exec(&mut self, sql: &str) -> Result<u64, String> {
        db::pg_affected(&mut self.0, sql)
    }
    fn query(&mut self, sql: &str) -> Result<Vec<Row>, String> {
        let mut out = Vec::new();
        for m in self.0.simple_query(sql).map_err(db::pg_error)? {
            if let postgres::SimpleQueryMessage::Row(r) = m {
                out.push((0..r.len()).map(|i| r.get(i).map(String::from)).collect());
            }
        }
        Ok(out)
    }
    fn tables_sql(&self) -> &'static str {
        "SELECT 'public.' || quote_ident(table_name) FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
    }
}

struct MyScratch(mysql::Conn);

impl Scratch for MyScratch {
    fn exec(&mut self, sql: &str) -> Result<u64, String> {
        db::my_affected(&mut self.0, sql)
    }
    fn query(&mut self, sql: &str) -> Result<Vec<Row>, String> {
        use mysql::prelude::Queryable;
        let rows: Vec<mysql::Row> = self.0.query(sql).map_err(db::my_error)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                r.unwrap()
                    .into_iter()
                    .map(|v| match v {
                        mysql::Value::NULL => None,
                        mysql::Value::Bytes(b) => Some(String::from_utf8_lossy(&b).into_owned()),
                        other => Some(other.as_sql(true)),
                    })
                    .collect()
            })
            .collect())
    }
    fn tables_sql(&self) -> &'static str {
        "SELECT CONCAT('`', REPLACE(table_name, '`', '``'), '`') FROM information_schema.tables \
         WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1"
    }
}

/// The server: creates and drops scratch databases, connects to them, dumps them.
struct Server {
    kind: Kind,
    settings: String,
    admin: Box<dyn Scratch>,
    /// Scratch databases created and not dropped yet (dropped by `Drop`).
    created: Vec<String>,
}

fn scratch_name(role: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(1);
    format!(
        "idem_dumps_{role}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

fn pg_connect(settings: &str, database: &str) -> Result<PgScratch, String> {
    let conninfo = format!("{settings} dbname={database}");
    let mut client = postgres::Client::connect(&conninfo, postgres::NoTls).map_err(db::pg_error)?;
    client
        .batch_execute("SET client_min_messages = warning")
        .map_err(db::pg_error)?;
    Ok(PgScratch(client))
}

fn my_opts(settings: &str) -> Result<mysql::Opts, String> {
    mysql::Opts::from_url(settings).map_err(|e| e.to_string())
}

fn my_connect(settings: &str, database: Option<&str>) -> Result<MyScratch, String> {
    use mysql::prelude::Queryable;
    let builder = mysql::OptsBuilder::from_opts(my_opts(settings)?).db_name(database);
    let mut conn = mysql::Conn::new(builder).map_err(db::my_error)?;
    conn.query_drop("SET NAMES utf8mb4").map_err(db::my_error)?;
    Ok(MyScratch(conn))
}

impl Server {
    fn new(kind: Kind) -> Result<Server, String> {
        let var = kind.env_var().ok_or("no server for this engine")?;
        let settings = std::env::var(var)
            .map_err(|_| format!("{} server missing: {var} is not set", kind.label()))?;
        let admin: Box<dyn Scratch> = match kind {
            Kind::Postgres => Box::new(pg_connect(&settings, "postgres")?),
            _ => Box::new(my_connect(&settings, None)?),
        };
        Ok(Server {
            kind,
            settings,
            admin,
            created: Vec::new(),
        })
    }

    /// A new empty scratch database and a connection to it.
    fn create(&mut self, role: &str) -> Result<(String, Box<dyn Scratch>), String> {
        let name = scratch_name(role);
        let sql = match self.kind {
            Kind::Postgres => format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"),
            _ => format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"),
        };
        self.admin.exec(&sql)?;
        self.created.push(name.clone());
        let conn: Box<dyn Scratch> = match self.kind {
            Kind::Postgres => Box::new(pg_connect(&self.settings, &name)?),
            _ => Box::new(my_connect(&self.settings, Some(&name))?),
        };
        Ok((name, conn))
    }

    fn drop_database(&mut self, name: &str) {
        let sql = match self.kind {
            Kind::Postgres => format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            _ => format!("DROP DATABASE IF EXISTS `{name}`"),
        };
        if self.admin.exec(&sql).is_ok() {
            self.created.retain(|n| n != name);
        }
    }

    /// The dump tool's output for `database`, as it writes it.
    fn dump(&self, database: &str, flavour: &Flavour) -> Result<String, String> {
        let mut cmd = match self.kind {
            Kind::Postgres => self.pg_dump(database),
            _ => self.mariadb_dump(database)?,
        };
        cmd.args(flavour.args);
        let out = cmd
            .output()
            .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
        if !out.status.success() {
            return Err(format!(
                "{} failed ({}): {}",
                flavour.name,
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        String::from_utf8(out.stdout).map_err(|e| {
            format!(
                "{} wrote bytes that are not UTF-8 (idemsql reads text): {e}",
                flavour.name
            )
        })
    }

    /// The PostgreSQL binaries scripts/services.sh starts the server from, else PATH.
    fn pg_dump(&self, database: &str) -> Command {
        let bin = std::path::Path::new("/usr/lib/postgresql/15/bin/pg_dump");
        let mut cmd = Command::new(if bin.exists() {
            bin.as_os_str()
        } else {
            "pg_dump".as_ref()
        });
        cmd.arg("-d")
            .arg(format!("{} dbname={database}", self.settings));
        cmd
    }

    /// mariadb-dump from PATH, as scripts/services.sh finds mariadbd; the password through
    /// MYSQL_PWD, not the command line.
    fn mariadb_dump(&self, database: &str) -> Result<Command, String> {
        let opts = my_opts(&self.settings)?;
        let mut cmd = Command::new("mariadb-dump");
        cmd.arg("--no-defaults")
            .arg(format!("--host={}", opts.get_ip_or_hostname()))
            .arg(format!("--port={}", opts.get_tcp_port()))
            .arg(format!("--user={}", opts.get_user().unwrap_or("root")))
            .env("MYSQL_PWD", opts.get_pass().unwrap_or(""))
            .arg(database);
        Ok(cmd)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        for name in std::mem::take(&mut self.created) {
            self.drop_database(&name);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The round trip

type Tables = Vec<(String, Vec<Row>)>;

fn snapshot(conn: &mut dyn Scratch) -> Result<Tables, String> {
    let names = conn.query(conn.tables_sql())?;
    let mut out = Vec::new();
    for name in names
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
    {
        let mut rows = conn.query(&format!("SELECT * FROM {name}"))?;
        rows.sort();
        out.push((name, rows));
    }
    Ok(out)
}

fn compare(what: &str, once: &Tables, other: &Tables, failures: &mut Vec<String>) {
    let names = |t: &Tables| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    if names(once) != names(other) {
        failures.push(format!(
            "{what}: different tables: {:?} vs {:?}",
            names(once),
            names(other)
        ));
        return;
    }
    for ((name, a), (_, b)) in once.iter().zip(other) {
        if a != b {
            failures.push(format!(
                "{what}: table {name} differs\n{}",
                side_by_side("original dump restored once", a, what, b)
            ));
        }
    }
}

/// Run the statements; the rows each wrote, or which one failed (its line in the dump).
fn restore(conn: &mut dyn Scratch, stmts: &[Stmt]) -> Result<Vec<Option<u64>>, String> {
    let mut counts = Vec::with_capacity(stmts.len());
    for (i, s) in stmts.iter().enumerate() {
        let n = conn.exec(&s.text).map_err(|e| {
            format!(
                "statement {} (line {} of the dump) failed: {e}\n    {}",
                i + 1,
                s.line,
                clip(&s.text, 1500).replace('\n', "\n    ")
            )
        })?;
        counts.push(Some(n));
    }
    Ok(counts)
}

/// idemsql's output for the dump, and its error diagnostics (each with its line).
fn rewrite(kind: Kind, dump: &str) -> Result<(String, Vec<String>), String> {
    let out =
        std::panic::catch_unwind(|| idemsql::rewrite(dump, &Options::for_dialect(kind.dialect())))
            .map_err(|_| "idemsql::rewrite panicked".to_string())?
            .map_err(|e| format!("idemsql::rewrite failed: {e}"))?;
    let errors = out
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} at line {}: {}", d.code, d.start.line, d.message))
        .collect();
    Ok((out.sql, errors))
}

/// One flavour: dump, rewrite, restore the original once and the rewritten dump twice.
fn round_trip(
    server: &mut Server,
    source: &str,
    flavour: &Flavour,
    notes: &mut String,
) -> Result<Vec<String>, String> {
    let kind = server.kind;
    let mut failures = Vec::new();
    let dump = server.dump(source, flavour)?;
    let (rewritten, errors) = rewrite(kind, &dump)?;
    if !errors.is_empty() {
        failures.push(format!(
            "idemsql refused {} statements: {}",
            errors.len(),
            clip(&errors.join("; "), 1200)
        ));
    }
    keep_files(kind, flavour, &dump, &rewritten, notes);
    let original = split(&dump, kind);
    let new = split(&rewritten, kind);
    let inserts = original
        .iter()
        .filter(|s| {
            code(&s.text)
                .trim_start()
                .to_ascii_uppercase()
                .starts_with("INSERT")
        })
        .count();
    let changed = original
        .iter()
        .zip(&new)
        .filter(|(a, b)| a.text != b.text)
        .count();
    let _ = writeln!(
        notes,
        "  {}: {} bytes, {} statements ({inserts} INSERTs), {changed} changed by idemsql",
        flavour.name,
        dump.len(),
        original.len()
    );

    if flavour.rerun == Rerun::Whole && changed > 0 {
        failures.push(format!(
            "{changed} statements changed, but every INSERT follows a DROP and CREATE of its table"
        ));
    }

    let (a, mut conn) = server.create("orig")?;
    restore(conn.as_mut(), &original).map_err(|e| format!("restoring the original dump: {e}"))?;
    let once = snapshot(conn.as_mut())?;
    if flavour.rerun == Rerun::DataPart {
        teeth(conn.as_mut(), &original, &once, &mut failures)?;
    }
    drop(conn);
    server.drop_database(&a);

    let (b, mut conn) = server.create("rewritten")?;
    match restore(conn.as_mut(), &new) {
        Err(e) => failures.push(format!(
            "the first restore of the rewritten dump failed: {e}"
        )),
        Ok(_) => {
            compare(
                "rewritten dump restored once",
                &once,
                &snapshot(conn.as_mut())?,
                &mut failures,
            );
            match flavour.rerun {
                Rerun::DataPart => second_restore(conn.as_mut(), &new, &once, &mut failures)?,
                Rerun::Whole => match restore(conn.as_mut(), &new) {
                    Err(e) => failures.push(format!("the whole dump restored again failed: {e}")),
                    Ok(_) => compare(
                        "dump restored twice, whole",
                        &once,
                        &snapshot(conn.as_mut())?,
                        &mut failures,
                    ),
                },
            }
        }
    }
    drop(conn);
    server.drop_database(&b);
    Ok(failures)
}

/// With IDEMSQL_ENGINE_DUMP=DIR, the dump and idemsql's output as files, to reproduce by hand.
fn keep_files(kind: Kind, flavour: &Flavour, dump: &str, rewritten: &str, notes: &mut String) {
    let Some(dir) = std::env::var_os("IDEMSQL_ENGINE_DUMP") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let stem: String = format!("{}-{}", kind.name(), flavour.name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(format!("{stem}.dump.sql")), dump);
    let _ = std::fs::write(dir.join(format!("{stem}.output.sql")), rewritten);
    let _ = writeln!(notes, "  files: {}/{stem}.*", dir.display());
}

/// The original dump's data part run again must fail or change the tables: else this round
/// trip could not tell a rewrite from none.
fn teeth(
    conn: &mut dyn Scratch,
    original: &[Stmt],
    once: &Tables,
    failures: &mut Vec<String>,
) -> Result<(), String> {
    let data: Vec<Stmt> = original
        .iter()
        .filter(|s| !is_ddl(&s.text))
        .cloned()
        .collect();
    let mut failed = 0;
    for s in &data {
        if conn.exec(&s.text).is_err() {
            failed += 1;
        }
    }
    if failed == 0 && snapshot(conn)? == *once {
        failures.push(
            "the original dump's data part restored again neither failed nor changed a table: \
             this round trip cannot tell a rewrite from none"
                .into(),
        );
    }
    Ok(())
}

/// The rewritten dump's data part again: the same tables, and 0 rows written.
fn second_restore(
    conn: &mut dyn Scratch,
    new: &[Stmt],
    once: &Tables,
    failures: &mut Vec<String>,
) -> Result<(), String> {
    let data: Vec<Stmt> = new.iter().filter(|s| !is_ddl(&s.text)).cloned().collect();
    match restore(conn, &data) {
        Err(e) => failures.push(format!(
            "the second restore (the data part again) failed: {e}"
        )),
        Ok(counts) => {
            let texts: Vec<String> = data.iter().map(|s| s.text.clone()).collect();
            if let Some(why) = check::rerun_writes(&texts, &counts) {
                failures.push(why);
            }
            compare(
                "rewritten dump restored twice (a moved last_update is the trigger firing)",
                once,
                &snapshot(conn)?,
                failures,
            );
        }
    }
    Ok(())
}

/// Build the source database once, then every flavour of the engine; one outcome per flavour.
pub fn run(kind: Kind, verbose: bool) -> Vec<(&'static str, Outcome)> {
    self_check();
    let fail_all = |e: String| {
        flavours(kind)
            .iter()
            .map(|f| {
                (
                    f.name,
                    Outcome {
                        passed: false,
                        report: format!("FAIL [{}] dump {}\n  - {e}", kind.label(), f.name),
                    },
                )
            })
            .collect()
    };
    let mut server = match Server::new(kind) {
        Ok(s) => s,
        Err(e) => return fail_all(e),
    };
    let source = match build_source(&mut server) {
        Ok(name) => name,
        Err(e) => return fail_all(format!("building the source database: {e}")),
    };
    let mut results = Vec::new();
    for flavour in flavours(kind) {
        let mut notes = String::new();
        let failures = match round_trip(&mut server, &source, flavour, &mut notes) {
            Ok(f) => f,
            Err(e) => vec![e],
        };
        results.push((
            flavour.name,
            outcome(kind, flavour, &notes, failures, verbose),
        ));
    }
    results
}

fn build_source(server: &mut Server) -> Result<String, String> {
    let (name, mut conn) = server.create("src")?;
    let sql = match server.kind {
        Kind::Postgres => PG_SOURCE,
        _ => MY_SOURCE,
    };
    for s in split(sql, server.kind) {
        conn.exec(&s.text)
            .map_err(|e| format!("line {}: {e}", s.line))?;
    }
    Ok(name)
}

fn outcome(
    kind: Kind,
    flavour: &Flavour,
    notes: &str,
    failures: Vec<String>,
    verbose: bool,
) -> Outcome {
    let passed = failures.is_empty();
    let mut r = String::new();
    if !passed || verbose {
        let word = if passed { "ok" } else { "FAIL" };
        let _ = writeln!(r, "{word} [{}] dump {}", kind.label(), flavour.name);
        let _ = write!(r, "{notes}");
        for f in failures {
            let _ = writeln!(r, "  - {}", f.trim_end().replace('\n', "\n    "));
        }
    }
    Outcome { passed, report: r }
}

/// The tally per flavour, printed at the end of the group.
pub fn print_tally(kind: Kind, results: &[(&'static str, Outcome)]) {
    let mut t = format!("dumps [{}]: per dump flavour\n", kind.label());
    let width = results.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, o) in results {
        let _ = writeln!(
            t,
            "  {name:<width$} {}",
            if o.passed { "1/1 passed" } else { "0/1 passed" }
        );
    }
    print_block(&t);
}
