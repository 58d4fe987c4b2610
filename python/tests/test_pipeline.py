"""The textbook check: a pipeline step that runs its INSERT through idemsql.rewrite, run twice
on SQLite (Python's own sqlite3, with `?` parameters), leaves the data as one run does."""

from __future__ import annotations

import sqlite3

import pytest

import idemsql

SCHEMA = "CREATE TABLE IF NOT EXISTS orders (order_id INTEGER PRIMARY KEY, customer TEXT, total REAL)"
INSERT = "INSERT INTO orders (order_id, customer, total) VALUES (?, ?, ?)"
BATCH = [(1, "Ada", 120.0), (2, "Grace", 80.5), (3, "Edsger", 42.0)]


def load(db: sqlite3.Connection, sql: str, rows) -> None:
    """One run of the pipeline's load step, in a transaction."""
    with db:
        db.execute(SCHEMA)
        db.executemany(sql, rows)


def snapshot(db: sqlite3.Connection):
    return db.execute("SELECT * FROM orders ORDER BY order_id").fetchall()


def test_the_rewritten_insert_runs_twice_like_once(tmp_path):
    safe = idemsql.rewrite(INSERT, dialect="sqlite", keys={"orders": ["order_id"]})
    assert safe.errors == ()
    db = sqlite3.connect(tmp_path / "warehouse.db")
    load(db, safe.sql, BATCH)
    once = snapshot(db)
    load(db, safe.sql, BATCH)  # the scheduler retries
    assert snapshot(db) == once == BATCH
    # A corrected batch replaces the rows; it does not add to them.
    load(db, safe.sql, [(2, "Grace", 99.0)])
    assert db.execute("SELECT count(*), sum(total) FROM orders").fetchone() == (3, 261.0)


def test_the_plain_insert_does_not(tmp_path):
    db = sqlite3.connect(tmp_path / "warehouse.db")
    load(db, INSERT, BATCH)
    with pytest.raises(sqlite3.IntegrityError):
        load(db, INSERT, BATCH)


def test_idemsql_says_so_before_it_runs():
    [d, *_] = idemsql.check(INSERT, dialect="sqlite")
    assert d.code in {"IDEM001", "IDEM002"}
    assert d.severity == "error"
