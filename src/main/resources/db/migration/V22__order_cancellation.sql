-- An order's cancellation (or risk flag) as the order system sent it: a payment of the order stored after it is
-- refused before Antom is called (ORDER_CANCELLED), one stored at the same moment is cancelled by the janitor, and the
-- pre-shipment check holds the order. settled_through: the highest attempt_no the cancellation has been carried out on.
CREATE TABLE order_cancellation (
    order_id VARCHAR(64) PRIMARY KEY,
    cause VARCHAR(32) NOT NULL,
    event_id VARCHAR(128),
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    settled_through INTEGER
);

CREATE INDEX ix_order_cancellation_received ON order_cancellation (received_at);
