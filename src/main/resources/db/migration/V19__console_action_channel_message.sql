-- The message to an HTTP channel an operator's console action was about (Send again: channel_delivery.event_id),
-- beside its order, so the audit names it as it names a payment or a dead letter.
ALTER TABLE console_action ADD COLUMN channel_message_id BIGINT;
