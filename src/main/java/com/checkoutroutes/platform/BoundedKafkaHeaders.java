package com.checkoutroutes.platform;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaHeaderFilterStrategy;


/**
 * Which of a consumed record's headers become the exchange's (the Kafka component's header filter strategy, set by
 * {@link KafkaRecordBounds}): Camel's
 * Kafka rules, and at most {@value #MAX_HEADERS} headers of a record, each with a name of at most
 * {@value #MAX_NAME_CHARS} characters and a value of at most {@value #MAX_VALUE_BYTES} bytes; the rest are dropped.
 * No route reads a producer's header, and the order lanes keep a copy of every header of every record they hold
 * (hundreds at once): without a bound a record of the broker's largest size could be a million tiny headers.
 */
public class BoundedKafkaHeaders extends KafkaHeaderFilterStrategy {

    static final int MAX_HEADERS = 32;
    static final int MAX_NAME_CHARS = 128;
    static final int MAX_VALUE_BYTES = 1024;
    private static final String KEPT = "checkoutKafkaHeadersKept";

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        if (super.applyFilterToExternalHeaders(headerName, headerValue, exchange)) {
            return true;
        }
        if (headerName.length() > MAX_NAME_CHARS
                || headerValue instanceof byte[] bytes && bytes.length > MAX_VALUE_BYTES) {
            return true;
        }
        int kept = exchange.getProperty(KEPT, 0, Integer.class);
        if (kept >= MAX_HEADERS) {
            return true;
        }
        exchange.setProperty(KEPT, kept + 1);
        return false;
    }
}
