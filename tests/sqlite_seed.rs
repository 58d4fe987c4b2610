//! The seed test: a small load run twice on SQLite. The original duplicates rows (or breaks a
//! key); the rewritten load, run twice, leaves exactly the rows of one original load.

use idemsql::{Dialect, Options, Strategy, rewrite};
use rusqlite::Connection;

const DDL: &str = "
CREATE TABLE orders (order_id INTEGER PRIMARY KEY, amount NUMERIC, status TEXT);
CREATE TABLE order_lines (order_id INTEGER NOT NULL, line_no INTEGER NOT NULL, qty INTEGER,
                          PRIMARY KEY (order_id, line_no));
CREATE TABLE events (event_date TEXT NOT NULL, event_id INTEGER NOT NULL, payload TEXT);
CREATE TABLE staging (order_id INTEGER, amount NUMERIC, status TEXT);
INSERT INTO staging VALUES (10, 1.5, 'staged'), (11, 2.5, 'staged');
";

const LOAD: &str = "
-- orders, one row per order
INSERT INTO orders (order_id, amount, status) VALUES (1, 10.50, 'new'), (2, 3.25, 'it''s paid');
INSERT INTO order_lines (order_id, line_no, qty)
VALUES
    (1, 1, 5),
    (1, 2, 7),
    (2, 1, 1);
WITH s AS (SELECT order_id, amount, status FROM staging)
INSERT INTO orders (order_id, amount, status) SELECT order_id, amount, status FROM s;
-- idemsql: partition(event_date)
INSERT INTO events (event_date, event_id, payload) VALUES ('2024-01-01', 1, 'a'), ('2024-01-02', 2, 'b');
";

fn rows(conn: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    for t in ["orders", "order_lines", "events"] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {t} ORDER BY 1, 2"))
            .unwrap();
        let n = stmt.column_count();
        let rs: Vec<String> = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect();
                Ok(format!("{t}: {}", cells.join(" | ")))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        out.extend(rs);
    }
    out
}

fn fresh() -> Connection {
    let c = Connection::open_in_memory().unwrap();
    c.execute_batch(DDL).unwrap();
    c
}

#[test]
fn rewritten_load_is_idempotent_on_sqlite() {
    let options = Options {
        dialect: Dialect::Sqlite,
        strategy: Strategy::Auto,
        schema: DDL.to_string(),
        ..Options::default()
    };
    let out = rewrite(LOAD, &options).expect("rewrite");
    assert!(
        out.diagnostics
            .iter()
            .all(|d| d.severity != idemsql::Severity::Error),
        "{:#?}",
        out.diagnostics
    );

    let once = fresh();
    once.execute_batch(LOAD).expect("original loads once");
    let expected = rows(&once);
    // The original run a second time fails or duplicates: the comparison has teeth.
    let again = once.execute_batch(LOAD);
    assert!(
        again.is_err() || rows(&once) != expected,
        "the original load was already idempotent"
    );

    let twice = fresh();
    twice.execute_batch(&out.sql).expect("rewritten loads once");
    assert_eq!(
        rows(&twice),
        expected,
        "rewritten load differs from the original"
    );
    twice
        .execute_batch(&out.sql)
        .expect("rewritten loads twice");
    assert_eq!(
        rows(&twice),
        expected,
        "second rewritten load changed the data"
    );
}
