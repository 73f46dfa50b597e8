-- The janitor asks every 30 s for the attempts due for a check (routes/schedules.yaml, {{ledger:due-for-check}}),
-- oldest first. Its condition takes SUCCEEDED attempts of automatic capture, and every paid APM stays SUCCEEDED: on
-- (state, updated_at) the query read the whole history of payments (a sequential scan: 300 ms at a million, growing
-- with every order). A partial index holds only the attempts it may pick, in its order. Its condition is
-- PaymentState.dueForCheckSql() as written here (JanitorQueryIndexTest checks that they stay the same; PostgreSQL
-- uses the index only when the query's condition implies it).
-- Built in the migration's transaction: writes to payment_attempt wait while it reads the table (about a second per
-- million attempts). CONCURRENTLY was tried and withdrawn: it waits for every transaction of the server, other
-- databases' too, and a start then failed on pgjdbc's socketTimeout.
CREATE INDEX IF NOT EXISTS ix_attempt_due_for_check ON payment_attempt ((COALESCE(next_check_at, updated_at)))
    WHERE (state IN ('REQUESTED', 'PENDING', 'UNKNOWN', 'CAPTURE_REQUESTED') OR (state IN ('SUCCEEDED') AND capture_mode = 'AUTOMATIC'));
