# options: {"dialect": "postgres", "pythonCalls": ["run_query"]}
"""Every call shape that runs SQL, in one module: the DDL first gives the keys."""
import pandas as pd
from alembic import op
from sqlalchemy import text

cur.execute("CREATE TABLE IF NOT EXISTS orders (order_id int PRIMARY KEY, amount numeric, note text)")

cur.execute("INSERT INTO orders (order_id, amount) VALUES (%s, %s)", (1, 2))
cur.executemany('INSERT INTO orders (order_id, amount) VALUES (%(id)s, %(amount)s)', rows)
conn.execute(text("INSERT INTO orders (order_id, amount) VALUES (:id, :amount)"), params)
conn.exec_driver_sql("INSERT INTO orders (order_id, amount) VALUES ($1, $2)", (1, 2))
op.execute("INSERT INTO orders (order_id, amount) VALUES (1, 2)")
spark.sql("INSERT INTO orders (order_id, amount) SELECT id, total FROM staging WHERE ds = '2024-06-01'")
pd.read_sql("SELECT * FROM orders", conn)
pd.read_sql_query(sql="INSERT INTO orders (order_id, amount) VALUES (3, 4) RETURNING order_id", con=conn)
run_query("INSERT INTO orders (order_id, amount) VALUES (5, 6)")
QUERY = "INSERT INTO orders (order_id, amount) VALUES (7, 8)"
cur.execute(QUERY)
PostgresOperator(task_id="t", sql=["INSERT INTO orders (order_id, amount) VALUES (9, 10)", "sql/daily.sql"])
cur.execute(sql_built_elsewhere)
print("INSERT INTO orders VALUES (1)")
