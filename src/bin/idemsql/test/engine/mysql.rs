//! MySQL and MariaDB (the pure-Rust `mysql` client): every test in a scratch database
//! `idemsql_test_...` created on the server the URL names and dropped afterwards. A script
//! that names a table in another database is refused before it runs: it would write outside.

use idemsql::Dialect;
use idemsql::twice::{Snapshot, Table};
use mysql::prelude::Queryable;

use super::{Engine, scratch_name};
use crate::exit::Fatal;

pub struct Mysql {
    opts: mysql::Opts,
    admin: mysql::Conn,
    database: String,
    conn: Option<mysql::Conn>,
    version: String,
}

fn error(e: mysql::Error) -> String {
    match e {
        mysql::Error::MySqlError(m) => format!("{} ({}, {})", m.message, m.code, m.state),
        other => other.to_string(),
    }
}

fn quote(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

fn value(v: mysql::Value) -> Option<String> {
    match v {
        mysql::Value::NULL => None,
        mysql::Value::Bytes(b) => Some(String::from_utf8_lossy(&b).into_owned()),
        other => Some(other.as_sql(true)),
    }
}

impl Mysql {
    pub fn new(url: &str) -> Result<Self, Fatal> {
        let opts = mysql::Opts::from_url(url).map_err(|e| Fatal(format!("--db {url}: {e}")))?;
        let mut admin = mysql::Conn::new(opts.clone())
            .map_err(|e| Fatal(format!("--db {url}: cannot connect: {}", error(e))))?;
        let version: String = admin
            .query_first("SELECT VERSION()")
            .ok()
            .flatten()
            .unwrap_or_default();
        let mut my = Mysql {
            opts,
            admin,
            database: String::new(),
            conn: None,
            version,
        };
        my.fresh()?;
        Ok(my)
    }

    fn connect(&self) -> Result<mysql::Conn, String> {
        let builder =
            mysql::OptsBuilder::from_opts(self.opts.clone()).db_name(Some(&self.database));
        let mut conn = mysql::Conn::new(builder).map_err(error)?;
        conn.query_drop("SET NAMES utf8mb4 COLLATE utf8mb4_bin")
            .map_err(error)?;
        Ok(conn)
    }

    fn drop_database(&mut self) -> Result<(), String> {
        self.conn = None;
        if self.database.is_empty() {
            return Ok(());
        }
        let sql = format!("DROP DATABASE IF EXISTS {}", quote(&self.database));
        self.admin.query_drop(sql).map_err(error)
    }

    fn conn(&mut self) -> &mut mysql::Conn {
        self.conn.as_mut().expect("connected by fresh()")
    }

    fn rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
        let rows: Vec<mysql::Row> = self.conn().query(sql).map_err(error)?;
        Ok(rows
            .into_iter()
            .map(|r| r.unwrap().into_iter().map(value).collect())
            .collect())
    }
}

impl Drop for Mysql {
    fn drop(&mut self) {
        let _ = self.drop_database();
    }
}

impl Engine for Mysql {
    fn dialect(&self) -> Dialect {
        if self.version.contains("MariaDB") {
            Dialect::Mariadb
        } else {
            Dialect::Mysql
        }
    }

    fn describe(&self) -> String {
        match self.version.split_once("-MariaDB") {
            Some((v, _)) => format!("MariaDB {v}"),
            None => format!("MySQL {}", self.version),
        }
    }

    fn fresh(&mut self) -> Result<(), Fatal> {
        self.drop_database().map_err(Fatal)?;
        self.database = scratch_name();
        self.admin
            .query_drop(format!(
                "CREATE DATABASE {} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                quote(&self.database)
            ))
            .map_err(|e| Fatal(format!("creating the scratch database: {}", error(e))))?;
        self.conn = Some(self.connect().map_err(Fatal)?);
        Ok(())
    }

    fn prepare(&mut self, schemas: &[String]) -> Result<(), String> {
        match schemas.first() {
            None => Ok(()),
            Some(other) => Err(format!(
                "the script names tables in the database `{other}`: idemsql test runs scripts \
                 only in its scratch database and never writes outside it; write the names \
                 without the database"
            )),
        }
    }

    fn exec(&mut self, sql: &str) -> Result<(), String> {
        let r = self.conn().query_drop(sql).map_err(error);
        if r.is_err() {
            let _ = self.conn().query_drop("ROLLBACK");
        }
        r
    }

    fn crash(&mut self, statements: &[&str]) -> Result<(), String> {
        let mut other = self.connect()?;
        let result = statements
            .iter()
            .try_for_each(|s| other.query_drop(s).map_err(error));
        drop(other); // the server rolls back the open transaction of a lost connection
        result
    }

    fn snapshot(&mut self) -> Result<Snapshot, String> {
        let names = self.rows(
            "SELECT table_name FROM information_schema.tables \
             WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1",
        )?;
        let mut tables = Vec::new();
        for n in names {
            let Some(table) = n[0].clone() else { continue };
            let columns = self.rows(&format!(
                "SELECT column_name FROM information_schema.columns \
                 WHERE table_schema = DATABASE() AND table_name = '{}' ORDER BY ordinal_position",
                table.replace('\'', "''")
            ))?;
            tables.push(Table {
                columns: columns.into_iter().filter_map(|r| r[0].clone()).collect(),
                rows: self.rows(&format!("SELECT * FROM {}", quote(&table)))?,
                name: table,
            });
        }
        Ok(Snapshot { tables })
    }
}
