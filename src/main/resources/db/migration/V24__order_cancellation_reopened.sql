-- When an order's cancellation was left to the janitor (its event could not settle an attempt: a capture in
-- progress, a pay whose answer had not come): the janitor looks at it until those attempts are settled, however long
-- their answer takes (a card's expiry is 7 days), not only in the day after the cancellation came.
ALTER TABLE order_cancellation ADD COLUMN reopened_at TIMESTAMP WITH TIME ZONE;

-- the janitor reads the recent cancellations and those left to it, each round
CREATE INDEX ix_order_cancellation_reopened ON order_cancellation (reopened_at);
