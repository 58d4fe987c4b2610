-- A nightly orders load. Run it twice and a plain INSERT doubles every order;
-- `idemsql rewrite examples/orders.sql` makes the second run a no-op.
CREATE TABLE IF NOT EXISTS orders (
    order_id   bigint PRIMARY KEY,
    customer   text NOT NULL,
    amount     numeric(10, 2),
    status     text
);

CREATE TABLE IF NOT EXISTS order_lines (
    order_id bigint NOT NULL,
    line_no  int    NOT NULL,
    sku      text,
    qty      int,
    PRIMARY KEY (order_id, line_no)
);

INSERT INTO orders (order_id, customer, amount, status)
VALUES
    (1001, 'Ada Lovelace', 120.00, 'paid'),
    (1002, 'Grace Hopper', 75.50, 'new'),
    (1003, 'Zoë Ångström', 9.99, 'it''s complicated');

INSERT INTO order_lines (order_id, line_no, sku, qty) VALUES (1001, 1, 'SKU-1', 2), (1001, 2, 'SKU-7', 1), (1002, 1, 'SKU-3', 5);
