-- Continuations for HTTP(S) channels (routes/continuations.yaml): queued in the transaction that publishes their
-- outbox event (event_id is that event's id, so a resend of the event queues nothing twice), POSTed from here one at
-- a time per order in event order, retried, parked while the receiver keeps failing, and kept once delivered.
CREATE TABLE channel_delivery (
    event_id            BIGINT        NOT NULL PRIMARY KEY,
    endpoint            VARCHAR(1000) NOT NULL,
    message_key         VARCHAR(128)  NOT NULL,
    payload             VARCHAR(100000) NOT NULL,
    -- PENDING (to send), PARKED (the receiver kept failing; tried again at next_attempt_at), DELIVERED
    state               VARCHAR(16)   NOT NULL,
    attempts            INTEGER       NOT NULL DEFAULT 0,
    next_attempt_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_error          VARCHAR(1000),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at        TIMESTAMP WITH TIME ZONE
);

CREATE INDEX ix_channel_delivery_due ON channel_delivery (state, next_attempt_at);
CREATE INDEX ix_channel_delivery_order ON channel_delivery (message_key, event_id);
