//! PostgreSQL (the pure-Rust `postgres` client, no TLS): every test in a scratch database
//! `idemsql_test_...` that is created on the server the URL names and dropped afterwards; the
//! URL's own database is only used to create and drop it.

use idemsql::Dialect;
use idemsql::twice::{Snapshot, Table};

use super::{Engine, scratch_name};
use crate::exit::Fatal;

pub struct Postgres {
    config: postgres::Config,
    admin: postgres::Client,
    database: String,
    conn: Option<postgres::Client>,
    version: String,
}

fn error(e: postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Postgres {
    pub fn new(url: &str) -> Result<Self, Fatal> {
        let config: postgres::Config =
            url.parse().map_err(|e| Fatal(format!("--db {url}: {e}")))?;
        let mut admin = config
            .connect(postgres::NoTls)
            .map_err(|e| Fatal(format!("--db {url}: cannot connect: {}", error(e))))?;
        let version = admin
            .query_one("SHOW server_version", &[])
            .map(|r| r.get::<_, String>(0))
            .unwrap_or_default();
        let mut pg = Postgres {
            config,
            admin,
            database: String::new(),
            conn: None,
            version,
        };
        pg.fresh()?;
        Ok(pg)
    }

    fn connect(&self) -> Result<postgres::Client, String> {
        let mut config = self.config.clone();
        config.dbname(&self.database);
        let mut client = config.connect(postgres::NoTls).map_err(error)?;
        client
            .batch_execute("SET client_min_messages = warning")
            .map_err(error)?;
        Ok(client)
    }

    fn drop_database(&mut self) -> Result<(), String> {
        self.conn = None;
        if self.database.is_empty() {
            return Ok(());
        }
        // WITH (FORCE) also ends a session a crash left behind (PostgreSQL 13+); before 13,
        // this run's own connections are closed already, so the plain form drops it.
        let name = quote(&self.database);
        let forced = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        let plain = format!("DROP DATABASE IF EXISTS {name}");
        self.admin
            .batch_execute(&forced)
            .or_else(|_| self.admin.batch_execute(&plain))
            .map_err(error)
    }

    fn conn(&mut self) -> &mut postgres::Client {
        self.conn.as_mut().expect("connected by fresh()")
    }

    fn rows(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
        let mut out = Vec::new();
        for m in self.conn().simple_query(sql).map_err(error)? {
            if let postgres::SimpleQueryMessage::Row(r) = m {
                out.push((0..r.len()).map(|i| r.get(i).map(String::from)).collect());
            }
        }
        Ok(out)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self.drop_database();
    }
}

impl Engine for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn describe(&self) -> String {
        format!("PostgreSQL {}", self.version)
    }

    fn fresh(&mut self) -> Result<(), Fatal> {
        self.drop_database().map_err(Fatal)?;
        self.database = scratch_name();
        self.admin
            .batch_execute(&format!("CREATE DATABASE {}", quote(&self.database)))
            .map_err(|e| Fatal(format!("creating the scratch database: {}", error(e))))?;
        self.conn = Some(self.connect().map_err(Fatal)?);
        Ok(())
    }

    fn prepare(&mut self, schemas: &[String]) -> Result<(), String> {
        for s in schemas {
            let sql = format!("CREATE SCHEMA IF NOT EXISTS {}", quote(s));
            self.conn().batch_execute(&sql).map_err(error)?;
        }
        Ok(())
    }

    fn exec(&mut self, sql: &str) -> Result<(), String> {
        let r = self.conn().batch_execute(sql).map_err(error);
        if r.is_err() {
            let _ = self.conn().batch_execute("ROLLBACK");
        }
        r
    }

    fn crash(&mut self, statements: &[&str]) -> Result<(), String> {
        let mut other = self.connect()?;
        let result = statements
            .iter()
            .try_for_each(|s| other.batch_execute(s).map_err(error));
        drop(other); // the server rolls back the open transaction of a lost connection
        result
    }

    fn snapshot(&mut self) -> Result<Snapshot, String> {
        let names = self.rows(
            "SELECT table_schema, table_name FROM information_schema.tables \
             WHERE table_type = 'BASE TABLE' \
             AND table_schema NOT IN ('pg_catalog', 'information_schema') \
             ORDER BY 1, 2",
        )?;
        let mut tables = Vec::new();
        for n in names {
            let (Some(schema), Some(table)) = (n[0].clone(), n[1].clone()) else {
                continue;
            };
            let qualified = format!("{}.{}", quote(&schema), quote(&table));
            let columns = self.rows(&format!(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = '{}' \
                 AND table_name = '{}' ORDER BY ordinal_position",
                schema.replace('\'', "''"),
                table.replace('\'', "''")
            ))?;
            tables.push(Table {
                name: if schema == "public" {
                    table
                } else {
                    format!("{schema}.{table}")
                },
                columns: columns.into_iter().filter_map(|r| r[0].clone()).collect(),
                rows: self.rows(&format!("SELECT * FROM {qualified}"))?,
            });
        }
        Ok(Snapshot { tables })
    }
}
