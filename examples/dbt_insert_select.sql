-- A dbt-style incremental model compiled to INSERT ... SELECT with CTEs.
-- The key comes from a directive; try `--dialect snowflake` to get a MERGE.
-- idemsql: key(customer_id)
INSERT INTO analytics.customer_revenue (customer_id, first_order_at, revenue)
WITH orders AS (
    SELECT customer_id, ordered_at, amount
    FROM raw.orders
    WHERE status <> 'cancelled'
),
agg AS (
    SELECT customer_id, min(ordered_at) AS first_order_at, sum(amount) AS revenue
    FROM orders
    GROUP BY customer_id
)
SELECT customer_id, first_order_at, revenue
FROM agg;
