//! Named edge cases, each with its expected final state written out by hand.

use idemsql::{Dedupe, Options, Strategy};

use crate::check::{Case, Expect};
use crate::db::Kind;

/// A DATE literal the engine reads (SQLite has no DATE type: a text date).
fn date(kind: Kind, s: &str) -> String {
    match kind {
        Kind::Sqlite => format!("'{s}'"),
        _ => format!("DATE '{s}'"),
    }
}

fn q(kind: Kind, ident: &str) -> String {
    kind.quote(ident)
}

struct B {
    kind: Kind,
    case: Case,
}

impl B {
    fn new(kind: Kind, name: &str) -> Self {
        B {
            kind,
            case: Case {
                name: name.to_string(),
                ddl: Vec::new(),
                initial: Vec::new(),
                input: String::new(),
                ddl_in_input: false,
                options: Options::for_dialect(kind.dialect()),
                expected: Vec::new(),
                tables: Vec::new(),
                expect: Expect::Rewrite,
                repro: None,
            },
        }
    }
    fn ddl(mut self, s: &str) -> Self {
        let tail = if self.kind == Kind::Mariadb {
            " ENGINE=InnoDB"
        } else {
            ""
        };
        self.case.ddl.push(format!("{s}{tail}"));
        self
    }
    fn initial(mut self, s: &str) -> Self {
        self.case.initial.push(s.to_string());
        self
    }
    fn input(mut self, s: &str) -> Self {
        self.case.input = s.to_string();
        self
    }
    fn ddl_in_input(mut self) -> Self {
        self.case.ddl_in_input = true;
        self
    }
    fn expected(mut self, s: &str) -> Self {
        self.case.expected.push(s.to_string());
        self
    }
    fn table(mut self, t: &str) -> Self {
        self.case.tables.push(t.to_string());
        self
    }
    fn strategy(mut self, s: Strategy) -> Self {
        self.case.options.strategy = s;
        self
    }
    fn key(mut self, table: &str, cols: &[&str]) -> Self {
        self.case
            .options
            .keys
            .insert(table.into(), cols.iter().map(|c| c.to_string()).collect());
        self
    }
    fn schema(mut self, s: &str) -> Self {
        self.case.options.schema = s.to_string();
        self
    }
    fn dedupe(mut self, d: Dedupe) -> Self {
        self.case.options.dedupe = Some(d);
        self
    }
    fn null_safe(mut self) -> Self {
        self.case.options.null_safe = true;
        self
    }
    fn already_safe(mut self) -> Self {
        self.case.expect = Expect::AlreadySafe;
        self
    }

    fn refuse(mut self, code: &'static str) -> Self {
        self.case.expect = Expect::Refuse(code);
        self
    }
    fn done(self) -> Case {
        self.case
    }
}

pub fn cases(kind: Kind) -> Vec<Case> {
    if matches!(kind, Kind::Clickhouse | Kind::Spark) {
        return crate::named_nontx::cases(kind);
    }
    let k = kind;
    let mut out = Vec::new();
    let lines_ddl = "CREATE TABLE order_lines (order_id INT NOT NULL, line_no INT NOT NULL, qty INT, note VARCHAR(40), PRIMARY KEY (order_id, line_no))";
    let lines_initial = "INSERT INTO order_lines (order_id, line_no, qty, note) VALUES (1, 1, 5, 'old'), (1, 2, 6, 'old'), (2, 1, 7, 'keep')";

    // Composite key, keys from the DDL in the same input; upsert and ignore.
    out.push(
        B::new(k, "composite key from the DDL in the input, upsert (incoming wins)")
            .ddl(lines_ddl)
            .ddl_in_input()
            .initial(lines_initial)
            .input("INSERT INTO order_lines (order_id, line_no, qty, note) VALUES (1, 2, 60, 'new'), (1, 3, 70, 'new'), (3, 1, 80, NULL);\n")
            .strategy(Strategy::Upsert)
            .expected("INSERT INTO order_lines VALUES (1, 1, 5, 'old'), (1, 2, 60, 'new'), (1, 3, 70, 'new'), (2, 1, 7, 'keep'), (3, 1, 80, NULL)")
            .table("order_lines")
            .done(),
    );
    out.push(
        B::new(k, "composite key given by an option, ignore (existing wins)")
            .ddl(lines_ddl)
            .initial(lines_initial)
            .input("INSERT INTO order_lines (line_no, order_id, note, qty) VALUES (2, 1, 'new', 60), (3, 1, 'new', 70);\n")
            .key("order_lines", &["order_id", "line_no"])
            .strategy(Strategy::Ignore)
            .expected("INSERT INTO order_lines VALUES (1, 1, 5, 'old'), (1, 2, 6, 'old'), (1, 3, 70, 'new'), (2, 1, 7, 'keep')")
            .table("order_lines")
            .done(),
    );
    out.push(
        B::new(k, "composite key given by a directive, upsert, one column left out")
            .ddl(lines_ddl)
            .initial(lines_initial)
            .input("-- idemsql: key(order_id, line_no) strategy(upsert)\nINSERT INTO order_lines (order_id, line_no, qty)\nVALUES (1, 1, 50),\n       (4, 1, 90);\n")
            .expected("INSERT INTO order_lines VALUES (1, 1, 50, 'old'), (1, 2, 6, 'old'), (2, 1, 7, 'keep'), (4, 1, 90, NULL)")
            .table("order_lines")
            .done(),
    );
    out.push(
        B::new(k, "key from the schema option, auto strategy (upsert)")
            .ddl(lines_ddl)
            .initial(lines_initial)
            .schema(&format!("{lines_ddl};"))
            .input("INSERT INTO order_lines VALUES (2, 1, 70, 'changed'), (2, 2, 1, 'x');\n")
            .expected("INSERT INTO order_lines VALUES (1, 1, 5, 'old'), (1, 2, 6, 'old'), (2, 1, 70, 'changed'), (2, 2, 1, 'x')")
            .table("order_lines")
            .done(),
    );

    // The key is declared after the data (pg_dump's layout): ON CONFLICT / ON DUPLICATE KEY
    // would fail or insert duplicates there, so a form that needs no constraint is written.
    let later_ddl = "CREATE TABLE later_key (id INT NOT NULL, v VARCHAR(10))";
    let later_index = "CREATE UNIQUE INDEX IF NOT EXISTS later_key_id ON later_key (id);\n";
    for (strategy, expected) in [
        (
            Strategy::Upsert,
            "INSERT INTO later_key VALUES (1, 'new'), (2, 'b')",
        ),
        (
            Strategy::Ignore,
            "INSERT INTO later_key VALUES (1, 'old'), (2, 'b')",
        ),
    ] {
        out.push(
            B::new(k, &format!("key declared after the data, {strategy:?}"))
                .ddl(later_ddl)
                .ddl_in_input()
                .initial("INSERT INTO later_key VALUES (1, 'old')")
                .input(&format!(
                    "INSERT INTO later_key (id, v) VALUES (1, 'new'), (2, 'b');\n{later_index}"
                ))
                .strategy(strategy)
                .expected(expected)
                .table("later_key")
                .done(),
        );
    }

    // A trigger that counts updates: the upsert's rerun must update nothing, or `n` moves.
    let counter = match kind {
        Kind::Postgres => Some((
            "CREATE OR REPLACE FUNCTION count_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.n := OLD.n + 1; RETURN NEW; END $$",
            "CREATE TRIGGER counted_n BEFORE UPDATE ON counted FOR EACH ROW EXECUTE FUNCTION count_update()",
        )),
        Kind::Sqlite => Some((
            "SELECT 1",
            "CREATE TRIGGER counted_n AFTER UPDATE OF v ON counted BEGIN UPDATE counted SET n = n + 1 WHERE id = NEW.id; END",
        )),
        _ => None,
    };
    if let Some((function, trigger)) = counter {
        out.push(
            B::new(k, "upsert into a table with an update trigger: the rerun updates nothing")
                .ddl("CREATE TABLE counted (id INT PRIMARY KEY, v VARCHAR(10), n INT NOT NULL DEFAULT 0)")
                .ddl(function)
                .ddl(trigger)
                .ddl_in_input()
                .initial("INSERT INTO counted (id, v) VALUES (1, 'old'), (3, 'same')")
                .input("INSERT INTO counted (id, v) VALUES (1, 'new'), (2, 'b'), (3, 'same');\n")
                .strategy(Strategy::Upsert)
                .expected("INSERT INTO counted VALUES (1, 'new', 1), (2, 'b', 0), (3, 'same', 0)")
                .table("counted")
                .done(),
        );
    }

    // A batch that repeats a key: refused, or one row kept per key with --dedupe.
    let dup = "INSERT INTO order_lines (order_id, line_no, qty, note) VALUES (1, 1, 10, 'first'), (5, 1, 1, 'only'), (1, 1, 20, 'last');\n";
    if kind == Kind::Mariadb {
        // ON DUPLICATE KEY UPDATE applies the rows in order: a repeated key is well defined
        // there (the last row wins), so idemsql may rewrite it; the result must be idempotent.
        out.push(
            B::new(k, "batch with a key twice, upsert without dedupe (rows apply in order)")
                .ddl(lines_ddl)
                .ddl_in_input()
                .initial(lines_initial)
                .input(dup)
                .strategy(Strategy::Upsert)
                .expected("INSERT INTO order_lines VALUES (1, 1, 20, 'last'), (1, 2, 6, 'old'), (2, 1, 7, 'keep'), (5, 1, 1, 'only')")
                .table("order_lines")
                .done(),
        );
    } else {
        out.push(
            B::new(k, "batch with a key twice, upsert without dedupe: refused")
                .ddl(lines_ddl)
                .ddl_in_input()
                .input(dup)
                .strategy(Strategy::Upsert)
                .table("order_lines")
                .refuse("IDEM004")
                .done(),
        );
    }
    out.push(
        B::new(k, "batch with a key twice, upsert with dedupe(last)")
            .ddl(lines_ddl)
            .ddl_in_input()
            .initial(lines_initial)
            .input(dup)
            .strategy(Strategy::Upsert)
            .dedupe(Dedupe::Last)
            .expected("INSERT INTO order_lines VALUES (1, 1, 20, 'last'), (1, 2, 6, 'old'), (2, 1, 7, 'keep'), (5, 1, 1, 'only')")
            .table("order_lines")
            .done(),
    );
    out.push(
        B::new(
            k,
            "batch with a key twice, upsert with dedupe(first) as a directive",
        )
        .ddl(lines_ddl)
        .ddl_in_input()
        .input(&format!("-- idemsql: dedupe(first)\n{dup}"))
        .strategy(Strategy::Upsert)
        .expected("INSERT INTO order_lines VALUES (1, 1, 10, 'first'), (5, 1, 1, 'only')")
        .table("order_lines")
        .done(),
    );
    if kind.has_merge() {
        out.push(
            B::new(k, "batch with a key twice, merge with dedupe(last)")
                .ddl(lines_ddl)
                .ddl_in_input()
                .initial(lines_initial)
                .input(dup)
                .strategy(Strategy::Merge)
                .dedupe(Dedupe::Last)
                .expected("INSERT INTO order_lines VALUES (1, 1, 20, 'last'), (1, 2, 6, 'old'), (2, 1, 7, 'keep'), (5, 1, 1, 'only')")
                .table("order_lines")
                .done(),
        );
    }

    // NULL-able key columns.
    let items_ddl = "CREATE TABLE items (id INT, name VARCHAR(20), UNIQUE (id))";
    if kind.has_merge() {
        out.push(
            B::new(
                k,
                "NULL-able key with null-safe MERGE: the NULL-key row is not inserted again",
            )
            .ddl(items_ddl)
            .ddl_in_input()
            .initial("INSERT INTO items (id, name) VALUES (2, 'old')")
            .input("INSERT INTO items (id, name) VALUES (1, 'a'), (NULL, 'b'), (2, 'new');\n")
            .strategy(Strategy::Merge)
            .null_safe()
            .expected("INSERT INTO items VALUES (1, 'a'), (NULL, 'b'), (2, 'new')")
            .table("items")
            .done(),
        );
        out.push(
            B::new(k, "NULL-able key, null-safe MERGE as a directive, NULL key already present")
                .ddl("CREATE TABLE items2 (id INT, grp INT, name VARCHAR(20))")
                .initial("INSERT INTO items2 (id, grp, name) VALUES (NULL, 1, 'old'), (NULL, NULL, 'old2')")
                .input("-- idemsql: key(id, grp) strategy(merge) null-safe\nINSERT INTO items2 (id, grp, name) VALUES (NULL, 1, 'new'), (NULL, NULL, 'new2'), (3, NULL, 'c');\n")
                .expected("INSERT INTO items2 VALUES (NULL, 1, 'new'), (NULL, NULL, 'new2'), (3, NULL, 'c')")
                .table("items2")
                .done(),
        );
    }
    out.push(
        B::new(
            k,
            "NULL key value in an ON CONFLICT/ODKU upsert: refused (NULL never conflicts)",
        )
        .ddl(items_ddl)
        .ddl_in_input()
        .input("INSERT INTO items (id, name) VALUES (1, 'a'), (NULL, 'b');\n")
        .strategy(Strategy::Upsert)
        .null_safe()
        .table("items")
        .refuse("IDEM005")
        .done(),
    );

    // INSERT ... SELECT, with and without a CTE.
    let staging_ddl = "CREATE TABLE staging (id INT, name VARCHAR(40), region VARCHAR(10))";
    let staging_rows = "INSERT INTO staging VALUES (1, 'one', 'eu'), (2, 'two', 'us'), (3, 'three', 'eu'), (4, 'four', 'apac')";
    let target_ddl = "CREATE TABLE target (id INT NOT NULL PRIMARY KEY, name VARCHAR(40))";
    out.push(
        B::new(
            k,
            "INSERT ... SELECT with a WHERE, upsert (SQLite needs the WHERE-true form)",
        )
        .ddl(staging_ddl)
        .ddl(target_ddl)
        .ddl_in_input()
        .initial(staging_rows)
        .initial("INSERT INTO target VALUES (1, 'stale'), (9, 'other')")
        .input("INSERT INTO target (id, name) SELECT id, name FROM staging WHERE region = 'eu';\n")
        .strategy(Strategy::Upsert)
        .expected("INSERT INTO target VALUES (1, 'one'), (3, 'three'), (9, 'other')")
        .table("target")
        .done(),
    );
    out.push(
        B::new(k, "INSERT ... SELECT without a WHERE, ignore")
            .ddl(staging_ddl)
            .ddl(target_ddl)
            .ddl_in_input()
            .initial(staging_rows)
            .initial("INSERT INTO target VALUES (1, 'stale')")
            .input("INSERT INTO target (id, name) SELECT id, name FROM staging;\n")
            .strategy(Strategy::Ignore)
            .expected(
                "INSERT INTO target VALUES (1, 'stale'), (2, 'two'), (3, 'three'), (4, 'four')",
            )
            .table("target")
            .done(),
    );
    let cte_insert = if kind == Kind::Mariadb {
        // MariaDB puts the WITH after INSERT INTO ... (cols).
        "INSERT INTO target (id, name)\nWITH fresh AS (SELECT id, name FROM staging WHERE region <> 'us')\nSELECT f.id, f.name FROM fresh f;\n"
    } else {
        "WITH fresh AS (SELECT id, name FROM staging WHERE region <> 'us')\nINSERT INTO target (id, name)\nSELECT f.id, f.name FROM fresh f;\n"
    };
    out.push(
        B::new(k, "INSERT ... SELECT with a CTE, upsert")
            .ddl(staging_ddl)
            .ddl(target_ddl)
            .ddl_in_input()
            .initial(staging_rows)
            .initial("INSERT INTO target VALUES (4, 'stale'), (8, 'other')")
            .input(cte_insert)
            .strategy(Strategy::Upsert)
            .expected(
                "INSERT INTO target VALUES (1, 'one'), (3, 'three'), (4, 'four'), (8, 'other')",
            )
            .table("target")
            .done(),
    );
    if kind != Kind::Mariadb {
        out.push(
            B::new(k, "INSERT ... WITH ... SELECT (CTE inside the INSERT), ignore")
                .ddl(staging_ddl)
                .ddl(target_ddl)
                .ddl_in_input()
                .initial(staging_rows)
                .initial("INSERT INTO target VALUES (4, 'stale')")
                .input("INSERT INTO target (id, name)\nWITH fresh AS (SELECT id, name FROM staging WHERE region <> 'us')\nSELECT id, name FROM fresh;\n")
                .strategy(Strategy::Ignore)
                .expected("INSERT INTO target VALUES (1, 'one'), (3, 'three'), (4, 'stale')")
                .table("target")
                .done(),
        );
    }
    if kind.has_merge() {
        out.push(
            B::new(k, "INSERT ... SELECT with a CTE, merge")
                .ddl(staging_ddl)
                .ddl(target_ddl)
                .ddl_in_input()
                .initial(staging_rows)
                .initial("INSERT INTO target VALUES (4, 'stale'), (8, 'other')")
                .input(cte_insert)
                .strategy(Strategy::Merge)
                .expected(
                    "INSERT INTO target VALUES (1, 'one'), (3, 'three'), (4, 'four'), (8, 'other')",
                )
                .table("target")
                .done(),
        );
    }

    // MariaDB: MySQL-style upsert without the MySQL 8 row alias.
    if kind == Kind::Mariadb {
        out.push(
            B::new(k, "MySQL-style ON DUPLICATE KEY UPDATE on MariaDB (no AS new row alias), backslash and quote escapes")
                .ddl("CREATE TABLE `orders` (`order_id` INT NOT NULL, `amount` DECIMAL(10,2), `note` VARCHAR(20), PRIMARY KEY (`order_id`))")
                .ddl_in_input()
                .initial("INSERT INTO `orders` VALUES (1, 1.00, 'old'), (3, 3.00, 'keep')")
                .input("INSERT INTO `orders` (`order_id`, `amount`, `note`) VALUES (1, 10.50, 'it\\'s'), (2, 3, \"dq\\\\\");\n")
                .strategy(Strategy::Upsert)
                .expected("INSERT INTO `orders` VALUES (1, 10.50, 'it''s'), (2, 3.00, 'dq\\\\'), (3, 3.00, 'keep')")
                .table("`orders`")
                .done(),
        );
    }

    // MariaDB: mysqldump's version comments hold code the server runs; the rewrite keeps them.
    if kind == Kind::Mariadb {
        out.push(
            B::new(k, "version comments: /*M!100100 and /*!40000 hold rows (upsert inside them), /*!50705 is a comment on MariaDB")
                .ddl("CREATE TABLE `film` (`film_id` INT NOT NULL, `title` VARCHAR(40), PRIMARY KEY (`film_id`))")
                .ddl_in_input()
                .initial("INSERT INTO `film` VALUES (1, 'old'), (3, 'keep')")
                .input("/*!40101 SET NAMES utf8mb4 */;\nINSERT INTO `film` (`film_id`, `title`) VALUES (1, 'new') /*M!100100 , (2, 'added') */ /*!50705 , (5, 'MySQL 5.7+ only') */;\n/*!40000 INSERT INTO `film` VALUES (4, 'inside') */;\n")
                .strategy(Strategy::Upsert)
                .expected("INSERT INTO `film` VALUES (1, 'new'), (2, 'added'), (3, 'keep'), (4, 'inside')")
                .table("`film`")
                .done(),
        );
    }

    // Overwrite.
    let ev_ddl = "CREATE TABLE events (event_date DATE NOT NULL, event_id INT NOT NULL, payload VARCHAR(40))";
    let ev_initial = format!(
        "INSERT INTO events VALUES ({a}, 1, 'old a1'), ({a}, 2, 'old a2'), ({b}, 3, 'old b'), ({c}, 4, 'untouched c')",
        a = date(k, "2024-01-01"),
        b = date(k, "2024-01-02"),
        c = date(k, "2024-01-03"),
    );
    out.push(
        B::new(k, "overwrite whose batch covers two partitions; the third is untouched")
            .ddl(ev_ddl)
            .initial(&ev_initial)
            .input(&format!(
                "-- idemsql: partition(event_date) strategy(overwrite)\nINSERT INTO events (event_date, event_id, payload) VALUES ({a}, 10, 'new a'), ({b}, 11, 'new b1'), ({b}, 11, 'new b1');\n",
                a = date(k, "2024-01-01"),
                b = date(k, "2024-01-02"),
            ))
            .expected(&format!(
                "INSERT INTO events VALUES ({a}, 10, 'new a'), ({b}, 11, 'new b1'), ({b}, 11, 'new b1'), ({c}, 4, 'untouched c')",
                a = date(k, "2024-01-01"),
                b = date(k, "2024-01-02"),
                c = date(k, "2024-01-03"),
            ))
            .table("events")
            .done(),
    );
    out.push(
        B::new(k, "overwrite from INSERT ... SELECT; the partition comes from the SELECT's predicate")
            .ddl(ev_ddl)
            .ddl("CREATE TABLE staging_events (event_date DATE NOT NULL, event_id INT NOT NULL, payload VARCHAR(40))")
            .initial(&ev_initial)
            .initial(&format!(
                "INSERT INTO staging_events VALUES ({b}, 20, 'staged b'), ({c}, 21, 'staged c (not this load)')",
                b = date(k, "2024-01-02"),
                c = date(k, "2024-01-03"),
            ))
            .input(&format!(
                "-- idemsql: partition(event_date) strategy(overwrite)\nINSERT INTO events (event_date, event_id, payload)\nSELECT event_date, event_id, payload FROM staging_events WHERE event_date = {b};\n",
                b = date(k, "2024-01-02"),
            ))
            .expected(&format!(
                "INSERT INTO events VALUES ({a}, 1, 'old a1'), ({a}, 2, 'old a2'), ({b}, 20, 'staged b'), ({c}, 4, 'untouched c')",
                a = date(k, "2024-01-01"),
                b = date(k, "2024-01-02"),
                c = date(k, "2024-01-03"),
            ))
            .table("events")
            .done(),
    );

    // Several statements in one script: crash between them, rerun the whole.
    out.push(
        B::new(k, "script of an upsert, an overwrite and an ignore (crash after each statement)")
            .ddl(lines_ddl)
            .ddl(ev_ddl)
            .ddl(target_ddl)
            .initial(lines_initial)
            .initial(&ev_initial)
            .initial("INSERT INTO target VALUES (1, 'kept')")
            .input(&format!(
                "-- idemsql: key(order_id, line_no)\nINSERT INTO order_lines (order_id, line_no, qty, note) VALUES (1, 1, 99, 'script');\n\
                 -- idemsql: partition(event_date) strategy(overwrite)\nINSERT INTO events (event_date, event_id, payload) VALUES ({c}, 30, 'script c');\n\
                 -- idemsql: key(id) strategy(ignore)\nINSERT INTO target (id, name) VALUES (1, 'ignored'), (2, 'added');\n",
                c = date(k, "2024-01-03"),
            ))
            .expected("INSERT INTO order_lines VALUES (1, 1, 99, 'script'), (1, 2, 6, 'old'), (2, 1, 7, 'keep')")
            .expected(&format!(
                "INSERT INTO events VALUES ({a}, 1, 'old a1'), ({a}, 2, 'old a2'), ({b}, 3, 'old b'), ({c}, 30, 'script c')",
                a = date(k, "2024-01-01"),
                b = date(k, "2024-01-02"),
                c = date(k, "2024-01-03"),
            ))
            .expected("INSERT INTO target VALUES (1, 'kept'), (2, 'added')")
            .table("order_lines")
            .table("events")
            .table("target")
            .done(),
    );

    // A hand-written DELETE of the same day before the INSERT: left unchanged, and the pair
    // runs twice = once (no key or partition needed).
    out.push(
        B::new(k, "DELETE of the same day, then INSERT: already rerun-safe, left unchanged")
            .ddl(ev_ddl)
            .initial(&ev_initial)
            .input(&format!(
                "DELETE FROM events WHERE event_date = {a};\nINSERT INTO events (event_date, event_id, payload) VALUES ({a}, 10, 'new a');\n",
                a = date(k, "2024-01-01"),
            ))
            .expected(&format!(
                "INSERT INTO events VALUES ({a}, 10, 'new a'), ({b}, 3, 'old b'), ({c}, 4, 'untouched c')",
                a = date(k, "2024-01-01"),
                b = date(k, "2024-01-02"),
                c = date(k, "2024-01-03"),
            ))
            .table("events")
            .already_safe()
            .done(),
    );

    // Quoted, mixed-case names given through options.
    let (tq, cq) = (q(k, "Order Lines"), q(k, "Line No"));
    out.push(
        B::new(k, "quoted table and column names, key given by an option with quoted names")
            .ddl(&format!("CREATE TABLE {tq} (id INT NOT NULL, {cq} INT NOT NULL, qty INT, PRIMARY KEY (id, {cq}))"))
            .initial(&format!("INSERT INTO {tq} VALUES (1, 1, 1)"))
            .input(&format!("INSERT INTO {tq} (id, {cq}, qty) VALUES (1, 1, 10), (1, 2, 20);\n"))
            .key(&tq, &["id", &cq])
            .strategy(Strategy::Upsert)
            .expected(&format!("INSERT INTO {tq} VALUES (1, 1, 10), (1, 2, 20)"))
            .table(&tq)
            .done(),
    );

    // MERGE with values PostgreSQL must type from the target: untyped date strings and a
    // column that is NULL in every row. The plain INSERT accepts both.
    if kind.has_merge() {
        out.push(
            B::new(k, "merge: text literals for a DATE column and an all-NULL column in VALUES")
                .ddl("CREATE TABLE visits (visit_id INT NOT NULL PRIMARY KEY, visited DATE, score DECIMAL(5,2))")
                .ddl_in_input()
                .initial("INSERT INTO visits VALUES (1, DATE '2023-12-31', 1.5)")
                .input("INSERT INTO visits (visit_id, visited, score) VALUES (1, '2024-01-05', NULL), (2, '2024-01-06', NULL);\n")
                .strategy(Strategy::Merge)
                .expected("INSERT INTO visits VALUES (1, DATE '2024-01-05', NULL), (2, DATE '2024-01-06', NULL)")
                .table("visits")
                .done(),
        );
    }
    out
}
