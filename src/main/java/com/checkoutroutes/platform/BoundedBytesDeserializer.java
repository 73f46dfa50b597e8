package com.checkoutroutes.platform;

import java.util.Map;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The consumers' value deserializer (camel.component.kafka.value-deserializer): a record's bytes as they are, or,
 * past the consumer's {@value #MAX_RECORD_BYTES} setting, an {@link OversizedRecord} in their place. A consumer
 * route hands its records to the next step (the order lanes hold hundreds at once) before its reader checks their
 * size, so without this one record of the broker's largest size, times the records in flight, would be the heap's
 * bound; with it, each holds at most the limit. A route sets its limit with
 * {@code additionalProperties.checkout.max.record.bytes}; without it the limit is 1 MiB, the broker's default largest
 * record.
 */
public class BoundedBytesDeserializer implements Deserializer<Object> {

    /** Dotted, not dashed: Camel would turn a dashed option name into camel case. */
    public static final String MAX_RECORD_BYTES = "checkout.max.record.bytes";
    static final int DEFAULT_LIMIT = 1024 * 1024;

    private int limit = DEFAULT_LIMIT;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object value = configs.get(MAX_RECORD_BYTES);
        if (value == null) {
            return;
        }
        try {
            limit = Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(MAX_RECORD_BYTES, value, "a number of bytes");
        }
        if (limit < 1) {
            throw new ConfigException(MAX_RECORD_BYTES, value, "at least 1 byte");
        }
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        if (data == null || data.length <= limit) {
            return data;
        }
        return new OversizedRecord(data.length, limit, DigestUtils.sha256Hex(data));
    }
}
