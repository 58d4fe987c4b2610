# options: {"dialect": "postgres"}
"""Directives as Python comments; fixes that must be refused."""

# idemsql: key(event_id)
cur.execute("INSERT INTO events (event_id, day) VALUES (%s, %s)", row)

# idemsql: strategy(overwrite) partition(day)
cur.execute("INSERT INTO daily (day, n) VALUES ('2024-06-01', 1)")

# The same overwrite through executescript, which runs several statements.
# idemsql: strategy(overwrite) partition(day)
cur.executescript("INSERT INTO daily (day, n) VALUES ('2024-06-01', 1)")

# idemsql: ignore
cur.execute("INSERT INTO audit (note) VALUES ('done')")

cur.execute("INSERT INTO nokey (a) VALUES (1)")
