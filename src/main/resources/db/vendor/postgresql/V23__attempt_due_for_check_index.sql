-- The janitor asks every 30 s for the attempts due for a check (routes/schedules.yaml, {{ledger:due-for-check}}),
-- oldest first. Its condition takes SUCCEEDED attempts of automatic capture, and every paid APM stays SUCCEEDED: on
-- (state, updated_at) the query read the whole history of payments (a sequential scan: 300 ms at a million, growing
-- with every order). A partial index holds only the attempts it may pick, in its order. Its condition is
-- PaymentState.dueForCheckSql() as written here (JanitorQueryIndexTest checks that they stay the same; PostgreSQL
-- uses the index only when the query's condition implies it).
-- CONCURRENTLY (Flyway runs it outside a transaction): built while orders and notifications keep writing, where a
-- plain CREATE INDEX would hold their writes for as long as it reads the table. Should it fail half-way, the index
-- is left INVALID: drop it (DROP INDEX CONCURRENTLY ix_attempt_due_for_check) and `flyway repair` before a restart.
CREATE INDEX CONCURRENTLY ix_attempt_due_for_check ON payment_attempt ((COALESCE(next_check_at, updated_at)))
    WHERE (state IN ('REQUESTED', 'PENDING', 'UNKNOWN', 'CAPTURE_REQUESTED') OR (state IN ('SUCCEEDED') AND capture_mode = 'AUTOMATIC'));
