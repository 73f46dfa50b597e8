package com.checkoutroutes.platform;

/**
 * What a consumer route gets instead of a record's value over its limit ({@link BoundedBytesDeserializer}): the
 * value's size and SHA-256, so that its dead letter can name it while nothing of it stays in memory.
 */
public record OversizedRecord(int bytes, int limit, String sha256) {

    /** The refusal's message, e.g. "70000 bytes is more than the limit of 65536". */
    public String problem() {
        return bytes + " bytes is more than the limit of " + limit;
    }
}
