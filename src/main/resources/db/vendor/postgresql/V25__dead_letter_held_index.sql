-- The order events held until their payment has a result, which the held-order-events job (routes/schedules.yaml)
-- looks for every 30 seconds: a few rows of a table that keeps every dead letter not yet re-driven.
CREATE INDEX ix_dead_letter_held ON dead_letter (id) WHERE type = 'ORDER_EVENT_HELD' AND redriven_at IS NULL;
