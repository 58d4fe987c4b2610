-- A daily partition reload: today's events replace the day's partition whole.
-- `idemsql rewrite examples/daily_events.sql` deletes exactly the day it inserts,
-- inside one transaction, so a rerun (or a crash half-way) leaves one copy.
CREATE TABLE IF NOT EXISTS events (
    event_date date   NOT NULL,
    event_id   bigint NOT NULL,
    user_id    bigint,
    kind       text
) PARTITION BY RANGE (event_date);

INSERT INTO events (event_date, event_id, user_id, kind)
SELECT event_date, event_id, user_id, kind
FROM staging_events
WHERE event_date = DATE '2024-06-01';
