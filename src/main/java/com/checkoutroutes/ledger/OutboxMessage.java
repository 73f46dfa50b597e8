package com.checkoutroutes.ledger;

/**
 * An event to publish once its state change is committed. {@code destination} is a Camel endpoint URI
 * (usually a {@code direct:} route in routes/ that decides the real topic), {@code key} the Kafka key.
 */
public record OutboxMessage(String destination, String key, String payload) {
}
