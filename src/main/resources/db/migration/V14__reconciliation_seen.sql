-- The ledger's payments and refunds that a transaction report names, written while the report is reconciled and
-- deleted in the same transaction: what the ledger has on the report's day and the report does not is then found
-- in SQL, rather than in a set of a day's ids held in memory. Portable SQL: PostgreSQL and H2 (MODE=PostgreSQL).
CREATE TABLE reconciliation_seen (
    report_id   BIGINT        NOT NULL,
    refund      BOOLEAN       NOT NULL,
    request_id  VARCHAR(64)   NOT NULL
);

CREATE INDEX ix_reconciliation_seen ON reconciliation_seen (report_id, refund, request_id);
