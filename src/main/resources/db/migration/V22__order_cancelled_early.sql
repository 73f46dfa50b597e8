-- An order's cancellation (or risk flag) that came before any payment of the order: the order topic lags, or the
-- order system cancelled at once. A payment of the order that starts later is cancelled by the janitor (settled_at:
-- when it did), and the pre-shipment check holds the order.
CREATE TABLE order_cancelled_early (
    order_id VARCHAR(64) PRIMARY KEY,
    cause VARCHAR(32) NOT NULL,
    event_id VARCHAR(128),
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    settled_at TIMESTAMP WITH TIME ZONE
);
