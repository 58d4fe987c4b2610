//! Named cases for the engines without transactions here, ClickHouse (chDB) and Spark SQL
//! (pyspark without Delta): only the forms idemsql writes for them that they execute.
//! ClickHouse: `ignore` (`INSERT ... SELECT ... WHERE key NOT IN`) and `overwrite` (DELETE of
//! the written partitions, then INSERT). Spark: `overwrite` (`INSERT OVERWRITE TABLE ...
//! PARTITION`, one static partition per statement); its MERGE forms need Delta and stay
//! parse-only (the fixtures and sqlglot check them).
//!
//! Every case also runs the original plain INSERT twice, which must duplicate rows (the
//! control in check.rs), and crashes after each statement of a multi-statement rewrite.

use idemsql::{Options, Strategy};

use crate::check::{Case, Expect};
use crate::db::Kind;

/// A case whose tables and rows come from `ddl` (run before every scenario) and `initial`;
/// idemsql is told the key or the partition by an option unless `input` has a directive.
fn case(kind: Kind, name: &str, ddl: &[&str], initial: &[&str], input: &str) -> Case {
    Case {
        name: name.to_string(),
        ddl: ddl.iter().map(|s| s.to_string()).collect(),
        initial: initial.iter().map(|s| s.to_string()).collect(),
        input: input.to_string(),
        ddl_in_input: false,
        options: Options::for_dialect(kind.dialect()),
        expected: Vec::new(),
        tables: Vec::new(),
        expect: Expect::Rewrite,
        repro: None,
    }
}

fn with(mut c: Case, strategy: Strategy, expected: &[&str], tables: &[&str]) -> Case {
    c.options.strategy = strategy;
    c.expected = expected.iter().map(|s| s.to_string()).collect();
    c.tables = tables.iter().map(|s| s.to_string()).collect();
    c
}

fn key(mut c: Case, table: &str, cols: &[&str]) -> Case {
    c.options
        .keys
        .insert(table.into(), cols.iter().map(|s| s.to_string()).collect());
    c
}

fn partition(mut c: Case, table: &str, col: &str) -> Case {
    c.options.partitions.insert(table.into(), vec![col.into()]);
    c
}

pub fn cases(kind: Kind) -> Vec<Case> {
    match kind {
        Kind::Clickhouse => clickhouse(),
        _ => spark(),
    }
}

const CH_ORDERS: &str = "CREATE TABLE orders (order_id Int64, amount Decimal(12, 2), status String) ENGINE = MergeTree ORDER BY order_id";
const CH_LINES: &str = "CREATE TABLE order_lines (order_id Int64, line_no Int32, qty Int32, note Nullable(String)) ENGINE = MergeTree ORDER BY (order_id, line_no)";
const CH_EVENTS: &str = "CREATE TABLE events (event_date Date, event_id Int64, kind String) ENGINE = MergeTree PARTITION BY event_date ORDER BY event_id";
const EVENTS_INITIAL: &str = "INSERT INTO events (event_date, event_id, kind) VALUES ('2024-06-01', 1, 'old'), ('2024-06-01', 2, 'old'), ('2024-06-02', 3, 'old'), ('2024-06-03', 4, 'keep')";

fn clickhouse() -> Vec<Case> {
    let k = Kind::Clickhouse;
    vec![
        key(
            with(
                case(
                    k,
                    "ignore, key by option: existing rows win, quotes and backslashes in text",
                    &[CH_ORDERS],
                    &["INSERT INTO orders VALUES (1, 10.00, 'old')"],
                    "INSERT INTO orders (order_id, amount, status) VALUES (1, 99.00, 'new'), (2, 3.50, 'it''s \\\\ paid');\n",
                ),
                Strategy::Ignore,
                &["INSERT INTO orders VALUES (1, 10.00, 'old'), (2, 3.50, 'it''s \\\\ paid')"],
                &["orders"],
            ),
            "orders",
            &["order_id"],
        ),
        with(
            case(
                k,
                "ignore, composite key by directive, INSERT ... SELECT from a staging table",
                &[
                    CH_LINES,
                    "CREATE TABLE staging (order_id Int64, line_no Int32, qty Int32) ENGINE = MergeTree ORDER BY order_id",
                    "INSERT INTO staging VALUES (1, 1, 50), (1, 3, 70), (3, 1, 80)",
                ],
                &["INSERT INTO order_lines VALUES (1, 1, 5, 'old'), (1, 2, 6, 'old')"],
                "-- idemsql: key(order_id, line_no)\nINSERT INTO order_lines (order_id, line_no, qty)\nSELECT order_id, line_no, qty FROM staging;\n",
            ),
            Strategy::Ignore,
            &[
                "INSERT INTO order_lines VALUES (1, 1, 5, 'old'), (1, 2, 6, 'old'), (1, 3, 70, NULL), (3, 1, 80, NULL)",
            ],
            &["order_lines"],
        ),
        partition(
            with(
                case(
                    k,
                    "overwrite whose batch covers two partitions; the third is untouched (crash after the DELETE)",
                    &[CH_EVENTS],
                    &[EVENTS_INITIAL],
                    "INSERT INTO events (event_date, event_id, kind) VALUES ('2024-06-01', 10, 'new'), ('2024-06-02', 11, 'new'), ('2024-06-02', 12, 'new');\n",
                ),
                Strategy::Overwrite,
                &[
                    "INSERT INTO events VALUES ('2024-06-01', 10, 'new'), ('2024-06-02', 11, 'new'), ('2024-06-02', 12, 'new'), ('2024-06-03', 4, 'keep')",
                ],
                &["events"],
            ),
            "events",
            "event_date",
        ),
        with(
            case(
                k,
                "overwrite from INSERT ... SELECT; the partition comes from the SELECT's predicate (directive)",
                &[
                    CH_EVENTS,
                    "CREATE TABLE staging (event_date Date, event_id Int64, kind String) ENGINE = MergeTree ORDER BY event_id",
                    "INSERT INTO staging VALUES ('2024-06-02', 20, 'staged'), ('2024-06-03', 21, 'other day')",
                ],
                &[EVENTS_INITIAL],
                "-- idemsql: partition(event_date)\nINSERT INTO events (event_date, event_id, kind)\nSELECT event_date, event_id, kind FROM staging WHERE event_date = '2024-06-02';\n",
            ),
            Strategy::Overwrite,
            &[
                "INSERT INTO events VALUES ('2024-06-01', 1, 'old'), ('2024-06-01', 2, 'old'), ('2024-06-02', 20, 'staged'), ('2024-06-03', 4, 'keep')",
            ],
            &["events"],
        ),
    ]
}

const SPARK_EVENTS: &str = "CREATE TABLE events (event_id BIGINT, kind STRING, event_date STRING) USING parquet PARTITIONED BY (event_date)";
const SPARK_EVENTS_INITIAL: &str = "INSERT INTO events (event_id, kind, event_date) VALUES (1, 'old', '2024-06-01'), (2, 'old', '2024-06-01'), (3, 'old', '2024-06-02'), (4, 'keep', '2024-06-03')";

fn spark() -> Vec<Case> {
    let k = Kind::Spark;
    vec![
        partition(
            with(
                case(
                    k,
                    "overwrite, VALUES rows carrying their partitions (a dynamic-partition load): one static partition per statement, the third untouched",
                    &[SPARK_EVENTS],
                    &[SPARK_EVENTS_INITIAL],
                    "INSERT INTO events (event_date, event_id, kind) VALUES ('2024-06-01', 10, 'new'), ('2024-06-02', 11, 'it''s \\\\ new'), ('2024-06-02', 12, 'new');\n",
                ),
                Strategy::Overwrite,
                &[
                    "INSERT INTO events (event_id, kind, event_date) VALUES (10, 'new', '2024-06-01'), (11, 'it''s \\\\ new', '2024-06-02'), (12, 'new', '2024-06-02'), (4, 'keep', '2024-06-03')",
                ],
                &["events"],
            ),
            "events",
            "event_date",
        ),
        with(
            case(
                k,
                "overwrite of a static partition from INSERT ... SELECT; the partition comes from the SELECT's predicate (directive)",
                &[
                    SPARK_EVENTS,
                    "CREATE TABLE staging (event_id BIGINT, kind STRING, event_date STRING) USING parquet",
                    "INSERT INTO staging VALUES (20, 'staged', '2024-06-02'), (21, 'other day', '2024-06-03')",
                ],
                &[SPARK_EVENTS_INITIAL],
                "-- idemsql: partition(event_date)\nINSERT INTO events (event_id, kind, event_date)\nSELECT event_id, kind, event_date FROM staging WHERE event_date = '2024-06-02';\n",
            ),
            Strategy::Overwrite,
            &[
                "INSERT INTO events (event_id, kind, event_date) VALUES (1, 'old', '2024-06-01'), (2, 'old', '2024-06-01'), (20, 'staged', '2024-06-02'), (4, 'keep', '2024-06-03')",
            ],
            &["events"],
        ),
        partition(
            with(
                case(
                    k,
                    "overwrite, a DATE partition column and DATE literals, auto strategy",
                    &[
                        "CREATE TABLE daily (id INT, v DECIMAL(10, 2), day DATE) USING parquet PARTITIONED BY (day)",
                    ],
                    &[
                        "INSERT INTO daily VALUES (1, 1.00, DATE '2024-06-01'), (2, 2.00, DATE '2024-06-02')",
                    ],
                    "INSERT INTO daily (id, v, day) VALUES (3, 3.25, DATE '2024-06-02'), (4, NULL, DATE '2024-06-02');\n",
                ),
                Strategy::Auto,
                &[
                    "INSERT INTO daily VALUES (1, 1.00, DATE '2024-06-01'), (3, 3.25, DATE '2024-06-02'), (4, NULL, DATE '2024-06-02')",
                ],
                &["daily"],
            ),
            "daily",
            "day",
        ),
    ]
}
