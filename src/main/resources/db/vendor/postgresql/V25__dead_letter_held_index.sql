-- The order events held until their payment has a result, which the held-order-events job (routes/schedules.yaml)
-- looks for every 30 seconds: a few rows of a table that keeps every dead letter.
CREATE INDEX ix_dead_letter_held ON dead_letter (id) WHERE reason_code = 'PAYMENT_NOT_KNOWN_YET' AND redriven_at IS NULL;
