// The examples menu. Each is a whole playground state (see state.js).

export const EXAMPLES = [
  {
    id: "orders-upsert",
    title: "Orders upsert (PostgreSQL)",
    state: {
      dialect: "postgres",
      strategy: "auto",
      sql: `CREATE TABLE orders (
    order_id   bigint PRIMARY KEY,
    customer   text NOT NULL,
    amount     numeric(10, 2),
    status     text
);

-- The classic load: a rerun must not double the orders.
INSERT INTO orders (order_id, customer, amount, status)
VALUES
    (1001, 'Ada',    10.50, 'new'),
    (1002, 'Grace',   3.00, 'paid');
`,
    },
  },
  {
    id: "daily-partition-reload",
    title: "Daily partition reload (PostgreSQL)",
    state: {
      dialect: "postgres",
      strategy: "overwrite",
      partitions: "daily_sales=sale_date",
      sql: `-- Rebuild one day of the aggregate: a rerun must replace the day, not add to it.
INSERT INTO daily_sales (sale_date, store_id, revenue)
SELECT sale_date, store_id, sum(amount)
FROM sales
WHERE sale_date = DATE '2024-06-01'
GROUP BY sale_date, store_id;
`,
    },
  },
  {
    id: "snowflake-merge",
    title: "MERGE for Snowflake",
    state: {
      dialect: "snowflake",
      strategy: "merge",
      keys: "analytics.customers=customer_id",
      sql: `-- Latest version of each customer from the raw feed.
INSERT INTO analytics.customers (customer_id, email, tier, updated_at)
SELECT customer_id, email, tier, updated_at
FROM raw.customers
QUALIFY ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) = 1;
`,
    },
  },
  {
    id: "bigquery-overwrite",
    title: "BigQuery partition overwrite",
    state: {
      dialect: "bigquery",
      strategy: "auto",
      schema: "CREATE TABLE `shop.analytics.events` (event_date DATE, event_id INT64, kind STRING) PARTITION BY event_date;",
      sql: `-- Reload yesterday's events from staging.
INSERT INTO \`shop.analytics.events\` (event_date, event_id, kind)
SELECT event_date, event_id, kind
FROM \`shop.staging.events\`
WHERE event_date = '2024-06-01';
`,
    },
  },
];
