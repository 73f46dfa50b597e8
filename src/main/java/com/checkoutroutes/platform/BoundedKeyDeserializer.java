package com.checkoutroutes.platform;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The consumers' key deserializer (camel.component.kafka.key-deserializer): a record's key as UTF-8 text, or, past
 * {@value #MAX_KEY_BYTES} bytes, {@code oversized-key:} and its SHA-256 in its place. The key travels with each record
 * the order lanes hold (hundreds at once) and names it in logs and dead letters; our keys are order ids (at most 64
 * characters), and an outsized one keeps what the lanes need of it: equal keys stay equal.
 */
public class BoundedKeyDeserializer implements Deserializer<String> {

    static final int MAX_KEY_BYTES = 256;

    @Override
    public String deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length > MAX_KEY_BYTES) {
            return "oversized-key:" + DigestUtils.sha256Hex(data);
        }
        return new String(data, StandardCharsets.UTF_8);
    }
}
