# options: {"dialect": "sqlite", "keys": {"t": ["id"]}}
"""Each kind of string: plain ones are fixed in their own quotes; the others are linted only."""

db.execute('INSERT INTO t (id, v) VALUES (?, ?)', row)
db.execute("INSERT INTO t (id, v) VALUES (?, 'it''s')", row)
db.execute(r"INSERT INTO t (id, v) VALUES (?, ?)", row)
db.execute(u"INSERT INTO t (id, v) VALUES (?, ?)", row)
db.execute("""INSERT INTO t (id, v)
              VALUES (?, ?)""", row)
db.execute(
    """
    INSERT INTO t (id, v)
    VALUES (?, ?)
    """,
    row,
)
db.execute("INSERT INTO t (id, v) " "VALUES (?, ?)", row)
db.execute("INSERT INTO t (id, v) VALUES (?, 'a\tb')", row)
db.execute(f"INSERT INTO t (id, v) VALUES ({row_id}, ?)", row)
db.execute("INSERT INTO t (id, v) VALUES (%d, ?)" % row_id, row)
db.execute("INSERT INTO t (id, v) VALUES ({}, ?)".format(row_id), row)
db.execute("INSERT INTO " + table + " (id, v) VALUES (?, ?)", row)
