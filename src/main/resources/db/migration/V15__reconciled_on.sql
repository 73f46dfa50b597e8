-- The day of the transaction report that named a payment or refund the ledger dates on another day (a notification
-- recorded after midnight, a janitor's inquiry hours later): its own day's report, which cannot name it, then does
-- not report it missing. Set for those few only; no index (read by the once-a-day check, never by the order path).
ALTER TABLE payment_attempt ADD COLUMN reconciled_on DATE;
ALTER TABLE refund ADD COLUMN reconciled_on DATE;
