def broken(:
    cur.execute("INSERT INTO t VALUES (1)")
